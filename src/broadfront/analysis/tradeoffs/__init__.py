"""Decisions and trade-offs: who bears the downside, who gets the upside, how we decide together.

* :mod:`~broadfront.analysis.tradeoffs.impacts`: the options x constituencies impact matrix,
  expected net effects, dominance, the worst-off constituency and a prioritarian score
  (Kolm 1976, doi:10.1016/0022-0531(76)90037-5).
* :mod:`~broadfront.analysis.tradeoffs.rules`: consent, majority, supermajority, approval,
  score, instant runoff and Condorcet (via pref_voting, doi:10.21105/joss.07020), members and
  leaders counted apart and combined, quorum.
* :mod:`~broadfront.analysis.tradeoffs.review`: expected against actual impacts, and
  calibration over many reviews (Brier 1950).
* :mod:`~broadfront.analysis.tradeoffs.document`: the JSON decision document of
  ``broadfront decide``.
"""

from broadfront.analysis.tradeoffs.document import DecisionReport, decide, report_to_dict
from broadfront.analysis.tradeoffs.impacts import (
    HARD_MAX_CONSTITUENCIES,
    MAX_CONSTITUENCIES,
    ImpactCell,
    ImpactSummary,
    OptionImpact,
    impact_arrays,
    prioritarian_transform,
    summarize_impacts,
)
from broadfront.analysis.tradeoffs.review import (
    CalibrationReport,
    ConstituencyCalibration,
    ConstituencyReview,
    DecisionReview,
    Outcome,
    calibrate,
    review_outcome,
)
from broadfront.analysis.tradeoffs.rules import (
    COMBINES,
    COUNT_LABELS,
    HARD_MAX_BALLOTS,
    HARD_MAX_OPTIONS,
    MAX_BALLOTS,
    MAX_OPTIONS,
    MAX_RANKED_WORK,
    POSITIONS,
    ROLES,
    RULES,
    Ballot,
    DecisionResult,
    Objection,
    Quorum,
    Tally,
    check_sizes,
    tally_ballots,
)

__all__ = [
    "HARD_MAX_BALLOTS",
    "HARD_MAX_CONSTITUENCIES",
    "HARD_MAX_OPTIONS",
    "MAX_BALLOTS",
    "MAX_CONSTITUENCIES",
    "MAX_OPTIONS",
    "MAX_RANKED_WORK",
    "check_sizes",
    "COMBINES",
    "COUNT_LABELS",
    "POSITIONS",
    "ROLES",
    "RULES",
    "Ballot",
    "CalibrationReport",
    "ConstituencyCalibration",
    "ConstituencyReview",
    "DecisionReport",
    "DecisionResult",
    "DecisionReview",
    "ImpactCell",
    "ImpactSummary",
    "Objection",
    "OptionImpact",
    "Outcome",
    "Quorum",
    "Tally",
    "calibrate",
    "decide",
    "impact_arrays",
    "prioritarian_transform",
    "report_to_dict",
    "review_outcome",
    "summarize_impacts",
    "tally_ballots",
]
