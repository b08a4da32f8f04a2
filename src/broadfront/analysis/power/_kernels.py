"""Compiled hot loops (numba) for the generating-function algorithms in :mod:`.indices`.

Exact counts use multi-limb integers: 62-bit limbs stored in int64, so a sum of two limbs and
a carry never overflows. Floating-point kernels keep every table entry a probability in [0, 1]
(a convex combination of earlier entries), so nothing overflows or underflows harmfully.

All kernels are compiled with ``cache=True`` so the compile cost is paid once per machine.
"""

from __future__ import annotations

import numpy as np
from numba import njit

LIMB_BITS = 62
LIMB_MASK = (1 << LIMB_BITS) - 1


def limbs_for_bits(bits: int) -> int:
    """Number of 62-bit limbs that hold an unsigned integer of ``bits`` bits."""
    return max(1, -(-bits // LIMB_BITS))


def limbs_to_int(row: np.ndarray) -> int:
    """The Python integer held in a row of 62-bit limbs (least significant first)."""
    out = 0
    for limb in row[::-1]:
        out = (out << LIMB_BITS) | int(limb)
    return out


@njit(cache=True)
def subset_sum_counts_limbs(weights, T, L):  # pragma: no cover - compiled
    """Number of subsets of ``weights`` with each total ``t < T``, as limb rows ``c[t, :]``."""
    mask = np.int64(LIMB_MASK)
    c = np.zeros((T, L), dtype=np.int64)
    c[0, 0] = 1
    support = 0
    for k in range(weights.size):
        w = weights[k]
        support += w
        hi = min(support, T - 1)
        lim = min(L, (k + 2) // LIMB_BITS + 1)
        for t in range(hi, w - 1, -1):
            carry = np.int64(0)
            u = t - w
            for limb in range(lim):
                s = c[t, limb] + c[u, limb] + carry
                carry = s >> LIMB_BITS
                c[t, limb] = s & mask
    return c


@njit(cache=True)
def prefix_sums_limbs(c):  # pragma: no cover - compiled
    """In place: ``c[t] <- c[0] + ... + c[t]`` (limb rows)."""
    mask = np.int64(LIMB_MASK)
    T, L = c.shape
    for t in range(1, T):
        carry = np.int64(0)
        for limb in range(L):
            s = c[t, limb] + c[t - 1, limb] + carry
            carry = s >> LIMB_BITS
            c[t, limb] = s & mask
    return c


@njit(cache=True)
def _add_row(acc, P, a, sign_b, b):  # pragma: no cover - compiled
    """acc += P[a] - P[b] (P[b] taken as 0 when b < 0); the difference is non-negative."""
    mask = np.int64(LIMB_MASK)
    L = acc.size
    borrow = np.int64(0)
    carry = np.int64(0)
    for limb in range(L):
        d = P[a, limb] - borrow
        if b >= 0:
            d -= P[b, limb]
        if d < 0:
            d += np.int64(1) << LIMB_BITS
            borrow = np.int64(1)
        else:
            borrow = np.int64(0)
        s = acc[limb] + d + carry
        carry = s >> LIMB_BITS
        acc[limb] = s & mask


@njit(cache=True)
def banzhaf_swings_limbs(P, type_weights, qq):  # pragma: no cover - compiled
    """Swing counts of one player of each weight, from prefix sums ``P`` of subset counts.

    With ``c`` the subset counts of all players and ``c_i = c / (1 + x^w)`` those of the other
    players, the swings ``sum_{t=qq-w}^{qq-1} c_i[t]`` equal the alternating sum of window
    sums ``D_k = P[qq-1-kw] - P[qq-1-(k+1)w]`` of ``c``: no per-player division is needed.
    """
    L = P.shape[1]
    out = np.zeros((type_weights.size, L), dtype=np.int64)
    even = np.zeros(L, dtype=np.int64)
    odd = np.zeros(L, dtype=np.int64)
    mask = np.int64(LIMB_MASK)
    for j in range(type_weights.size):
        w = type_weights[j]
        if w <= 0:
            continue
        even[:] = 0
        odd[:] = 0
        a = qq - 1
        parity = 0
        while a >= 0:
            b = a - w
            if parity == 0:
                _add_row(even, P, a, 1, b)
            else:
                _add_row(odd, P, a, 1, b)
            parity ^= 1
            a = b
        borrow = np.int64(0)
        for limb in range(L):
            d = even[limb] - odd[limb] - borrow
            if d < 0:
                d += np.int64(1) << LIMB_BITS
                borrow = np.int64(1)
            else:
                borrow = np.int64(0)
            out[j, limb] = d & mask
    return out


@njit(cache=True)
def subset_sum_probabilities(weights, T):  # pragma: no cover - compiled
    """``p[t]``: probability that a uniformly random subset has total ``t`` (for ``t < T``)."""
    p = np.zeros(T, dtype=np.float64)
    p[0] = 1.0
    support = 0
    for k in range(weights.size):
        w = weights[k]
        support += w
        hi = min(support, T - 1)
        for t in range(hi, w - 1, -1):
            p[t] = 0.5 * (p[t] + p[t - w])
        for t in range(min(w, hi + 1) - 1, -1, -1):
            p[t] = 0.5 * p[t]
    return p


@njit(cache=True)
def kahan_prefix(p):  # pragma: no cover - compiled
    """Compensated prefix sums of a 1-D array (error independent of the length)."""
    out = np.empty_like(p)
    s = 0.0
    comp = 0.0
    for t in range(p.size):
        y = p[t] - comp
        z = s + y
        comp = (z - s) - y
        s = z
        out[t] = s
    return out


@njit(cache=True)
def banzhaf_float(P, type_weights, qq):  # pragma: no cover - compiled
    """Swing probabilities (absolute Banzhaf) of one player of each weight, from prefix sums."""
    out = np.zeros(type_weights.size)
    for j in range(type_weights.size):
        w = type_weights[j]
        if w <= 0:
            continue
        a = qq - 1
        sign = 1.0
        acc = 0.0
        while a >= 0:
            b = a - w
            d = P[a] - (P[b] if b >= 0 else 0.0)
            acc += sign * 2.0 * d
            sign = -sign
            a = b
        out[j] = acc
    return out


@njit(cache=True)
def size_weight_table(first_w, first_m, weights, R, T):  # pragma: no cover - compiled
    """``H[s, t]``: probability that a uniform random ``s``-subset of all players weighs ``t``.

    Rows ``s <= R`` and totals ``t < T`` only. The first ``first_m`` players all weigh
    ``first_w`` (so the table starts as a binomial block); ``weights`` are added one by one
    with the convex update ``H'[s,t] = (k+1-s)/(k+1) H[s,t] + s/(k+1) H[s-1,t-w]``.
    """
    H = np.zeros((R + 1, T), dtype=np.float64)
    lo = np.full(R + 1, T, dtype=np.int64)
    hi = np.full(R + 1, -1, dtype=np.int64)
    for s in range(min(R, first_m) + 1):
        t = s * first_w
        if t < T:
            H[s, t] = 1.0
            lo[s] = t
            hi[s] = t
    k = first_m
    for idx in range(weights.size):
        w = weights[idx]
        k1 = k + 1
        for s in range(min(R, k1), 0, -1):
            a = (k1 - s) / k1
            b = s / k1
            # new support of row s: old row s together with row s-1 shifted by w
            nlo = lo[s]
            nhi = hi[s]
            if hi[s - 1] >= 0 and lo[s - 1] + w < T:
                nlo = min(nlo, lo[s - 1] + w)
                nhi = max(nhi, min(hi[s - 1] + w, T - 1))
            if nhi < 0:
                continue
            row = H[s]
            prev = H[s - 1]
            start = max(nlo, w)
            for t in range(nlo, min(start, nhi + 1)):
                row[t] = a * row[t]
            for t in range(start, nhi + 1):
                row[t] = a * row[t] + b * prev[t - w]
            lo[s] = nlo
            hi[s] = nhi
        k = k1
    return H


@njit(cache=True)
def kahan_prefix_rows(H):  # pragma: no cover - compiled
    """In place compensated prefix sums of every row of ``H``."""
    for s in range(H.shape[0]):
        total = 0.0
        comp = 0.0
        row = H[s]
        for t in range(row.size):
            y = row[t] - comp
            z = total + y
            comp = (z - total) - y
            total = z
            row[t] = total
    return H


@njit(cache=True)
def _window_chain(PH, n, s, w, Q):  # pragma: no cover - compiled
    """Sum over ``t in [Q-w, Q-1]`` of ``h[s, t]``, the table of the ``n-1`` other players.

    ``h[s,t] = n/(n-s) H[s,t] - s/(n-s) h[s-1,t-w]`` unrolls to
    ``sum_k (-1)^k beta_{s,k} H[s-k, t-kw]`` with ``beta_{s,0} = n/(n-s)`` and
    ``beta_{s,k} = beta_{s,k-1} (s-k+1)/(n-s+k)``; every ``beta`` is at most 2 when
    ``s <= (n-1)/2``, so the sum is numerically stable.
    """
    beta = n / (n - s)
    sign = 1.0
    acc = 0.0
    for k in range(s + 1):
        a = Q - 1 - k * w
        if a < 0:
            break
        b = a - w
        r = s - k
        d = PH[r, a] - (PH[r, b] if b >= 0 else 0.0)
        acc += sign * beta * d
        sign = -sign
        beta = beta * (s - k) / (n - s + k + 1)
    return acc


@njit(cache=True)
def shapley_from_table(PH, n, type_weights, q, q_dual):  # pragma: no cover - compiled
    """Shapley-Shubik value of one player of each weight from row prefix sums of ``H``.

    Coalitions of the other players of size ``s <= (n-1)/2`` are counted directly with quota
    ``q``; larger ones through their complements (size ``n-1-s``) with the dual quota
    ``q_dual = total - q + 1``.
    """
    R = (n - 1) // 2
    out = np.zeros(type_weights.size)
    for j in range(type_weights.size):
        w = type_weights[j]
        if w <= 0:
            continue
        acc = 0.0
        for s in range(R + 1):
            acc += _window_chain(PH, n, s, w, q)
        for s in range(n - 1 - R):
            acc += _window_chain(PH, n, s, w, q_dual)
        out[j] = acc / n
    return out


@njit(cache=True)
def minimal_winning_count_limbs(weights_desc, q, L):  # pragma: no cover - compiled
    """Number of minimal winning coalitions of ``[q; w]`` (positive weights, descending).

    A coalition listed in descending weight order is minimal winning exactly when it first
    reaches ``q`` with its last (lightest) member, so the count is the sum over players ``j``
    of the subsets of the players before ``j`` weighing ``q - w_j .. q - 1``.
    """
    mask = np.int64(LIMB_MASK)
    c = np.zeros((q, L), dtype=np.int64)
    c[0, 0] = 1
    acc = np.zeros(L, dtype=np.int64)
    for k in range(weights_desc.size):
        w = weights_desc[k]
        for t in range(max(0, q - w), q):
            carry = np.int64(0)
            for limb in range(L):
                s = acc[limb] + c[t, limb] + carry
                carry = s >> LIMB_BITS
                acc[limb] = s & mask
        for t in range(q - 1, w - 1, -1):
            carry = np.int64(0)
            for limb in range(L):
                s = c[t, limb] + c[t - w, limb] + carry
                carry = s >> LIMB_BITS
                c[t, limb] = s & mask
    return acc
