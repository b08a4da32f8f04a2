"""The admin, scoped like every page: staff see only rows their organizations may see.

Site operators (superusers) see and change everything. Other staff users get a read-only
admin narrowed through the same ``visible_to`` querysets as the pages and the API; changes go
through the app and its services, which check roles and write the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from broadfront.web.common.tenancy import is_site_operator


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin that filters through ``Model.objects.visible_to(user)`` when it exists."""

    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        manager = self.model._default_manager
        if is_site_operator(request.user) or not hasattr(manager, "visible_to"):
            return qs
        return qs.filter(pk__in=manager.visible_to(request.user).values("pk"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_site_operator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_operator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_operator(request.user)


def register_all(models_module: Any, **options: dict[str, Any]) -> None:
    """Register every concrete model of an app's models module with :class:`ScopedAdmin`."""
    from django.apps import apps

    label = models_module.__name__.split(".")[-2]
    for model in apps.get_app_config(label).get_models():
        if admin.site.is_registered(model):
            continue
        attrs = options.get(model.__name__, {})
        admin.site.register(model, type(f"{model.__name__}Admin", (ScopedAdmin,), dict(attrs)))
