"""Import handlers for the Broadfront templates (organizations, divisions, targets,
commitments, deliveries, stances, relationships, roll calls) and for Popolo documents.

Every row goes through one ``_Writer``: it finds the record, works out what the row changes,
asks the write rule (:mod:`broadfront.web.common.permissions`) whether the importer may make
that change, saves, and logs the fields before and after for the import's audit entry. A row
the rule refuses raises ``WriteRefusedError`` naming file, row and field, and the whole import
rolls back. Records of an organization are checked even when the row changes nothing (a file
must not probe another organization's records); public records (organizations, divisions,
bodies, seats, motions, votes, public figures) only when the row would change them. The entry
point is :func:`broadfront.web.dataio.services.imports.do_import`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils.text import slugify

from broadfront.formats import popolo
from broadfront.formats.records import (
    RowRecord,
    Source,
)
from broadfront.web.accountability.models import Commitment, Delivery
from broadfront.web.common import audit, permissions
from broadfront.web.common.tenancy import ROLE_ORGANIZER
from broadfront.web.organizations.models import Division, Organization, Person

if TYPE_CHECKING:
    from broadfront.web.common.tenancy import UserLike
    from broadfront.web.dataio.services.imports import ImportReport, Progress

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


def rows_handler(kind: str) -> Callable[..., None]:
    def handle(actor: UserLike, org: Organization, records: Iterator[RowRecord],
               report: ImportReport, tick: Progress) -> None:
        apply = ROW_APPLIERS[kind]
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


ROW_APPLIERS: dict[str, Callable[[_Writer, dict[str, Any], Source], str]] = {
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


def popolo_handler(actor: UserLike, org: Organization, records: Iterator[popolo.PopoloDocument],
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

