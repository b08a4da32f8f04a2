"""Use cases for events, attendance, commitments, deliveries and contributions.

A partner's organizers record its commitments and deliveries; every partner at the table
sees them (aggregates). Attendance is person-level and stays with the person's organization.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from broadfront import clock
from broadfront.exceptions import NotFoundError, PermissionDeniedError, ValidationError
from broadfront.web.accountability.models import (
    Attendance,
    Commitment,
    Contribution,
    Delivery,
    Event,
    Unit,
    compute_status,
)
from broadfront.web.campaigns.services import require_part_in_campaign
from broadfront.web.common import audit, permissions
from broadfront.web.common.services import require_role, validated_save
from broadfront.web.common.tenancy import ROLE_ORGANIZER, is_site_operator
from broadfront.web.organizations.models import CoalitionMembership, Organization, Person


def _decimal(value: Any, name: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(f"{name} must be a number, got {value!r}", parameter=name) from exc
    if not result.is_finite():
        raise ValidationError(f"{name} must be a finite number, got {value!r}", parameter=name)
    return result


# --- reads ------------------------------------------------------------------------------------

def commitment_statuses(commitments: Any, today: dt.date | None = None) -> dict[int, str]:
    """Status of each commitment (id -> status) computed from deliveries in one query."""
    today = today or clock.today()
    ids = [c.pk for c in commitments]
    rows: dict[int, list[tuple[Decimal, dt.date]]] = {i: [] for i in ids}
    for cid, qty, day in Delivery.objects.filter(commitment_id__in=ids).values_list(
        "commitment_id", "quantity", "delivered_on"
    ):
        rows[cid].append((qty, day))
    return {c.pk: compute_status(c.quantity, c.due_date, rows[c.pk], today) for c in commitments}


def attendance_counts(user: Any, organization: Organization) -> dict[str, int]:
    """RSVPs and show-ups of an organization's people (own organization only)."""
    require_role(user, organization.pk, "viewer")
    agg = Attendance.objects.visible_to(user).filter(person__owner=organization).aggregate(
        rsvps=Count("id", filter=Q(status=Attendance.Status.ACCEPTED)),
        showed=Count("id", filter=Q(status=Attendance.Status.ACCEPTED, attended=True)),
    )
    return {"rsvps": agg["rsvps"] or 0, "showed": agg["showed"] or 0}


# --- who may write what -----------------------------------------------------------------------

def _sits_at(organization_id: int | None, coalition_id: int | None) -> bool:
    return organization_id is not None and coalition_id is not None and (
        CoalitionMembership.objects.filter(coalition_id=coalition_id,
                                           organization_id=organization_id).exists())


def _require_seat(organization: Organization | int, coalition: Any, parameter: str) -> None:
    """Refuse a record of ``organization`` filed under a coalition it does not sit at."""
    org_id = organization.pk if isinstance(organization, Organization) else organization
    coalition_id = getattr(coalition, "pk", coalition)
    if coalition_id is not None and not _sits_at(org_id, coalition_id):
        raise PermissionDeniedError(f"{parameter}: the organization does not sit at {coalition}")


def may_record_at(person_owner_id: int | None, event: Event) -> bool:
    """Whether the people of an organization may be recorded at ``event``.

    An event takes RSVPs and attendance from its own organization's people, and, when the
    event is shared with a coalition (``event.coalition``), from the people of every
    organization at that table. Nobody else's.
    """
    if person_owner_id is None:
        return False
    return person_owner_id == event.organization_id or _sits_at(person_owner_id,
                                                                 event.coalition_id)


def attendance_recorders(actor: Any, event: Event) -> frozenset[int]:
    """The organizations whose people ``actor`` may record at ``event`` (may be empty).

    Those the actor organizes that hold the event or sit at the coalition it is shared with.
    """
    from broadfront.web.common.tenancy import own_org_ids

    mine = own_org_ids(actor, ROLE_ORGANIZER)
    return frozenset(o for o in mine if may_record_at(o, event))


def require_attendance_recorder(actor: Any, event: Event) -> frozenset[int]:
    """Refuse (403) unless ``actor`` may record some people at ``event``; return which orgs.

    Pages call it before reading a posted form, so a viewer or a partner is refused by the
    rule, not by a form that happens to offer no one.
    """
    if is_site_operator(actor):
        return frozenset([event.organization_id])
    recorders = attendance_recorders(actor, event)
    if not recorders:
        raise PermissionDeniedError(
            f"only organizers of {event.organization} (or of an organization at the coalition "
            "the event is shared with) record attendance at this event")
    return recorders


def _require_attendance_writer(actor: Any, event: Event, person: Person) -> None:
    """Who may write an attendance (see docs/security.md).

    - The event must be visible to the actor (else 404: its existence does not leak).
    - Then the one write rule (:mod:`broadfront.web.common.permissions`): the actor organizes
      the person's organization (attendance is person-level), and that organization holds the
      event or sits at the coalition the event is shared with (403 otherwise: a partner sees
      the event but cannot write to it).
    """
    if not is_site_operator(actor) and not Event.objects.visible_to(actor).filter(
            pk=event.pk).exists():
        raise NotFoundError(f"event {event.pk} not found")
    attendance = (Attendance.objects.filter(event=event, person=person).first()
                  or Attendance(event=event, person=person))
    permissions.require_write(actor, attendance)


