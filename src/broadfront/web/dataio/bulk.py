"""The bulk side of imports: people, events and attendance at a million rows.

``do_import`` parses and checks a whole source once (pass 1) and keeps each validated record
as a small tuple in a temporary spill file (:class:`Spill`: pickled batches, so memory holds
one batch, never the file). Pass 2 reads the spill back, matches and writes inside one
transaction:

- people are matched through an in-memory :class:`~broadfront.formats.matching.PersonIndex`
  of the importing organization's keys only (identifiers, email, phone: loaded once with one
  query, no model instances), new people get temporary keys and are written in batches with
  ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) under ids taken up front (SQLite: above
  every id and the AUTOINCREMENT counter, while the transaction holds the write lock;
  PostgreSQL: from the table's sequence), so no row is read back;
- attendance rows are resolved through dicts of event identifiers and the person index,
  appended to one temporary table (numbered in file order) and written by a single sorted
  upsert (``INSERT ... SELECT ... ON CONFLICT DO UPDATE ... WHERE`` the values differ, so a
  re-import writes nothing; the last row of a repeated pair wins) (:class:`AttendanceWriter`).
  On SQLite the rows whose pair is not stored yet are counted first, and the table's
  secondary indexes are dropped and rebuilt only when those are many
  (:func:`deferred_indexes`).

On SQLite the page cache is enlarged for the duration of the import (journaling and the
transaction are untouched). Matching rules and merge semantics are those of
:mod:`broadfront.formats.matching`.
"""

from __future__ import annotations

import json
import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from broadfront import clock
from broadfront.exceptions import InputFileError
from broadfront.formats.matching import AMBIGUOUS, Match, PersonIndex
from broadfront.formats.records import (
    AttendanceRecord,
    EventRecord,
    PersonRecord,
    PersonRef,
)
from broadfront.web.accountability.models import Attendance, Event
from broadfront.web.organizations.models import Organization, Person

Progress = Callable[[str, int], None]
PEOPLE_BATCH = 5000
ATTENDANCE_BATCH = 50000
SPILL_BATCH = 5000
INDEX_REBUILD_MIN = 20000
_FIELDS = ("given_name", "family_name", "email", "phone", "postal_code")

# A person as pass 1 keeps it: (given, family, email, phone, postal, identifiers, file, row).
# An attendance: (event, identifiers, email, phone, status, attended, invited, person,
# event_record, file, row) where ``invited`` is (identifiers, email, phone) or None,
# ``person`` a person tuple or None and ``event_record`` an EventRecord or None.


def compact_person(r: PersonRecord) -> tuple[Any, ...]:
    """The spill form of a person record."""
    return (r.given_name, r.family_name, r.email, r.phone, r.postal_code, r.identifiers,
            r.source.file, r.source.row)


def compact_attendance(r: AttendanceRecord) -> tuple[Any, ...]:
    """The spill form of an attendance record."""
    inv = r.invited_by
    return (r.event, r.person.identifiers, r.person.email, r.person.phone, r.status,
            r.attended, (inv.identifiers, inv.email, inv.phone) if inv else None,
            compact_person(r.person_record) if r.person_record is not None else None,
            r.event_record, r.source.file, r.source.row)


class Spill:
    """Validated records in a temporary file: appended in pass 1, replayed in pass 2."""

    def __init__(self, batch: int = SPILL_BATCH) -> None:
        self.file = tempfile.TemporaryFile(prefix="broadfront-import-")  # noqa: SIM115
        self.batch = batch
        self.buffer: list[Any] = []
        self.count = 0

    def add(self, item: Any) -> None:
        self.buffer.append(item)
        self.count += 1
        if len(self.buffer) >= self.batch:
            self._dump()

    def _dump(self) -> None:
        if self.buffer:
            pickle.dump(self.buffer, self.file, pickle.HIGHEST_PROTOCOL)
            self.buffer = []

    def __iter__(self) -> Iterator[Any]:
        self._dump()
        self.file.seek(0)
        load = pickle.load
        while True:
            try:
                batch = load(self.file)
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        self.file.close()


def _error(file: str, row: Any, message: str, field: str | None) -> InputFileError:
    return InputFileError(message, file=file, row=row, field=field)


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


