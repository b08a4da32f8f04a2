"""Read-side use cases for the "Bloc building" pages.

Campaigns and their targets per precinct are shared at the coalition table. Squads and recruits
are person-level and belong to one organization: lists of them come from
``Squad.objects.visible_to(user)`` and ``Recruit.objects.visible_to(user)`` (own organization
only); the coalition-wide progress per precinct is shown as counts.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from broadfront.analysis.blocs import (
    DEFAULT_SHOW_UP_RATE,
    TargetForecast,
    forecast_targets,
    show_up_rate_from_history,
)
from broadfront.exceptions import ValidationError
from broadfront.web.accountability.models import Attendance
from broadfront.web.accountability.queries import CommitmentRow, commitment_rows, commitments
from broadfront.web.campaigns.models import Campaign, CaucusResult, Recruit, Squad, Target

ACTIVE = ~Q(status=Recruit.Status.DROPPED)


def _recruit_count(qs: QuerySet[Recruit]) -> Subquery:
    """A subquery counting active recruits in the target's campaign and division."""
    return Subquery(
        qs.filter(ACTIVE, campaign=OuterRef("campaign"), division=OuterRef("division"))
        .order_by().values("campaign").annotate(n=Count("id")).values("n")[:1],
        output_field=IntegerField(),
    )


def campaigns(user: Any) -> QuerySet[Campaign]:
    """Campaigns led by us or our partners, or run by one of our coalitions."""
    return Campaign.objects.visible_to(user).select_related(
        "lead_organization", "coalition", "division"
    )


@dataclass(frozen=True)
class CampaignProgress:
    """A campaign with its summed precinct goals and how many people are committed so far."""

    campaign: Campaign
    precincts: int
    goal: int
    recruited: int
    ours: int
    squads: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.recruited / self.goal)) if self.goal else 0


def _progress(user: Any, c: Campaign) -> CampaignProgress:
    agg = Target.objects.visible_to(user).filter(campaign=c).aggregate(
        n=Count("id"), goal=Sum("goal"))
    # Counts only: how many recruits all partners have; who they are stays with each partner.
    recruited = Recruit.objects.filter(ACTIVE, campaign=c).count()
    ours = Recruit.objects.visible_to(user).filter(ACTIVE, campaign=c).count()
    squads = Squad.objects.visible_to(user).filter(campaign=c).count()
    return CampaignProgress(c, agg["n"] or 0, agg["goal"] or 0, recruited, ours, squads)


def campaign_progress(user: Any) -> list[CampaignProgress]:
    """Every visible campaign with its caucus-bloc progress."""
    return [_progress(user, c) for c in campaigns(user)]


def bloc_progress(user: Any) -> list[CampaignProgress]:
    """Caucus-bloc campaigns only, with progress toward their precinct goals."""
    return [_progress(user, c) for c in campaigns(user).filter(kind=Campaign.Kind.CAUCUS_BLOC)]


SORTS = {
    "precinct": ("division__name",),
    "attendance": ("expected_attendance", "division__name"),
    "goal": ("goal", "division__name"),
    "recruited": ("recruited", "division__name"),
    "ours": ("ours", "division__name"),
    "gap": ("gap", "division__name"),
}


def targets(user: Any, campaign: Campaign, sort: str = "precinct", desc: bool = False,
            search: str = "") -> QuerySet[Target]:
    """The campaign's precinct targets with recruits so far (all partners: a count) and ours.

    ``sort`` is one of :data:`SORTS`; unknown values sort by precinct.
    """
    qs = Target.objects.visible_to(user).filter(campaign=campaign).select_related("division")
    if search:
        qs = qs.filter(division__name__icontains=search)
    qs = qs.annotate(
        recruited=Coalesce(_recruit_count(Recruit.objects.all()), Value(0)),
        ours=Coalesce(_recruit_count(Recruit.objects.visible_to(user)), Value(0)),
    ).annotate(gap=Coalesce("goal", Value(0)) - Coalesce("recruited", Value(0)))
    keys = SORTS.get(sort, SORTS["precinct"])
    order = [f"-{keys[0]}" if desc else keys[0], *keys[1:]]
    return qs.order_by(*order)


