"""Private numerics of the exact power indices: generating-function tables (see :mod:`.indices`).

The method, its error bounds and its references are in the docstring of :mod:`.indices`;
this module holds the tables it describes: the exact Banzhaf swing counts (modular, rebuilt
by the Chinese remainder theorem), the fused path for small integer games, the scaled
floating-point Banzhaf and the Shapley-Shubik size-weight table. The planning (which method,
within which budget) stays in :mod:`.indices`.
"""

from __future__ import annotations

import math

import numpy as np

from broadfront.analysis.power import _modular, _null, _small
from broadfront.analysis.power.games import Game, WeightedGame, _IntegerData
from broadfront.analysis.power.results import IndexResult

#: Table updates above which the exact Banzhaf count runs its primes on several threads.
PARALLEL_WORK = 2e8
#: The unit roundoff of float64.
_EPS = 2.0**-53
#: Players whose floating-point value is within this many error bounds of 0 are checked
#: exactly for having no swing (and then get exactly 0); see :mod:`._null`.
_NULL_SLACK = 4.0


def _data(game: Game) -> _IntegerData:
    """The cached integer data of a game the plan solves with a table (integer weights)."""
    assert isinstance(game, WeightedGame)
    data = game._integer_data
    assert data is not None
    return data


#: The numba kernels once imported (see :func:`_load_kernels`).
_KERNELS = None


def _load_kernels():  # type: ignore[no-untyped-def]
    """The numba kernels, imported on first use (importing numba costs about half a second)."""
    global _KERNELS
    if _KERNELS is None:
        from broadfront.analysis.power import _kernels

        _KERNELS = _kernels
    return _KERNELS


