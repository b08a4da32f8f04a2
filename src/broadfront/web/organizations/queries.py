"""Read-side use cases for the "Our power" and "Leaders" pages.

Every function takes the requesting user and starts from ``Model.objects.visible_to(user)``
(or, for organizations and coalitions, from the tenancy helpers), so a page can never show a
row the user may not see. Person-level rows (people, memberships, ladder steps, attendance of a
person) come only from the user's own organizations; partners' events appear as counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from broadfront.web.accountability.models import Attendance, Delivery, Event
from broadfront.web.common.tenancy import coalition_ids, own_org_ids
from broadfront.web.organizations.models import (
    LADDER_ORDER,
    Coalition,
    LadderStage,
    LeadershipStep,
    Membership,
    Organization,
    Person,
)
from broadfront.web.organizations.services import postal_code_for_user


@dataclass(frozen=True)
class StageCount:
    """How many people are at (or have reached) one ladder stage."""

    stage: str
    label: str
    count: int


@dataclass(frozen=True)
class ShowUp:
    """RSVPs and attendance at past events: how many said yes, and how many of those came."""

    said_yes: int
    came: int

    @property
    def rate(self) -> float | None:
        return self.came / self.said_yes if self.said_yes else None


@dataclass(frozen=True)
class UnitTotal:
    """A total quantity of one unit (doors, calls, voters...)."""

    unit: str
    label: str
    quantity: Decimal


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


def our_organizations(user: Any) -> QuerySet[Organization]:
    """The organizations the user belongs to."""
    return Organization.objects.filter(id__in=own_org_ids(user)).order_by("name")


def our_coalitions(user: Any) -> QuerySet[Coalition]:
    """The coalition tables where the user's organizations sit or that the user coordinates."""
    return Coalition.objects.filter(id__in=coalition_ids(user)).order_by("name")


def active_memberships(user: Any, today: dt.date) -> QuerySet[Membership]:
    """Current memberships in the user's own organizations."""
    return Membership.objects.visible_to(user).filter(
        organization_id__in=own_org_ids(user)
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today)
    )


def current_stages(user: Any) -> dict[int, str]:
    """Each person's highest ladder stage in the user's organizations (person id -> stage)."""
    best: dict[int, str] = {}
    for person_id, stage in LeadershipStep.objects.visible_to(user).values_list(
        "person_id", "stage"
    ):
        if person_id not in best or LADDER_ORDER[stage] > LADDER_ORDER[best[person_id]]:
            best[person_id] = stage
    return best


def stage_counts(user: Any) -> list[StageCount]:
    """How many people currently stand at each ladder stage, in ladder order."""
    counts = Counter(current_stages(user).values())
    return [StageCount(s.value, str(s.label), counts.get(s.value, 0)) for s in LadderStage]


def reached_counts(user: Any) -> list[StageCount]:
    """How many people have reached each ladder stage or gone beyond it (the pipeline)."""
    ranks = [LADDER_ORDER[s] for s in current_stages(user).values()]
    return [StageCount(s.value, str(s.label), sum(1 for r in ranks if r >= LADDER_ORDER[s.value]))
            for s in LadderStage]


