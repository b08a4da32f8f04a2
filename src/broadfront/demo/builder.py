"""The machinery that writes a demo: batched inserts, progress, and the as-of date shift.

:class:`Builder` holds the random streams (one per stage, spawned from the seed), the rows the
stages need from each other (organizations, people, precincts, squads) and the plumbing every
stage writes through: :meth:`Builder.bulk` (``bulk_create`` in batches) and :meth:`Builder.rows`
(plain tuples straight to ``executemany`` or PostgreSQL's ``COPY`` at scale).

The as-of shift lives here and nowhere else. The story is written around one day,
:data:`~broadfront.demo.cast.DEMO_AS_OF`; a load moves every date and time by
``Builder.shift`` (whole days) so that day becomes the load's ``as_of``. The move happens
where rows reach the database (``bulk`` and ``rows``), so no date of the story can escape it,
while the stages keep reasoning on the story's own calendar. The stages themselves are in
:mod:`broadfront.demo.areas`; what the story says (names, dates, numbers) is in
:mod:`broadfront.demo.cast`, :mod:`broadfront.demo.names` and :mod:`broadfront.demo.story`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connection, models

from broadfront.demo.cast import DEMO_AS_OF
from broadfront.demo.scale import DemoSize
from broadfront.web.campaigns.models import Campaign, Squad
from broadfront.web.landscape.models import Body, Issue
from broadfront.web.organizations.models import Coalition, Division, Person

ProgressCallback = Callable[[str, int, int], None]
_M = TypeVar("_M", bound=models.Model)
_T = TypeVar("_T")

#: The stages of a load, in order; each draws from its own random stream, so a change to one
#: stage's draws leaves the others' rows alone.
STAGES = (
    "divisions", "organizations", "users", "people", "campaigns", "ladder", "events",
    "commitments", "landscape", "bodies", "decisions", "scenarios", "gatherings",
)


def batched(items: Iterable[_T], size: int) -> Iterable[list[_T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` whole shares as equal as can be, the larger ones first.

    >>> split(7, 3)
    [3, 2, 2]
    """
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def slug(name: str) -> str:
    """The URL slug of a demo name (lower case, runs of other characters as one dash).

    >>> slug("Faith in Riverland")
    'faith-in-riverland'
    """
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:100]


@dataclass
class Org:
    """One demo organization as the stages see it: its cast line, its id and its people."""

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


class Builder:
    """Writes one demo; holds the random streams and the ids the stages need from each other.

    Attributes set by the stages (in :mod:`broadfront.demo.areas`), in the order they run:
    divisions (``state``, ``counties``, ``city``, ``precinct_*``), organizations
    (``orgs``, ``org_by_key``, ``people_counts``, ``coalitions``), users, people (``p_*``,
    indexed by person, and ``public``), campaigns (``campaigns``, ``squads``, ``squad_*``,
    ``recruit_plan``), landscape (``issues``) and bodies (``bodies``).
    """

    state: Division
    counties: list[Division]
    city: Division
    precinct_pk: np.ndarray
    precinct_att: np.ndarray
    precinct_name: list[str]
    precinct_county: np.ndarray
    precinct_postal: np.ndarray
    people_counts: list[int]
    p_owner: np.ndarray
    p_precinct: np.ndarray
    p_level: np.ndarray
    p_joined: np.ndarray
    p_pk: np.ndarray
    squads: list[Squad]
    squad_precinct: list[int]
    squad_leader: list[int]
    squad_quality: np.ndarray
    recruit_plan: list[tuple[int, int, int, int, str]]

    def __init__(self, size: DemoSize, seed: int, progress: ProgressCallback | None,
                 batch_size: int, shift: dt.timedelta = dt.timedelta(0), *,
                 fast: bool = True) -> None:
        self.size = size
        #: How far every date of the story moves on its way to the database.
        self.shift = shift
        self.seed = seed
        self.progress = progress
        self.batch = batch_size
        #: Insert plain rows with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL).
        self.fast = fast and connection.vendor in ("sqlite", "postgresql")
        streams = np.random.SeedSequence(seed).spawn(len(STAGES))
        self.rng = {stage: np.random.default_rng(s) for stage, s in zip(STAGES, streams,
                                                                         strict=True)}
        self.counts: dict[str, int] = {}
        self.orgs: list[Org] = []
        self.org_by_key: dict[str, Org] = {}
        self.users: dict[str, User] = {}
        self.public: dict[str, Person] = {}
        self.issues: dict[str, Issue] = {}
        self.bodies: list[Body] = []
        self.coalitions: dict[str, Coalition] = {}
        self.campaigns: dict[str, Campaign] = {}

    def tick(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def _dated_fields(self, model: type[models.Model]) -> list[str]:
        return [f.attname for f in model._meta.concrete_fields
                if isinstance(f, models.DateField)]  # DateTimeField is a DateField

    def bulk(self, objs: Sequence[_M]) -> list[_M]:
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

    def bulk_stream(self, stage: str, chunks: Iterable[list[_M]], total: int) -> None:
        done = 0
        for chunk in chunks:
            self.bulk(chunk)
            done += len(chunk)
            self.tick(stage, done, total)

    def rows(self, stage: str, model: type[models.Model], columns: Sequence[str],
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

            for chunk in batched(rows, self.batch):
                self.bulk(objects(chunk))
                done += len(chunk)
                self.tick(stage, done, total)
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
            for chunk in batched(rows, self.batch):
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
                self.tick(stage, done, total)

    def first_free_id(self, model: type[models.Model]) -> int:
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

    def reset_sequence(self, model: type[models.Model]) -> None:
        """After inserting explicit ids, move the id sequence past them (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), [model])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def manifest(self) -> dict[str, Any]:
        """The ids a later :func:`~broadfront.demo.generator.delete_demo` needs."""
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
