"""URLs of the "Coalition and accountability" area (/coalition/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.accountability import views

urlpatterns = [
    path("", views.coalition, name="index"),
    path("tables/<slug:slug>/", views.table, name="table"),
    path("partners/<int:pk>/", views.partner, name="partner"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/new/", views.commitment_new, name="commitment-new"),
    path("commitments/<int:pk>/", views.commitment, name="commitment"),
    path("contributions/", views.contribution_list, name="contributions"),
    path("contributions/<int:pk>/review/", views.review, name="review"),
    path("campaigns/<slug:slug>/credit/", views.credit, name="credit"),
]
