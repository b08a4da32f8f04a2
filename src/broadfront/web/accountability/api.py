"""API endpoints: events (with RSVP counts) and commitments (with computed status)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from ninja import Router, Schema

from broadfront.web.accountability import services
from broadfront.web.accountability.models import Attendance, Commitment, Event
from broadfront.web.organizations.services import get_organization_for_user

router = Router(tags=["accountability"])


class EventOut(Schema):
    id: int
    name: str
    kind: str
    organization: str
    starts_at: dt.datetime
    rsvps: int
    attended: int


class CommitmentOut(Schema):
    id: int
    partner: str
    unit: str
    quantity: float
    delivered: float
    made_on: dt.date
    due_date: dt.date
    status: str
    note: str


class CommitmentIn(Schema):
    partner: str
    unit: str
    quantity: float
    due_date: dt.date
    made_on: dt.date | None = None
    note: str = ""


def _events(request: HttpRequest) -> Any:
    accepted = Q(attendances__status=Attendance.Status.ACCEPTED)
    return (
        Event.objects.visible_to(request.user)
        .select_related("organization")
        .annotate(
            rsvps=Count("attendances", filter=accepted),
            showed=Count("attendances", filter=accepted & Q(attendances__attended=True)),
        )
    )


def _event_out(e: Any) -> dict[str, Any]:
    return {"id": e.pk, "name": e.name, "kind": e.kind, "organization": e.organization.slug,
            "starts_at": e.starts_at, "rsvps": e.rsvps, "attended": e.showed}


@router.get("/events", response=list[EventOut])
def list_events(request: HttpRequest, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    limit = max(1, min(limit, 1000))
    return [_event_out(e) for e in _events(request)[offset: offset + limit]]


@router.get("/events/{event_id}", response=EventOut)
def get_event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    services.get_event_for_user(request.user, event_id)
    return _event_out(_events(request).get(pk=event_id))


def _commitments_out(request: HttpRequest, qs: Any) -> list[dict[str, Any]]:
    items = list(qs.select_related("partner").annotate(total=Sum("deliveries__quantity")))
    statuses = services.commitment_statuses(items)
    return [
        {"id": c.pk, "partner": c.partner.slug, "unit": c.unit, "quantity": float(c.quantity),
         "delivered": float(c.total or 0), "made_on": c.made_on, "due_date": c.due_date,
         "status": statuses[c.pk], "note": c.note}
        for c in items
    ]


@router.get("/commitments", response=list[CommitmentOut])
def list_commitments(request: HttpRequest, partner: str | None = None, limit: int = 200,
                     offset: int = 0) -> list[dict[str, Any]]:
    qs = Commitment.objects.visible_to(request.user)
    if partner:
        qs = qs.filter(partner__slug=partner)
    limit = max(1, min(limit, 1000))
    return _commitments_out(request, qs[offset: offset + limit])


@router.get("/commitments/{commitment_id}", response=CommitmentOut)
def get_commitment(request: HttpRequest, commitment_id: int) -> dict[str, Any]:
    services.get_commitment_for_user(request.user, commitment_id)
    return _commitments_out(request, Commitment.objects.filter(pk=commitment_id))[0]


@router.post("/commitments", response={201: CommitmentOut})
def create_commitment(request: HttpRequest, payload: CommitmentIn) -> tuple[int, dict[str, Any]]:
    partner = get_organization_for_user(request.user, payload.partner)
    c = services.do_create_commitment(
        request.user, partner=partner, unit=payload.unit, quantity=payload.quantity,
        due_date=payload.due_date, made_on=payload.made_on, note=payload.note,
    )
    return 201, _commitments_out(request, Commitment.objects.filter(pk=c.pk))[0]
