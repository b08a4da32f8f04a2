"""The audit log, API tokens and two-step sign-in devices in the admin (read-only for everyone
but site operators; devices for site operators only)."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as _OtpTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from broadfront.web.common.admin_base import ScopedAdmin, record_admin_change
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


# --- Two-step sign-in: authenticators are for site operators only -----------------------------
# django-otp registers its own TOTPDevice admin (a plain ModelAdmin, open to any staff user with
# the model's permissions). Re-registered on ScopedAdmin without a scope: hidden from staff who
# are not superusers, and every change or deletion (a reset) is audited. With
# OTP_ADMIN_HIDE_SENSITIVE_DATA the secret and its QR code are never shown.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


def _device_fields(device: Any) -> dict[str, Any]:
    """A device's fields for the audit log, without its secret."""
    return {f.name: f.value_from_object(device) for f in device._meta.concrete_fields
            if f.name != "key"}


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ScopedAdmin, _OtpTOTPDeviceAdmin):
    """Authenticator apps of two-step sign-in: superusers only (delete one to reset it).

    Audited like every admin change, with the secret left out of the entry.
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                before = TOTPDevice.objects.filter(pk=obj.pk).first()
            super(ScopedAdmin, self).save_model(request, obj, form, change)
            after = _device_fields(obj)
            changes: dict[str, Any] = {"after": after}
            if before is not None:
                was = _device_fields(before)
                changes = {k: [was[k], v] for k, v in after.items() if was.get(k) != v}
                if before.key != obj.key:
                    changes["key"] = "changed"
            record_admin_change(request, "update" if change else "create", obj, changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record_admin_change(request, "delete", obj, {"before": _device_fields(obj)})
            super(ScopedAdmin, self).delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_admin_change(request, "delete", obj, {"before": _device_fields(obj)})
            super(ScopedAdmin, self).delete_queryset(request, queryset)
