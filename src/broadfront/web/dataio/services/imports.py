"""Imports and exports: validate the whole source first, then write it in one transaction.

``do_import`` reads a source twice. The first pass parses and checks every record without
touching the database (a bad file fails here, naming file, row or JSON pointer and field).
The second pass matches people (identifiers, then email, then phone), resolves events and
writes in bulk inside one transaction; any error there rolls everything back. A dry run does
the second pass too and then rolls back, so its report is exactly what the import would do.
Person-level records always land in the importing organization, and matching only ever looks
at that organization's people; the write rule is asked once for the kind of record (a person,
an event, an attendance of the organization's person at its event) before any row is written.

Every other record a file touches (organizations, divisions, bodies, seats, motions, votes,
public figures, targets, commitments, deliveries, stances, relationships) goes through the one
write rule, :mod:`broadfront.web.common.permissions`, row by row: a row the importer may not
write is refused by file, row and field, and nothing is written. The import's audit entry
lists which records changed which fields; a change to another organization's record, or to a
shared record an organization curates, gets an audit entry of its own naming that
organization (``subject_organization``), so its admins read it.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from broadfront.exceptions import (
    ValidationError,
)
from broadfront.formats import csvfiles, osdi, popolo
from broadfront.formats.records import (
    EventRecord,
)
from broadfront.web.accountability.models import Attendance, Event
from broadfront.web.common import audit, permissions
from broadfront.web.common.services import require_role
from broadfront.web.common.tenancy import ROLE_ORGANIZER
from broadfront.web.dataio import bulk
from broadfront.web.dataio.services import templates
from broadfront.web.organizations.models import Organization, Person

if TYPE_CHECKING:
    from broadfront.web.common.tenancy import UserLike

FORMATS = ("osdi", "csv", "popolo")
OSDI_IMPORT_KINDS = ("people", "events", "attendance")
BATCH = 2000
Progress = Callable[[str, int], None]



@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    format: str
    kind: str
    dry_run: bool
    read: int = 0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    conflict_count: int = 0
    seconds: float = 0.0
    source: str = ""
    #: Records the import created or changed, field by field (``[before, after]``), for the
    #: template and Popolo kinds; people, events and attendance are counted only (they land in
    #: the importing organization). At most ``MAX_CHANGES_LISTED``; ``change_count`` has all.
    changes: list[dict[str, Any]] = field(default_factory=list)
    change_count: int = 0

    def add(self, bucket: str, model: str, n: int = 1) -> None:
        if n == 0:
            return
        counts = getattr(self, bucket)
        counts[model] = counts.get(model, 0) + n

    def conflict(self, message: str) -> None:
        self.conflict_count += 1
        if len(self.conflicts) < 50:
            self.conflicts.append(message)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class _DryRun(Exception):
    pass



# --- sources ----------------------------------------------------------------------------------

def _records(fmt: str, kind: str, source: str, token: str | None,
             per_page: int) -> Callable[[], Iterator[Any]]:
    if fmt == "osdi":
        if kind not in osdi.EMBEDDED:
            raise ValidationError(f"kind must be one of {', '.join(osdi.EMBEDDED)} for OSDI, "
                                  f"got {kind!r}", parameter="kind")
        if source.startswith(("http://", "https://")):
            if not token:
                raise ValidationError("a live OSDI endpoint needs an API token",
                                      parameter="token")
            folder = tempfile.mkdtemp(prefix="broadfront-osdi-")
            osdi.write_osdi_files(osdi.read_osdi_endpoint(source, token, kind,
                                                          per_page=per_page), folder, kind)
            return lambda: osdi.read_osdi_files(folder, kind)
        return lambda: osdi.read_osdi_files(source, kind)
    if fmt == "csv":
        if kind not in csvfiles.CSV_FORMATS:
            raise ValidationError(f"kind must be one of {', '.join(csvfiles.CSV_FORMATS)} for "
                                  f"CSV, got {kind!r}", parameter="kind")
        return lambda: csvfiles.read_csv(source, kind)
    if fmt == "popolo":
        return lambda: iter([popolo.read_popolo(source)])
    raise ValidationError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}",
                          parameter="format")


def import_kind(fmt: str, kind: str) -> str:
    """The handler that imports ``kind`` in ``fmt`` (refusing a kind Broadfront cannot take)."""
    if fmt == "popolo":
        return "popolo"
    if kind == "action_network":
        return "people"
    if kind == "mobilize":
        return "attendance"
    if fmt == "osdi" and kind not in OSDI_IMPORT_KINDS:
        raise ValidationError(
            f"OSDI {kind} can be read and written but Broadfront has no table for them yet; "
            f"importable OSDI kinds: {', '.join(OSDI_IMPORT_KINDS)}", parameter="kind")
    return kind


# --- the entry point --------------------------------------------------------------------------

def do_import(actor: UserLike | None, organization: Organization, source: str | os.PathLike[str], *,
              format: str, kind: str = "people", dry_run: bool = False,
              token: str | None = None, per_page: int = 100,
              progress: Progress | None = None) -> ImportReport:
    """Import a file, a folder of OSDI pages or a live OSDI endpoint into ``organization``.

    Parameters
    ----------
    actor : User
        Who imports; needs the organizer role in ``organization``.
    organization : Organization
        Where person-level records land.
    source : str or path
        A file, the first OSDI page file (or its folder) or an ``http(s)`` OSDI endpoint.
    format : str
        ``osdi``, ``csv`` or ``popolo``.
    kind : str
        OSDI: ``people``, ``events``, ``attendance``; CSV: ``action_network``, ``mobilize``
        or a template kind; ignored for Popolo.
    dry_run : bool
        Do everything, report, then roll back.
    token, per_page :
        For a live OSDI endpoint.
    progress : callable, optional
        ``progress(stage, records_done)``.

    Returns
    -------
    ImportReport

    Raises
    ------
    InputFileError
        A bad file (named: file, row or pointer, field); nothing is written.
    ValidationError, PermissionDeniedError
        Bad arguments or a missing role.
    WriteRefusedError
        A :class:`PermissionDeniedError`: a row would write a record the actor may not
        (:mod:`broadfront.web.common.permissions`), named by file, row and field; nothing is
        written, in a dry run too.
    """
    require_role(actor, organization.pk, ROLE_ORGANIZER)
    started = time.perf_counter()
    handler_kind = import_kind(format, kind)
    make = _records(format, kind, str(source), token, per_page)
    report = ImportReport(format=format, kind=kind, dry_run=dry_run,
                          source=str(source))
    tick = progress or (lambda stage, n: None)

    # Pass 1: parse and check every record, no database access. People and attendance keep
    # their validated records, compact, in a spill file that pass 2 replays.
    compact = _SPILLED.get(handler_kind)
    spill = bulk.Spill() if compact is not None else None
    try:
        count = 0
        for record in make():
            count += 1
            if spill is not None:
                spill.add(compact(record))  # type: ignore[misc]
            if count % 10000 == 0:
                tick("checking", count)
        tick("checking", count)
        report.read = count

        # Pass 2: match and write in one transaction.
        try:
            with transaction.atomic(), bulk.fast_writes():
                records = iter(spill) if spill is not None else make()
                _HANDLERS[handler_kind](actor, organization, records, report, tick)
                audit.record(actor, "dry-run import" if dry_run else "import", None,
                             organization=organization, model=f"dataio.{handler_kind}",
                             summary=f"{format} {kind} from {Path(str(source)).name}"[:300],
                             changes={"created": report.created, "updated": report.updated,
                                      "read": report.read, "changed": report.change_count,
                                      "rows": report.changes})
                if handler_kind == "attendance" and (report.created.get("attendance") or
                                                     report.updated.get("attendance")):
                    # keep the show-up summary exact (nothing to do when no row changed)
                    from broadfront.web.accountability.summary import refresh_attendance_summary
                    refresh_attendance_summary([organization.pk])
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    finally:
        if spill is not None:
            spill.close()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


# --- people, events, attendance (the bulk kinds: see bulk.py) ----------------------------------

def _people_handler(actor: UserLike, org: Organization, records: Any, report: ImportReport,
                    tick: Progress) -> None:
    permissions.require_write(actor, Person(owner=org), permissions.CREATE)
    bulk.people_handler(org, records, report, tick)


def _events_handler(actor: UserLike, org: Organization, records: Iterator[EventRecord],
                    report: ImportReport, tick: Progress) -> None:
    permissions.require_write(actor, Event(organization=org), permissions.CREATE)
    bulk.events_handler(org, records, report, tick)


def _attendance_handler(actor: UserLike, org: Organization, records: Any, report: ImportReport,
                        tick: Progress) -> None:
    # the organization's people at its own events (bulk.Events finds no one else's)
    permissions.require_write(actor, Attendance(event=Event(organization=org),
                                                person=Person(owner=org)), permissions.CREATE)
    bulk.attendance_handler(org, records, report, tick)


#: Kinds whose pass 1 keeps compact validated records in a spill file for pass 2.
_SPILLED: dict[str, Callable[[Any], Any]] = {
    "people": bulk.compact_person,
    "attendance": bulk.compact_attendance,
}


_HANDLERS: dict[str, Callable[..., None]] = {
    "people": _people_handler,
    "events": _events_handler,
    "attendance": _attendance_handler,
    "popolo": templates.popolo_handler,
    **{kind: templates.rows_handler(kind) for kind in templates.ROW_APPLIERS},
}
