"""Read-side use cases for the "Decisions" pages.

Decisions, their ballots and reviews belong to the organization that decides: they come from
``Decision.objects.visible_to(user)`` and friends, so a partner's decision is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from broadfront.web.decisions.models import Ballot, Decision, Impact, Option, Review


def decisions(user: Any) -> QuerySet[Decision]:
    """Our organizations' decisions with ballot counts by role."""
    return Decision.objects.visible_to(user).select_related("organization", "outcome").annotate(
        n_ballots=Count("ballots", distinct=True),
        n_options=Count("options", distinct=True),
    )


def reviews_due(user: Any, today: dt.date, within_days: int = 30) -> list[Decision]:
    """Decided questions whose review is due within ``within_days`` and not yet written."""
    return list(decisions(user).filter(
        state=Decision.State.CLOSED, review_due__isnull=False,
        review_due__lte=today + dt.timedelta(days=within_days),
    ).annotate(n_reviews=Count("reviews", distinct=True)).filter(n_reviews=0)
        .order_by("review_due"))


@dataclass
class DecisionsOverview:
    open: list[Decision]
    drafts: list[Decision]
    closed: list[Decision]
    reviews_due: list[Decision]


def decisions_overview(user: Any, today: dt.date) -> DecisionsOverview:
    qs = decisions(user)
    return DecisionsOverview(
        open=list(qs.filter(state=Decision.State.OPEN).order_by("closes_at", "-opened_at")),
        drafts=list(qs.filter(state=Decision.State.DRAFT)),
        closed=list(qs.filter(state=Decision.State.CLOSED).order_by("-closed_at", "-opened_at")[:30]),
        reviews_due=reviews_due(user, today),
    )


def get_decision_for_user(user: Any, pk: int) -> Decision:
    """One of our organizations' decisions; a partner's (or unknown) decision is a 404."""
    decision = decisions(user).filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision")
    return decision


@dataclass(frozen=True)
class BallotCounts:
    """How many ballots were cast, by role; choices and consent positions per option (counts)."""

    members: int
    leaders: int
    positions: dict[int, dict[str, int]]
    choices: dict[int, int]

    @property
    def total(self) -> int:
        return self.members + self.leaders


@dataclass
class DecisionDetail:
    decision: Decision
    options: list[Option]
    constituencies: list[str]
    ballots: BallotCounts
    reviews: list[Review]
    cooling_off_ends: dt.datetime | None
    cooling_off: bool


def decision_detail(user: Any, decision: Decision, now: dt.datetime) -> DecisionDetail:
    """Options with their impacts per constituency, ballot counts, cooling-off and reviews."""
    options = list(Option.objects.filter(decision=decision).prefetch_related(
        Prefetch("impacts", queryset=Impact.objects.order_by("constituency"))))
    constituencies = sorted({i.constituency for o in options for i in o.impacts.all()})
    ballots = Ballot.objects.visible_to(user).filter(decision=decision)
    by_role = dict(ballots.values("role").annotate(n=Count("id")).values_list("role", "n"))
    positions: dict[int, dict[str, int]] = {}
    for ballot_positions in ballots.values_list("positions", flat=True):
        for option_id, position in (ballot_positions or {}).items():
            if str(option_id).isdigit():
                per = positions.setdefault(int(option_id), {})
                per[str(position)] = per.get(str(position), 0) + 1
    choices = dict(ballots.filter(choice__isnull=False).values("choice")
                   .annotate(n=Count("id")).values_list("choice", "n"))
    ends = decision.cooling_off_ends()
    return DecisionDetail(
        decision=decision,
        options=options,
        constituencies=constituencies,
        ballots=BallotCounts(by_role.get("member", 0), by_role.get("leader", 0), positions,
                             choices),
        reviews=list(Review.objects.visible_to(user).filter(decision=decision)),
        cooling_off_ends=ends,
        cooling_off=bool(ends and now < ends and decision.state != Decision.State.CLOSED),
    )


def open_count(user: Any) -> int:
    return Decision.objects.visible_to(user).filter(
        Q(state=Decision.State.OPEN) | Q(state=Decision.State.DRAFT)).count()