@dataclass
class CampaignDetail:
    progress: CampaignProgress
    squads: list[Squad]
    results: list[CaucusResult]
    commitments: list[CommitmentRow]
    delegates: int
    delegates_won: int


def campaign_detail(user: Any, campaign: Campaign, today: Any) -> CampaignDetail:
    """Squads (ours), caucus results and partners' commitments for a campaign."""
    results = list(CaucusResult.objects.visible_to(user).filter(campaign=campaign)
                   .select_related("division").order_by("division__name"))
    return CampaignDetail(
        progress=_progress(user, campaign),
        squads=list(squads(user).filter(campaign=campaign)[:50]),
        results=results,
        commitments=commitment_rows(commitments(user).filter(campaign=campaign), today),
        delegates=sum(r.delegates for r in results),
        delegates_won=sum(r.delegates_won for r in results),
    )


def squads(user: Any) -> QuerySet[Squad]:
    """Our own squads (a partner's squads are theirs alone), with recruit counts."""
    return Squad.objects.visible_to(user).select_related(
        "division", "leader", "organization", "campaign"
    ).annotate(n_recruits=Count("recruits", filter=~Q(recruits__status="dropped"), distinct=True))


def squad_recruits(user: Any, squad: Squad) -> list[Recruit]:
    return list(Recruit.objects.visible_to(user).filter(squad=squad).select_related("person")
                .order_by("person__family_name", "person__given_name"))


# --- the forecast: will each precinct reach its target by caucus night? -------------------------

PACE_WINDOW_WEEKS = 8
"""Recruitment pace = recruits committed in the last 8 weeks / 8, per precinct."""

PACE_DISPERSION = 2.0
"""Negative binomial dispersion of future recruits: the pace itself is uncertain (a precinct
that recruited 4 a week may do 2 or 6), so the forecast is wider than a Poisson one."""

SHOW_UP_PRIOR_STRENGTH = 10.0
"""Past RSVPs are shrunk toward the 50% default as if it were worth 10 sign-ups."""

ON_TRACK = 0.8
"""A precinct is on track with at least an 80% chance of reaching its target."""

AT_RISK = 0.5
"""At risk from a 50% chance; below that, behind."""


@dataclass(frozen=True)
class ForecastSettings:
    """The assumptions of a campaign forecast (all overridable on the page and in the API)."""

    window_weeks: int = PACE_WINDOW_WEEKS
    pace_dispersion: float = PACE_DISPERSION
    prior_show_up: float = DEFAULT_SHOW_UP_RATE
    prior_strength: float = SHOW_UP_PRIOR_STRENGTH
    on_track: float = ON_TRACK
    at_risk: float = AT_RISK


@dataclass
class PrecinctRow:
    """One precinct of the table: target, progress and the forecast."""

    division_id: int
    name: str
    attendance: int
    goal: int
    recruited: int
    ours: int
    squads: int
    leaders: int
    pace: float
    show_up: float
    expected: float
    probability: float
    status: str

    @property
    def gap(self) -> int:
        return self.goal - self.recruited

    @property
    def percent(self) -> int:
        return round(100 * self.probability)

    @property
    def badge(self) -> str:
        """The CSS badge class of the status (green, gold, red)."""
        return {"on track": "kept", "at risk": "kept_late"}.get(self.status, "broken")


