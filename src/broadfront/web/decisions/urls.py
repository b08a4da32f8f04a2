"""URLs of the "Decisions" area (/decisions/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.decisions import views

urlpatterns = [
    path("", views.decision_list, name="index"),
    path("new/", views.decision_new, name="new"),
    path("calibration/", views.calibration, name="calibration"),
    path("<int:pk>/", views.decision, name="decision"),
    path("<int:pk>/impact/", views.impact_cell, name="impact"),
    path("<int:pk>/impact/summary/", views.impact_summary, name="summary"),
    path("<int:pk>/ballot/", views.cast_ballot, name="ballot"),
    path("<int:pk>/close/", views.close_decision, name="close"),
    path("<int:pk>/review/", views.review, name="review"),
]
