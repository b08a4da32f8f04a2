"""URLs of the "Decisions" area (/decisions/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.decisions import views

urlpatterns = [
    path("", views.decision_list, name="index"),
    path("<int:pk>/", views.decision, name="decision"),
]
