"""Enumeration of every coalition, for small games and as the reference in tests.

For ``n <= BRUTE_MAX`` players the ``2^n`` coalitions are enumerated as bit masks with numpy:
coalition ``m`` contains player ``i`` when bit ``i`` of ``m`` is set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from math import factorial

import numpy as np

from broadfront.analysis.power.games import Game, _integer_form

BRUTE_MAX = 20


def coalition_weights(weights: np.ndarray) -> np.ndarray:
    """Total weight of every coalition (index = bit mask)."""
    sums = np.zeros(1, dtype=weights.dtype)
    for w in weights:
        sums = np.concatenate([sums, sums + w])
    return sums


def winning_table(game: Game) -> np.ndarray:
    """Boolean array over all ``2^n`` bit masks: is the coalition winning."""
    win = np.ones(1 << game.n, dtype=bool)
    for c in game.conditions:
        form = _integer_form(c.weights, c.quota)
        if form is not None:
            iw, iq, _ = form
            win &= coalition_weights(iw) >= iq
        else:
            win &= coalition_weights(c.weights) >= c.quota
    return win


def popcounts(n: int) -> np.ndarray:
    """Number of members of every coalition."""
    sizes = np.zeros(1, dtype=np.int16)
    for _ in range(n):
        sizes = np.concatenate([sizes, sizes + 1])
    return sizes


@dataclass(frozen=True)
class BruteTables:
    """Everything the indices need, from one pass over all coalitions."""

    n: int
    win: np.ndarray  # bool, per mask
    sizes: np.ndarray  # int16, per mask
    crit: np.ndarray  # int16: number of critical members of each winning coalition
    swings: tuple[int, ...]
    swings_by_size: np.ndarray  # (n, n) int64: swings of i in coalitions of others of size s


def tables(game: Game) -> BruteTables:
    """Enumerate all coalitions of a small game once."""
    n = game.n
    win = winning_table(game)
    sizes = popcounts(n)
    crit = np.zeros(win.size, dtype=np.int16)
    swings = []
    by_size = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        v = win.reshape(-1, 2, 1 << i)
        critical = v[:, 1, :] & ~v[:, 0, :]  # i critical in S+i  <=> S loses, S+i wins
        crit.reshape(-1, 2, 1 << i)[:, 1, :] += critical
        swings.append(int(critical.sum()))
        without = sizes.reshape(-1, 2, 1 << i)[:, 0, :][critical]
        by_size[i] = np.bincount(without, minlength=n)[:n]
    return BruteTables(n, win, sizes, crit, tuple(swings), by_size)


def shapley_fractions(t: BruteTables) -> tuple[Fraction, ...]:
    """Exact Shapley-Shubik values: sum over swings of ``s! (n-1-s)! / n!``."""
    n = t.n
    nf = factorial(n)
    coef = [Fraction(factorial(s) * factorial(n - 1 - s), nf) for s in range(n)]
    return tuple(
        sum((int(t.swings_by_size[i, s]) * coef[s] for s in range(n)), Fraction(0))
        for i in range(n)
    )


def member_matrix_rows(masks: np.ndarray, n: int) -> np.ndarray:
    """Boolean membership matrix (rows = coalitions) of an array of bit masks."""
    return ((masks[:, None] >> np.arange(n)) & 1).astype(bool)


def minimal_winning_masks(t: BruteTables) -> np.ndarray:
    """Bit masks of the minimal winning coalitions (every member critical)."""
    return np.flatnonzero(t.win & (t.crit == t.sizes))


def reciprocal_sum(counts: np.ndarray) -> float:
    """``sum_s counts[s] / s`` over ``s >= 1``, correctly rounded (so it depends only on the
    counts, not on the order in which coalitions were met)."""
    sizes = np.flatnonzero(counts[1:]) + 1
    return math.fsum((counts[sizes] / sizes).tolist())


def minimal_index_sums(t: BruteTables) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per player: number of MWCs containing it, sum of 1/|S| over them, Johnston score."""
    n = t.n
    mwc = minimal_winning_masks(t)
    pgi = np.zeros(n)
    dp = np.zeros(n)
    johnston = np.zeros(n)
    mwc_sizes = t.sizes[mwc]
    winners = np.flatnonzero(t.win & (t.crit > 0))
    win_crit = t.crit[winners]
    # sums of 1/|S| and 1/k(S) are taken as sum of (count by size) / size, correctly rounded,
    # so players in symmetric positions get bit-identical values (and null players exactly 0)
    for i in range(n):
        bit = 1 << i
        has = (mwc & bit) != 0
        pgi[i] = has.sum()
        dp[i] = reciprocal_sum(np.bincount(mwc_sizes[has], minlength=n + 1))
        # i is critical in winning S when S - i loses
        mine = (winners & bit) != 0
        crit_i = ~t.win[winners[mine] ^ bit]
        johnston[i] = reciprocal_sum(np.bincount(win_crit[mine][crit_i], minlength=n + 1))
    return pgi, dp, johnston
