"""Read-side use cases for the "Decisions" pages.

Decisions, their ballots and reviews belong to the organization that decides: they come from
``Decision.objects.visible_to(user)`` and friends, so a partner's decision is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, QuerySet

from broadfront.analysis import tradeoffs
from broadfront.exceptions import BroadfrontError
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.decisions import services
from broadfront.web.decisions.models import Ballot, Decision, Impact, Option, Review
from broadfront.web.organizations.models import Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from broadfront.web.common.tenancy import UserLike


def decisions(user: UserLike) -> QuerySet[Decision]:
    """Our organizations' decisions with ballot counts by role."""
    return Decision.objects.visible_to(user).select_related("organization", "outcome").annotate(
        n_ballots=Count("ballots", distinct=True),
        n_options=Count("options", distinct=True),
    )


def reviews_due(user: UserLike, today: dt.date, within_days: int = 30) -> list[Decision]:
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


def decisions_overview(user: UserLike, today: dt.date) -> DecisionsOverview:
    qs = decisions(user)
    return DecisionsOverview(
        open=list(qs.filter(state=Decision.State.OPEN).order_by("closes_at", "-opened_at")),
        drafts=list(qs.filter(state=Decision.State.DRAFT)),
        closed=list(qs.filter(state=Decision.State.CLOSED).order_by("-closed_at", "-opened_at")[:30]),
        reviews_due=reviews_due(user, today),
    )


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


def decision_detail(user: UserLike, decision: Decision, now: dt.datetime) -> DecisionDetail:
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


# --- the decision page: the grid, the summary, the vote, the reasons --------------------------

@dataclass(frozen=True)
class GridRow:
    """One constituency of the impact grid: a cell (an Impact or None) per option."""

    constituency: str
    cells: list[tuple[Option, Impact | None]]


@dataclass(frozen=True)
class Reason:
    """A reason someone gave with their ballot, with what they said in words."""

    voter: str
    role: str
    said: str
    reason: str


@dataclass(frozen=True)
class ObjectionRow:
    """An objection or a block with its reason (consent)."""

    voter: str
    role: str
    option: str
    position: str
    reason: str


@dataclass
class DecisionPage:
    """Everything the decision page shows beyond :class:`DecisionDetail`."""

    detail: DecisionDetail
    grid: list[GridRow]
    summary: tradeoffs.ImpactSummary | None
    result: tradeoffs.DecisionResult | None
    result_error: str | None
    reasons: list[Reason]
    objections: list[ObjectionRow]
    my_ballot: Ballot | None
    cooling_off_message: str | None
    can_lead: bool
    can_vote: bool
    can_edit: bool


def impact_grid(options: list[Option], constituencies: list[str]) -> list[GridRow]:
    """Rows of constituencies, a column per option (None where nothing is recorded)."""
    by = {(o.pk, i.constituency): i for o in options for i in o.impacts.all()}
    return [GridRow(c, [(o, by.get((o.pk, c))) for o in options]) for c in constituencies]


def voter_name(user: User) -> str:
    return str(user.get_full_name() or user.username)


def _said(decision: Decision, ballot: Ballot, labels: dict[str, str]) -> str:
    def name(pk: Any) -> str:
        return labels.get(str(pk), "an option no longer on the list")

    rule = decision.rule
    if rule == Decision.Rule.CONSENT:
        return "; ".join(f"{pos} on {name(pk)}" for pk, pos in (ballot.positions or {}).items())
    if rule in (Decision.Rule.INSTANT_RUNOFF, Decision.Rule.CONDORCET):
        return "ranked " + " > ".join(name(pk) for pk in ballot.ranking or [])
    if rule == Decision.Rule.APPROVAL:
        approved = ", ".join(name(pk) for pk in ballot.approve or [])
        return f"approved {approved}" if approved else "approved none"
    if rule == Decision.Rule.SCORE:
        return "scored " + ", ".join(f"{name(k)} {float(v):g}"
                                     for k, v in (ballot.scores or {}).items())
    return f"chose {ballot.choice.label}" if ballot.choice else "abstained"


