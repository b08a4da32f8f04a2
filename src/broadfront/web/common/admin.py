from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from broadfront.web.common.admin_base import ScopedAdmin
from broadfront.web.common.models import ApiToken, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    list_display = ("created_at", "actor", "action", "model", "object_id", "summary")
    list_filter = ("action", "model")
    search_fields = ("summary", "object_id")

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        from broadfront.web.common.tenancy import own_org_ids

        return qs.filter(organization_id__in=own_org_ids(request.user))

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

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user=request.user)