@dataclass
class CampaignForecast:
    """Every precinct's forecast plus the statewide picture, in numbers and in words."""

    campaign: Campaign
    today: dt.date
    weeks_left: float
    settings: ForecastSettings
    rows: list[PrecinctRow]
    forecast: TargetForecast | None
    attendance_total: int
    goal_total: int
    recruited_total: int
    ours_total: int
    squads_total: int
    precincts_with_squad: int
    precincts_with_leader: int
    weekly_pace: float
    show_up_rate: float
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def precincts(self) -> int:
        return len(self.rows)

    @property
    def n_on_track(self) -> int:
        return self.counts.get("on track", 0)

    @property
    def n_at_risk(self) -> int:
        return self.counts.get("at risk", 0)

    @property
    def n_behind(self) -> int:
        return self.counts.get("behind", 0)

    @property
    def expected_reaching(self) -> float:
        return self.forecast.expected_precincts_reaching if self.forecast else 0.0

    @property
    def sd_reaching(self) -> float:
        return self.forecast.sd_precincts_reaching if self.forecast else 0.0

    @property
    def reaching_low(self) -> int:
        """Lower end of a 90% range for the precincts reaching their target (normal approx.)."""
        return max(0, math.floor(self.expected_reaching - 1.645 * self.sd_reaching))

    @property
    def reaching_high(self) -> int:
        return min(self.precincts, math.ceil(self.expected_reaching + 1.645 * self.sd_reaching))

    @property
    def expected_attendees(self) -> float:
        return float(sum(r.expected for r in self.rows))

    @property
    def expected_share(self) -> float:
        """Expected bloc attendees as a share of everyone expected at the caucuses."""
        return self.expected_attendees / self.attendance_total if self.attendance_total else 0.0

    @property
    def expected_percent(self) -> float:
        return 100 * self.expected_share

    @property
    def committed_share(self) -> float:
        return self.recruited_total / self.attendance_total if self.attendance_total else 0.0

    @property
    def percent_of_goal(self) -> int:
        return min(100, round(100 * self.recruited_total / self.goal_total)) if self.goal_total else 0


def _by_division(rows: Any, *names: str) -> dict[int, tuple[int, ...]]:
    return {r["division_id"]: tuple(r[n] or 0 for n in names) for r in rows}


