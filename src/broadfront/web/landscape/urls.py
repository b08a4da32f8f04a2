"""URLs of the "Landscape" (/landscape/) and "Bodies and power" (/bodies/) areas."""

from __future__ import annotations

from django.urls import path

from broadfront.web.landscape import views

landscape_patterns = [
    path("", views.landscape, name="index"),
    path("issues/<slug:slug>/", views.issue, name="issue"),
    path("relationships/", views.relationship_list, name="relationships"),
    path("actors/<int:pk>/", views.actor, name="actor"),
]

bodies_patterns = [
    path("", views.body_list, name="index"),
    path("motions/<int:pk>/", views.motion, name="motion"),
    path("<slug:slug>/", views.body, name="body"),
]
