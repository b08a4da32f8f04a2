"""Scenario data: bodies, races, shocks and the stance link, with a JSON round trip.

Everything here is plain data (frozen dataclasses of numbers, strings and tuples). A
:class:`Scenario` converts to and from a JSON-ready ``dict`` (:meth:`Scenario.to_dict`,
:meth:`Scenario.from_dict`, which reads through :mod:`broadfront.analysis.scenarios.parsing`)
so it can be stored in a database column or a file and re-run
exactly with its seed. Errors name the offending field with a path such as
``body.members[2].weight``.

The stance link is the logistic (logit) model of a binary choice,
``P(with us) = 1 / (1 + exp(-(intercept + slope * stance)))``, on Broadfront's spectrum of
allies (-3 active opposition ... +3 active ally); see McCullagh and Nelder (1989),
*Generalized Linear Models*, 2nd ed., Chapman & Hall, ch. 4, doi:10.1007/978-1-4899-3242-6.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from broadfront.exceptions import ValidationError

__all__ = [
    "HARD_MAX_CANDIDATES",
    "HARD_MAX_DIVISIONS",
    "HARD_MAX_MEMBERS",
    "HARD_MAX_SHOCKS",
    "MAX_CANDIDATES",
    "MAX_DIVISIONS",
    "MAX_MEMBERS",
    "MAX_SHOCKS",
    "Bloc",
    "Body",
    "Candidate",
    "Division",
    "Member",
    "Race",
    "Rule",
    "Scenario",
    "Shock",
    "StanceLink",
]

RuleKind = Literal["majority", "supermajority", "quota", "double_majority"]
RULE_KINDS: tuple[str, ...] = ("majority", "supermajority", "quota", "double_majority")
SHOCK_KINDS: tuple[str, ...] = (
    "bloc_shift",
    "member_shift",
    "member_defects",
    "capture",
    "turnout",
)
DEFAULT_DRAWS = 100_000
#: Most members of a body (soft limit: 100,000 draws of 10,000 members take minutes).
MAX_MEMBERS = 10_000
#: Most members when limits are lifted (memory safety: a chunk of draws holds 256 x members).
HARD_MAX_MEMBERS = 100_000
#: Most divisions of a race (soft limit).
MAX_DIVISIONS = 100_000
#: Most divisions when limits are lifted.
HARD_MAX_DIVISIONS = 1_000_000
#: Most candidates of a race (soft limit).
MAX_CANDIDATES = 50
#: Most candidates when limits are lifted.
HARD_MAX_CANDIDATES = 1_000
#: Most shocks of a scenario (soft limit: the sensitivity analysis evaluates 2 k + 2 sets).
MAX_SHOCKS = 50
#: Most shocks when limits are lifted.
HARD_MAX_SHOCKS = 500


def _fail(path: str, message: str) -> ValidationError:
    return ValidationError(message, parameter=path or "scenario", location=path or None)


# --------------------------------------------------------------------------- stance link


@dataclass(frozen=True)
class StanceLink:
    """Logistic link from a stance on the -3..+3 spectrum to the probability of voting with us.

    ``p = 1 / (1 + exp(-(intercept + slope * stance)))``. With the defaults (intercept 0,
    slope 1.5) a neutral member (0) votes with us half of the time, a leaning ally (+1) 82%,
    a passive ally (+2) 95%, an active ally (+3) 98.9%, and the opposition mirrors that.
    A shift of ``k`` steps adds ``slope * k`` to the log-odds, also for members whose
    probability was set directly (certain members, p = 0 or 1, stay certain).

    Examples
    --------
    >>> link = StanceLink()
    >>> round(link.probability(0), 3), round(link.probability(1), 3)
    (0.5, 0.818)
    >>> round(link.shifted(0.5, -1), 3)
    0.182
    """

    intercept: float = 0.0
    slope: float = 1.5

    def log_odds(self, stance: float) -> float:
        """Log-odds of voting with us for a member at ``stance``."""
        return self.intercept + self.slope * stance

    def probability(self, stance: float) -> float:
        """Probability of voting with us for a member at ``stance``."""
        return _expit(self.log_odds(stance))

    def shifted(self, p: float, steps: float) -> float:
        """Probability after moving ``steps`` along the spectrum (negative: away from us)."""
        if p <= 0.0 or p >= 1.0:
            return p
        return _expit(math.log(p / (1.0 - p)) + self.slope * steps)


def _expit(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# --------------------------------------------------------------------------- bodies


@dataclass(frozen=True)
class Member:
    """A seat holder: name, voting weight, and either ``p_with_us`` or ``stance``; optional bloc."""

    name: str
    weight: float = 1.0
    p_with_us: float | None = None
    stance: float | None = None
    bloc: str | None = None

    def probability(self, link: StanceLink) -> float:
        """The member's probability of voting with us before any shock."""
        if self.p_with_us is not None:
            return self.p_with_us
        assert self.stance is not None
        return link.probability(self.stance)


