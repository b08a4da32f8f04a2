"""Power of a stored decision body: its game, power indices, pivotal members, our majority.

A body's seats and voting rule become a weighted voting game of
:mod:`broadfront.analysis.power` (Banzhaf 1965; Shapley and Shubik 1954; robustness after
Taylor and Zwicker 1999). Everything here reads; nothing is written, so there are no
``do_*`` functions: the "what if" panel recomputes from its form (:mod:`.forms`, which parses
the page's fields into :class:`WhatIfChanges`) without storing anything.

Rules, in words (weights are the seats' ``weight``, kept exact to 0.001):

- **simple majority**: more than half of the total weight;
- **supermajority**: at least ``threshold`` (e.g. 0.6) of the total weight;
- **quota**: at least ``quota`` weight;
- **double majority**: two conditions at once: the seats' ``weight`` reaches ``quota`` (more
  than half of it when no quota is stored) *and* their ``second_weight`` (population, groups)
  reaches ``threshold`` of its total (more than half when no threshold is stored).

Weights are scaled to exact integers (thousandths, divided by their common divisor) so the
indices are exact whenever the engine's tables fit (every body up to hundreds of members);
beyond that the engine samples and the result says so.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from broadfront.analysis.power import (
    Game,
    MultiConditionGame,
    WeightedGame,
    banzhaf,
    convention,
    robustness,
    shapley_shubik,
    veto_players,
)
from broadfront.exceptions import ValidationError
from broadfront.web.landscape.models import Body, Issue, Motion, Seat, Stance, VotingRule

#: Weights are kept to this many decimal places (the Seat model stores 3).
PLACES = 3
_UNIT = 10**PLACES
#: Largest weight the what-if form accepts.
MAX_WEIGHT = Decimal("1000000000")
#: A member holds "no power at all" when every index is below this (exact zeros are 0.0).
NO_POWER = 1e-12
#: Share of the total a "disciplined 10% bloc" is compared at.
TEN_PERCENT = Decimal("0.1")
#: The two sides of a what-if: ours and everyone else.
Side = Literal["us", "them"]
SIDES: tuple[Side, ...] = ("us", "them")


@dataclass(frozen=True)
class Member:
    """One seat as a player: ``key`` is the seat label (unique in the body)."""

    seat_id: int
    key: str
    name: str
    bloc: str
    weight: Decimal
    second_weight: Decimal | None = None
    holder_person_id: int | None = None
    holder_organization_id: int | None = None


@dataclass(frozen=True)
class Rule:
    """A voting rule (stored, or changed in the what-if panel)."""

    kind: str
    threshold: Decimal | None = None
    quota: Decimal | None = None

    @property
    def label(self) -> str:
        return str(VotingRule.Kind(self.kind).label)

    def describe(self, total: Decimal, need: Decimal | None = None,
                 second_total: Decimal | None = None) -> str:
        """The rule in plain words with its figures (``need``: the weight a decision needs)."""
        t = weight_words(total)
        n = f" ({weight_words(need)})" if need is not None else ""
        if self.kind == VotingRule.Kind.SIMPLE_MAJORITY:
            return f"a decision needs more than half of the {t} weight{n}"
        if self.kind == VotingRule.Kind.SUPERMAJORITY:
            share = self.threshold or Decimal("0.5")
            return f"a decision needs at least {_pct(share)} of the {t} weight{n}"
        if self.kind == VotingRule.Kind.QUOTA:
            return f"a decision needs a weight of at least {weight_words(self.quota or 0)} of {t}"
        first = (f"a weight of at least {weight_words(self.quota)} of {t}" if self.quota
                 else f"more than half of the {t} weight")
        second = (f"at least {_pct(self.threshold)}" if self.threshold else "more than half")
        st = f" {weight_words(second_total)}" if second_total is not None else ""
        return f"a decision needs {first} and {second} of the{st} second weight"


@dataclass(frozen=True)
class MemberPower:
    """One member's weight and power."""

    member: Member
    weight_share: float
    banzhaf: float
    swings: int | None
    shapley_shubik: float
    banzhaf_se: float | None = None
    shapley_shubik_se: float | None = None
    ours: bool = False
    critical: bool = False

    @property
    def no_power(self) -> bool:
        return self.banzhaf < NO_POWER and self.shapley_shubik < NO_POWER

    @property
    def ratio(self) -> float | None:
        """Banzhaf power over weight share (1 = power proportional to weight)."""
        return self.banzhaf / self.weight_share if self.weight_share > 0 else None


