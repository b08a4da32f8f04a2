"""URLs of the "Coalition and accountability" area (/coalition/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.accountability import views

urlpatterns = [
    path("", views.coalition, name="index"),
    path("partners/<int:pk>/", views.partner, name="partner"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", views.commitment, name="commitment"),
    path("contributions/", views.contribution_list, name="contributions"),
]
