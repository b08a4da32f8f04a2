"""Read-side use cases for the "Coalition and accountability" pages.

Partners at a coalition table see each other's aggregates: commitments (with a status computed
from deliveries by :func:`broadfront.web.accountability.models.compute_status`), deliveries,
contributions and event counts, never another organization's people. Every query starts from
``Model.objects.visible_to(user)`` or from the tenancy helpers. Events with their RSVP counts and
show-up (the last section) are read here too, by the pages of every area that lists events.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from broadfront.exceptions import NotFoundError
from broadfront.web.accountability.models import (
    Attendance,
    AttendanceTally,
    Commitment,
    CommitmentStatus,
    Contribution,
    Delivery,
    Event,
    Unit,
    compute_status,
)
from broadfront.web.common.tenancy import own_org_ids, partner_org_ids
from broadfront.web.organizations.models import Coalition, Organization
from broadfront.web.organizations.queries import our_coalitions

STATUS_ORDER = [s.value for s in CommitmentStatus]
STATUS_LABELS = dict(CommitmentStatus.choices)


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment with what was delivered and its computed status."""

    commitment: Commitment
    delivered: Decimal
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def share(self) -> int:
        """Delivered as a whole percentage of the promise (capped at 100 for the bar)."""
        q = self.commitment.quantity
        return min(100, int(self.delivered * 100 / q)) if q else 0


@dataclass
class StatusTally:
    """How many commitments are in each status."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def parts(self) -> list[tuple[str, str, int, float]]:
        """(status, label, count, percent of all) in a fixed order, for bars and legends."""
        total = self.total or 1
        return [(s, str(STATUS_LABELS[s]), self.counts.get(s, 0),
                 round(100 * self.counts.get(s, 0) / total, 1)) for s in STATUS_ORDER]

    def get(self, status: str) -> int:
        return self.counts.get(status, 0)


def commitments(user: Any) -> QuerySet[Commitment]:
    """Commitments of the user's organizations and their coalition partners, with deliveries."""
    return Commitment.objects.visible_to(user).select_related(
        "partner", "campaign", "coalition"
    ).prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.visible_to(user).order_by("delivered_on"))
    )


def commitment_rows(qs: Any, today: dt.date) -> list[CommitmentRow]:
    """Each commitment with its delivered total and computed status (deliveries prefetched)."""
    rows = []
    for c in qs:
        ds = [(d.quantity, d.delivered_on) for d in c.deliveries.all()]
        rows.append(CommitmentRow(c, sum((q for q, _ in ds), Decimal(0)),
                                  compute_status(c.quantity, c.due_date, ds, today)))
    return rows


def tally(rows: list[CommitmentRow]) -> StatusTally:
    return StatusTally(dict(Counter(r.status for r in rows)))


# Deliveries are stored with two decimals: sums that differ from a promise differ by at least
# 0.01, so comparing against the promise less half a cent decides exactly as Decimal would even
# where the database sums in binary floating point (SQLite).
_HALF_CENT = Decimal("0.005")
_MONEY: Any = DecimalField(max_digits=20, decimal_places=2)


def with_status(qs: Any, today: dt.date) -> Any:
    """``qs`` annotated with ``delivered_total``, ``delivered_on_time`` and ``computed_status``,
    computed by the database exactly as :func:`compute_status` does in Python.

    One ``LEFT JOIN`` of the deliveries grouped by commitment gives the sum of all deliveries
    and of those dated on or before the due date; then: kept when the on-time sum reaches the
    promise, kept late when the total does, open while not past due, partly kept when something
    arrived, else broken. ``qs`` must not already join a multi-valued relation (the sums would
    count a delivery twice).
    """
    zero = Value(Decimal(0), output_field=_MONEY)
    return qs.annotate(
        delivered_total=Coalesce(Sum("deliveries__quantity"), zero, output_field=_MONEY),
        delivered_on_time=Coalesce(
            Sum("deliveries__quantity", filter=Q(deliveries__delivered_on__lte=F("due_date"))),
            zero, output_field=_MONEY),
    ).annotate(computed_status=Case(
        When(delivered_on_time__gte=F("quantity") - _HALF_CENT,
             then=Value(CommitmentStatus.KEPT.value)),
        When(delivered_total__gte=F("quantity") - _HALF_CENT,
             then=Value(CommitmentStatus.KEPT_LATE.value)),
        When(due_date__gte=today, then=Value(CommitmentStatus.OPEN.value)),
        When(delivered_total__gt=_HALF_CENT, then=Value(CommitmentStatus.PARTLY_KEPT.value)),
        default=Value(CommitmentStatus.BROKEN.value),
        output_field=CharField(),
    ))


