"""Blowback and realignment scenarios: will our majority and our candidates hold?

A scenario is a body (members with weights, a voting rule, blocs that move together) or a
race (candidates, constituencies with turnout and vote shares) plus a named set of shocks
(a bloc realigns, a member defects, the opposition captures part of our base, turnout
swings). :func:`run_scenario` returns the probability that we hold, its Monte Carlo
standard error (0 when computed exactly), the margin distribution, the members or divisions
whose defection most often flips the outcome, the shocks ranked by damage, and the smallest
change that restores a target probability.

Methods: a one-factor Gaussian copula for blocs (Li 2000, doi:10.3905/jfi.2000.319253), an
exact weighted Poisson-binomial by dynamic programming for independent members (Barlow and
Heidtmann 1984, doi:10.1109/TR.1984.5221843), a regional swing model for races (Gelman and
King 1994, doi:10.2307/2111417).
"""

from .body import hold_probability_exact
from .model import (
    DEFAULT_DRAWS,
    HARD_MAX_CANDIDATES,
    HARD_MAX_DIVISIONS,
    HARD_MAX_MEMBERS,
    HARD_MAX_SHOCKS,
    MAX_CANDIDATES,
    MAX_DIVISIONS,
    MAX_MEMBERS,
    MAX_SHOCKS,
    Bloc,
    Body,
    Candidate,
    Division,
    Member,
    Race,
    Rule,
    Scenario,
    Shock,
    StanceLink,
)
from .results import (
    MarginDistribution,
    RunoffSummary,
    ScenarioResult,
    ShockDamage,
    WhatItTakes,
)
from .run import (
    FIRST_LOOK_DRAWS,
    HARD_MAX_DRAWS,
    MAX_DRAW_CELLS,
    MAX_DRAWS,
    MAX_WEB_DRAWS,
    run_scenario,
)
from .runoff import Tabulation, tabulate
from .sweep import SweepPoint, SweepResult, run_sweep, sweep_items

__all__ = [
    "SweepPoint",
    "SweepResult",
    "run_sweep",
    "sweep_items",
    "DEFAULT_DRAWS",
    "FIRST_LOOK_DRAWS",
    "HARD_MAX_CANDIDATES",
    "HARD_MAX_DIVISIONS",
    "HARD_MAX_DRAWS",
    "HARD_MAX_MEMBERS",
    "HARD_MAX_SHOCKS",
    "MAX_CANDIDATES",
    "MAX_DIVISIONS",
    "MAX_DRAWS",
    "MAX_DRAW_CELLS",
    "MAX_MEMBERS",
    "MAX_WEB_DRAWS",
    "MAX_SHOCKS",
    "Bloc",
    "Body",
    "Candidate",
    "Division",
    "MarginDistribution",
    "Member",
    "Race",
    "Rule",
    "RunoffSummary",
    "Scenario",
    "ScenarioResult",
    "Shock",
    "ShockDamage",
    "StanceLink",
    "Tabulation",
    "WhatItTakes",
    "hold_probability_exact",
    "run_scenario",
    "tabulate",
]
