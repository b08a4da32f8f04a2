"""What Broadfront knows of its background jobs and of the workers that run them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    """One piece of background work (a scenario run, an import), as the pages see it.

    The task queue (``django_tasks_db``'s ``DBTaskResult``) holds the task itself; this row
    holds who asked, for which organization, and where it stands in words: ``queued``,
    ``running``, ``done`` or ``failed`` (with the reason).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    worker_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    counted = models.BooleanField(
        default=True, help_text="Counts against the organization's limit of jobs at once "
                                "(later chunks of one sweep do not).")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class WorkerBeat(models.Model):
    """A worker process's heartbeat: a worker unseen for the lease time is taken as lost."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    queues = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host} (seen {self.last_seen:%H:%M:%S})"