@dataclass(frozen=True)
class Bloc:
    """Members who move together; ``cohesion`` in [0, 1] is the latent correlation.

    0: independent coin flips; 1: the bloc moves as one (comonotone votes).
    """

    name: str
    cohesion: float = 0.5


@dataclass(frozen=True)
class Rule:
    """A voting rule.

    - ``majority``: yes weight more than half of the total weight.
    - ``supermajority``: yes weight at least ``fraction`` (default 2/3) of the total weight.
    - ``quota``: yes weight at least ``quota``.
    - ``double_majority``: the weight condition (``quota`` if given, else ``fraction`` of the
      weight if given, else more than half) and the head-count condition (at least
      ``count_fraction`` of the members if given, else more than half of them).
    """

    kind: RuleKind = "majority"
    quota: float | None = None
    fraction: float | None = None
    count_fraction: float | None = None

    def thresholds(self, weights: tuple[float, ...]) -> tuple[float, bool, float, bool]:
        """Return ``(weight_needed, weight_strict, count_needed, count_strict)``.

        The rule is met when yes weight ``> weight_needed`` (strict) or ``>=`` (not strict),
        and likewise for the number of yes members. ``count_needed`` is 0 (never binding)
        unless the rule is a double majority.
        """
        total = float(sum(weights))
        n = len(weights)
        if self.kind == "majority":
            return total / 2.0, True, 0.0, False
        if self.kind == "supermajority":
            f = 2.0 / 3.0 if self.fraction is None else self.fraction
            return f * total, False, 0.0, False
        if self.kind == "quota":
            assert self.quota is not None
            return float(self.quota), False, 0.0, False
        if self.quota is not None:
            wq, ws = float(self.quota), False
        elif self.fraction is not None:
            wq, ws = self.fraction * total, False
        else:
            wq, ws = total / 2.0, True
        if self.count_fraction is not None:
            return wq, ws, self.count_fraction * n, False
        return wq, ws, n / 2.0, True


@dataclass(frozen=True)
class Body:
    """A decision body: members, a rule, declared blocs, the stance link."""

    members: tuple[Member, ...]
    rule: Rule = field(default_factory=Rule)
    blocs: tuple[Bloc, ...] = ()
    link: StanceLink = field(default_factory=StanceLink)
    default_cohesion: float = 0.5

    def cohesion(self, bloc: str | None) -> float:
        """Cohesion of ``bloc`` (0 for members outside any bloc)."""
        if bloc is None:
            return 0.0
        for b in self.blocs:
            if b.name == bloc:
                return b.cohesion
        return self.default_cohesion


# --------------------------------------------------------------------------- races


@dataclass(frozen=True)
class Candidate:
    """A candidate; ``write_in`` candidates keep only ``counted`` of their intended votes."""

    name: str
    write_in: bool = False
    counted: float = 1.0


@dataclass(frozen=True)
class Division:
    """A constituency: eligible ``voters``, expected ``turnout`` rate, expected vote ``shares``.

    ``turnout_sd`` and ``share_sd`` override the race-wide division-level noise.
    """

    name: str
    voters: float
    turnout: float
    shares: tuple[tuple[str, float], ...]
    group: str | None = None
    turnout_sd: float | None = None
    share_sd: float | None = None


@dataclass(frozen=True)
class Race:
    """A race decided by counted votes summed over divisions, under a ``rule``.

    ``rule``: ``"plurality"`` (most votes wins), ``"instant_runoff"`` (ranked-choice voting:
    the last candidate is eliminated and its votes transfer until someone has a majority of
    the continuing votes or two remain) or ``"top_two"`` (a runoff between the top two unless
    someone has more than half of the first-round votes); see
    :mod:`broadfront.analysis.scenarios.runoff`. ``transfers``: for each candidate, the
    shares of its voters whose next preference is each other candidate (the rest exhaust),
    the same in every division; unused under plurality. ``transfer_sd``: per-draw
    uncertainty of those shares (0: fixed).

    Uncertainty: a race-wide swing per candidate (``swing_sd``, on the log of the share), a
    swing per group of divisions (``group_swing_sd``), independent division noise
    (``share_sd``), a race-wide turnout swing (``turnout_swing_sd``, in turnout points) and
    division turnout noise (``turnout_sd``).
    """

    candidates: tuple[Candidate, ...]
    divisions: tuple[Division, ...]
    our_candidate: str
    swing_sd: float = 0.03
    group_swing_sd: float = 0.02
    share_sd: float = 0.05
    turnout_swing_sd: float = 0.02
    turnout_sd: float = 0.03
    rule: str = "plurality"
    transfers: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()
    transfer_sd: float = 0.0


