"""URLs of the "Bodies and power" area (/bodies/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.bodies import views

urlpatterns = [
    path("", views.body_list, name="index"),
    path("motions/<int:pk>/", views.motion, name="motion"),
    path("<slug:slug>/", views.body, name="body"),
    path("<slug:slug>/what-if/", views.what_if, name="what-if"),
]