@contextmanager
def fast_writes() -> Iterator[None]:
    """A larger SQLite page cache while importing (128 MiB at most, then restored).

    Journaling, synchronous mode and the transaction are left as they are.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -131072")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def deferred_indexes(table: str, inserting: Callable[[], int], at_most: int) -> Iterator[None]:
    """SQLite: drop a table's secondary indexes while inserting many rows, rebuild them after.

    Only when the rows that will really be inserted are many against the rows already there
    (building an index once over sorted keys is several times cheaper than growing it row by
    row): at least ``INDEX_REBUILD_MIN`` and at least a quarter of the stored rows.
    ``inserting`` counts them (called only when ``at_most``, an upper bound, passes both
    tests), so a re-import that inserts nothing keeps its indexes and writes nothing. The
    drop, the load and the rebuild happen in the import's transaction: SQLite's DDL is
    transactional, so an error or a dry run rolls the indexes back with everything else, and
    readers keep seeing the committed table and its indexes meanwhile. Each dropped index is
    recreated from its own stored ``CREATE INDEX`` text. Unique constraints (``ON CONFLICT``
    needs them) are never dropped.
    """
    if connection.vendor != "sqlite" or at_most < INDEX_REBUILD_MIN:
        yield
        return
    indexes: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {_qn(table)}")
        existing = int(cursor.fetchone()[0])
        if at_most * 4 >= existing:
            new = inserting()
            if new >= INDEX_REBUILD_MIN and new * 4 >= existing:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name = %s AND sql IS NOT NULL ORDER BY name", [table])
                indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {_qn(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in indexes:
            cursor.execute(sql)


# --- people -----------------------------------------------------------------------------------

def _merge(stored: tuple[Any, ...] | list[Any], incoming: tuple[Any, ...] | list[Any]
           ) -> tuple[list[Any], bool, list[str]]:
    """:func:`broadfront.formats.matching.merge_person` on (given, family, email, phone,
    postal, ids)."""
    out = list(stored[:6])
    changed = False
    conflicts = []
    for i in range(5):
        old, new = stored[i], incoming[i]
        if new and not old:
            out[i] = new
            changed = True
        elif new and old and new != old:
            conflicts.append(_FIELDS[i])
    ids = tuple(stored[5])
    if incoming[5] and not set(incoming[5]).issubset(ids):
        ids = tuple(dict.fromkeys(ids + tuple(incoming[5])))
        changed = True
    out[5] = ids
    return out, changed, conflicts


class People:
    """The importing organization's people: a key index loaded once, writes in batches.

    Keys are pks for stored people and temporary negative keys (``-2, -3, ...``) for people
    created by this import; ``pk_of`` turns a temporary key into its pk once written.
    """

    def __init__(self, organization: Organization, report: Any) -> None:
        self.org = organization
        self.report = report
        self.index = PersonIndex()
        self.known = bytearray()
        self.known_big: set[int] = set()
        self.pending: dict[int, list[Any]] = {}
        self.matched: dict[int, list[Any]] = {}
        self.seen_ids: set[str] = set()
        self.created = array("q")
        self.next_temp = -2
        table = _qn(Person._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, identifiers, email, phone FROM {table} "
                           f"WHERE owner_id = %s", [organization.pk])
            add, loads = self.index.add, json.loads
            while rows := cursor.fetchmany(5000):
                for pk, ids, email, phone in rows:
                    if isinstance(ids, str):
                        ids = loads(ids)
                    add(pk, ids or (), (email or "").lower(), phone or "")
                    self._mark(pk)

    def _mark(self, pk: int) -> None:
        if pk >= 1 << 28:
            self.known_big.add(pk)
            return
        byte = pk >> 3
        if byte >= len(self.known):
            self.known.extend(bytes(max(byte + 1 - len(self.known), len(self.known))))
        self.known[byte] |= 1 << (pk & 7)

    def is_known(self, pk: int) -> bool:
        if pk >= 1 << 28:
            return pk in self.known_big
        byte = pk >> 3
        return 0 <= byte < len(self.known) and bool(self.known[byte] & (1 << (pk & 7)))

    def pk_of(self, key: int) -> int:
        """The pk of a key (a temporary key must have been flushed)."""
        return key if key >= 0 else self.created[-key - 2]

    def resolve(self, identifiers: tuple[str, ...], email: str, phone: str) -> Match:
        for ident in identifiers:
            if ident.startswith("broadfront:person-"):
                try:
                    pk = int(ident.rsplit("-", 1)[1])
                except ValueError:
                    continue
                if self.is_known(pk):
                    return Match(pk, "identifier")
        return self.index.find(PersonRef(identifiers, email, phone))

    def take(self, p: tuple[Any, ...], *, unique_ids: bool) -> int:
        """Match or create the person tuple ``p``; returns its key."""
        given, family, email, phone, postal, identifiers, file, row = p
        if unique_ids:
            seen = self.seen_ids
            for ident in identifiers:
                if ident in seen:
                    raise _error(file, row, f"the identifier {ident!r} appears twice in this "
                                 f"file", "identifiers")
                seen.add(ident)
        stored = tuple(i for i in identifiers if not i.startswith("broadfront:"))
        match = self.resolve(identifiers, email, phone)
        if match.conflict:
            self.report.conflict(f"{file} {row}: {match.conflict}")
        key = match.key
        incoming = [given, family, email, phone, postal, stored]
        if key is None:
            key = self.next_temp
            self.next_temp -= 1
            self.pending[key] = incoming
            self.index.add(key, stored, email, phone)
            if len(self.pending) >= PEOPLE_BATCH:
                self.flush()
            return key
        self.report.add("matched", match.via or "")
        if key < 0:
            if key in self.pending:
                merged, _, _ = _merge(self.pending[key], incoming)
                self.pending[key] = merged
                self.index.add(key, merged[5], merged[2], merged[3])
                return key
            pk = self.pk_of(key)
        else:
            pk = key
        self.matched[pk] = _merge(self.matched[pk], incoming)[0] if pk in self.matched \
            else incoming
        if len(self.matched) >= PEOPLE_BATCH:
            self.flush()
        return key

    def _new_ids(self, n: int) -> list[int]:
        table = Person._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                               "FROM generate_series(1, %s)", [table, n])
                return [r[0] for r in cursor.fetchall()]
            cursor.execute(f"SELECT MAX(id) FROM {_qn(table)}")
            highest = int(cursor.fetchone()[0] or 0)
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                if row is not None:
                    highest = max(highest, int(row[0]))
        return list(range(highest + 1, highest + 1 + n))

    def flush(self) -> None:
        """Write pending creations and merges."""
        if self.pending:
            self._create()
        if self.matched:
            self._update()

    def _create(self) -> None:
        ids = self._new_ids(len(self.pending))
        now = connection.ops.adapt_datetimefield_value(clock.now())
        org = self.org.pk
        dumps = json.dumps
        rows = []
        for pk, r in zip(ids, self.pending.values(), strict=True):
            rows.append((pk, org, r[0][:100], r[1][:100], r[2], r[3], r[4],
                         dumps(list(r[5])), "", now))
            self.created.append(pk)
            self._mark(pk)
        table = _qn(Person._meta.db_table)
        columns = ("id, owner_id, given_name, family_name, email, phone, postal_code, "
                   "identifiers, public_role, created_at")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES "
                                   f"(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
        self.report.add("created", "person", len(rows))
        self.pending = {}

    def _update(self) -> None:
        table = _qn(Person._meta.db_table)
        pks = list(self.matched)
        changed = []
        with connection.cursor() as cursor:
            for start in range(0, len(pks), 900):
                part = pks[start:start + 900]
                cursor.execute(f"SELECT id, given_name, family_name, email, phone, postal_code, "
                               f"identifiers FROM {table} "
                               f"WHERE id IN ({', '.join(['%s'] * len(part))})", part)
                for pk, given, family, email, phone, postal, ids in cursor.fetchall():
                    if isinstance(ids, str):
                        ids = json.loads(ids)
                    stored = (given, family, (email or "").lower(), phone, postal or "",
                              tuple(ids or ()))
                    merged, did_change, conflicts = _merge(stored, self.matched[pk])
                    for name in conflicts:
                        value = stored[_FIELDS.index(name)]
                        self.report.conflict(f"person {pk}: {name} differs ({value!r} kept)")
                    if did_change:
                        changed.append((merged[0], merged[1], merged[2], merged[3],
                                        merged[4], json.dumps(list(merged[5])), pk))
                        self.index.add(pk, merged[5], merged[2], merged[3])
            if changed:
                cast = "::jsonb" if connection.vendor == "postgresql" else ""
                cursor.executemany(f"UPDATE {table} SET given_name = %s, family_name = %s, "
                                   f"email = %s, phone = %s, postal_code = %s, "
                                   f"identifiers = %s{cast} WHERE id = %s", changed)
        self.report.add("updated", "person", len(changed))
        self.report.add("unchanged", "person", len(pks) - len(changed))
        self.matched = {}


def people_handler(org: Organization, records: Iterable[tuple[Any, ...]], report: Any,
                   tick: Progress) -> None:
    """Pass 2 of a people import: match, merge and write every spilled person."""
    people = People(org, report)
    n = 0
    for n, p in enumerate(records, 1):
        people.take(p, unique_ids=True)
        if n % 10000 == 0:
            tick("people", n)
    people.flush()
    tick("people", n)


# --- events -----------------------------------------------------------------------------------

class Events:
    """The importing organization's events by identifier (and bare id)."""

    def __init__(self, org: Organization, report: Any) -> None:
        self.org = org
        self.report = report
        self.by_id: dict[str, int] = {}
        self.by_bare: dict[str, int] = {}
        for pk, identifiers in Event.objects.filter(organization=org).values_list(
                "pk", "identifiers"):
            self._index(pk, identifiers or [])

    def _index(self, pk: int, identifiers: list[str]) -> None:
        for ident in identifiers:
            self.by_id.setdefault(ident, pk)
            self.by_bare.setdefault(ident.split(":", 1)[-1], pk)
        self.by_id[f"broadfront:event-{pk}"] = pk

    def find(self, ref: str) -> int | None:
        pk = self.by_id.get(ref)
        if pk is not None:
            return pk
        return self.by_bare.get(ref) if ":" not in ref else None

    def take(self, record: EventRecord, seen: set[str] | None = None) -> int:
        if seen is not None:
            for ident in record.identifiers:
                if ident in seen:
                    raise record.source.error(f"the identifier {ident!r} appears twice in "
                                              f"this file", "identifiers")
                seen.add(ident)
        pk = next((p for p in (self.find(i) for i in record.identifiers) if p is not None), None)
        stored_ids = [i for i in record.identifiers if not i.startswith("broadfront:")]
        if pk is None:
            event = Event.objects.create(organization=self.org, name=record.name[:200],
                                         kind=record.kind, starts_at=record.starts_at,
                                         ends_at=record.ends_at, identifiers=stored_ids)
            self._index(event.pk, stored_ids)
            self.report.add("created", "event")
            return event.pk
        event = Event.objects.get(pk=pk)
        identifiers = list(dict.fromkeys((event.identifiers or []) + stored_ids))
        new = (record.name[:200], record.kind, record.starts_at, record.ends_at, identifiers)
        if (event.name, event.kind, event.starts_at, event.ends_at, event.identifiers) != new:
            event.name, event.kind, event.starts_at, event.ends_at, event.identifiers = new
            event.save()
            self._index(pk, identifiers)
            self.report.add("updated", "event")
        else:
            self.report.add("unchanged", "event")
        return pk