@dataclass(frozen=True)
class Majority:
    """Our side on an issue: does it win, and how easily does it break."""

    issue: Issue | None
    members: tuple[str, ...]
    weight: Decimal
    needed: str
    winning: bool
    size: int
    count: int
    example: tuple[str, ...]
    critical: tuple[str, ...]
    critical_keys: tuple[str, ...]
    completers: tuple[str, ...]
    shortfall: Decimal | None
    from_stances: bool


@dataclass(frozen=True)
class PowerReport:
    """Everything the body page, the what-if panel and the API show."""

    rule: Rule
    rule_words: str
    total_weight: Decimal
    members: tuple[MemberPower, ...]
    method: str
    samples: int | None
    no_power: tuple[str, ...]
    pivotal: tuple[MemberPower, ...]
    veto: tuple[str, ...]
    majority: Majority | None
    elapsed_ms: float

    @property
    def disproportionate(self) -> tuple[MemberPower, ...]:
        """Members whose Banzhaf power differs from their weight share by at least 2 points
        and a tenth of that share (or who have weight but no power)."""
        return tuple(m for m in self.members if m.ratio is not None
                     and abs(m.banzhaf - m.weight_share) >= 0.02 and abs(m.ratio - 1) >= 0.1)

    def by_key(self) -> dict[str, MemberPower]:
        return {m.member.key: m for m in self.members}


# --------------------------------------------------------------------------- reading a body


def members_of(user: Any, body: Body) -> list[Member]:
    """The body's seats as players; a private seat holder is not named."""
    from broadfront.web.bodies.queries import visible_person_ids

    seats = list(Seat.objects.visible_to(user).filter(body=body)
                 .select_related("holder", "holder_organization").order_by("label"))
    shown = visible_person_ids(user, {s.holder_id for s in seats if s.holder_id})
    out = []
    for s in seats:
        if s.holder_id and s.holder_id not in shown:
            name = f"{s.label} (a private person)"
        elif s.holder_id or s.holder_organization_id:
            name = s.holder_name
        else:
            name = s.label
        out.append(Member(s.pk, s.label, name, s.bloc or "", s.weight, s.second_weight,
                          s.holder_id if s.holder_id in shown else None,
                          s.holder_organization_id))
    return out


def rule_of(body: Body) -> Rule:
    """The body's rule: the one named "default", else the first stored, else simple majority."""
    rules = list(VotingRule.objects.filter(body=body).order_by("id"))
    r = next((r for r in rules if r.name == "default"), rules[0] if rules else None)
    if r is None:
        return Rule(VotingRule.Kind.SIMPLE_MAJORITY)
    return Rule(r.kind, r.threshold, r.quota)


def default_issue(body: Body) -> Issue | None:
    """The issue of the body's latest motion that has one, else the first issue with stances."""
    m = (Motion.objects.filter(body=body, issue__isnull=False).select_related("issue")
         .order_by("-date", "-id").first())
    if m is not None:
        return m.issue
    return Issue.objects.filter(stances__isnull=False).distinct().order_by("name").first()


def get_issue(slug: str) -> Issue:
    """An issue (public) by slug; :class:`ValidationError` naming ``issue`` when unknown."""
    issue = Issue.objects.filter(slug=slug).first()
    if issue is None:
        raise ValidationError(f"issue: no issue with slug {slug!r}", parameter="issue")
    return issue


