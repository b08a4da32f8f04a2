"""URLs of the data area (mounted at /data/ by the project's urls)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.dataio import views

app_name = "dataio"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("imports/<int:pk>/", views.job, name="job"),
    path("imports/<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("export/", views.export, name="export"),
]