def events_handler(org: Organization, records: Iterable[EventRecord], report: Any,
                   tick: Progress) -> None:
    """Pass 2 of an events import (events are few: one statement each)."""
    events = Events(org, report)
    seen: set[str] = set()
    for n, record in enumerate(records, 1):
        events.take(record, seen)
        if n % 1000 == 0:
            tick("events", n)


# --- attendance -------------------------------------------------------------------------------

def _describe(identifiers: tuple[str, ...], email: str, phone: str) -> str:
    parts = list(identifiers[:2]) + [p for p in (email, phone) if p]
    return " / ".join(parts) or "nothing"


def attendance_handler(org: Organization, records: Iterable[tuple[Any, ...]], report: Any,
                       tick: Progress) -> None:
    """Pass 2 of an attendance import: resolve events and people, then upsert them all."""
    people = People(org, report)
    events = Events(org, report)
    before = _attendance_count(org)
    rows: list[tuple[int, int, str, bool | None, int | None]] = []
    written = 0

    def person_key(identifiers: tuple[str, ...], email: str, phone: str, file: str,
                   row: Any, what: str) -> int:
        key = people.resolve(identifiers, email, phone).key
        if key is None or key == AMBIGUOUS:
            raise _error(file, row, f"no person of {org.name} matches "
                         f"{_describe(identifiers, email, phone)} (import people first)", what)
        return key

    writer = AttendanceWriter()

    def flush() -> None:
        nonlocal written
        people.flush()
        pk_of = people.pk_of
        resolved = [(e, pk_of(k), s, a, None if i is None else pk_of(i))
                    for e, k, s, a, i in rows]
        writer.add(resolved)
        written += len(resolved)
        rows.clear()
        tick("attendance", written)

    _attendance_rows(org, records, people, events, rows, flush, person_key)
    flush()
    changed = writer.finish()
    created = _attendance_count(org) - before
    report.add("created", "attendance", created)
    report.add("updated", "attendance", max(changed - created, 0))
    report.add("matched", "attendance", written - created)


