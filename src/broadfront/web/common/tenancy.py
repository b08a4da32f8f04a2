"""Tenancy in one place: which organizations a user acts for, and scoped querysets.

Person-level records (people, memberships, attendance of a person, ballots, squads, recruits)
belong to one organization and are visible only to that organization's users. Coalition
partners (organizations sitting at a coalition table with one of the user's organizations)
see aggregate records: commitments, deliveries, contributions, events, targets, stances.

Every page, API endpoint, admin view and CLI command gets its rows through
``Model.objects.visible_to(user)``; no view filters by hand.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    UserLike = AbstractBaseUser | AnonymousUser

_M = TypeVar("_M", bound=models.Model)

ROLE_VIEWER = "viewer"
ROLE_ORGANIZER = "organizer"
ROLE_ADMIN = "admin"
ROLE_ORDER = {ROLE_VIEWER: 0, ROLE_ORGANIZER: 1, ROLE_ADMIN: 2}


def _cache(user: Any) -> dict[str, Any]:
    cache = getattr(user, "_broadfront_tenancy", None)
    if cache is None:
        cache = {}
        with contextlib.suppress(AttributeError):  # exotic user objects
            user._broadfront_tenancy = cache
    return cache


def own_org_ids(user: Any, min_role: str = ROLE_VIEWER) -> frozenset[int]:
    """Ids of the organizations ``user`` belongs to with at least ``min_role``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    key = f"own:{min_role}"
    if key not in cache:
        from broadfront.web.organizations.models import OrganizationRole

        allowed = [r for r, rank in ROLE_ORDER.items() if rank >= ROLE_ORDER[min_role]]
        cache[key] = frozenset(
            OrganizationRole.objects.filter(user=user, role__in=allowed).values_list(
                "organization_id", flat=True
            )
        )
    return cache[key]  # type: ignore[no-any-return]


def coalition_ids(user: Any) -> frozenset[int]:
    """Coalitions where one of the user's organizations sits, or the user coordinates."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "coalitions" not in cache:
        from broadfront.web.organizations.models import CoalitionCoordinator, CoalitionMembership

        ids = set(
            CoalitionMembership.objects.filter(organization_id__in=own_org_ids(user)).values_list(
                "coalition_id", flat=True
            )
        )
        ids |= set(
            CoalitionCoordinator.objects.filter(user=user).values_list("coalition_id", flat=True)
        )
        cache["coalitions"] = frozenset(ids)
    return cache["coalitions"]  # type: ignore[no-any-return]


def partner_org_ids(user: Any) -> frozenset[int]:
    """The user's organizations and every organization at a table with them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "partners" not in cache:
        from broadfront.web.organizations.models import CoalitionMembership

        ids = set(own_org_ids(user))
        ids |= set(
            CoalitionMembership.objects.filter(coalition_id__in=coalition_ids(user)).values_list(
                "organization_id", flat=True
            )
        )
        cache["partners"] = frozenset(ids)
    return cache["partners"]  # type: ignore[no-any-return]


def forget(user: Any) -> None:
    """Drop the cached memberships of ``user`` (after a role or coalition changes)."""
    if hasattr(user, "_broadfront_tenancy"):
        user._broadfront_tenancy = {}


def is_site_operator(user: Any) -> bool:
    """Superusers run the installation; they see every row (in the admin and the CLI)."""
    return bool(getattr(user, "is_superuser", False))


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that knows how to narrow itself to what a user may see.

    Subclasses define ``scope_filter(user)`` returning a ``Q`` object.
    """

    def scope_filter(self, user: Any) -> models.Q:  # pragma: no cover - abstract
        raise NotImplementedError

    def visible_to(self, user: Any) -> ScopedQuerySet[_M]:
        """Rows ``user`` may read."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if is_site_operator(user):
            return self.all()
        return self.filter(self.scope_filter(user)).distinct()


def scoped_manager(filter_fn: Any) -> Any:
    """Build a manager whose ``visible_to`` applies ``filter_fn(user) -> Q``."""

    class _QS(ScopedQuerySet[Any]):
        def scope_filter(self, user: Any) -> models.Q:
            return filter_fn(user)  # type: ignore[no-any-return]

    return _QS.as_manager()
