"""Compiled hot loops (numba) for the generating-function algorithms in :mod:`.indices`.

Exact Banzhaf counts are computed modulo several primes below ``2^62`` (a sum of two residues
never overflows int64) and rebuilt by the Chinese remainder theorem in :mod:`._modular`.
The minimal-winning count uses multi-limb integers: 62-bit limbs stored in int64, so a sum
of two limbs and a carry never overflows. Floating-point kernels keep every table entry a probability in [0, 1]
(a convex combination of earlier entries), so nothing overflows or underflows harmfully.

All kernels are compiled with ``cache=True`` so the compile cost is paid once per machine.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

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


#: Block length (table entries) of the cache-blocked modular subset-sum sweep.
MOD_BLOCK = 512
#: Players swept together in one cache-blocked wave.
MOD_GROUP = 8
#: Largest weight for which the float sweep uses waves (a wave spans the group's weights).
WAVE_MAX_WEIGHT = 8192


@njit(cache=True, inline="always")
def _mod_add_into(dst, src, p):  # pragma: no cover - compiled
    """``dst <- (dst + src) mod p`` for residues below ``p < 2^62`` (vectorizes)."""
    for i in range(dst.size):
        s = dst[i] + src[i]
        dst[i] = s - p if s >= p else s


@njit(cache=True)
def subset_sum_counts_mod(weights, T, p, c, tmp):  # pragma: no cover - compiled
    """In place: ``c[t]`` = number of subsets of ``weights`` of total ``t < T``, modulo ``p``.

    The textbook update ``c[t] += c[t - w]`` (descending ``t``) is applied for ``MOD_GROUP``
    players at once as a skewed wave: player ``j`` of a group works ``lag_j = w_1 + .. + w_j``
    entries above player ``j - 1``, so when it reads ``c[t - w_j]`` that entry already holds
    player ``j - 1``'s value and not yet its own. A block of ``MOD_BLOCK`` positions is swept by
    every player of the group before the next block, so the group's working set stays in cache
    (one pass over the table per group instead of one per player).
    """
    G = MOD_GROUP
    B = MOD_BLOCK
    n = weights.size
    c[:] = 0
    c[0] = 1
    support = 0
    lag = np.zeros(G, np.int64)
    his = np.zeros(G, np.int64)
    for g0 in range(0, n, G):
        m_pl = min(n, g0 + G) - g0
        acc = 0
        tau_hi = -(1 << 62)
        tau_lo = 1 << 62
        for j in range(m_pl):
            w = weights[g0 + j]
            support += w
            acc += w
            lag[j] = acc
            his[j] = min(support, T - 1)
            if his[j] >= w:
                tau_hi = max(tau_hi, his[j] - acc)
                tau_lo = min(tau_lo, w - acc)
        b = tau_hi
        while b >= tau_lo:
            a = max(tau_lo, b - B + 1)
            for j in range(m_pl):
                w = weights[g0 + j]
                lo = max(a + lag[j], w)
                top = min(b + lag[j], his[j])
                if top < lo:
                    continue
                if w >= 64:
                    # chunks of at most w entries never read what they write
                    while top >= lo:
                        l2 = max(lo, top - w + 1)
                        _mod_add_into(c[l2:top + 1], c[l2 - w:top + 1 - w], p)
                        top = l2 - 1
                else:
                    m = top - lo + 1
                    src = tmp[:m]
                    src[:] = c[lo - w:top + 1 - w]
                    _mod_add_into(c[lo:top + 1], src, p)
            b = a - 1
    return c


@njit(cache=True)
def _subset_counts_small(weights, qq, p, c):  # pragma: no cover - compiled
    """:func:`subset_sum_counts_mod` for a table that fits in one block: a plain sweep per
    player (weights ascending, so each sweep stops at the weights seen so far)."""
    c[:] = 0
    c[0] = 1
    support = 0
    for j in range(weights.size):
        w = weights[j]
        support += w
        for t in range(min(support, qq - 1), w - 1, -1):
            s = c[t] + c[t - w]
            c[t] = s - p if s >= p else s


@njit(cache=True)
def _swings_one_prime(weights, type_weights, qq, p, out, below, i):  # pragma: no cover
    """Column ``i`` of :func:`banzhaf_swings_mod`: everything modulo the prime ``p``."""
    c = np.empty(qq, dtype=np.int64)
    if qq <= MOD_BLOCK:
        _subset_counts_small(weights, qq, p, c)
    else:
        tmp = np.empty(MOD_BLOCK, dtype=np.int64)
        subset_sum_counts_mod(weights, qq, p, c, tmp)
    for t in range(1, qq):
        s = c[t] + c[t - 1]
        c[t] = s - p if s >= p else s
    below[i] = c[qq - 1]
    for j in range(type_weights.size):
        w = type_weights[j]
        if w <= 0:
            continue
        # telescoped: sum_k (-1)^k D_k = 2 sum_{k even} P[a_k] - P[a_0] - 2 sum_{k odd} P[a_k]
        # with a_k = qq - 1 - k w (branch-free modular sums)
        even = np.int64(0)
        for a in range(qq - 1, -1, -2 * w):
            s = even + c[a]
            even = s - p if s >= p else s
        odd = np.int64(0)
        for a in range(qq - 1 - w, -1, -2 * w):
            s = odd + c[a]
            odd = s - p if s >= p else s
        acc = even - odd
        acc = acc + p if acc < 0 else acc
        acc = acc + acc
        acc = acc - p if acc >= p else acc
        acc = acc - c[qq - 1]
        acc = acc + p if acc < 0 else acc
        out[j, i] = acc


@njit(cache=True)
def banzhaf_swings_mod(weights, type_weights, qq, primes):  # pragma: no cover - compiled
    """Swing counts of one player of each weight, and ``#{coalitions weighing < qq}``, mod primes.

    For each prime: subset counts ``c`` of all players below ``qq`` and their prefix sums
    ``P``. With ``c_i = c / (1 + x^w)`` the counts of the other players, the swings
    ``sum_{t=qq-w}^{qq-1} c_i[t]`` equal the alternating sum of window sums
    ``D_k = P[qq-1-kw] - P[qq-1-(k+1)w]`` of ``c``: no per-player division is needed.
    Returns ``(swings[type, prime], below[prime])``.
    """
    k = primes.size
    out = np.zeros((type_weights.size, k), dtype=np.int64)
    below = np.zeros(k, dtype=np.int64)
    for i in range(k):
        _swings_one_prime(weights, type_weights, qq, primes[i], out, below, i)
    return out, below


@njit(cache=True, parallel=True)
def banzhaf_swings_mod_parallel(weights, type_weights, qq, primes):  # pragma: no cover
    """:func:`banzhaf_swings_mod` with the (independent) primes spread over threads."""
    k = primes.size
    out = np.zeros((type_weights.size, k), dtype=np.int64)
    below = np.zeros(k, dtype=np.int64)
    for i in prange(k):
        _swings_one_prime(weights, type_weights, qq, primes[i], out, below, i)
    return out, below


@njit(cache=True, inline="always")
def _half_add_into(dst, src):  # pragma: no cover - compiled
    """``dst <- (dst + src) / 2`` (vectorizes)."""
    for i in range(dst.size):
        dst[i] = 0.5 * (dst[i] + src[i])


@njit(cache=True)
def subset_sum_probabilities(weights, T, G):  # pragma: no cover - compiled
    """``p[t]``: probability that a uniformly random subset has total ``t`` (for ``t < T``).

    The same wave as :func:`subset_sum_counts_mod`: ``MOD_GROUP`` players sweep each block of
    ``MOD_BLOCK`` totals in turn, player ``j`` lagging ``w_j`` entries behind player ``j - 1``,
    with the update ``p[t] <- (p[t] + p[t - w]) / 2`` (and ``p[t] / 2`` for ``t < w``).
    ``G`` players form a wave (1 when the weights are so large that a wave's span would not
    stay in cache anyway).
    """
    B = MOD_BLOCK
    n = weights.size
    p = np.zeros(T, dtype=np.float64)
    p[0] = 1.0
    tmp = np.empty(B, dtype=np.float64)
    support = 0
    lag = np.zeros(max(G, 1), np.int64)
    his = np.zeros(max(G, 1), np.int64)
    for g0 in range(0, n, G):
        m_pl = min(n, g0 + G) - g0
        acc = 0
        tau_hi = -(1 << 62)
        tau_lo = 1 << 62
        for j in range(m_pl):
            w = weights[g0 + j]
            support += w
            acc += w
            lag[j] = acc
            his[j] = min(support, T - 1)
            # every entry 0..his[j] changes (halved below w)
            tau_hi = max(tau_hi, his[j] - acc)
            tau_lo = min(tau_lo, -acc)
        b = tau_hi
        while b >= tau_lo:
            a = max(tau_lo, b - B + 1)
            for j in range(m_pl):
                w = weights[g0 + j]
                lo = max(a + lag[j], 0)
                top = min(b + lag[j], his[j])
                if top < lo:
                    continue
                # first the entries at or above w (they read lower entries not yet updated),
                # then the entries below w, which are only halved
                low_top = min(top, w - 1)
                hi_lo = max(lo, w)
                if w >= 64:
                    t2 = top
                    while t2 >= hi_lo:
                        l2 = max(hi_lo, t2 - w + 1)
                        _half_add_into(p[l2:t2 + 1], p[l2 - w:t2 + 1 - w])
                        t2 = l2 - 1
                elif top >= hi_lo:
                    m = top - hi_lo + 1
                    src = tmp[:m]
                    src[:] = p[hi_lo - w:top + 1 - w]
                    _half_add_into(p[hi_lo:top + 1], src)
                for t in range(lo, low_top + 1):
                    p[t] = 0.5 * p[t]
            b = a - 1
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
def size_weight_table(first_w, first_m, weights, R, T, LO, HI, off):  # pragma: no cover
    """``H[s, t]``: probability that a uniform random ``s``-subset of all players weighs ``t``.

    Rows ``s <= R`` and totals ``t < T`` only, stored ragged: row ``s`` keeps only totals
    ``LO[s] <= t <= HI[s]`` (the lightest and heaviest ``s`` players; every other entry is 0),
    at ``flat[off[s] + t - LO[s]]``. For 1,000 players this halves the table.
    The first ``first_m`` players all weigh ``first_w`` (so the table starts as a binomial
    block); ``weights`` are added one by one with the convex update
    ``H'[s,t] = (k+1-s)/(k+1) H[s,t] + s/(k+1) H[s-1,t-w]``.
    """
    flat = np.zeros(off[R + 1], dtype=np.float64)
    lo = np.full(R + 1, T, dtype=np.int64)
    hi = np.full(R + 1, -1, dtype=np.int64)
    for s in range(min(R, first_m) + 1):
        t = s * first_w
        if t < T:
            flat[off[s] + t - LO[s]] = 1.0
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
            plo = lo[s - 1] + w
            phi = min(hi[s - 1] + w, T - 1)
            if hi[s - 1] >= 0 and plo < T:
                nlo = min(nlo, plo)
                nhi = max(nhi, phi)
            else:
                phi = -1
            if nhi < 0:
                continue
            rs = off[s] - LO[s]
            rp = off[s - 1] - LO[s - 1] - w
            if phi < 0:
                plo = nhi + 1
            for t in range(nlo, plo):
                flat[rs + t] = a * flat[rs + t]
            for t in range(plo, phi + 1):
                flat[rs + t] = a * flat[rs + t] + b * flat[rp + t]
            for t in range(max(plo, phi + 1), nhi + 1):
                flat[rs + t] = a * flat[rs + t]
            lo[s] = nlo
            hi[s] = nhi
        k = k1
    return flat


@njit(cache=True)
def kahan_prefix_rows(flat, off, R):  # pragma: no cover - compiled
    """In place compensated prefix sums of every (ragged) row of the table."""
    for s in range(R + 1):
        total = 0.0
        comp = 0.0
        for i in range(off[s], off[s + 1]):
            y = flat[i] - comp
            z = total + y
            comp = (z - total) - y
            total = z
            flat[i] = total
    return flat


@njit(cache=True, inline="always")
def _ph(PH, LO, HI, off, r, a):  # pragma: no cover - compiled
    """Prefix sum of row ``r`` up to total ``a`` (0 below the row, its total above it)."""
    if a < LO[r]:
        return 0.0
    if a > HI[r]:
        a = HI[r]
    return PH[off[r] + a - LO[r]]


@njit(cache=True)
def _window_chain(PH, LO, HI, off, n, s, w, Q):  # pragma: no cover - compiled
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
        d = _ph(PH, LO, HI, off, r, a) - (_ph(PH, LO, HI, off, r, b) if b >= 0 else 0.0)
        acc += sign * beta * d
        sign = -sign
        beta = beta * (s - k) / (n - s + k + 1)
    return acc


@njit(cache=True)
def shapley_from_table(PH, LO, HI, off, n, type_weights, q, q_dual):  # pragma: no cover
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
            acc += _window_chain(PH, LO, HI, off, n, s, w, q)
        for s in range(n - 1 - R):
            acc += _window_chain(PH, LO, HI, off, n, s, w, q_dual)
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


@njit(cache=True)
def _mulmod(a, b, p):  # pragma: no cover - compiled
    """``a * b mod p`` for ``0 <= a, b < p < 2^62`` without overflow (double and add)."""
    r = np.int64(0)
    while b > 0:
        if b & 1:
            r += a
            r = r - p if r >= p else r
        a += a
        a = a - p if a >= p else a
        b >>= 1
    return r


@njit(cache=True)
def _garner_rows(out, primes, inv):  # pragma: no cover - compiled
    """In place: each row of residues ``out[j]`` becomes its Garner mixed-radix digits.

    With ``inv[h, i] = p_h^-1 mod p_i`` (:func:`._modular.garner_inverses`), the row's number
    is ``v_0 + p_0 (v_1 + p_1 (v_2 + ..))`` (Knuth, TAOCP vol. 2, 4.3.2), so the caller
    rebuilds it with ``k - 1`` small multiplications instead of ``k`` products with the large
    CRT coefficients and a reduction modulo their product.
    """
    k = primes.size
    for j in range(out.shape[0]):
        for i in range(1, k):
            p = primes[i]
            v = out[j, i]
            for h in range(i):
                d = v - out[j, h] % p
                d = d + p if d < 0 else d
                v = _mulmod(d, inv[h, i], p)
            out[j, i] = v


@njit(cache=True)
def banzhaf_small_fused(weights, quota, max_total, primes, inv):  # pragma: no cover - compiled
    """Exact Banzhaf swings of a small game straight from its float weights, in one call.

    For the fused small-game path of :func:`broadfront.analysis.power.indices.banzhaf`. The
    weights must be integers with a total of at most ``max_total`` (else ``ok`` is False and
    nothing else is meaningful); the integer quota is ``max(1, min(ceil(quota), total))`` as in
    the game's integer form. The players are sorted and grouped by weight (a lookup table over
    weights, which are at most ``max_total``), and :func:`_swings_one_prime` solves one player
    of each weight. Returns ``(ok, digits[type, prime], inverse, column, scaled, values)``:
    each type's count as Garner mixed-radix digits (:func:`_garner_rows`; with one prime the
    residue is the count), the type of each player, and with one prime each player's count
    ``column`` with its float64 value ``scaled = count * 2^(1-n)`` (exact: a power-of-two
    scaling of an integer below ``2^53``) and, when the counts total less than ``2^53`` (so
    every count and partial sum is exact in float64), the normalized index
    ``values = count / total`` (one correctly rounded division, as numpy's); otherwise
    ``values`` is empty and the caller divides the Python integers.
    """
    n = weights.size
    k = primes.size
    iw = np.empty(n, dtype=np.int64)
    total = 0
    biggest = 0
    for i in range(n):
        x = weights[i]
        if x != np.floor(x) or x > max_total:
            return (False, np.zeros((0, k), np.int64), np.zeros(0, np.int64),
                    np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
        v = np.int64(x)
        iw[i] = v
        total += v  # type: ignore[assignment]
        biggest = max(biggest, v)  # type: ignore[assignment]
    if total > max_total:
        return (False, np.zeros((0, k), np.int64), np.zeros(0, np.int64),
                np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    iq = max(1, min(np.int64(math.ceil(quota)), total))
    qq = min(iq, total - iq + 1)  # type: ignore[operator]
    # counting sort over the weights (at most max_total): the sorted weights, the distinct
    # weights in ascending order and the type of each player
    count = np.zeros(biggest + 1, dtype=np.int64)
    for i in range(n):
        count[iw[i]] += 1
    ws = np.empty(n, dtype=np.int64)
    pos = np.empty(biggest + 1, dtype=np.int64)
    m = 0
    at = 0
    for x in range(biggest + 1):
        if count[x] > 0:
            pos[x] = m
            m += 1
            for _ in range(count[x]):
                ws[at] = x
                at += 1
    tw = np.empty(m, dtype=np.int64)
    for x in range(biggest + 1):
        if count[x] > 0:
            tw[pos[x]] = x
    inverse = np.empty(n, dtype=np.int64)
    for i in range(n):
        inverse[i] = pos[iw[i]]
    out = np.zeros((m, k), dtype=np.int64)
    below = np.zeros(k, dtype=np.int64)
    for i in range(k):
        _swings_one_prime(ws, tw, qq, primes[i], out, below, i)
    if k > 1:
        _garner_rows(out, primes, inv)
    column = np.zeros(n if k == 1 else 0, dtype=np.int64)
    scaled = np.zeros(n if k == 1 else 0)
    values = np.zeros(0)
    if k == 1:
        unit = math.ldexp(1.0, 1 - n)
        swing_total = np.int64(0)
        for i in range(n):
            column[i] = out[inverse[i], 0]
            scaled[i] = np.float64(column[i]) * unit
            if swing_total < 2**53:  # each count is below 2^53 here, so this cannot overflow
                swing_total += column[i]
        if swing_total < 2**53:
            values = np.zeros(n)
            if swing_total > 0:
                for i in range(n):
                    values[i] = np.float64(column[i]) / np.float64(swing_total)
    return True, out, inverse, column, scaled, values
