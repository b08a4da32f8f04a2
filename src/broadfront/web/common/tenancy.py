"""Tenancy in one place: which organizations a user acts for, and scoped querysets.

Person-level records (people, memberships, attendance of a person, ballots, squads, recruits)
belong to one organization and are visible only to that organization's users. Coalition
partners (organizations sitting at a coalition table with one of the user's organizations)
see aggregate records: commitments, deliveries, contributions, events, targets, stances.

Every page, API endpoint, admin view and CLI command gets its rows through
``Model.objects.visible_to(user)``; no view filters by hand.

This module is on the floor of the web layer: it imports no feature app. The three tables it
reads (a user's roles in organizations, an organization's seats at coalition tables, a
coalition's coordinators) are ``organizations`` models, looked up by label in Django's app
registry when a user's organizations are first asked for (:func:`_table`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    UserLike = AbstractBaseUser | AnonymousUser

_M = TypeVar("_M", bound=models.Model)

ROLE_VIEWER = "viewer"
ROLE_ORGANIZER = "organizer"
ROLE_ADMIN = "admin"
ROLE_ORDER = {ROLE_VIEWER: 0, ROLE_ORGANIZER: 1, ROLE_ADMIN: 2}


def feature_model(label: str) -> Any:
    """The model ``label`` ("organizations.Curation") of a feature app, from Django's app
    registry: how the floor reads a feature app's table without importing the feature app."""
    return apps.get_model(label)


def _table(name: str) -> Any:
    """The manager of the ``organizations`` model ``name`` (roles, coalition seats,
    coordinators)."""
    return feature_model(f"organizations.{name}")._default_manager


def _cache(user: Any) -> dict[str, Any]:  # Any: exotic user objects too
    cache = getattr(user, "_broadfront_tenancy", None)
    if cache is None:
        cache = {}
        with contextlib.suppress(AttributeError):  # exotic user objects
            user._broadfront_tenancy = cache
    return cache


def own_org_ids(user: UserLike | None, min_role: str = ROLE_VIEWER) -> frozenset[int]:
    """Ids of the organizations ``user`` belongs to with at least ``min_role``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    key = f"own:{min_role}"
    if key not in cache:
        allowed = [r for r, rank in ROLE_ORDER.items() if rank >= ROLE_ORDER[min_role]]
        cache[key] = frozenset(
            _table("OrganizationRole").filter(user=user, role__in=allowed).values_list(
                "organization_id", flat=True
            )
        )
    return cache[key]  # type: ignore[no-any-return]


def coalition_ids(user: UserLike | None) -> frozenset[int]:
    """Coalitions where one of the user's organizations sits, or the user coordinates."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "coalitions" not in cache:
        ids = set(
            _table("CoalitionMembership").filter(organization_id__in=own_org_ids(user)).values_list(
                "coalition_id", flat=True
            )
        )
        ids |= set(
            _table("CoalitionCoordinator").filter(user=user).values_list("coalition_id", flat=True)
        )
        cache["coalitions"] = frozenset(ids)
    return cache["coalitions"]  # type: ignore[no-any-return]


def partner_org_ids(user: UserLike | None) -> frozenset[int]:
    """The user's organizations and every organization at a table with them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "partners" not in cache:
        ids = set(own_org_ids(user))
        ids |= set(
            _table("CoalitionMembership").filter(coalition_id__in=coalition_ids(user)).values_list(
                "organization_id", flat=True
            )
        )
        cache["partners"] = frozenset(ids)
    return cache["partners"]  # type: ignore[no-any-return]


def forget(user: UserLike) -> None:
    """Drop the cached memberships of ``user`` (after a role or coalition changes)."""
    if hasattr(user, "_broadfront_tenancy"):
        _cache(user).clear()


def is_site_operator(user: UserLike | None) -> bool:
    """Superusers run the installation; they see every row (in the admin and the CLI)."""
    return bool(getattr(user, "is_superuser", False))


class ScopedManager(models.Manager[_M]):
    """The default manager of a scoped model: ``Model.objects.visible_to(user)``.

    ``scope(user)`` returns the ``Q`` object narrowing the rows to what ``user`` may read.
    """

    def __init__(self, scope: Callable[[Any], models.Q] | None = None) -> None:
        super().__init__()
        self._scope = scope

    def contribute_to_class(self, cls: Any, name: str) -> None:
        super().contribute_to_class(cls, name)
        if self._scope is not None:
            # Related managers are subclasses built without arguments: they find it here.
            cls._visibility_scope = self._scope

    def visible_to(self, user: UserLike | None) -> models.QuerySet[_M]:
        """Rows ``user`` may read (none for anonymous users, all for site operators)."""
        qs = self.get_queryset()
        if user is None or not getattr(user, "is_authenticated", False):
            return qs.none()
        if is_site_operator(user):
            return qs
        scope: Callable[[Any], models.Q] = getattr(self.model, "_visibility_scope")  # noqa: B009
        return qs.filter(scope(user)).distinct()


def scoped_manager(scope: Callable[[Any], models.Q]) -> Any:
    """A :class:`ScopedManager` applying ``scope(user) -> Q``."""
    return ScopedManager(scope)


def _public(user: UserLike | None) -> models.Q:
    return models.Q()


def public_manager() -> Any:
    """The manager of a public record: every signed-in user sees every row.

    Public records (organizations, coalitions, divisions, issues, bodies, seats, motions,
    recorded votes) still answer ``visible_to(user)``, so every page starts from it and an
    anonymous visitor sees nothing.
    """
    return ScopedManager(_public)
