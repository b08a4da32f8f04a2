"""URLs of the "Landscape" area (/landscape/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.landscape import views

landscape_patterns = [
    path("", views.landscape, name="index"),
    path("issues/<slug:slug>/", views.issue, name="issue"),
    path("issues/<slug:slug>/grid/", views.power_grid, name="grid"),
    path("relationships/", views.relationship_list, name="relationships"),
    path("relationships/new/", views.relationship_new, name="relationship-new"),
    path("stances/new/", views.stance_new, name="stance-new"),
    path("actors/<int:pk>/", views.actor, name="actor"),
    path("people/<int:pk>/", views.person, name="person"),
    path("map/", views.power_map, name="map"),
    path("map/graph.json", views.graph_json, name="graph-json"),
    path("map/export.json", views.graph_export, name="graph-export"),
    path("bodies/<slug:slug>/alignment/", views.body_alignment, name="alignment"),
    path("alerts/", views.alerts, name="alerts"),
]