def decision_page(user: UserLike, decision: Decision, now: dt.datetime) -> DecisionPage:
    """The decision page: grid, impact summary, tally by group, reasons, the user's ballot."""
    detail = decision_detail(user, decision, now)
    labels = {str(o.pk): o.label for o in detail.options}
    result: tradeoffs.DecisionResult | None = None
    error: str | None = None
    try:
        result = services.tally(decision)
    except BroadfrontError as exc:  # a stored ballot the rule cannot count
        error = str(exc)
    ballots = list(Ballot.objects.visible_to(user).filter(decision=decision)
                   .select_related("voter", "choice").order_by("cast_at", "pk"))
    names = {str(b.voter_id): voter_name(b.voter) for b in ballots}
    reasons = [Reason(voter_name(b.voter), b.role, _said(decision, b, labels), b.reason)
               for b in ballots if b.reason.strip()]
    objections: list[ObjectionRow] = []
    if result is not None:
        for group in (result.members, result.leaders):
            for o in group.objections:
                objections.append(ObjectionRow(names.get(str(o.voter), "someone"), o.role,
                                               o.option, o.position, o.reason or ""))
    own = own_org_ids(user)
    leads = own_org_ids(user, ROLE_ORGANIZER)
    is_open = decision.state == Decision.State.OPEN
    return DecisionPage(
        detail=detail,
        grid=impact_grid(detail.options, detail.constituencies),
        summary=services.impact_summary(decision),
        result=result,
        result_error=error,
        reasons=reasons,
        objections=objections,
        my_ballot=next((b for b in ballots if b.voter_id == user.pk), None),
        cooling_off_message=services.cooling_off_message(decision, now),
        can_lead=decision.organization_id in leads,
        can_vote=is_open and decision.organization_id in own,
        can_edit=decision.state != Decision.State.CLOSED and decision.organization_id in leads,
    )


# --- reviews and calibration --------------------------------------------------------------------

BRIER_MIN_EVENTS = 5
"""Fewer foreseen upsides and downsides than this are too few to show a Brier score."""


@dataclass(frozen=True)
class LikelihoodScore:
    """The Brier score of the likelihoods we gave, and how many events it scores.

    An event is an upside or a downside that was foreseen (size > 0 in the grid); it
    happened when the review records a gain (for an upside) or a loss (for a downside).
    ``brier`` is ``calibrate``'s, None when no event was foreseen; ``enough`` is False below
    :data:`BRIER_MIN_EVENTS` events, when the page says so instead of showing the number.
    """

    brier: float | None
    events: int
    upside_predicted: float | None = None
    upside_observed: float | None = None
    downside_predicted: float | None = None
    downside_observed: float | None = None

    @property
    def enough(self) -> bool:
        return self.brier is not None and self.events >= BRIER_MIN_EVENTS

    @property
    def min_events(self) -> int:
        return BRIER_MIN_EVENTS


def _events(rows: Any) -> int:
    return sum((r.upside_likelihood is not None) + (r.downside_likelihood is not None)
               for r in rows)


def likelihood_score(calibration: tradeoffs.ConstituencyCalibration,
                     rows: Any) -> LikelihoodScore:
    """The engine's Brier score for ``calibration``, with the events it counted in ``rows``."""
    return LikelihoodScore(
        brier=calibration.brier, events=_events(rows),
        upside_predicted=calibration.upside_predicted,
        upside_observed=calibration.upside_observed,
        downside_predicted=calibration.downside_predicted,
        downside_observed=calibration.downside_observed,
    )


@dataclass
class ReviewComparison:
    """A review set against the chosen option's expected impacts (engine ``review_outcome``).

    ``likelihoods`` scores the likelihoods of this one review (``calibrate`` over it alone);
    None when there is nothing to compare.
    """

    review: Review
    comparison: tradeoffs.DecisionReview | None
    not_reviewed: list[str]
    likelihoods: LikelihoodScore | None = None


def compare_review(decision: Decision, review: Review) -> ReviewComparison:
    """Expected (the chosen option's impacts) against actual (the review), per constituency.

    The review records what each constituency gained and what it lost (an old review holding
    one net number reads a positive net as a gain and a negative one as a loss:
    :func:`~broadfront.web.decisions.models.read_actual`). Constituencies expected but not
    reviewed are left out of the comparison and listed in ``not_reviewed``. Without a chosen
    option there is nothing to compare, and ``comparison`` is None.
    """
    option = decision.outcome
    if option is None:
        return ReviewComparison(review, None, [])
    actual = review.gained_lost
    impacts = list(option.impacts.order_by("constituency"))
    cells = [
        tradeoffs.ImpactCell(option.label, i.constituency, upside=float(i.upside),
                             upside_likelihood=float(i.upside_likelihood),
                             downside=float(i.downside),
                             downside_likelihood=float(i.downside_likelihood))
        for i in impacts if i.constituency in actual
    ]
    outcomes = [tradeoffs.Outcome(c, gained=gained, lost=lost)
                for c, (gained, lost) in actual.items()]
    comparison = tradeoffs.review_outcome(cells, outcomes, decision=str(decision.pk))
    likelihoods = None
    if comparison.constituencies:
        overall = tradeoffs.calibrate([comparison]).overall
        likelihoods = likelihood_score(overall, comparison.constituencies)
    return ReviewComparison(review, comparison,
                            [i.constituency for i in impacts if i.constituency not in actual],
                            likelihoods)


@dataclass
class ReviewPage:
    decision: Decision
    reviews: list[ReviewComparison]
    constituencies: list[str]
    can_review: bool


def review_page(user: UserLike, decision: Decision) -> ReviewPage:
    """Every review of a decision compared with what was expected, newest first."""
    reviews = list(Review.objects.visible_to(user).filter(decision=decision)
                   .order_by("-reviewed_on", "-pk"))
    constituencies = sorted({i.constituency for i in
                             Impact.objects.filter(option__decision=decision)})
    return ReviewPage(
        decision=decision,
        reviews=[compare_review(decision, r) for r in reviews],
        constituencies=constituencies,
        can_review=decision.state == Decision.State.CLOSED
        and decision.organization_id in own_org_ids(user, ROLE_ORGANIZER),
    )