def stance_sides(user: Any, issue: Issue, members: Sequence[Member]) -> dict[str, int | None]:
    """Each member's latest stance on ``issue`` that ``user`` may see (None when unknown).

    A seat held by a person takes that person's stance; a bloc seat held by an organization
    takes the organization's. Stances about private people stay with their organization
    (``Stance.objects.visible_to``).
    """
    people = {m.holder_person_id for m in members if m.holder_person_id}
    orgs = {m.holder_organization_id for m in members if m.holder_organization_id}
    latest_p: dict[int, int] = {}
    latest_o: dict[int, int] = {}
    rows = (Stance.objects.visible_to(user).filter(issue=issue)
            .filter(person_id__in=people) | Stance.objects.visible_to(user)
            .filter(issue=issue).filter(organization_id__in=orgs))
    for pid, oid, score in rows.order_by("-assessed_on", "-id").values_list(
            "person_id", "organization_id", "score"):
        if pid is not None:
            latest_p.setdefault(pid, score)
        elif oid is not None:
            latest_o.setdefault(oid, score)
    out: dict[str, int | None] = {}
    for m in members:
        if m.holder_person_id:
            out[m.key] = latest_p.get(m.holder_person_id)
        elif m.holder_organization_id:
            out[m.key] = latest_o.get(m.holder_organization_id)
        else:
            out[m.key] = None
    return out


def our_side(stances: Mapping[str, int | None]) -> set[str]:
    """Members whose latest stance is at least +1 (leaning ally or better)."""
    return {k for k, s in stances.items() if s is not None and s >= 1}


# --------------------------------------------------------------------------- the game


def build_game(members: Sequence[Member], rule: Rule) -> Game:
    """The weighted voting game of ``members`` under ``rule``, in exact integer weights.

    Parameters
    ----------
    members : sequence of Member
        The seats (names are their ``key``).
    rule : Rule
        How the body decides.

    Returns
    -------
    WeightedGame or MultiConditionGame

    Raises
    ------
    ValidationError
        No seats or no weight (``weight``), a quota above the total (``quota``), a threshold
        outside (0, 1] (``threshold``), a double majority with a seat lacking its second
        weight (``second_weight``), an unknown rule (``rule``).

    Examples
    --------
    >>> ms = [Member(i, k, k, "", Decimal(w)) for i, (k, w) in enumerate(zip("ABC", "322"))]
    >>> g = build_game(ms, Rule("quota", quota=Decimal(4)))
    >>> g.weights.tolist(), g.quota
    ([3.0, 2.0, 2.0], 4.0)
    """
    if not members:
        raise ValidationError("the body has no seats", parameter="weight")
    names = [m.key for m in members]
    kinds = VotingRule.Kind.values
    if rule.kind not in kinds:
        raise ValidationError(f"rule must be one of {', '.join(kinds)}, got {rule.kind!r}",
                              parameter="rule")
    weights = [m.weight for m in members]
    if rule.kind == VotingRule.Kind.DOUBLE_MAJORITY:
        missing = [m.key for m in members if m.second_weight is None]
        if missing:
            raise ValidationError(
                "a double majority needs a second weight (population, groups) on every seat; "
                f"missing on {', '.join(missing[:5])}", parameter="second_weight")
        first = _condition(weights, "quota" if rule.quota else "majority", rule.quota)
        second = _condition([m.second_weight or Decimal(0) for m in members],
                            "share" if rule.threshold else "majority", rule.threshold,
                            weight_field="second_weight")
        return MultiConditionGame([first, second], names=names)
    rule_kinds: dict[str, str] = {"simple_majority": "majority", "supermajority": "share",
                                  "quota": "quota"}
    kind = rule_kinds[str(rule.kind)]
    value = rule.threshold if kind == "share" else rule.quota if kind == "quota" else None
    if kind == "share" and value is None:
        value = Decimal("0.5")
    if kind == "quota" and value is None:
        raise ValidationError("a quota rule needs a quota", parameter="quota")
    w, q = _condition(weights, kind, value)
    return WeightedGame(w, q, names=names)


