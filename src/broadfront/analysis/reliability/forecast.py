"""Forecasts of what a coalition can really deliver: turnout of an event, delivery of a promise.

Turnout: each of the ``n`` people who RSVP'd attends with probability ``p_i`` (their posterior
mean show-up rate, from :func:`~broadfront.analysis.reliability.show_up_rates`). With the
attendances independent, the count who show up has the Poisson-binomial distribution, computed
exactly by multiplying the ``n`` generating polynomials ``(1 - p_i) + p_i z`` (directly for
small ``n``, by a balanced tree of FFT convolutions for large ``n``; Hong 2013 surveys the
methods). Averaging over each person's Beta posterior does not change a single Bernoulli trial,
so the posterior means are the exact inputs under independence; a shared shock (weather, a
cancelled bus) is not modelled and would widen the real spread.

Delivery: a new commitment's fulfilment is predicted from the partner's past fulfilments in
that unit mixed with the coalition's (the Blackwell-MacQueen / Dirichlet-process predictive,
Ferguson 1973): ``(kappa G0 + sum_j delta(f_j)) / (kappa + n)`` where ``G0`` is the
unit-wide empirical distribution and ``kappa`` the fitted prior weight of the delivered ratio.

References
----------
Hong, Y. (2013). On computing the distribution function for the Poisson binomial distribution.
*Computational Statistics & Data Analysis* 59, 41-51. DOI 10.1016/j.csda.2012.10.006.

Ferguson, T. S. (1973). A Bayesian analysis of some nonparametric problems. *The Annals of
Statistics* 1(2), 209-230. DOI 10.1214/aos/1176342360.

Blackwell, D., MacQueen, J. B. (1973). Ferguson distributions via Polya urn schemes. *The
Annals of Statistics* 1(2), 353-355. DOI 10.1214/aos/1176342372.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import fft as sp_fft

from broadfront.analysis._validation import as_rng, check_positive_int, check_probabilities
from broadfront.analysis.reliability._beta import check_level
from broadfront.analysis.reliability.commitments import KEPT, CommitmentReliability
from broadfront.analysis.reliability.showup import ShowUpRates
from broadfront.exceptions import TooLargeError, ValidationError

#: Largest number of RSVPs the exact Poisson-binomial computation accepts.
MAX_EXACT_RSVPS = 5_000_000
_DIRECT_LIMIT = 512


@dataclass(frozen=True, eq=False)
class TurnoutForecast:
    """Distribution of how many of the RSVPs will show up.

    Attributes
    ----------
    rsvps : int
        Number of RSVPs forecast.
    expected, sd : float
        Mean ``sum p_i`` and standard deviation ``sqrt(sum p_i (1 - p_i))``.
    p10, p50, p90 : int
        10th, 50th and 90th percentiles (smallest count whose cumulative probability reaches
        the level).
    pmf : ndarray of float
        ``pmf[k]`` = probability that exactly ``k`` show up (estimated from draws when
        ``method == "monte_carlo"``).
    method : str
        ``"exact"`` or ``"monte_carlo"``.
    draws : int
        Monte Carlo draws (0 for the exact method).
    """

    rsvps: int
    expected: float
    sd: float
    p10: int
    p50: int
    p90: int
    pmf: np.ndarray
    method: str
    draws: int

    def quantile(self, q: float) -> int:
        """Smallest count whose cumulative probability reaches ``q``."""
        return _quantile(np.cumsum(self.pmf), q)

    def interval(self, level: float) -> tuple[int, int]:
        """Central interval holding at least ``level`` of the probability."""
        level = check_level(level)
        cdf = np.cumsum(self.pmf)
        return _quantile(cdf, (1 - level) / 2), _quantile(cdf, (1 + level) / 2)


@dataclass(frozen=True)
class DeliveryForecast:
    """What a partner is likely to deliver on a new commitment.

    Attributes
    ----------
    partner, unit : str
    promised : float
        Quantity of the new promise.
    expected : float
        Expected delivery toward the promise (over-delivery is not counted).
    low, high : float
        Central predictive interval at ``level``.
    level : float
    p_full : float
        Probability that the promise is delivered in full (on time or late).
    p_kept : float
        Probability that it is delivered in full by its due date.
    history : int
        Scored commitments of this partner in this unit behind the forecast.
    prior_weight : float
        Weight (in commitments) of the coalition-wide record in the forecast.
    note : str
        Plain-words caveat when the partner's own record is thin (empty otherwise).
    """

    partner: str
    unit: str
    promised: float
    expected: float
    low: float
    high: float
    level: float
    p_full: float
    p_kept: float
    history: int
    prior_weight: float
    note: str


def poisson_binomial_pmf(probabilities: Sequence[float] | np.ndarray) -> np.ndarray:
    """Exact distribution of the number of successes among independent Bernoulli trials.

    ``pmf[k]`` is the coefficient of ``z**k`` in ``prod_i ((1 - p_i) + p_i z)``.

    Parameters
    ----------
    probabilities : array_like of float
        Success probability of each trial, in [0, 1].

    Returns
    -------
    ndarray of float
        Length ``n + 1``, summing to 1.

    Raises
    ------
    ValidationError
        If a probability is outside [0, 1] or not finite.
    TooLargeError
        If there are more than :data:`MAX_EXACT_RSVPS` trials.

    References
    ----------
    Hong, Y. (2013). On computing the distribution function for the Poisson binomial
    distribution. *Computational Statistics & Data Analysis* 59, 41-51.
    DOI 10.1016/j.csda.2012.10.006.

    Examples
    --------
    Two people who come with probability 1/2 and 1/4: nobody with 3/8, one with 1/2, both
    with 1/8.

    >>> poisson_binomial_pmf([0.5, 0.25]).tolist()
    [0.375, 0.5, 0.125]
    """
    p = _check_probabilities(probabilities)
    if p.size > MAX_EXACT_RSVPS:
        raise TooLargeError(
            f"{p.size} RSVPs exceed the exact limit of {MAX_EXACT_RSVPS}; "
            "use method='monte_carlo'")
    if p.size <= _DIRECT_LIMIT:
        return _pmf_direct(p)
    return _pmf_tree(p)


def forecast_turnout(
    probabilities: Sequence[float] | np.ndarray,
    *,
    method: Literal["exact", "monte_carlo"] = "exact",
    draws: int = 20_000,
    rng: int | np.random.Generator | None = None,
) -> TurnoutForecast:
    """Forecast how many of an event's RSVPs will show up (P10, P50, P90).

    The count is a sum of independent Bernoulli(``p_i``) trials: its distribution is the
    Poisson binomial (:func:`poisson_binomial_pmf`), or an estimate from ``draws`` simulated
    events with ``method="monte_carlo"``.

    Parameters
    ----------
    probabilities : array_like of float
        Show-up probability of each RSVP (see :func:`rsvp_probabilities`).
    method : {"exact", "monte_carlo"}
        Exact distribution (default) or simulation.
    draws : int
        Number of simulated events for Monte Carlo.
    rng : int or numpy.random.Generator, optional
        Seed or generator (Monte Carlo only).

    Returns
    -------
    TurnoutForecast

    Raises
    ------
    ValidationError
        On a probability outside [0, 1], an unknown method or a non-positive ``draws``.
    TooLargeError
        If the exact method would exceed :data:`MAX_EXACT_RSVPS`.

    References
    ----------
    Hong, Y. (2013). On computing the distribution function for the Poisson binomial
    distribution. *Computational Statistics & Data Analysis* 59, 41-51.
    DOI 10.1016/j.csda.2012.10.006.

    Examples
    --------
    Ten RSVPs who each come half the time: the median is 5, and P10/P90 are 3 and 7
    (``P(X <= 2) = 56/1024 < 0.1 <= P(X <= 3) = 176/1024``).

    >>> f = forecast_turnout([0.5] * 10)
    >>> f.expected, f.p10, f.p50, f.p90
    (5.0, 3, 5, 7)
    """
    p = _check_probabilities(probabilities)
    if method == "exact":
        pmf = poisson_binomial_pmf(p)
        n_draws = 0
    elif method == "monte_carlo":
        n_draws = check_positive_int(draws, "draws")
        pmf = _pmf_monte_carlo(p, n_draws, as_rng(rng))
    else:
        raise ValidationError(f"method must be 'exact' or 'monte_carlo', got {method!r}",
                              parameter="method")
    cdf = np.cumsum(pmf)
    return TurnoutForecast(
        rsvps=int(p.size),
        expected=float(p.sum()),
        sd=float(np.sqrt(np.sum(p * (1 - p)))),
        p10=_quantile(cdf, 0.1),
        p50=_quantile(cdf, 0.5),
        p90=_quantile(cdf, 0.9),
        pmf=pmf,
        method=method,
        draws=n_draws,
    )


def rsvp_probabilities(
    rates: ShowUpRates,
    groups: Sequence[Any] | np.ndarray,
    fallback: Sequence[float] | np.ndarray | float | None = None,
) -> np.ndarray:
    """Show-up probability of each RSVP from its group's (or person's) posterior mean.

    Parameters
    ----------
    rates : ShowUpRates
        Rates fitted on past events.
    groups : array_like
        Group (or person) label of each RSVP to the coming event.
    fallback : float or array_like, optional
        Probability for RSVPs whose group has no history (one value, or one per RSVP, for
        instance their organization's rate); default the prior mean of ``rates``.

    Returns
    -------
    ndarray of float

    Raises
    ------
    ValidationError
        If ``fallback`` is outside [0, 1] or has the wrong length.

    References
    ----------
    Gelman, A. et al. (2013). *Bayesian Data Analysis*, 3rd ed., CRC Press, section 5.3
    (posterior predictive of a new trial in a hierarchical Beta-Binomial model).

    Examples
    --------
    >>> from broadfront.analysis.reliability import beta_prior, show_up_rates
    >>> rates = show_up_rates(["ana", "ana", "ben"], [1, 1, 0], prior=beta_prior(1, 1))
    >>> rsvp_probabilities(rates, ["ana", "ben", "cleo"]).tolist()
    [0.75, 0.3333333333333333, 0.5]
    """
    labels = np.asarray(groups)
    idx = rates.lookup(labels)
    if fallback is None:
        fb = np.full(labels.shape, rates.prior.mean)
    else:
        given = np.asarray(fallback, dtype=float)
        if given.ndim == 0:
            fb = np.full(labels.shape, float(given))
        elif given.shape == labels.shape:
            fb = given
        else:
            raise ValidationError(
                f"fallback must be one number or one per RSVP ({labels.size}), got shape "
                f"{given.shape}", parameter="fallback")
        _check_probabilities(fb.reshape(-1), name="fallback")
    if len(rates) == 0:
        return fb.astype(float)
    return np.where(idx >= 0, rates.rate[np.maximum(idx, 0)], fb)


def forecast_delivery(
    reliability: CommitmentReliability,
    partner: str,
    unit: str,
    promised: float,
    *,
    level: float = 0.8,
) -> DeliveryForecast:
    """Forecast what a partner will deliver on a new commitment of ``promised`` units.

    The fulfilment ``f`` (share of the promise delivered, capped at 1) of the new commitment
    follows the Dirichlet-process predictive ``(kappa G0 + sum_j delta(f_j)) / (kappa + n)``:
    each of the partner's ``n`` scored commitments in this unit weighs 1 and the unit's
    coalition-wide record ``G0`` weighs ``kappa`` (the delivered-ratio prior's concentration).
    Delivery is ``promised * f``; its interval comes from the mixture's quantiles.

    Parameters
    ----------
    reliability : CommitmentReliability
        Result of :func:`commitment_reliability` on the ledger.
    partner, unit : str
        The partner and unit of the new commitment (an unknown partner gets the unit's
        coalition-wide record; an unknown unit gets the whole coalition's).
    promised : float
        Quantity promised (> 0).
    level : float
        Central predictive level (default 0.8: P10 to P90).

    Returns
    -------
    DeliveryForecast

    Raises
    ------
    ValidationError
        If ``promised`` is not positive, ``level`` is outside (0, 1) or the ledger has no
        scored commitment at all.

    References
    ----------
    Ferguson, T. S. (1973). A Bayesian analysis of some nonparametric problems. *The Annals of
    Statistics* 1(2), 209-230. DOI 10.1214/aos/1176342360.

    Blackwell, D., MacQueen, J. B. (1973). Ferguson distributions via Polya urn schemes. *The
    Annals of Statistics* 1(2), 353-355. DOI 10.1214/aos/1176342372.

    Examples
    --------
    >>> from broadfront.analysis.reliability import commitment_reliability
    >>> ledger = commitment_reliability(["A", "A", "B", "B"], ["doors"] * 4,
    ...     [100, 100, 100, 100], [100, 50, 100, 100], ["2024-05-01"] * 4,
    ...     ["2024-05-01"] * 4)
    >>> f = forecast_delivery(ledger, "A", "doors", 200)
    >>> f.history, f.low, f.high
    (2, 100.0, 200.0)
    """
    level = check_level(level)
    if not isinstance(promised, int | float) or not np.isfinite(promised) or promised <= 0:
        raise ValidationError(f"promised must be a positive number, got {promised!r}",
                              parameter="promised")
    scored = ~np.isnan(reliability.fulfilment)
    if not np.any(scored):
        raise ValidationError("the ledger has no scored commitment to forecast from",
                              parameter="reliability")
    cards = reliability.scorecards
    cell_ids = [i for i, c in enumerate(cards) if c.partner == partner and c.unit == unit]
    unit_cells = np.flatnonzero(reliability.unit_of_cell == unit)
    in_unit = np.isin(reliability.cell, unit_cells) & scored
    base = in_unit if np.any(in_unit) else scored
    own = scored & (reliability.cell == cell_ids[0]) if cell_ids else np.zeros_like(scored)
    kappa = float(reliability.ratio_prior.concentration)
    n_own = int(own.sum())
    n_base = int(base.sum())
    values = np.concatenate([reliability.fulfilment[own], reliability.fulfilment[base]])
    kept = np.concatenate([reliability.status[own] == KEPT, reliability.status[base] == KEPT])
    weights = np.concatenate([np.ones(n_own), np.full(n_base, kappa / n_base)])
    weights /= weights.sum()
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cdf = np.cumsum(w)
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    low = float(v[min(np.searchsorted(cdf, lo_q - 1e-12), v.size - 1)])
    high = float(v[min(np.searchsorted(cdf, hi_q - 1e-12), v.size - 1)])
    note = ""
    if n_own == 0:
        note = "no record for this partner and unit: this is the coalition-wide record"
    elif n_own < 5:
        note = (f"only {n_own} past commitment{'s' if n_own > 1 else ''}: "
                "the forecast leans on the coalition-wide record")
    return DeliveryForecast(
        partner=partner, unit=unit, promised=float(promised),
        expected=float(promised * np.sum(w * v)), low=promised * low, high=promised * high,
        level=level, p_full=float(np.sum(weights[values >= 1.0])),
        p_kept=float(np.sum(weights[kept])), history=n_own, prior_weight=kappa, note=note,
    )


# ----------------------------------------------------------------------------- private steps


def _check_probabilities(values: Any, name: str = "probabilities") -> np.ndarray:
    p = np.asarray(values, dtype=float)
    if p.ndim != 1:
        raise ValidationError(f"{name} must be one-dimensional, got shape {p.shape}",
                              parameter=name)
    return check_probabilities(p, name)


def _quantile(cdf: np.ndarray, q: float) -> int:
    return min(int(np.searchsorted(cdf, q - 1e-12, side="left")), cdf.size - 1)


def _pmf_direct(p: np.ndarray) -> np.ndarray:
    pmf = np.zeros(p.size + 1)
    pmf[0] = 1.0
    for i, pi in enumerate(p):
        pmf[1 : i + 2] = pmf[1 : i + 2] * (1.0 - pi) + pmf[0 : i + 1] * pi
        pmf[0] *= 1.0 - pi
    return pmf


def _pmf_tree(p: np.ndarray) -> np.ndarray:
    n = p.size
    size = 1 << int(np.ceil(np.log2(n)))
    polys = np.zeros((size, 2))
    polys[:, 0] = 1.0
    polys[:n, 0] = 1.0 - p
    polys[:n, 1] = p
    while polys.shape[0] > 1:
        a, b = polys[0::2], polys[1::2]
        length = a.shape[1]
        out_len = 2 * length - 1
        if length <= 32:
            out = np.zeros((a.shape[0], out_len))
            for j in range(length):
                out[:, j : j + length] += a[:, j : j + 1] * b
        else:
            nfft = sp_fft.next_fast_len(out_len, real=True)
            prod = sp_fft.rfft(a, nfft, axis=1) * sp_fft.rfft(b, nfft, axis=1)
            out = sp_fft.irfft(prod, nfft, axis=1)[:, :out_len]
            np.maximum(out, 0.0, out=out)
        polys = out
    pmf = polys[0, : n + 1]
    return pmf / pmf.sum()


def _pmf_monte_carlo(p: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    counts = np.empty(draws, dtype=np.int64)
    chunk = max(1, int(2_000_000 // max(p.size, 1)))
    for start in range(0, draws, chunk):
        stop = min(draws, start + chunk)
        counts[start:stop] = (rng.random((stop - start, p.size)) < p).sum(axis=1)
    return np.bincount(counts, minlength=p.size + 1) / draws