def status_counts(qs: Any, today: dt.date, *by: str) -> dict[tuple[Any, ...], StatusTally]:
    """How many commitments of ``qs`` are in each status, grouped by the columns ``by`` (plain
    fields of the commitment, e.g. ``partner_id``): counted by the database, around the
    per-commitment statuses of :func:`with_status`; no commitment is loaded."""
    inner = with_status(qs.order_by(), today).values_list("id", *by, "computed_status")
    sql, params = inner.query.sql_with_params()
    fields: list[Any] = [Commitment._meta.get_field(f.removesuffix("_id")) for f in by]
    keys = [f.column for f in fields]
    cols = ", ".join([*(f"t.{c}" for c in keys), "t.computed_status"])
    out: dict[tuple[Any, ...], StatusTally] = {}
    with connections[inner.db].cursor() as cur:
        cur.execute(f"SELECT {cols}, COUNT(*) FROM ({sql}) t GROUP BY {cols}", params)
        for row in cur.fetchall():
            key, status, n = tuple(row[:-2]), row[-2], int(row[-1])
            t = out.setdefault(key, StatusTally())
            t.counts[status] = t.counts.get(status, 0) + n
    return out


def status_tally(qs: Any, today: dt.date) -> StatusTally:
    """How many commitments of ``qs`` are in each status (counted by the database)."""
    return status_counts(qs, today).get((), StatusTally())


def rows_from_annotated(commitments: Any) -> list[CommitmentRow]:
    """Rows of commitments annotated by :func:`with_status` (one page of a list)."""
    return [CommitmentRow(c, c.delivered_total, c.computed_status) for c in commitments]


class CommitmentRows:
    """A paged list of :class:`CommitmentRow` over commitment ids in display order: ``len()``
    is the number of ids and a slice loads only its commitments (for
    :class:`django.core.paginator.Paginator`)."""

    def __init__(self, ids: list[int], load: Any) -> None:
        self.ids = ids
        self.load = load  # ids -> commitments annotated by with_status

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> Any:
        some = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        by_id = {c.pk: c for c in self.load(some)}
        rows = rows_from_annotated([by_id[i] for i in some if i in by_id])
        return rows if isinstance(index, slice) else rows[0]


@dataclass
class PartnerSummary:
    """One partner at the table: what it promised and how it delivered, in aggregate."""

    organization: Organization
    role: str
    is_ours: bool
    tally: StatusTally
    events: int
    show_up: ShowUp


@dataclass
class TableSummary:
    coalition: Coalition
    partners: list[PartnerSummary]
    tally: StatusTally


@dataclass
class CoalitionOverview:
    tables: list[TableSummary]
    tally: StatusTally
    contributions: list[Contribution]
    recent_deliveries: list[Delivery]


def _event_aggregates(user: Any, org_ids: set[int], now: dt.datetime) -> dict[int, tuple[int, int, int]]:
    """(events held, said yes at past events, of those came) per organization: counts only."""
    return event_totals(user, org_ids, now)


