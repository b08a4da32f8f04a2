"""Compiled hot loops (numba) for :func:`broadfront.analysis.blocs.propagate_bloc`.

The precinct level is sampled from its exact distribution. For a precinct with expected
attendance ``a``, a Beta(``alpha``, ``beta``) bloc share and ``d`` delegates, attendance is
``n ~ Poisson(a)`` and, given ``n``, the bloc's head count is beta-binomial
(``b | n ~ BetaBinomial(n, alpha, beta)``; binomial when the share is fixed). This is the same
joint law as drawing the share ``s`` and then two independent Poisson counts with means
``a s`` and ``a (1 - s)`` (Poisson thinning: their sum is Poisson(a) whatever ``s`` is, and
given the sum the bloc count is Binomial(n, s)). :func:`precinct_pmf` sums
``P(n) P(b | n)`` over the walking-subcaucus outcome ``won(b, n, d)`` (an exact half-and-half
tie is a fair coin) into the probability of each number of delegates ``0 .. d``. Each
Monte Carlo draw then costs one uniform per precinct (:func:`sample_precincts`, inverse CDF
searched from the median outcome).

Truncation: the Poisson sum stops once the rest of its upper tail is provably below
``1e-18`` (for ``n > a`` the tail is at most ``P(n) (n + 1) / (n + 1 - a)``), attendances
with ``P(n) < 1e-300`` are skipped, and for log-concave head-count laws (binomial, or
``alpha, beta >= 1``) a head-count tail is dropped once it is decreasing and bounded by
``1e-20``. Before it is renormalized to sum to one a table's total differs from one by
less than ``1e-12`` (rounding in the log-gamma terms; the truncation itself is far smaller),
so every probability is exact to about twelve significant digits.

Precincts whose table would cost more than simulating them (very large attendance, few
draws) are simulated directly in :func:`sample_precincts` with the generator's own beta and
Poisson samplers, exactly as the plain numpy version did.

All kernels are compiled with ``cache=True`` so the compile cost is paid once per machine.

References
----------
N. L. Johnson, A. W. Kemp and S. Kotz, *Univariate Discrete Distributions*, 3rd ed., Wiley,
2005, DOI 10.1002/0471715816 (Poisson thinning, Sec. 4.8; beta-binomial, Sec. 6.7.2).

L. Devroye, *Non-Uniform Random Variate Generation*, Springer, 1986, Sec. III.2
(inversion by sequential search), DOI 10.1007/978-1-4613-8643-8.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

#: Upper Poisson tail left out of a table (bound on its mass).
POISSON_TAIL = 1e-18
#: Poisson terms below this are skipped (they underflow in the products anyway).
POISSON_SKIP = 1e-300
#: Head-count tail left out of a log-concave law once it is decreasing (bound on its mass).
HEAD_TAIL = 1e-20


@njit(cache=True, inline="always")
def won_and_tie(b, n, d):  # pragma: no cover - compiled
    """Walking-subcaucus seats of a bloc of ``b`` among ``n`` with ``d`` seats, and tie flag.

    Returns ``(w, tie)``: with ``tie`` true the bloc wins ``w + 1`` on a fair coin, else ``w``.
    Matches :func:`broadfront.analysis.blocs.walking_subcaucus_two_groups`.
    """
    if n <= 0 or d <= 0:
        return 0, False
    vnum = (n + d - 1) // d
    rest = n - b
    bloc_ok = b > 0 and b >= vnum
    rest_ok = rest > 0 and rest >= vnum
    if bloc_ok and rest_ok:
        prod = b * d
        base = prod // n
        rem2 = 2 * (prod - base * n)
        if rem2 > n:
            return base + 1, False
        return base, rem2 == n
    if bloc_ok:
        return d, False
    return 0, False


#: Above this, log rising factorials are summed term by term (lgamma differences of huge
#: arguments would lose digits to cancellation).
BIG_SHAPE = 1e5


@njit(cache=True)
def log_rising(x, k):  # pragma: no cover - compiled
    """``log(x (x + 1) ... (x + k - 1))`` for ``x > 0``, accurate for large ``x`` too."""
    if k <= 0:
        return 0.0
    if x < BIG_SHAPE:
        return math.lgamma(x + k) - math.lgamma(x)
    out = k * math.log(x)
    for j in range(1, k):
        out += math.log1p(j / x)
    return out


@njit(cache=True, inline="always")
def _add(acc, lo, w, tie, q):  # pragma: no cover - compiled
    if tie:
        acc[lo + w] += 0.5 * q
        acc[lo + w + 1] += 0.5 * q
    else:
        acc[lo + w] += q


@njit(cache=True)
def _precinct_table(acc, lo, a, m, alpha, beta, random_share, d):  # pragma: no cover
    """Add ``P(won = w)`` for ``w = 0 .. d`` into ``acc[lo : lo + d + 1]`` (unnormalized)."""
    if d <= 0 or a <= 0.0:
        acc[lo] += 1.0
        return
    loga = math.log(a)
    log_concave = (not random_share) or (alpha >= 1.0 and beta >= 1.0)
    if random_share:
        odds = 0.0
        logm = 0.0
        log1m = 0.0
    else:
        odds = m / (1.0 - m) if 0.0 < m < 1.0 else 0.0
        logm = math.log(m) if m > 0.0 else 0.0
        log1m = math.log(1.0 - m) if m < 1.0 else 0.0
    n = -1
    while True:
        n += 1
        pn = math.exp(n * loga - a - math.lgamma(n + 1.0))
        if n > a and pn * (n + 1.0) / (n + 1.0 - a) < POISSON_TAIL:
            break
        if pn < POISSON_SKIP:
            continue
        if n == 0:
            acc[lo] += pn
            continue
        if m <= 0.0:
            w, tie = won_and_tie(0, n, d)
            _add(acc, lo, w, tie, pn)
            continue
        if m >= 1.0:
            w, tie = won_and_tie(n, n, d)
            _add(acc, lo, w, tie, pn)
            continue
        b0 = min(n, max(0, int(n * m + 0.5)))
        lchoose = math.lgamma(n + 1.0) - math.lgamma(b0 + 1.0) - math.lgamma(n - b0 + 1.0)
        if random_share:
            logp0 = (lchoose + log_rising(alpha, b0) + log_rising(beta, n - b0)
                     - log_rising(alpha + beta, n))
        else:
            logp0 = lchoose + b0 * logm + (n - b0) * log1m
        p0 = math.exp(logp0)
        w, tie = won_and_tie(b0, n, d)
        _add(acc, lo, w, tie, pn * p0)
        # upwards: pmf(b + 1) = pmf(b) x ratio(b)
        v = p0
        for b in range(b0, n):
            if random_share:
                r = (n - b) * (b + alpha) / ((b + 1.0) * (n - b - 1.0 + beta))
            else:
                r = (n - b) * odds / (b + 1.0)
            nv = v * r
            if nv == 0.0:
                break
            if log_concave and nv < v and pn * nv * (n - b) < HEAD_TAIL:
                break
            v = nv
            w, tie = won_and_tie(b + 1, n, d)
            _add(acc, lo, w, tie, pn * v)
        # downwards: pmf(b) = pmf(b + 1) / ratio(b)
        v = p0
        for b in range(b0 - 1, -1, -1):
            if random_share:
                r = (n - b) * (b + alpha) / ((b + 1.0) * (n - b - 1.0 + beta))
            else:
                r = (n - b) * odds / (b + 1.0)
            nv = v / r
            if nv == 0.0:
                break
            if log_concave and nv < v and pn * nv * (b + 1.0) < HEAD_TAIL:
                break
            v = nv
            w, tie = won_and_tie(b, n, d)
            _add(acc, lo, w, tie, pn * v)


@njit(cache=True)
def precinct_pmf(att, mean, alpha, beta, random_share, pdel, tabled, offsets):  # pragma: no cover
    """Exact distribution of bloc delegates won at each tabled precinct.

    Returns a flat array: precinct ``i``'s probabilities of ``0 .. pdel[i]`` delegates in
    ``[offsets[i], offsets[i + 1])`` (zeros for precincts that are not tabled).
    """
    out = np.zeros(offsets[-1])
    for i in range(att.size):
        if not tabled[i]:
            continue
        lo = offsets[i]
        _precinct_table(out, lo, att[i], mean[i], alpha[i], beta[i], random_share[i], pdel[i])
        total = 0.0
        for j in range(lo, offsets[i + 1]):
            total += out[j]
        for j in range(lo, offsets[i + 1]):
            out[j] /= total
    return out


@njit(cache=True)
def cdf_tables(pmf, offsets):  # pragma: no cover - compiled
    """Cumulative tables (last entry exactly 1), each precinct's median outcome, and
    the outcome of precincts with only one possible outcome (-1 where random)."""
    p = offsets.size - 1
    cdf = np.empty_like(pmf)
    start = np.zeros(p, dtype=np.int64)
    certain = np.full(p, -1, dtype=np.int64)
    for i in range(p):
        lo = offsets[i]
        hi = offsets[i + 1]
        c = 0.0
        found = False
        for j in range(lo, hi):
            c += pmf[j]
            cdf[j] = c
            if not found and c >= 0.5:
                start[i] = j - lo
                found = True
            if pmf[j] == 1.0:
                certain[i] = j - lo
        cdf[hi - 1] = 1.0
    return cdf, start, certain


@njit(cache=True)
def sample_precincts(gen, k, cdf, offsets, start, certain, tabled, att, mean, alpha, beta,
                     random_share, pdel, district, won_d, precinct_sum):  # pragma: no cover
    """Add ``k`` draws of every precinct's bloc delegates into ``won_d[draw, district]``
    and ``precinct_sum[precinct]``.

    Tabled precincts: inverse CDF with one uniform (none when the outcome is certain).
    Others: share ~ Beta, bloc ~ Poisson(a s), others ~ Poisson(a (1 - s)), a coin on a tie.
    """
    p = att.size
    for r in range(k):
        for i in range(p):
            if tabled[i]:
                w = certain[i]
                if w < 0:
                    u = gen.random()
                    lo = offsets[i]
                    d = offsets[i + 1] - lo - 1
                    w = start[i]
                    if w > 0 and u < cdf[lo + w - 1]:
                        w -= 1
                        while w > 0 and u < cdf[lo + w - 1]:
                            w -= 1
                    else:
                        while w < d and u >= cdf[lo + w]:
                            w += 1
            else:
                s = gen.beta(alpha[i], beta[i]) if random_share[i] else mean[i]
                b = gen.poisson(att[i] * s)
                n = b + gen.poisson(att[i] * (1.0 - s))
                w, tie = won_and_tie(b, n, pdel[i])
                if tie and gen.random() < 0.5:
                    w += 1
            won_d[r, district[i]] += w
            precinct_sum[i] += w
