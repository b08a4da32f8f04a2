"""Show-up rates: who comes when they say they will, shrunk toward the coalition-wide rate.

Each RSVP is a Bernoulli trial (did the person who said "yes" attend?). A group's rate (a
person, squad, organization or event type) gets a Beta prior fitted from all groups together
(empirical Bayes: Casella 1985; Gelman et al. 2013, section 5.3), so a partner seen at three
events is pulled toward the pooled rate instead of being rated 100% or 0%. Older events can be
down-weighted with a half-life: an RSVP ``d`` days old counts ``0.5 ** (d / half_life)`` of a
trial in its group's posterior, which is a power prior on past data (Ibrahim and Chen 2000);
the Beta prior itself is fitted on the unweighted counts.

References
----------
Casella, G. (1985). An introduction to empirical Bayes data analysis. *The American
Statistician* 39(2), 83-87. DOI 10.1080/00031305.1985.10479400.

Gelman, A. et al. (2013). *Bayesian Data Analysis*, 3rd ed., CRC Press, section 5.3.

Ibrahim, J. G., Chen, M.-H. (2000). Power prior distributions for regression models.
*Statistical Science* 15(1), 46-60. DOI 10.1214/ss/1009212673.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from broadfront.analysis.reliability._arrays import (
    DateLike,
    as_day,
    as_days,
    as_float,
    as_labels,
    factorize,
)
from broadfront.analysis.reliability._beta import (
    BetaPrior,
    PriorMethod,
    check_level,
    fit_beta_prior,
    posterior_interval,
)
from broadfront.exceptions import ValidationError

#: Below this many RSVPs a group's rate is flagged as leaning on the pooled rate.
SMALL_SAMPLE_RSVPS = 10


@dataclass(frozen=True)
class ShowUpRate:
    """One group's show-up rate, ready for a scorecard.

    Attributes
    ----------
    group : str or int
        The group label (person, squad, organization, event type).
    rsvps, attended : int
        RSVPs counted (dated on or before ``as_of``) and how many of them attended.
    raw_rate : float
        ``attended / rsvps`` (NaN without RSVPs).
    rate, low, high : float
        Posterior mean and equal-tailed credible interval.
    note : str
        A plain-words warning when the sample is small (empty otherwise).
    """

    group: Any
    rsvps: int
    attended: int
    raw_rate: float
    rate: float
    low: float
    high: float
    note: str


@dataclass(frozen=True, eq=False)
class ShowUpRates:
    """Show-up rates of every group, as arrays aligned with ``groups`` (sorted labels).

    Attributes
    ----------
    groups : ndarray
        Sorted unique group labels.
    rsvps, attended : ndarray of int
        Raw counts per group.
    weighted_rsvps, weighted_attended : ndarray of float
        The same after recency weighting (equal to the raw counts without a half-life).
    raw_rate, rate, low, high : ndarray of float
        Raw rate, posterior mean and credible interval per group.
    posterior_alpha, posterior_beta : ndarray of float
        Beta posterior parameters per group.
    prior : BetaPrior
        The fitted (or given) prior.
    pooled_rate : float
        Coalition-wide raw rate ``sum attended / sum rsvps``.
    level : float
        Credible level of ``low``/``high``.
    half_life_days : float or None
        Recency half-life used.
    as_of : numpy.datetime64 or None
        Date the weights were computed at (rows after it were left out).
    """

    groups: np.ndarray
    rsvps: np.ndarray
    attended: np.ndarray
    weighted_rsvps: np.ndarray
    weighted_attended: np.ndarray
    raw_rate: np.ndarray
    rate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    posterior_alpha: np.ndarray
    posterior_beta: np.ndarray
    prior: BetaPrior
    pooled_rate: float
    level: float
    half_life_days: float | None
    as_of: np.datetime64 | None

    def __len__(self) -> int:
        return int(self.groups.size)

    def notes(self) -> list[str]:
        """Plain-words small-sample notes, one per group (empty string when none)."""
        return [_note(int(n)) for n in self.rsvps]

    def records(self) -> list[ShowUpRate]:
        """One :class:`ShowUpRate` per group, in the order of ``groups``."""
        return [
            ShowUpRate(
                group=g.item() if hasattr(g, "item") else g,
                rsvps=int(n), attended=int(k), raw_rate=float(r), rate=float(m),
                low=float(lo), high=float(hi), note=note,
            )
            for g, n, k, r, m, lo, hi, note in zip(
                self.groups, self.rsvps, self.attended, self.raw_rate, self.rate, self.low,
                self.high, self.notes(), strict=True,
            )
        ]

    def lookup(self, labels: Sequence[Any] | np.ndarray) -> np.ndarray:
        """Index of each label in ``groups`` (-1 when the group is unknown)."""
        arr = np.asarray(labels)
        if self.groups.size == 0:
            return np.full(arr.shape, -1, dtype=np.int64)
        try:
            pos = np.searchsorted(self.groups, arr)
        except TypeError:
            pos = np.searchsorted(self.groups.astype(str), arr.astype(str))
        pos = np.clip(pos, 0, self.groups.size - 1)
        found = self.groups[pos] == arr
        return np.where(found, pos, -1).astype(np.int64)


def recency_weights(
    dates: Sequence[DateLike] | np.ndarray,
    *,
    as_of: DateLike,
    half_life_days: float,
) -> np.ndarray:
    """Weight of each dated record: ``0.5 ** (age_days / half_life_days)``.

    Records dated after ``as_of`` get weight 0 (they had not happened yet); records on
    ``as_of`` weigh 1.

    Parameters
    ----------
    dates : array_like of dates
        ISO strings, ``datetime.date`` or ``datetime64`` values.
    as_of : date
        The date at which ages are measured.
    half_life_days : float
        Age (days) at which a record counts half.

    Returns
    -------
    ndarray of float
        Weights in [0, 1].

    Raises
    ------
    ValidationError
        If a date cannot be read or the half-life is not positive.

    References
    ----------
    Ibrahim, J. G., Chen, M.-H. (2000). Power prior distributions for regression models.
    *Statistical Science* 15(1), 46-60. DOI 10.1214/ss/1009212673.

    Examples
    --------
    >>> recency_weights(["2024-03-01", "2024-01-31", "2024-03-02"], as_of="2024-03-01",
    ...                 half_life_days=30).tolist()
    [1.0, 0.5, 0.0]
    """
    _check_half_life(half_life_days)
    day = as_day(as_of, "as_of")
    arr = np.asarray(dates)
    days = as_days(arr, "dates", arr.shape[0] if arr.ndim else 0)
    age = (day - days).astype(np.int64).astype(float)
    weights = np.power(0.5, np.maximum(age, 0.0) / float(half_life_days))
    weights[age < 0] = 0.0
    return weights


def show_up_rates(
    groups: Sequence[Any] | np.ndarray,
    attended: Sequence[float] | np.ndarray,
    rsvps: Sequence[float] | np.ndarray | None = None,
    dates: Sequence[DateLike] | np.ndarray | None = None,
    *,
    as_of: DateLike | None = None,
    half_life_days: float | None = None,
    target: Sequence[float] | np.ndarray | None = None,
    prior: PriorMethod | BetaPrior = "mle",
    level: float = 0.9,
    intervals: bool = True,
) -> ShowUpRates:
    """Show-up rate per group with Beta-Binomial empirical-Bayes shrinkage.

    Rows are RSVP records or aggregates: row ``j`` says that ``rsvps[j]`` people of group
    ``groups[j]`` said yes to an event dated ``dates[j]`` and ``attended[j]`` of them came
    (one row per RSVP, ``rsvps`` omitted, works too; so does one row per group and date from a
    database ``GROUP BY``). With weights ``w_j`` (1, or ``0.5 ** (age / half_life)``) a group
    has ``n = sum w_j rsvps_j`` and ``k = sum w_j attended_j``; with the prior
    ``Beta(alpha, beta)`` its rate's posterior is ``Beta(alpha + k, beta + n - k)``, whose
    mean ``(alpha + k) / (alpha + beta + n)`` is the reported ``rate``.

    Parameters
    ----------
    groups : array_like
        Group label of each row (strings or integers).
    attended : array_like of float
        How many of the row's RSVPs attended (0/1 or booleans for single RSVPs).
    rsvps : array_like of float, optional
        RSVPs in the row (default 1 per row).
    dates : array_like of dates, optional
        Event date of each row; needed for ``half_life_days``.
    as_of : date, optional
        Date of the analysis (default: the latest date). Rows dated later are left out.
    half_life_days : float, optional
        Recency half-life in days (no down-weighting when omitted).
    target : array_like of float, optional
        Per-row prior mean to shrink toward instead of the pooled rate (for instance the
        organization's own rate when the groups are its people); a group's target is the
        RSVP-weighted mean of its rows' targets. Only the prior's concentration is fitted.
    prior : {"mle", "moments"} or BetaPrior
        How to fit the prior (marginal maximum likelihood or method of moments), or a fixed one.
    level : float
        Credible level of the interval (default 0.9: from the 5th to the 95th percentile).
    intervals : bool
        Compute the credible intervals (default). Inverting the Beta distribution is the
        costly step for hundreds of thousands of groups; pass False when only the posterior
        means are needed (a turnout forecast), and ``low``/``high`` are NaN.

    Returns
    -------
    ShowUpRates
        Arrays aligned with the sorted unique groups; ``records()`` gives plain rows.

    Raises
    ------
    ValidationError
        On mismatched lengths, negative counts, ``attended > rsvps`` in a group, unreadable
        dates, a half-life without dates or a bad level.

    References
    ----------
    Casella, G. (1985). An introduction to empirical Bayes data analysis. *The American
    Statistician* 39(2), 83-87. DOI 10.1080/00031305.1985.10479400.

    Gelman, A. et al. (2013). *Bayesian Data Analysis*, 3rd ed., CRC Press, section 5.3.

    Examples
    --------
    With a fixed Beta(2, 2) prior, a partner whose 3 RSVPs all came is rated
    (2 + 3) / (4 + 3) = 5/7, not 100%:

    >>> from broadfront.analysis.reliability import beta_prior
    >>> r = show_up_rates(["a", "a", "a"], [1, 1, 1], prior=beta_prior(2, 2))
    >>> round(float(r.rate[0]), 4), int(r.rsvps[0])
    (0.7143, 3)
    """
    level = check_level(level)
    labels = as_labels(groups, "groups")
    size = labels.shape[0]
    shows = as_float(attended, "attended", size)
    trials = np.ones(size) if rsvps is None else as_float(rsvps, "rsvps", size)
    keep = np.ones(size, dtype=bool)
    weights = np.ones(size)
    day = as_day(as_of, "as_of")
    if dates is not None:
        days = as_days(dates, "dates", size)
        if day is None and size:
            day = days.max()
        if day is not None:
            keep = days <= day
        if half_life_days is not None:
            _check_half_life(half_life_days)
            age = (day - days).astype(np.int64).astype(float)
            weights = np.power(0.5, np.maximum(age, 0.0) / float(half_life_days))
    elif half_life_days is not None:
        raise ValidationError("half_life_days needs the dates of the events",
                              parameter="half_life_days")
    weights = np.where(keep, weights, 0.0)
    uniq, codes = factorize(labels)
    n_groups = uniq.size
    raw_n = np.bincount(codes, weights=np.where(keep, trials, 0.0), minlength=n_groups)
    raw_k = np.bincount(codes, weights=np.where(keep, shows, 0.0), minlength=n_groups)
    if np.any(raw_k > raw_n + 1e-9):
        i = int(np.argmax(raw_k > raw_n + 1e-9))
        raise ValidationError(
            f"attended must not exceed rsvps: group {uniq[i]!r} has {raw_k[i]:g} attended "
            f"of {raw_n[i]:g} RSVPs", parameter="attended")
    w_n = np.bincount(codes, weights=weights * trials, minlength=n_groups)
    w_k = np.minimum(np.bincount(codes, weights=weights * shows, minlength=n_groups), w_n)

    group_target = None
    if target is not None:
        row_target = as_float(target, "target", size)
        tw = np.bincount(codes, weights=trials, minlength=n_groups)
        tsum = np.bincount(codes, weights=trials * row_target, minlength=n_groups)
        counts = np.bincount(codes, minlength=n_groups)
        plain = np.bincount(codes, weights=row_target, minlength=n_groups)
        group_target = np.where(tw > 0, tsum / np.where(tw > 0, tw, 1.0),
                                plain / np.maximum(counts, 1))
        group_target = np.clip(group_target, 1e-6, 1 - 1e-6)

    # The prior describes how rates spread across groups: it is fitted on the unweighted
    # counts (down-weighted trials would look like binomial noise and hide that spread);
    # recency weights then discount old evidence inside each group's posterior.
    fitted = _resolve_prior(prior, raw_k, raw_n, group_target)
    if group_target is None:
        a0 = np.full(n_groups, fitted.alpha)
        b0 = np.full(n_groups, fitted.beta)
    else:
        a0 = group_target * fitted.concentration
        b0 = (1 - group_target) * fitted.concentration
    post_a = a0 + w_k
    post_b = b0 + (w_n - w_k)
    if intervals:
        low, high = posterior_interval(post_a, post_b, level)
    else:
        low = high = np.full(n_groups, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_rate = np.where(raw_n > 0, raw_k / np.where(raw_n > 0, raw_n, 1.0), np.nan)
    total_n = float(raw_n.sum())
    return ShowUpRates(
        groups=uniq,
        rsvps=np.rint(raw_n).astype(np.int64),
        attended=np.rint(raw_k).astype(np.int64),
        weighted_rsvps=w_n,
        weighted_attended=w_k,
        raw_rate=raw_rate,
        rate=post_a / (post_a + post_b),
        low=low,
        high=high,
        posterior_alpha=post_a,
        posterior_beta=post_b,
        prior=fitted,
        pooled_rate=float(raw_k.sum() / total_n) if total_n > 0 else float("nan"),
        level=level,
        half_life_days=None if half_life_days is None else float(half_life_days),
        as_of=day,
    )


# ----------------------------------------------------------------------------- private steps


def _check_half_life(half_life_days: float) -> None:
    if (not isinstance(half_life_days, int | float) or not np.isfinite(half_life_days)
            or half_life_days <= 0):
        raise ValidationError(
            f"half_life_days must be a positive number of days, got {half_life_days!r}",
            parameter="half_life_days")


def _resolve_prior(
    prior: PriorMethod | BetaPrior,
    k: np.ndarray,
    n: np.ndarray,
    target: np.ndarray | None,
) -> BetaPrior:
    if isinstance(prior, BetaPrior):
        return prior
    if prior not in ("mle", "moments"):
        raise ValidationError(
            f"prior must be 'mle', 'moments' or a BetaPrior, got {prior!r}", parameter="prior")
    if float(n.sum()) <= 0:
        raise ValidationError("no RSVPs to estimate show-up rates from", parameter="attended")
    return fit_beta_prior(k, n, method=prior, target=target)


def _note(rsvps: int) -> str:
    if rsvps == 0:
        return "no RSVPs yet: this is the coalition-wide rate"
    if rsvps < SMALL_SAMPLE_RSVPS:
        return f"only {rsvps} RSVPs: the estimate leans on the coalition-wide rate"
    return ""
