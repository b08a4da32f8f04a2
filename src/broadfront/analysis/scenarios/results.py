"""Named, frozen result dataclasses of the scenario engine (JSON-ready through ``to_dict``).

The numbers they hold are computed by :mod:`broadfront.analysis.scenarios.run`: exact
dynamic programming or Monte Carlo with common random numbers across shock sets.

References
----------
Glasserman, P., *Monte Carlo Methods in Financial Engineering*, Springer, 2004, sec. 4.2
(common random numbers). doi:10.1007/978-0-387-21617-1.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = ["MarginDistribution", "RunoffSummary", "ScenarioResult", "ShockDamage", "WhatItTakes"]


@dataclass(frozen=True)
class MarginDistribution:
    """Distribution of the margin by which we hold (negative: we lose).

    For a body the margin is the yes weight minus the weight the rule needs (a strict
    majority holds only above 0); for a race it is our vote minus the best opponent's vote,
    as a share of all counted votes. ``values`` are exact margins (``binned`` false) or bin
    centres (``binned`` true), with their ``probabilities``.
    """

    unit: str
    values: tuple[float, ...]
    probabilities: tuple[float, ...]
    mean: float
    quantiles: tuple[tuple[float, float], ...]
    binned: bool


@dataclass(frozen=True)
class ShockDamage:
    """How much one shock costs us.

    ``alone``: P(hold, no shock) minus P(hold, only this shock). ``marginal``: P(hold, all
    shocks but this one) minus P(hold, all shocks), i.e. what preventing it would win back.
    """

    index: int
    shock: str
    alone: float
    marginal: float


@dataclass(frozen=True)
class WhatItTakes:
    """The smallest change that lifts the probability of holding to ``target``.

    For a body: the fewest ``members_persuaded`` (made certain to vote with us); ``search``
    says whether every smaller set was tried (``exhaustive``) or members were added one at a
    time (``greedy``); a simulated body is searched on (up to 200,000 of) its own draws.
    For a race: ``votes_needed`` extra counted votes for our candidate
    (``search`` ``quantile``), also as ``turnout_added``, a share of the expected turnout.
    ``achieved`` is false when even the largest change does not reach the target.
    """

    target: float
    achieved: bool
    p_hold_after: float
    members_persuaded: tuple[str, ...] = ()
    votes_needed: float | None = None
    turnout_added: float | None = None
    search: str = "none needed"


@dataclass(frozen=True)
class RunoffSummary:
    """How a ranked-choice (``instant_runoff``) or ``top_two`` race was counted.

    ``p_more_rounds``: probability that the count goes beyond the first round (nobody has a
    majority of first choices). ``final_share_mean`` and ``final_share_quantiles``: our
    share of the continuing votes in the final round (0 in draws where we are eliminated).
    Both are for the scenario with its shocks.
    """

    rule: str
    p_more_rounds: float
    final_share_mean: float
    final_share_quantiles: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ScenarioResult:
    """Everything a scenario run reports.

    ``method`` is ``"exact"`` (dynamic programming over independent members and fully
    cohesive blocs, enumerating random shocks) or ``"monte-carlo"``; ``p_hold_se`` is the
    Monte Carlo standard error ``sqrt(p (1 - p) / draws)`` (0 when exact). ``fragile`` maps
    each member (or division, for a race) to the share of all outcomes its defection (its
    voters staying home) would flip from a hold to a loss, largest first. ``runoff`` is set
    for races counted under ``instant_runoff`` or ``top_two`` (absent from ``to_dict`` under
    plurality); their margin, deficit and fragility compare final-round totals.
    """

    name: str
    kind: str
    method: str
    draws: int
    seed: int | None
    p_hold: float
    p_hold_se: float
    p_hold_without_shocks: float
    margin: MarginDistribution
    fragile: dict[str, float]
    damaging_shocks: tuple[ShockDamage, ...]
    what_it_takes: WhatItTakes
    runoff: RunoffSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists; no ``runoff`` key when it is None)."""
        out = _plain(dataclasses.asdict(self))
        if out["runoff"] is None:
            del out["runoff"]
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
