"""Reliability and capacity of a coalition: show-up rates, commitments, forecasts and credit.

Pure engine (numpy and scipy, no Django). Show-up rates and commitment records use
Beta-Binomial empirical Bayes (Casella 1985; Gelman et al. 2013, section 5.3) with optional
recency weighting (a power prior, Ibrahim and Chen 2000); turnout forecasts use the exact
Poisson-binomial distribution (Hong 2013); delivery forecasts the Dirichlet-process predictive
(Ferguson 1973); credit for wins an additive (Shapley 1953) rule with settlement bounds.
See docs/reliability.md.
"""

from broadfront.analysis.reliability._beta import BetaPrior, beta_prior, fit_beta_prior
from broadfront.analysis.reliability.capability import CapabilityMatrix, capability_matrix
from broadfront.analysis.reliability.commitments import (
    STATUSES,
    CommitmentReliability,
    CommitmentScorecard,
    commitment_reliability,
    commitment_status,
)
from broadfront.analysis.reliability.credit import (
    CONTRIBUTION_STATUSES,
    CreditResult,
    CreditShare,
    credit_for_win,
)
from broadfront.analysis.reliability.forecast import (
    DeliveryForecast,
    TurnoutForecast,
    forecast_delivery,
    forecast_turnout,
    poisson_binomial_pmf,
    rsvp_probabilities,
)
from broadfront.analysis.reliability.showup import (
    ShowUpRate,
    ShowUpRates,
    recency_weights,
    show_up_rates,
)

__all__ = [
    "CONTRIBUTION_STATUSES",
    "STATUSES",
    "BetaPrior",
    "CapabilityMatrix",
    "CommitmentReliability",
    "CommitmentScorecard",
    "CreditResult",
    "CreditShare",
    "DeliveryForecast",
    "ShowUpRate",
    "ShowUpRates",
    "TurnoutForecast",
    "beta_prior",
    "capability_matrix",
    "commitment_reliability",
    "commitment_status",
    "credit_for_win",
    "fit_beta_prior",
    "forecast_delivery",
    "forecast_turnout",
    "poisson_binomial_pmf",
    "recency_weights",
    "rsvp_probabilities",
    "show_up_rates",
]
