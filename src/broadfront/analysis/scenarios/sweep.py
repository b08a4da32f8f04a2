"""Sweeps: which members, divisions and shocks break our majority (or our win)?

A sweep evaluates a grid of variants of one scenario, each the scenario with one change made
certain:

- ``shocks``: each of the scenario's shocks happening for sure (probability 1);
- ``members`` (a body): each member voting against us for sure (a ``member_defects``
  shock);
- ``divisions`` (a race): in each division alone, the strongest opponent there capturing
  10%, 20% or 30% of our share (``levels``), the realignment the panel warned about.

Item 0 is the scenario as it stands. Item ``i`` is computed with its own random generator,
``numpy.random.SeedSequence(seed, spawn_key=(i,))`` (the ``i``-th child of the sweep's seed
sequence), so an item's result depends only on the scenario, the seed, the draws and ``i``:
a sweep split into chunks over 1 or 8 workers gives exactly the same numbers
(O'Neill, "PCG: A Family of Simple Fast Space-Efficient Statistically Good Algorithms for
Random Number Generation", HMC-CS-2014-0905, 2014; numpy's ``SeedSequence`` spawning).

Examples
--------
>>> from broadfront.analysis.scenarios import Scenario
>>> s = Scenario.from_dict({"body": {"quota": 2, "members": [
...     {"name": "A", "p_with_us": 1}, {"name": "B", "p_with_us": 1},
...     {"name": "C", "p_with_us": 0}]}})
>>> [item.label for item in sweep_items(s)]
['as it stands', 'A votes against us', 'B votes against us', 'C votes against us']
>>> result = run_sweep(s, draws=1000, seed=1)
>>> [(p.label, p.p_hold) for p in result.breaking]
[('A votes against us', 0.0), ('B votes against us', 0.0)]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from broadfront.exceptions import ValidationError

from .model import Scenario, Shock
from .run import run_scenario

__all__ = ["DEFAULT_LEVELS", "MAX_SWEEP_ITEMS", "SweepItem", "SweepPoint", "SweepResult",
           "gather", "run_items", "run_sweep", "sweep_items"]

#: The most variants one sweep evaluates (each is a full run of the scenario).
MAX_SWEEP_ITEMS = 2_000
#: Shares of our vote the strongest opponent captures in one division, in a race sweep.
DEFAULT_LEVELS = (0.1, 0.2, 0.3)
#: Below this chance of holding, a variant "breaks" what we hold.
BREAK_AT = 0.5


@dataclass(frozen=True)
class SweepItem:
    """One variant: its position, what changes in words, and the scenario to run."""

    index: int
    kind: str
    label: str
    scenario: Scenario


@dataclass(frozen=True)
class SweepPoint:
    """One variant's result."""

    index: int
    kind: str
    label: str
    p_hold: float
    p_hold_se: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SweepPoint:
        return cls(index=int(data["index"]), kind=str(data["kind"]), label=str(data["label"]),
                   p_hold=float(data["p_hold"]), p_hold_se=float(data["p_hold_se"]),
                   method=str(data["method"]))


@dataclass(frozen=True)
class SweepResult:
    """All variants, the base chance, and the variants that break what we hold, worst first."""

    base: SweepPoint
    points: tuple[SweepPoint, ...]
    breaking: tuple[SweepPoint, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base.to_dict(), "points": [p.to_dict() for p in self.points],
                "breaking": [p.to_dict() for p in self.breaking]}


