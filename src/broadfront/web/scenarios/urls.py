"""URLs of the "Scenarios" area (/scenarios/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.scenarios import views

urlpatterns = [
    path("", views.scenario_list, name="index"),
    path("<int:pk>/", views.scenario, name="scenario"),
    path("runs/<int:pk>/", views.run, name="run"),
]