def coalition_overview(user: Any, now: dt.datetime) -> CoalitionOverview:
    """Every table the user sits at, each partner's promises kept, and recent deliveries.

    Statuses are counted by the database per partner and table (:func:`status_counts`).
    """
    from broadfront.web.accountability.figures import cached

    today = now.date()
    own = own_org_ids(user)
    coalitions = list(our_coalitions(user).prefetch_related("coalitionmembership_set__organization"))
    org_ids = {m.organization_id for c in coalitions for m in c.coalitionmembership_set.all()}
    visible = sorted(partner_org_ids(user))

    def compute() -> tuple[Any, Any, list[int]]:
        return (status_counts(Commitment.objects.visible_to(user), today, "partner_id",
                              "coalition_id"),
                _event_aggregates(user, org_ids & set(visible), now),
                list(Delivery.objects.visible_to(user).order_by("-delivered_on", "-id")
                     .values_list("id", flat=True)[:8]))

    # The counts are the same for every user who sees the same organizations.
    counts, events, recent = cached(
        "overview", [getattr(user, "is_superuser", False), *visible, "|", *sorted(org_ids),
                     now.date()], compute)
    tables = []
    for c in coalitions:
        partners = []
        table_tally = StatusTally()
        for m in sorted(c.coalitionmembership_set.all(), key=lambda m: m.organization.name):
            ptally = _merge([t for (p, co), t in counts.items()
                             if p == m.organization_id and co in (None, c.pk)])
            table_tally = _merge([table_tally, ptally])
            n, yes, came = events.get(m.organization_id, (0, 0, 0))
            partners.append(PartnerSummary(m.organization, m.role, m.organization_id in own,
                                           ptally, n, ShowUp(yes, came)))
        tables.append(TableSummary(c, partners, table_tally))
    return CoalitionOverview(
        tables=tables,
        tally=_merge(list(counts.values())),
        contributions=list(Contribution.objects.visible_to(user)
                           .select_related("organization", "campaign")[:8]),
        recent_deliveries=list(Delivery.objects.filter(id__in=recent)
                               .select_related("commitment", "commitment__partner")
                               .order_by("-delivered_on", "-id")),
    )


def _merge(tallies: list[StatusTally]) -> StatusTally:
    out: dict[str, int] = {}
    for t in tallies:
        for k, v in t.counts.items():
            out[k] = out.get(k, 0) + v
    return StatusTally(out)


def get_partner_for_user(user: Any, pk: int) -> Organization:
    """An organization the user belongs to or sits at a table with; else NotFoundError."""
    org = Organization.objects.filter(pk=pk, id__in=partner_org_ids(user)).first()
    if org is None:
        raise NotFoundError(f"partner {pk} not found")
    return org


PARTNER_ROWS = 50


@dataclass
class PartnerDetail:
    organization: Organization
    is_ours: bool
    coalitions: list[Coalition]
    rows: list[CommitmentRow]  # the PARTNER_ROWS latest due; all of them are in the list page
    tally: StatusTally
    contributions: list[Contribution]
    events: int
    show_up: ShowUp
    members_on_record: int

    @property
    def more(self) -> int:
        """How many commitments are not shown in ``rows``."""
        return max(self.tally.total - len(self.rows), 0)


def partner_detail(user: Any, org: Organization, now: dt.datetime) -> PartnerDetail:
    """A partner's commitments with their status, contributions and event counts (aggregates).

    The status tally covers every commitment (counted by the database); ``rows`` lists the
    :data:`PARTNER_ROWS` with the latest due dates.
    """
    today = now.date()
    qs = commitments(user).filter(partner=org)
    n, yes, came = _event_aggregates(user, {org.pk}, now).get(org.pk, (0, 0, 0))
    members = (Organization.objects.filter(pk=org.pk, id__in=partner_org_ids(user))
               .annotate(n=Count("memberships", distinct=True)).values_list("n", flat=True))
    return PartnerDetail(
        organization=org,
        is_ours=org.pk in own_org_ids(user),
        coalitions=list(our_coalitions(user).filter(members=org)),
        rows=rows_from_annotated(with_status(qs, today)[:PARTNER_ROWS]),
        tally=status_tally(Commitment.objects.visible_to(user).filter(partner=org), today),
        contributions=list(Contribution.objects.visible_to(user).filter(organization=org)
                           .select_related("campaign")),
        events=n,
        show_up=ShowUp(yes, came),
        members_on_record=members[0] if members else 0,
    )


