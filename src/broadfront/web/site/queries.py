"""Read-side use cases of the pages that compose several areas.

The home dashboard (our organization and our coalition at a glance), "Our power" (members,
ladder, show-up and deliveries of one organization) and a person's page (memberships, ladder
steps and attendance) read organizations, accountability, campaigns and decisions at once, so
they live here, above every area (see docs/architecture.md, "Layers of the web app"). Each
starts from ``Model.objects.visible_to(user)`` through the areas' own queries.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from broadfront.web.accountability import figures as fig
from broadfront.web.accountability.models import Attendance, Commitment, Delivery, Event
from broadfront.web.accountability.queries import (
    ShowUp,
    StatusTally,
    UnitTotal,
    commitments,
    events_with_counts,
    partner_scorecard,
    show_up,
    status_tally,
    unit_totals,
)
from broadfront.web.campaigns.models import Squad
from broadfront.web.campaigns.queries import CampaignProgress, bloc_progress
from broadfront.web.common.tenancy import own_org_ids
from broadfront.web.decisions.models import Decision
from broadfront.web.decisions.queries import decisions, reviews_due
from broadfront.web.organizations.models import (
    LADDER_ORDER,
    Coalition,
    LadderStage,
    LeadershipStep,
    Membership,
    Organization,
    Person,
)
from broadfront.web.organizations.queries import (
    StageCount,
    active_memberships,
    our_coalitions,
    our_organizations,
    stage_counts,
)
from broadfront.web.organizations.services import postal_code_for_user
from broadfront.web.site.ladder import _stages

# ------------------------------------------------------------------------------ home dashboard


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


# ---------------------------------------------------------------------------------- our power


@dataclass
class PowerOverview:
    organizations: list[Organization]
    people: int
    active_members: int
    stages: list[StageCount]
    show_up: ShowUp
    recent_events: list[Event]
    upcoming_events: list[Event]
    delivered: list[UnitTotal]
    promised: list[UnitTotal] = field(default_factory=list)


def power_overview(user: Any, now: dt.datetime) -> PowerOverview:
    """Figures for the "Our power" page: members, ladder, show-up rate and deliveries."""
    own = own_org_ids(user)
    today = now.date()
    events = events_with_counts(user).filter(organization_id__in=own)
    delivered = Delivery.objects.visible_to(user).filter(commitment__partner_id__in=own)
    promised = Commitment.objects.visible_to(user).filter(partner_id__in=own)
    return PowerOverview(
        organizations=list(our_organizations(user)),
        people=Person.objects.visible_to(user).filter(owner_id__in=own).count(),
        active_members=active_memberships(user, today).values("person").distinct().count(),
        stages=stage_counts(user),
        show_up=show_up(user, own, now),
        recent_events=list(events.filter(starts_at__lt=now).order_by("-starts_at")[:6]),
        upcoming_events=list(events.filter(starts_at__gte=now).order_by("starts_at")[:6]),
        delivered=unit_totals(list(delivered.values_list("commitment__unit", "quantity"))),
        promised=unit_totals(list(promised.values_list("unit", "quantity"))),
    )


@dataclass
class PersonDetail:
    person: Person
    memberships: list[Membership]
    steps: list[LeadershipStep]
    stage: str | None
    attendances: list[Attendance]
    show_up: ShowUp
    postal_code: str = ""


def person_detail(user: Any, person: Person) -> PersonDetail:
    """A person's memberships, ladder steps and attendance, as far as the user may see them."""
    steps = list(LeadershipStep.objects.visible_to(user).filter(person=person)
                 .select_related("organization").order_by("date", "id"))
    best = max(steps, key=lambda s: LADDER_ORDER[s.stage]).stage if steps else None
    atts = list(Attendance.objects.visible_to(user).filter(person=person)
                .select_related("event", "event__organization").order_by("-event__starts_at"))
    yes = [a for a in atts if a.status == Attendance.Status.ACCEPTED and a.attended is not None]
    return PersonDetail(
        person=person,
        memberships=list(Membership.objects.visible_to(user).filter(person=person)
                         .select_related("organization")),
        steps=steps,
        stage=best,
        attendances=atts,
        show_up=ShowUp(len(yes), sum(1 for a in yes if a.attended)),
        postal_code=postal_code_for_user(user, person),
    )


