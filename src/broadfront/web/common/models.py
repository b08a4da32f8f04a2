"""The append-only audit log of every write made through services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from broadfront.exceptions import PermissionDeniedError


class AuditEntry(models.Model):
    """One write: who did what to which record, and the fields that changed.

    Entries are never updated or deleted (``save`` refuses an update, ``delete`` refuses).
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="The organization the actor acted for.",
    )
    subject_organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organization whose record changed, when it is not the actor's: its "
                  "admins read the entry too.",
    )
    action = models.CharField(max_length=40)
    model = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise PermissionDeniedError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDeniedError("the audit log is append-only")


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the key is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, default="default")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True,
                                      help_text="After this the token is refused; never if empty.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Scope(models.TextChoices):
        READ = "read", "read"
        WRITE = "write", "read and write"

    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.WRITE)

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}...)"
