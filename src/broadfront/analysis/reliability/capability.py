"""Capability matrix: per partner and unit, how much it delivers and how reliably.

The coalition table a partner sees: rows are partners, columns units (doors, calls, members at
an event, dollars, ...). Each cell holds volume (what was promised and delivered over scored
commitments, and the partner's share of everything the coalition delivered in that unit) and
reliability (the empirical-Bayes kept rate and delivered ratio of
:func:`~broadfront.analysis.reliability.commitment_reliability`). ``count_on`` answers "what can
we count on them for": the low end of the delivered-ratio interval times the partner's typical
(median) promise in that unit. Only aggregates appear: no person-level data.

References
----------
Casella, G. (1985). An introduction to empirical Bayes data analysis. *The American
Statistician* 39(2), 83-87. DOI 10.1080/00031305.1985.10479400.

McAlevey, J. (2016). *No Shortcuts: Organizing for Power in the New Gilded Age*. Oxford
University Press, chapter 2 (structure tests: measuring what an organization can deliver).
ISBN 978-0190624712.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from broadfront.analysis.reliability._arrays import as_float
from broadfront.analysis.reliability.commitments import CommitmentReliability


@dataclass(frozen=True, eq=False)
class CapabilityMatrix:
    """Partners by units; every array has shape ``(len(partners), len(units))``.

    Cells without commitments hold 0 in the counts and volumes and NaN in the rates.

    Attributes
    ----------
    partners, units : tuple of str
        Row and column labels (sorted).
    commitments : ndarray of int
        Scored commitments.
    promised, delivered : ndarray of float
        Totals over scored commitments.
    share : ndarray of float
        ``delivered`` divided by the unit's coalition-wide delivered total (NaN when nobody
        delivered anything in the unit).
    kept_rate, kept_low : ndarray of float
        Posterior mean and lower credible bound of the kept rate.
    delivered_ratio, ratio_low : ndarray of float
        Posterior mean and lower credible bound of the delivered ratio.
    typical_promise : ndarray of float
        Median promise (all commitments, open ones included).
    count_on : ndarray of float
        ``ratio_low * typical_promise``.
    best_unit : tuple of str or None
        Per partner, the unit where its share of the coalition's delivery is largest.
    """

    partners: tuple[str, ...]
    units: tuple[str, ...]
    commitments: np.ndarray
    promised: np.ndarray
    delivered: np.ndarray
    share: np.ndarray
    kept_rate: np.ndarray
    kept_low: np.ndarray
    delivered_ratio: np.ndarray
    ratio_low: np.ndarray
    typical_promise: np.ndarray
    count_on: np.ndarray
    best_unit: tuple[str | None, ...]


def capability_matrix(
    reliability: CommitmentReliability,
    promised: np.ndarray | list[float],
) -> CapabilityMatrix:
    """Build the partner-by-unit capability matrix from scored commitments.

    Parameters
    ----------
    reliability : CommitmentReliability
        Result of :func:`commitment_reliability` on the ledger.
    promised : array_like of float
        The ``promised`` column passed to :func:`commitment_reliability` (for the typical
        promise, which includes open commitments).

    Returns
    -------
    CapabilityMatrix

    Raises
    ------
    ValidationError
        If ``promised`` does not match the ledger's length.

    References
    ----------
    Casella, G. (1985). An introduction to empirical Bayes data analysis. *The American
    Statistician* 39(2), 83-87. DOI 10.1080/00031305.1985.10479400.

    Examples
    --------
    Faith delivers all the doors; the Union all the dollars:

    >>> from broadfront.analysis.reliability import commitment_reliability
    >>> promised = [100, 200, 500]
    >>> r = commitment_reliability(["Faith", "Faith", "Union"], ["doors", "doors", "dollars"],
    ...     promised, [100, 100, 500], ["2024-05-01"] * 3, ["2024-05-01"] * 3)
    >>> m = capability_matrix(r, promised)
    >>> m.partners, m.units, m.best_unit
    (('Faith', 'Union'), ('dollars', 'doors'), ('doors', 'dollars'))
    >>> m.delivered.tolist(), float(m.typical_promise[0, 1])
    ([[0.0, 200.0], [500.0, 0.0]], 150.0)
    """
    cards = reliability.scorecards
    prom = as_float(promised, "promised", reliability.cell.size)
    partners = tuple(sorted({c.partner for c in cards}))
    units = tuple(sorted({c.unit for c in cards}))
    p_index = {p: i for i, p in enumerate(partners)}
    u_index = {u: i for i, u in enumerate(units)}
    shape = (len(partners), len(units))
    rows = np.array([p_index[c.partner] for c in cards], dtype=np.int64)
    cols = np.array([u_index[c.unit] for c in cards], dtype=np.int64)

    def grid(values: list[float], fill: float) -> np.ndarray:
        out = np.full(shape, fill)
        out[rows, cols] = values
        return out

    commitments = grid([c.commitments for c in cards], 0).astype(np.int64)
    has = commitments > 0
    nan = float("nan")
    kept_rate = np.where(has, grid([c.kept_rate for c in cards], nan), nan)
    kept_low = np.where(has, grid([c.kept_low for c in cards], nan), nan)
    ratio = np.where(has, grid([c.delivered_ratio for c in cards], nan), nan)
    ratio_low = np.where(has, grid([c.ratio_low for c in cards], nan), nan)
    prom_tot = grid([c.promised for c in cards], 0.0)
    deliv_tot = grid([c.delivered for c in cards], 0.0)
    unit_total = deliv_tot.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(unit_total > 0, deliv_tot / np.where(unit_total > 0, unit_total, 1.0),
                         nan)
    typical = grid(list(_median_by_cell(prom, reliability.cell, len(cards))), nan)
    count_on = np.where(has, ratio_low * typical, nan)
    best: list[str | None] = []
    for i in range(len(partners)):
        row = np.where(np.isnan(share[i]), -1.0, share[i])
        best.append(units[int(np.argmax(row))] if row.max() > 0 else None)
    return CapabilityMatrix(
        partners=partners, units=units, commitments=commitments, promised=prom_tot,
        delivered=deliv_tot, share=share, kept_rate=kept_rate, kept_low=kept_low,
        delivered_ratio=ratio, ratio_low=ratio_low, typical_promise=typical,
        count_on=count_on, best_unit=tuple(best),
    )


def _median_by_cell(values: np.ndarray, cell: np.ndarray, n_cells: int) -> np.ndarray:
    """Median of ``values`` within each cell, by one lexsort (no loop over rows)."""
    order = np.lexsort((values, cell))
    v, c = values[order], cell[order]
    counts = np.bincount(c, minlength=n_cells)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = np.full(n_cells, np.nan)
    has = counts > 0
    lo = starts[has] + (counts[has] - 1) // 2
    hi = starts[has] + counts[has] // 2
    out[has] = (v[lo] + v[hi]) / 2.0
    return out
