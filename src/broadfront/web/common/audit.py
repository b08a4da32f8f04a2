"""Write audit entries; services call :func:`record` inside their transaction.

An entry names the organization the actor acted for (``organization``) and, when the record
changed is another organization's or a shared record someone curates, the organization whose
record it is (``subject_organization``): that organization's admins read the entry too
(:func:`entries_for_admins`, the page ``/power/audit/<slug>/``).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q, QuerySet

from broadfront.web.common.models import AuditEntry

if TYPE_CHECKING:
    from broadfront.web.common.tenancy import UserLike


def plain(value: Any) -> Any:
    """``value`` as JSON: records by primary key, dates as ISO text, decimals as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def record(
    actor: UserLike | None,
    action: str,
    obj: models.Model | None = None,
    *,
    organization: Any = None,
    changes: dict[str, Any] | None = None,
    summary: str = "",
    model: str | None = None,
    subject_organization: Any = None,
) -> AuditEntry:
    """Append one entry to the audit log.

    ``subject_organization`` (an organization or its id) names whose record changed when it
    is not the actor's organization; its admins read the entry. Left out, it stays empty.
    """
    user_id = actor.pk if actor is not None and actor.is_authenticated else None
    org_id = getattr(organization, "pk", organization)
    if org_id is None and obj is not None:
        org_id = getattr(obj, "organization_id", None) or getattr(obj, "owner_id", None)
    return AuditEntry.objects.create(
        actor_id=user_id,
        organization_id=org_id,
        subject_organization_id=getattr(subject_organization, "pk", subject_organization),
        action=action,
        model=model or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        summary=(summary or (str(obj) if obj is not None else ""))[:300],
        changes=plain(changes or {}),
    )


def entries_for_admins(user: UserLike | None, organization: Any) -> QuerySet[AuditEntry]:
    """The audit entries an admin of ``organization`` reads: what its users did, and what
    anyone did to its records (``subject_organization``), newest first.

    Raises
    ------
    PermissionDeniedError
        ``user`` is neither an admin of ``organization`` nor a site operator.
    """
    from broadfront.exceptions import PermissionDeniedError
    from broadfront.web.common.tenancy import ROLE_ADMIN, is_site_operator, own_org_ids

    if not is_site_operator(user) and organization.pk not in own_org_ids(user, ROLE_ADMIN):
        raise PermissionDeniedError(
            f"only the admins of {organization.name} may read its audit log")
    return (AuditEntry.objects.filter(Q(organization=organization)
                                      | Q(subject_organization=organization))
            .select_related("actor", "organization", "subject_organization")
            .order_by("-created_at", "-id"))


_plain = plain  # the old private name, still imported elsewhere
