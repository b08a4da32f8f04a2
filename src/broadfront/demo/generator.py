"""Load the demo coalition of fictional Riverland into the database, or delete it.

The demo retells the situations of the panel discussion "Building a broad front while
aligning our forces" (Convergence Magazine and The Forge, 2023): a federation of chapters, a
faith-based group building a bloc of 10% of precinct caucus attendees, a hospitality workers'
political group, centrist allies who realign, a defeated incumbent mayor running a write-in,
partners whose commitments are kept, late or broken, a city council with a one-seat
progressive majority, and decisions with trade-offs. Everything is generated from one seed
(numpy's PCG64 through ``numpy.random.default_rng``; O'Neill, "PCG: A Family of Simple Fast
Space-Efficient Statistically Good Algorithms for Random Number Generation", HMC-CS-2014-0905,
2014), so the same seed writes the same rows.

Rows are written with ``bulk_create`` in batches inside one transaction; the load either
lands whole or not at all.

The story is written around one day, :data:`~broadfront.demo.cast.DEMO_AS_OF`; a load moves
every date and time by whole days so that day becomes ``as_of`` (the clock's today unless
given). The move happens where rows go to the database (``Builder.bulk`` and
``Builder.rows`` in :mod:`broadfront.demo.builder`), so no date of the story can escape it,
and the same seed with the same ``as_of`` writes the same rows.

The parts: this module (load, delete, what is loaded); :mod:`~broadfront.demo.builder` (the
writing machinery); :mod:`~broadfront.demo.areas` (one stage per area of the story);
:mod:`~broadfront.demo.cast`, :mod:`~broadfront.demo.names` and :mod:`~broadfront.demo.story`
(the story's literals: who, which names, what happens).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import connection, models, transaction

from broadfront import clock
from broadfront.demo import cast, names, story
from broadfront.demo.areas import build
from broadfront.demo.builder import Builder, ProgressCallback, slug
from broadfront.demo.cast import DEMO_AS_OF, DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from broadfront.demo.scale import resolve_scale
from broadfront.exceptions import ConflictError, ValidationError
from broadfront.web.accountability.models import Attendance, Commitment, Delivery
from broadfront.web.campaigns.models import Recruit, Squad, Target
from broadfront.web.common import audit
from broadfront.web.common.models import AuditEntry
from broadfront.web.landscape.models import Body, Issue, Relationship, Stance, Vote
from broadfront.web.organizations.models import (
    Coalition,
    Division,
    LeadershipStep,
    Membership,
    Organization,
    Person,
)

__all__ = ["DemoSummary", "ProgressCallback", "demo_present", "load_demo"]

AUDIT_ACTION = "load-demo"
#: Insert the four largest tables with ``executemany`` on SQLite and PostgreSQL (the
#: benchmark turns this off to measure plain ``bulk_create`` for comparison).
_FAST_INSERT = True
DEFAULT_BATCH_SIZE = 2000


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`load_demo` wrote.

    Attributes
    ----------
    scale : str
        The resolved scale (``"small"``, ``"medium"``, ``"large"`` or ``"N people"``).
    seed : int
        The seed the content was drawn from.
    organizations, people, precincts : int
        Organizations, people (private and public) and precincts written.
    counts : Mapping[str, int]
        Rows written per model, keyed by model label (``"organizations.Person"``).
    logins : tuple of DemoLogin
        The demo logins (all with password ``DEMO_PASSWORD``).
    replaced : bool
        True when a previous demo was deleted first.
    seconds : float
        Wall time of the load.
    as_of : datetime.date
        The day the story was laid out around (the demo's "today").
    """

    scale: str
    seed: int
    organizations: int
    people: int
    precincts: int
    counts: Mapping[str, int] = field(default_factory=dict)
    logins: tuple[DemoLogin, ...] = DEMO_LOGINS
    replaced: bool = False
    seconds: float = 0.0
    as_of: dt.date = DEMO_AS_OF

    @property
    def password(self) -> str:
        """The password of every demo login."""
        return DEMO_PASSWORD


def demo_present() -> bool:
    """True when the database holds the demo coalition (the state of Riverland or its cast).

    Returns
    -------
    bool
        Whether a demo was loaded and not deleted.
    """
    core_slugs = [slug(spec.name) for spec in cast.CORE_ORGS]
    return (
        Division.objects.filter(ocd_id=names.STATE_OCD_ID).exists()
        or Organization.objects.filter(slug__in=core_slugs).exists()
        or Coalition.objects.filter(slug=cast.COALITION_SLUG).exists()
    )


