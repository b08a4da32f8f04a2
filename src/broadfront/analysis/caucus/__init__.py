"""Caucus and convention math: delegate allocation, apportionment and endorsement.

Allocation rules: the Minnesota DFL walking subcaucus (*2018-2019 Official Call*, p. 4),
the Iowa Democratic Party's precinct caucus math (*Caucus Math One-Pager*, 2015) and fair
reflection with a 15% threshold (DNC Delegate Selection Rules, Rule 14). Apportionment:
Huntington-Hill and Hamilton (Balinski and Young, *Fair Representation*, 2001) and one
delegate per k votes. Endorsement: the 60% threshold computed exactly, ballots with
drop-off, and a bloc's blocking power and power indices.
"""

from broadfront.analysis.caucus._common import LotDraw
from broadfront.analysis.caucus.allocation import (
    RULES,
    CaucusAllocation,
    allocate_delegates,
    allocate_dfl,
    allocate_fair_reflection,
    allocate_iowa,
    viability_number,
)
from broadfront.analysis.caucus.apportion import METHODS, Apportionment, apportion
from broadfront.analysis.caucus.endorsement import (
    DEFAULT_DROP_RULES,
    DEFAULT_THRESHOLD,
    NO_ENDORSEMENT,
    Ballot,
    BlocLeverage,
    DropRule,
    EndorsementResult,
    bloc_leverage,
    run_endorsement,
    votes_needed,
)
from broadfront.analysis.caucus.limits import (
    MAX_ATTENDEES,
    MAX_BALLOTS,
    MAX_DELEGATES,
    MAX_GROUPS,
    MAX_HUNTINGTON_HILL_STEPS,
    MAX_SEATS,
    MAX_UNITS,
    MAX_WEIGHT,
    MAX_WHATIF_ATTENDEES,
)
from broadfront.analysis.caucus.whatif import WhatIfMove, WhatIfResult, what_if

__all__ = [
    "DEFAULT_DROP_RULES",
    "DEFAULT_THRESHOLD",
    "MAX_ATTENDEES",
    "MAX_BALLOTS",
    "MAX_DELEGATES",
    "MAX_GROUPS",
    "MAX_HUNTINGTON_HILL_STEPS",
    "MAX_SEATS",
    "MAX_UNITS",
    "MAX_WEIGHT",
    "MAX_WHATIF_ATTENDEES",
    "METHODS",
    "NO_ENDORSEMENT",
    "RULES",
    "Apportionment",
    "Ballot",
    "BlocLeverage",
    "CaucusAllocation",
    "DropRule",
    "EndorsementResult",
    "LotDraw",
    "WhatIfMove",
    "WhatIfResult",
    "allocate_delegates",
    "allocate_dfl",
    "allocate_fair_reflection",
    "allocate_iowa",
    "apportion",
    "bloc_leverage",
    "run_endorsement",
    "viability_number",
    "votes_needed",
    "what_if",
]
