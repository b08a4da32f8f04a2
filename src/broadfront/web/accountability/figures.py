"""From the database to the reliability engine: scorecards, show-up rates and forecasts.

Every figure here is computed by :mod:`broadfront.analysis.reliability` from arrays the
database has already aggregated (``values_list`` with ``annotate``: one row per commitment,
or per organization and month of events, never one Python step per attendance row).

Privacy: the functions return aggregates only (counts, rates, intervals per organization,
unit, squad or event kind). Attendance of a partner's people is read only to be counted per
organization; no person of another organization ever leaves this module. Callers decide who
may see which organization (the coalition's members for partners, the own organization for
squads and people).

Caching: the heavy aggregates (every RSVP of a coalition's people) are kept in Django's
cache for :data:`CACHE_SECONDS`, keyed by the organizations involved and a *data stamp* (the
newest row id of the attendance, event, commitment, delivery and audit tables), so any write
through a service (which appends to the audit log) or any new row starts a fresh computation.

Rules written down once (docs/reliability.md, "On the web"):

- A past RSVP counts for show-up when the person said yes and attendance was taken
  (``attended`` is true or false); "unknown" is left out.
- A commitment's status is computed from its deliveries (``compute_status``): kept when the
  deliveries dated on or before the due date reach the promise, kept late when all deliveries
  do, open while not complete and not past due, else partly kept or broken.
- Rates are shrunk toward the organizations at the same coalition table (empirical Bayes);
  intervals are 90% credible intervals (5th to 95th percentile).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    Max,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from broadfront.analysis.reliability import (
    CapabilityMatrix,
    CommitmentReliability,
    DeliveryForecast,
    TurnoutForecast,
    capability_matrix,
    commitment_reliability,
    forecast_delivery,
    forecast_turnout,
    rsvp_probabilities,
    show_up_rates,
)
from broadfront.web.accountability.models import (
    Attendance,
    AttendanceTally,
    Commitment,
    Delivery,
    Event,
    Unit,
)
from broadfront.web.common.models import AuditEntry

CACHE_SECONDS = 300
LEVEL = 0.9
UNIT_LABELS = {k: str(v) for k, v in Unit.choices}
ACCEPTED = Attendance.Status.ACCEPTED


# ----------------------------------------------------------------------------- caching


def data_stamp() -> tuple[int, ...]:
    """Newest ids of the tables the figures read: changes whenever a row is added or a
    service writes (every service appends an audit entry)."""
    stamp = []
    for model in (Attendance, AttendanceTally, Event, Commitment, Delivery, AuditEntry):
        value = model._default_manager.aggregate(m=Max("id"))["m"]
        stamp.append(int(value or 0))
    return tuple(stamp)


def cached(name: str, key: Iterable[Any], compute: Any) -> Any:
    """``compute()`` cached under ``name``, ``key`` and the current data stamp."""
    raw = f"{name}:{','.join(map(str, key))}:{'.'.join(map(str, data_stamp()))}"
    full = "bf-rel:" + hashlib.sha1(raw.encode()).hexdigest()
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, CACHE_SECONDS)
    return value


def memo_chart(name: str, data: Any, build: Any) -> Any:
    """``build()`` (a chart's HTML) cached under ``name`` and the data it draws (``repr``), so a
    chart is drawn once per distinct data rather than on every request (Plotly is slow)."""
    full = "bf-chart:" + hashlib.sha1(f"{name}:{data!r}".encode()).hexdigest()
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, CACHE_SECONDS)
    return value


# ----------------------------------------------------------------------------- show-up


@dataclass(frozen=True)
class Rate:
    """A shrunk show-up rate with its interval, and the raw counts behind it."""

    said_yes: int
    came: int
    rate: float
    low: float
    high: float
    note: str = ""

    @property
    def raw(self) -> float | None:
        return self.came / self.said_yes if self.said_yes else None

    @property
    def pct(self) -> int:
        return round(100 * self.rate)

    @property
    def low_pct(self) -> int:
        return round(100 * self.low)

    @property
    def high_pct(self) -> int:
        return round(100 * self.high)


@dataclass(frozen=True)
class ShowUpTable:
    """Show-up rates of organizations, by month too (for trend charts)."""

    rates: dict[int, Rate]
    months: dict[int, list[tuple[dt.date, int, int]]]  # org -> (month, said yes, came)
    pooled: float | None


def _counted_rsvps(now: dt.datetime) -> Any:
    return Attendance.objects.filter(status=ACCEPTED, attended__isnull=False,
                                     event__starts_at__lt=now)


def _counted_tallies(now: dt.datetime) -> Any:
    """The summary rows behind :func:`_counted_rsvps`: ``SUM(taken)`` and ``SUM(yes_and_came)``
    over them equal ``COUNT`` and the count of "came" over those RSVPs (rows with none taken are
    left out so the groups are the same)."""
    return AttendanceTally.objects.filter(taken__gt=0, event__starts_at__lt=now).order_by()


def month_of(field_name: str, events: Any) -> Any:
    """The first day of the month (in the current time zone) of ``field_name``, as a ``CASE``
    over the month boundaries spanned by ``events``: equal to ``TruncMonth`` (which SQLite
    computes by calling Python once per row) but evaluated natively by every database."""
    span = events.order_by().aggregate(first=Min("starts_at"), last=Max("starts_at"))
    if span["first"] is None:
        return Value(None, output_field=DateField())
    tz = timezone.get_current_timezone()
    first, last = (timezone.localtime(span[k], tz) for k in ("first", "last"))
    whens = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        ny, nm = (y, m + 1) if m < 12 else (y + 1, 1)
        bound = timezone.make_aware(dt.datetime(ny, nm, 1), tz)
        whens.append(When(**{f"{field_name}__lt": bound}, then=Value(dt.date(y, m, 1))))
        y, m = ny, nm
    return Case(*whens, default=Value(None), output_field=DateField())


def _rates_from(rows: list[tuple[Any, int, int]], groups: Iterable[Any]) -> dict[Any, Rate]:
    """Shrunk rates of ``groups`` from (group, said yes, came) rows, via the engine; every row's
    group is in the prior."""
    fit_rows = [r for r in rows if r[1]]
    if not fit_rows:
        return {}
    labels = np.array([str(r[0]) for r in fit_rows])
    rates = show_up_rates(labels, [r[2] for r in fit_rows], [r[1] for r in fit_rows],
                          level=LEVEL)
    out: dict[Any, Rate] = {}
    for g in groups:
        idx = int(rates.lookup(np.array([str(g)]))[0])
        if idx < 0:
            continue
        out[g] = Rate(int(rates.rsvps[idx]), int(rates.attended[idx]), float(rates.rate[idx]),
                      float(rates.low[idx]), float(rates.high[idx]),
                      _small_note(int(rates.rsvps[idx])))
    return out


def _small_note(n: int) -> str:
    if n < 10:
        return (f"only {n} RSVP{'s' if n != 1 else ''} with attendance taken: "
                "the rate leans on the coalition's")
    return ""


def org_show_up(org_ids: Iterable[int], now: dt.datetime) -> ShowUpTable:
    """Show-up of each organization's people (said yes, attendance taken, past events).

    One ``GROUP BY`` organization and month; the rates come from
    :func:`~broadfront.analysis.reliability.show_up_rates` with every listed organization in the
    prior (so each is shrunk toward the others).
    """
    ids = sorted(set(org_ids))

    def compute() -> ShowUpTable:
        tallies = _counted_tallies(now).filter(organization_id__in=ids)
        rows = list(tallies.annotate(month=month_of("event__starts_at",
                                               Event.objects.filter(starts_at__lt=now)))
                    .values("organization_id", "month")
                    .annotate(n=Sum("taken"), k=Sum("yes_and_came"))
                    .values_list("organization_id", "month", "n", "k"))
        months: dict[int, list[tuple[dt.date, int, int]]] = {}
        totals: dict[int, list[int]] = {}
        for org, month, n, k in rows:
            day = month.date() if isinstance(month, dt.datetime) else month
            months.setdefault(org, []).append((day, int(n), int(k)))
            t = totals.setdefault(org, [0, 0])
            t[0] += int(n)
            t[1] += int(k)
        for v in months.values():
            v.sort()
        agg = [(org, n, k) for org, (n, k) in totals.items()]
        n_all = sum(n for _, n, _ in agg)
        return ShowUpTable(_rates_from(agg, ids), months,
                           sum(k for *_, k in agg) / n_all if n_all else None)

    return cached("orgshow", ids + [now.date()], compute)  # type: ignore[no-any-return]


def grouped_show_up(org_id: int, by: str, now: dt.datetime) -> dict[Any, Rate]:
    """Show-up of one organization's people grouped by ``by``: ``"kind"`` (event type) or
    ``"squad"`` (the squads the people were recruited into), shrunk within the organization."""
    field_name = {"kind": "event__kind", "squad": "person__recruitments__squad_id"}[by]

    def compute() -> dict[Any, Rate]:
        if by == "kind":
            qs = _counted_tallies(now).filter(organization_id=org_id)
            grouped = qs.values("event__kind").annotate(n=Sum("taken"), k=Sum("yes_and_came"))
            rows = [(g, int(n), int(k)) for g, n, k in
                    grouped.values_list("event__kind", "n", "k") if g is not None]
            return _rates_from(rows, [r[0] for r in rows])
        from broadfront.web.campaigns.models import Recruit

        recruited = Recruit.objects.filter(squad__organization_id=org_id,
                                           person__owner_id=org_id)
        if not recruited.exists():  # no squad of this organization has recruits: no rows
            return {}
        qs = _counted_rsvps(now).filter(person__owner_id=org_id,
                                        person__recruitments__squad__organization_id=org_id)
        rows = [(g, int(n), int(k)) for g, n, k in qs.values(field_name).annotate(
            n=Count("id"), k=Count("id", filter=Q(attended=True))
        ).values_list(field_name, "n", "k") if g is not None]
        return _rates_from(rows, [r[0] for r in rows])

    return cached(f"grp-{by}", [org_id, now.date()], compute)  # type: ignore[no-any-return]


# ----------------------------------------------------------------------------- commitments


@dataclass(frozen=True)
class Ledger:
    """One row per commitment, aggregated by the database, as arrays for the engine."""

    ids: np.ndarray
    partner: np.ndarray  # organization id
    unit: np.ndarray
    promised: np.ndarray
    delivered: np.ndarray
    due: np.ndarray  # datetime64[D]
    delivered_on: np.ndarray  # datetime64[D], NaT when nothing arrived

    def __len__(self) -> int:
        return int(self.ids.size)


def ledger(commitments: Any) -> Ledger:
    """Aggregate a commitment queryset: delivered in all, on time, and the last delivery date.

    The engine's ``delivered_on`` is the date of the delivery that completed the promise: the
    due date when the deliveries up to it were enough (kept), the last delivery otherwise.
    """
    # Sums as floats and dates as ISO text, read with a plain cursor (no Decimal or date object
    # per value); sums are rounded to cents below as Django's Decimal quantizing did.
    qs = commitments.order_by().annotate(
        promised=Cast("quantity", FloatField()),
        total=Cast(Sum("deliveries__quantity"), FloatField()),
        on_time=Cast(Sum("deliveries__quantity",
                         filter=Q(deliveries__delivered_on__lte=F("due_date"))), FloatField()),
        due=Cast("due_date", CharField()),
        last=Cast(Max("deliveries__delivered_on"), CharField()),
    ).values_list("id", "partner_id", "unit", "promised", "total", "on_time", "due", "last")
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    if not rows:
        empty = np.array([], dtype=float)
        return Ledger(np.array([], dtype=np.int64), np.array([], dtype=np.int64),
                      np.array([], dtype=str), empty, empty,
                      np.array([], dtype="datetime64[D]"), np.array([], dtype="datetime64[D]"))
    cols = list(zip(*rows, strict=True))
    promised = np.round(np.array(cols[3], dtype=float), 2)
    total = np.round(np.nan_to_num(np.array(cols[4], dtype=float)), 2)  # None -> nan -> 0
    on_time = np.round(np.nan_to_num(np.array(cols[5], dtype=float)), 2)
    due = np.array([d[:10] for d in cols[6]], dtype="datetime64[D]")
    last = np.array([None if d is None else d[:10] for d in cols[7]], dtype="datetime64[D]")
    delivered_on = np.where(on_time >= promised, due, last)
    return Ledger(np.array(cols[0], dtype=np.int64), np.array(cols[1], dtype=np.int64),
                  np.array(cols[2], dtype=str), promised, total, due, delivered_on)


@dataclass(frozen=True)
class UnitCard:
    unit: str
    label: str
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
    note: str


@dataclass
class Scorecard:
    """One partner's record at a table, in numbers and in plain words."""

    organization_id: int
    commitments: int = 0  # scored (due, or complete)
    open: int = 0
    kept: int = 0
    kept_late: int = 0
    partly_kept: int = 0
    broken: int = 0
    kept_rate: float | None = None
    kept_low: float | None = None
    kept_high: float | None = None
    delivered_ratio: float | None = None
    ratio_low: float | None = None
    ratio_high: float | None = None
    raw_delivered_ratio: float | None = None
    note: str = ""
    show_up: Rate | None = None
    units: list[UnitCard] = field(default_factory=list)
    best_unit: str | None = None
    trend: list[tuple[dt.date, int, int]] = field(default_factory=list)  # quarter, scored, kept

    def sentence(self) -> str:
        """The scorecard in one plain sentence."""
        parts = []
        if self.commitments:
            parts.append(f"Kept {self.kept} of {self.commitments} commitment"
                         f"{'s' if self.commitments != 1 else ''} in full and on time")
            if self.delivered_ratio is not None:
                parts.append(
                    f"usually delivers about {_pct(self.delivered_ratio)}% of what it promises "
                    f"({_pct(self.ratio_low)}-{_pct(self.ratio_high)}%)")
        else:
            parts.append("No commitment due yet" + (f" ({self.open} open)" if self.open else ""))
        if self.show_up is not None:
            parts.append(f"{self.show_up.pct}% of its members who RSVP show up "
                         f"({self.show_up.low_pct}-{self.show_up.high_pct}%)")
        else:
            parts.append("no attendance recorded yet")
        return "; ".join(parts) + "."


def _pct(x: float | None) -> int:
    return 0 if x is None else round(100 * x)


@dataclass
class TableFigures:
    """Everything the coalition table shows: scorecards, capability matrix, pooled rates."""

    scorecards: dict[int, Scorecard]
    matrix: CapabilityMatrix | None
    reliability: CommitmentReliability | None
    pooled_show_up: float | None
    ledger: Ledger | None = None


def table_figures(org_ids: Iterable[int], commitments: Any, now: dt.datetime) -> TableFigures:
    """Scorecards of ``org_ids`` from ``commitments`` (already scoped) and their people's RSVPs.

    Commitment records are shrunk across every partner and unit of the table; show-up rates
    across the table's organizations.
    """
    ids = sorted(set(org_ids))
    today = now.date()

    def compute() -> TableFigures:
        led = ledger(commitments)
        show = org_show_up(ids, now)
        cards = {i: Scorecard(i) for i in ids}
        matrix = rel = None
        if len(led):
            partners = led.partner.astype(str)
            rel = commitment_reliability(partners, led.unit, led.promised, led.delivered,
                                         led.due, led.delivered_on, as_of=today, level=LEVEL)
            overall = commitment_reliability(partners, np.full(len(led), "all"), led.promised,
                                             led.delivered, led.due, led.delivered_on,
                                             as_of=today, level=LEVEL)
            matrix = capability_matrix(rel, led.promised)
            for card in overall.scorecards:
                sc = cards.setdefault(int(card.partner), Scorecard(int(card.partner)))
                sc.commitments, sc.open, sc.kept = card.commitments, card.open, card.kept
                sc.kept_late, sc.partly_kept, sc.broken = (card.kept_late, card.partly_kept,
                                                           card.broken)
                if card.commitments:
                    sc.kept_rate, sc.kept_low, sc.kept_high = (card.kept_rate, card.kept_low,
                                                               card.kept_high)
                    sc.delivered_ratio, sc.ratio_low, sc.ratio_high = (
                        card.delivered_ratio, card.ratio_low, card.ratio_high)
                    sc.raw_delivered_ratio = card.raw_delivered_ratio
                sc.note = card.note
            for card in rel.scorecards:
                cards[int(card.partner)].units.append(UnitCard(
                    card.unit, UNIT_LABELS.get(card.unit, card.unit), card.commitments,
                    card.open, card.kept, card.kept_rate, card.kept_low, card.kept_high,
                    card.delivered_ratio, card.ratio_low, card.ratio_high, card.promised,
                    card.delivered, card.note))
            for i, p in enumerate(matrix.partners):
                cards[int(p)].best_unit = matrix.best_unit[i]
            # Trend: kept share of the commitments due in each quarter (scored ones only).
            scored = overall.status != 4
            quarter = _quarter_start(led.due)
            for org in np.unique(led.partner):
                mask = scored & (led.partner == org)
                qs, inv = np.unique(quarter[mask], return_inverse=True)
                n = np.bincount(inv, minlength=qs.size)
                k = np.bincount(inv, weights=(overall.status[mask] == 0), minlength=qs.size)
                cards[int(org)].trend = [(q.astype(dt.date), int(a), int(b))
                                         for q, a, b in zip(qs, n, k, strict=True)]
        for org, rate in show.rates.items():
            cards.setdefault(org, Scorecard(org)).show_up = rate
        return TableFigures(cards, matrix, rel, show.pooled, led)

    return cached("table", ids + [str(commitments.query), today], compute)  # type: ignore


def _quarter_start(days: np.ndarray) -> np.ndarray:
    months = days.astype("datetime64[M]").astype(np.int64)
    return (months - months % 3).astype("datetime64[M]").astype("datetime64[D]")


def delivery_forecasts(figures: TableFigures, org_id: int) -> list[DeliveryForecast]:
    """For each unit the organization has promised, what it would deliver on its typical
    (median) promise: expected amount and an 80% interval (P10-P90)."""
    rel, led = figures.reliability, figures.ledger
    if rel is None or led is None or not len(led) or np.all(np.isnan(rel.fulfilment)):
        return []
    out = []
    mine = led.partner == org_id
    for unit in sorted(set(led.unit[mine].tolist())):
        typical = float(np.median(led.promised[mine & (led.unit == unit)]))
        out.append(forecast_delivery(rel, str(org_id), unit, typical, level=0.8))
    return out


# ----------------------------------------------------------------------------- turnout


@dataclass(frozen=True)
class EventForecast:
    """Expected turnout of an event from its RSVPs and each RSVP's history."""

    rsvps: int
    forecast: TurnoutForecast | None
    with_history: int  # RSVPs whose own history was used
    actual: int | None  # after the event: how many of those who said yes came


def event_forecast(event: Event, now: dt.datetime) -> EventForecast:
    """Forecast of how many of the event's "yes" RSVPs will come.

    Each RSVP's probability is the person's posterior show-up rate from their RSVPs before the
    event, shrunk toward their organization's rate (``target=`` of the engine); a person with
    no history gets the organization's rate, and an organization with none the pooled rate of
    the organizations present. The count is Poisson-binomial (exact), reported as P10-P90.
    Only aggregates leave this function.
    """
    def compute() -> EventForecast:
        yes = list(Attendance.objects.filter(event=event, status=ACCEPTED)
                   .values_list("person_id", "person__owner_id", "attended"))
        actual = None
        if event.starts_at < now and yes and any(a is not None for *_, a in yes):
            actual = sum(1 for *_, a in yes if a)
        if not yes:
            return EventForecast(0, None, 0, actual)
        person_ids = [p for p, _, _ in yes]
        owners = sorted({o for _, o, _ in yes if o is not None})
        before = _counted_rsvps(event.starts_at)
        org_rows = [(o, int(n), int(k)) for o, n, k in _counted_tallies(event.starts_at).filter(
            organization_id__in=owners).values("organization_id").annotate(
            n=Sum("taken"), k=Sum("yes_and_came")
        ).values_list("organization_id", "n", "k")]
        org_rates = _rates_from(org_rows, owners)
        n_org = sum(r[1] for r in org_rows)
        pooled = sum(r[2] for r in org_rows) / n_org if n_org else 0.5
        org_p: dict[Any, float] = {o: (org_rates[o].rate if o in org_rates else pooled) for o in owners}
        owner_of: dict[int, Any] = {p: o for p, o, _ in yes}  # no join to the people for their owner
        rows = [(p, n, k, owner_of.get(p)) for p, n, k in before.filter(
            person_id__in=person_ids).order_by("person_id").values("person_id").annotate(
            n=Count("id"), k=Count("id", filter=Q(attended=True)),
        ).values_list("person_id", "n", "k")]
        fallback = np.array([org_p.get(o, pooled) for _, o, _ in yes])
        with_history = 0
        if rows:
            target = np.clip([org_p.get(r[3], pooled) for r in rows], 0.01, 0.99)
            rates = show_up_rates([r[0] for r in rows], [r[2] for r in rows],
                                  [r[1] for r in rows], target=target, intervals=False)
            probs = rsvp_probabilities(rates, np.array(person_ids), fallback=fallback)
            with_history = int((rates.lookup(np.array(person_ids)) >= 0).sum())
        else:
            probs = fallback
        return EventForecast(len(yes), forecast_turnout(np.clip(probs, 0.0, 1.0)),
                             with_history, actual)

    return cached("event", [event.pk, now.date(), event.starts_at < now], compute)  # type: ignore


def typical_turnout(rate: float, rsvps: int) -> TurnoutForecast | None:
    """Turnout if ``rsvps`` people each come with probability ``rate``."""
    if rsvps <= 0:
        return None
    return forecast_turnout(np.full(rsvps, float(np.clip(rate, 0.0, 1.0))))
