"""Scenario data: bodies, races, shocks and the stance link, with a JSON round trip.

Everything here is plain data (frozen dataclasses of numbers, strings and tuples). A
:class:`Scenario` converts to and from a JSON-ready ``dict`` (:meth:`Scenario.to_dict`,
:meth:`Scenario.from_dict`) so it can be stored in a database column or a file and re-run
exactly with its seed. Errors name the offending field with a path such as
``body.members[2].weight``.

The stance link is the logistic (logit) model of a binary choice,
``P(with us) = 1 / (1 + exp(-(intercept + slope * stance)))``, on Broadfront's spectrum of
allies (-3 active opposition ... +3 active ally); see McCullagh and Nelder (1989),
*Generalized Linear Models*, 2nd ed., Chapman & Hall, ch. 4, doi:10.1007/978-1-4899-3242-6.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
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
        return _parse_scenario(data)

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


# --------------------------------------------------------------------------- parsing


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(path, f"must be a JSON object, got {type(value).__name__}")
    return value


def _known(obj: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise _fail(where, f"unknown field {key!r} (expected one of: {', '.join(allowed)})")


def _num(
    obj: Mapping[str, Any],
    key: str,
    path: str,
    default: float | None = None,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    required: bool = False,
) -> float | None:
    where = f"{path}.{key}" if path else key
    if key not in obj or obj[key] is None:
        if required:
            raise _fail(where, "is required")
        return default
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(where, f"must be a finite number, got {value!r}")
    value = float(value)
    if lo is not None and (value < lo or (lo_open and value == lo)):
        op = ">" if lo_open else ">="
        raise _fail(where, f"must be {op} {lo:g}, got {value:g}")
    if hi is not None and value > hi:
        raise _fail(where, f"must be <= {hi:g}, got {value:g}")
    return value


def _str(obj: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    where = f"{path}.{key}" if path else key
    if key not in obj or obj[key] is None:
        if required:
            raise _fail(where, "is required")
        return None
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"must be a non-empty string, got {value!r}")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, f"must be a JSON array, got {type(value).__name__}")
    return value


def _sized(items: list[Any], path: str, hard: int) -> list[Any]:
    """``items`` after checking there are at most ``hard`` of them (memory safety)."""
    if len(items) > hard:
        raise _fail(path, f"must list at most {hard:,} entries, got {len(items):,}")
    return items


@dataclasses.dataclass(frozen=True)
class _Names:
    """The names shocks may refer to, gathered once (not once per shock)."""

    blocs: frozenset[str | None]
    members: frozenset[str]
    divisions: frozenset[str]
    groups: frozenset[str | None]
    candidates: frozenset[str]

    def __init__(self, body: Body | None, race: Race | None) -> None:
        ms = body.members if body is not None else ()
        ds = race.divisions if race is not None else ()
        cs = race.candidates if race is not None else ()
        object.__setattr__(self, "blocs", frozenset(m.bloc for m in ms))
        object.__setattr__(self, "members", frozenset(m.name for m in ms))
        object.__setattr__(self, "divisions", frozenset(d.name for d in ds))
        object.__setattr__(self, "groups", frozenset(d.group for d in ds))
        object.__setattr__(self, "candidates", frozenset(c.name for c in cs))


def _parse_scenario(data: Any) -> Scenario:
    obj = _obj(data, "")
    _known(obj, ("name", "seed", "draws", "target", "body", "race", "shocks", "description"), "")
    name = _str(obj, "name", "") or "scenario"
    seed = obj.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise _fail("seed", f"must be a non-negative integer, got {seed!r}")
    draws = obj.get("draws", DEFAULT_DRAWS)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise _fail("draws", f"must be a positive integer, got {draws!r}")
    target = _num(obj, "target", "", 0.8, lo=0.0, hi=1.0)
    has_body, has_race = obj.get("body") is not None, obj.get("race") is not None
    if has_body == has_race:
        raise _fail("body", "a scenario needs exactly one of 'body' or 'race'")
    body = _parse_body(obj["body"], "body") if has_body else None
    race = _parse_race(obj["race"], "race") if has_race else None
    raw_shocks = _sized(_list(obj.get("shocks", []), "shocks"), "shocks", HARD_MAX_SHOCKS)
    names = _Names(body, race)
    shocks = tuple(
        _parse_shock(s, f"shocks[{i}]", body, race, names) for i, s in enumerate(raw_shocks)
    )
    assert target is not None
    return Scenario(name, body, race, shocks, seed, draws, target)


def _parse_rule(obj: Mapping[str, Any], path: str) -> Rule:
    raw = obj.get("rule")
    quota = _num(obj, "quota", path, lo=0.0, lo_open=True)
    if raw is None:
        if quota is None:
            return Rule("majority")
        return Rule("quota", quota=quota)
    rpath = f"{path}.rule"
    if isinstance(raw, str):
        raw = {"kind": raw}
    robj = _obj(raw, rpath)
    _known(robj, ("kind", "quota", "fraction", "count_fraction"), rpath)
    kind = _str(robj, "kind", rpath, required=True)
    if kind not in RULE_KINDS:
        raise _fail(f"{rpath}.kind", f"must be one of {', '.join(RULE_KINDS)}, got {kind!r}")
    rq = _num(robj, "quota", rpath, lo=0.0, lo_open=True)
    if rq is not None and quota is not None and rq != quota:
        raise _fail(f"{path}.quota", "conflicts with rule.quota")
    rq = rq if rq is not None else quota
    frac = _num(robj, "fraction", rpath, lo=0.0, hi=1.0, lo_open=True)
    cfrac = _num(robj, "count_fraction", rpath, lo=0.0, hi=1.0, lo_open=True)
    if kind == "quota" and rq is None:
        raise _fail(f"{rpath}.quota", "is required for a quota rule")
    if kind in ("majority", "supermajority") and rq is not None:
        raise _fail(f"{rpath}.quota", f"does not apply to a {kind} rule")
    if kind != "double_majority" and cfrac is not None:
        raise _fail(f"{rpath}.count_fraction", "applies only to a double_majority rule")
    if kind in ("majority", "quota") and frac is not None:
        raise _fail(f"{rpath}.fraction", f"does not apply to a {kind} rule")
    return Rule(kind, quota=rq, fraction=frac, count_fraction=cfrac)  # type: ignore[arg-type]


def _parse_body(raw: Any, path: str) -> Body:
    obj = _obj(raw, path)
    _known(obj, ("members", "rule", "quota", "blocs", "link", "default_cohesion", "name"), path)
    if "members" not in obj:
        raise _fail(f"{path}.members", "is required")
    raw_members = _sized(_list(obj["members"], f"{path}.members"), f"{path}.members",
                         HARD_MAX_MEMBERS)
    if not raw_members:
        raise _fail(f"{path}.members", "must list at least one member")
    members = []
    seen: set[str] = set()
    for i, rm in enumerate(raw_members):
        mp = f"{path}.members[{i}]"
        mo = _obj(rm, mp)
        _known(mo, ("name", "weight", "p_with_us", "stance", "bloc"), mp)
        name = _str(mo, "name", mp, required=True)
        assert name is not None
        if name in seen:
            raise _fail(f"{mp}.name", f"duplicate member name {name!r}")
        seen.add(name)
        weight = _num(mo, "weight", mp, 1.0, lo=0.0)
        p = _num(mo, "p_with_us", mp, lo=0.0, hi=1.0)
        stance = _num(mo, "stance", mp, lo=-3.0, hi=3.0)
        if p is None and stance is None:
            raise _fail(mp, "needs 'p_with_us' (0..1) or 'stance' (-3..+3)")
        if p is not None and stance is not None:
            raise _fail(mp, "give 'p_with_us' or 'stance', not both")
        assert weight is not None
        members.append(Member(name, weight, p, stance, _str(mo, "bloc", mp)))
    if sum(m.weight for m in members) <= 0:
        raise _fail(f"{path}.members", "total weight must be positive")
    rule = _parse_rule(obj, path)
    blocs = []
    raw_blocs = obj.get("blocs", {})
    bpath = f"{path}.blocs"
    if isinstance(raw_blocs, list):
        raw_blocs = {
            _str(_obj(b, f"{bpath}[{i}]"), "name", f"{bpath}[{i}]", required=True): b
            for i, b in enumerate(raw_blocs)
        }
    for bname, bval in _obj(raw_blocs, bpath).items():
        bp = f"{bpath}.{bname}"
        if isinstance(bval, int | float) and not isinstance(bval, bool):
            bval = {"cohesion": bval}
        bo = _obj(bval, bp)
        _known(bo, ("name", "cohesion"), bp)
        coh = _num(bo, "cohesion", bp, 0.5, lo=0.0, hi=1.0)
        assert coh is not None
        blocs.append(Bloc(str(bname), coh))
    link = StanceLink()
    if "link" in obj:
        lp = f"{path}.link"
        lo = _obj(obj["link"], lp)
        _known(lo, ("intercept", "slope"), lp)
        intercept = _num(lo, "intercept", lp, 0.0)
        slope = _num(lo, "slope", lp, 1.5, lo=0.0, lo_open=True)
        assert intercept is not None and slope is not None
        link = StanceLink(intercept, slope)
    dc = _num(obj, "default_cohesion", path, 0.5, lo=0.0, hi=1.0)
    assert dc is not None
    return Body(tuple(members), rule, tuple(blocs), link, dc)


def _parse_race(raw: Any, path: str) -> Race:
    obj = _obj(raw, path)
    sd_keys = ("swing_sd", "group_swing_sd", "share_sd", "turnout_swing_sd", "turnout_sd")
    _known(
        obj,
        ("candidates", "divisions", "our_candidate", "name", *sd_keys, *_RULE_KEYS),
        path,
    )
    cp = f"{path}.candidates"
    if "candidates" not in obj:
        raise _fail(cp, "is required")
    cands: list[Candidate] = []
    for i, rc in enumerate(_sized(_list(obj["candidates"], cp), cp, HARD_MAX_CANDIDATES)):
        ip = f"{cp}[{i}]"
        if isinstance(rc, str):
            rc = {"name": rc}
        co = _obj(rc, ip)
        _known(co, ("name", "write_in", "counted", "us"), ip)
        name = _str(co, "name", ip, required=True)
        assert name is not None
        if any(c.name == name for c in cands):
            raise _fail(f"{ip}.name", f"duplicate candidate name {name!r}")
        wi = co.get("write_in", False)
        if not isinstance(wi, bool):
            raise _fail(f"{ip}.write_in", f"must be true or false, got {wi!r}")
        counted = _num(co, "counted", ip, 1.0, lo=0.0, hi=1.0)
        assert counted is not None
        cands.append(Candidate(name, wi, counted))
    if len(cands) < 2:
        raise _fail(cp, "a race needs at least two candidates")
    names = {c.name for c in cands}
    ours = _str(obj, "our_candidate", path)
    flagged = [c["name"] for c in obj["candidates"] if isinstance(c, Mapping) and c.get("us")]
    if ours is None:
        if len(flagged) != 1:
            raise _fail(
                f"{path}.our_candidate", 'is required (or mark one candidate with "us": true)'
            )
        ours = flagged[0]
    if ours not in names:
        raise _fail(f"{path}.our_candidate", f"{ours!r} is not one of the candidates")
    dp = f"{path}.divisions"
    if "divisions" not in obj:
        raise _fail(dp, "is required")
    divs = []
    seen: set[str] = set()
    raw_divs = _sized(_list(obj["divisions"], dp), dp, HARD_MAX_DIVISIONS)
    if not raw_divs:
        raise _fail(dp, "must list at least one division")
    for i, rd in enumerate(raw_divs):
        ip = f"{dp}[{i}]"
        do = _obj(rd, ip)
        _known(do, ("name", "voters", "turnout", "shares", "group", "turnout_sd", "share_sd"), ip)
        name = _str(do, "name", ip, required=True)
        assert name is not None
        if name in seen:
            raise _fail(f"{ip}.name", f"duplicate division name {name!r}")
        seen.add(name)
        voters = _num(do, "voters", ip, lo=0.0, required=True)
        turnout = _num(do, "turnout", ip, lo=0.0, hi=1.0, required=True)
        sp = f"{ip}.shares"
        if "shares" not in do:
            raise _fail(sp, "is required")
        so = _obj(do["shares"], sp)
        shares = []
        for cname in so:
            if cname not in names:
                raise _fail(f"{sp}.{cname}", f"{cname!r} is not one of the candidates")
            v = _num(so, cname, sp, lo=0.0, hi=1.0)
            assert v is not None
            shares.append((str(cname), v))
        total = sum(v for _, v in shares)
        if abs(total - 1.0) > 0.01:
            raise _fail(sp, f"shares must add up to 1 (within 0.01), they add up to {total:g}")
        shares = [(c, v / total) for c, v in shares]
        assert voters is not None and turnout is not None
        divs.append(
            Division(
                name,
                voters,
                turnout,
                tuple(shares),
                _str(do, "group", ip),
                _num(do, "turnout_sd", ip, lo=0.0, hi=0.5),
                _num(do, "share_sd", ip, lo=0.0, hi=0.5),
            )
        )
    defaults = Race((), (), "")
    sds = {}
    for key in sd_keys:
        v = _num(
            obj, key, path, getattr(defaults, key), lo=0.0, hi=1.0 if "turnout" in key else 2.0
        )
        if key in ("share_sd", "turnout_sd") and v is not None and v > 0.5:
            raise _fail(f"{path}.{key}", f"must be <= 0.5, got {v:g}")
        sds[key] = v
    race = Race(tuple(cands), tuple(divs), ours, **sds)  # type: ignore[arg-type]
    return _parse_race_rule(obj, path, race)


_RULE_KEYS = ("rule", "transfers", "transfer_sd")


def _parse_race_rule(obj: Mapping[str, Any], path: str, race: Race) -> Race:
    rule = _str(obj, "rule", path) or "plurality"
    transfers = []
    tp = f"{path}.transfers"
    for source, raw_row in _obj(obj.get("transfers") or {}, tp).items():
        sp = f"{tp}.{source}"
        row_obj = _obj(raw_row, sp)
        row = []
        for target in row_obj:
            share = _num(row_obj, target, sp)
            if share is None:
                continue
            row.append((str(target), share))
        transfers.append((str(source), tuple(row)))
    sd = _num(obj, "transfer_sd", path, 0.0)
    assert sd is not None
    out = dataclasses.replace(race, rule=rule, transfers=tuple(transfers), transfer_sd=sd)
    check_race_rule(out, path)
    return out


def _parse_shock(
    raw: Any, path: str, body: Body | None, race: Race | None, names: _Names | None = None
) -> Shock:
    names = names or _Names(body, race)
    obj = _obj(raw, path)
    kind = _str(obj, "kind", path, required=True)
    if kind not in SHOCK_KINDS:
        raise _fail(f"{path}.kind", f"must be one of {', '.join(SHOCK_KINDS)}, got {kind!r}")
    common = ("kind", "probability", "label")
    per_kind = {
        "bloc_shift": ("bloc", "steps"),
        "member_shift": ("member", "steps"),
        "member_defects": ("member",),
        "capture": ("fraction", "to", "from", "divisions", "group"),
        "turnout": ("change", "divisions", "group"),
    }
    _known(obj, common + per_kind[kind], path)
    prob = _num(obj, "probability", path, 1.0, lo=0.0, hi=1.0)
    label = obj.get("label", "")
    if not isinstance(label, str):
        raise _fail(f"{path}.label", f"must be a string, got {label!r}")
    assert prob is not None
    if kind in ("bloc_shift", "member_shift", "member_defects"):
        if body is None:
            raise _fail(f"{path}.kind", f"a {kind} shock needs a body, this scenario has a race")
        if kind == "bloc_shift":
            bloc = _str(obj, "bloc", path, required=True)
            if bloc not in names.blocs:
                raise _fail(f"{path}.bloc", f"no member belongs to bloc {bloc!r}")
            steps = _num(obj, "steps", path, lo=-6.0, hi=6.0, required=True)
            assert steps is not None
            return Shock(kind, prob, label, bloc=bloc, steps=steps)
        member = _str(obj, "member", path, required=True)
        if member not in names.members:
            raise _fail(f"{path}.member", f"{member!r} is not a member of the body")
        steps = 0.0
        if kind == "member_shift":
            s = _num(obj, "steps", path, lo=-6.0, hi=6.0, required=True)
            assert s is not None
            steps = s
        return Shock(kind, prob, label, member=member, steps=steps)
    if race is None:
        raise _fail(f"{path}.kind", f"a {kind} shock needs a race, this scenario has a body")
    div_names = names.divisions
    divisions: tuple[str, ...] = ()
    if obj.get("divisions") is not None:
        rd = _list(obj["divisions"], f"{path}.divisions")
        for j, d in enumerate(rd):
            if not isinstance(d, str) or d not in div_names:
                raise _fail(f"{path}.divisions[{j}]", f"{d!r} is not a division of the race")
        divisions = tuple(rd)
    group = _str(obj, "group", path)
    if group is not None and group not in names.groups:
        raise _fail(f"{path}.group", f"no division belongs to group {group!r}")
    if kind == "turnout":
        change = _num(obj, "change", path, lo=-1.0, hi=10.0, required=True)
        assert change is not None
        return Shock(kind, prob, label, change=change, divisions=divisions, group=group)
    cand_names = names.candidates
    to = _str(obj, "to", path, required=True)
    if to not in cand_names:
        raise _fail(f"{path}.to", f"{to!r} is not one of the candidates")
    source = _str(obj, "from", path)
    if source is not None and source not in cand_names:
        raise _fail(f"{path}.from", f"{source!r} is not one of the candidates")
    if (source or race.our_candidate) == to:
        raise _fail(f"{path}.to", "a candidate cannot capture its own vote")
    fraction = _num(obj, "fraction", path, lo=0.0, hi=1.0, required=True)
    assert fraction is not None
    return Shock(
        kind, prob, label, fraction=fraction, to=to, source=source, divisions=divisions, group=group
    )
