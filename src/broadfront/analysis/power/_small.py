"""Numpy versions of the generating-function algorithms, for small bodies in a fresh process.

The numba kernels in :mod:`._kernels` are fastest once loaded, but the first compiled call in a
process costs about a second (numba imports its typing registries and scipy's BLAS bindings,
even when the machine code comes from the on-disk cache). A council, a legislature or the
Electoral College needs only a few hundred table entries, so until the kernels are loaded
these small games are solved here with the same methods in plain numpy (no numba import):

* Banzhaf counts modulo primes below ``2^31`` (so prefix sums of residues fit in int64),
  rebuilt by the Chinese remainder theorem (:mod:`._modular`); exact integers.
* Banzhaf probabilities and the Shapley-Shubik size-by-weight table in float64, with prefix
  sums accumulated in extended precision (``numpy.longdouble``, 64-bit mantissa on x86-64)
  over at most :data:`MAX_T` entries, which is as accurate as the compensated (Kahan) prefix
  sums of the kernels, so the same documented error bounds hold.

The results agree with the kernels (exactly for the counts); the tests check both paths.
"""

from __future__ import annotations

import sys

import numpy as np

from broadfront.analysis.power import _modular
from broadfront.analysis.power.games import _IntegerData

#: Largest table length solved here (prefix-sum accuracy argument above).
MAX_T = 1024
#: Largest number of table-entry updates solved here.
MAX_WORK = 4_000_000

_EXTENDED = bool(np.finfo(np.longdouble).eps <= 2.0**-63)


def kernels_loaded() -> bool:
    """Whether the numba kernels are already imported in this process."""
    return "broadfront.analysis.power._kernels" in sys.modules


def fits(T: int, work: float) -> bool:
    """Whether a game with table length ``T`` and ``work`` updates should use numpy here."""
    return _EXTENDED and T <= MAX_T and work <= MAX_WORK and not kernels_loaded()


def _prefix(a: np.ndarray) -> np.ndarray:
    return np.cumsum(a.astype(np.longdouble), axis=-1).astype(np.float64)


def banzhaf_counts(data: _IntegerData) -> tuple[list[int], int]:
    """Exact swings of one player of each type and the number of winning coalitions."""
    iq, tw = data.quota, data.types
    n = data.weights.size
    qq = min(iq, data.total - iq + 1)
    lim = _modular.SMALL_PRIME_LIMIT
    k = _modular.primes_for_bits(n + 1, lim)
    primes, _, _ = _modular.crt_basis(k, lim)
    p = primes[:, None]
    c = np.zeros((k, qq), dtype=np.int64)
    c[:, 0] = 1
    support = 0
    for w in data.sorted.tolist():
        support += w
        hi = min(support, qq - 1)
        if hi < w:
            continue
        seg = c[:, w : hi + 1] + c[:, : hi + 1 - w]
        seg -= p * (seg >= p)
        c[:, w : hi + 1] = seg
    P = np.cumsum(c, axis=1) % p
    last = P[:, qq - 1]
    rows = np.zeros((tw.size, k), dtype=np.int64)
    for j, w in enumerate(tw.tolist()):
        if w <= 0:
            continue
        even = P[:, qq - 1 :: -2 * w].sum(axis=1) % primes
        odd = P[:, qq - 1 - w :: -2 * w].sum(axis=1) % primes if qq - 1 - w >= 0 else 0
        rows[j] = (2 * even - last - 2 * odd) % primes
    per_type = _modular.crt(rows, k, lim)
    below = _modular.crt(last.reshape(1, k), k, lim)[0]
    winning = 2**n - below if qq == iq else below
    return per_type, winning


def banzhaf_absolute(data: _IntegerData) -> np.ndarray:
    """Absolute Banzhaf values of every player in float64 (as the kernels' float method)."""
    iq, tw = data.quota, data.types
    qq = min(iq, data.total - iq + 1)
    prob = np.zeros(qq)
    prob[0] = 1.0
    support = 0
    for w in data.sorted.tolist():
        support += w
        hi = min(support, qq - 1)
        if hi >= w:
            prob[w : hi + 1] = 0.5 * (prob[w : hi + 1] + prob[: hi + 1 - w])
        prob[: min(w, hi + 1)] *= 0.5
    P = _prefix(prob)
    out = np.zeros(tw.size)
    for j, w in enumerate(tw.tolist()):
        if w <= 0:
            continue
        a = np.arange(qq - 1, -1, -w)
        b = a - w
        d = P[a] - np.where(b >= 0, P[np.maximum(b, 0)], 0.0)
        sign = np.where(np.arange(a.size) % 2 == 0, 2.0, -2.0)
        out[j] = float(np.sum(sign * d))
    return out[data.inverse]


def shapley(data: _IntegerData) -> np.ndarray:
    """Shapley-Shubik values of every player in float64 (as the kernels' table method)."""
    iq, tw, counts = data.quota, data.types, data.counts
    n = data.weights.size
    dual = data.total - iq + 1
    R = (n - 1) // 2
    T = max(iq, dual)
    first = int(np.argmax(counts))
    first_w, first_m = int(tw[first]), int(counts[first])
    rest = np.sort(np.repeat(np.delete(tw, first), np.delete(counts, first)))
    H = np.zeros((R + 1, T))
    for s in range(min(R, first_m) + 1):
        if s * first_w < T:
            H[s, s * first_w] = 1.0
    k = first_m
    for w in rest.tolist():
        k1 = k + 1
        m = min(R, k1)
        sizes = np.arange(1, m + 1)
        a = ((k1 - sizes) / k1)[:, None]
        b = (sizes / k1)[:, None]
        if w < T:
            moved = a * H[1 : m + 1, w:] + b * H[0:m, : T - w]
            H[1 : m + 1, :w] *= a
            H[1 : m + 1, w:] = moved
        else:
            H[1 : m + 1] *= a
        k = k1
    PH = _prefix(H)
    # beta[s, k] = n/(n-s) * prod_{i=1..k} (s-i+1)/(n-s+i) for k <= s (see _kernels._window_chain)
    S = np.arange(R + 1)
    beta = np.zeros((R + 1, R + 1))
    beta[:, 0] = n / (n - S)
    for kk in range(1, R + 1):
        beta[:, kk] = beta[:, kk - 1] * np.maximum(S - kk + 1, 0) / (n - S + kk)
    K = np.arange(R + 1)
    sign = np.where(K % 2 == 0, 1.0, -1.0)
    r = S[:, None] - K[None, :]
    lower = r >= 0
    rc = np.maximum(r, 0)
    out = np.zeros(tw.size)
    for j, w in enumerate(tw.tolist()):
        if w <= 0:
            continue
        acc = 0.0
        for Q, smax in ((iq, R), (dual, n - 2 - R)):
            if smax < 0:
                continue
            A = Q - 1 - K * w
            B = A - w
            valid = lower & (A >= 0)[None, :]
            d = PH[rc, np.maximum(A, 0)[None, :]] - np.where(
                (B >= 0)[None, :], PH[rc, np.maximum(B, 0)[None, :]], 0.0
            )
            terms = np.where(valid, sign[None, :] * beta * d, 0.0)
            acc += float(terms[: smax + 1].sum())
        out[j] = acc / n
    return np.clip(out[data.inverse], 0.0, 1.0)