def _attendance_rows(org: Organization, records: Iterable[tuple[Any, ...]], people: People,
                     events: Events, rows: list[Any], flush: Callable[[], None],
                     person_key: Callable[..., int]) -> None:
    find_event = events.find
    for (event, ids, email, phone, status, attended, invited, person, event_record, file,
         row) in records:
        event_pk = find_event(event)
        if event_pk is None:
            if event_record is None:
                raise _error(file, row, f"no event of {org.name} has the identifier "
                             f"{event!r} (import events first)", "event")
            event_pk = events.take(event_record)
        if person is not None:
            key = people.take(person, unique_ids=False)
        else:
            key = person_key(ids, email, phone, file, row, "person")
        inv = None
        if invited is not None:
            inv = person_key(invited[0], invited[1], invited[2], file, row, "invited_by")
        rows.append((event_pk, key, status, attended, inv))
        if len(rows) >= ATTENDANCE_BATCH:
            flush()


def _attendance_count(org: Organization) -> int:
    return Attendance.objects.filter(person__owner=org).count()


_ATT_COLUMNS = "event_id, person_id, status, attended, invited_by_id"
_ATT_UPDATE = ("status = excluded.status, attended = excluded.attended, "
               "invited_by_id = excluded.invited_by_id")


def upsert_attendance(temp: str) -> int:
    """SQLite: insert or update the attendance rows held in the temporary table ``temp``.

    One ``INSERT ... SELECT`` in (event, person) order: the row with the highest ``seq`` (the
    file's last) of a repeated pair wins (SQLite takes a ``GROUP BY`` row's bare columns from
    the row holding ``MAX(seq)``), and a stored row whose status, attended and inviter
    already equal the incoming ones is left untouched (the ``WHERE`` of the upsert), so a
    re-import writes nothing. Returns the stored rows inserted or changed.
    """
    table = _qn(Attendance._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({_ATT_COLUMNS}) SELECT {_ATT_COLUMNS} FROM "
            f"(SELECT {_ATT_COLUMNS}, MAX(seq) FROM {temp} GROUP BY event_id, person_id) "
            f"WHERE true ORDER BY event_id, person_id "
            f"ON CONFLICT (event_id, person_id) DO UPDATE SET {_ATT_UPDATE} "
            f"WHERE status IS NOT excluded.status OR attended IS NOT excluded.attended "
            f"OR invited_by_id IS NOT excluded.invited_by_id")
        return max(int(cursor.rowcount), 0)