def _tally_sum(field_name: str) -> Any:
    from broadfront.web.accountability.models import AttendanceTally

    rows = (AttendanceTally.objects.filter(event=OuterRef("pk")).order_by().values("event")
            .annotate(s=Sum(field_name)).values("s"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def events_with_counts(user: Any) -> QuerySet[Any]:
    """Visible events (ours and partners') with RSVP and attendance counts.

    The counts are aggregates: they never reveal who said yes or came. They are read from the
    attendance summary (:mod:`broadfront.web.accountability.summary`), one small correlated
    sum per event and count, equal to counting the event's attendance rows.
    """
    return Event.objects.visible_to(user).select_related("organization").annotate(
        said_yes=_tally_sum("said_yes"),
        said_maybe=_tally_sum("said_maybe"),
        came=_tally_sum("came"),
        yes_and_came=_tally_sum("yes_and_came"),
    )


def visible_events(user: Any) -> QuerySet[Event]:
    """The events ``user`` may see, without the ``DISTINCT`` of the scoped manager (its scope
    is a plain column test, so no row can repeat; a long list then counts and sorts cheaply)."""
    return Event.objects.filter(pk__in=Event.objects.visible_to(user).values("pk")) \
        .select_related("organization")


def with_counts(events: list[Event]) -> list[Event]:
    """Set ``said_yes``, ``said_maybe``, ``came`` and ``yes_and_came`` on ``events`` (one
    ``GROUP BY`` over the attendance summary of these events), as :func:`events_with_counts`
    annotates them."""
    from broadfront.web.accountability.models import AttendanceTally

    counts = {e: (y, m, c, yc) for e, y, m, c, yc in AttendanceTally.objects.filter(
        event_id__in=[e.pk for e in events]).order_by().values("event_id").annotate(
        y=Sum("said_yes"), m=Sum("said_maybe"), c=Sum("came"), yc=Sum("yes_and_came"),
    ).values_list("event_id", "y", "m", "c", "yc")}
    for e in events:
        y, m, c, yc = counts.get(e.pk, (0, 0, 0, 0))
        e.said_yes, e.said_maybe, e.came, e.yes_and_came = (  # type: ignore[attr-defined]
            int(y), int(m), int(c), int(yc))
    return events


def event_totals(user: Any, organization_ids: frozenset[int] | set[int],
                 now: dt.datetime) -> dict[int, tuple[int, int, int]]:
    """Per organization: (events held, said yes at its past events, of those came).

    Two ``GROUP BY`` queries (events, and the attendance summary of the past ones).
    """
    from broadfront.web.accountability.models import AttendanceTally

    events = Event.objects.visible_to(user).filter(organization_id__in=organization_ids)
    out: dict[int, list[int]] = {
        org: [int(n), 0, 0] for org, n in events.order_by().values("organization_id")
        .annotate(n=Count("id")).values_list("organization_id", "n")}
    past = events.filter(starts_at__lt=now).values("id")
    for org, yes, came in (AttendanceTally.objects.filter(event__in=past).order_by()
                           .values("event__organization_id")
                           .annotate(y=Sum("said_yes"), c=Sum("yes_and_came"))
                           .values_list("event__organization_id", "y", "c")):
        agg = out.setdefault(org, [0, 0, 0])
        agg[1] += int(yes or 0)
        agg[2] += int(came or 0)
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def show_up(user: Any, organization_ids: frozenset[int] | set[int], now: dt.datetime) -> ShowUp:
    """Show-up at past events of the given organizations: said yes, and of those, came."""
    totals = event_totals(user, organization_ids, now).values()
    return ShowUp(sum(t[1] for t in totals), sum(t[2] for t in totals))


def unit_totals(rows: list[tuple[str, Decimal | None]]) -> list[UnitTotal]:
    from broadfront.web.accountability.models import Unit

    labels = dict(Unit.choices)
    total: dict[str, Decimal] = defaultdict(Decimal)
    for unit, qty in rows:
        total[unit] += qty or Decimal(0)
    return [UnitTotal(u, str(labels.get(u, u)), q) for u, q in sorted(total.items())]


def power_overview(user: Any, now: dt.datetime) -> PowerOverview:
    """Figures for the "Our power" page: members, ladder, show-up rate and deliveries."""
    own = own_org_ids(user)
    today = now.date()
    events = events_with_counts(user).filter(organization_id__in=own)
    delivered = Delivery.objects.visible_to(user).filter(commitment__partner_id__in=own)
    from broadfront.web.accountability.models import Commitment

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


#: Orders of the people list: name (the model's order) or postal code, then name.
PEOPLE_SORTS = {
    "name": ("family_name", "given_name", "id"),
    "postal_code": ("postal_code", "family_name", "given_name", "id"),
}


def people(user: Any, search: str = "", sort: str = "name") -> QuerySet[Person]:
    """People on our own organizations' lists (never a partner's), optionally searched.

    Each word of ``search`` must match a name or email (anywhere) or the start of the postal
    code (so ``554`` finds everyone in ZIP codes 554xx); ``sort`` is a key of
    :data:`PEOPLE_SORTS` (an unknown one sorts by name).
    """
    qs = Person.objects.visible_to(user).filter(owner_id__in=own_org_ids(user))
    if search:
        for word in search.split():
            qs = qs.filter(
                Q(given_name__icontains=word) | Q(family_name__icontains=word)
                | Q(email__icontains=word) | Q(postal_code__startswith=word.upper())
            )
    return qs.select_related("division", "owner").order_by(
        *PEOPLE_SORTS.get(sort, PEOPLE_SORTS["name"])
    )


def get_person_for_user(user: Any, pk: int) -> Person:
    """The person ``pk`` if the user may see them (their own org's, or a public figure); else 404."""
    person = Person.objects.visible_to(user).select_related("owner", "division").filter(
        pk=pk
    ).first()
    if person is None:
        raise Http404("No such person")
    return person


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


def get_event_for_user(user: Any, pk: int) -> Event:
    """The event ``pk`` with its counts if it is ours or a partner's; else 404."""
    event = events_with_counts(user).filter(pk=pk).first()
    if event is None:
        raise Http404("No such event")
    return event


def event_attendance(user: Any, event: Event) -> list[Attendance]:
    """Who RSVPed to an event: only people of the user's own organizations are listed."""
    return list(Attendance.objects.visible_to(user).filter(event=event)
                .select_related("person").order_by("person__family_name", "person__given_name"))


@dataclass
class LeadersOverview:
    current: list[StageCount]
    reached: list[StageCount]
    by_stage: list[tuple[StageCount, list[Person]]]
    recent_steps: list[LeadershipStep]


def leaders_overview(user: Any, per_stage: int = 12) -> LeadersOverview:
    """The ladder pipeline and the people at each stage (our own organizations only)."""
    best = current_stages(user)
    current = stage_counts(user)
    ids_by_stage: dict[str, list[int]] = defaultdict(list)
    for pid, stage in best.items():
        ids_by_stage[stage].append(pid)
    by_stage = []
    for sc in reversed(current):
        ids = ids_by_stage.get(sc.stage, [])
        shown = list(Person.objects.visible_to(user).filter(id__in=ids)[:per_stage]) if ids else []
        by_stage.append((sc, shown))
    return LeadersOverview(
        current=current,
        reached=reached_counts(user),
        by_stage=by_stage,
        recent_steps=list(LeadershipStep.objects.visible_to(user)
                          .select_related("person", "organization").order_by("-date", "-id")[:10]),
    )


def stage_label(stage: str) -> str:
    """The plain-language name of a ladder stage; 404 for an unknown one."""
    try:
        return str(LadderStage(stage).label)
    except ValueError as exc:
        raise Http404("No such stage") from exc


def people_at_stage(user: Any, stage: str) -> QuerySet[Person]:
    """People whose highest ladder stage is ``stage`` (own organizations only)."""
    stage_label(stage)
    ids = [pid for pid, s in current_stages(user).items() if s == stage]
    return Person.objects.visible_to(user).filter(id__in=ids)


# ----------------------------------------------------------------------------- our power figures


def get_power_org_for_user(user: Any, slug: str | None) -> Organization:
    """The organization whose power page the user asked for: one of theirs (default the
    first), or a partner at one of their tables (aggregates only); else 404."""
    from broadfront.web.common.tenancy import is_site_operator, partner_org_ids

    if slug:
        qs = Organization.objects.filter(slug=slug)
        if not is_site_operator(user):
            qs = qs.filter(id__in=partner_org_ids(user))
    else:
        qs = our_organizations(user)
    org = qs.first()
    if org is None:
        raise Http404("No such organization")
    return org


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
    import statistics

    from django.db.models.functions import TruncMonth

    from broadfront.web.accountability import figures as fig
    from broadfront.web.accountability.queries import partner_scorecard
    from broadfront.web.campaigns.models import Squad
    from broadfront.web.organizations.ladder import _stages

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
