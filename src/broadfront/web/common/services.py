"""Shared service helpers: permission checks, validation, API tokens.

Every write in Broadfront goes through a ``do_*`` service function that checks the user's
role, validates, writes in one transaction and appends to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction

from broadfront import clock
from broadfront.exceptions import (
    BroadfrontError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from broadfront.web.common import audit, permissions
from broadfront.web.common.models import ApiToken
from broadfront.web.common.tenancy import (
    ROLE_ORGANIZER,
    feature_model,
    is_site_operator,
    own_org_ids,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from broadfront.web.common.tenancy import UserLike

_M = TypeVar("_M", bound=models.Model)


def require_role(user: UserLike | None, organization_id: int | None,
                 min_role: str = ROLE_ORGANIZER) -> None:
    """Refuse unless ``user`` has at least ``min_role`` in the organization."""
    if is_site_operator(user):
        return
    if organization_id is None or organization_id not in own_org_ids(user, min_role):
        raise PermissionDeniedError(
            f"you need the {min_role} role in this organization to change its records"
        )


def require_coordinator(user: UserLike | None, coalition_id: int | None) -> None:
    """Refuse unless ``user`` coordinates the coalition (or runs the site)."""
    CoalitionCoordinator = feature_model("organizations.CoalitionCoordinator")

    if is_site_operator(user):
        return
    if coalition_id is None or not CoalitionCoordinator.objects.filter(
        user=user, coalition_id=coalition_id
    ).exists():
        raise PermissionDeniedError("only a coordinator of this coalition can do that")


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


def check_password_strength(password: str, user: User | None = None) -> None:
    """Refuse a weak password with Django's validators (``AUTH_PASSWORD_VALIDATORS``).

    At least 12 characters, not too like the username or e-mail, not a common password, not
    only digits.

    Raises
    ------
    ValidationError
        Naming ``password`` and every rule it breaks.
    """
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError("password: " + " ".join(exc.messages),
                              parameter="password") from None


# --- API tokens -------------------------------------------------------------------------------

def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


#: How long a new token lasts unless asked otherwise, and the longest it may last.
TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 3650
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenRefusedError(BroadfrontError):
    """An API token that does not (or no longer) open the API: unknown, expired or revoked."""

    code = "unauthenticated"
    http_status = 401


@transaction.atomic
def do_create_api_token(actor: UserLike, user: User, name: str = "default", *,
                        expires_in_days: int = TOKEN_DAYS_DEFAULT,
                        scope: str = ApiToken.Scope.WRITE) -> str:
    """Create a token for ``user`` and return its key (shown once, never stored).

    Parameters
    ----------
    actor, user : User
        Who creates it (the user, or a site operator) and whom it acts for.
    name : str
        A name to recognise it by.
    expires_in_days : int
        It is refused after this many days, 1 to 3650 (default 90).
    scope : str
        ``read`` (GET only) or ``write`` (every method the user's roles allow).

    Raises
    ------
    ValidationError
        A bad ``expires_in_days`` or ``scope`` (named).
    PermissionDeniedError
        Someone else's token, unless the actor runs the site.
    """
    permissions.require_write(actor, ApiToken(user=user, name=name), permissions.CREATE)
    if isinstance(expires_in_days, bool) or not isinstance(expires_in_days, int) or \
            not 1 <= expires_in_days <= TOKEN_DAYS_MAX:
        raise ValidationError(f"expires_in_days must be a whole number of days from 1 to "
                              f"{TOKEN_DAYS_MAX}, got {expires_in_days!r}",
                              parameter="expires_in_days")
    if scope not in ApiToken.Scope.values:
        raise ValidationError(f"scope must be read or write, got {scope!r}", parameter="scope")
    if not name.strip() or len(name) > 100:
        raise ValidationError("name must be 1 to 100 characters", parameter="name")
    key = "bf_" + secrets.token_urlsafe(30)
    expires_at = clock.now() + dt.timedelta(days=expires_in_days)
    token = ApiToken.objects.create(user=user, name=name, key_hash=_hash(key),
                                    prefix=key[3:11], expires_at=expires_at, scope=scope)
    audit.record(actor, "create", token, summary=f"API token {name} ({scope}) for {user}, "
                 f"expires {expires_at:%Y-%m-%d}",
                 changes={"scope": scope, "expires_at": expires_at.isoformat()})
    return key


@transaction.atomic
def do_revoke_api_token(actor: UserLike, user: User, prefix: str) -> ApiToken:
    """Revoke ``user``'s token whose key starts with ``prefix`` (the 8 characters after bf_).

    Raises
    ------
    NotFoundError
        No live token of the user has that prefix.
    PermissionDeniedError
        Someone else's token, unless the actor runs the site.
    """
    # refused before looking: whether someone else has such a token is not the actor's to learn
    permissions.require_write(actor, ApiToken(user=user), permissions.CHANGE)
    prefix = prefix.removeprefix("bf_")
    token = ApiToken.objects.select_for_update().filter(
        user=user, prefix=prefix, revoked_at__isnull=True).first()
    if token is None:
        raise NotFoundError(f"{user} has no live API token starting bf_{prefix}")
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, "revoke", token, summary=f"API token {token.name} of {user} revoked",
                 changes={"revoked_at": token.revoked_at.isoformat()})
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The live token a key belongs to (its last use recorded), or None for an unknown key.

    Raises
    ------
    TokenRefusedError
        The token expired or was revoked, or its user was deactivated.
    """
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None:
        return None
    now = clock.now()
    if token.revoked_at is not None:
        raise TokenRefusedError(f"this API token (bf_{token.prefix}...) was revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefusedError(f"this API token (bf_{token.prefix}...) expired on "
                                f"{token.expires_at:%Y-%m-%d}; create a new one")
    if not token.user.is_active:
        raise TokenRefusedError("the user of this API token is deactivated")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(key: str, method: str = "GET") -> Any | None:
    """The user a token key lets make a request with ``method``, or None for an unknown key.

    Raises
    ------
    TokenRefusedError
        An expired or revoked token (401).
    PermissionDeniedError
        A read-scope token used to write (any method but GET, HEAD and OPTIONS: 403).
    """
    token = token_for_key(key)
    if token is None:
        return None
    if token.scope == ApiToken.Scope.READ and method.upper() not in SAFE_METHODS:
        raise PermissionDeniedError(
            f"this API token (bf_{token.prefix}...) has the read scope: it cannot {method}; "
            "create a token with --scope write")
    return token.user
