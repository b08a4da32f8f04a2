"""API endpoints: events (with RSVP counts) and commitments (with computed status)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import FiniteFloat

from broadfront import clock
from broadfront.web.accountability import services
from broadfront.web.accountability.models import Attendance, Commitment, Event
from broadfront.web.common.lookups import get_visible
from broadfront.web.limits import Limit, Offset, page
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
    quantity: FiniteFloat
    due_date: dt.date
    made_on: dt.date | None = None
    note: str = ""
    campaign: str | None = None
    coalition: str | None = None


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
def list_events(request: HttpRequest, limit: Limit = 100, offset: Offset = 0) -> list[dict[str, Any]]:
    return [_event_out(e) for e in _events(request)[page(limit, offset)]]


@router.get("/events/{event_id}", response=EventOut)
def get_event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    get_visible(Event, request.user, event_id, what="event")
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
def list_commitments(request: HttpRequest, partner: str | None = None, limit: Limit = 200,
                     offset: Offset = 0) -> list[dict[str, Any]]:
    qs = Commitment.objects.visible_to(request.user)
    if partner:
        qs = qs.filter(partner__slug=partner)
    return _commitments_out(request, qs[page(limit, offset)])


@router.get("/commitments/{commitment_id}", response=CommitmentOut)
def get_commitment(request: HttpRequest, commitment_id: int) -> dict[str, Any]:
    get_visible(Commitment, request.user, commitment_id, what="commitment")
    return _commitments_out(request, Commitment.objects.filter(pk=commitment_id))[0]


@router.post("/commitments", response={201: CommitmentOut})
def create_commitment(request: HttpRequest, payload: CommitmentIn) -> Status[dict[str, Any]]:
    partner = get_organization_for_user(request.user, payload.partner)
    campaign = coalition = None
    if payload.campaign:
        from broadfront.exceptions import NotFoundError
        from broadfront.web.campaigns.models import Campaign

        campaign = Campaign.objects.visible_to(request.user).filter(slug=payload.campaign).first()
        if campaign is None:
            raise NotFoundError(f"campaign {payload.campaign!r} not found")
    if payload.coalition:
        from broadfront.web.organizations.services import get_coalition_for_user

        coalition = get_coalition_for_user(request.user, payload.coalition)
    c = services.do_create_commitment(
        request.user, partner=partner, unit=payload.unit, quantity=payload.quantity,
        due_date=payload.due_date, made_on=payload.made_on, note=payload.note,
        campaign=campaign, coalition=coalition,
    )
    return Status(201, _commitments_out(request, Commitment.objects.filter(pk=c.pk))[0])


# ----------------------------------------------------------------------------- reliability


class RateOut(Schema):
    said_yes: int
    came: int
    rate: float
    low: float
    high: float


class UnitScoreOut(Schema):
    unit: str
    commitments: int
    open: int
    kept: int
    kept_rate: float
    kept_low: float
    kept_high: float
    delivered_ratio: float
    ratio_low: float
    ratio_high: float
    promised: float
    delivered: float


class ScorecardOut(Schema):
    partner: str
    name: str
    sentence: str
    commitments: int
    open: int
    kept: int
    kept_late: int
    partly_kept: int
    broken: int
    kept_rate: float | None
    kept_low: float | None
    kept_high: float | None
    delivered_ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    show_up: RateOut | None
    best_unit: str | None
    units: list[UnitScoreOut]


class ScorecardsOut(Schema):
    coalition: str
    level: float
    scorecards: list[ScorecardOut]


def _rate_out(rate: Any) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {"said_yes": rate.said_yes, "came": rate.came, "rate": rate.rate, "low": rate.low,
            "high": rate.high}


@router.get("/coalitions/{slug}/scorecards", response=ScorecardsOut)
def coalition_scorecards(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Every partner's scorecard at a table the user sits at (aggregates only; else 404)."""
    from broadfront.web.accountability import figures, queries

    coalition = queries.get_table_for_user(request.user, slug)
    view = queries.table_view(request.user, coalition, clock.now())
    cards = []
    for r in view.rows:
        c = r.card
        cards.append({
            "partner": r.organization.slug, "name": r.organization.name,
            "sentence": c.sentence(), "commitments": c.commitments, "open": c.open,
            "kept": c.kept, "kept_late": c.kept_late, "partly_kept": c.partly_kept,
            "broken": c.broken, "kept_rate": c.kept_rate, "kept_low": c.kept_low,
            "kept_high": c.kept_high, "delivered_ratio": c.delivered_ratio,
            "ratio_low": c.ratio_low, "ratio_high": c.ratio_high,
            "show_up": _rate_out(c.show_up), "best_unit": c.best_unit,
            "units": [{k: getattr(u, k) for k in UnitScoreOut.__annotations__} for u in c.units],
        })
    return {"coalition": coalition.slug, "level": figures.LEVEL, "scorecards": cards}


class TurnoutOut(Schema):
    event: int
    rsvps: int
    with_history: int
    expected: float | None
    p10: int | None
    p50: int | None
    p90: int | None
    actual: int | None


@router.get("/events/{event_id}/forecast", response=TurnoutOut)
def event_turnout(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """Expected turnout of an event (ours or a partner's): counts only, never names."""

    from broadfront.web.accountability import figures

    event = get_visible(Event, request.user, event_id, what="event")
    f = figures.event_forecast(event, clock.now())
    t = f.forecast
    return {"event": event.pk, "rsvps": f.rsvps, "with_history": f.with_history,
            "expected": t.expected if t else None, "p10": t.p10 if t else None,
            "p50": t.p50 if t else None, "p90": t.p90 if t else None, "actual": f.actual}


class DeliveryIn(Schema):
    quantity: float
    delivered_on: dt.date
    evidence: str = ""


@router.post("/commitments/{commitment_id}/deliveries", response={201: CommitmentOut})
def create_delivery(request: HttpRequest, commitment_id: int,
                    payload: DeliveryIn) -> Status[dict[str, Any]]:
    """Record a delivery (partial or late) against a commitment; returns the commitment with
    its recomputed status."""
    commitment = get_visible(Commitment, request.user, commitment_id, what="commitment")
    services.do_record_delivery(request.user, commitment, quantity=payload.quantity,
                                delivered_on=payload.delivered_on, evidence=payload.evidence)
    return Status(201, _commitments_out(request, Commitment.objects.filter(pk=commitment_id))[0])
