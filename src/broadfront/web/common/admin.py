"""The audit log and API tokens in the admin (read-only for everyone but site operators)."""

from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest

from broadfront.web.common.admin_base import ScopedAdmin
from broadfront.web.common.models import ApiToken, AuditEntry
from broadfront.web.common.tenancy import ROLE_ADMIN, own_org_ids


def _audit_scope(user: Any) -> Q:
    """Entries written for the user's organizations, and those about their records (for an
    organization's admins)."""
    return Q(organization_id__in=own_org_ids(user)) | Q(
        subject_organization_id__in=own_org_ids(user, ROLE_ADMIN))


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    list_display = ("created_at", "actor", "action", "model", "object_id", "summary")
    list_filter = ("action", "model")
    search_fields = ("summary", "object_id")
    scope = staticmethod(_audit_scope)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at")
    exclude = ("key_hash",)
    scope = staticmethod(lambda user: Q(user_id=user.pk))
