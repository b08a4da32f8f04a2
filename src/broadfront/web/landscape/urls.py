"""URLs of the "Landscape" area (/landscape/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.landscape import views

landscape_patterns = [
    path("", views.landscape, name="index"),
    path("issues/<slug:slug>/", views.issue, name="issue"),
    path("relationships/", views.relationship_list, name="relationships"),
    path("actors/<int:pk>/", views.actor, name="actor"),
]
