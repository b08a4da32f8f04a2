"""API endpoints of shared decisions, scoped to the decision's organization.

A decision, its ballots and its reviews are visible to its own organization's users only: any
other user gets 404. Writes go through the same services as the pages: casting a ballot (one
per voter; options by id), closing (409 with code ``cooling_off`` while a triggered decision
cools off) and recording a review. The tally and the impact summary are the trade-offs
engine's, in the same shape as ``broadfront decide --json``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import FiniteFloat

from broadfront import clock
from broadfront.analysis import tradeoffs
from broadfront.exceptions import NotFoundError
from broadfront.web.common.tenancy import own_org_ids
from broadfront.web.decisions import queries, services
from broadfront.web.decisions.models import Decision, Impact
from broadfront.web.limits import Limit, Offset, page
from broadfront.web.organizations.models import Organization

router = Router(tags=["decisions"])


class OptionOut(Schema):
    id: int
    label: str
    description: str


class ImpactOut(Schema):
    option: int
    option_label: str
    constituency: str
    upside: float
    upside_likelihood: float
    downside: float
    downside_likelihood: float
    note: str


class GainedLost(Schema):
    gained: float
    lost: float


class ReviewOut(Schema):
    id: int
    reviewed_on: dt.date
    summary: str
    actual: dict[str, GainedLost]
    option: str | None
    constituencies: list[dict[str, Any]]
    expected_net: float | None
    actual_net: float | None
    error: float | None
    too_rosy_for: list[str]
    brier: float | None
    brier_events: int


class DecisionListOut(Schema):
    id: int
    organization: str
    question: str
    rule: str
    combine: str
    state: str
    triggered_by: str
    opened_at: dt.datetime
    closes_at: dt.datetime | None
    outcome: str | None
    review_due: dt.date | None
    ballots: int


class DecisionOut(DecisionListOut):
    context: str
    leader_weight: float
    supermajority: float
    quorum: int
    closed_at: dt.datetime | None
    cooling_off: bool
    cooling_off_until: dt.datetime | None
    cooling_off_message: str | None
    options: list[OptionOut]
    impacts: list[ImpactOut]
    analysis: dict[str, Any]
    reviews: list[ReviewOut]


class DecisionIn(Schema):
    organization: str
    question: str
    options: list[str]
    rule: str = "consent"
    context: str = ""
    combine: str = "both"
    leader_weight: FiniteFloat | None = None
    supermajority: FiniteFloat | None = None
    quorum: int = 0
    triggered_by: str = ""
    closes_at: dt.datetime | None = None
    review_due: dt.date | None = None


class ImpactIn(Schema):
    option: int
    constituency: str
    upside: FiniteFloat = 0
    upside_likelihood: FiniteFloat = 0
    downside: FiniteFloat = 0
    downside_likelihood: FiniteFloat = 0
    note: str = ""


class BallotIn(Schema):
    role: str = "member"
    ranking: list[int] | None = None
    approve: list[int] | None = None
    choice: int | None = None
    scores: dict[str, float] | None = None
    positions: dict[str, str] | None = None
    reason: str = ""


class BallotOut(Schema):
    id: int
    decision: int
    role: str
    ranking: list[int]
    approve: list[int]
    choice: int | None
    scores: dict[str, float]
    positions: dict[str, str]
    reason: str
    cast_at: dt.datetime


class ReviewIn(Schema):
    reviewed_on: dt.date | None = None
    actual: dict[str, Any]  # {"constituency": {"gained": g, "lost": l}}; the service checks it
    summary: str = ""


def _list_out(d: Decision) -> dict[str, Any]:
    return {"id": d.pk, "organization": d.organization.slug, "question": d.question,
            "rule": d.rule, "combine": d.combine, "state": d.state,
            "triggered_by": d.triggered_by, "opened_at": d.opened_at, "closes_at": d.closes_at,
            "outcome": d.outcome.label if d.outcome else None, "review_due": d.review_due,
            "ballots": d.ballots.count()}


def _review_out(decision: Decision, review: Any) -> dict[str, Any]:
    compared = queries.compare_review(decision, review)
    c, score = compared.comparison, compared.likelihoods
    return {
        "id": review.pk, "reviewed_on": review.reviewed_on, "summary": review.summary,
        "actual": {k: {"gained": g, "lost": lost} for k, (g, lost) in review.gained_lost.items()},
        "option": c.option if c else None,
        "constituencies": [] if c is None else [
            {"constituency": r.constituency, "expected_net": r.expected_net,
             "gained": r.actual_upside, "lost": r.actual_downside,
             "actual_net": r.actual_net, "error": r.error} for r in c.constituencies],
        "expected_net": c.expected_net if c else None,
        "actual_net": c.actual_net if c else None,
        "error": c.error if c else None,
        "too_rosy_for": list(c.too_rosy_for) if c else [],
        "brier": score.brier if score and score.enough else None,
        "brier_events": score.events if score else 0,
    }


def _detail(request: HttpRequest, d: Decision) -> dict[str, Any]:
    d = Decision.objects.select_related("organization", "outcome").get(pk=d.pk)
    options = list(d.options.all())
    now = clock.now()
    ends = d.cooling_off_ends()
    result = services.tally(d)
    report = tradeoffs.DecisionReport(question=d.question, options=tuple(o.label for o in options),
                                      impacts=services.impact_summary(d), result=result,
                                      winner=result.winner)
    impacts = Impact.objects.filter(option__decision=d).select_related("option").order_by(
        "option_id", "constituency")
    return {
        **_list_out(d),
        "context": d.context, "leader_weight": float(d.leader_weight),
        "supermajority": float(d.supermajority), "quorum": d.quorum, "closed_at": d.closed_at,
        "cooling_off": bool(ends and now < ends and d.state != Decision.State.CLOSED),
        "cooling_off_until": ends,
        "cooling_off_message": services.cooling_off_message(d, now),
        "options": [{"id": o.pk, "label": o.label, "description": o.description}
                    for o in options],
        "impacts": [{"option": i.option_id, "option_label": i.option.label,
                     "constituency": i.constituency, "upside": float(i.upside),
                     "upside_likelihood": float(i.upside_likelihood),
                     "downside": float(i.downside),
                     "downside_likelihood": float(i.downside_likelihood), "note": i.note}
                    for i in impacts],
        "analysis": tradeoffs.report_to_dict(report),
        "reviews": [_review_out(d, r) for r in d.reviews.order_by("-reviewed_on", "-pk")],
    }


def _decision(request: HttpRequest, decision_id: int) -> Decision:
    return services.get_decision_for_user(request.user, decision_id)


@router.get("/decisions", response=list[DecisionListOut])
def list_decisions(request: HttpRequest, state: str | None = None, limit: Limit = 100,
                   offset: Offset = 0) -> list[dict[str, Any]]:
    qs = Decision.objects.visible_to(request.user).select_related("organization", "outcome")
    if state:
        qs = qs.filter(state=state)
    return [_list_out(d) for d in qs[page(limit, offset)]]


@router.post("/decisions", response={201: DecisionOut})
def create_decision(request: HttpRequest, payload: DecisionIn) -> Status[dict[str, Any]]:
    org = Organization.objects.filter(slug=payload.organization,
                                      pk__in=own_org_ids(request.user)).first()
    if org is None:
        raise NotFoundError(f"organization {payload.organization!r} not found")
    d = services.do_create_decision(request.user, organization=org,
                                    **payload.dict(exclude={"organization"}))
    return Status(201, _detail(request, d))


@router.get("/decisions/{decision_id}", response=DecisionOut)
def get_decision(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    return _detail(request, _decision(request, decision_id))


@router.put("/decisions/{decision_id}/impacts", response=DecisionOut)
def set_impact(request: HttpRequest, decision_id: int, payload: ImpactIn) -> dict[str, Any]:
    d = _decision(request, decision_id)
    option = d.options.filter(pk=payload.option).first()
    if option is None:
        raise NotFoundError(f"option {payload.option} is not an option of decision {d.pk}")
    services.do_set_impact(request.user, option, payload.constituency,
                           **payload.dict(exclude={"option", "constituency"}))
    return _detail(request, d)


@router.post("/decisions/{decision_id}/ballots", response={201: BallotOut})
def cast_ballot(request: HttpRequest, decision_id: int,
                payload: BallotIn) -> Status[dict[str, Any]]:
    d = _decision(request, decision_id)
    b = services.do_cast_ballot(request.user, d, **payload.dict())
    return Status(201, {"id": b.pk, "decision": d.pk, "role": b.role, "ranking": b.ranking,
                        "approve": b.approve, "choice": b.choice_id,
                        "scores": {k: float(v) for k, v in b.scores.items()},
                        "positions": b.positions, "reason": b.reason, "cast_at": b.cast_at})


@router.post("/decisions/{decision_id}/close", response=DecisionOut)
def close_decision(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    """Close the vote: 409 ``cooling_off`` while a triggered decision cools off."""
    d = services.do_close_decision(request.user, _decision(request, decision_id))
    return _detail(request, d)


@router.get("/decisions/{decision_id}/reviews", response=list[ReviewOut])
def list_reviews(request: HttpRequest, decision_id: int) -> list[dict[str, Any]]:
    d = _decision(request, decision_id)
    return [_review_out(d, r) for r in d.reviews.order_by("-reviewed_on", "-pk")]


@router.post("/decisions/{decision_id}/reviews", response={201: ReviewOut})
def record_review(request: HttpRequest, decision_id: int,
                  payload: ReviewIn) -> Status[dict[str, Any]]:
    d = _decision(request, decision_id)
    review = services.do_record_review(request.user, d,
                                       reviewed_on=payload.reviewed_on or clock.today(),
                                       actual=payload.actual, summary=payload.summary)
    d.refresh_from_db()
    return Status(201, _review_out(d, review))