RACE_RULES: tuple[str, ...] = ("plurality", "instant_runoff", "top_two")


def check_race_rule(race: Race, path: str = "race") -> None:
    """Validate ``rule``, ``transfers`` and ``transfer_sd``; errors name the parameter.

    Examples
    --------
    >>> r = Race((Candidate("A"), Candidate("B")), (), "A", rule="instant_runoff",
    ...          transfers=(("A", (("B", 0.7), ("C", 0.1))),))
    >>> check_race_rule(r)
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: race.transfers.A.C: 'C' is not one of the candidates
    """
    if race.rule not in RACE_RULES:
        raise _fail(f"{path}.rule", f"must be one of {', '.join(RACE_RULES)}, got {race.rule!r}")
    if not (0.0 <= race.transfer_sd < 0.5):
        raise _fail(f"{path}.transfer_sd", f"must be >= 0 and < 0.5, got {race.transfer_sd!r}")
    names = {c.name for c in race.candidates}
    seen: set[str] = set()
    for source, row in race.transfers:
        sp = f"{path}.transfers.{source}"
        if source not in names:
            raise _fail(sp, f"{source!r} is not one of the candidates")
        if source in seen:
            raise _fail(sp, f"transfers of {source!r} are given twice")
        seen.add(source)
        total = 0.0
        for target, share in row:
            tp = f"{sp}.{target}"
            if target not in names:
                raise _fail(tp, f"{target!r} is not one of the candidates")
            if target == source:
                raise _fail(tp, "a candidate's voters cannot transfer to the same candidate")
            if not math.isfinite(share) or share < 0:
                raise _fail(tp, f"must be a share >= 0, got {share!r}")
            total += share
        if total > 1.0 + 1e-9:
            raise _fail(sp, f"shares of {source!r} add up to {total:g}, more than 1")


# --------------------------------------------------------------------------- shocks


@dataclass(frozen=True)
class Shock:
    """One shock; which fields matter depends on ``kind``.

    - ``bloc_shift``: every member of ``bloc`` moves ``steps`` along the spectrum (negative:
      away from us, toward the right) with probability ``probability``, all together.
    - ``member_shift``: member ``member`` moves ``steps``.
    - ``member_defects``: member ``member`` votes against us.
    - ``capture``: ``fraction`` of the share of candidate ``source`` (default: ours) goes to
      candidate ``to`` in the selected divisions.
    - ``turnout``: turnout in the selected divisions is multiplied by ``1 + change``.

    Divisions are selected by ``divisions`` (names) and/or ``group``; neither means all.
    """

    kind: str
    probability: float = 1.0
    label: str = ""
    bloc: str | None = None
    member: str | None = None
    steps: float = 0.0
    fraction: float = 0.0
    to: str | None = None
    source: str | None = None
    divisions: tuple[str, ...] = ()
    group: str | None = None
    change: float = 0.0

    def describe(self) -> str:
        """A short plain-words label (``label`` if set)."""
        if self.label:
            return self.label
        pct = f" with probability {self.probability:g}" if self.probability < 1 else ""
        where = _where(self)
        if self.kind == "bloc_shift":
            return f"bloc {self.bloc} shifts {self.steps:+g} steps{pct}"
        if self.kind == "member_shift":
            return f"{self.member} shifts {self.steps:+g} steps{pct}"
        if self.kind == "member_defects":
            return f"{self.member} defects{pct}"
        if self.kind == "capture":
            src = self.source or "our candidate"
            return f"{self.to} captures {self.fraction:g} of {src}'s vote{where}{pct}"
        return f"turnout changes by {self.change:+g}{where}{pct}"


def _where(shock: Shock) -> str:
    parts = []
    if shock.group:
        parts.append(f"group {shock.group}")
    if shock.divisions:
        parts.append(", ".join(shock.divisions))
    return f" in {' and '.join(parts)}" if parts else ""


# --------------------------------------------------------------------------- scenario