def load_demo(
    scale: str | int = "small",
    seed: int = 0,
    progress: ProgressCallback | None = None,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    as_of: dt.date | None = None,
) -> DemoSummary:
    """Write the demo coalition of fictional Riverland, deterministically from ``seed``.

    The content: the state of Riverland with counties, districts and precincts (Open Civic
    Data ids, party vote, expected caucus attendance about 1% of the party vote); the Riverland
    Federation with chapters, Faith in Riverland, Hospitality Workers Power and other partners
    at the Riverland Forward table; centrist allies and opponents; Faith's caucus-bloc
    campaign with a target of ``ceil(0.10 x expected attendance)`` in every precinct, squads
    and recruits; the Riverton City Council (9 seats, 5 progressives) with 40 recorded
    motions; the state party convention (60% to endorse); the mayoral race with the defeated
    incumbent as a write-in; commitments and deliveries of varied reliability; events with
    RSVPs and attendance; contributions; stances that move; a power map; decisions with
    trade-offs, ballots and a review; leaders on the ladder; two scenarios; demo logins.

    Parameters
    ----------
    scale : str or int, default "small"
        ``"small"`` (12 organizations, 60 precincts, 1,500 people), ``"medium"`` (20, 800,
        30,000), ``"large"`` (52, 4,000, 200,000) or a number of people.
    seed : int, default 0
        Seed of the random content; the same seed writes the same rows.
    progress : callable, optional
        Called as ``progress(stage, done, total)`` as the load proceeds.
    replace : bool, default False
        Delete a demo already in the database first; otherwise refuse.
    batch_size : int, default 2000
        Rows per ``bulk_create`` batch.
    as_of : datetime.date, optional
        The day the story is laid out around: upcoming events, open decisions and commitments
        falling due are all relative to it. Defaults to today on the one clock
        (:func:`broadfront.clock.today`); between 1 Jan 2000 and 31 Dec 2100.

    Returns
    -------
    DemoSummary
        Counts per model and the demo logins.

    Raises
    ------
    ValidationError
        If ``scale``, ``seed``, ``batch_size`` or ``as_of`` is not usable.
    ConflictError
        If the database already holds a demo and ``replace`` is false, or a demo login name
        belongs to a user who is not part of the demo.

    References
    ----------
    Convergence Magazine and The Forge, "Building a Broad Front While Aligning Our Forces",
    panel with M. Mitchell, S. Diaminah, A. Horwart and B. Walsh, 2023.

    Examples
    --------
    >>> from broadfront.demo.scale import resolve_scale
    >>> resolve_scale("large").people
    200000
    """
    size = resolve_scale(scale)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValidationError(f"seed must be a non-negative integer, got {seed!r}",
                              parameter="seed")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValidationError(f"batch_size must be a positive integer, got {batch_size!r}",
                              parameter="batch_size")
    as_of = _check_as_of(as_of)
    started = time.perf_counter()
    with transaction.atomic():
        replaced = False
        if demo_present():
            if not replace:
                raise ConflictError(
                    "the database already holds the demo coalition (the state of Riverland); "
                    "pass replace=True (--replace) to delete it and load it again",
                    code="demo_exists",
                )
            delete_demo()
            replaced = True
        _check_usernames()
        builder = Builder(size, int(seed), progress, batch_size, as_of - DEMO_AS_OF,
                          fast=_FAST_INSERT)
        build(builder)
        audit.record(
            None,
            AUDIT_ACTION,
            model="demo",
            summary=f"Loaded the demo coalition (scale {size.name}, seed {seed}, "
                    f"as of {as_of.isoformat()})",
            changes=builder.manifest(),
        )
        from broadfront.web.accountability.summary import refresh_attendance_summary
        refresh_attendance_summary()  # bulk-loaded RSVPs counted for the show-up pages
    counts = dict(builder.counts)
    return DemoSummary(
        scale=size.name,
        seed=int(seed),
        organizations=counts.get("organizations.Organization", 0),
        people=counts.get("organizations.Person", 0),
        precincts=size.precincts,
        counts=counts,
        logins=DEMO_LOGINS,
        replaced=replaced,
        seconds=round(time.perf_counter() - started, 3),
        as_of=as_of,
    )


#: The days a demo may be laid out around.
AS_OF_RANGE = (dt.date(2000, 1, 1), dt.date(2100, 12, 31))


def _check_as_of(as_of: Any) -> dt.date:
    if as_of is None:
        return clock.today()
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise ValidationError(f"as_of must be a date, got {as_of!r}", parameter="as_of")
    low, high = AS_OF_RANGE
    if not low <= as_of <= high:
        raise ValidationError(f"as_of must be between {low.isoformat()} and {high.isoformat()}, "
                              f"got {as_of.isoformat()}", parameter="as_of")
    return as_of


