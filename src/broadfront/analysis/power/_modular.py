"""Pure-Python helpers for exact counting modulo several primes (no numba import).

Exact Banzhaf counts reach ``2^n``. Instead of multi-limb integers, the counting tables are
built modulo several primes just below ``2^62`` (so a sum of two residues never overflows
int64 and the additions vectorize), and each count is rebuilt from its residues by the
Chinese remainder theorem with Python integers at the end. Enough primes are used that their
product exceeds every value that is reconstructed, so the result is exact.

References
----------
.. [1] D. E. Knuth, *The Art of Computer Programming*, Vol. 2, *Seminumerical Algorithms*,
   3rd ed., Addison-Wesley, 1997, section 4.3.2 (modular arithmetic, Chinese remainder
   theorem).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Residues are kept below primes smaller than this, so ``a + b < 2^63`` for residues a, b.
PRIME_LIMIT = 1 << 62

_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def _is_prime(m: int) -> bool:
    """Deterministic Miller-Rabin (the bases above are exact for every ``m < 3.3e24``)."""
    if m < 2:
        return False
    for b in _MR_BASES:
        if m % b == 0:
            return m == b
    d, r = m - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for b in _MR_BASES:
        x = pow(b, d, m)
        if x in (1, m - 1):
            continue
        for _ in range(r - 1):
            x = x * x % m
            if x == m - 1:
                break
        else:
            return False
    return True


#: Residues of the numpy path (:mod:`._small`) stay below primes smaller than this, so a
#: prefix sum of up to ``2^31`` residues fits in int64.
SMALL_PRIME_LIMIT = 1 << 31

#: The largest primes below each limit, as ``limit - gap`` (checked by the tests against a
#: search with :func:`_is_prime`); more are searched for when needed.
_GAPS = {
    PRIME_LIMIT: (
        57, 87, 117, 143, 153, 167, 171, 195, 203, 273, 287, 317, 443, 483, 495, 575, 581, 603,
        633, 663, 765, 773, 777, 791, 813, 831, 923, 981, 993, 1001, 1007, 1017, 1197, 1241,
        1293, 1353, 1433, 1515, 1553, 1575, 1581, 1595, 1617, 1673, 1697, 1701, 1703, 1823,
        1881, 1911, 1923, 2043, 2073, 2103, 2141, 2187, 2217, 2247, 2285, 2351, 2367, 2375,
        2397, 2421,
    ),
    SMALL_PRIME_LIMIT: (
        1, 19, 61, 69, 85, 99, 105, 151, 159, 171, 225, 249, 295, 325, 379, 399, 411, 469, 477,
        511, 525, 571, 579, 589, 595, 615, 619, 697, 699, 705, 711, 727, 771, 775, 781, 789,
        829, 831, 837, 847, 885, 909, 951, 955, 967, 985, 987, 1027,
    ),
}
_PRIMES: dict[int, list[int]] = {lim: [lim - g for g in gaps] for lim, gaps in _GAPS.items()}


def primes_below_limit(count: int, limit: int = PRIME_LIMIT) -> list[int]:
    """The ``count`` largest primes below ``limit``, descending."""
    found = _PRIMES.setdefault(limit, [])
    m = (found[-1] if found else limit + 1) - 2
    while len(found) < count:
        if _is_prime(m):
            found.append(m)
        m -= 2
    return found[:count]


@lru_cache(maxsize=128)
def crt_basis(count: int, limit: int = PRIME_LIMIT) -> tuple[np.ndarray, tuple[int, ...], int]:
    """Primes (int64 array), CRT coefficients ``e_i`` (``e_i = 1 mod p_i``, ``0 mod p_j``)
    and their product ``M`` for the ``count`` largest primes below ``limit``."""
    primes = primes_below_limit(count, limit)
    M = 1
    for p in primes:
        M *= p
    coeffs = []
    for p in primes:
        Mi = M // p
        coeffs.append(Mi * pow(Mi % p, -1, p))
    return np.array(primes, dtype=np.int64), tuple(coeffs), M


@lru_cache(maxsize=128)
def garner_inverses(count: int, limit: int = PRIME_LIMIT) -> np.ndarray:
    """``inv[j, i] = p_j^-1 mod p_i`` for ``j < i`` (zero elsewhere), int64, for Garner's
    mixed-radix form of the CRT (Knuth 4.3.2): with digits ``v_0 = r_0`` and
    ``v_i = (..((r_i - v_0) inv[0, i] - v_1) inv[1, i] .. - v_(i-1)) inv[i-1, i] mod p_i``,
    the number is ``v_0 + p_0 (v_1 + p_1 (v_2 + ..))``."""
    primes = primes_below_limit(count, limit)
    inv = np.zeros((count, count), dtype=np.int64)
    for i, pi in enumerate(primes):
        for j in range(i):
            inv[j, i] = pow(primes[j], -1, pi)
    return inv


def from_mixed_radix(digits: list[int], primes: list[int]) -> int:
    """``v_0 + p_0 (v_1 + p_1 (v_2 + ..))`` for Garner digits ``v`` (see :func:`garner_inverses`)."""
    x = digits[-1]
    for j in range(len(digits) - 2, -1, -1):
        x = x * primes[j] + digits[j]
    return x


@lru_cache(maxsize=4096)
def primes_for_bits(bits: int, limit: int = PRIME_LIMIT) -> int:
    """Number of primes below ``limit`` whose product exceeds ``2^bits``."""
    count = 1
    while True:
        _, _, M = crt_basis(count, limit)
        if M.bit_length() > bits + 1:
            return count
        count += 1


def crt(residues: np.ndarray, count: int, limit: int = PRIME_LIMIT) -> list[int]:
    """Rebuild non-negative integers below the product of the primes from residue rows.

    ``residues`` has shape ``(k, count)``: row ``j`` holds ``x_j mod p_i`` for each prime.
    """
    if count == 1:  # values below one prime are their own residues
        return [int(x) for x in residues[:, 0].tolist()]
    _, coeffs, M = crt_basis(count, limit)
    out = []
    for row in residues.tolist():
        x = 0
        for r, e in zip(row, coeffs, strict=True):
            x += r * e
        out.append(x % M)
    return out