def count_new_attendance(temp: str) -> int:
    """Rows of the temporary table ``temp`` whose (event, person) pair is not stored yet.

    One probe of the unique (event, person) index per row, no sort; a new pair repeated in
    the file counts once per row (an upper bound on the rows an upsert will insert).
    """
    table = _qn(Attendance._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {temp} AS n WHERE NOT EXISTS (SELECT 1 FROM "
                       f"{table} AS a WHERE a.event_id = n.event_id "
                       f"AND a.person_id = n.person_id)")
        return int(cursor.fetchone()[0])


class AttendanceWriter:
    """Writes an import's attendance rows inside its transaction; ``finish`` returns how
    many stored rows were inserted or changed.

    Every batch is appended to a temporary table (numbered in file order: ``COPY`` on
    PostgreSQL, ``executemany`` on SQLite); ``finish`` writes them all with one sorted
    upsert in which the last row of a repeated pair wins, index inserts arrive in key order
    and unchanged rows are not rewritten. PostgreSQL: ``INSERT ... SELECT DISTINCT ON
    (event_id, person_id) ... ORDER BY event_id, person_id, seq DESC ON CONFLICT DO UPDATE
    ... WHERE`` the values differ, with a larger ``work_mem`` for the transaction only (``SET
    LOCAL``) so the sort stays in memory. SQLite: first counts the rows whose pair is not
    stored yet (:func:`count_new_attendance`) to decide whether dropping and rebuilding the
    secondary indexes pays (:func:`deferred_indexes`), then :func:`upsert_attendance`.
    """

    TEMP = "dataio_attendance_in"

    def __init__(self) -> None:
        if not connection.in_atomic_block:
            raise RuntimeError("attendance rows are written inside the import's transaction")
        self.postgres = connection.vendor == "postgresql"
        self.seq = 0
        self.changed = 0
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute(f"DROP TABLE IF EXISTS {self.TEMP}")
                cursor.execute(f"CREATE TEMP TABLE {self.TEMP} (seq bigint, event_id bigint, "
                               f"person_id bigint, status varchar(20), attended boolean, "
                               f"invited_by_id bigint) ON COMMIT DROP")
            else:
                cursor.execute(f"DROP TABLE IF EXISTS temp.{self.TEMP}")
                cursor.execute(f"CREATE TEMP TABLE {self.TEMP} (seq integer, event_id integer, "
                               f"person_id integer, status text, attended boolean, "
                               f"invited_by_id integer)")

    def add(self, rows: list[tuple[int, int, str, bool | None, int | None]]) -> None:
        if not rows:
            return
        first = self.seq + 1
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(
                        f"COPY {self.TEMP} (seq, {_ATT_COLUMNS}) FROM STDIN") as copy:
                    write = copy.write_row
                    for seq, row in enumerate(rows, first):
                        write((seq, *row))
            else:
                cursor.executemany(f"INSERT INTO {self.TEMP} (seq, {_ATT_COLUMNS}) "
                                   f"VALUES (%s, %s, %s, %s, %s, %s)",
                                   [(seq, *row) for seq, row in enumerate(rows, first)])
        self.seq += len(rows)

    def finish(self) -> int:
        table = _qn(Attendance._meta.db_table)
        with connection.cursor() as cursor:
            if self.postgres:
                if self.seq:
                    cursor.execute(f"ANALYZE {self.TEMP}")
                    cursor.execute(
                        f"INSERT INTO {table} AS t ({_ATT_COLUMNS}) "
                        f"SELECT DISTINCT ON (event_id, person_id) {_ATT_COLUMNS} "
                        f"FROM {self.TEMP} ORDER BY event_id, person_id, seq DESC "
                        f"ON CONFLICT (event_id, person_id) DO UPDATE SET {_ATT_UPDATE} "
                        f"WHERE (t.status, t.attended, t.invited_by_id) IS DISTINCT FROM "
                        f"(excluded.status, excluded.attended, excluded.invited_by_id)")
                    self.changed = max(int(cursor.rowcount), 0)
                cursor.execute(f"DROP TABLE {self.TEMP}")
                return self.changed
        if self.seq:
            with deferred_indexes(Attendance._meta.db_table,
                                  lambda: count_new_attendance(self.TEMP), self.seq):
                self.changed = upsert_attendance(self.TEMP)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE temp.{self.TEMP}")
        return self.changed
