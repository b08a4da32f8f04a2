"""Exports: an organization's people, events and attendance (OSDI or CSV), public bodies as
Popolo. An export reads: it is logged (``broadfront.exports``: who, what, how many), not
audited as a write.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from broadfront.exceptions import (
    ValidationError,
)
from broadfront.formats import csvfiles, osdi, popolo
from broadfront.formats.records import (
    AttendanceRecord,
    EventRecord,
    PersonRecord,
    PersonRef,
)
from broadfront.web.accountability.models import Attendance, Event
from broadfront.web.common.services import require_role
from broadfront.web.common.tenancy import ROLE_VIEWER
from broadfront.web.dataio.services.imports import FORMATS
from broadfront.web.organizations.models import Organization, Person

if TYPE_CHECKING:
    from broadfront.web.common.tenancy import UserLike

#: Exports are read operations: logged here (who, what, how many), not audited as writes.
export_log = logging.getLogger("broadfront.exports")

EXPORT_KINDS = ("people", "events", "attendance")


@dataclass(frozen=True)
class ExportResult:
    """Files written by an export and how many records they hold."""

    paths: tuple[str, ...]
    records: int


def _person_records(org: Organization) -> Iterator[PersonRecord]:
    for pk, given, family, email, phone, postal, identifiers in Person.objects.filter(
            owner=org).order_by("pk").values_list("pk", "given_name", "family_name", "email",
                                                  "phone", "postal_code",
                                                  "identifiers").iterator(5000):
        ids = tuple(identifiers or ()) or (f"broadfront:person-{pk}",)
        yield PersonRecord(given, family, email, phone, postal, identifiers=ids)


def _event_records(org: Organization) -> Iterator[EventRecord]:
    for e in Event.objects.filter(organization=org).order_by("pk").iterator(2000):
        ids = tuple(e.identifiers or ()) or (f"broadfront:event-{e.pk}",)
        yield EventRecord(e.name, e.starts_at, e.ends_at, e.kind, ids)


def _attendance_records(org: Organization) -> Iterator[AttendanceRecord]:
    events = {pk: (ids or [f"broadfront:event-{pk}"])[0] for pk, ids in
              Event.objects.filter(attendances__person__owner=org).distinct()
              .values_list("pk", "identifiers")}
    people = {pk: PersonRef(tuple(ids or ()) or (f"broadfront:person-{pk}",), email, phone)
              for pk, ids, email, phone in Person.objects.filter(owner=org).values_list(
                  "pk", "identifiers", "email", "phone").iterator(5000)}
    for event_id, person_id, status, attended, invited in Attendance.objects.filter(
            person__owner=org).order_by("pk").values_list(
            "event_id", "person_id", "status", "attended", "invited_by_id").iterator(5000):
        yield AttendanceRecord(events[event_id], people[person_id], status, attended,
                               people.get(invited) if invited else None)


def do_export(actor: UserLike, organization: Organization, target: str | os.PathLike[str], *,
              format: str, kind: str = "people", per_page: int = 1000) -> ExportResult:
    """Export an organization's people, events or attendance, or public bodies as Popolo.

    Parameters
    ----------
    actor : User
        Needs at least the viewer role in ``organization`` (its own records only).
    organization : Organization
    target : path
        A folder for OSDI pages, a file for CSV and Popolo.
    format : str
        ``osdi``, ``csv`` (the Broadfront templates) or ``popolo``.
    kind : str
        ``people``, ``events`` or ``attendance`` (ignored for Popolo).
    per_page : int
        OSDI page size.

    Returns
    -------
    ExportResult

    Raises
    ------
    ValidationError, PermissionDeniedError
    """
    require_role(actor, organization.pk, ROLE_VIEWER)
    if format == "popolo":
        document = popolo_document()
        path = popolo.write_popolo(document, target)
        result = ExportResult((str(path),), len(document.persons) + len(document.vote_events))
    else:
        if kind not in EXPORT_KINDS:
            raise ValidationError(f"kind must be one of {', '.join(EXPORT_KINDS)}, got "
                                  f"{kind!r}", parameter="kind")
        records: Iterator[Any] = {"people": _person_records, "events": _event_records,
                                  "attendance": _attendance_records}[kind](organization)
        counter = _Counter(records)
        if format == "osdi":
            paths = osdi.write_osdi_files(counter, target, kind, per_page=per_page)
            result = ExportResult(tuple(str(p) for p in paths), counter.n)
        elif format == "csv":
            rows_of: dict[str, Callable[[Any], dict[str, Any]]] = {
                "people": csvfiles.person_row, "events": csvfiles.event_row,
                "attendance": csvfiles.attendance_row}
            row = rows_of[kind]
            csvfiles.write_csv((row(r) for r in counter), target,
                               csvfiles.template_header(kind))
            result = ExportResult((str(target),), counter.n)
        else:
            raise ValidationError(f"format must be one of {', '.join(FORMATS)}, got "
                                  f"{format!r}", parameter="format")
    # An export reads: it is logged, not written to the audit log of changes.
    export_log.info("export by %s of %s: %s %s, %d records", actor, organization.slug, format,
                    kind if format != "popolo" else "bodies", result.records)
    return result


class _Counter:
    def __init__(self, it: Iterator[Any]) -> None:
        self.it, self.n = it, 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.it:
            self.n += 1
            yield item


def popolo_document() -> popolo.PopoloDocument:
    """Every public body, its seats, public figures, motions and votes as one document."""
    from broadfront.web.landscape.models import Body, Motion, Seat, Vote

    def pid(person: Person) -> str:
        own = next((i[7:] for i in person.identifiers or [] if i.startswith("popolo:")), None)
        return own or f"broadfront-person/{person.pk}"

    people = {p.pk: p for p in Person.objects.filter(owner__isnull=True).order_by("pk")}
    bodies = list(Body.objects.select_related("division").order_by("slug"))
    areas = {b.division.ocd_id: b.division for b in bodies if b.division}
    posts, memberships = [], []
    for seat in Seat.objects.filter(body__in=bodies).order_by("body__slug", "label"):
        org_id = f"broadfront-body/{seat.body.slug}"
        post_id = f"{org_id}/post/{slugify(seat.label)}"
        posts.append(popolo.PopoloPost(post_id, seat.label, org_id))
        if seat.holder_id and seat.holder_id in people:
            memberships.append(popolo.PopoloMembership(
                pid(people[seat.holder_id]), org_id, post_id,
                start_date=seat.start_date.isoformat() if seat.start_date else None,
                end_date=seat.end_date.isoformat() if seat.end_date else None))
    events = []
    for motion in Motion.objects.filter(body__in=bodies).select_related("body").order_by(
            "body__slug", "date", "identifier"):
        votes = tuple(popolo.PopoloVote(pid(people[v.voter_id]), v.option)
                      for v in Vote.objects.filter(motion=motion, voter__owner__isnull=True)
                      .order_by("voter_id"))
        events.append(popolo.PopoloVoteEvent(motion.identifier,
                                             f"broadfront-body/{motion.body.slug}",
                                             motion.title, motion.date.isoformat(),
                                             motion.result, votes=votes))
    return popolo.PopoloDocument(
        persons=tuple(popolo.PopoloPerson(pid(p), str(p), p.given_name, p.family_name,
                                          p.email, p.public_role) for p in people.values()),
        organizations=tuple(popolo.PopoloOrganization(
            f"broadfront-body/{b.slug}", b.name, b.kind,
            b.division.ocd_id if b.division else None) for b in bodies),
        areas=tuple(popolo.PopoloArea(a.ocd_id, a.name, a.level) for a in areas.values()),
        posts=tuple(posts), memberships=tuple(memberships), vote_events=tuple(events))

