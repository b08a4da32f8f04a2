"""Bloc building: targets, forecasts, and a bloc's delegates carried through the conventions.

Targets are ``ceil(share x expected attendance)``; the chance of reaching them comes from
binomial thinning of committed and future recruits (Johnson, Kemp and Kotz, *Univariate
Discrete Distributions*, 2005). Propagation through precinct caucus, district and state
conventions follows the Minnesota DFL walking-subcaucus rule (*2018-2019 Official Call*,
p. 4), simulated with numpy from an explicit ``rng``.
"""

from broadfront.analysis.blocs.propagation import (
    LEVELS,
    LevelSummary,
    PropagationResult,
    propagate_bloc,
    walking_subcaucus_two_groups,
)
from broadfront.analysis.blocs.targets import (
    DEFAULT_BLOC_SHARE,
    DEFAULT_CAUCUS_TURNOUT,
    DEFAULT_SHOW_UP_RATE,
    STATUSES,
    CampaignProgress,
    TargetForecast,
    campaign_progress,
    expected_attendance,
    forecast_targets,
    precinct_targets,
    show_up_rate_from_history,
)

__all__ = [
    "DEFAULT_BLOC_SHARE",
    "DEFAULT_CAUCUS_TURNOUT",
    "DEFAULT_SHOW_UP_RATE",
    "LEVELS",
    "STATUSES",
    "CampaignProgress",
    "LevelSummary",
    "PropagationResult",
    "TargetForecast",
    "campaign_progress",
    "expected_attendance",
    "forecast_targets",
    "precinct_targets",
    "propagate_bloc",
    "show_up_rate_from_history",
    "walking_subcaucus_two_groups",
]
