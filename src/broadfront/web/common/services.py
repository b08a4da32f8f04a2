"""Shared service helpers: permission checks, validation, API tokens.

Every write in Broadfront goes through a ``do_*`` service function that checks the user's
role, validates, writes in one transaction and appends to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction

from broadfront import clock
from broadfront.exceptions import ConflictError, PermissionDeniedError, ValidationError
from broadfront.web.common import audit
from broadfront.web.common.models import ApiToken
from broadfront.web.common.tenancy import (
    ROLE_ORGANIZER,
    coalition_ids,
    is_site_operator,
    own_org_ids,
)

_M = TypeVar("_M", bound=models.Model)


def require_role(user: Any, organization_id: int | None, min_role: str = ROLE_ORGANIZER) -> None:
    """Refuse unless ``user`` has at least ``min_role`` in the organization."""
    if is_site_operator(user):
        return
    if organization_id is None or organization_id not in own_org_ids(user, min_role):
        raise PermissionDeniedError(
            f"you need the {min_role} role in this organization to change its records"
        )


def require_coordinator(user: Any, coalition_id: int | None) -> None:
    """Refuse unless ``user`` coordinates the coalition (or runs the site)."""
    from broadfront.web.organizations.models import CoalitionCoordinator

    if is_site_operator(user):
        return
    if coalition_id is None or not CoalitionCoordinator.objects.filter(
        user=user, coalition_id=coalition_id
    ).exists():
        raise PermissionDeniedError("only a coordinator of this coalition can do that")


def user_sits_at(user: Any, coalition_id: int) -> bool:
    return is_site_operator(user) or coalition_id in coalition_ids(user)


def validated_save(obj: _M, *, exclude: list[str] | None = None) -> _M:
    """Run the model's validation, turning Django's errors into one that names the field."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except DjangoValidationError as exc:
        field, messages = _first_error(exc)
        label = obj._meta.verbose_name
        raise ValidationError(
            f"{label} {field}: {' '.join(messages)}" if field else f"{label}: {' '.join(messages)}",
            parameter=field or None,
        ) from exc
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ConflictError(f"{obj._meta.verbose_name} conflicts with a stored record: {exc}") from exc
    return obj


def _first_error(exc: DjangoValidationError) -> tuple[str, list[str]]:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            msgs = [m for e in errors for m in e.messages]
            return ("" if field == "__all__" else field), msgs
    return "", list(exc.messages)


def changes_of(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


# --- API tokens -------------------------------------------------------------------------------

def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def do_create_api_token(actor: Any, user: Any, name: str = "default") -> str:
    """Create a token for ``user`` and return its key (shown once, never stored)."""
    if actor != user and not is_site_operator(actor):
        raise PermissionDeniedError("you can only create tokens for yourself")
    key = "bf_" + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(user=user, name=name, key_hash=_hash(key), prefix=key[3:11])
    audit.record(actor, "create", token, summary=f"API token {name} for {user}")
    return key


def user_for_token(key: str) -> Any | None:
    """The user a token key belongs to, or None."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token.user