def commitment_list(user: Any, now: dt.datetime, status: str = "",
                    partner: str = "") -> CommitmentRows:
    """Commitments, optionally only one status, or only ours ("ours") or one partner (an id).

    Filtered and counted by the database; rows are built only for the page shown.
    """
    from broadfront.web.accountability.figures import cached

    today = now.date()
    qs = commitments(user)
    if partner == "ours":
        qs = qs.filter(partner_id__in=own_org_ids(user))
    elif partner.isdigit():
        qs = qs.filter(partner_id=int(partner))
    listed = with_status(qs, today)
    if status:
        listed = listed.filter(computed_status=status)
    # The ids in display order, cached like the figures (5 minutes, fresh after any write):
    # a page then loads only its own commitments.
    key = [getattr(user, "is_superuser", False), *sorted(partner_org_ids(user)), "|",
           *(sorted(own_org_ids(user)) if partner == "ours" else []), status, partner, today]
    ids = cached("commitment-list", key, lambda: list(listed.values_list("pk", flat=True)))
    return CommitmentRows(ids, lambda some: with_status(commitments(user).filter(pk__in=some),
                                                        today))


def commitment_row(user: Any, commitment: Commitment, now: dt.datetime) -> CommitmentRow:
    """One commitment (found with :func:`~broadfront.web.common.lookups.get_visible`) with its
    deliveries and status."""
    return commitment_rows(commitments(user).filter(pk=commitment.pk), now.date())[0]


def contributions(user: Any) -> QuerySet[Contribution]:
    """Partners' claimed and verified contributions to wins."""
    return Contribution.objects.visible_to(user).select_related("organization", "campaign") \
        .order_by("campaign__name", "organization__name")


# ----------------------------------------------------------------------------- scorecards


def get_table_for_user(user: Any, slug: str) -> Coalition:
    """A coalition table the user sits at (or coordinates); else NotFoundError."""
    from broadfront.web.common.tenancy import coalition_ids, is_site_operator

    qs = Coalition.objects.filter(slug=slug)
    if not is_site_operator(user):
        qs = qs.filter(id__in=coalition_ids(user))
    coalition = qs.first()
    if coalition is None:
        raise NotFoundError(f"coalition {slug!r} not found")
    return coalition


def table_commitments(user: Any, coalition: Coalition, member_ids: list[int]) -> Any:
    """Commitments made at this table (or to no table in particular) by its members (ids
    sorted, so the query, and the figures' cache key, is the same from every page)."""
    return Commitment.objects.visible_to(user).filter(
        partner_id__in=sorted(member_ids)).filter(Q(coalition__isnull=True) | Q(coalition=coalition))


@dataclass
class ScorecardRow:
    """One partner's line in the coalition table."""

    organization: Organization
    role: str
    is_ours: bool
    card: Any  # figures.Scorecard
    cells: list[Any]  # per unit: (count_on, share, kept_rate, ratio, commitments) or None


@dataclass
class TableView:
    coalition: Coalition
    rows: list[ScorecardRow]
    units: list[tuple[str, str]]
    figures: Any  # figures.TableFigures
    count_on: list[tuple[str, list[tuple[str, float, float]]]]  # unit -> (partner, amount, of)