def sweep_items(scenario: Scenario, *, kinds: Sequence[str] | None = None,
                levels: Sequence[float] = DEFAULT_LEVELS) -> tuple[SweepItem, ...]:
    """The variants of a sweep, item 0 being the scenario as it stands.

    ``kinds`` defaults to ``("shocks", "members")`` for a body and ``("shocks",
    "divisions")`` for a race.

    Raises
    ------
    ValidationError
        If a kind does not apply, a level is outside (0, 1], or the sweep would have more
        than :data:`MAX_SWEEP_ITEMS` variants.
    """
    is_body = scenario.body is not None
    allowed = ("shocks", "members") if is_body else ("shocks", "divisions")
    chosen = tuple(kinds) if kinds is not None else allowed
    for kind in chosen:
        if kind not in allowed:
            raise ValidationError(f"sweep must be among {', '.join(allowed)} for a "
                                  f"{'body' if is_body else 'race'}, got {kind!r}",
                                  parameter="sweep")
    for level in levels:
        if not 0 < float(level) <= 1:
            raise ValidationError(f"levels must be in (0, 1], got {level!r}",
                                  parameter="levels")
    size = 1 + ("shocks" in chosen) * len(scenario.shocks)
    if "members" in chosen and scenario.body is not None:
        size += len(scenario.body.members)
    if "divisions" in chosen and scenario.race is not None:
        size += len(scenario.race.divisions) * len(levels)
    if size > MAX_SWEEP_ITEMS:
        raise ValidationError(f"this sweep has {size:,} variants; at most {MAX_SWEEP_ITEMS:,} "
                              "are allowed", parameter="sweep")
    items = [SweepItem(0, "base", "as it stands", scenario)]

    def add(kind: str, label: str, variant: Scenario) -> None:
        items.append(SweepItem(len(items), kind, label, variant))

    if "shocks" in chosen:
        for k, shock in enumerate(scenario.shocks):
            forced = dataclasses.replace(shock, probability=1.0)
            shocks = scenario.shocks[:k] + (forced,) + scenario.shocks[k + 1:]
            add("shock", f"for sure: {shock.describe()}",
                dataclasses.replace(scenario, shocks=shocks))
    if "members" in chosen and scenario.body is not None:
        for member in scenario.body.members:
            defects = Shock(kind="member_defects", member=member.name, probability=1.0,
                            label=f"{member.name} votes against us")
            add("member", f"{member.name} votes against us",
                dataclasses.replace(scenario, shocks=scenario.shocks + (defects,)))
    if "divisions" in chosen and scenario.race is not None:
        ours = scenario.race.our_candidate
        for division in scenario.race.divisions:
            rival = _strongest_rival(division.shares, ours)
            if rival is None:
                continue
            for level in levels:
                capture = Shock(kind="capture", to=rival, fraction=float(level),
                                divisions=(division.name,), probability=1.0,
                                label=f"{rival} takes {float(level):.0%} of our vote in "
                                      f"{division.name}")
                add("division", capture.label,
                    dataclasses.replace(scenario, shocks=scenario.shocks + (capture,)))
    return tuple(items)


def _strongest_rival(shares: Sequence[tuple[str, float]], ours: str | None) -> str | None:
    rivals = [(share, name) for name, share in shares if name != ours]
    return max(rivals)[1] if rivals else None


def _rng(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))


def run_items(scenario: Scenario, indices: Sequence[int], *, draws: int, seed: int,
              kinds: Sequence[str] | None = None,
              levels: Sequence[float] = DEFAULT_LEVELS) -> list[SweepPoint]:
    """Run the sweep's variants ``indices`` (a chunk); each with its own generator."""
    items = sweep_items(scenario, kinds=kinds, levels=levels)
    out = []
    for i in indices:
        if not 0 <= int(i) < len(items):
            raise ValidationError(f"sweep item {i} does not exist (0..{len(items) - 1})",
                                  parameter="indices")
        item = items[int(i)]
        result = run_scenario(item.scenario, draws=draws, rng=_rng(seed, item.index),
                              sensitivity=False)
        out.append(SweepPoint(item.index, item.kind, item.label, float(result.p_hold),
                              float(result.p_hold_se), result.method))
    return out


def gather(points: Sequence[SweepPoint]) -> SweepResult:
    """Put a sweep's points back together (in any order, from any number of chunks)."""
    ordered = tuple(sorted(points, key=lambda p: p.index))
    if not ordered or ordered[0].index != 0 or [p.index for p in ordered] != list(
            range(len(ordered))):
        raise ValidationError("a sweep needs every item from 0 on, once each",
                              parameter="points")
    base = ordered[0]
    breaking = tuple(sorted((p for p in ordered[1:] if p.p_hold < BREAK_AT <= base.p_hold
                             or (base.p_hold < BREAK_AT and p.p_hold < base.p_hold)),
                            key=lambda p: (p.p_hold, p.index)))
    return SweepResult(base=base, points=ordered, breaking=breaking)


def run_sweep(scenario: Scenario, *, draws: int | None = None, seed: int | None = None,
              kinds: Sequence[str] | None = None,
              levels: Sequence[float] = DEFAULT_LEVELS) -> SweepResult:
    """Run every variant of the sweep in this process and gather them."""
    n = len(sweep_items(scenario, kinds=kinds, levels=levels))
    seed_v = int(seed if seed is not None else (scenario.seed or 0))
    return gather(run_items(scenario, range(n), draws=int(draws or scenario.draws),
                            seed=seed_v, kinds=kinds, levels=levels))
