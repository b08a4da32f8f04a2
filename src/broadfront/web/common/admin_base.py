"""The admin, scoped like every page: staff see only rows their organizations may see.

Site operators (superusers) see and change everything. Other staff users get a read-only
admin narrowed through the same ``visible_to`` querysets as the pages and the API; changes go
through the app and its services, which check roles and write the audit log.

Every model registered here is scoped for staff who are not superusers: either its default
manager answers ``visible_to(user)`` (the tenancy of :mod:`broadfront.web.common.tenancy`), or
its admin names a ``scope(user) -> Q`` of its own. A model with neither is hidden from them
(no module, no changelist, no change page): a new model is closed until someone decides who
may read it.

The admin writes the app's audit log too: every save and delete made here appends an
:class:`~broadfront.web.common.models.AuditEntry` with the actor, the organization the actor
acted for, the organization whose record changed (``subject_organization``, so its admins
read it), the object and the changed fields before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from broadfront.web.common.tenancy import feature_model, is_site_operator, own_org_ids

#: Where a record's owning organization is found, tried in this order (a path of foreign
#: keys ending at an Organization). An assessment (stance, relationship) belongs to the
#: organization that recorded it, not to the actor it is about; person-level records belong
#: to the person's owner; a coalition seat to the organization seated.
OWNER_PATHS: tuple[str, ...] = (
    "recorded_by", "organization", "owner", "partner", "lead_organization", "person__owner",
    "decision__organization", "option__decision__organization", "commitment__partner",
    "campaign__lead_organization", "scenario__organization", "event__organization",
)


def owner_organization_id(obj: models.Model) -> int | None:
    """The organization owning the row ``obj`` (None for a public record: divisions, ...)."""
    Organization = feature_model("organizations.Organization")

    if isinstance(obj, Organization):
        return obj.pk
    for path in OWNER_PATHS:
        value: Any = obj
        model: Any = type(obj)
        for part in path.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not field.many_to_one:
                break
            model = field.related_model
            value = getattr(value, part, None) if value is not None else None
        else:
            return getattr(value, "pk", None)
    return None


def subject_organization_id(obj: models.Model) -> int | None:
    """Whose record changed: the row's owner or, for a shared public record, the first
    organization curating it (:func:`broadfront.web.common.permissions.
    subject_organization_ids`); None when nobody owns or curates it."""
    from broadfront.web.common.permissions import subject_organization_ids

    owner = owner_organization_id(obj)
    if owner is not None:
        return owner
    curators = subject_organization_ids(obj)
    return curators[0] if curators else None


def _acting_organization_id(user: Any, subject_id: int | None) -> int | None:
    """The organization the actor acted for: the record's owner when the actor belongs to
    it; for a record nobody owns, the actor's only organization. A site operator changing
    another organization's record acts as the operator, for no organization, so the entry
    (with that organization's values in it) is not shown to the operator's own organization.
    """
    mine = own_org_ids(user)
    if subject_id is not None:
        return subject_id if subject_id in mine else None
    return next(iter(mine)) if len(mine) == 1 else None


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return {f.name: f.value_from_object(obj) for f in obj._meta.concrete_fields}


def record_admin_change(request: HttpRequest, action: str, obj: models.Model,
                        changes: dict[str, Any], *, subject_id: int | None = None) -> Any:
    """Append the audit entry of a change made in the admin (``admin <action>``)."""
    from broadfront.web.common.audit import _plain
    from broadfront.web.common.models import AuditEntry

    user: Any = request.user if getattr(request.user, "is_authenticated", False) else None
    if subject_id is None:
        subject_id = subject_organization_id(obj)
    return AuditEntry.objects.create(
        actor=user,
        organization_id=_acting_organization_id(user, subject_id),
        subject_organization_id=subject_id,
        action=f"admin {action}",
        model=obj._meta.label,
        object_id=str(obj.pk) if obj.pk is not None else "",
        summary=f"{action} in the admin: {obj}"[:300],
        changes=_plain(changes),
    )


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin narrowed for staff who are not superusers, and audited for everyone.

    ``scope``, when set, is ``scope(user) -> Q``: the rows a non-superuser may read. Without
    it the model's ``objects.visible_to(user)`` decides; a model with neither is hidden.
    """

    list_per_page = 50
    scope: ClassVar[Any] = None  # Callable[[user], Q], usually a staticmethod

    # --- reading ------------------------------------------------------------------------------

    def _scope_of(self) -> Callable[[Any], Q] | None:
        scope: Any = None
        for klass in type(self).__mro__:
            if "scope" in klass.__dict__:
                scope = klass.__dict__["scope"]
                break
        if isinstance(scope, staticmethod):
            scope = scope.__func__
        return scope  # type: ignore[no-any-return]

    def is_scoped(self) -> bool:
        """Whether non-superusers may use this admin at all (a scope decides their rows)."""
        return self._scope_of() is not None or hasattr(self.model._default_manager, "visible_to")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        user = request.user
        if is_site_operator(user):
            return qs
        scope = self._scope_of()
        if scope is not None:
            return qs.filter(scope(user)).distinct()
        manager = self.model._default_manager
        if hasattr(manager, "visible_to"):
            return qs.filter(pk__in=manager.visible_to(user).values("pk"))
        return qs.none()

    def _may_view(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return is_site_operator(user) or self.is_scoped()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_view(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_site_operator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_operator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_operator(request.user)

    # --- writing, on the record ---------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                before = type(obj)._base_manager.filter(pk=obj.pk).first()
            super().save_model(request, obj, form, change)
            changed = [f for f in (getattr(form, "changed_data", None) or [])
                       if _concrete(obj, f)]
            changes: dict[str, Any]
            if before is None:
                changes = {f: [None, _value(obj, f)] for f in changed} if changed else {
                    "after": _snapshot(obj)}
            else:
                pairs = {f: [_value(before, f), _value(obj, f)] for f in changed}
                changes = {f: pair for f, pair in pairs.items() if pair[0] != pair[1]}
            # Subject: the owner after the change, or before it when the change moved it.
            subject = subject_organization_id(obj)
            if subject is None and before is not None:
                subject = subject_organization_id(before)
            record_admin_change(request, "update" if change else "create", obj, changes,
                                subject_id=subject)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record_admin_change(request, "delete", obj, {"before": _snapshot(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_admin_change(request, "delete", obj, {"before": _snapshot(obj)})
            super().delete_queryset(request, queryset)


def _concrete(obj: models.Model, name: str) -> bool:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "concrete", False))


def _value(obj: models.Model, name: str) -> Any:
    field: Any = obj._meta.get_field(name)
    return field.value_from_object(obj)


def register_all(models_module: Any, **options: dict[str, Any]) -> None:
    """Register every concrete model of an app's models module with :class:`ScopedAdmin`.

    ``options[ModelName]`` holds the admin's attributes; a ``scope`` there (``user -> Q``)
    narrows a model without a scoped manager for staff who are not superusers.
    """
    from django.apps import apps

    label = models_module.__name__.split(".")[-2]
    for model in apps.get_app_config(label).get_models():
        if admin.site.is_registered(model):
            continue
        attrs = dict(options.get(model.__name__, {}))
        if callable(attrs.get("scope")) and not isinstance(attrs["scope"], staticmethod):
            attrs["scope"] = staticmethod(attrs["scope"])
        admin.site.register(model, type(f"{model.__name__}Admin", (ScopedAdmin,), attrs))
