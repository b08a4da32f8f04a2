"""Load the demo coalition of fictional Riverland into the database.

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
given). The move happens where rows go to the database (``_Builder._bulk`` and
``_Builder._rows``), so no date of the story can escape it, and the same seed with the same
``as_of`` writes the same rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connection, models, transaction

from broadfront import clock
from broadfront.demo import cast, names
from broadfront.demo.cast import DEMO_AS_OF, DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from broadfront.demo.scale import DemoSize, resolve_scale
from broadfront.exceptions import ConflictError, ValidationError
from broadfront.web.accountability.models import (
    Attendance,
    Commitment,
    Contribution,
    Delivery,
    Event,
    Unit,
)
from broadfront.web.campaigns.models import Campaign, Candidate, Recruit, Squad, Target
from broadfront.web.common import audit
from broadfront.web.common.models import AuditEntry
from broadfront.web.decisions.models import Ballot, Decision, Impact, Option, Review
from broadfront.web.landscape.models import (
    Body,
    Issue,
    Motion,
    Relationship,
    Seat,
    Stance,
    Vote,
    VotingRule,
)
from broadfront.web.organizations.models import (
    Coalition,
    CoalitionCoordinator,
    CoalitionMembership,
    Division,
    LadderStage,
    LeadershipStep,
    Membership,
    Organization,
    OrganizationRole,
    Person,
)
from broadfront.web.scenarios.models import Scenario

__all__ = ["DemoSummary", "ProgressCallback", "demo_present", "load_demo"]

ProgressCallback = Callable[[str, int, int], None]
_M = TypeVar("_M", bound=models.Model)

AUDIT_ACTION = "load-demo"
#: Insert the four largest tables with ``executemany`` on SQLite and PostgreSQL (the
#: benchmark turns this off to measure plain ``bulk_create`` for comparison).
_FAST_INSERT = True
DEFAULT_BATCH_SIZE = 2000
_STAGES = (
    "divisions", "organizations", "users", "people", "campaigns", "ladder", "events",
    "commitments", "landscape", "bodies", "decisions", "scenarios", "gatherings",
)
_LADDER = [stage.value for stage in LadderStage]
_SQUAD_LEADER = _LADDER.index(LadderStage.SQUAD_LEADER.value)
_CHAPTER_LEADER = _LADDER.index(LadderStage.CHAPTER_LEADER.value)
_EPOCH = dt.date(2018, 1, 1)
#: The issues on which the drifting centrist (``cast.DRIFTER``) moves away from us.
_DRIFT_ISSUES = ("living-wage", "tenant-protections", "police-budget", "public-transit")


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
    core_slugs = [_slug(spec.name) for spec in cast.CORE_ORGS]
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
        builder = _Builder(size, int(seed), progress, batch_size, as_of - DEMO_AS_OF)
        builder.build()
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
            slug__in=[_slug(spec.name) for spec in cast.CORE_ORGS]
        ).values_list("id", flat=True)
    )
    public_ids = set(manifest.get("public_people", []))
    body_ids = set(manifest.get("bodies", []))
    body_ids |= set(
        Body.objects.filter(slug__in=[_COUNCIL_SLUG, _CONVENTION_SLUG]).values_list(
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
    wanted = [login.username for login in DEMO_LOGINS] + _ballot_usernames()
    taken = sorted(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    if taken:
        raise ConflictError(
            f"user {taken[0]!r} already exists and is not part of the demo; the demo needs "
            f"the usernames {', '.join(login.username for login in DEMO_LOGINS)}",
            code="demo_user_exists",
        )


def _ballot_usernames() -> list[str]:
    return [f"{key}-member-{i:02d}" for key, n in cast.BALLOT_MEMBERS.items()
            for i in range(1, n + 1)]


def _slug(name: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:100]


@functools.lru_cache(maxsize=1)
def _password_hash() -> str:
    # One PBKDF2 hash with a fixed salt: every demo login shares the password, and the same
    # seed writes the same row (a random salt would not).
    return make_password(DEMO_PASSWORD, salt="broadfrontdemo")


_COUNCIL_SLUG = "riverton-city-council"
_CONVENTION_SLUG = "riverland-democratic-state-convention"


def _at(day: dt.date, hour: int = 18) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def _gl(gained: float, lost: float) -> dict[str, float]:
    """One constituency's line of a decision review: what it gained and what it lost."""
    return {"gained": float(gained), "lost": float(lost)}


def _day(offset: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(offset))


_T = TypeVar("_T")


def _batched(items: Iterable[_T], size: int) -> Iterable[list[_T]]:
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _postal_code(county: int, precinct: int) -> str:
    """The fictional ZIP code of precinct number ``precinct`` (from 1) of county ``county``.

    Riverland's codes are five digits: ``580`` plus the county's index (its first three,
    as a US ZIP's sectional center), then two digits shared by three neighbouring precincts
    (wrapping after 300). No randomness, so the demo's random streams are untouched.

    >>> _postal_code(0, 1), _postal_code(0, 4), _postal_code(2, 301)
    ('58000', '58001', '58200')
    """
    return f"{580 + county:03d}{((precinct - 1) // 3) % 100:02d}"


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


@dataclass
class _Org:
    key: str
    name: str
    kind: str
    spectrum: int
    show_up: float
    reliability: str
    table: str | None
    home: str
    pk: int = 0
    people: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