@dataclass
class PowerFigures:
    """An organization's power in aggregates: what allies may see, and squads for its own."""

    organization: Organization
    is_ours: bool
    people: int
    members: int
    stages: list[StageCount]
    squads: list[dict[str, Any]]
    squad_count: int
    show_up: Any  # figures.Rate or None
    by_kind: list[tuple[str, Any]]
    scorecard: Any
    table: Coalition | None
    months: list[dt.date]
    delivered_by_unit: dict[str, list[float]]
    delivery_forecasts: list[Any]
    upcoming: list[tuple[Event, Any]]
    typical_rsvps: int
    typical: Any  # TurnoutForecast or None
    events_held: int


def power_figures(user: Any, org: Organization, now: dt.datetime) -> PowerFigures:
    """Members, ladder, squads, show-up (shrunk, with intervals), deliveries over time and what
    the organization could deliver next month, computed by the reliability engine."""
    today = now.date()
    is_ours = org.pk in own_org_ids(user) or getattr(user, "is_superuser", False)
    card, data, table = partner_scorecard(user, org, now)
    counts = Counter(_stages(org).values())
    stages = [StageCount(s.value, str(s.label), counts.get(s.value, 0)) for s in LadderStage]
    squads: list[dict[str, Any]] = []
    squad_count = Squad.objects.filter(organization=org).count()
    if is_ours:
        rates = fig.grouped_show_up(org.pk, "squad", now)
        for sid, name, leader in Squad.objects.filter(organization=org).values_list(
                "id", "name", "leader__given_name"):
            squads.append({"id": sid, "name": name, "leader": leader, "rate": rates.get(sid)})
    kinds = dict(Event.Kind.choices)
    by_kind = sorted(((str(kinds.get(k, k)), r) for k, r in
                      fig.grouped_show_up(org.pk, "kind", now).items()), key=lambda t: -t[1].rate)
    # Deliveries by month and unit (one GROUP BY), over the last 12 months.
    start = dt.date(today.year - 1, today.month, 1)
    months = []
    y, m = start.year, start.month
    while (y, m) <= (today.year, today.month):
        months.append(dt.date(y, m, 1))
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    delivered: dict[str, list[float]] = {}
    index = {d: i for i, d in enumerate(months)}
    for month, unit, total in (Delivery.objects
                               .filter(commitment__partner=org, delivered_on__gte=start,
                                       delivered_on__lt=months[-1] + dt.timedelta(days=31))
                               .annotate(month=TruncMonth("delivered_on"))
                               .values("month", "commitment__unit").annotate(t=Sum("quantity"))
                               .values_list("month", "commitment__unit", "t")):
        key = month.date() if isinstance(month, dt.datetime) else month
        if key not in index:  # dated after this month (an import ahead of the clock)
            continue
        label = fig.UNIT_LABELS.get(unit, unit)
        delivered.setdefault(label, [0.0] * len(months))[index[key]] += float(total or 0)
    upcoming_events = list(Event.objects.filter(
        organization=org, starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=31)
    ).order_by("starts_at")[:8])
    upcoming = [(e, fig.event_forecast(e, now)) for e in upcoming_events]
    recent = list(events_with_counts(user).filter(
        organization=org, starts_at__lt=now, starts_at__gte=now - dt.timedelta(days=180)
    ).values_list("said_yes", flat=True))
    typical_rsvps = int(statistics.median(recent)) if recent else 0
    typical = (fig.typical_turnout(card.show_up.rate, typical_rsvps)
               if card.show_up is not None else None)
    return PowerFigures(
        organization=org, is_ours=is_ours,
        people=Person.objects.filter(owner=org).count(),
        members=Membership.objects.filter(organization=org).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)).filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today)).values("person").distinct()
        .count(),
        stages=stages, squads=squads, squad_count=squad_count, show_up=card.show_up,
        by_kind=by_kind, scorecard=card, table=table, months=months,
        delivered_by_unit=delivered, delivery_forecasts=fig.delivery_forecasts(data, org.pk),
        upcoming=upcoming, typical_rsvps=typical_rsvps, typical=typical,
        events_held=Event.objects.filter(organization=org, starts_at__lt=now).count(),
    )
