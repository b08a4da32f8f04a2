"""The home dashboard's figures: our organization and our coalition at a glance.

Composes the read-side queries of each area; each starts from ``visible_to(user)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from broadfront.web.accountability.queries import StatusTally, commitments, status_tally
from broadfront.web.campaigns.queries import CampaignProgress, bloc_progress
from broadfront.web.common.tenancy import own_org_ids
from broadfront.web.decisions.models import Decision
from broadfront.web.decisions.queries import decisions, reviews_due
from broadfront.web.organizations.models import Coalition, Organization
from broadfront.web.organizations.queries import (
    ShowUp,
    StageCount,
    active_memberships,
    events_with_counts,
    our_coalitions,
    our_organizations,
    show_up,
    stage_counts,
)


@dataclass(frozen=True)
class UpcomingEvent:
    """An upcoming event with its RSVPs and the turnout to expect from past show-up."""

    event: Any
    said_yes: int
    expected: int | None
    ours: bool


@dataclass
class Dashboard:
    organizations: list[Organization]
    coalitions: list[Coalition]
    partners: int
    members: int
    stages: list[StageCount]
    leaders: int
    show_up: ShowUp
    upcoming: list[UpcomingEvent]
    commitments: StatusTally
    open_decisions: list[Decision]
    reviews_due: list[Decision]
    blocs: list[CampaignProgress]


def dashboard(user: Any, now: dt.datetime) -> Dashboard:
    """Every figure on the home page for ``user`` at ``now``."""
    today = now.date()
    own = own_org_ids(user)
    coalitions = list(our_coalitions(user).prefetch_related("members"))
    partner_ids = {m.pk for c in coalitions for m in c.members.all()} - set(own)
    stages = stage_counts(user)
    leaders = sum(s.count for s in stages if s.stage not in ("supporter", "member"))

    upcoming_qs = events_with_counts(user).filter(starts_at__gte=now).order_by("starts_at")[:6]
    rates: dict[int, ShowUp] = {}
    upcoming = []
    for e in upcoming_qs:
        if e.organization_id not in rates:
            rates[e.organization_id] = show_up(user, {e.organization_id}, now)
        rate = rates[e.organization_id].rate
        yes = int(e.said_yes)  # type: ignore[attr-defined]
        upcoming.append(UpcomingEvent(e, yes, round(yes * rate) if rate is not None else None,
                                      e.organization_id in own))
    return Dashboard(
        organizations=list(our_organizations(user)),
        coalitions=coalitions,
        partners=len(partner_ids),
        members=active_memberships(user, today).values("person").distinct().count(),
        stages=stages,
        leaders=leaders,
        show_up=show_up(user, own, now),
        upcoming=upcoming,
        commitments=status_tally(commitments(user), today),
        open_decisions=list(decisions(user).filter(state=Decision.State.OPEN)
                            .order_by("closes_at")[:5]),
        reviews_due=reviews_due(user, today),
        blocs=bloc_progress(user),
    )
