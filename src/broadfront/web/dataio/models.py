"""Import jobs: who imported what, with progress while it runs and the report afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from broadfront.web.common.tenancy import own_org_ids, scoped_manager


class ImportJob(models.Model):
    """One import (or dry run) of a file into one organization, with its report."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="import_jobs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    format = models.CharField(max_length=20)
    kind = models.CharField(max_length=30)
    source_name = models.CharField(max_length=300)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(lambda user: Q(organization_id__in=own_org_ids(user)))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.format} {self.kind} import of {self.source_name} ({self.status})"
