"""Power of decision bodies: power indices, pivotal members and robustness of majorities.

Public API, re-exported from the modules below:

* :mod:`.games`: :class:`WeightedGame`, :class:`MultiConditionGame`, :func:`with_veto`,
  :func:`veto_players`, :func:`convention`.
* :mod:`.indices`: :func:`banzhaf`, :func:`shapley_shubik`, :func:`holler`,
  :func:`deegan_packel`, :func:`johnston`, :func:`coleman` and their results
  :class:`IndexResult`, :class:`ColemanResult`.
* :mod:`.coalitions`: :func:`is_winning`, :func:`minimal_winning_coalitions`,
  :func:`blocking_coalitions`, :func:`is_blocking`, :func:`critical_members`,
  :func:`robustness` and their results.

The methods and their references are in each module's docstring.
"""

from broadfront.analysis.power.coalitions import (
    CoalitionList,
    Robustness,
    blocking_coalitions,
    critical_members,
    is_blocking,
    is_winning,
    minimal_winning_coalitions,
    robustness,
)
from broadfront.analysis.power.games import (
    HARD_MAX_PLAYERS,
    MAX_CONDITIONS,
    MAX_PLAYERS,
    Game,
    MultiConditionGame,
    WeightedGame,
    convention,
    veto_players,
    with_veto,
)
from broadfront.analysis.power.indices import (
    DEFAULT_SAMPLES,
    EXACT_MEMORY_BUDGET,
    HARD_MAX_SAMPLES,
    MAX_SAMPLE_CELLS,
    MAX_SAMPLES,
    ColemanResult,
    IndexResult,
    banzhaf,
    coleman,
    deegan_packel,
    holler,
    johnston,
    shapley_shubik,
)

__all__ = [
    "DEFAULT_SAMPLES",
    "EXACT_MEMORY_BUDGET",
    "HARD_MAX_PLAYERS",
    "HARD_MAX_SAMPLES",
    "MAX_CONDITIONS",
    "MAX_PLAYERS",
    "MAX_SAMPLES",
    "MAX_SAMPLE_CELLS",
    "CoalitionList",
    "ColemanResult",
    "Game",
    "IndexResult",
    "MultiConditionGame",
    "Robustness",
    "WeightedGame",
    "banzhaf",
    "blocking_coalitions",
    "coleman",
    "convention",
    "critical_members",
    "deegan_packel",
    "holler",
    "is_blocking",
    "is_winning",
    "johnston",
    "minimal_winning_coalitions",
    "robustness",
    "shapley_shubik",
    "veto_players",
    "with_veto",
]