def loaded_as_of() -> dt.date | None:
    """The day the demo in the database was laid out around, or None (no demo, or one loaded
    before demos had an as-of day, which were laid out around :data:`DEMO_AS_OF`)."""
    if not demo_present():
        return None
    entry = AuditEntry.objects.filter(action=AUDIT_ACTION).order_by("-id").first()
    changes = entry.changes if entry is not None and isinstance(entry.changes, dict) else {}
    try:
        return dt.date.fromisoformat(str(changes.get("as_of", DEMO_AS_OF.isoformat())))
    except ValueError:
        return None


def delete_demo() -> None:
    """Delete the demo coalition (the rows a previous :func:`load_demo` wrote).

    The ids come from the manifest of the latest ``load-demo`` audit entry, completed by the
    demo's natural keys (the state of Riverland, the core organizations' slugs). Audit entries
    stay: the log is append-only.
    """
    manifest: dict[str, Any] = {}
    entry = AuditEntry.objects.filter(action=AUDIT_ACTION).order_by("-id").first()
    if entry is not None and isinstance(entry.changes, dict):
        manifest = entry.changes
    org_ids = set(manifest.get("organizations", []))
    org_ids |= set(
        Organization.objects.filter(
            slug__in=[slug(spec.name) for spec in cast.CORE_ORGS]
        ).values_list("id", flat=True)
    )
    public_ids = set(manifest.get("public_people", []))
    body_ids = set(manifest.get("bodies", []))
    body_ids |= set(
        Body.objects.filter(slug__in=[story.COUNCIL_SLUG, story.CONVENTION_SLUG]).values_list(
            "id", flat=True
        )
    )
    orgs = list(org_ids)
    Attendance.objects.filter(event__organization_id__in=orgs).delete()
    Attendance.objects.filter(person__owner_id__in=orgs).delete()
    Recruit.objects.filter(organization_id__in=orgs).delete()
    Squad.objects.filter(organization_id__in=orgs).delete()
    Target.objects.filter(campaign__lead_organization_id__in=orgs).delete()
    LeadershipStep.objects.filter(organization_id__in=orgs).delete()
    Membership.objects.filter(organization_id__in=orgs).delete()
    Vote.objects.filter(motion__body_id__in=list(body_ids)).delete()
    Delivery.objects.filter(commitment__partner_id__in=orgs).delete()
    Commitment.objects.filter(partner_id__in=orgs).delete()
    Stance.objects.filter(recorded_by_id__in=orgs).delete()
    Relationship.objects.filter(recorded_by_id__in=orgs).delete()
    _delete_people(orgs)
    Person.objects.filter(id__in=list(public_ids), owner__isnull=True).delete()
    Organization.objects.filter(id__in=orgs).delete()
    Body.objects.filter(id__in=list(body_ids)).delete()
    Issue.objects.filter(
        id__in=list(manifest.get("issues", []))
    ).delete()
    Issue.objects.filter(slug__in=[slug for slug, _, _ in names.ISSUES]).delete()
    Coalition.objects.filter(
        slug__in=[cast.COALITION_SLUG, cast.BROAD_FRONT_SLUG]
    ).delete()
    Division.objects.filter(ocd_id__startswith=names.STATE_OCD_ID).delete()
    User.objects.filter(id__in=list(manifest.get("users", []))).delete()


def _delete_people(org_ids: list[int]) -> None:
    """Delete the people of ``org_ids`` without loading them one by one.

    Django's delete collector fetches every person and every related row in batches, which
    takes most of a minute for 200,000 people. Here each relation pointing at Person is
    handled with one query (cascade: delete; set null: update) and the people go in one
    DELETE. A relation that protects people makes that DELETE fail loudly (and the whole
    load rolls back) rather than leave a dangling reference.
    """
    if not org_ids:
        return
    for rel in Person._meta.related_objects:
        model = rel.related_model
        if rel.many_to_many or isinstance(model, str) or model is Person:
            continue
        related = model._base_manager.filter(
            **{f"{rel.field.name}__owner_id__in": org_ids}
        )
        if rel.on_delete is models.CASCADE:
            related.delete()
        elif rel.on_delete is models.SET_NULL:
            related.update(**{rel.field.name: None})
    qn = connection.ops.quote_name
    owner_column = Person._meta.get_field("owner").column
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {qn(Person._meta.db_table)} WHERE {qn(owner_column)} IN "
            f"({', '.join(['%s'] * len(org_ids))})",
            list(org_ids),
        )


def _check_usernames() -> None:
    wanted = [login.username for login in DEMO_LOGINS] + story.ballot_usernames()
    taken = sorted(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    if taken:
        raise ConflictError(
            f"user {taken[0]!r} already exists and is not part of the demo; the demo needs "
            f"the usernames {', '.join(login.username for login in DEMO_LOGINS)}",
            code="demo_user_exists",
        )