def _condition(weights: Sequence[Decimal], kind: str, value: Decimal | None, *,
               weight_field: str = "weight") -> tuple[list[int], int]:
    units = []
    for w in weights:
        if w < 0:
            raise ValidationError(f"{weight_field} must not be negative, got {w}",
                                  parameter=weight_field)
        units.append(_units(w))
    g = math.gcd(*units) or 1
    ints = [u // g for u in units]
    total = sum(ints)
    if total == 0:
        raise ValidationError(f"the total {weight_field} is zero", parameter=weight_field)
    if kind == "majority":
        q = total // 2 + 1
    elif kind == "share":
        share = Fraction(value or 0)
        if not 0 < share <= 1:
            raise ValidationError(f"threshold must be above 0% and at most 100%, got "
                                  f"{_pct(value or 0)}", parameter="threshold")
        q = math.ceil(share * total)
    else:
        quota = Fraction(value or 0)
        if quota <= 0:
            raise ValidationError(f"quota must be positive, got {value}", parameter="quota")
        q = math.ceil(quota * _UNIT / g)
        if q > total:
            raise ValidationError(
                f"quota must not exceed the total weight {weight_words(Decimal(total * g) / _UNIT)}, "
                f"got {weight_words(value or 0)}", parameter="quota")
    return ints, max(q, 1)


# --------------------------------------------------------------------------- analysis


def analyse(
    members: Sequence[Member],
    rule: Rule,
    *,
    ours: Iterable[str] | None = None,
    issue: Issue | None = None,
    from_stances: bool = True,
    method: str = "auto",
    seed: int = 0,
) -> PowerReport:
    """Power indices, pivotal members, veto players and the robustness of our majority.

    Parameters
    ----------
    members : sequence of Member
    rule : Rule
    ours : iterable of str, optional
        Keys of the members on our side; no majority section when None.
    issue : Issue, optional
        The issue our side was read from (for the words on the page).
    from_stances : bool
        Whether ``ours`` came from stances (True) or was chosen by hand.
    method : {"auto", "exact", "sample"}
        Passed to the engine; ``auto`` is exact wherever the tables fit.
    seed : int
        Seed for sampling (only used when the engine samples).

    Returns
    -------
    PowerReport

    Raises
    ------
    ValidationError
        Bad weights or rule (see :func:`build_game`).
    TooLargeError
        ``method="exact"`` on a body beyond exact reach.
    """
    t0 = time.perf_counter()
    game = build_game(members, rule)
    bz = banzhaf(game, method=method, rng=seed)
    ss = shapley_shubik(game, method=method, rng=seed)
    total = sum((m.weight for m in members), Decimal(0))
    our_keys = set(ours) if ours is not None else set()
    majority = (_majority(game, members, rule, our_keys, issue, from_stances)
                if ours is not None else None)
    crit = set(majority.critical_keys) if majority else set()
    rows = []
    for i, m in enumerate(members):
        rows.append(MemberPower(
            m, float(m.weight / total) if total else 0.0, float(bz.values[i]),
            int(bz.swings[i]) if bz.swings is not None else None, float(ss.values[i]),
            float(bz.standard_errors[i]) if bz.standard_errors is not None else None,
            float(ss.standard_errors[i]) if ss.standard_errors is not None else None,
            m.key in our_keys, m.key in crit))
    exact = bz.method != "sample" and ss.method != "sample"
    no_power = tuple(r.member.name for r in rows if exact and r.no_power)
    top = max(r.shapley_shubik for r in rows)
    pivotal = tuple(sorted((r for r in rows if r.shapley_shubik >= top - 1e-9 and top > 0),
                           key=lambda r: r.member.key))
    if len(pivotal) > 5:  # everyone equal: nobody stands out
        pivotal = ()
    vetoes = set(veto_players(game))
    second_total = (sum((m.second_weight or Decimal(0) for m in members), Decimal(0))
                    if rule.kind == VotingRule.Kind.DOUBLE_MAJORITY else None)
    return PowerReport(
        rule=rule, rule_words=rule.describe(total, _first_quota(game, members), second_total), total_weight=total,
        members=tuple(rows), method="exact" if exact else "sample",
        samples=None if exact else (bz.samples or ss.samples), no_power=no_power,
        pivotal=pivotal, veto=tuple(m.name for m in members if m.key in vetoes),
        majority=majority, elapsed_ms=(time.perf_counter() - t0) * 1000,
    )


def _majority(game: Game, members: Sequence[Member], rule: Rule, ours: set[str],
              issue: Issue | None, from_stances: bool) -> Majority:
    names = {m.key: m.name for m in members}
    mask = np.array([m.key in ours for m in members], dtype=bool)
    weight = sum((m.weight for m in members if m.key in ours), Decimal(0))
    r = robustness(game, mask)
    needed = _needed(game, members, rule)
    completers: tuple[str, ...] = ()
    shortfall = None
    if not r.winning:
        done = []
        for i, m in enumerate(members):
            if not mask[i]:
                trial = mask.copy()
                trial[i] = True
                if game.is_winning(trial):
                    done.append(m.name)
        completers = tuple(done)
        if rule.kind != VotingRule.Kind.DOUBLE_MAJORITY:
            need = _first_quota(game, members)
            shortfall = max(need - weight, Decimal(0))
    return Majority(
        issue=issue, members=tuple(names[k] for k in (m.key for m in members) if k in ours),
        weight=weight, needed=needed, winning=r.winning, size=r.size, count=r.count,
        example=tuple(names[k] for k in r.example), critical=tuple(names[k] for k in r.critical), critical_keys=r.critical,
        completers=completers, shortfall=shortfall, from_stances=from_stances,
    )


def _first_quota(game: Game, members: Sequence[Member]) -> Decimal:
    """The quota of the first condition in the members' own weight (not the scaled units)."""
    g = math.gcd(*(_units(m.weight) for m in members)) or 1
    return Decimal(int(game.conditions[0].quota) * g) / _UNIT


def _needed(game: Game, members: Sequence[Member], rule: Rule) -> str:
    q = _first_quota(game, members)
    if rule.kind == VotingRule.Kind.DOUBLE_MAJORITY:
        return f"{weight_words(q)} weight and the second condition"
    return f"{weight_words(q)} weight"


# --------------------------------------------------------------------------- the stored body


def body_power(user: Any, body: Body, *, issue: Issue | None = None,
               method: str = "auto") -> PowerReport:
    """The body's power report with our majority read from stances on ``issue``."""
    members = members_of(user, body)
    ours = our_side(stance_sides(user, issue, members)) if issue is not None else None
    return analyse(members, rule_of(body), ours=ours, issue=issue, method=method)


# --------------------------------------------------------------------------- what if


@dataclass(frozen=True)
class WhatIf:
    """A what-if scenario: the changed members, rule and sides, compared with the stored body."""

    members: tuple[Member, ...]
    rule: Rule
    ours: frozenset[str]
    changes: tuple[str, ...]
    report: PowerReport
    baseline: PowerReport
    sides: Mapping[str, str] = field(default_factory=dict)

    def delta(self, key: str) -> float:
        """Change of a member's Banzhaf power (percentage points of the whole)."""
        return self.report.by_key()[key].banzhaf - self.baseline.by_key()[key].banzhaf


@dataclass(frozen=True)
class WhatIfChanges:
    """The what-if panel's changes as typed values (parsed by
    :class:`broadfront.web.bodies.forms.WhatIfForm`; empty: the body as stored).

    ``weights`` and ``sides`` are by seat id (weights exact to 0.001, from 0 to
    :data:`MAX_WEIGHT`); ``move_bloc`` and ``to`` move every seat of a bloc ("No bloc" for
    seats without one) to a side; ``rule`` is a :class:`VotingRule.Kind` value, ``threshold``
    a fraction of the total (0.6 for 60%) and ``quota`` a weight. Missing values keep the
    stored ones; sides default to the stances on the issue.
    """

    weights: Mapping[int, Decimal] = field(default_factory=dict)
    sides: Mapping[int, Side] = field(default_factory=dict)
    move_bloc: str | None = None
    to: Side | None = None
    rule: str | None = None
    threshold: Decimal | None = None
    quota: Decimal | None = None


def what_if(user: Any, body: Body, changes: WhatIfChanges | None = None, *,
            issue: Issue | None = None) -> WhatIf:
    """Recompute the body's power after ``changes`` (the what-if panel's, parsed by its form).

    Raises
    ------
    ValidationError
        Naming the form field: ``move_bloc`` (no such bloc in the body), ``to`` (a bloc moved
        to no side), ``quota`` (a quota rule without a quota, or above the total weight),
        ``threshold``, ``rule``, ``weight``.
    """
    changes = changes or WhatIfChanges()
    stored = members_of(user, body)
    stored_rule = rule_of(body)
    stances = stance_sides(user, issue, stored) if issue is not None else {}
    base_ours = our_side(stances)
    log: list[str] = []
    members: list[Member] = []
    sides: dict[str, str] = {}
    for m in stored:
        new = m
        w = changes.weights.get(m.seat_id)
        if w is not None and w != m.weight:
            log.append(f"{m.name}: weight {weight_words(m.weight)} → {weight_words(w)}")
            new = replace(m, weight=w)
        members.append(new)
        sides[m.key] = changes.sides.get(m.seat_id) or ("us" if m.key in base_ours else "them")
    if changes.move_bloc:
        if changes.to not in SIDES:
            raise ValidationError(f"to must be 'us' or 'them', got {changes.to!r}",
                                  parameter="to")
        moved = [m for m in stored if (m.bloc or "No bloc") == changes.move_bloc]
        if not moved:
            raise ValidationError(f"no bloc named {changes.move_bloc!r} in this body",
                                  parameter="move_bloc")
        for m in moved:
            sides[m.key] = changes.to
    for m in stored:
        was = "us" if m.key in base_ours else "them"
        if sides[m.key] != was:
            log.append(f"{m.name} moved to {'our' if sides[m.key] == 'us' else 'the other'}"
                       " side")
    rule = _rule_from(changes, stored_rule)
    if rule != stored_rule:
        log.append(f"rule: {rule.label.lower()}"
                   + (f", {_pct(rule.threshold)}" if rule.threshold and rule.kind in (
                       "supermajority", "double_majority") else "")
                   + (f", quota {weight_words(rule.quota)}" if rule.quota and rule.kind in (
                       "quota", "double_majority") else ""))
    ours = frozenset(k for k, s in sides.items() if s == "us")
    by_hand = ours != frozenset(base_ours)
    report = analyse(members, rule, ours=ours, issue=issue, from_stances=not by_hand)
    baseline = analyse(stored, stored_rule, ours=base_ours, issue=issue)
    return WhatIf(tuple(members), rule, ours, tuple(log), report, baseline, sides)


def _rule_from(changes: WhatIfChanges, stored: Rule) -> Rule:
    kind = changes.rule or stored.kind
    threshold = changes.threshold if changes.threshold is not None else stored.threshold
    quota = changes.quota if changes.quota is not None else stored.quota
    if kind == VotingRule.Kind.SIMPLE_MAJORITY:
        return Rule(kind, stored.threshold if kind == stored.kind else None,
                    stored.quota if kind == stored.kind else None)
    if kind == VotingRule.Kind.SUPERMAJORITY:
        return Rule(kind, threshold or Decimal("0.66667"), None)
    if kind == VotingRule.Kind.QUOTA:
        if quota is None:
            raise ValidationError("a quota rule needs a quota", parameter="quota")
        return Rule(kind, None, quota)
    return Rule(kind, threshold, quota)


# --------------------------------------------------------------------------- disciplined blocs


@dataclass(frozen=True)
class BlocDiscipline:
    """How much power a disciplined bloc holds, compared with the same delegates voting apart.

    ``as_bloc`` / ``apart``: the bloc's Banzhaf and Shapley-Shubik power in the body as stored
    and when its delegates vote one by one (all of them together); ``textbook``: the power of a
    disciplined bloc of 10% of the delegates when every other delegate votes on their own.
    """

    member: Member
    share: float
    delegates: int
    as_bloc: tuple[float, float]
    apart: tuple[float, float]
    textbook_bloc: int
    textbook: tuple[float, float]
    method: str


def disciplined_bloc(members: Sequence[Member], rule: Rule, key: str | None = None
                     ) -> BlocDiscipline | None:
    """The discipline comparison for one bloc seat (default: the one nearest 10%).

    Only for whole-delegate weights under a one-condition rule (a convention); None otherwise.

    Examples
    --------
    A convention of 1,000 delegates in three blocs (600, 300, 100) deciding at 60%: the
    600-delegate bloc alone decides, so the 10% bloc has no power as a bloc.

    >>> ms = [Member(i, k, k, "", Decimal(w)) for i, (k, w) in
    ...       enumerate([("A", 600), ("B", 300), ("C", 100)])]
    >>> d = disciplined_bloc(ms, Rule("supermajority", threshold=Decimal("0.6")))
    >>> d.member.key, d.as_bloc
    ('C', (0.0, 0.0))
    """
    if rule.kind == VotingRule.Kind.DOUBLE_MAJORITY or not members:
        return None
    if any(m.weight != m.weight.to_integral_value() for m in members):
        return None
    total = sum((m.weight for m in members), Decimal(0))
    if total <= 0 or total > 20_000:
        return None
    blocs = [m for m in members if m.weight > 1]
    if not blocs:
        return None
    target = (blocs if key is None else [m for m in blocs if m.key == key]) or blocs
    pick = min(target, key=lambda m: (abs(m.weight / total - TEN_PERCENT), m.key))
    i = members.index(pick)
    game = build_game(members, rule)
    bz, ss = banzhaf(game), shapley_shubik(game)
    orig = [int(m.weight) for m in members]
    quota = int(_first_quota(game, members))  # whole delegates: the scaling unit is an integer
    others = {m.key: float(orig[j]) for j, m in enumerate(members) if j != i and orig[j] > 0}
    apart = convention(others, orig[i], quota=float(quota))
    bz_a, ss_a = banzhaf(apart), shapley_shubik(apart)
    k = len(others)
    ten = max(1, int(total * TEN_PERCENT))
    text = convention({"bloc": float(ten)}, int(total) - ten, quota=float(quota))
    bz_t, ss_t = banzhaf(text), shapley_shubik(text)
    methods = {bz.method, ss.method, bz_a.method, ss_a.method, bz_t.method, ss_t.method}
    return BlocDiscipline(
        member=pick, share=float(pick.weight / total), delegates=orig[i],
        as_bloc=(float(bz.values[i]), float(ss.values[i])),
        apart=(float(bz_a.values[k:].sum()), float(ss_a.values[k:].sum())),
        textbook_bloc=ten, textbook=(float(bz_t.values[0]), float(ss_t.values[0])),
        method="sample" if "sample" in methods else "exact",
    )


# --------------------------------------------------------------------------- words


def _units(w: Decimal) -> int:
    return round(Fraction(w) * _UNIT)


def weight_words(x: Decimal | int | float | None) -> str:
    """A weight for people: 105, 2.5, 1,000."""
    if x is None:
        return ""
    d = Decimal(str(x)).quantize(Decimal(1) / _UNIT).normalize()
    s = f"{d:,f}"
    return s


def _pct(x: Decimal | float | None) -> str:
    if x is None:
        return ""
    v = Decimal(str(x)) * 100
    return f"{v.quantize(Decimal('0.01')).normalize():f}%"
