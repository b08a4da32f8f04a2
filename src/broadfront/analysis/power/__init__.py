"""Power of decision bodies: power indices, pivotal members and robustness of majorities.

Public API, re-exported from the modules below:

* :mod:`.games`: :class:`WeightedGame`, :class:`MultiConditionGame`, :func:`with_veto`,
  :func:`veto_players`, :func:`convention`.
* :mod:`.indices`: :func:`banzhaf`, :func:`shapley_shubik`, :func:`holler`,
  :func:`deegan_packel`, :func:`johnston`, :func:`coleman` and their results
  :class:`IndexResult`, :class:`ColemanResult` (defined in :mod:`.results`). Their private
  numerics are apart: :mod:`._exact` (generating-function tables) and :mod:`._sampling`
  (Monte Carlo).
* :mod:`.coalitions`: :func:`is_winning`, :func:`minimal_winning_coalitions`,
  :func:`blocking_coalitions`, :func:`is_blocking`, :func:`critical_members`,
  :func:`robustness` and their results.
* :mod:`.document`: the power document of ``broadfront power GAME.json`` and
  ``POST /api/power``: :func:`game_from_dict`, :func:`power_options` (:data:`INDEX_NAMES`,
  :data:`METHODS`), :func:`power_payload`.

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
from broadfront.analysis.power.document import (
    INDEX_NAMES,
    MAX_SERVED_PLAYERS,
    MAX_SERVED_SAMPLES,
    METHODS,
    PowerOptions,
    check_method,
    game_from_dict,
    power_options,
    power_payload,
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
    "INDEX_NAMES",
    "MAX_CONDITIONS",
    "MAX_PLAYERS",
    "MAX_SAMPLES",
    "MAX_SAMPLE_CELLS",
    "MAX_SERVED_PLAYERS",
    "MAX_SERVED_SAMPLES",
    "METHODS",
    "CoalitionList",
    "ColemanResult",
    "Game",
    "IndexResult",
    "MultiConditionGame",
    "PowerOptions",
    "Robustness",
    "WeightedGame",
    "banzhaf",
    "blocking_coalitions",
    "check_method",
    "coleman",
    "convention",
    "critical_members",
    "deegan_packel",
    "game_from_dict",
    "holler",
    "is_blocking",
    "is_winning",
    "johnston",
    "minimal_winning_coalitions",
    "power_options",
    "power_payload",
    "robustness",
    "shapley_shubik",
    "veto_players",
    "with_veto",
]
