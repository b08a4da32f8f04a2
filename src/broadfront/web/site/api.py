"""API endpoint of "Our power": an organization's power summary in aggregates.

It composes organizations, accountability and campaigns (:func:`broadfront.web.site.queries.
power_figures`), so it lives in the roof with the page it mirrors. Mounted at /api/ with the
other apps' routers (``broadfront.web.api.API_MODULES``), under the organizations tag.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from broadfront import clock
from broadfront.web.organizations import queries as org_queries
from broadfront.web.site import queries

router = Router(tags=["organizations"])


class StageOut(Schema):
    stage: str
    count: int


class ShowUpOut(Schema):
    said_yes: int
    came: int
    rate: float
    low: float
    high: float


class ForecastOut(Schema):
    unit: str
    promised: float
    expected: float
    low: float
    high: float
    p_kept: float
    history: int


class PowerOut(Schema):
    organization: str
    sentence: str
    people: int
    members: int
    squads: int
    events_held: int
    stages: list[StageOut]
    show_up: ShowUpOut | None
    show_up_by_kind: dict[str, ShowUpOut]
    delivered_last_12_months: dict[str, float]
    delivery_forecasts: list[ForecastOut]
    typical_event_rsvps: int
    typical_event_turnout: dict[str, float] | None


def _show(r: Any) -> dict[str, Any]:
    return {"said_yes": r.said_yes, "came": r.came, "rate": r.rate, "low": r.low,
            "high": r.high}


@router.get("/organizations/{slug}/power", response=PowerOut)
def organization_power(request: HttpRequest, slug: str) -> dict[str, Any]:
    """An organization's power summary (aggregates) for its own users and its partners."""
    org = org_queries.get_power_org_for_user(request.user, slug)
    p = queries.power_figures(request.user, org, clock.now())
    t = p.typical
    return {
        "organization": org.slug, "sentence": p.scorecard.sentence(), "people": p.people,
        "members": p.members, "squads": p.squad_count, "events_held": p.events_held,
        "stages": [{"stage": s.stage, "count": s.count} for s in p.stages],
        "show_up": _show(p.show_up) if p.show_up else None,
        "show_up_by_kind": {label: _show(r) for label, r in p.by_kind},
        "delivered_last_12_months": {k: sum(v) for k, v in p.delivered_by_unit.items()},
        "delivery_forecasts": [
            {"unit": f.unit, "promised": f.promised, "expected": f.expected, "low": f.low,
             "high": f.high, "p_kept": f.p_kept, "history": f.history}
            for f in p.delivery_forecasts],
        "typical_event_rsvps": p.typical_rsvps,
        "typical_event_turnout": ({"expected": t.expected, "p10": t.p10, "p50": t.p50,
                                   "p90": t.p90} if t else None),
    }