def table_view(user: Any, coalition: Coalition, now: dt.datetime) -> TableView:
    """Every partner's scorecard and the capability matrix of one table (aggregates only)."""
    import math

    from broadfront.web.accountability import figures as fig

    memberships = sorted(coalition.coalitionmembership_set.select_related("organization"),
                         key=lambda m: m.organization.name)
    ids = [m.organization_id for m in memberships]
    data = fig.table_figures(ids, table_commitments(user, coalition, ids), now)
    own = own_org_ids(user)
    m = data.matrix
    units = list(m.units) if m is not None else []
    rows = []
    for mem in memberships:
        cells: list[Any] = []
        if m is not None and str(mem.organization_id) in m.partners:
            i = m.partners.index(str(mem.organization_id))
            for j in range(len(units)):
                if m.commitments[i, j] or m.typical_promise[i, j] == m.typical_promise[i, j]:
                    cells.append({
                        "commitments": int(m.commitments[i, j]),
                        "kept_rate": _nan_none(m.kept_rate[i, j]),
                        "ratio": _nan_none(m.delivered_ratio[i, j]),
                        "share": _nan_none(m.share[i, j]),
                        "count_on": _nan_none(m.count_on[i, j]),
                        "typical": _nan_none(m.typical_promise[i, j]),
                    })
                else:
                    cells.append(None)
        else:
            cells = [None] * len(units)
        rows.append(ScorecardRow(mem.organization, mem.role, mem.organization_id in own,
                                 data.scorecards.get(mem.organization_id,
                                                     fig.Scorecard(mem.organization_id)),
                                 cells))
    count_on = []
    names = {str(mem.organization_id): mem.organization.name for mem in memberships}
    if m is not None:
        for j, unit in enumerate(units):
            best = sorted(((names.get(p, p), float(m.count_on[i, j]),
                            float(m.typical_promise[i, j]))
                           for i, p in enumerate(m.partners)
                           if not math.isnan(m.count_on[i, j]) and m.count_on[i, j] > 0),
                          key=lambda t: -t[1])
            count_on.append((fig.UNIT_LABELS.get(unit, unit), best))
    return TableView(coalition, rows, [(u, fig.UNIT_LABELS.get(u, u)) for u in units], data,
                     count_on)


def _nan_none(x: Any) -> float | None:
    v = float(x)
    return None if v != v else v


def partner_scorecard(user: Any, org: Organization, now: dt.datetime) -> Any:
    """The partner's scorecard, shrunk among the partners of its first table shared with the
    user (or among itself alone when it sits at none); None without shared table figures."""
    from broadfront.web.accountability import figures as fig

    coalition = our_coalitions(user).filter(members=org).first()
    if coalition is not None:
        ids = sorted(coalition.members.values_list("id", flat=True))
        qs = table_commitments(user, coalition, ids)
    else:
        ids = [org.pk]
        qs = Commitment.objects.visible_to(user).filter(partner=org)
    data = fig.table_figures(ids, qs, now)
    return data.scorecards.get(org.pk, fig.Scorecard(org.pk)), data, coalition


# ----------------------------------------------------------------------------- credit for wins


@dataclass
class CreditView:
    campaign: Any
    result: Any  # CreditResult or None
    names: dict[str, str]
    contributions: list[Contribution]
    can_review: bool


def campaign_credit(user: Any, campaign: Any) -> CreditView:
    """Each partner's share of the campaign's wins under the documented rule, with evidence.

    Contributions are partners' aggregate claims (visible to every partner at the table).
    """
    from broadfront.analysis.reliability import credit_for_win
    from broadfront.web.common.tenancy import is_site_operator
    from broadfront.web.organizations.models import CoalitionCoordinator

    items = list(Contribution.objects.visible_to(user).filter(campaign=campaign)
                 .select_related("organization").order_by("organization__name", "id"))
    result = None
    if items:
        result = credit_for_win(
            [str(c.organization_id) for c in items], [float(c.quantity) for c in items],
            [c.status for c in items], [c.unit for c in items],
            [f"{c.outcome}: {c.evidence or c.description or 'no evidence given'}"
             for c in items])
    can_review = is_site_operator(user) or (
        campaign.coalition_id is not None and CoalitionCoordinator.objects.filter(
            user=user, coalition_id=campaign.coalition_id).exists())
    return CreditView(campaign, result, {str(c.organization_id): c.organization.name
                                         for c in items}, items, can_review)


# --------------------------------------------------------------------- events and show-up


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


def _tally_sum(field_name: str) -> Any:
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
    labels = dict(Unit.choices)
    total: dict[str, Decimal] = defaultdict(Decimal)
    for unit, qty in rows:
        total[unit] += qty or Decimal(0)
    return [UnitTotal(u, str(labels.get(u, u)), q) for u, q in sorted(total.items())]


def event_attendance(user: Any, event: Event) -> list[Attendance]:
    """Who RSVPed to an event: only people of the user's own organizations are listed."""
    return list(Attendance.objects.visible_to(user).filter(event=event)
                .select_related("person").order_by("person__family_name", "person__given_name"))