def campaign_forecast(
    user: Any, campaign: Campaign, today: dt.date, settings: ForecastSettings | None = None,
    division_id: int | None = None,
) -> CampaignForecast:
    """Targets, progress and the chance of reaching each target, for every precinct.

    Aggregated in the database (one grouped query per quantity), then one vectorized call
    to :func:`broadfront.analysis.blocs.forecast_targets`:

    - **committed**: active recruits of every partner (a count; names stay with each one);
    - **pace**: recruits committed in the last ``window_weeks`` weeks, per week;
    - **show-up rate**: past RSVPs of the precinct's recruits that were kept (any event),
      shrunk toward 50% (:func:`broadfront.analysis.blocs.show_up_rate_from_history`);
    - **weeks left**: until the campaign's end date (caucus night).
    """
    settings = settings or ForecastSettings()
    tq = Target.objects.visible_to(user).filter(campaign=campaign)
    rq = Recruit.objects.filter(ACTIVE, campaign=campaign)
    sq = Squad.objects.filter(campaign=campaign)
    ours_q = Recruit.objects.visible_to(user).filter(ACTIVE, campaign=campaign)
    aq = Attendance.objects.filter(
        status=Attendance.Status.ACCEPTED, attended__isnull=False,
        person__recruitments__campaign=campaign,
        person__recruitments__status__in=[Recruit.Status.COMMITTED, Recruit.Status.ATTENDED],
    )
    if division_id is not None:
        tq = tq.filter(division_id=division_id)
        rq = rq.filter(division_id=division_id)
        sq = sq.filter(division_id=division_id)
        ours_q = ours_q.filter(division_id=division_id)
        aq = aq.filter(person__recruitments__division_id=division_id)
    since = today - dt.timedelta(weeks=settings.window_weeks)
    targets = list(tq.order_by().values_list("division_id", "division__name",
                                             "expected_attendance", "goal"))
    recruits = _by_division(
        rq.order_by().values("division_id").annotate(
            n=Count("id"), recent=Count("id", filter=Q(committed_on__gt=since))),
        "n", "recent")
    ours = _by_division(ours_q.order_by().values("division_id").annotate(n=Count("id")), "n")
    squads = _by_division(
        sq.order_by().values("division_id").annotate(n=Count("id"), leaders=Count("leader_id")),
        "n", "leaders")
    history = {
        r["person__recruitments__division"]: (r["rsvps"], r["came"])
        for r in aq.order_by().values("person__recruitments__division").annotate(
            rsvps=Count("id"), came=Count("id", filter=Q(attended=True)))
    }
    n = len(targets)
    ids = [t[0] for t in targets]
    zero2 = (0, 0)
    committed = np.array([recruits.get(i, zero2)[0] for i in ids], dtype=np.int64)
    recent = np.array([recruits.get(i, zero2)[1] for i in ids], dtype=float)
    rsvps = np.array([history.get(i, zero2)[0] for i in ids], dtype=float)
    came = np.array([history.get(i, zero2)[1] for i in ids], dtype=float)
    goal = np.array([t[3] for t in targets], dtype=np.int64)
    weeks_left = max(0.0, (campaign.end_date - today).days / 7)
    pace = recent / settings.window_weeks
    forecast = None
    rows: list[PrecinctRow] = []
    show_up = np.full(n, settings.prior_show_up)
    if n:
        show_up = show_up_rate_from_history(rsvps, came, prior_rate=settings.prior_show_up,
                                            prior_strength=settings.prior_strength)
        forecast = forecast_targets(goal, committed, pace, weeks_left, show_up_rate=show_up,
                                    pace_dispersion=settings.pace_dispersion,
                                    on_track=settings.on_track, at_risk=settings.at_risk)
        for k, (pk, name, att, g) in enumerate(targets):
            sq_n, leaders = squads.get(pk, zero2)
            rows.append(PrecinctRow(
                division_id=pk, name=name, attendance=att, goal=g, recruited=int(committed[k]),
                ours=ours.get(pk, (0,))[0], squads=sq_n, leaders=leaders,
                pace=float(pace[k]), show_up=float(show_up[k]),
                expected=float(forecast.expected_attendees[k]),
                probability=float(forecast.probability[k]), status=forecast.status[k],
            ))
    statuses = forecast.status if forecast else ()
    total_rsvps = float(rsvps.sum())
    return CampaignForecast(
        campaign=campaign, today=today, weeks_left=weeks_left, settings=settings, rows=rows,
        forecast=forecast,
        attendance_total=int(sum(t[2] for t in targets)), goal_total=int(goal.sum()),
        recruited_total=int(committed.sum()), ours_total=int(sum(v[0] for v in ours.values())),
        squads_total=int(sum(v[0] for v in squads.values())),
        precincts_with_squad=sum(1 for i in ids if squads.get(i, zero2)[0] > 0),
        precincts_with_leader=sum(1 for i in ids if squads.get(i, zero2)[1] > 0),
        weekly_pace=float(pace.sum()),
        show_up_rate=float((came.sum() + settings.prior_show_up * settings.prior_strength)
                           / (total_rsvps + settings.prior_strength)),
        counts={s: statuses.count(s) for s in ("on track", "at risk", "behind")},
    )