class _Builder:
    """Writes one demo; holds the random streams and the ids it needs later."""

    def __init__(self, size: DemoSize, seed: int, progress: ProgressCallback | None,
                 batch_size: int, shift: dt.timedelta = dt.timedelta(0)) -> None:
        self.size = size
        #: How far every date of the story moves on its way to the database.
        self.shift = shift
        self.seed = seed
        self.progress = progress
        self.batch = batch_size
        self.fast = _FAST_INSERT and connection.vendor in ("sqlite", "postgresql")
        streams = np.random.SeedSequence(seed).spawn(len(_STAGES))
        self.rng = {stage: np.random.default_rng(s) for stage, s in zip(_STAGES, streams,
                                                                          strict=True)}
        self.counts: dict[str, int] = {}
        self.orgs: list[_Org] = []
        self.org_by_key: dict[str, _Org] = {}
        self.users: dict[str, User] = {}
        self.public: dict[str, Person] = {}
        self.issues: dict[str, Issue] = {}
        self.bodies: list[Body] = []
        self.coalitions: dict[str, Coalition] = {}
        self.campaigns: dict[str, Campaign] = {}

    # ------------------------------------------------------------------ plumbing

    def _tick(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def _dated_fields(self, model: type[models.Model]) -> list[str]:
        return [f.attname for f in model._meta.concrete_fields
                if isinstance(f, models.DateField)]  # DateTimeField is a DateField

    def _bulk(self, objs: Sequence[_M]) -> list[_M]:
        if not objs:
            return []
        model = type(objs[0])
        # Move the story's dates to the as-of day for the database, then put them back: the
        # builder keeps reasoning on the story's own calendar with the objects it made.
        moved: list[tuple[_M, str, Any]] = []
        if self.shift:
            for name in self._dated_fields(model):
                for obj in objs:
                    value = getattr(obj, name)
                    if value is not None:
                        moved.append((obj, name, value))
                        setattr(obj, name, value + self.shift)
        created = model.objects.bulk_create(objs, batch_size=self.batch)  # type: ignore[attr-defined]
        for obj, name, value in moved:
            setattr(obj, name, value)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(created)
        return list(created)

    def _bulk_stream(self, stage: str, chunks: Iterable[list[_M]], total: int) -> None:
        done = 0
        for chunk in chunks:
            self._bulk(chunk)
            done += len(chunk)
            self._tick(stage, done, total)

    def _rows(self, stage: str, model: type[models.Model], columns: Sequence[str],
              rows: Iterable[tuple[Any, ...]], total: int) -> None:
        """Insert plain rows (values in ``columns`` order, by attribute name) in batches.

        On SQLite and PostgreSQL the rows go straight to ``cursor.executemany``: building a
        model instance and compiling SQL per row costs ten times the insert itself, which
        matters at 200,000 people. Elsewhere they go through ``bulk_create``.
        """
        fields = [model._meta.get_field(c.removesuffix("_id")) if c != "id"
                  else model._meta.pk for c in columns]
        label = model._meta.label
        done = 0
        if not self.fast:
            def objects(chunk: list[tuple[Any, ...]]) -> list[models.Model]:
                return [model(**dict(zip(columns, row, strict=True))) for row in chunk]

            for chunk in _batched(rows, self.batch):
                self._bulk(objects(chunk))
                done += len(chunk)
                self._tick(stage, done, total)
            return
        ops = connection.ops
        converters: list[Callable[[Any], Any] | None] = []
        shift = self.shift

        def moved(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
            return (lambda value: adapt(value + shift)) if shift else adapt

        for f in fields:
            if isinstance(f, models.DateTimeField):
                converters.append(moved(ops.adapt_datetimefield_value))
            elif isinstance(f, models.DateField):
                converters.append(moved(ops.adapt_datefield_value))
            elif isinstance(f, models.JSONField):
                converters.append(functools.partial(f.get_db_prep_save, connection=connection))
            else:
                converters.append(None)
        convert = [(i, c) for i, c in enumerate(converters) if c is not None]
        qn = ops.quote_name
        head = (f"INSERT INTO {qn(model._meta.db_table)} "
                f"({', '.join(qn(str(getattr(f, 'column', ''))) for f in fields)}) VALUES ")
        one = f"({', '.join(['%s'] * len(fields))})"
        # SQLite: executemany of a one-row statement. PostgreSQL: COPY ... FROM STDIN (with
        # psycopg's client-side binding, executemany costs a round trip per row).
        copy = connection.vendor == "postgresql"
        columns_sql = ", ".join(qn(str(getattr(f, "column", ""))) for f in fields)
        copy_sql = f"COPY {qn(model._meta.db_table)} ({columns_sql}) FROM STDIN"
        with connection.cursor() as cursor:
            for chunk in _batched(rows, self.batch):
                out: list[Sequence[Any]] = list(chunk)
                if convert:
                    for k, row in enumerate(chunk):
                        values = list(row)
                        for i, c in convert:
                            if values[i] is not None:
                                values[i] = c(values[i])
                        out[k] = values
                if copy:
                    with cursor.cursor.copy(copy_sql) as pipe:
                        for line in out:
                            pipe.write_row(line)
                else:
                    cursor.executemany(head + one, out)
                done += len(chunk)
                self.counts[label] = self.counts.get(label, 0) + len(chunk)
                self._tick(stage, done, total)

    def _first_free_id(self, model: type[models.Model]) -> int:
        """The first id above every id in use (and above SQLite's AUTOINCREMENT counter)."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            pk_column = str(getattr(model._meta.pk, "column", "id"))
            cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk_column)}) "
                           f"FROM {connection.ops.quote_name(table)}")
            highest = int(cursor.fetchone()[0] or 0)
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                if row is not None:
                    highest = max(highest, int(row[0]))
        return highest + 1

    def _reset_sequence(self, model: type[models.Model]) -> None:
        """After inserting explicit ids, move the id sequence past them (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), [model])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def manifest(self) -> dict[str, Any]:
        """The ids a later :func:`delete_demo` needs."""
        return {
            "scale": self.size.name,
            "seed": self.seed,
            "as_of": (DEMO_AS_OF + self.shift).isoformat(),
            "organizations": [o.pk for o in self.orgs],
            "public_people": [p.pk for p in self.public.values()],
            "bodies": [b.pk for b in self.bodies],
            "issues": [i.pk for i in self.issues.values()],
            "coalitions": [c.pk for c in self.coalitions.values()],
            "users": [u.pk for u in self.users.values()],
            "counts": dict(self.counts),
        }

    def build(self) -> None:
        self.divisions()
        self.organizations()
        self.make_users()
        self.people()
        self.campaigns_and_blocs()
        self.ladder()
        self.events()
        self.gatherings()
        self.commitments()
        self.landscape()
        self.bodies_and_votes()
        self.decisions()
        self.scenarios()

    # ------------------------------------------------------------------ divisions

    def divisions(self) -> None:
        rng = self.rng["divisions"]
        size = self.size
        state_ocd = names.STATE_OCD_ID
        per_county = _split(size.precincts, size.counties)
        counties: list[tuple[str, list[list[tuple[int, int]]]]] = []
        for ci, n_prec in enumerate(per_county):
            code = names.COUNTIES[ci]
            per_district = _split(n_prec, size.districts_per_county)
            districts = []
            for nd in per_district:
                votes = np.clip(rng.lognormal(math.log(900), 0.5, nd), 150, 8000).astype(int)
                factor = rng.uniform(0.7, 1.4, nd)
                att = np.maximum(3, np.round(votes * 0.01 * factor)).astype(int)
                districts.append(list(zip(votes.tolist(), att.tolist(), strict=True)))
            counties.append((code, districts))
        total_votes = sum(v for _, ds in counties for d in ds for v, _ in d)
        total_att = sum(a for _, ds in counties for d in ds for _, a in d)
        state = Division(ocd_id=state_ocd, name=f"State of {names.STATE_NAME}", level="state",
                         party_vote=total_votes, expected_attendance=total_att)
        self._bulk([state])
        self.state = state
        county_objs = [
            Division(
                ocd_id=f"{state_ocd}/county:{code}", name=f"{code.title()} County",
                level="county", parent=state,
                party_vote=sum(v for d in ds for v, _ in d),
                expected_attendance=sum(a for d in ds for _, a in d),
            )
            for code, ds in counties
        ]
        self._bulk(county_objs)
        self.counties = county_objs
        ash = county_objs[0]
        city_votes = int(round(ash.party_vote * 0.6))
        self.city = Division(ocd_id=names.CITY_OCD_ID, name=f"City of {names.CITY_NAME}",
                             level="city", parent=ash, party_vote=city_votes,
                             expected_attendance=int(round(ash.expected_attendance * 0.6)))
        self._bulk([self.city])
        district_objs = []
        for (code, ds), county in zip(counties, county_objs, strict=True):
            for di, d in enumerate(ds, start=1):
                district_objs.append(Division(
                    ocd_id=f"{state_ocd}/county:{code}/district:{di}",
                    name=f"{code.title()} County District {di}", level="district",
                    parent=county, party_vote=sum(v for v, _ in d),
                    expected_attendance=sum(a for _, a in d),
                ))
        self._bulk(district_objs)
        precincts: list[Division] = []
        county_of: list[int] = []
        postal: list[str] = []
        k = 0
        for ci, (code, ds) in enumerate(counties):
            number = 0
            for d in ds:
                parent = district_objs[k]
                k += 1
                for n_votes, n_att in d:
                    number += 1
                    precincts.append(Division(
                        ocd_id=f"{state_ocd}/county:{code}/precinct:{number}",
                        name=f"{code.title()} Precinct {number}", level="precinct",
                        parent=parent, party_vote=n_votes, expected_attendance=n_att,
                    ))
                    county_of.append(ci)
                    postal.append(_postal_code(ci, number))
        self._tick("divisions", 0, len(precincts))
        done = 0
        for start in range(0, len(precincts), self.batch):
            chunk = precincts[start:start + self.batch]
            self._bulk(chunk)
            done += len(chunk)
            self._tick("divisions", done, len(precincts))
        self.precinct_pk = np.array([p.pk for p in precincts], dtype=np.int64)
        self.precinct_att = np.array([p.expected_attendance for p in precincts], dtype=np.int64)
        self.precinct_name = [p.name for p in precincts]
        self.precinct_county = np.array(county_of, dtype=np.int64)
        self.precinct_postal = np.array(postal)

    # ------------------------------------------------------------------ organizations

    def organizations(self) -> None:
        rng = self.rng["organizations"]
        specs: list[tuple[str, str, str, int, int, float, float, str, str | None, str, str,
                          str | None]] = []
        for s in cast.CORE_ORGS:
            specs.append((s.key, s.name, s.kind, s.spectrum, s.influence, s.people_weight,
                          s.show_up, s.reliability, s.table, s.interests, s.home, s.parent))
        extra = self.size.extra_organizations
        n_ch = min(len(names.CHAPTERS) - 2, round(extra * 0.4))
        n_pa = min(len(names.EXTRA_PARTNERS), round(extra * 0.25))
        n_co = min(len(names.EXTRA_CONGREGATIONS), round(extra * 0.2))
        n_ne = min(len(names.EXTRA_NEUTRALS), extra - n_ch - n_pa - n_co)
        short = extra - (n_ch + n_pa + n_co + n_ne)
        n_ch = min(len(names.CHAPTERS) - 2, n_ch + max(0, short))
        reliabilities = ("reliable", "mixed", "late", "breaks", "over", "mixed")
        for i, chapter in enumerate(names.CHAPTERS[2:2 + n_ch]):
            specs.append((f"chapter-{i}", f"{chapter} Chapter", "chapter", 3, 1,
                          float(rng.uniform(0.02, 0.05)), float(rng.uniform(0.4, 0.7)),
                          reliabilities[int(rng.integers(len(reliabilities)))], "partner",
                          f"Members in and around {chapter}.", f"county:{(i + 2)}", "fed"))
        for i, (nm, kind, spec) in enumerate(names.EXTRA_PARTNERS[:n_pa]):
            specs.append((f"partner-{i}", nm, kind, spec, int(rng.integers(1, 4)),
                          float(rng.uniform(0.02, 0.05)), float(rng.uniform(0.4, 0.7)),
                          reliabilities[int(rng.integers(len(reliabilities)))], "partner",
                          "A partner at the Riverland Forward table.", "anywhere", None))
        for i, nm in enumerate(names.EXTRA_CONGREGATIONS[:n_co]):
            specs.append((f"congregation-{i}", nm, "faith", 2, 1,
                          float(rng.uniform(0.01, 0.03)), float(rng.uniform(0.5, 0.7)),
                          "reliable", None, "A member congregation of Faith in Riverland.",
                          f"county:{i}", None))
        for i, (nm, kind, spec) in enumerate(names.EXTRA_NEUTRALS[:n_ne]):
            specs.append((f"neutral-{i}", nm, kind, spec, int(rng.integers(1, 5)),
                          float(rng.uniform(0.005, 0.02)), float(rng.uniform(0.4, 0.6)),
                          "mixed", None, "Another actor in Riverland politics.", "anywhere",
                          None))
        objs = []
        for key, nm, kind, spec, infl, _w, show, rel, table, interests, home, _p in specs:
            o = _Org(key, nm, kind, spec, show, rel, table, home)
            self.orgs.append(o)
            self.org_by_key[key] = o
            objs.append(Organization(
                name=nm, slug=_slug(nm), kind=kind, spectrum_position=spec, influence=infl,
                interests=interests,
                division=self.city if home == "city" else self.state,
            ))
        weights = np.array([s[5] for s in specs])
        counts = self._people_per_org(weights)
        for obj, n in zip(objs, counts, strict=True):
            obj.base_size = int(n * 3)
        self._bulk(objs)
        for o, obj in zip(self.orgs, objs, strict=True):
            o.pk = obj.pk
        self.people_counts = counts
        # parents (chapters of the federation)
        fed_pk = self.org_by_key["fed"].pk
        for spec_row, obj in zip(specs, objs, strict=True):
            if spec_row[11] == "fed":
                obj.parent_id = fed_pk
        Organization.objects.filter(
            id__in=[obj.pk for s, obj in zip(specs, objs, strict=True) if s[11] == "fed"]
        ).update(parent_id=fed_pk)
        # the coalition tables
        forward = Coalition(name=cast.COALITION_NAME, slug=cast.COALITION_SLUG,
                            description="The progressive and left partners of Riverland: "
                            "aligning our forces, with a shared power analysis.")
        together = Coalition(name=cast.BROAD_FRONT_NAME, slug=cast.BROAD_FRONT_SLUG,
                             description="The broad front against the right, with centrist "
                             "allies: the state party leadership and the Democratic Club.")
        self._bulk([forward, together])
        self.coalitions = {"forward": forward, "together": together}
        members = []
        joined = dt.date(2024, 3, 1)
        for o in self.orgs:
            if o.table is not None:
                members.append(CoalitionMembership(coalition=forward, organization_id=o.pk,
                                                   joined_on=joined, role=o.table))
        broad = [s.key for s in cast.CORE_ORGS if s.broad_front]
        for key in broad:
            members.append(CoalitionMembership(
                coalition=together, organization_id=self.org_by_key[key].pk,
                joined_on=dt.date(2025, 1, 15),
                role="anchor" if key == "party" else "partner",
            ))
        self._bulk(members)
        self._tick("organizations", len(self.orgs), len(self.orgs))

    def _people_per_org(self, weights: np.ndarray) -> list[int]:
        total = self.size.people
        minimum = 12
        share = weights / weights.sum()
        raw = np.maximum(minimum, np.floor(share * total)).astype(int)
        diff = total - int(raw.sum())
        order = np.argsort(-share, kind="stable")
        i = 0
        while diff != 0:
            j = order[i % len(order)]
            if diff > 0:
                raw[j] += 1
                diff -= 1
            elif raw[j] > minimum:
                raw[j] -= 1
                diff += 1
            i += 1
        return [int(x) for x in raw]

    # ------------------------------------------------------------------ users

    def make_users(self) -> None:
        password = _password_hash()
        joined = _at(dt.date(2026, 1, 5), 9)
        objs = []
        for login in DEMO_LOGINS:
            objs.append(User(
                username=login.username, email=f"{login.username}@example.org",
                password=password, first_name=login.username.title(),
                is_superuser=login.username == "admin", is_staff=login.username == "admin",
                date_joined=joined,
            ))
        for username in _ballot_usernames():
            objs.append(User(username=username, email=f"{username}@example.org",
                             password="!demo-member-no-login", date_joined=joined))
        self._bulk(objs)
        self.users = {u.username: u for u in objs}
        roles = []
        for username, (org_key, role) in cast.LOGIN_ROLES.items():
            if org_key is not None:
                roles.append(OrganizationRole(user=self.users[username],
                                              organization_id=self.org_by_key[org_key].pk,
                                              role=role))
        for username in _ballot_usernames():
            org_key = username.split("-member-")[0]
            roles.append(OrganizationRole(user=self.users[username],
                                          organization_id=self.org_by_key[org_key].pk,
                                          role="viewer"))
        self._bulk(roles)
        self._bulk([CoalitionCoordinator(user=self.users["cora"],
                                         coalition=self.coalitions["forward"])])
        self._tick("users", len(objs), len(objs))

    # ------------------------------------------------------------------ people

    def people(self) -> None:
        rng = self.rng["people"]
        n_prec = len(self.precinct_pk)
        city_prec = np.flatnonzero(self.precinct_county == 0)
        owner = np.repeat(np.arange(len(self.orgs)), self.people_counts)
        total = len(owner)
        precinct = rng.integers(0, n_prec, total)
        start = 0
        for oi, (o, n) in enumerate(zip(self.orgs, self.people_counts, strict=True)):
            home: np.ndarray | None = None
            if o.home == "city":
                home = city_prec
            elif o.home.startswith("county:"):
                ci = int(o.home.split(":")[1]) % self.size.counties
                home = np.flatnonzero(self.precinct_county == ci)
            if home is not None and len(home):
                local = rng.random(n) < 0.75
                precinct[start:start + n][local] = home[rng.integers(0, len(home),
                                                                     int(local.sum()))]
            start += n
            assert owner[start - 1] == oi
        given = rng.integers(0, len(names.GIVEN_NAMES), total)
        family = rng.integers(0, len(names.FAMILY_NAMES), total)
        has_phone = rng.random(total) < 0.4
        # the ladder: 35% of people are tracked, at a stage drawn from a steep pyramid
        tracked = rng.random(total) < 0.35
        stage_p = np.array([0.30, 0.35, 0.20, 0.09, 0.035, 0.02, 0.005])
        level = np.where(tracked, rng.choice(len(stage_p), total, p=stage_p), -1)
        joined = rng.integers(0, (DEMO_AS_OF - _EPOCH).days - 30, total)
        self.p_owner = owner
        self.p_precinct = precinct
        self.p_level = level
        self.p_joined = joined
        given_names = names.GIVEN_NAMES
        family_names = names.FAMILY_NAMES
        org_pk = np.array([o.pk for o in self.orgs], dtype=np.int64)
        first_id = self._first_free_id(Person) if self.fast else 0
        created = _at(DEMO_AS_OF, 0)  # the start of the story's day, moved like every date
        emails = [f"{given_names[g].lower()}.{family_names[f].lower()}"
                  for g, f in zip(given.tolist(), family.tolist(), strict=True)]
        owner_pk = org_pk[owner].tolist()
        division_pk = self.precinct_pk[precinct].tolist()
        postal = self.precinct_postal[precinct].tolist()
        phones = has_phone.tolist()
        given_l, family_l = given.tolist(), family.tolist()

        def rows() -> Iterable[tuple[Any, ...]]:
            for i in range(total):
                yield (
                    first_id + i, owner_pk[i], given_names[given_l[i]],
                    family_names[family_l[i]], f"{emails[i]}.{i + 1}@example.org",
                    f"+1-555-01{i % 100:02d}" if phones[i] else "", postal[i],
                    division_pk[i], [], "", created,
                )

        columns = ["id", "owner_id", "given_name", "family_name", "email", "phone",
                   "postal_code", "division_id", "identifiers", "public_role", "created_at"]
        self._tick("people", 0, total)
        if self.fast:
            self._rows("people", Person, columns, rows(), total)
            self._reset_sequence(Person)
            pks = np.arange(first_id, first_id + total, dtype=np.int64)
        else:
            pks = np.zeros(total, dtype=np.int64)
            done = 0
            for chunk in _batched(rows(), self.batch):
                objs = [Person(**dict(zip(columns[1:], row[1:], strict=True))) for row in chunk]
                self._bulk(objs)
                pks[done:done + len(objs)] = [p.pk for p in objs]
                done += len(objs)
                self._tick("people", done, total)
        self.p_pk = pks
        for oi, o in enumerate(self.orgs):
            o.people = np.flatnonzero(owner == oi)
        # public figures: council members, the mayor, candidates, the senator, the party chair
        public = []
        for given_name, family_name, bloc, _x in cast.COUNCIL:
            public.append((f"council:{given_name} {family_name}", Person(
                given_name=given_name, family_name=family_name,
                public_role=f"Riverton City Council member ({bloc})",
                division=self.city, email=f"{given_name.lower()}@riverton.example.gov",
            )))
        for fig in cast.PUBLIC_FIGURES:
            public.append((fig.key, Person(given_name=fig.given, family_name=fig.family,
                                           public_role=fig.role, division=self.state)))
        self._bulk([p for _, p in public])
        self.public = dict(public)

    # ------------------------------------------------------------------ campaigns

    def campaigns_and_blocs(self) -> None:
        rng = self.rng["campaigns"]
        k = self.org_by_key
        forward = self.coalitions["forward"]
        specs = [
            ("caucus", "Ten Percent for Riverland", "caucus_bloc", "faith", self.state,
             cast.BLOC_CAMPAIGN_START, cast.CAUCUS_NIGHT,
             "Build a bloc of 10% of the attendees of every precinct caucus, held together "
             "through the state convention, to decide the party's endorsement for governor."),
            ("primary", "Imani Calloway for Mayor: primary", "electoral", "fed", self.city,
             dt.date(2026, 3, 1), cast.PRIMARY_DAY,
             "Win the Democratic primary for Mayor of Riverton against the incumbent."),
            ("general", "Imani Calloway for Mayor", "electoral", "fed", self.city,
             cast.PRIMARY_DAY + dt.timedelta(days=1), cast.GENERAL_DAY,
             "Win the general election against the incumbent's write-in campaign and the "
             "Republican candidate."),
            ("tenants", "Tenant protections ordinance", "issue", "tenants", self.city,
             dt.date(2026, 1, 10), dt.date(2026, 10, 20),
             "Just-cause eviction and a rent stabilization board in Riverton."),
            ("wage", "A living wage for Riverton", "issue", "hwp", self.city,
             dt.date(2026, 6, 1), dt.date(2027, 6, 30),
             "A citywide minimum wage for hotel, airport and food service workers."),
        ]
        objs = []
        for _key, nm, kind, lead, division, start, end, goal in specs:
            objs.append(Campaign(
                name=nm, slug=_slug(nm), kind=kind, lead_organization_id=k[lead].pk,
                coalition=forward, division=division, start_date=start, end_date=end,
                goal=goal, target_share=Decimal("0.1000"),
            ))
        self._bulk(objs)
        self.campaigns = {s[0]: c for s, c in zip(specs, objs, strict=True)}
        caucus = self.campaigns["caucus"]
        share = float(caucus.target_share)
        targets = [
            Target(campaign=caucus, division_id=int(pk), expected_attendance=int(att),
                   goal=Target.goal_for(int(att), share))
            for pk, att in zip(self.precinct_pk, self.precinct_att, strict=True)
        ]
        self._bulk(targets)
        # squads and recruits of Faith in Riverland, precinct by precinct
        faith = k["faith"]
        members = faith.people
        order = np.argsort(self.p_precinct[members], kind="stable")
        members = members[order]
        prec_of = self.p_precinct[members]
        bounds = np.searchsorted(prec_of, np.arange(len(self.precinct_pk) + 1))
        squads: list[Squad] = []
        squad_precinct: list[int] = []
        squad_leader: list[int] = []
        plans: list[tuple[int, np.ndarray, bool]] = []
        for pi in range(len(self.precinct_pk)):
            residents = members[bounds[pi]:bounds[pi + 1]]
            need = targets[pi].goal
            has_squad = len(residents) > 0 and rng.random() < 0.7
            if has_squad:
                leader = int(residents[rng.integers(len(residents))])
                self.p_level[leader] = max(int(self.p_level[leader]), _SQUAD_LEADER)
                squads.append(Squad(
                    campaign=caucus, organization_id=faith.pk,
                    division_id=int(self.precinct_pk[pi]),
                    name=f"{self.precinct_name[pi]} squad",
                    leader_id=int(self.p_pk[leader]),
                    # formed 90 to 500 days ago: old enough for the chapter-leader criterion
                    formed_on=_day(int(rng.integers((DEMO_AS_OF - _EPOCH).days - 500,
                                                    (DEMO_AS_OF - _EPOCH).days - 89))),
                ))
                squad_precinct.append(pi)
                squad_leader.append(leader)
                n = round(need * rng.uniform(0.7, 1.7))
            else:
                n = int(rng.integers(0, max(1, need)))
            n = min(n, len(residents))
            chosen = rng.choice(residents, n, replace=False) if n else residents[:0]
            plans.append((pi, chosen, has_squad))
        self._bulk(squads)
        squad_by_precinct = {pi: s.pk for pi, s in zip(squad_precinct, squads, strict=True)}
        squad_index = {pi: j for j, pi in enumerate(squad_precinct)}
        first_day = (cast.BLOC_CAMPAIGN_START - _EPOCH).days + 30
        stop = (DEMO_AS_OF - _EPOCH).days
        practice = (cast.PRACTICE_CAUCUS_DAY - _EPOCH).days
        # how well each squad's people show up (the squad events and the practice caucus)
        self.squad_quality = rng.uniform(0.2, 0.8, len(squads))
        recruits = []
        plan_rows: list[tuple[int, int, int, int, str]] = []
        for pi, chosen, has_squad in plans:
            j = squad_index[pi] if has_squad else -1
            quality = float(self.squad_quality[j]) if has_squad else 0.5
            for person in chosen:
                day = int(rng.integers(first_day, stop))
                if rng.random() < 0.12:
                    status = "dropped"
                elif day < practice and rng.random() < 0.8 * quality:
                    status = "attended"  # came to the practice caucus: a kept commitment
                else:
                    status = "committed"
                recruits.append(Recruit(
                    campaign=caucus, organization_id=faith.pk, person_id=int(self.p_pk[person]),
                    division_id=int(self.precinct_pk[pi]),
                    squad_id=squad_by_precinct.get(pi) if has_squad else None,
                    committed_on=_day(day), status=status,
                ))
                plan_rows.append((int(person), pi, j, day, status))
        self.squads = squads
        self.squad_precinct = squad_precinct
        self.squad_leader = squad_leader
        self.recruit_plan = plan_rows
        self._bulk_stream("campaigns", [recruits[i:i + self.batch]
                                        for i in range(0, len(recruits), self.batch)],
                          len(recruits))
        # the races: the primary (won) and the general with the write-in
        party = k["party"].pk
        p = self.public
        self._bulk([
            Candidate(campaign=self.campaigns["primary"], person=p["nominee"], party_id=party,
                      is_ours=True, spectrum_position=3),
            Candidate(campaign=self.campaigns["primary"], person=p["mayor"], party_id=party,
                      spectrum_position=-1),
            Candidate(campaign=self.campaigns["general"], person=p["nominee"], party_id=party,
                      is_ours=True, spectrum_position=3),
            Candidate(campaign=self.campaigns["general"], person=p["mayor"], party=None,
                      is_write_in=True, spectrum_position=-1),
            Candidate(campaign=self.campaigns["general"], person=p["conservative"], party=None,
                      spectrum_position=-3),
        ])

    # ------------------------------------------------------------------ ladder

    def ladder(self) -> None:
        rng = self.rng["ladder"]
        total = len(self.p_pk)
        org_pk = np.array([o.pk for o in self.orgs], dtype=np.int64)
        today = (DEMO_AS_OF - _EPOCH).days
        gaps = rng.integers(20, 240, (total, len(_LADDER)))

        person_pk = self.p_pk.tolist()
        owner_pk = org_pk[self.p_owner].tolist()
        level = self.p_level.tolist()
        joined = self.p_joined.tolist()

        # Members are the people who reached the "member" step, from that step's date. People
        # we only track as supporters, or not at all, are contacts without a membership,
        # except one supporter in ten who joined in the last two months and whose step is not
        # recorded yet (the ladder lists them as ready to become members).
        member_day = np.minimum(today, self.p_joined + gaps[:, 1])
        new_member = (self.p_level == 0) & (rng.random(total) < 0.10)
        recent = np.maximum(self.p_joined, today - rng.integers(3, 60, total))
        member_day = np.where(new_member, recent, member_day).tolist()
        has_membership = np.flatnonzero((self.p_level >= 1) | new_member).tolist()

        def memberships() -> Iterable[tuple[Any, ...]]:
            for i in has_membership:
                yield (person_pk[i], owner_pk[i],
                       "leader" if level[i] >= _SQUAD_LEADER else "member",
                       _day(member_day[i]), None)

        self._rows("ladder", Membership,
                   ["person_id", "organization_id", "role", "start_date", "end_date"],
                   memberships(), len(has_membership))
        tracked = np.flatnonzero(self.p_level >= 0).tolist()
        gap_rows = gaps.tolist()

        def steps() -> Iterable[tuple[Any, ...]]:
            for i in tracked:
                day = joined[i]
                for s in range(level[i] + 1):
                    if s:
                        day = min(today, day + gap_rows[i][s])
                    yield (person_pk[i], owner_pk[i], _LADDER[s], _day(day), "")

        n_steps = int((self.p_level[self.p_level >= 0] + 1).sum())
        self._rows("ladder", LeadershipStep,
                   ["person_id", "organization_id", "stage", "date", "note"], steps(), n_steps)

    # ------------------------------------------------------------------ events

    def events(self) -> None:
        rng = self.rng["events"]
        kinds = ["meeting", "training", "canvass", "phonebank", "action", "hearing"]
        first = (dt.date(2026, 1, 5) - _EPOCH).days
        last = (dt.date(2027, 1, 30) - _EPOCH).days
        today = DEMO_AS_OF
        events: list[Event] = []
        invitees: list[np.ndarray] = []
        rates: list[float] = []
        for o in self.orgs:
            n_people = len(o.people)
            n_events = int(np.clip(round(n_people / 150), 3, 40))
            for j in range(n_events):
                kind = kinds[int(rng.integers(len(kinds)))]
                day = _day(int(rng.integers(first, last)))
                campaign = None
                if o.key == "faith":
                    campaign = self.campaigns["caucus"]
                elif o.table is not None and kind in ("canvass", "phonebank"):
                    campaign = self.campaigns["general"]
                starts = _at(day, int(rng.integers(10, 20)))
                events.append(Event(
                    organization_id=o.pk, name=f"{o.name}: {kind} #{j + 1}", kind=kind,
                    starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                    coalition=self.coalitions["forward"] if o.table and rng.random() < 0.3
                    else None,
                    campaign=campaign,
                    division_id=int(self.precinct_pk[self.p_precinct[o.people[0]]])
                    if n_people else None,
                ))
                k = min(n_people, int(rng.integers(12, 90)))
                invitees.append(rng.choice(o.people, k, replace=False) if k
                                else o.people[:0])
                rates.append(o.show_up)
        self._bulk(events)
        statuses = np.array(["accepted", "tentative", "declined", "needs action"])
        status_p = [0.6, 0.15, 0.1, 0.15]
        total = int(sum(len(x) for x in invitees))
        self._tick("events", 0, total)

        person_pk = self.p_pk

        def rows() -> Iterable[tuple[Any, ...]]:
            for ev, people, rate in zip(events, invitees, rates, strict=True):
                past = ev.starts_at.date() < today
                st = rng.choice(len(statuses), len(people), p=status_p)
                shows = np.zeros(len(people), dtype=bool)
                if past:
                    # exactly round(rate x n) of those who said yes show up (a maybe: 40% of
                    # that rate); a few who said no or never answered come anyway
                    for code, p_show in ((0, rate), (1, rate * 0.4)):
                        idx = np.flatnonzero(st == code)
                        n_show = int(round(p_show * len(idx)))
                        shows[rng.choice(idx, n_show, replace=False)] = True
                    stray = (st >= 2) & (rng.random(len(people)) < 0.04)
                    shows |= stray
                # people bring people: about one RSVP in eight came through another invitee
                # of the same event (same organization) who said yes
                pks = person_pk[people]
                inviter: list[int | None] = [None] * len(people)
                yes = np.flatnonzero(st == 0)
                if len(yes) > 1:
                    brought = rng.random(len(people)) < 0.12
                    pick = yes[rng.integers(len(yes), size=len(people))]
                    for i in np.flatnonzero(brought & (pick != np.arange(len(people)))).tolist():
                        inviter[i] = int(pks[pick[i]])
                for person, s, show, by in zip(pks.tolist(), st.tolist(), shows.tolist(),
                                               inviter, strict=True):
                    yield (ev.pk, person, status_names[s], show if past else None, by)

        status_names = [str(x) for x in statuses]
        self._rows("events", Attendance,
                   ["event_id", "person_id", "status", "attended", "invited_by_id"], rows(),
                   total)

    # ------------------------------------------------------------------ gatherings

    def gatherings(self) -> None:
        """Core groups, squad meetings and practice caucuses, with RSVPs and who brought whom.

        Northside, Faith and HWP each have a core group (members, active members and leaders)
        meeting every two weeks; its regulars bring guests from the organization's people.
        Every squad of Faith's caucus-bloc campaign meets every six weeks (the leader
        and the recruits who had committed by then), and each county held a practice caucus
        where the recruits marked "attended" came. This is what the ladder's criteria
        (attendance, people brought, squad show-up, kept caucus commitments) read.
        """
        rng = self.rng["gatherings"]
        today = (DEMO_AS_OF - _EPOCH).days
        k = self.org_by_key
        caucus = self.campaigns["caucus"]
        events: list[Event] = []
        invites: list[list[tuple[int, int, bool | None, int]]] = []  # person, status, came, by
        # core groups: every two weeks from a year ago to two months ahead
        for key in cast.CORE_GROUP_ORGS:
            o = k[key]
            people = o.people
            level = self.p_level[people]
            groups = []
            for lo, hi, n in ((1, 1, 8), (2, 2, 8), (3, len(_LADDER), 6)):
                pool = people[(level >= lo) & (level <= hi)]
                take = min(n, len(pool))
                groups.append(rng.choice(pool, take, replace=False) if take else pool[:0])
            core = np.concatenate(groups)
            if not len(core):
                continue
            n = len(core)
            p_yes = rng.uniform(0.6, 0.95, n)
            p_come = rng.uniform(0.3, 1.0, n)
            p_bring = rng.choice(np.array([0.0, 0.0, 0.1, 0.3]), n)
            guests = np.setdiff1d(people, core)
            division = int(self.precinct_pk[self.p_precinct[people[0]]])
            for j, day in enumerate(range(today - 364, today + 57, 14)):
                kind = "meeting" if j % 2 == 0 else "training"
                starts = _at(_day(day), 18)
                events.append(Event(
                    organization_id=o.pk, name=f"{o.name}: core group {kind} #{j + 1}",
                    kind=kind, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                    division_id=division,
                ))
                past = day < today
                said_yes = rng.random(n) < p_yes
                other = rng.choice(np.array([1, 2, 3]), n, p=[0.3, 0.2, 0.5])
                codes = np.where(said_yes, 0, other)
                showed = said_yes & (rng.random(n) < p_come)
                rows: list[tuple[int, int, bool | None, int]] = [
                    (int(core[i]), int(codes[i]), bool(showed[i]) if past else None, -1)
                    for i in range(n)
                ]
                if past and len(guests):
                    seen = set()
                    for i in np.flatnonzero(showed & (rng.random(n) < p_bring)).tolist():
                        guest = int(guests[rng.integers(len(guests))])
                        if guest not in seen:
                            seen.add(guest)
                            rows.append((guest, 0, bool(rng.random() < 0.75), int(core[i])))
                invites.append(rows)
        # squad meetings: every six weeks over the last 200 days and the next six weeks
        by_squad: dict[int, list[tuple[int, int, str]]] = {}
        for person, _pi, j, day, status in self.recruit_plan:
            if j >= 0:
                by_squad.setdefault(j, []).append((person, day, status))
        faith = k["faith"]
        for j, squad in enumerate(self.squads):
            assert squad.formed_on is not None
            formed = (squad.formed_on - _EPOCH).days
            quality = float(self.squad_quality[j])
            leader = self.squad_leader[j]
            start = max(formed + 7, today - 200) + int(rng.integers(0, 42))
            for n_ev, day in enumerate(range(start, today + 43, 42)):
                kind = "meeting" if n_ev % 3 else "training"
                starts = _at(_day(day), 19)
                events.append(Event(
                    organization_id=faith.pk, campaign=caucus, kind=kind,
                    name=f"{squad.name}: {kind} #{n_ev + 1}", starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2), division_id=squad.division_id,
                ))
                past = day < today
                rows = [(leader, 0, bool(rng.random() < 0.95) if past else None, -1)]
                for person, committed, status in by_squad.get(j, []):
                    if committed > day or person == leader:
                        continue
                    if status == "dropped":
                        rows.append((person, 2, False if past else None, -1))
                        continue
                    yes = rng.random() < 0.7
                    came = yes and rng.random() < quality
                    rows.append((person, 0 if yes else 3, came if past else None, -1))
                invites.append(rows)
        # practice caucuses, one per county: the recruits marked "attended" came
        practice = (cast.PRACTICE_CAUCUS_DAY - _EPOCH).days
        by_county: dict[int, list[tuple[int, str]]] = {}
        for person, pi, _j, day, status in self.recruit_plan:
            if day < practice:
                by_county.setdefault(int(self.precinct_county[pi]), []).append((person, status))
        for ci in sorted(by_county):
            county = self.counties[ci]
            starts = _at(cast.PRACTICE_CAUCUS_DAY, 10)
            events.append(Event(
                organization_id=faith.pk, campaign=caucus, kind="caucus",
                name=f"Practice caucus: {county.name}", starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3), division_id=county.pk,
            ))
            rows = []
            for person, status in by_county[ci]:
                if status == "attended":
                    rows.append((person, 0, True, -1))
                elif status == "dropped":
                    rows.append((person, 2, False, -1))
                else:
                    rows.append((person, 0 if rng.random() < 0.5 else 3, False, -1))
            invites.append(rows)
        self._bulk(events)
        statuses = ["accepted", "tentative", "declined", "needs action"]
        person_pk = self.p_pk.tolist()
        total = sum(len(rows) for rows in invites)
        self._tick("gatherings", 0, total)

        def attendance() -> Iterable[tuple[Any, ...]]:
            for ev, rows in zip(events, invites, strict=True):
                for person, status, came, by in rows:
                    yield (ev.pk, person_pk[person], statuses[status], came,
                           person_pk[by] if by >= 0 else None)

        self._rows("gatherings", Attendance,
                   ["event_id", "person_id", "status", "attended", "invited_by_id"],
                   attendance(), total)

    # ------------------------------------------------------------------ commitments

    def commitments(self) -> None:
        rng = self.rng["commitments"]
        partners = [o for o in self.orgs if o.table is not None]
        per_partner = 6 if self.size.people < 20_000 else 9
        units_by_kind = {
            "faith": ["members", "voters", "calls"],
            "political": ["doors", "voters", "calls", "dollars"],
            "union": ["doors", "members", "dollars", "endorsements"],
            "advocacy": ["calls", "doors", "members"],
            "chapter": ["doors", "calls", "members", "voters"],
            "federation": ["dollars", "endorsements", "doors", "voters"],
        }
        ranges = {"doors": (500, 5000), "calls": (300, 3000), "members": (20, 200),
                  "voters": (100, 1500), "dollars": (1000, 25000), "endorsements": (1, 3)}
        camp_keys = ["general", "tenants", "caucus", "wage", "primary"]
        today = (DEMO_AS_OF - _EPOCH).days
        commitments: list[Commitment] = []
        plans: list[tuple[int, int, int, str]] = []
        for o in partners:
            units = units_by_kind.get(o.kind, ["doors", "calls"])
            for _ in range(per_partner):
                unit = units[int(rng.integers(len(units)))]
                lo, hi = ranges[unit]
                qty = int(rng.integers(lo, hi + 1))
                if unit not in ("endorsements", "dollars"):
                    qty = max(lo, round(qty, -1))
                camp = camp_keys[int(rng.integers(len(camp_keys)))]
                c = self.campaigns[camp]
                made = int(rng.integers((c.start_date - _EPOCH).days,
                                        max((c.start_date - _EPOCH).days + 1,
                                            min(today, (c.end_date - _EPOCH).days) - 10)))
                due = made + int(rng.integers(20, 90))
                commitments.append(Commitment(
                    partner_id=o.pk, campaign=c, coalition=self.coalitions["forward"],
                    unit=unit, quantity=Decimal(qty), made_on=_day(made), due_date=_day(due),
                    note=f"{o.name}: {qty:,} {Unit(unit).label} for {c.name}",
                    created_by=self.users["cora"],
                ))
                plans.append((qty, made, due, o.reliability))
        self._bulk(commitments)
        deliveries: list[Delivery] = []
        for commitment, (qty, made, due, rel) in zip(commitments, plans, strict=True):
            for amount, day in self._deliveries(rng, qty, made, due, rel, today):
                deliveries.append(Delivery(
                    commitment=commitment, quantity=Decimal(amount), delivered_on=_day(day),
                    evidence="sign-in sheets and the shared tracker",
                ))
        self._bulk(deliveries)
        self._tick("commitments", len(commitments), len(commitments))
        # contributions to two wins
        k = self.org_by_key
        contributions = [
            ("primary", "hwp", "voters", 1850, "verified",
             "Turned out hotel and airport workers; matched against the voter file."),
            ("primary", "faith", "voters", 1200, "verified", "Congregation turnout drives."),
            ("primary", "northside", "doors", 6400, "verified", "Canvass tallies."),
            ("primary", "eastbank", "doors", 3100, "claimed", "Tallies still being gathered."),
            ("primary", "climate", "voters", 2500, "disputed",
             "Claims more voters than its logged contacts can support."),
            ("primary", "local7", "dollars", 40000, "verified", "Independent expenditure."),
            ("tenants", "tenants", "members", 420, "verified", "Packed three council hearings."),
            ("tenants", "fed", "calls", 5200, "verified", "Calls to the swing council member."),
            ("tenants", "faith", "members", 260, "claimed", "Clergy testimony at the hearing."),
            ("tenants", "northside", "members", 180, "verified", "Hearing turnout."),
        ]
        outcomes = {"primary": "Imani Calloway wins the mayoral primary",
                    "tenants": "Tenant protections ordinance passes 5-4"}
        self._bulk([
            Contribution(organization_id=k[org].pk, campaign=self.campaigns[camp],
                         outcome=outcomes[camp], description=desc, unit=unit,
                         quantity=Decimal(qty), status=status, evidence=desc)
            for camp, org, unit, qty, status, desc in contributions
        ])

    @staticmethod
    def _deliveries(rng: np.random.Generator, qty: int, made: int, due: int, rel: str,
                    today: int) -> list[tuple[int, int]]:
        """Deliveries (amount, day) for one commitment under a reliability profile."""
        if rel == "over":
            factor, late_p, miss_p = rng.uniform(1.05, 1.35), 0.05, 0.0
        elif rel == "reliable":
            factor, late_p, miss_p = rng.uniform(0.95, 1.1), 0.1, 0.03
        elif rel == "late":
            factor, late_p, miss_p = rng.uniform(0.95, 1.1), 0.75, 0.05
        elif rel == "breaks":
            factor, late_p, miss_p = rng.uniform(0.2, 0.7), 0.3, 0.5
        else:
            factor, late_p, miss_p = rng.uniform(0.6, 1.1), 0.3, 0.12
        if rng.random() < miss_p:
            return []
        amount = max(1, round(qty * factor))
        parts = int(rng.integers(1, 4)) if amount >= 3 else 1
        sizes = _split(amount, parts)
        late = rng.random() < late_p
        out = []
        span = max(1, due - made)
        for i, s in enumerate(sizes):
            if late and i == parts - 1:
                day = due + int(rng.integers(3, 35))
            else:
                day = made + int(rng.integers(1, span + 1))
            if day > today:  # not delivered yet
                continue
            if s > 0:
                out.append((s, day))
        return out

    # ------------------------------------------------------------------ landscape

    def landscape(self) -> None:
        rng = self.rng["landscape"]
        issues = [Issue(name=nm, slug=slug, description=desc) for slug, nm, desc in names.ISSUES]
        self._bulk(issues)
        self.issues = {i.slug: i for i in issues}
        k = self.org_by_key
        fed = k["fed"].pk
        dates = [dt.date(2025, 6, 1), dt.date(2026, 6, 1)]
        stances: list[Stance] = []

        def stance(issue: str, score: float, day: dt.date, *, org: int | None = None,
                   person: int | None = None, by: int = fed, evidence: str = "") -> None:
            stances.append(Stance(
                issue=self.issues[issue], organization_id=org, person_id=person,
                score=int(np.clip(round(score), -3, 3)), assessed_on=day,
                evidence=evidence or "Assessment at the Riverland Forward strategy table.",
                recorded_by_id=by,
            ))

        movers = {("demclub", "living-wage"), ("demclub", "tenant-protections")}
        for o in self.orgs:
            for slug, _, _ in names.ISSUES:
                if (o.key, slug) in movers:
                    continue
                base = o.spectrum + rng.normal(0, 0.6)
                for day in dates:
                    stance(slug, base + rng.normal(0, 0.4), day, org=o.pk)
        # the Democratic Club moves away after endorsing the write-in
        for slug in ("living-wage", "tenant-protections"):
            for day, score in ((dates[0], 1), (dates[1], 0), (dt.date(2026, 10, 5), -2)):
                stance(slug, score, day, org=k["demclub"].pk,
                       evidence="Endorsed the incumbent's write-in; now attacks the nominee's "
                       "platform." if score == -2 else "")
        # council members on every issue, from their ideal points; the mover moves
        for given_name, family_name, _bloc, x in cast.COUNCIL:
            full = f"{given_name} {family_name}"
            pk = self.public[f"council:{full}"].pk
            for slug, _, _ in names.ISSUES:
                if full == cast.MOVER and slug == "tenant-protections":
                    for day, score in ((dates[0], -1), (dates[1], 0), (dt.date(2026, 10, 1), 2)):
                        stance(slug, score, day, person=pk,
                               evidence="Met with tenants from her ward three times; voted for "
                               "the ordinance." if score == 2 else "")
                    continue
                if full == cast.DRIFTER and slug in _DRIFT_ISSUES:
                    # an ally on these issues in 2025; follows the mayor after the primary
                    for day, score in ((dt.date(2025, 3, 1), 1), (dates[0], 1), (dates[1], 0),
                                       (dt.date(2026, 10, 5), -1)):
                        stance(slug, score, day, person=pk,
                               evidence="Campaigned for the mayor's write-in; now calls the "
                               "platform unaffordable." if score < 0 else "")
                    continue
                for day in dates:
                    stance(slug, 1.8 * x + rng.normal(0, 0.5), day, person=pk)
        p = self.public
        for key, score in (("mayor", -1), ("nominee", 3), ("conservative", -3), ("senator", 0),
                           ("chair", 0)):
            for slug, _, _ in names.ISSUES:
                stance(slug, score + rng.normal(0, 0.5), dates[1], person=p[key].pk)
        # Faith's own assessments of its squad leaders (private: only Faith sees them)
        for org_key in ("faith", "northside", "westfield", "hwp"):
            o = k[org_key]
            leaders = o.people[self.p_level[o.people] >= _SQUAD_LEADER][:25]
            for i in leaders:
                stance("living-wage" if org_key != "westfield" else "tenant-protections",
                       (-2 if org_key == "westfield" else 2) + rng.normal(0, 0.7), dates[1],
                       person=int(self.p_pk[i]), by=o.pk,
                       evidence="One-to-one conversation.")
        self._bulk(stances)
        # the power map
        rels: list[Relationship] = []

        def rel(kind: str, src: tuple[str, int], dst: tuple[str, int], start: dt.date | None,
                by: int = fed, strength: int = 2, source: str = "", end: dt.date | None = None
                ) -> None:
            rels.append(Relationship(
                kind=kind,
                source_organization_id=src[1] if src[0] == "o" else None,
                source_person_id=src[1] if src[0] == "p" else None,
                target_organization_id=dst[1] if dst[0] == "o" else None,
                target_person_id=dst[1] if dst[0] == "p" else None,
                start_date=start, end_date=end, strength=strength, recorded_by_id=by,
                source=source or "Coalition research, shared at the table.",
            ))

        def org(key: str) -> tuple[str, int]:
            return ("o", k[key].pk)

        def pub(key: str) -> tuple[str, int]:
            return ("p", p[key].pk)

        for o in self.orgs:
            if o.kind == "chapter":
                rel("member_of", ("o", o.pk), org("fed"), dt.date(2019, 5, 1), strength=3)
            elif o.key.startswith("congregation-"):
                rel("member_of", ("o", o.pk), org("faith"), dt.date(2020, 2, 1), strength=3)
            elif o.key.startswith("partner-"):
                rel("allied_with", ("o", o.pk), org("fed"), dt.date(2024, 3, 1))
            elif o.key.startswith("neutral-") and o.spectrum <= -2:
                rel("allied_with", ("o", o.pk), org("westfield"), dt.date(2023, 1, 1))
        for a, b in (("fed", "faith"), ("fed", "hwp"), ("fed", "tenants"), ("fed", "climate"),
                     ("hwp", "local7"), ("faith", "tenants"), ("party", "demclub")):
            rel("allied_with", org(a), org(b), dt.date(2024, 3, 1), strength=3)
        rel("funds", org("local7"), org("hwp"), dt.date(2021, 1, 1), strength=3,
            source="Union annual report.")
        rel("allied_with", org("fed"), org("party"), dt.date(2025, 1, 15),
            source="Riverland Together table.")
        rel("funds", org("westfield"), org("pac"), dt.date(2026, 8, 1), strength=3,
            source="State campaign finance filings.")
        rel("opposes", org("pac"), org("fed"), dt.date(2026, 8, 15), strength=3,
            source="Mailers attacking the nominee as a dangerous leftist.")
        rel("endorses", org("demclub"), pub("nominee"), dt.date(2026, 9, 16),
            end=dt.date(2026, 9, 30), source="Club statement after the primary.")
        rel("endorses", org("demclub"), pub("mayor"), cast.WRITE_IN_LAUNCH + dt.timedelta(2),
            strength=3, source="Club vote to back the write-in: a betrayal of the primary.")
        rel("endorses", org("pac"), pub("mayor"), dt.date(2026, 10, 12), strength=3,
            source="PAC spending filed for the write-in.")
        rel("allied_with", pub("mayor"), org("westfield"), dt.date(2014, 1, 1), strength=3)
        rel("endorses", org("party"), pub("nominee"), dt.date(2026, 9, 20), strength=1,
            source="A lukewarm statement from the party chair.")
        rel("leads", pub("chair"), org("party"), dt.date(2023, 4, 1), strength=3)
        rel("knows", pub("senator"), pub("chair"), dt.date(2015, 1, 1), strength=3)
        rel("knows", pub("senator"), pub("mayor"), dt.date(2012, 1, 1), strength=2)
        rel("endorses", org("fed"), pub("nominee"), dt.date(2026, 4, 2), strength=3)
        rel("endorses", org("hwp"), pub("nominee"), dt.date(2026, 4, 9), strength=3)
        for given_name, family_name, bloc, _x in cast.COUNCIL:
            full = f"{given_name} {family_name}"
            member = ("p", p[f"council:{full}"].pk)
            if bloc == "progressive":
                rel("allied_with", member, org("fed"), dt.date(2024, 1, 1))
            elif full in cast.MAYOR_CLOSE:
                rel("allied_with", member, pub("mayor"), dt.date(2020, 1, 1), strength=3)
            elif bloc == "conservative":
                rel("allied_with", member, org("westfield"), dt.date(2022, 1, 1), strength=3)
            else:
                rel("knows", member, org("tenants"), dt.date(2026, 5, 1), strength=1)
        # private person-level ties: leaders lead their organization and know each other
        for o in self.orgs:
            leaders = o.people[self.p_level[o.people] >= _CHAPTER_LEADER]
            for j, i in enumerate(leaders):
                rel("leads", ("p", int(self.p_pk[i])), ("o", o.pk), _day(int(self.p_joined[i])),
                    by=o.pk, strength=2, source="Our own records.")
                if j:
                    rel("knows", ("p", int(self.p_pk[i])), ("p", int(self.p_pk[leaders[j - 1]])),
                        None, by=o.pk, strength=int(rng.integers(1, 4)),
                        source="Our own records.")
        self._bulk_stream("landscape", [rels[i:i + self.batch]
                                        for i in range(0, len(rels), self.batch)], len(rels))

    # ------------------------------------------------------------------ bodies

    def bodies_and_votes(self) -> None:
        rng = self.rng["bodies"]
        council = Body(name=f"{names.CITY_NAME} City Council", slug=_COUNCIL_SLUG,
                       kind="council", division=self.city,
                       description="Nine members; a one-seat progressive majority (5-4) since "
                       "the last election, a centrist bloc of three (two close to the mayor) "
                       "and one conservative.")
        convention = Body(name="Riverland Democratic Party State Convention",
                          slug=_CONVENTION_SLUG, kind="convention", division=self.state,
                          description="Delegates elected through the precinct caucuses; "
                          "endorsing a candidate for governor takes 60%.")
        self._bulk([council, convention])
        self.bodies = [council, convention]
        self._bulk([
            VotingRule(body=council, name="default", kind="simple_majority",
                       description="A motion passes with five of the nine votes."),
            VotingRule(body=convention, name="endorsement", kind="supermajority",
                       threshold=Decimal("0.6"),
                       description="Endorsement needs 60% of the delegates' votes."),
        ])
        seats = []
        members = []
        for i, (given_name, family_name, bloc, x) in enumerate(cast.COUNCIL, start=1):
            person = self.public[f"council:{given_name} {family_name}"]
            seats.append(Seat(body=council, label=f"Ward {i}", holder=person, weight=1,
                              bloc=bloc, start_date=dt.date(2024, 1, 1)))
            members.append((person, bloc, x))
        k = self.org_by_key
        blocs = [
            ("Faith in Riverland bloc", "faith", "progressive", 105),
            ("Federation chapters", "fed", "progressive", 180),
            ("Hospitality Workers Power and labor", "hwp", "progressive", 150),
            ("Tenant and climate delegates", "tenants", "progressive", 60),
            ("Party leadership", "party", "centrist", 210),
            ("Senator Fairweather's allies", None, "centrist", 140),
            ("Rural moderates", None, "centrist", 95),
            ("Uncommitted", None, "uncommitted", 60),
        ]
        for label, org_key, bloc, weight in blocs:
            seats.append(Seat(body=convention, label=label,
                              holder_organization_id=k[org_key].pk if org_key else None,
                              weight=Decimal(weight), bloc=bloc,
                              start_date=dt.date(2027, 2, 3)))
        self._bulk(seats)
        # forty recorded motions; votes follow the members' positions (a logistic
        # spatial-voting model: yes with probability expit(4 * direction * (x - cut)))
        templates = {
            "tenant-protections": ["Just-cause eviction ordinance", "Right to counsel for tenants",
                                   "Rent stabilization board", "Code enforcement funding"],
            "police-budget": ["Move crisis calls to a civilian response team",
                              "Police overtime budget increase", "Youth programs from police "
                              "budget", "Body camera policy"],
            "living-wage": ["Living wage for hotel and airport workers", "Wage theft office",
                            "Tip credit repeal", "Hospitality worker retention"],
            "climate-jobs": ["Public buildings retrofit with union labor", "Gas hookup ban",
                             "Green jobs training fund"],
            "public-transit": ["Fare-free bus pilot", "Bus frequency on the east side",
                               "Parking minimum repeal"],
            "immigrant-rights": ["Welcoming city ordinance", "Legal defense fund",
                                 "Municipal ID cards"],
        }
        slugs = [slug for slug, _, _ in names.ISSUES]
        motions = []
        plans = []
        first = (dt.date(2025, 1, 15) - _EPOCH).days
        last = (dt.date(2026, 11, 20) - _EPOCH).days
        days = np.sort(rng.integers(first, last, 40))
        for m in range(40):
            slug = slugs[m % len(slugs)]
            title = templates[slug][(m // len(slugs)) % len(templates[slug])]
            direction = 1 if rng.random() < 0.8 else -1
            kind = rng.random()
            if kind < 0.55:
                cut = rng.uniform(0.1, 0.7)  # splits the five progressives from the rest
            elif kind < 0.8:
                cut = rng.uniform(-0.4, -0.2)  # the mover joins; the mayor's allies do not
            else:
                cut = rng.uniform(-1.5, -0.9)  # everyone but the conservative
            if direction < 0:
                cut = -cut
            key = False
            day = _day(int(days[m]))
            if m == 39:
                title, slug, direction, cut, key = (
                    "Tenant protections ordinance (final passage)", "tenant-protections", 1,
                    0.4, True)
                day = cast.ORDINANCE_DAY if _day(int(days[38])) < cast.ORDINANCE_DAY else day
            verb = "Adopt" if direction > 0 else "Oppose"
            motions.append(Motion(body=council, identifier=f"RCC-{(day + self.shift).year}-{m + 1:03d}",
                                  title=f"{verb}: {title}" if not key else title, date=day,
                                  issue=self.issues[slug]))
            plans.append((direction, cut, key, day.year))
        votes: list[Vote] = []
        results: list[str] = []
        drifter = self.public[f"council:{cast.DRIFTER}"]
        for direction, cut, key, year in plans:
            yes = 0
            row = []
            for person, bloc, x in members:
                if person is drifter:  # her votes move away from us from one year to the next
                    x = cast.DRIFTER_POSITIONS.get(year, x)
                if key:
                    option = "yes" if bloc == "progressive" else "no"
                else:
                    p_yes = 1.0 / (1.0 + math.exp(-4.0 * direction * (x - cut)))
                    r = rng.random()
                    if r < 0.02:
                        option = "absent"
                    elif r < 0.04:
                        option = "abstain"
                    else:
                        option = "yes" if rng.random() < p_yes else "no"
                yes += option == "yes"
                row.append((person, option))
            results.append("pass" if yes >= 5 else "fail")
            votes.extend(Vote(voter=person, option=option) for person, option in row)
        for motion, result in zip(motions, results, strict=True):
            motion.result = result
        self._bulk(motions)
        for i, vote in enumerate(votes):
            vote.motion = motions[i // len(members)]
        self._bulk(votes)
        self._tick("bodies", len(motions), len(motions))

    # ------------------------------------------------------------------ decisions

    def decisions(self) -> None:
        rng = self.rng["decisions"]
        k = self.org_by_key
        u = self.users
        forward = self.coalitions["forward"]
        specs: list[dict[str, Any]] = [
            dict(
                org="northside",
                question="Do we keep working with the Riverton Democratic Club after it "
                "endorsed the mayor's write-in?",
                context="The Club endorsed our nominee after the primary, then switched to the "
                "incumbent's write-in two weeks later. Feel it first; decide after the "
                "cooling-off period.",
                rule="majority", combine="both", triggered_by="betrayal", state="open",
                opened=_at(dt.date(2026, 11, 25), 19), closes=_at(dt.date(2026, 12, 2), 21),
                options=[
                    ("Break publicly with the Club", "A public statement and no joint work."),
                    ("Keep the tenant work, end joint electoral work",
                     "Work issue by issue; no shared slate."),
                    ("Carry on as before", "Treat it as a one-off."),
                ],
                impacts=[
                    # option index, constituency, up, p_up, down, p_down
                    (0, "Northside members", 6, 0.7, 2, 0.3),
                    (0, "Tenants in the north side", 2, 0.4, 6, 0.5),
                    (0, "Swing council members", 1, 0.2, 7, 0.6),
                    (1, "Northside members", 4, 0.6, 2, 0.3),
                    (1, "Tenants in the north side", 6, 0.6, 2, 0.3),
                    (1, "Swing council members", 4, 0.5, 3, 0.4),
                    (2, "Northside members", 1, 0.3, 7, 0.7),
                    (2, "Tenants in the north side", 5, 0.5, 1, 0.2),
                    (2, "Swing council members", 5, 0.6, 1, 0.2),
                ],
                voters=["ana", "ben"] + [f"northside-member-{i:02d}" for i in range(1, 9)],
            ),
            dict(
                org="faith",
                question="Hold our bloc for our own candidate for governor, or trade it to the "
                "party leadership's candidate for budget commitments?",
                context="The bloc reached 10% of caucus attendees in the last cycle. The party "
                "leadership offers a seat in budget negotiations.",
                rule="majority", combine="both", triggered_by="", state="closed",
                opened=_at(dt.date(2026, 3, 1), 19), closes=_at(dt.date(2026, 3, 15), 21),
                options=[
                    ("Hold the bloc together", "Vote as one at the convention."),
                    ("Trade the bloc for budget commitments", "Back the leadership's candidate."),
                ],
                impacts=[
                    (0, "Congregations", 7, 0.6, 3, 0.4),
                    (0, "Low-income families", 5, 0.5, 4, 0.4),
                    (1, "Congregations", 2, 0.5, 5, 0.5),
                    (1, "Low-income families", 6, 0.6, 2, 0.3),
                ],
                voters=["grace"] + [f"faith-member-{i:02d}" for i in range(1, 11)],
            ),
            dict(
                org="hwp",
                question="Which demand leads our living wage push this spring?",
                context="Members and the union's leaders rank the options together.",
                rule="instant-runoff", combine="both", triggered_by="", state="open",
                opened=_at(dt.date(2026, 11, 20), 18), closes=_at(dt.date(2026, 12, 15), 18),
                options=[
                    ("Airport workers first", ""),
                    ("All hotel workers", ""),
                    ("Citywide minimum wage", ""),
                ],
                impacts=[
                    (0, "Airport workers", 8, 0.6, 1, 0.2),
                    (1, "Hotel housekeepers", 8, 0.5, 2, 0.3),
                    (2, "All low-wage workers", 6, 0.3, 3, 0.5),
                ],
                voters=["hector"] + [f"hwp-member-{i:02d}" for i in range(1, 7)],
            ),
        ]
        specs[1].update(
            outcome=0, review_due=dt.date(2026, 9, 1),
            reviews=[(dt.date(2026, 9, 10),
                      "We held the bloc. We lost the budget seat this year, but the party now "
                      "counts our delegates; two congregations joined.",
                      {"Congregations": _gl(5, 0), "Low-income families": _gl(1, 3)})],
        )
        specs.extend(self._northside_history())
        decisions = []
        for s in specs:
            decisions.append(Decision(
                organization_id=k[str(s["org"])].pk, coalition=forward,
                question=s["question"], context=s["context"], rule=s["rule"],
                combine=s["combine"], triggered_by=s["triggered_by"], state=s["state"],
                opened_at=s["opened"], closes_at=s["closes"],
                closed_at=s["closes"] if s["state"] == "closed" else None,
                review_due=s.get("review_due") if s["state"] == "closed" else None,
            ))
        self._bulk(decisions)
        options: list[list[Option]] = []
        flat = []
        for d, s in zip(decisions, specs, strict=True):
            opts = [Option(decision=d, label=label, description=desc)
                    for label, desc in s["options"]]  # type: ignore[attr-defined]
            options.append(opts)
            flat.extend(opts)
        self._bulk(flat)
        impacts = []
        for opts, s in zip(options, specs, strict=True):
            for oi, constituency, up, pu, down, pd in s["impacts"]:  # type: ignore[attr-defined]
                impacts.append(Impact(option=opts[oi], constituency=constituency,
                                      upside=Decimal(str(up)),
                                      upside_likelihood=Decimal(str(pu)),
                                      downside=Decimal(str(down)),
                                      downside_likelihood=Decimal(str(pd))))
        self._bulk(impacts)
        ballots = []
        for d, opts, s in zip(decisions, options, specs, strict=True):
            voters = list(s["voters"])  # type: ignore[call-overload]
            if s["state"] == "open":
                voters = voters[: max(2, len(voters) * 2 // 3)]
            for name in voters:
                role = "leader" if name in ("ana", "grace", "hector") or rng.random() < 0.2 \
                    else "member"
                if d.rule == "instant-runoff":
                    order = [int(x) for x in rng.permutation(len(opts))]
                    ballots.append(Ballot(decision=d, voter=u[name], role=role,
                                          ranking=[opts[i].pk for i in order]))
                else:
                    if "lean" in s:  # the chosen option won most ballots
                        weights = np.array(s["lean"], dtype=float)
                    else:
                        weights = np.array([0.25, 0.55, 0.2][: len(opts)]) if len(opts) == 3 \
                            else np.array([0.7, 0.3])
                    choice = opts[int(rng.choice(len(opts), p=weights / weights.sum()))]
                    ballots.append(Ballot(decision=d, voter=u[name], role=role, choice=choice,
                                          reason="" if rng.random() < 0.5 else
                                          "Thinking of the people this falls on."))
        self._bulk(ballots)
        reviews = []
        for d, opts, s in zip(decisions, options, specs, strict=True):
            if "outcome" not in s:
                continue
            d.outcome = opts[int(s["outcome"])]
            Decision.objects.filter(pk=d.pk).update(outcome=d.outcome)
            for day, summary, actual in s.get("reviews", []):
                reviews.append(Review(decision=d, reviewed_on=day, summary=summary,
                                      actual=actual))
        self._bulk(reviews)
        self._tick("decisions", len(decisions), len(decisions))

    @staticmethod
    def _northside_history() -> list[dict[str, Any]]:
        """Northside's decided questions of the last two years, with impacts and reviews.

        Five constituencies each time: our members, a partner's members (the Tenants Union's),
        the neighborhood, the chapter's staff and the coalition. The reviews are set so that
        the neighborhood always came out about 2.4 below what we expected (too rosy), while
        for everyone else the errors go both ways. Each review records what a constituency
        gained and what it lost, apart (``_gl``): a year after the rent strike the neighbors
        gained from the settlement's repairs and lost as the block's rents rose.
        """
        m, t, n, st, c = ("Northside members", "Tenants Union members", "North side neighbors",
                          "Chapter staff", "Riverland Forward coalition")
        voters = ["ana", "ben"] + [f"northside-member-{i:02d}"
                                   for i in range(1, cast.BALLOT_MEMBERS["northside"] + 1)]
        base = dict(org="northside", rule="majority", combine="both", triggered_by="",
                    state="closed", voters=voters)
        return [
            dict(
                base,
                question="Do we join the Tenants Union's rent strike at the Harbor View "
                "buildings, or support it with petitions and hearings only?",
                context="The Tenants Union asked its partners to put members on the picket "
                "lines. Staff would carry the legal follow-up.",
                opened=_at(dt.date(2025, 1, 13), 19), closes=_at(dt.date(2025, 1, 27), 21),
                options=[("Join the rent strike with our members", ""),
                         ("Petitions and hearing turnout only", "")],
                impacts=[
                    (0, m, 6, 0.6, 2, 0.4), (0, t, 8, 0.6, 3, 0.4), (0, n, 5, 0.6, 2, 0.3),
                    (0, st, 1, 0.5, 4, 0.5), (0, c, 4, 0.5, 1, 0.3),
                    (1, m, 2, 0.5, 1, 0.2), (1, t, 3, 0.5, 2, 0.4), (1, n, 2, 0.4, 1, 0.2),
                    (1, st, 1, 0.6, 1, 0.2), (1, c, 2, 0.5, 1, 0.3),
                ],
                lean=[0.75, 0.25], outcome=0, review_due=dt.date(2025, 7, 15),
                reviews=[
                    (dt.date(2025, 7, 15), "Six months on: repairs started in one building; "
                     "the landlord's lawyers kept staff busy.",
                     {m: _gl(3, 1), t: _gl(3, 0), n: _gl(0, 0), st: _gl(0, 2), c: _gl(1, 0)}),
                    (dt.date(2025, 12, 2), "A year on: a settlement for the tenants, but the "
                     "rest of the block saw rents rise; neighbors blamed the strike.",
                     {m: _gl(3, 0), t: _gl(4, 0), n: _gl(2, 2), st: _gl(1, 2), c: _gl(2, 0)}),
                ],
            ),
            dict(
                base,
                question="Do we hire a second paid organizer, or keep the money for "
                "member-led campaigns?",
                context="Dues grew after the rent strike; the budget allows one of the two.",
                opened=_at(dt.date(2025, 4, 7), 19), closes=_at(dt.date(2025, 4, 21), 21),
                options=[("Hire a second organizer", ""), ("Fund member-led campaigns", "")],
                impacts=[
                    (0, m, 5, 0.7, 2, 0.3), (0, t, 2, 0.5, 0, 0), (0, n, 4, 0.5, 1, 0.2),
                    (0, st, 6, 0.8, 2, 0.3), (0, c, 3, 0.5, 1, 0.2),
                    (1, m, 4, 0.6, 2, 0.4), (1, t, 1, 0.5, 0, 0), (1, n, 3, 0.5, 1, 0.3),
                    (1, st, 0, 0, 3, 0.6), (1, c, 2, 0.5, 1, 0.3),
                ],
                lean=[0.65, 0.35], outcome=0, review_due=dt.date(2025, 11, 1),
                reviews=[
                    (dt.date(2025, 11, 10), "The new organizer spent most of the year on "
                     "intake; fewer members led actions, and the block club folded.",
                     {m: _gl(2, 1), t: _gl(1, 0), n: _gl(0, 1), st: _gl(2, 0), c: _gl(1, 0)}),
                ],
            ),
            dict(
                base,
                question="Do we endorse Imani Calloway for mayor now, or wait and endorse "
                "together with the Riverland Forward table?",
                context="Members are eager; the table asked partners to endorse as one.",
                opened=_at(dt.date(2026, 2, 2), 19), closes=_at(dt.date(2026, 2, 16), 21),
                options=[("Endorse now, on our own", ""),
                         ("Wait and endorse with the table", "")],
                impacts=[
                    (0, m, 5, 0.6, 1, 0.3), (0, t, 2, 0.5, 1, 0.3), (0, n, 3, 0.5, 1, 0.3),
                    (0, st, 1, 0.5, 2, 0.4), (0, c, 1, 0.4, 5, 0.5),
                    (1, m, 3, 0.6, 2, 0.4), (1, t, 3, 0.6, 1, 0.3), (1, n, 4, 0.5, 1, 0.3),
                    (1, st, 1, 0.5, 1, 0.3), (1, c, 6, 0.7, 1, 0.2),
                ],
                lean=[0.3, 0.7], outcome=1, review_due=dt.date(2026, 5, 15),
                reviews=[
                    (dt.date(2026, 5, 15), "The joint endorsement landed well at the table; "
                     "members grumbled about the wait.",
                     {m: _gl(1, 1), t: _gl(1, 0), n: _gl(0, 0), st: _gl(0, 0), c: _gl(3, 0)}),
                    (dt.date(2026, 10, 1), "After the primary win: members proud, the table "
                     "stronger than ever, the neighborhood barely noticed.",
                     {m: _gl(2, 0), t: _gl(2, 0), n: _gl(0, 0.5), st: _gl(1.5, 0.5),
                      c: _gl(2.5, 0)}),
                ],
            ),
            dict(
                base,
                question="Where does our summer canvass go: the tenant ordinance or the "
                "mayoral primary?",
                context="Both peak in the same months; we have about 40 canvassers.",
                opened=_at(dt.date(2026, 5, 4), 19), closes=_at(dt.date(2026, 5, 18), 21),
                options=[("The tenant ordinance first", ""), ("The primary first", ""),
                         ("Split the canvass evenly", "")],
                impacts=[
                    (0, m, 4, 0.6, 1, 0.3), (0, t, 7, 0.6, 1, 0.3), (0, n, 6, 0.6, 1, 0.2),
                    (0, st, 2, 0.5, 2, 0.4), (0, c, 3, 0.5, 2, 0.4),
                    (1, m, 4, 0.6, 1, 0.3), (1, t, 2, 0.4, 3, 0.5), (1, n, 3, 0.5, 1, 0.3),
                    (1, st, 2, 0.5, 2, 0.4), (1, c, 5, 0.6, 1, 0.3),
                    (2, m, 3, 0.5, 1, 0.3), (2, t, 4, 0.5, 2, 0.3), (2, n, 4, 0.5, 1, 0.3),
                    (2, st, 1, 0.5, 3, 0.5), (2, c, 3, 0.5, 1, 0.3),
                ],
                lean=[0.6, 0.25, 0.15], outcome=0, review_due=dt.date(2026, 10, 20),
                reviews=[
                    (dt.date(2026, 10, 26), "The ordinance passed 5-4. Evictions slowed, but "
                     "the neighbors we canvassed expected rent relief the ordinance does not "
                     "give; the partners felt we skipped the primary.",
                     {m: _gl(2.5, 0), t: _gl(4, 0), n: _gl(2, 1), st: _gl(0.5, 1),
                      c: _gl(1, 1)}),
                ],
            ),
            dict(
                base,
                question="Do we join the coalition's phone bank for the general election, or "
                "canvass our own precincts?",
                context="The table wants every partner's volunteers on one phone bank.",
                opened=_at(dt.date(2026, 9, 21), 19), closes=_at(dt.date(2026, 10, 3), 21),
                options=[("Join the coalition phone bank", ""),
                         ("Canvass our own precincts", "")],
                impacts=[
                    (0, m, 2, 0.5, 1, 0.3), (0, t, 1, 0.5, 0, 0), (0, n, 1, 0.4, 0, 0),
                    (0, st, 1, 0.5, 1, 0.3), (0, c, 5, 0.6, 1, 0.2),
                    (1, m, 4, 0.6, 1, 0.3), (1, t, 2, 0.5, 1, 0.2), (1, n, 4, 0.5, 1, 0.2),
                    (1, st, 2, 0.5, 1, 0.3), (1, c, 2, 0.5, 2, 0.4),
                ],
                lean=[0.35, 0.65], outcome=1, review_due=dt.date(2026, 12, 10),
            ),
        ]

    # ------------------------------------------------------------------ scenarios

    def scenarios(self) -> None:
        k = self.org_by_key
        council = self.bodies[0]
        p_with_us = {"progressive": 0.92, "centrist": 0.35, "conservative": 0.05}
        members = []
        for given_name, family_name, bloc, _x in cast.COUNCIL:
            full = f"{given_name} {family_name}"
            p = p_with_us[bloc]
            if full == cast.MOVER:
                p = 0.6
            elif full in cast.MAYOR_CLOSE:
                p = 0.2
            members.append({"name": full, "weight": 1, "p_with_us": p, "bloc": bloc})
        body_spec = {
            "name": "Does our 5-4 council majority hold?",
            "body": {"quota": 5, "members": members,
                     "blocs": {"progressive": 0.6, "centrist": 0.7}},
            "shocks": [
                {"kind": "bloc_shift", "bloc": "centrist", "steps": -1, "probability": 0.5,
                 "label": "The centrists follow the mayor after the election"},
                {"kind": "member_defects", "member": cast.COUNCIL[4][0] + " " + cast.COUNCIL[4][1],
                 "probability": 0.15,
                 "label": "Westfield money peels off our least secure vote"},
            ],
            "seed": self.seed,
            "draws": 20000,
        }
        nominee = "Imani Calloway"
        mayor = "Desmond Hartigan"
        gop = "Gideon Pemberton"
        wards = [
            ("Ward 1 (north side)", 21000, 0.38, (0.62, 0.23, 0.15), "renters"),
            ("Ward 2 (east bank)", 19000, 0.35, (0.58, 0.27, 0.15), "renters"),
            ("Ward 3 (downtown)", 15000, 0.42, (0.45, 0.38, 0.17), "downtown"),
            ("Ward 4 (hills)", 17000, 0.52, (0.30, 0.42, 0.28), "homeowners"),
            ("Ward 5 (westfield)", 16000, 0.55, (0.25, 0.40, 0.35), "homeowners"),
            ("Ward 6 (airport)", 18000, 0.33, (0.57, 0.28, 0.15), "renters"),
        ]
        race_spec = {
            "name": "The write-in: does the center realign against our nominee?",
            "race": {
                "candidates": [
                    {"name": nominee, "us": True},
                    {"name": mayor, "write_in": True, "counted": 0.92},
                    {"name": gop},
                ],
                "divisions": [
                    {"name": nm, "voters": voters, "turnout": turnout,
                     "shares": {nominee: a, mayor: b, gop: c}, "group": group}
                    for nm, voters, turnout, (a, b, c), group in wards
                ],
            },
            "shocks": [
                {"kind": "capture", "to": mayor, "from": gop, "fraction": 0.9,
                 "probability": 0.6,
                 "label": "Republican voters consolidate behind the write-in"},
                {"kind": "capture", "to": mayor, "fraction": 0.2,
                 "probability": 0.4, "label": "Attack mailers capture part of our base"},
                {"kind": "turnout", "change": 0.1, "group": "renters", "probability": 0.5,
                 "label": "Our field program lifts renter turnout"},
            ],
            "seed": self.seed,
            "draws": 20000,
        }
        owner = k["northside"].pk
        self._bulk([
            Scenario(organization_id=owner, name=str(body_spec["name"]),
                     description="The council's one-seat majority under the blowback the "
                     "panel warned about.", body=council, spec=body_spec, seed=self.seed,
                     draws=20000, created_by=self.users["ana"]),
            Scenario(organization_id=owner, name=str(race_spec["name"]),
                     description="The defeated incumbent runs a write-in; the center and the "
                     "right may consolidate behind him.", race=self.campaigns["general"],
                     spec=race_spec, seed=self.seed, draws=20000,
                     created_by=self.users["ana"]),
        ])
        self._tick("scenarios", 2, 2)
