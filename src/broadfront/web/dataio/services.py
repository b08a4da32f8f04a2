"""Imports and exports: validate the whole source first, then write it in one transaction.

``do_import`` reads a source twice. The first pass parses and checks every record without
touching the database (a bad file fails here, naming file, row or JSON pointer and field).
The second pass matches people (identifiers, then email, then phone), resolves events and
writes in bulk inside one transaction; any error there rolls everything back. A dry run does
the second pass too and then rolls back, so its report is exactly what the import would do.
Person-level records always land in the importing organization, and matching only ever looks
at that organization's people.

Every other record a file touches (organizations, divisions, bodies, seats, motions, votes,
public figures, targets, commitments, deliveries, stances, relationships) goes through the one
write rule, :mod:`broadfront.web.common.permissions`, row by row: a row the importer may not
write is refused by file, row and field, and nothing is written. The import's audit entry
lists which records changed which fields; a change to another organization's record, or to a
shared record an organization curates, gets an audit entry of its own naming that
organization (``subject_organization``), so its admins read it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.text import slugify

from broadfront import clock
from broadfront.exceptions import (
    InputFileError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from broadfront.formats import csvfiles, osdi, popolo
from broadfront.formats.records import (
    AttendanceRecord,
    EventRecord,
    PersonRecord,
    PersonRef,
    RowRecord,
    Source,
)
from broadfront.web.accountability.models import Attendance, Commitment, Delivery, Event
from broadfront.web.common import audit, permissions
from broadfront.web.common.services import require_role
from broadfront.web.common.tenancy import ROLE_ORGANIZER, ROLE_VIEWER
from broadfront.web.dataio import bulk
from broadfront.web.organizations.models import Division, Organization, Person

#: Exports are read operations: logged here (who, what, how many), not audited as writes.
export_log = logging.getLogger("broadfront.exports")

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


def _handler_kind(fmt: str, kind: str) -> str:
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

def do_import(actor: Any, organization: Organization, source: str | os.PathLike[str], *,
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
    handler_kind = _handler_kind(format, kind)
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

def _people_handler(actor: Any, org: Organization, records: Any, report: ImportReport,
                    tick: Progress) -> None:
    bulk.people_handler(org, records, report, tick)


def _events_handler(actor: Any, org: Organization, records: Iterator[EventRecord],
                    report: ImportReport, tick: Progress) -> None:
    bulk.events_handler(org, records, report, tick)


def _attendance_handler(actor: Any, org: Organization, records: Any, report: ImportReport,
                        tick: Progress) -> None:
    bulk.attendance_handler(org, records, report, tick)


#: Kinds whose pass 1 keeps compact validated records in a spill file for pass 2.
_SPILLED: dict[str, Callable[[Any], Any]] = {
    "people": bulk.compact_person,
    "attendance": bulk.compact_attendance,
}


# --- Broadfront templates: organizations, divisions, targets, commitments, ... -------------
#
# Every row goes through one _Writer: it finds the record, works out what the row changes,
# asks the write rule (broadfront.web.common.permissions) whether the importer may make that
# change, saves, and logs the fields before and after for the import's audit entry. A row the
# rule refuses raises WriteRefusedError naming file, row and field, and the whole import rolls
# back. Records of an organization are checked even when the row changes nothing (a file
# must not probe another organization's records); public records (organizations, divisions,
# bodies, seats, motions, votes, public figures) only when the row would change them.

#: At most this many changed records are listed, field by field, in an import's audit entry.
MAX_CHANGES_LISTED = 10000


@dataclass
class _Writer:
    actor: Any
    org: Organization
    report: ImportReport

    def save(self, model: Any, lookup: dict[str, Any], values: dict[str, Any], source: Source,
             column: str | None) -> str:
        """Create or update the ``model`` row found by ``lookup`` with ``values``."""
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
        before = {k: getattr(obj, k) for k in values} if not created else {}
        for k, v in values.items():
            setattr(obj, k, v)
        after = {k: getattr(obj, k) for k in values}
        changed = created or before != after
        if changed or permissions.group_of(model._meta.label) == "owned":
            permissions.require_write(self.actor, obj,
                                      permissions.CREATE if created else permissions.CHANGE,
                                      parameter=column, source=source)
        if not changed:
            return "unchanged"
        self._clean_and_save(obj, source)
        self.log(obj, source, created, before, after)
        return "created" if created else "updated"

    def create(self, obj: Any, source: Source, column: str | None) -> str:
        """Create ``obj`` (unsaved, every field set)."""
        permissions.require_write(self.actor, obj, permissions.CREATE, parameter=column,
                                  source=source)
        self._clean_and_save(obj, source)
        after = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
                 if not f.primary_key and not f.auto_created}
        self.log(obj, source, True, {}, after)
        return "created"

    @staticmethod
    def _clean_and_save(obj: Any, source: Source) -> None:
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            obj.full_clean()
        except DjangoValidationError as exc:
            field_name, messages = next(iter(getattr(exc, "message_dict",
                                                     {"": exc.messages}).items()))
            raise source.error(" ".join(messages), None if field_name == "__all__" else
                               field_name or None) from None
        obj.save()

    def log(self, obj: Any, source: Source, created: bool, before: dict[str, Any],
            after: dict[str, Any]) -> None:
        """List the change in the report; audit it for the organization whose record it is."""
        fields = {k: [before.get(k), v] for k, v in after.items()
                  if created or before.get(k) != v}
        entry = {"row": source.row, "model": obj._meta.label, "id": obj.pk,
                 "action": "create" if created else "update", "fields": audit.plain(fields)}
        self.report.change_count += 1
        if len(self.report.changes) < MAX_CHANGES_LISTED:
            self.report.changes.append(entry)
        if self.report.dry_run:
            return
        subjects = set(permissions.subject_organization_ids(obj)) - {self.org.pk}
        if created and obj._meta.label_lower == "organizations.organization":
            subjects.discard(obj.pk)  # a new row: nobody's record yet
        for subject in sorted(subjects):
            audit.record(self.actor, f"import {entry['action']}", obj, organization=self.org,
                         subject_organization=subject,
                         summary=f"{obj._meta.verbose_name} {obj} from {source.file}, row "
                                 f"{source.row}",
                         changes={"file": source.file, "row": source.row,
                                  "before": {k: b for k, (b, _) in fields.items()},
                                  "after": {k: a for k, (_, a) in fields.items()}})


def _rows_handler(kind: str) -> Callable[..., None]:
    def handle(actor: Any, org: Organization, records: Iterator[RowRecord],
               report: ImportReport, tick: Progress) -> None:
        apply = _ROW_APPLIERS[kind]
        writer = _Writer(actor, org, report)
        for n, record in enumerate(records, 1):
            outcome = apply(writer, record.values, record.source)
            report.add(outcome, kind)
            if n % 500 == 0:
                tick(kind, n)
    return handle


def _get(model: Any, source: Source, column: str, **lookup: Any) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        raise source.error(f"no {model._meta.verbose_name} {next(iter(lookup.values()))!r}",
                           column)
    return obj


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _apply_organization(w: _Writer, v: dict[str, Any], s: Source) -> str:
    fields = _drop_none({k: v[k] for k in ("name", "kind", "spectrum_position", "influence",
                                           "base_size", "interests")})
    if v.get("parent"):
        fields["parent"] = _get(Organization, s, "parent", slug=v["parent"])
    if v.get("division"):
        fields["division"] = _get(Division, s, "division", ocd_id=v["division"])
    return w.save(Organization, {"slug": v["slug"]}, fields, s, "slug")


def _apply_division(w: _Writer, v: dict[str, Any], s: Source) -> str:
    fields = _drop_none({k: v[k] for k in ("name", "level", "party_vote",
                                           "expected_attendance")})
    if v.get("parent"):
        fields["parent"] = _get(Division, s, "parent", ocd_id=v["parent"])
    return w.save(Division, {"ocd_id": v["ocd_id"]}, fields, s, "ocd_id")


def _apply_target(w: _Writer, v: dict[str, Any], s: Source) -> str:
    from broadfront.web.campaigns.models import Campaign, Target

    campaign = _get(Campaign, s, "campaign", slug=v["campaign"])
    division = _get(Division, s, "division", ocd_id=v["division"])
    fields = _drop_none({"expected_attendance": v["expected_attendance"], "goal": v["goal"]})
    if v["goal"] is None and v["expected_attendance"] is not None:
        fields["goal"] = Target.goal_for(v["expected_attendance"], float(campaign.target_share))
    return w.save(Target, {"campaign": campaign, "division": division}, fields, s, "campaign")


def _apply_commitment(w: _Writer, v: dict[str, Any], s: Source) -> str:
    from broadfront.web.campaigns.models import Campaign
    from broadfront.web.organizations.models import Coalition

    partner = _get(Organization, s, "partner", slug=v["partner"])
    # Refuse before looking for the commitment: a file must not learn what another
    # organization promised.
    permissions.require_write(w.actor, Commitment(partner=partner), permissions.CREATE,
                              parameter="partner", source=s)
    note = f"[{v['key']}] {v.get('note') or ''}".strip()[:500]
    fields: dict[str, Any] = {"unit": v["unit"], "quantity": v["quantity"],
                              "made_on": v["made_on"], "due_date": v["due_date"], "note": note}
    if v.get("campaign"):
        fields["campaign"] = _get(Campaign, s, "campaign", slug=v["campaign"])
    if v.get("coalition"):
        fields["coalition"] = _get(Coalition, s, "coalition", slug=v["coalition"])
    existing = Commitment.objects.filter(partner=partner,
                                         note__startswith=f"[{v['key']}]").first()
    if existing is None:
        fields["created_by"] = w.actor if getattr(w.actor, "is_authenticated", False) else None
        return w.create(Commitment(partner=partner, **fields), s, "partner")
    return w.save(Commitment, {"pk": existing.pk}, fields, s, "partner")


def _commitment_by_key(w: _Writer, s: Source, key: str) -> Commitment:
    """The commitment ``key`` among those the importer may write (others stay unseen)."""
    from broadfront.web.common.tenancy import is_site_operator, own_org_ids

    scope = Commitment.objects.all() if is_site_operator(w.actor) else \
        Commitment.objects.filter(partner_id__in=own_org_ids(w.actor, ROLE_ORGANIZER))
    obj = scope.filter(note__startswith=f"[{key}]").first()
    if obj is None:
        raise s.error(f"no commitment with key {key!r} (import commitments first)",
                      "commitment")
    return obj


def _apply_delivery(w: _Writer, v: dict[str, Any], s: Source) -> str:
    commitment = _commitment_by_key(w, s, v["commitment"])
    return w.save(Delivery, {"commitment": commitment, "delivered_on": v["delivered_on"],
                             "quantity": v["quantity"]},
                  {"evidence": v.get("evidence") or ""}, s, "commitment")


def _actor(org: Organization, v: dict[str, Any], s: Source, prefix: str = "") -> dict[str, Any]:
    org_slug, person_ref = v.get(f"{prefix}organization"), v.get(f"{prefix}person")
    if bool(org_slug) == bool(person_ref):
        raise s.error("give exactly one of organization and person", f"{prefix}organization")
    if org_slug:
        return {f"{prefix}organization": _get(Organization, s, f"{prefix}organization",
                                               slug=org_slug), f"{prefix}person": None}
    person = _find_person_for(org, str(person_ref), s, f"{prefix}person")
    return {f"{prefix}organization": None, f"{prefix}person": person}


def _find_person_for(org: Organization, ref: str, s: Source, column: str) -> Person:
    """A person of the importing organization, or a public figure, by identifier or email."""
    from django.db.models import Q

    scope = Person.objects.filter(Q(owner=org) | Q(owner__isnull=True))
    found = scope.filter(email__iexact=ref).first() if "@" in ref else \
        scope.filter(identifiers__contains=[ref]).first() if connection.vendor == "postgresql" \
        else next((p for p in scope.exclude(identifiers=[]) if ref in (p.identifiers or [])),
                  None)
    if found is None:
        raise s.error(f"no person of {org.name} (or public figure) matches {ref!r}", column)
    return found


def _apply_stance(w: _Writer, v: dict[str, Any], s: Source) -> str:
    from broadfront.web.landscape.models import Issue, Stance

    issue = _get(Issue, s, "issue", slug=v["issue"])
    who = _actor(w.org, v, s)
    return w.save(Stance, {"issue": issue, "recorded_by": w.org,
                           "assessed_on": v["assessed_on"], **who},
                  {"score": v["score"], "evidence": v.get("evidence") or "",
                   "assessed_by": w.actor}, s, "issue")


def _apply_relationship(w: _Writer, v: dict[str, Any], s: Source) -> str:
    from broadfront.web.landscape.models import Relationship

    ends = {**_actor(w.org, v, s, "source_"), **_actor(w.org, v, s, "target_")}
    return w.save(Relationship, {"kind": v["kind"], "recorded_by": w.org, **ends,
                                 "start_date": v.get("start_date")},
                  _drop_none({"end_date": v.get("end_date"), "source": v.get("source") or "",
                              "strength": v.get("strength")}), s, "kind")


def _apply_rollcall(w: _Writer, v: dict[str, Any], s: Source) -> str:
    from broadfront.web.landscape.models import Body, Motion, Vote

    body = _get(Body, s, "body", slug=v["body"])
    option = (v["option"] or "").lower()
    option = popolo.VOTE_OPTIONS.get(option, option)
    if option not in Vote.Option.values:
        raise s.error(f"expected one of {', '.join(Vote.Option.values)}, got {v['option']!r}",
                      "option")
    motion_state = w.save(Motion, {"body": body, "identifier": v["motion"]},
                          {"title": v["title"], "date": v["date"],
                           "result": v.get("result") or ""}, s, "motion")
    motion = Motion.objects.get(body=body, identifier=v["motion"])
    voter = _find_person_for(w.org, v["voter"], s, "voter")
    if voter.owner_id is not None:
        raise s.error("voters are public figures (people without an organization)", "voter")
    vote_state = w.save(Vote, {"motion": motion, "voter": voter}, {"option": option}, s,
                        "option")
    return vote_state if vote_state != "unchanged" else motion_state


_ROW_APPLIERS: dict[str, Callable[[_Writer, dict[str, Any], Source], str]] = {
    "organizations": _apply_organization,
    "divisions": _apply_division,
    "targets": _apply_target,
    "commitments": _apply_commitment,
    "deliveries": _apply_delivery,
    "stances": _apply_stance,
    "relationships": _apply_relationship,
    "rollcalls": _apply_rollcall,
}


# --- Popolo -----------------------------------------------------------------------------------

_LEVELS = {c.value for c in Division.Level}


def _popolo_handler(actor: Any, org: Organization, records: Iterator[popolo.PopoloDocument],
                    report: ImportReport, tick: Progress) -> None:
    """Load public divisions, bodies, seats, public figures, motions and votes.

    Every record goes through the write rule like a template row; an error names the file and
    the JSON pointer of the entry (``/persons/2``) and its field.
    """
    from broadfront.web.landscape.models import Body, Motion, Seat, Vote

    w = _Writer(actor, org, report)
    name = report.source or "popolo"

    def at(pointer: str) -> Source:
        return Source(name, pointer)

    doc = next(records)
    division_for: dict[str, Division] = {}
    for i, area in enumerate(doc.areas):
        level = area.classification if area.classification in _LEVELS else "district"
        values: dict[str, Any] = {"name": area.name[:200], "level": level}
        if area.parent_id:
            values["parent"] = division_for[area.parent_id]
        report.add(w.save(Division, {"ocd_id": area.id}, values, at(f"/areas/{i}"), "id"),
                   "division")
        division_for[area.id] = Division.objects.get(ocd_id=area.id)
    kinds = {c.value for c in Body.Kind}
    body_for: dict[str, Any] = {}
    for i, o in enumerate(doc.organizations):
        kind = o.classification if o.classification in kinds else (
            "legislature" if o.classification in ("upper", "lower") else "council")
        values = {"name": o.name[:200], "kind": kind,
                  "division": division_for.get(o.area_id) if o.area_id else None}
        slug = slugify(o.name)[:100] or slugify(o.id)[:100]
        report.add(w.save(Body, {"slug": slug}, values, at(f"/organizations/{i}"), "name"),
                   "body")
        body_for[o.id] = Body.objects.get(slug=slug)
    person_for: dict[str, Person] = {}
    public: dict[str, int] = {}
    for pk, identifiers in Person.objects.filter(owner__isnull=True).values_list(
            "pk", "identifiers"):
        for ident in identifiers or []:
            public.setdefault(ident, pk)
    public_pks = set(Person.objects.filter(owner__isnull=True).values_list("pk", flat=True))
    for i, p in enumerate(doc.persons):
        ident = f"popolo:{p.id}"
        if p.id.startswith("broadfront-person/") and p.id[18:].isdigit() and \
                int(p.id[18:]) in public_pks:
            public[ident] = int(p.id[18:])
        given, family = p.given_name, p.family_name
        if not given and not family:
            given, _, family = p.name.partition(" ")
        values = {"given_name": given[:100], "family_name": family[:100], "email": p.email,
                  "public_role": p.role[:200]}
        if ident in public:
            report.add(w.save(Person, {"pk": public[ident]}, values, at(f"/persons/{i}"),
                              "name"), "person")
            person_for[p.id] = Person.objects.get(pk=public[ident])
        else:
            person = Person(owner=None, identifiers=[ident], **values)
            report.add(w.create(person, at(f"/persons/{i}"), "id"), "person")
            person_for[p.id] = person
    post_for = {post.id: post for post in doc.posts}
    for i, post in enumerate(doc.posts):
        report.add(w.save(Seat, {"body": body_for[post.organization_id], "label": post.label},
                          {}, at(f"/posts/{i}"), "label"), "seat")
    for i, m in enumerate(doc.memberships):
        if m.organization_id not in body_for:
            continue
        label = post_for[m.post_id].label if m.post_id else (
            f"{m.role or 'member'}: {person_for[m.person_id]}")[:100]
        values = {"holder": person_for[m.person_id],
                  "start_date": dt.date.fromisoformat(m.start_date) if m.start_date else None,
                  "end_date": dt.date.fromisoformat(m.end_date) if m.end_date else None}
        report.add(w.save(Seat, {"body": body_for[m.organization_id], "label": label}, values,
                          at(f"/memberships/{i}"), "person_id"), "seat")
    for i, v in enumerate(doc.vote_events):
        body = body_for[v.organization_id]
        report.add(w.save(Motion, {"body": body, "identifier": v.id},
                          {"title": v.title, "date": dt.date.fromisoformat(v.date),
                           "result": v.result}, at(f"/vote_events/{i}"), "identifier"),
                   "motion")
        motion = Motion.objects.get(body=body, identifier=v.id)
        for j, vote in enumerate(v.votes):
            report.add(w.save(Vote, {"motion": motion, "voter": person_for[vote.voter_id]},
                              {"option": vote.option}, at(f"/vote_events/{i}/votes/{j}"),
                              "option"), "vote")
    tick("popolo", report.read)


_HANDLERS: dict[str, Callable[..., None]] = {
    "people": _people_handler,
    "events": _events_handler,
    "attendance": _attendance_handler,
    "popolo": _popolo_handler,
    **{kind: _rows_handler(kind) for kind in _ROW_APPLIERS},
}


# --- exports ----------------------------------------------------------------------------------

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


def do_export(actor: Any, organization: Organization, target: str | os.PathLike[str], *,
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


# --- jobs (the upload page and the API) -------------------------------------------------------

#: Uploaded files wait in a temporary folder named with this prefix; :func:`run_job` deletes
#: the folder when the import finishes or fails.
UPLOAD_PREFIX = "broadfront-upload-"


def start_upload(actor: Any, organization: Organization, upload: Any, *, format: str,
                 kind: str, dry_run: bool = False) -> Any:
    """Save an uploaded file, create its :class:`ImportJob` and run it.

    The upload is checked and imported exactly as the CLI does. With the setting
    ``BROADFRONT_IMPORT_IN_BACKGROUND = True`` (sensible on PostgreSQL) the job is a
    background job (:mod:`broadfront.web.jobs`, run by ``broadfront worker``, which must see
    the same temporary folder) and the job page polls its progress; by default it runs before
    this returns (SQLite allows one writer at a time).
    """
    from django.conf import settings

    from broadfront.web.dataio.models import ImportJob

    require_role(actor, organization.pk, ROLE_ORGANIZER)
    if format not in FORMATS:
        raise ValidationError(f"format must be one of {', '.join(FORMATS)}, got {format!r}",
                              parameter="format")
    _handler_kind(format, kind)
    name = Path(getattr(upload, "name", "upload") or "upload").name
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    path = folder / name
    try:
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job = ImportJob.objects.create(organization=organization, user=actor, format=format,
                                       kind=kind, source_name=name[:300], dry_run=dry_run)
    except BaseException:
        _discard_upload(str(path))
        raise
    if getattr(settings, "BROADFRONT_IMPORT_IN_BACKGROUND", False):
        from broadfront.web.dataio.tasks import import_file
        from broadfront.web.jobs.runner import submit

        try:
            submit(import_file, job.pk, str(path), kind="import", organization=organization,
                   actor=actor, label=f"import of {name}"[:200])
        except BaseException:
            _discard_upload(str(path))
            raise
    else:
        run_job(job.pk, str(path))
    job.refresh_from_db()
    return job


def run_job(job_pk: int, path: str, token: str | None = None) -> None:
    """Run a stored :class:`ImportJob`, recording progress in the cache and the report."""
    from django.core.cache import cache

    from broadfront.web.dataio.models import ImportJob

    try:
        job = ImportJob.objects.select_related("organization", "user").get(pk=job_pk)
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status"])

        def progress(stage: str, done: int) -> None:
            cache.set(f"dataio-job-{job_pk}", {"stage": stage, "done": done}, 3600)

        try:
            report = do_import(job.user, job.organization, path, format=job.format,
                               kind=job.kind, dry_run=job.dry_run, token=token,
                               progress=progress)
        except (InputFileError, ValidationError, NotFoundError, PermissionDeniedError) as exc:
            job.status, job.error = ImportJob.Status.FAILED, str(exc)
        except Exception as exc:  # a bug, not a bad file: still tell the user, keep it honest
            job.status, job.error = ImportJob.Status.FAILED, f"unexpected error: {exc}"
        else:
            job.status, job.report = (ImportJob.Status.DONE,
                                      json.loads(json.dumps(report.as_dict())))
        job.finished_at = clock.now()
        job.save(update_fields=["status", "error", "report", "finished_at"])
    finally:
        _discard_upload(path)


def _discard_upload(path: str) -> None:
    """Delete an uploaded file once its import finished or failed (and its own temp folder)."""
    import shutil

    file = Path(path)
    if file.parent.name.startswith(UPLOAD_PREFIX) and \
            file.parent.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(file.parent, ignore_errors=True)
    else:
        file.unlink(missing_ok=True)


def job_progress(job: Any) -> dict[str, Any]:
    """The stage and records done of a running job (from the cache)."""
    from django.core.cache import cache

    return cache.get(f"dataio-job-{job.pk}") or {"stage": "waiting", "done": 0}