def _natural(name: str) -> tuple[Any, ...]:
    """Sort key reading digit runs as numbers: Precinct 2 before Precinct 10."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name))


ROW_SORTS: dict[str, Any] = {
    "precinct": lambda r: (_natural(r.name),),
    "attendance": lambda r: (r.attendance, _natural(r.name)),
    "goal": lambda r: (r.goal, _natural(r.name)),
    "recruited": lambda r: (r.recruited, _natural(r.name)),
    "ours": lambda r: (r.ours, _natural(r.name)),
    "gap": lambda r: (r.gap, _natural(r.name)),
    "probability": lambda r: (r.probability, _natural(r.name)),
}


def sorted_rows(rows: list[PrecinctRow], sort: str, desc: bool, search: str = "") -> list[PrecinctRow]:
    """Filter by name and sort by one of :data:`ROW_SORTS` (unknown keys sort by precinct)."""
    if search:
        needle = search.lower()
        rows = [r for r in rows if needle in r.name.lower()]
    return sorted(rows, key=ROW_SORTS.get(sort, ROW_SORTS["precinct"]), reverse=desc)


# --- the convention: our bloc through the levels and at the endorsement ------------------------

CONVENTION_SEED = 2027
"""Seed of the Monte Carlo draws on the convention page (stated on the page)."""

CONVENTION_DRAWS = 1000
"""Draws by default on the page (the API and the page accept up to 10,000)."""

VOTES_PER_PRECINCT_DELEGATE = 250
"""Without the party's call entered: each precinct elects one delegate to its district
convention per 250 party votes, or major fraction thereof (at least one)."""

DEFAULT_STATE_SEATS = 1000
"""State convention size when no convention roster is stored."""

ATTRITION = 0.1
"""Share of elected delegates who do not come to the next level (ours and the others)."""


@dataclass
class Camp:
    label: str
    side: str
    delegates: int
    ours: bool


@dataclass
class LevelRow:
    name: str
    seats: int
    expected: float
    p05: float
    p95: float
    percent: float


@dataclass
class ConventionOutlook:
    """Our bloc's expected delegates at every level and what it can do at the endorsement."""

    campaign: Campaign
    body: Any
    threshold: Any
    state_seats: int
    precinct_delegates: int
    districts: int
    seed: int
    draws: int
    attrition: float
    propagation: Any
    camps: list[Camp]
    roster_leverage: Any
    forecast_leverage: Any
    forecast_bloc: int
    endorsement_with_us: Any
    endorsement_without_us: Any
    bloc_label: str

    @property
    def levels(self) -> list[LevelRow]:
        return [LevelRow(lv.name, lv.seats, lv.expected, lv.p05, lv.p95, 100 * lv.expected_share)
                for lv in self.propagation.levels]

    @property
    def block_percent(self) -> float:
        return 100 * float(self.propagation.probability_can_block)


def convention_body(campaign: Campaign) -> Any:
    """The party convention of the campaign's state: a body of kind convention there, else any."""
    from broadfront.web.landscape.models import Body

    qs = Body.objects.filter(kind=Body.Kind.CONVENTION).prefetch_related("rules", "seats")
    return (qs.filter(division=campaign.division).first() if campaign.division_id else None) \
        or qs.first()


