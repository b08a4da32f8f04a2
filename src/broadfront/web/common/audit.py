"""Write audit entries; services call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from broadfront.web.common.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    organization: Any = None,
    changes: dict[str, Any] | None = None,
    summary: str = "",
    model: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit log."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    org_id = getattr(organization, "pk", organization)
    if org_id is None and obj is not None:
        org_id = getattr(obj, "organization_id", None) or getattr(obj, "owner_id", None)
    return AuditEntry.objects.create(
        actor=user,
        organization_id=org_id,
        action=action,
        model=model or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        summary=(summary or (str(obj) if obj is not None else ""))[:300],
        changes=_plain(changes or {}),
    )
