"""Commitment reliability: did each partner do what it said it would, per unit?

Each commitment (a partner promises ``promised`` of a unit by ``due``) gets a status computed
from what arrived and when: *kept* (in full by the due date), *kept late* (in full after it),
*partly kept* (something, not all, and the due date has passed), *broken* (nothing by a past
due date) or *open* (not yet due and not yet complete; not scored). Per partner and unit the
kept rate is a Beta-Binomial empirical-Bayes estimate (Casella 1985) fitted across all
partner-unit cells, and the delivered/promised ratio (each commitment's fulfilment capped at
1) is treated as a fractional response (Papke and Wooldridge 1996) with the same Beta
machinery, so small records are pulled toward the coalition's typical record.

References
----------
Casella, G. (1985). An introduction to empirical Bayes data analysis. *The American
Statistician* 39(2), 83-87. DOI 10.1080/00031305.1985.10479400.

Papke, L. E., Wooldridge, J. M. (1996). Econometric methods for fractional response variables
with an application to 401(k) plan participation rates. *Journal of Applied Econometrics*
11(6), 619-632. DOI 10.1002/(SICI)1099-1255(199611)11:6<619::AID-JAE418>3.0.CO;2-1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    beta_prior,
    check_level,
    fit_beta_prior,
    posterior_interval,
)
from broadfront.exceptions import ValidationError

#: Status codes returned by :func:`commitment_status`, indexing this tuple.
STATUSES = ("kept", "kept_late", "partly_kept", "broken", "open")
KEPT, KEPT_LATE, PARTLY_KEPT, BROKEN, OPEN = range(5)

#: Below this many scored commitments a record is flagged as small.
SMALL_SAMPLE_COMMITMENTS = 5


@dataclass(frozen=True)
class CommitmentScorecard:
    """One partner's record for one unit.

    Attributes
    ----------
    partner, unit : str
        Who promised, and what (doors, calls, members at an event, dollars, ...).
    commitments : int
        Scored commitments (due, or complete).
    open : int
        Commitments not yet due and not yet complete (not scored).
    kept, kept_late, partly_kept, broken : int
        Scored commitments by status (they add up to ``commitments``).
    promised, delivered : float
        Totals over the scored commitments.
    kept_rate, kept_low, kept_high : float
        Posterior mean and credible interval of the share kept in full by the due date.
    raw_kept_rate : float
        ``kept / commitments`` (NaN when nothing is scored).
    delivered_ratio, ratio_low, ratio_high : float
        Posterior mean and credible interval of the share of a promise delivered (each
        commitment's ``delivered / promised`` capped at 1).
    raw_delivered_ratio : float
        ``delivered / promised`` over the scored commitments, uncapped.
    note : str
        Plain-words warning for small records (empty otherwise).
    """

    partner: str
    unit: str
    commitments: int
    open: int
    kept: int
    kept_late: int
    partly_kept: int
    broken: int
    promised: float
    delivered: float
    kept_rate: float
    kept_low: float
    kept_high: float
    raw_kept_rate: float
    delivered_ratio: float
    ratio_low: float
    ratio_high: float
    raw_delivered_ratio: float
    note: str


@dataclass(frozen=True, eq=False)
class CommitmentReliability:
    """Scorecards for every partner and unit, plus the per-commitment detail.

    Attributes
    ----------
    scorecards : tuple of CommitmentScorecard
        Sorted by partner, then unit.
    kept_prior, ratio_prior : BetaPrior
        Fitted priors of the kept rate and of the delivered ratio.
    level : float
        Credible level of the intervals.
    as_of : numpy.datetime64 or None
        Date the statuses were computed at (None: every commitment treated as past due).
    status : ndarray of int
        Status code of each input commitment (an index into :data:`STATUSES`).
    fulfilment : ndarray of float
        ``min(delivered / promised, 1)`` per commitment (NaN for open ones).
    cell : ndarray of int
        Index into ``scorecards`` of each input commitment.
    unit_of_cell : ndarray of str
        Unit of each scorecard (aligned with ``scorecards``).
    """

    scorecards: tuple[CommitmentScorecard, ...]
    kept_prior: BetaPrior
    ratio_prior: BetaPrior
    level: float
    as_of: np.datetime64 | None
    status: np.ndarray
    fulfilment: np.ndarray
    cell: np.ndarray
    unit_of_cell: np.ndarray

    def scorecard(self, partner: str, unit: str) -> CommitmentScorecard | None:
        """The scorecard of one partner and unit (None when it has no commitments)."""
        for card in self.scorecards:
            if card.partner == partner and card.unit == unit:
                return card
        return None


def commitment_status(
    promised: Sequence[float] | np.ndarray,
    delivered: Sequence[float] | np.ndarray,
    due: Sequence[DateLike] | np.ndarray,
    delivered_on: Sequence[DateLike | None] | np.ndarray,
    *,
    as_of: DateLike | None = None,
) -> np.ndarray:
    """Status code of each commitment (an index into :data:`STATUSES`).

    A commitment is *kept* when ``delivered >= promised`` and ``delivered_on <= due``,
    *kept late* when delivered in full after ``due``, *open* when not complete and
    ``due >= as_of``, otherwise *partly kept* when ``delivered > 0`` and *broken* when nothing
    arrived. ``delivered_on`` is the date of the delivery that completed the promise (or of the
    last delivery when it is incomplete); it may be missing only when nothing was delivered.

    Parameters
    ----------
    promised, delivered : array_like of float
        Quantities (``promised > 0``).
    due, delivered_on : array_like of dates
        ISO strings, dates or ``datetime64``; ``delivered_on`` may hold None/""/NaT.
    as_of : date, optional
        Today; incomplete commitments due on or after it are open. When omitted every
        commitment is scored as if past due.

    Returns
    -------
    ndarray of int8

    Raises
    ------
    ValidationError
        On mismatched lengths, non-positive promises, negative deliveries, unreadable dates or a
        delivery without its date.

    References
    ----------
    Rule of this module (documented in docs/reliability.md); statuses follow the commitment /
    delivery vocabulary of Broadfront's DESIGN.md.

    Examples
    --------
    >>> codes = commitment_status([10, 10, 10, 10, 10], [10, 10, 4, 0, 0],
    ...     ["2024-05-01"] * 5, ["2024-04-30", "2024-05-03", "2024-04-20", "", ""],
    ...     as_of="2024-05-10")
    >>> [STATUSES[c] for c in codes]
    ['kept', 'kept_late', 'partly_kept', 'broken', 'broken']
    """
    p = np.asarray(promised)
    size = p.shape[0] if p.ndim == 1 else -1
    if size < 0:
        raise ValidationError("promised must be one-dimensional", parameter="promised")
    prom = as_float(promised, "promised", size)
    if np.any(prom <= 0):
        i = int(np.argmax(prom <= 0))
        raise ValidationError(f"promised must be positive, got {prom[i]!r} at position {i}",
                              parameter="promised")
    deliv = as_float(delivered, "delivered", size)
    due_d = as_days(due, "due", size)
    on_d = as_days(delivered_on, "delivered_on", size, allow_missing=True)
    missing = np.isnat(on_d) & (deliv > 0)
    if np.any(missing):
        i = int(np.argmax(missing))
        raise ValidationError(
            f"delivered_on is missing at position {i} although {deliv[i]:g} was delivered",
            parameter="delivered_on")
    day = as_day(as_of, "as_of")
    return _status(prom, deliv, due_d, on_d, day)


def commitment_reliability(
    partners: Sequence[str] | np.ndarray,
    units: Sequence[str] | np.ndarray,
    promised: Sequence[float] | np.ndarray,
    delivered: Sequence[float] | np.ndarray,
    due: Sequence[DateLike] | np.ndarray,
    delivered_on: Sequence[DateLike | None] | np.ndarray,
    *,
    as_of: DateLike | None = None,
    prior: PriorMethod = "mle",
    level: float = 0.9,
) -> CommitmentReliability:
    """Scorecards of commitment reliability per partner and unit.

    Per cell (partner, unit) with ``n`` scored commitments of which ``k`` were kept, the kept
    rate's posterior is ``Beta(alpha + k, beta + n - k)`` with ``(alpha, beta)`` fitted across
    all cells (:func:`fit_beta_prior`). The delivered ratio uses each commitment's fulfilment
    ``f_j = min(delivered_j / promised_j, 1)`` as a fractional success: ``Beta(alpha' + sum
    f_j, beta' + n - sum f_j)`` with its own fitted prior. Because a fulfilment in [0, 1] with
    mean ``p`` varies less than a 0/1 outcome, this interval is on the cautious (wide) side.

    Parameters
    ----------
    partners, units : array_like of str
        Who promised, and the unit of the promise, per commitment.
    promised, delivered : array_like of float
        Quantities promised (> 0) and delivered so far (>= 0).
    due, delivered_on : array_like of dates
        Due date; date of the completing (or last) delivery, missing when nothing arrived.
    as_of : date, optional
        Today (see :func:`commitment_status`); omitted means every commitment is scored.
    prior : {"mle", "moments"}
        How the priors are fitted.
    level : float
        Credible level (default 0.9).

    Returns
    -------
    CommitmentReliability

    Raises
    ------
    ValidationError
        On bad inputs (see :func:`commitment_status`) or a bad level.

    References
    ----------
    Casella, G. (1985). An introduction to empirical Bayes data analysis. *The American
    Statistician* 39(2), 83-87. DOI 10.1080/00031305.1985.10479400.

    Papke, L. E., Wooldridge, J. M. (1996). Econometric methods for fractional response
    variables. *Journal of Applied Econometrics* 11(6), 619-632.
    DOI 10.1002/(SICI)1099-1255(199611)11:6<619::AID-JAE418>3.0.CO;2-1.

    Examples
    --------
    >>> r = commitment_reliability(["Faith", "Faith", "Union"], ["doors", "doors", "doors"],
    ...     [100, 100, 50], [100, 60, 50], ["2024-05-01"] * 3,
    ...     ["2024-04-30", "2024-05-01", "2024-05-02"], as_of="2024-06-01")
    >>> [(c.partner, c.commitments, c.kept, c.partly_kept, c.kept_late) for c in r.scorecards]
    [('Faith', 2, 1, 1, 0), ('Union', 1, 0, 0, 1)]
    >>> r.scorecards[0].raw_delivered_ratio
    0.8
    """
    level = check_level(level)
    if prior not in ("mle", "moments"):
        raise ValidationError(f"prior must be 'mle' or 'moments', got {prior!r}",
                              parameter="prior")
    status = commitment_status(promised, delivered, due, delivered_on, as_of=as_of)
    size = status.size
    partner_l = as_labels(partners, "partners").astype(str)
    unit_l = as_labels(units, "units").astype(str)
    for name, arr in (("partners", partner_l), ("units", unit_l)):
        if arr.shape != (size,):
            raise ValidationError(f"{name} must have length {size}, got shape {arr.shape}",
                                  parameter=name)
    prom = np.asarray(promised, dtype=float)
    deliv = np.asarray(delivered, dtype=float)
    scored = status != OPEN
    fulfil = np.where(scored, np.minimum(deliv / prom, 1.0), np.nan)

    p_uniq, p_code = factorize(partner_l)
    u_uniq, u_code = factorize(unit_l)
    cell_key = p_code.astype(np.int64) * max(u_uniq.size, 1) + u_code
    cells, cell = np.unique(cell_key, return_inverse=True)
    cell = cell.reshape(-1)
    n_cells = cells.size
    by_status = np.zeros((5, n_cells))
    np.add.at(by_status, (status, cell), 1.0)
    n = by_status[:4].sum(axis=0)
    k = by_status[KEPT]
    f_sum = np.bincount(cell, weights=np.where(scored, fulfil, 0.0), minlength=n_cells)
    prom_sum = np.bincount(cell, weights=np.where(scored, prom, 0.0), minlength=n_cells)
    deliv_sum = np.bincount(cell, weights=np.where(scored, deliv, 0.0), minlength=n_cells)

    kept_prior = _prior(k, n, prior)
    ratio_prior = _prior(f_sum, n, prior)
    ka, kb = kept_prior.alpha + k, kept_prior.beta + n - k
    ra, rb = ratio_prior.alpha + f_sum, ratio_prior.beta + n - f_sum
    k_low, k_high = posterior_interval(ka, kb, level)
    r_low, r_high = posterior_interval(ra, rb, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_kept = np.where(n > 0, k / n, np.nan)
        raw_ratio = np.where(prom_sum > 0, deliv_sum / prom_sum, np.nan)
    cell_partner = p_uniq[cells // max(u_uniq.size, 1)]
    cell_unit = u_uniq[cells % max(u_uniq.size, 1)]
    cards = tuple(
        CommitmentScorecard(
            partner=str(cell_partner[i]), unit=str(cell_unit[i]),
            commitments=int(n[i]), open=int(by_status[OPEN, i]), kept=int(k[i]),
            kept_late=int(by_status[KEPT_LATE, i]), partly_kept=int(by_status[PARTLY_KEPT, i]),
            broken=int(by_status[BROKEN, i]), promised=float(prom_sum[i]),
            delivered=float(deliv_sum[i]),
            kept_rate=float(ka[i] / (ka[i] + kb[i])), kept_low=float(k_low[i]),
            kept_high=float(k_high[i]), raw_kept_rate=float(raw_kept[i]),
            delivered_ratio=float(ra[i] / (ra[i] + rb[i])), ratio_low=float(r_low[i]),
            ratio_high=float(r_high[i]), raw_delivered_ratio=float(raw_ratio[i]),
            note=_note(int(n[i]), int(by_status[OPEN, i])),
        )
        for i in range(n_cells)
    )
    return CommitmentReliability(
        scorecards=cards, kept_prior=kept_prior, ratio_prior=ratio_prior, level=level,
        as_of=as_day(as_of, "as_of"), status=status, fulfilment=fulfil, cell=cell,
        unit_of_cell=cell_unit,
    )


# ----------------------------------------------------------------------------- private steps


def _status(
    prom: np.ndarray, deliv: np.ndarray, due: np.ndarray, on: np.ndarray,
    as_of: np.datetime64 | None,
) -> np.ndarray:
    full = deliv >= prom
    on_time = ~np.isnat(on) & (on <= due)
    out = np.full(prom.shape, BROKEN, dtype=np.int8)
    out[(deliv > 0) & ~full] = PARTLY_KEPT
    out[full & ~on_time] = KEPT_LATE
    out[full & on_time] = KEPT
    if as_of is not None:
        out[~full & (due >= as_of)] = OPEN
    return out


def _prior(k: np.ndarray, n: np.ndarray, method: PriorMethod) -> BetaPrior:
    if float(n.sum()) <= 0:  # nothing scored yet: a flat prior, stated as such
        return beta_prior(1.0, 1.0)
    return fit_beta_prior(k, n, method=method)


def _note(scored: int, open_: int) -> str:
    if scored == 0:
        return f"no commitment due yet ({open_} open): these are coalition-wide figures"
    if scored < SMALL_SAMPLE_COMMITMENTS:
        return (f"only {scored} commitment{'s' if scored > 1 else ''} scored: "
                "the estimate leans on the coalition-wide record")
    return ""