def convention_outlook(
    user: Any, campaign: Campaign, forecast: CampaignForecast, *, seed: int = CONVENTION_SEED,
    draws: int = CONVENTION_DRAWS, attrition: float = ATTRITION,
) -> ConventionOutlook:
    """Carry the forecast bloc share through district and state conventions; then the vote.

    Precinct delegates: as recorded on each target (the party's call), otherwise one per
    :data:`VOTES_PER_PRECINCT_DELEGATE` party votes (the caucus engine's per-votes
    apportionment). District delegations to the state convention: the
    convention's seats apportioned among districts by party vote (Hamilton). Our share of
    each caucus: the forecast's expected bloc attendees over expected attendance, with the
    uncertainty of future recruitment (negative binomial) as its standard deviation.
    """
    from broadfront.analysis.blocs import propagate_bloc
    from broadfront.analysis.caucus import (
        NO_ENDORSEMENT,
        apportion,
        bloc_leverage,
        run_endorsement,
    )

    body = convention_body(campaign)
    rule = next((r for r in body.rules.all() if r.threshold is not None), None) if body else None
    threshold = rule.threshold if rule is not None else Decimal("0.6")
    seats = list(body.seats.all()) if body else []
    state_seats = int(sum(s.weight for s in seats)) or DEFAULT_STATE_SEATS

    meta = {pk: (parent or 0, votes) for pk, parent, votes in
            Target.objects.visible_to(user).filter(campaign=campaign).order_by()
            .values_list("division_id", "division__parent_id", "division__party_vote")}
    called = dict(Target.objects.visible_to(user).filter(campaign=campaign, delegates__isnull=False)
                  .order_by().values_list("division_id", "delegates"))
    rows = [r for r in forecast.rows if r.attendance > 0]
    if not rows:
        raise ValidationError("no precinct has an expected attendance", parameter="targets")
    votes = {str(r.division_id): max(1, meta[r.division_id][1]) for r in rows}
    pdel = dict(apportion(votes, method="per-votes",
                          votes_per_delegate=VOTES_PER_PRECINCT_DELEGATE).allocation)
    pdel.update({str(pk): int(n or 0) for pk, n in called.items() if str(pk) in votes})
    parents = sorted({meta[r.division_id][0] for r in rows})
    index = {p: i for i, p in enumerate(parents)}
    dist_votes: dict[str, int] = {}
    for r in rows:
        key = str(meta[r.division_id][0])
        dist_votes[key] = dist_votes.get(key, 0) + votes[str(r.division_id)]
    ddel = apportion(dist_votes, max(state_seats, 1), method="hamilton", rng=seed).allocation

    att = np.array([r.attendance for r in rows], dtype=float)
    expected = np.array([r.expected for r in rows])
    mean = np.clip(expected / att, 0.0, 1.0)
    future = np.maximum(expected - np.array([r.recruited * r.show_up for r in rows]), 0.0)
    k = forecast.settings.pace_dispersion
    sd = np.sqrt(future + future ** 2 / k) / att
    cap = 0.9 * np.sqrt(mean * (1 - mean))
    sd = np.where(cap > 0, np.minimum(sd, cap), 0.0)
    propagation = propagate_bloc(
        mean, sd, att,
        np.array([max(1, pdel[str(r.division_id)]) for r in rows]),
        np.array([index[meta[r.division_id][0]] for r in rows]),
        np.array([ddel[str(p)] for p in parents]),
        attrition=attrition, threshold=float(threshold), draws=draws, rng=seed,
    )

    lead = campaign.lead_organization_id
    camps = [Camp(s.label, s.bloc or "uncommitted", int(s.weight),
                  s.holder_organization_id == lead) for s in seats]
    bloc_label = next((c.label for c in camps if c.ours), f"{campaign.lead_organization} bloc")
    expected_state = round(propagation.levels[-1].expected)
    roster_leverage = None
    if camps and any(c.ours for c in camps):
        roster_leverage = bloc_leverage({c.label: c.delegates for c in camps}, bloc_label,
                                        threshold=str(threshold))
    # the same convention with our forecast delegates; the other camps keep their proportions
    others = {c.label: c.delegates for c in camps if not c.ours} or {"Everyone else": 1}
    rest = max(0, state_seats - expected_state)
    scaled = (apportion(others, rest, method="hamilton", rng=seed).allocation if rest
              else {n: 0 for n in others})
    forecast_leverage = bloc_leverage({bloc_label: expected_state, **scaled}, bloc_label,
                                      threshold=str(threshold))
    sides: dict[str, int] = {}
    our_side = next((c.side for c in camps if c.ours), "")
    for c in camps:
        if not c.ours:
            sides[f"{c.side.title()} camp"] = sides.get(f"{c.side.title()} camp", 0) + c.delegates
    ours_now = next((c.delegates for c in camps if c.ours), 0)
    with_us = dict(sides)
    if our_side:
        key = f"{our_side.title()} camp"
        with_us[key] = with_us.get(key, 0) + ours_now
    without_us = {**sides, NO_ENDORSEMENT: ours_now}
    endorse_with = run_endorsement(with_us, threshold=str(threshold)) if sum(with_us.values()) else None
    endorse_without = (run_endorsement(without_us, threshold=str(threshold))
                       if sum(without_us.values()) else None)
    return ConventionOutlook(
        campaign=campaign, body=body, threshold=threshold, state_seats=state_seats,
        precinct_delegates=int(sum(max(1, v) for v in pdel.values())), districts=len(parents),
        seed=seed, draws=draws, attrition=attrition, propagation=propagation, camps=camps,
        roster_leverage=roster_leverage, forecast_leverage=forecast_leverage,
        forecast_bloc=expected_state, endorsement_with_us=endorse_with,
        endorsement_without_us=endorse_without, bloc_label=bloc_label,
    )
