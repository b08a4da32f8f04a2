"""Empirical-Bayes Beta-Binomial machinery shared by show-up rates and commitment scores.

Each group ``i`` has ``k_i`` successes in ``n_i`` trials (possibly fractional, after recency
weighting). Its true rate ``p_i`` is modelled as a draw from a Beta prior with mean ``m_i`` and
concentration ``kappa = alpha + beta``; the prior is fitted from all groups together, either by
the method of moments (the overdispersion estimator of Kleinman 1973, as used by Casella 1985)
or by maximising the Beta-Binomial marginal likelihood (Gelman et al., BDA3 section 5.3).
The posterior of ``p_i`` is then ``Beta(m_i kappa + k_i, (1 - m_i) kappa + n_i - k_i)``.

References
----------
Casella, G. (1985). An introduction to empirical Bayes data analysis. *The American
Statistician* 39(2), 83-87. DOI 10.1080/00031305.1985.10479400.

Kleinman, J. C. (1973). Proportions with extraneous variance: single and independent samples.
*Journal of the American Statistical Association* 68(341), 46-54.
DOI 10.1080/01621459.1973.10481332.

Gelman, A., Carlin, J. B., Stern, H. S., Dunson, D. B., Vehtari, A., Rubin, D. B. (2013).
*Bayesian Data Analysis*, 3rd ed., CRC Press, section 5.3. ISBN 978-1439840955.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import optimize, special

from broadfront.exceptions import ValidationError

PriorMethod = Literal["mle", "moments"]

#: Smallest concentration a fitted prior may take (a prior this weak barely shrinks).
MIN_CONCENTRATION = 1e-2


@dataclass(frozen=True)
class BetaPrior:
    """A Beta prior for group rates, fitted from the groups themselves (empirical Bayes).

    Attributes
    ----------
    mean : float
        Prior mean (the pooled rate, or the trial-weighted average of the per-group targets
        when each group is shrunk toward its own target).
    concentration : float
        ``alpha + beta``: how many trials' worth of weight the prior carries.
    alpha, beta : float
        ``mean * concentration`` and ``(1 - mean) * concentration``.
    method : str
        ``"mle"`` (marginal maximum likelihood), ``"moments"``, ``"given"``, or
        ``"jeffreys"`` (Beta(1/2, 1/2), used when a single group leaves nothing to pool).
    capped : bool
        True when the groups showed no spread beyond chance and the concentration was capped at
        the total number of trials (the estimate then pools almost fully).
    """

    mean: float
    concentration: float
    alpha: float
    beta: float
    method: str
    capped: bool = False


def beta_prior(alpha: float, beta: float) -> BetaPrior:
    """Build a :class:`BetaPrior` from its two shape parameters (both must be > 0).

    Parameters
    ----------
    alpha, beta : float
        Shape parameters of the Beta distribution.

    Returns
    -------
    BetaPrior
        With ``method="given"``.

    Raises
    ------
    ValidationError
        If either parameter is not a finite positive number.

    References
    ----------
    Gelman, A. et al. (2013). *Bayesian Data Analysis*, 3rd ed., CRC Press, section 2.4.

    Examples
    --------
    >>> beta_prior(2.0, 6.0).mean
    0.25
    """
    for name, value in (("alpha", alpha), ("beta", beta)):
        if not isinstance(value, int | float) or not np.isfinite(value) or value <= 0:
            raise ValidationError(
                f"prior {name} must be a positive number, got {value!r}", parameter="prior"
            )
    return BetaPrior(
        mean=alpha / (alpha + beta),
        concentration=float(alpha + beta),
        alpha=float(alpha),
        beta=float(beta),
        method="given",
    )


def fit_beta_prior(
    successes: np.ndarray | list[float],
    trials: np.ndarray | list[float],
    *,
    method: PriorMethod = "mle",
    target: np.ndarray | float | None = None,
) -> BetaPrior:
    """Fit a Beta prior to per-group success counts (empirical Bayes).

    With ``target=None`` both the mean ``m`` and the concentration ``kappa`` are fitted. The
    method of moments takes ``m`` as the pooled rate ``K / N`` and solves
    ``E[S] = m(1-m)[(G-1) + rho (N - sum n_i^2 / N)]`` for the intra-group correlation
    ``rho = 1 / (kappa + 1)``, where ``S = sum (k_i - n_i m)^2 / n_i`` and ``G`` counts the
    groups with trials. Marginal maximum likelihood maximises
    ``sum_i log B(k_i + m kappa, n_i - k_i + (1-m) kappa) - log B(m kappa, (1-m) kappa)``.
    With ``target`` given (one mean per group, e.g. each person's organization rate) only
    ``kappa`` is fitted. When the groups show no spread beyond chance, ``kappa`` is capped at
    the total number of trials ``N``; both shapes are kept at or above 1/2 (Jeffreys' prior)
    so a group with no successes still gets a proper interval; a single group gets Jeffreys'
    Beta(1/2, 1/2).

    Parameters
    ----------
    successes, trials : array_like of float
        Per-group counts (``0 <= successes <= trials``); fractional counts are allowed.
    method : {"mle", "moments"}
        How to fit the prior.
    target : float or array_like, optional
        Prior mean for every group (or one per group); fitted from the data when omitted.

    Returns
    -------
    BetaPrior
        ``mean`` is the fitted (or trial-weighted target) mean.

    Raises
    ------
    ValidationError
        If counts are negative, ``successes > trials``, shapes differ, there are no trials,
        or ``method`` is unknown.

    References
    ----------
    Casella, G. (1985). An introduction to empirical Bayes data analysis. *The American
    Statistician* 39(2), 83-87. DOI 10.1080/00031305.1985.10479400.

    Kleinman, J. C. (1973). Proportions with extraneous variance. *JASA* 68(341), 46-54.
    DOI 10.1080/01621459.1973.10481332.

    Examples
    --------
    Three groups that all show up exactly half the time show no extra spread, so the prior is
    centred on 1/2 and capped at the 30 trials observed:

    >>> prior = fit_beta_prior([5, 5, 5], [10, 10, 10], method="moments")
    >>> prior.mean, prior.concentration, prior.capped
    (0.5, 30.0, True)
    """
    k, n = _check_counts(successes, trials)
    if method not in ("mle", "moments"):
        raise ValidationError(
            f"method must be 'mle' or 'moments', got {method!r}", parameter="method"
        )
    has = n > 0
    k, n = k[has], n[has]
    total = float(n.sum())
    if has.sum() == 1 and target is None:  # one group: nothing to pool, use Jeffreys' prior
        return BetaPrior(mean=0.5, concentration=1.0, alpha=0.5, beta=0.5, method="jeffreys")
    if total <= 0:
        raise ValidationError("no trials to fit a prior from (every count is zero)",
                              parameter="trials")
    cap = max(total, 1.0)
    if target is None:
        # a pooled rate of exactly 0 or 1 would make a degenerate prior: keep it half a
        # trial away from the edge (as a Jeffreys prior on the pooled rate would)
        edge = 0.5 / (total + 1.0)
        m_pooled = min(max(float(k.sum() / total), edge), 1 - edge)
        kappa = _kappa_moments_pooled(k, n, m_pooled, cap)
        if method == "mle":
            m_pooled, kappa = _mle_joint(k, n, m_pooled, kappa, cap, edge)
        mean = m_pooled
    else:
        t = np.asarray(target, dtype=float)
        if t.ndim == 0:
            m = np.full(k.shape, float(t))
        elif t.shape == has.shape:
            m = t[has]
        else:
            raise ValidationError(
                f"target must be one number or one per group ({has.size}), got shape {t.shape}",
                parameter="target")
        if m.size and (not np.all(np.isfinite(m)) or np.any((m <= 0) | (m >= 1))):
            raise ValidationError("target means must lie strictly between 0 and 1",
                                  parameter="target")
        kappa = _kappa_moments_known(k, n, m, cap)
        if method == "mle":
            kappa = _mle_kappa(k, n, m, kappa, cap)
        mean = float(np.sum(n * m) / total)
    capped = bool(kappa >= cap * (1 - 1e-9))
    # never more U-shaped than Jeffreys' Beta(1/2, 1/2): both shapes stay >= 1/2, so a group
    # with no successes still gets a proper, finite interval
    floor = 0.5 / min(mean, 1.0 - mean)
    kappa = max(kappa, floor)
    return BetaPrior(
        mean=float(mean),
        concentration=float(kappa),
        alpha=float(mean * kappa),
        beta=float((1 - mean) * kappa),
        method=method,
        capped=capped,
    )


def posterior_interval(
    alpha: np.ndarray, beta: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed credible interval of Beta(alpha, beta) distributions (vectorized)."""
    tail = (1.0 - level) / 2.0
    a = np.asarray(alpha, dtype=float)
    b = np.asarray(beta, dtype=float)
    inverse = None
    if a.ndim == 1 and a.size > 1000 and _repetitive(a + 1j * b):
        # many groups share (alpha, beta): invert each pair once
        keys, inverse = np.unique(a + 1j * b, return_inverse=True)
        if keys.size < 0.5 * a.size:
            a, b = keys.real, keys.imag
        else:
            inverse = None
    low = np.asarray(special.betaincinv(a, b, tail), dtype=float)
    high = np.asarray(special.betaincinv(a, b, 1.0 - tail), dtype=float)
    if inverse is not None:
        low, high = low[inverse.reshape(-1)], high[inverse.reshape(-1)]
    return low, high


def _repetitive(keys: np.ndarray) -> bool:
    """Whether a sample of ``keys`` repeats enough for de-duplication to pay off."""
    sample = keys[:: max(1, keys.size // 2000)]
    return bool(np.unique(sample).size < 0.5 * sample.size)


def check_level(level: float, name: str = "level") -> float:
    """Check a credible level lies strictly between 0 and 1."""
    if not isinstance(level, int | float) or not 0.0 < float(level) < 1.0:
        raise ValidationError(f"{name} must be strictly between 0 and 1, got {level!r}",
                              parameter=name)
    return float(level)


# ----------------------------------------------------------------------------- private steps


def _check_counts(successes: object, trials: object) -> tuple[np.ndarray, np.ndarray]:
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if k.shape != n.shape or k.ndim != 1:
        raise ValidationError(
            f"successes and trials must be 1-D arrays of one length, got shapes {k.shape} and "
            f"{n.shape}", parameter="successes")
    if k.size and (not np.all(np.isfinite(k)) or not np.all(np.isfinite(n))):
        raise ValidationError("counts must be finite", parameter="successes")
    if np.any(k < 0) or np.any(n < 0):
        raise ValidationError("counts must be non-negative", parameter="successes")
    if np.any(k > n * (1 + 1e-12) + 1e-12):
        i = int(np.argmax(k > n * (1 + 1e-12) + 1e-12))
        raise ValidationError(
            f"successes must not exceed trials (group {i}: {k[i]!r} > {n[i]!r})",
            parameter="successes")
    return np.minimum(k, n), n


def _rho_to_kappa(rho: float, cap: float) -> float:
    if not np.isfinite(rho) or rho <= 1.0 / (cap + 1.0):
        return cap
    return float(min(max(1.0 / rho - 1.0, MIN_CONCENTRATION), cap))


def _kappa_moments_pooled(k: np.ndarray, n: np.ndarray, m: float, cap: float) -> float:
    total = n.sum()
    groups = n.size
    s = float(np.sum((k - n * m) ** 2 / n))
    denom = total - groups + 1.0 - float(np.sum(n * n)) / total
    if denom <= 1e-12:
        return cap
    rho = (s / (m * (1 - m)) - (groups - 1)) / denom
    return _rho_to_kappa(rho, cap)


def _kappa_moments_known(k: np.ndarray, n: np.ndarray, m: np.ndarray, cap: float) -> float:
    v = m * (1 - m)
    denom = float(np.sum(v * (n - 1)))
    if denom <= 1e-12:
        return cap
    rho = float(np.sum((k - n * m) ** 2 / n - v)) / denom
    return _rho_to_kappa(rho, cap)


def _loglik(k: np.ndarray, n: np.ndarray, m: np.ndarray | float, kappa: float) -> float:
    a = m * kappa
    b = (1 - m) * kappa
    return float(np.sum(special.betaln(k + a, n - k + b) - special.betaln(a, b)))


def _compress(k: np.ndarray, n: np.ndarray, m: np.ndarray | None = None):
    """Collapse identical (k, n[, m]) groups; returns the unique rows and their multiplicity."""
    cols = [k, n] if m is None else [k, n, m]
    stacked = np.stack(cols, axis=1)
    uniq, counts = np.unique(stacked, axis=0, return_counts=True)
    if uniq.shape[0] > 0.7 * stacked.shape[0]:
        return cols, np.ones(k.size)
    return [uniq[:, j] for j in range(len(cols))], counts.astype(float)


def _mle_joint(
    k: np.ndarray, n: np.ndarray, m0: float, kappa0: float, cap: float, edge: float
) -> tuple[float, float]:
    (ku, nu), w = _compress(k, n)
    lo, hi = np.log(MIN_CONCENTRATION), np.log(cap)

    def negll(x: np.ndarray) -> tuple[float, np.ndarray]:
        m = special.expit(x[0])
        kappa = np.exp(x[1])
        a, b = m * kappa, (1 - m) * kappa
        ll = np.sum(w * (special.betaln(ku + a, nu - ku + b) - special.betaln(a, b)))
        # d/da and d/db of the log marginal likelihood
        psi_ab = special.digamma(a + b)
        psi_nab = special.digamma(nu + a + b)
        da = np.sum(w * (special.digamma(ku + a) - psi_nab - special.digamma(a) + psi_ab))
        db = np.sum(w * (special.digamma(nu - ku + b) - psi_nab - special.digamma(b) + psi_ab))
        dm = kappa * (da - db) * m * (1 - m)
        dk = (m * da + (1 - m) * db) * kappa
        return -float(ll), -np.array([dm, dk])

    x0 = np.array([special.logit(m0), np.clip(np.log(kappa0), lo, hi)])
    res = optimize.minimize(negll, x0, jac=True, method="L-BFGS-B",
                            bounds=[(special.logit(edge), special.logit(1 - edge)), (lo, hi)])
    x = res.x if res.fun <= negll(x0)[0] else x0
    return float(special.expit(x[0])), float(np.exp(x[1]))


def _mle_kappa(k: np.ndarray, n: np.ndarray, m: np.ndarray, kappa0: float, cap: float) -> float:
    (ku, nu, mu), w = _compress(k, n, m)
    lo, hi = np.log(MIN_CONCENTRATION), np.log(cap)

    def negll(y: float) -> float:
        kappa = np.exp(y)
        a, b = mu * kappa, (1 - mu) * kappa
        return -float(np.sum(w * (special.betaln(ku + a, nu - ku + b) - special.betaln(a, b))))

    res = optimize.minimize_scalar(negll, bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-6})
    best = float(res.x)
    y0 = float(np.clip(np.log(kappa0), lo, hi))
    for y in (y0, hi):  # keep the moment start or the cap if the search missed the edge
        if negll(y) < negll(best):
            best = y
    return float(np.exp(best))