@dataclass(frozen=True)
class ReviewedDecision:
    """One reviewed decision in an organization's calibration record (its latest review)."""

    decision: Decision
    reviewed_on: dt.date
    comparison: tradeoffs.DecisionReview


@dataclass
class CalibrationRecord:
    """An organization's reviewed decisions, ``calibrate`` over them, and the Brier scores of
    our likelihoods: ``overall`` over every row pooled, ``likelihoods`` by constituency."""

    organization: Organization | None
    organizations: list[Organization]
    reviewed: list[ReviewedDecision]
    report: tradeoffs.CalibrationReport | None
    overall: LikelihoodScore | None = None
    likelihoods: dict[str, LikelihoodScore] = field(default_factory=dict)

    def rows(self) -> list[tuple[tradeoffs.ConstituencyCalibration, LikelihoodScore]]:
        """The report's constituencies, each with its Brier score."""
        if self.report is None:
            return []
        return [(k, self.likelihoods[k.constituency]) for k in self.report.by_constituency]


def calibration_record(user: UserLike,
                       organization: Organization | None = None) -> CalibrationRecord:
    """Over every decided and reviewed question of one organization: were we too rosy, for whom?

    Each decision counts once, with its latest review; decisions without a chosen option (no
    winner) have nothing to compare and are left out.
    """
    orgs = list(Organization.objects.filter(pk__in=own_org_ids(user)).order_by("name"))
    if organization is None and orgs:
        organization = orgs[0]
    reviewed: list[ReviewedDecision] = []
    if organization is not None and organization.pk in own_org_ids(user):
        latest: dict[int, Review] = {}
        for r in (Review.objects.visible_to(user)
                  .filter(decision__organization=organization, decision__outcome__isnull=False)
                  .select_related("decision", "decision__outcome")
                  .order_by("reviewed_on", "pk")):
            latest[r.decision_id] = r
        for r in sorted(latest.values(), key=lambda r: (r.reviewed_on, r.pk)):
            c = compare_review(r.decision, r)
            if c.comparison is not None and c.comparison.constituencies:
                reviewed.append(ReviewedDecision(r.decision, r.reviewed_on, c.comparison))
    report = tradeoffs.calibrate([r.comparison for r in reviewed]) if reviewed else None
    overall: LikelihoodScore | None = None
    likelihoods: dict[str, LikelihoodScore] = {}
    if report is not None:
        rows = [row for r in reviewed for row in r.comparison.constituencies]
        overall = likelihood_score(report.overall, rows)
        for k in report.by_constituency:
            likelihoods[k.constituency] = likelihood_score(
                k, [row for row in rows if row.constituency == k.constituency])
    return CalibrationRecord(organization, orgs, reviewed, report, overall, likelihoods)


@dataclass(frozen=True)
class SummaryRow:
    """One option of the trade-offs table, with a sentence that says it in words."""

    option: str
    expected_net: float
    fair_score: float
    worst_off: str
    worst_off_net: float | None
    bears_most: str
    gets_most: str
    dominated_by: str
    sentence: str


def _names(names: tuple[str, ...]) -> str:
    return " and ".join(names) if names else "nobody"


def summary_rows(summary: tradeoffs.ImpactSummary) -> list[SummaryRow]:
    """The engine's per-option summary, each with one sentence in plain words."""
    rows = []
    for o in summary.by_option:
        parts = [f"{o.option}: expected net {o.expected_net:+.2f} over everyone"]
        if o.worst_off and o.worst_off_net is not None:
            parts.append(f"the worst off are {_names(o.worst_off)} ({o.worst_off_net:+.2f})")
        if o.largest_expected_downside > 0:
            parts.append(f"the largest expected loss falls on {_names(o.largest_downside)} "
                         f"({o.largest_expected_downside:.2f})")
        if o.largest_expected_upside > 0:
            parts.append(f"the largest expected gain goes to {_names(o.largest_upside)} "
                         f"({o.largest_expected_upside:.2f})")
        sentence = "; ".join(parts) + "."
        if o.dominated_by:
            sentence += (f" {_names(o.dominated_by)} is at least as good for every constituency "
                         "and better for one, so nobody loses if this option is dropped.")
        rows.append(SummaryRow(
            option=o.option, expected_net=o.expected_net, fair_score=o.prioritarian_score,
            worst_off=_names(o.worst_off), worst_off_net=o.worst_off_net,
            bears_most=_names(o.largest_downside) if o.largest_expected_downside > 0 else "-",
            gets_most=_names(o.largest_upside) if o.largest_expected_upside > 0 else "-",
            dominated_by=", ".join(o.dominated_by), sentence=sentence,
        ))
    return rows