# --- writes -----------------------------------------------------------------------------------

@transaction.atomic
def do_create_commitment(actor: Any, *, partner: Organization, unit: str, quantity: Any,
                         due_date: dt.date, made_on: dt.date | None = None,
                         campaign: Any = None, coalition: Any = None,
                         note: str = "") -> Commitment:
    """Record that ``partner`` promises ``quantity`` of ``unit`` by ``due_date``."""
    permissions.require_write(actor, Commitment(partner=partner, campaign=campaign,
                                                coalition=coalition), permissions.CREATE)
    require_part_in_campaign(partner, campaign)
    _require_seat(partner, coalition, "coalition")
    if unit not in Unit.values:
        raise ValidationError(f"unit must be one of {', '.join(Unit.values)}, got {unit!r}",
                              parameter="unit")
    qty = _decimal(quantity, "quantity")
    if qty <= 0:
        raise ValidationError(f"quantity must be positive, got {quantity!r}", parameter="quantity")
    made_on = made_on or clock.today()
    if due_date < made_on:
        raise ValidationError(f"due_date {due_date} is before made_on {made_on}",
                              parameter="due_date")
    commitment = validated_save(Commitment(
        partner=partner, unit=unit, quantity=qty, due_date=due_date, made_on=made_on,
        campaign=campaign, coalition=coalition, note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    ))
    audit.record(actor, "create", commitment, organization=partner,
                 changes={"unit": unit, "quantity": qty, "due_date": due_date})
    return commitment


@transaction.atomic
def do_record_delivery(actor: Any, commitment: Commitment, *, quantity: Any,
                       delivered_on: dt.date, evidence: str = "") -> Delivery:
    """Record what the partner delivered against ``commitment``."""
    permissions.require_write(actor, Delivery(commitment=commitment), permissions.CREATE)
    qty = _decimal(quantity, "quantity")
    if qty < 0:
        raise ValidationError(f"quantity must not be negative, got {quantity!r}",
                              parameter="quantity")
    delivery = validated_save(Delivery(commitment=commitment, quantity=qty,
                                       delivered_on=delivered_on, evidence=evidence))
    audit.record(actor, "create", delivery, organization=commitment.partner_id,
                 changes={"commitment": commitment.pk, "quantity": qty})
    return delivery


@transaction.atomic
def do_create_event(actor: Any, *, organization: Organization, name: str,
                    starts_at: dt.datetime, kind: str = "meeting", **fields: Any) -> Event:
    permissions.require_write(actor, Event(organization=organization), permissions.CREATE)
    require_part_in_campaign(organization, fields.get("campaign"))
    _require_seat(organization, fields.get("coalition"), "coalition")
    event = validated_save(Event(organization=organization, name=name, starts_at=starts_at,
                                 kind=kind, **fields))
    audit.record(actor, "create", event, organization=organization)
    return event


@transaction.atomic
def do_record_attendance(actor: Any, event: Event, person: Person, *, status: str = "accepted",
                         attended: bool | None = None) -> Attendance:
    """Record a person's RSVP and whether they came.

    The actor organizes the person's organization, and that organization holds the event or
    sits at the coalition the event is shared with (:func:`may_record_at`). An event the
    actor cannot see is :class:`NotFoundError`; one it sees but may not write to is
    :class:`PermissionDeniedError`.
    """
    if person.owner_id is None:
        raise ValidationError("attendance is recorded for members, not public figures",
                              parameter="person")
    _require_attendance_writer(actor, event, person)
    if status not in Attendance.Status.values:
        raise ValidationError(
            f"status must be one of {', '.join(Attendance.Status.values)}, got {status!r}",
            parameter="status",
        )
    attendance, _ = Attendance.objects.update_or_create(
        event=event, person=person, defaults={"status": status, "attended": attended}
    )
    audit.record(actor, "record", attendance, organization=person.owner_id,
                 changes={"event": event.pk, "status": status, "attended": attended})
    return attendance


@transaction.atomic
def do_claim_contribution(actor: Any, *, organization: Organization, campaign: Any,
                          outcome: str, unit: str = "voters", quantity: Any = 0,
                          description: str = "", evidence: str = "") -> Contribution:
    permissions.require_write(actor, Contribution(organization=organization, campaign=campaign),
                              permissions.CREATE)
    require_part_in_campaign(organization, campaign)
    contribution = validated_save(Contribution(
        organization=organization, campaign=campaign, outcome=outcome, unit=unit,
        quantity=_decimal(quantity, "quantity"), description=description, evidence=evidence,
    ))
    audit.record(actor, "claim", contribution, organization=organization)
    return contribution


@transaction.atomic
def do_review_contribution(actor: Any, contribution: Contribution, status: str,
                           note: str = "") -> Contribution:
    """A coalition coordinator verifies or disputes a claimed contribution."""
    if status not in (Contribution.Status.VERIFIED, Contribution.Status.DISPUTED):
        raise ValidationError(f"status must be verified or disputed, got {status!r}",
                              parameter="status")
    permissions.require_write(actor, contribution, permissions.REVIEW)
    contribution.status = status
    if note:
        contribution.evidence = (contribution.evidence + "\n" + note).strip()
    contribution.save(update_fields=["status", "evidence"])
    audit.record(actor, status, contribution, organization=contribution.organization_id)
    return contribution
