"""Exact detection of null players of a weighted game, to clean floating-point results.

A player ``i`` is *null* (a dummy) when it has no swing: no coalition ``S`` of the other players
weighs ``q - w_i .. q - 1``. Every power index of a null player is exactly 0, but the floating
point tables (Shapley-Shubik, Banzhaf ``method="float"``) read a player's value off the whole
game's table by an alternating sum, which leaves rounding noise of the order of ``2^-53``
where the true value is 0. This module decides null-ness exactly, with no counting:

* In a weighted game a heavier player is at least as desirable as a lighter one (a swing of a
  lighter player ``j`` is, or becomes after swapping ``j`` for ``i``, a swing of the heavier
  ``i``), so the null players are exactly the players up to some weight.
* Whether a player of weight ``w`` is null is a subset-sum reachability question over the
  others (a bit set, no counts): is any total in ``q - w .. q - 1`` reachable? Complements
  mirror it with the dual quota ``total - q + 1``, so only totals below
  ``min(q, total - q + 1)`` are needed.
* Only the lightest weights whose computed value is within the stated error bound of 0 can be
  null, and a binary search over them needs a handful of checks at most (none in the usual
  case, when the lightest player's value is clearly positive).

References
----------
.. [1] P. Dubey and L. S. Shapley, "Mathematical properties of the Banzhaf power index",
   Mathematics of Operations Research 4(2), 99-131, 1979. DOI: 10.1287/moor.4.2.99
.. [2] A. D. Taylor and W. S. Zwicker, *Simple Games: Desirability Relations, Trading,
   Pseudoweightings*, Princeton University Press, 1999 (desirability in weighted games).
"""

from __future__ import annotations

import numpy as np


def type_is_null(
    iw: np.ndarray, iq: int, w: int, types: tuple[np.ndarray, np.ndarray] | None = None
) -> bool:
    """Whether a player of weight ``w`` (one of the players of ``iw``) has no swing.

    ``types`` are the distinct weights of ``iw`` (ascending) and their counts, if known.
    """
    total = int(iw.sum())
    dual = total - iq + 1
    qq = min(iq, dual)
    lo = max(qq - w, 0)
    if w <= 0 or lo > qq - 1:
        return True
    mask = (1 << qq) - 1
    reach = 1
    skipped = False
    # equal weights as powers of two (any number 0..m of them is reachable that way)
    tw, counts = np.unique(iw, return_counts=True) if types is None else types
    window = ((1 << (qq - lo)) - 1) << lo
    for x, m in zip(tw.tolist(), counts.tolist(), strict=True):
        if x == w and not skipped:
            m -= 1
            skipped = True
        if x <= 0 or m <= 0:
            continue
        step = 1
        while m > 0:
            take = min(step, m)
            shift = x * take
            if shift >= qq:
                break
            reach |= (reach << shift) & mask
            m -= take
            step *= 2
        if reach & window:
            return False
    return not reach & window


def null_players(
    iw: np.ndarray,
    iq: int,
    values: np.ndarray,
    threshold: float,
    types: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray | None:
    """Boolean mask of the null players of ``[iq; iw]``, decided exactly, or None if none.

    ``values`` are the computed (floating-point) values of the players; a player whose value
    exceeds ``threshold`` (the stated error bound) is certainly not null. The candidates are
    checked exactly with :func:`type_is_null`, by binary search on weight (null players are
    exactly those up to some weight). ``types`` are the distinct weights (ascending) and their
    counts, if known. Returns None when no player is null (then no value is near 0, the usual
    case, and nothing is checked).
    """
    if float(np.min(values)) > threshold:  # (a NaN goes on to the full check)
        return None
    tw, inverse = np.unique(iw, return_inverse=True)
    low = np.full(tw.size, -np.inf)
    np.maximum.at(low, inverse, np.asarray(values, dtype=float))
    run = 0
    while run < tw.size and low[run] <= threshold:
        run += 1
    lo, hi = 0, run  # the null weights are tw[:lo]
    while lo < hi:
        mid = (lo + hi) // 2
        if type_is_null(iw, iq, int(tw[mid]), types):
            lo = mid + 1
        else:
            hi = mid
    return iw <= tw[lo - 1] if lo else None