def _banzhaf_exact(data: _IntegerData) -> tuple[tuple[int, ...], int]:
    """Exact swings of every player and the number of winning coalitions.

    The subset-count table is built modulo ``k`` primes below ``2^62`` whose product exceeds
    ``2^(n+1)`` (every count, prefix sum and swing number is below ``2^n``), and each number is
    rebuilt from its residues by the Chinese remainder theorem (with one prime, up to 60
    players, the residues are the numbers).
    """
    iq = data.quota
    n = data.weights.size
    qq = min(iq, data.total - iq + 1)
    if _small.fits(qq, float(n) * qq * (n // 30 + 1)):
        per_type, winning = _small.banzhaf_counts(data)
    else:
        _kernels = _load_kernels()
        k = _modular.primes_for_bits(n + 1)
        primes = _modular.crt_basis(k)[0]
        # threads only pay off on large tables (starting them costs milliseconds)
        big = float(n) * qq * k >= PARALLEL_WORK and k > 1
        kernel = _kernels.banzhaf_swings_mod_parallel if big else _kernels.banzhaf_swings_mod
        sw, below_r = kernel(data.sorted, data.types, qq, primes)
        if k == 1:  # the residues are the counts
            per_type, below = sw[:, 0].tolist(), int(below_r[0])
        else:
            per_type = _modular.crt(sw, k)
            below = _modular.crt(below_r.reshape(1, k), k)[0]
        winning = 2**n - below if qq == iq else below
    return tuple([per_type[j] for j in data.inverse_list]), winning


#: Largest total weight and number of players of the fused small-game path.
FAST_MAX_TOTAL = 2**16
FAST_MAX_N = 600


def _banzhaf_small_fast(game: WeightedGame, max_memory: int) -> IndexResult | None:
    """Exact Banzhaf of a small integer game in one pass, or None when it does not apply.

    For a council, a legislature or the Electoral College the computation itself takes a few
    microseconds, and the general path's bookkeeping (the cached integer form and player types,
    the plan, the per-type CRT) costs several times more on a new game object. With integer
    weights totalling at most ``FAST_MAX_TOTAL``, at most ``FAST_MAX_N`` players and the numba
    kernels loaded, this goes from the validated weights straight to the swing counts: the same
    modular generating function (:func:`._kernels.banzhaf_swings_mod`) over the sorted weights
    and the distinct weights (no Python passes), each distinct weight's count returned as
    Garner mixed-radix digits (so rebuilding it takes ``k - 1`` small multiplications), the
    counts mapped back to the players through the type of each player, and the same float
    conversion as :func:`_banzhaf_from_swings`, so the result is identical to the general
    path's (the tests compare them). The plan's memory check is kept: the general path decides
    when the table would not fit ``max_memory``.
    """
    if not _small.kernels_loaded():
        return None  # in a fresh process small games use the numpy path (no numba import)
    kernels = _load_kernels()
    n = game.weights.size
    if n > FAST_MAX_N:
        return None
    basis = _FAST_BASES.get(n) or _fast_basis(n)
    if basis[0] > max_memory:  # the plan's table_cost bound with the largest table here
        return None
    primes, inv, plist = basis[1], basis[2], basis[3]
    ok, rows, inverse, column, scaled, values = kernels.banzhaf_small_fused(
        game.weights, game.quota, FAST_MAX_TOTAL, primes, inv
    )
    if not ok:
        return None
    if len(plist) == 1:  # the residues are the counts
        if values.size:  # the kernel divided, as _banzhaf_from_swings does below 2^53
            return IndexResult(
                "banzhaf", game.names, values, "exact", swings=tuple(column.tolist()),
                absolute=scaled,
            )
        return _banzhaf_from_swings(game.names, tuple(column.tolist()), n, "exact")
    if len(plist) == 2:
        p0 = plist[0]
        per_type = [a + p0 * b for a, b in rows.tolist()]
    else:
        per_type = [_modular.from_mixed_radix(row, plist) for row in rows.tolist()]
    tix = inverse.tolist()
    swings = tuple([per_type[j] for j in tix])
    total = sum(swings)
    # the same floats as _banzhaf_from_swings, computed once per distinct weight: int / int
    # and float(int) are correctly rounded, and scaling by 2^(1-n) is exact
    if total < 2**53:
        a = np.array(per_type, dtype=np.float64)
        vt = a / total if total else np.zeros(a.size)
    else:
        a = np.array([float(x) for x in per_type])
        vt = np.array([x / total for x in per_type])
    at = np.ldexp(a, 1 - n)
    return IndexResult(
        "banzhaf", game.names, vt[inverse], "exact", swings=swings, absolute=at[inverse]
    )


#: Per number of players: (memory bound, primes, Garner inverses, primes as Python ints).
_FAST_BASES: dict[int, tuple[int, np.ndarray, np.ndarray, list[int]]] = {}


def _fast_basis(n: int) -> tuple[int, np.ndarray, np.ndarray, list[int]]:
    k = _modular.primes_for_bits(n + 1)
    primes = _modular.crt_basis(k)[0]
    basis = (
        FAST_MAX_TOTAL * 4 + 8 + k * n * 16,
        primes,
        _modular.garner_inverses(k),
        [int(p) for p in primes.tolist()],
    )
    _FAST_BASES[n] = basis
    return basis


def _banzhaf_from_swings(
    names: tuple[str, ...], swings: tuple[int, ...], n: int, method: str
) -> IndexResult:
    total = sum(swings)
    if total < 2**53:
        # every count is exact in float64, so one correctly rounded division (or an exact
        # scaling by a power of two) gives the same floats as the Python integer division
        arr = np.array(swings, dtype=np.float64)
        values = arr / total if total else np.zeros(n)
        absolute = np.ldexp(arr, 1 - n)
    else:
        values = np.array([s / total for s in swings])
        absolute = np.array([s / 2 ** (n - 1) for s in swings])
    return IndexResult(
        "banzhaf", names, values, method, swings=tuple(swings), absolute=absolute
    )


def _banzhaf_float(names: tuple[str, ...], data: _IntegerData) -> IndexResult:
    iw, iq, tw = data.weights, data.quota, data.types
    n = iw.size
    qq = min(iq, data.total - iq + 1)
    if _small.fits(qq, float(n) * qq):
        absolute = _small.banzhaf_absolute(data)
    else:
        _kernels = _load_kernels()
        ws = data.sorted
        group = _kernels.MOD_GROUP if ws[-1] <= _kernels.WAVE_MAX_WEIGHT else 1
        p = _kernels.subset_sum_probabilities(ws, qq, group)
        P = _kernels.kahan_prefix(p)
        absolute = _kernels.banzhaf_float(P, tw, qq)[data.inverse]
    absolute = np.clip(absolute, 0.0, 1.0)
    positive = tw[tw > 0]  # types are ascending
    wmin = int(positive[0]) if positive.size else 1
    bound = 2.0 * (n + 2 + 4 * (math.ceil(qq / wmin) + 1)) * _EPS
    # null players (no swing, decided exactly) get exactly 0, not rounding noise
    null = _null.null_players(iw, iq, absolute, _NULL_SLACK * bound, (tw, data.counts))
    if null is not None:
        absolute[null] = 0.0
    s = absolute.sum()
    values = absolute / s if s > 0 else np.zeros(n)
    return IndexResult(
        "banzhaf", names, values, "float", absolute=absolute, error_bound=bound
    )


def _ragged_rows(iw: np.ndarray, R: int, T: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Totals ``LO[s]..HI[s]`` an ``s``-subset can weigh (below ``T``), and row offsets."""
    ws = np.sort(iw.astype(np.int64))
    zero = np.zeros(1, dtype=np.int64)
    LO = np.concatenate([zero, np.cumsum(ws)])[: R + 1]
    HI = np.minimum(np.concatenate([zero, np.cumsum(ws[::-1])])[: R + 1], T - 1)
    off = np.concatenate([zero, np.cumsum(np.maximum(HI - LO + 1, 0))])
    return LO, HI, off


def _ragged_rows_of(
    data: _IntegerData, memo: dict, R: int, T: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_ragged_rows` of a game, computed once per game (kept in its private memo)."""
    key = ("ragged_rows", R, T)
    rows = memo.get(key)
    if rows is None:
        rows = memo[key] = _ragged_rows(data.sorted, R, T)
    return rows


def _shapley_table(data: _IntegerData, memo: dict) -> np.ndarray:
    iq, tw, counts = data.quota, data.types, data.counts
    n = data.weights.size
    dual = data.total - iq + 1
    R = (n - 1) // 2
    T = max(iq, dual)
    if _small.fits(T, float(n) * (R + 1) * T):
        return _small.shapley(data)
    _kernels = _load_kernels()
    first = int(np.argmax(counts))
    # the most common weight seeds the table; the others, ascending (types are ascending)
    rest = memo.get("shapley_rest")
    if rest is None:
        rest = memo["shapley_rest"] = np.repeat(np.delete(tw, first), np.delete(counts, first))
    LO, HI, off = _ragged_rows_of(data, memo, R, T)
    H = _kernels.size_weight_table(int(tw[first]), int(counts[first]), rest, R, T, LO, HI, off)
    PH = _kernels.kahan_prefix_rows(H, off, R)
    vals = _kernels.shapley_from_table(PH, LO, HI, off, n, tw, iq, dual)
    return np.clip(vals[data.inverse], 0.0, 1.0)
