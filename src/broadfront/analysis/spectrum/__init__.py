"""Where actors stand: the spectrum of allies, ideal points from roll calls, and who is moving.

- :mod:`.allies`: actors by stance (-3..+3) weighted by influence, and the "move one step"
  suggestions (Lakey 2011).
- :mod:`.ideal`: ideal points from yes/no votes by the EM algorithm of Imai, Lo and Olmsted
  (2016, APSR, doi:10.1017/S000305541600037X), with bootstrap intervals and anchor distances.
- :mod:`.realign`: positions per period linked through shared members, movement flags, and
  rolling agreement with anchors.
"""

from broadfront.analysis.spectrum.allies import (
    BANDS,
    STANCE_LABELS,
    Band,
    Spectrum,
    StepSuggestion,
    spectrum_of_allies,
)
from broadfront.analysis.spectrum.ideal import (
    HARD_MAX_BOOT,
    HARD_MAX_VOTE_CELLS,
    MAX_BOOT,
    MAX_BOOT_CELLS,
    MAX_VOTE_CELLS,
    AnchorDistances,
    IdealPoints,
    anchor_distances,
    fit_ideal_points,
    prepare_votes,
)
from broadfront.analysis.spectrum.realign import (
    Agreement,
    Move,
    PeriodLink,
    Realignment,
    agreement_rates,
    fit_periods,
    link_periods,
)

__all__ = [
    "BANDS",
    "HARD_MAX_BOOT",
    "HARD_MAX_VOTE_CELLS",
    "MAX_BOOT",
    "MAX_BOOT_CELLS",
    "MAX_VOTE_CELLS",
    "STANCE_LABELS",
    "Agreement",
    "AnchorDistances",
    "Band",
    "IdealPoints",
    "Move",
    "PeriodLink",
    "Realignment",
    "Spectrum",
    "StepSuggestion",
    "agreement_rates",
    "anchor_distances",
    "fit_ideal_points",
    "fit_periods",
    "link_periods",
    "prepare_votes",
    "spectrum_of_allies",
]