@dataclass(frozen=True)
class Scenario:
    """A named scenario: one body or one race, a set of shocks, a seed and a draw count."""

    name: str = "scenario"
    body: Body | None = None
    race: Race | None = None
    shocks: tuple[Shock, ...] = ()
    seed: int | None = None
    draws: int = DEFAULT_DRAWS
    target: float = 0.8

    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        """Build and validate a scenario from its JSON form; errors name the field path.

        Examples
        --------
        >>> s = Scenario.from_dict({"body": {"quota": 2, "members": [
        ...     {"name": "A", "p_with_us": 0.5}, {"name": "B", "p_with_us": 1}]}})
        >>> s.body.rule
        Rule(kind='quota', quota=2.0, fraction=None, count_fraction=None)
        >>> Scenario.from_dict(s.to_dict()) == s
        True
        """
        from .parsing import parse_scenario

        return parse_scenario(data)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (only non-default fields), accepted back by :meth:`from_dict`."""
        out: dict[str, Any] = {"name": self.name}
        if self.seed is not None:
            out["seed"] = self.seed
        if self.draws != DEFAULT_DRAWS:
            out["draws"] = self.draws
        if self.target != 0.8:
            out["target"] = self.target
        if self.body is not None:
            out["body"] = _body_to_dict(self.body)
        if self.race is not None:
            out["race"] = _race_to_dict(self.race)
        if self.shocks:
            out["shocks"] = [_shock_to_dict(s) for s in self.shocks]
        return out


# --------------------------------------------------------------------------- to_dict


def _body_to_dict(body: Body) -> dict[str, Any]:
    members = []
    for m in body.members:
        d: dict[str, Any] = {"name": m.name, "weight": m.weight}
        if m.p_with_us is not None:
            d["p_with_us"] = m.p_with_us
        if m.stance is not None:
            d["stance"] = m.stance
        if m.bloc is not None:
            d["bloc"] = m.bloc
        members.append(d)
    rule: dict[str, Any] = {"kind": body.rule.kind}
    for key in ("quota", "fraction", "count_fraction"):
        if getattr(body.rule, key) is not None:
            rule[key] = getattr(body.rule, key)
    out: dict[str, Any] = {"members": members, "rule": rule}
    if body.blocs:
        out["blocs"] = {b.name: {"cohesion": b.cohesion} for b in body.blocs}
    if body.link != StanceLink():
        out["link"] = {"intercept": body.link.intercept, "slope": body.link.slope}
    if body.default_cohesion != 0.5:
        out["default_cohesion"] = body.default_cohesion
    return out


def _race_to_dict(race: Race) -> dict[str, Any]:
    cands = []
    for c in race.candidates:
        d: dict[str, Any] = {"name": c.name}
        if c.write_in:
            d["write_in"] = True
        if c.counted != 1.0:
            d["counted"] = c.counted
        cands.append(d)
    divs = []
    for v in race.divisions:
        d = {"name": v.name, "voters": v.voters, "turnout": v.turnout, "shares": dict(v.shares)}
        if v.group is not None:
            d["group"] = v.group
        if v.turnout_sd is not None:
            d["turnout_sd"] = v.turnout_sd
        if v.share_sd is not None:
            d["share_sd"] = v.share_sd
        divs.append(d)
    out: dict[str, Any] = {
        "our_candidate": race.our_candidate,
        "candidates": cands,
        "divisions": divs,
    }
    defaults = Race((), (), "")
    for key in ("swing_sd", "group_swing_sd", "share_sd", "turnout_swing_sd", "turnout_sd"):
        if getattr(race, key) != getattr(defaults, key):
            out[key] = getattr(race, key)
    if race.rule != "plurality":
        out["rule"] = race.rule
    if race.transfers:
        out["transfers"] = {src: dict(row) for src, row in race.transfers}
    if race.transfer_sd:
        out["transfer_sd"] = race.transfer_sd
    return out


def _shock_to_dict(s: Shock) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": s.kind}
    if s.probability != 1.0:
        out["probability"] = s.probability
    if s.label:
        out["label"] = s.label
    fields_by_kind = {
        "bloc_shift": ("bloc", "steps"),
        "member_shift": ("member", "steps"),
        "member_defects": ("member",),
        "capture": ("fraction", "to", "source", "divisions", "group"),
        "turnout": ("change", "divisions", "group"),
    }
    for key in fields_by_kind[s.kind]:
        value = getattr(s, key)
        if value is None or value == ():
            continue
        out["from" if key == "source" else key] = list(value) if key == "divisions" else value
    return out
