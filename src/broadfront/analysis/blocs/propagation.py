"""Carrying a bloc's caucus share through the conventions, by vectorized Monte Carlo.

Levels: precinct caucuses elect delegates to district (or county) conventions, which
elect delegates to the state convention. At every level the bloc stands as one
subcaucus against everyone else, and seats are allocated by the DFL walking-subcaucus
rule (viability ``ceil(n / d)``, then whole parts and the larger remainder; an exact tie
of remainders at one half is settled by a coin). Between levels each elected delegate
attends the next convention with probability ``1 - attrition`` (bloc and others may
differ).

Uncertainty: each precinct's attendance is Poisson around its expectation; the bloc's
share is Beta distributed with the given mean and standard deviation; the bloc's head
count is Binomial(attendance, share). Given the attendance ``n``, the head count is then
beta-binomial, so each precinct's number of bloc delegates has a distribution on
``0 .. d`` that can be tabulated exactly once (``_kernels.precinct_pmf``: the sum of
Poisson x beta-binomial probabilities over the walking-subcaucus outcome, exact to about
twelve significant digits). Every draw then takes one uniform per precinct and inverts
that table, in a compiled loop with no per-precinct arrays. Precincts whose table would
cost more than simulating them in every draw (large caucuses when few draws are asked for)
are simulated directly: share ~ Beta, then two independent Poisson counts with means
``a s`` and ``a (1 - s)`` (Poisson thinning gives the same joint law). Precincts are
independent within a draw, so either way the draws have the model's exact distribution.
The district and state levels are simulated in numpy over blocks of draws. All draws
come from one explicit ``rng``: a given seed and ``block_size`` always give the same
draws.

References
----------
Minnesota DFL, *2018-2019 Official Call*, p. 4 (walking subcaucus rules at every level).

Robert, C. P. and Casella, G., *Monte Carlo Statistical Methods*, 2nd ed., Springer,
2004. DOI 10.1007/978-1-4757-4145-2.

Johnson, N. L., Kemp, A. W. and Kotz, S., *Univariate Discrete Distributions*, 3rd ed.,
Wiley, 2005. DOI 10.1002/0471715816 (Poisson thinning; the beta-binomial law).

Devroye, L., *Non-Uniform Random Variate Generation*, Springer, 1986, Sec. III.2
(inversion by sequential search). DOI 10.1007/978-1-4613-8643-8.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from broadfront.analysis._validation import (
    as_rng,
    check_nonnegative,
    check_positive_int,
    check_probabilities,
    check_probability,
)
from broadfront.exceptions import TooLargeError, ValidationError

LEVELS = ("precinct caucuses", "district conventions", "state convention")
"""Names of the three levels reported."""

#: A precinct gets an exact table when about ``attendance^2 / 2`` table terms cost less than
#: this many terms per draw (one direct simulation of a precinct costs roughly as much as
#: 20 table terms); larger precincts are simulated draw by draw.
_TABLE_WORK_PER_DRAW = 20.0
#: Precincts electing more delegates than this are simulated draw by draw (table memory).
_MAX_TABLE_SEATS = 100_000


def _load_kernels():  # type: ignore[no-untyped-def]
    """The numba kernels, imported on first use (importing numba costs about half a second)."""
    from broadfront.analysis.blocs import _kernels

    return _kernels


@dataclass(frozen=True)
class LevelSummary:
    """The bloc's delegates at one level, over all draws.

    Attributes
    ----------
    name : str
        The level.
    seats : int
        Seats at stake at this level (delegates elected, or seats at the state convention).
    expected : float
        Mean bloc delegates.
    sd : float
        Standard deviation of bloc delegates.
    p05, p50, p95 : float
        5th, 50th and 95th percentiles of bloc delegates.
    expected_share : float
        Mean share of the seats actually filled held by the bloc.
    """

    name: str
    seats: int
    expected: float
    sd: float
    p05: float
    p50: float
    p95: float
    expected_share: float


@dataclass(frozen=True)
class PropagationResult:
    """The bloc's strength at every level.

    Attributes
    ----------
    levels : tuple of LevelSummary
        Precinct caucuses, district conventions, state convention.
    samples : dict of str to numpy.ndarray
        Bloc delegates per draw at each level (keys are the level names), plus
        ``"state share"``: the bloc's share of the delegates seated at the state convention.
    precinct_expected : numpy.ndarray
        Mean bloc delegates won at each precinct caucus.
    district_expected : numpy.ndarray
        Mean bloc delegates each district convention sends to the state convention.
    probability_can_block : float
        Share of draws where the bloc alone can block a ``threshold`` endorsement at the
        state convention (the others seated fall short of ``ceil(threshold x seated)``).
    threshold : Fraction
        The endorsement threshold used for ``probability_can_block``.
    draws : int
        Monte Carlo draws.
    """

    levels: tuple[LevelSummary, ...]
    samples: dict[str, np.ndarray]
    precinct_expected: np.ndarray
    district_expected: np.ndarray
    probability_can_block: float
    threshold: Fraction
    draws: int


def walking_subcaucus_two_groups(
    bloc: np.ndarray, present: np.ndarray, seats: np.ndarray, coin: np.ndarray
) -> np.ndarray:
    """Seats the bloc wins when it faces everyone else as one subcaucus (DFL rule, vectorized).

    With ``n`` present, ``b`` in the bloc and ``d`` seats, the viability number is
    ``ceil(n / d)``. If both groups are viable the bloc gets ``floor(b d / n)`` plus the
    last seat when its remainder is the larger one (remainder numerator ``2 (b d mod n)
    > n``); at exactly one half the ``coin`` (uniform on [0, 1)) decides, ``coin < 0.5``
    for the bloc. A lone viable group takes every seat.

    Parameters
    ----------
    bloc, present, seats : numpy.ndarray of int
        Bloc members, people present and seats, broadcastable to one shape.
    coin : numpy.ndarray of float
        Uniform draws for exact ties.

    Returns
    -------
    numpy.ndarray of int64
        Seats won by the bloc.

    References
    ----------
    Minnesota DFL, *2018-2019 Official Call*, p. 4.

    Examples
    --------
    >>> walking_subcaucus_two_groups(np.array([20, 9, 50]), np.array([100, 100, 100]),
    ...                              np.array([5, 5, 4]), np.array([0.9, 0.9, 0.9]))
    array([1, 0, 2])
    """
    b = np.asarray(bloc, dtype=np.int64)
    n = np.asarray(present, dtype=np.int64)
    d = np.asarray(seats, dtype=np.int64)
    safe_n = np.maximum(n, 1)
    vnum = -((-n) // np.maximum(d, 1))
    bloc_ok = (b > 0) & (b >= vnum)
    rest_ok = ((n - b) > 0) & ((n - b) >= vnum)
    prod = b * d
    base = prod // safe_n
    rem2 = 2 * (prod - base * safe_n)
    extra = (rem2 > safe_n) | ((rem2 == safe_n) & (np.asarray(coin) < 0.5))
    both = base + extra.astype(np.int64)
    out = np.where(bloc_ok & rest_ok, both, np.where(bloc_ok, d, 0))
    return np.where((n > 0) & (d > 0), out, 0).astype(np.int64)


def propagate_bloc(
    share_mean: np.ndarray,
    share_sd: np.ndarray | float,
    attendance: np.ndarray,
    precinct_delegates: np.ndarray,
    district_of: np.ndarray,
    district_delegates: np.ndarray,
    *,
    attrition: float = 0.1,
    other_attrition: float | None = None,
    threshold: float = 0.6,
    draws: int = 10_000,
    rng: int | np.random.Generator | None = None,
    block_size: int = 250,
) -> PropagationResult:
    """Expected bloc delegates, and their distribution, at each level up to the state convention.

    For each draw: precinct ``i`` has ``n_i ~ Poisson(attendance_i)`` attendees, the
    bloc's share ``s_i ~ Beta`` with mean ``share_mean_i`` and standard deviation
    ``share_sd_i`` (fixed when 0), bloc members ``b_i ~ Binomial(n_i, s_i)``, and the
    bloc wins ``walking_subcaucus_two_groups(b_i, n_i, precinct_delegates_i)`` delegates
    (sampled from the exact distribution of that number; see the module notes).
    In district ``j`` the bloc's and the others' delegates each attend with probability
    ``1 - attrition`` (``1 - other_attrition``); the district convention elects
    ``district_delegates_j`` to the state convention by the same rule. Bloc delegates
    then attend the state convention with the same attrition.

    Parameters
    ----------
    share_mean : array of float, shape (P,)
        Expected bloc share of each precinct caucus, in [0, 1].
    share_sd : float or array of float
        Uncertainty (standard deviation) of each share; must satisfy
        ``sd^2 < mean (1 - mean)`` where positive (a share of exactly 0 or 1 stays fixed).
    attendance : array of float, shape (P,)
        Expected attendance of each precinct caucus.
    precinct_delegates : array of int, shape (P,)
        Delegates each precinct elects to its district convention.
    district_of : array of int, shape (P,)
        District index (0 .. D-1) of each precinct.
    district_delegates : array of int, shape (D,)
        Delegates each district convention elects to the state convention.
    attrition : float, default 0.1
        Probability that an elected bloc delegate does not attend the next level.
    other_attrition : float, optional
        The same for everyone else (default: ``attrition``).
    threshold : float, default 0.6
        Endorsement threshold for ``probability_can_block``.
    draws : int, default 10000
        Monte Carlo draws.
    rng : int or numpy.random.Generator, optional
        Seed or generator; the only source of randomness.
    block_size : int, default 250
        Draws whose district and state levels are computed at once (working memory about
        ``block_size x D x 60`` bytes, plus ``8 x (sum of precinct delegates + P)`` bytes of
        precinct tables; it no longer grows with ``block_size x P``).

    Returns
    -------
    PropagationResult
        Summaries per level, samples, per-division expectations and the chance to block.

    Raises
    ------
    ValidationError
        For arrays of mismatched length, shares outside [0, 1], impossible standard
        deviations, negative attendance or delegates, bad district indices, or
        probabilities outside [0, 1].
    TooLargeError
        If ``draws x P`` exceeds 10^10 (about an hour of work).

    References
    ----------
    Minnesota DFL, *2018-2019 Official Call*, p. 4; Robert and Casella (2004),
    DOI 10.1007/978-1-4757-4145-2; Johnson, Kemp and Kotz (2005), DOI 10.1002/0471715816.

    Examples
    --------
    A bloc with no members wins nothing; a bloc that is everybody, with no attrition,
    wins every seat at every level:

    >>> r = propagate_bloc([0.0, 0.0], 0.0, [100, 100], [5, 5], [0, 0], [3], draws=50, rng=1)
    >>> [lvl.expected for lvl in r.levels]
    [0.0, 0.0, 0.0]
    >>> r = propagate_bloc([1.0, 1.0], 0.0, [100, 100], [5, 5], [0, 0], [3], attrition=0.0,
    ...                    draws=50, rng=1)
    >>> [lvl.expected for lvl in r.levels], r.probability_can_block
    ([10.0, 3.0, 3.0], 1.0)
    """
    mean = check_probabilities(share_mean, "share_mean")
    if mean.ndim != 1 or mean.size == 0:
        raise ValidationError("share_mean must be a non-empty 1-d array", parameter="share_mean")
    p = mean.size
    sd = np.broadcast_to(check_nonnegative(np.atleast_1d(share_sd), "share_sd"), (p,)).astype(float)
    var_max = mean * (1 - mean)
    if np.any((sd > 0) & (var_max > 0) & (sd * sd >= var_max)):
        raise ValidationError(
            "share_sd must satisfy sd^2 < mean x (1 - mean) wherever sd > 0", parameter="share_sd"
        )
    att = _vector(attendance, "attendance", p)
    pdel = _int_vector(precinct_delegates, "precinct_delegates", p)
    dist = _int_vector(district_of, "district_of", p)
    ddel = np.asarray(district_delegates)
    if ddel.ndim != 1 or ddel.size == 0:
        raise ValidationError("district_delegates must be a non-empty 1-d array", parameter="district_delegates")
    ddel = _int_vector(ddel, "district_delegates", ddel.size)
    n_dist = ddel.size
    if np.any(dist >= n_dist):
        raise ValidationError(
            f"district_of must index district_delegates (0..{n_dist - 1})", parameter="district_of"
        )
    keep_b = 1 - check_probability(attrition, "attrition")
    keep_o = (
        keep_b
        if other_attrition is None
        else 1 - check_probability(other_attrition, "other_attrition")
    )
    draws = check_positive_int(draws, "draws")
    if draws * p > 10**10:
        raise TooLargeError(f"draws x precincts = {draws * p} exceeds the budget of 10^10")
    from broadfront.analysis.caucus.endorsement import check_threshold

    thr = check_threshold(threshold)
    gen = as_rng(rng)

    # Beta parameters; sd == 0 means a fixed share
    kappa = np.where(sd > 0, var_max / np.where(sd > 0, sd * sd, 1.0) - 1.0, np.inf)
    random_share = np.isfinite(kappa) & (mean > 0) & (mean < 1)
    kappa = np.where(random_share, kappa, 1.0)
    alpha = np.where(random_share, mean * kappa, 1.0)
    beta = np.where(random_share, (1 - mean) * kappa, 1.0)

    district_total = np.bincount(dist, weights=pdel, minlength=n_dist).astype(np.int64)
    kernels = _load_kernels()
    # Precinct level: exact per-precinct tables where building them is cheaper than
    # simulating the precinct in every draw (see _kernels for the method and its bounds).
    horizon = att + 10.0 * np.sqrt(att) + 20.0
    tabled = (0.5 * horizon * horizon <= _TABLE_WORK_PER_DRAW * draws) & (pdel <= _MAX_TABLE_SEATS)
    sizes = np.where(tabled, pdel + 1, 1)
    offsets = np.zeros(p + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    # contiguous, writeable, native arrays: one compiled specialization for every caller
    att, mean, alpha, beta = (np.require(x, np.float64, ["C", "W", "O"]) for x in (att, mean, alpha, beta))
    pdel, dist = (np.require(x, np.int64, ["C", "W", "O"]) for x in (pdel, dist))
    random_share = np.require(random_share, np.bool_, ["C", "W", "O"])
    tabled = np.require(tabled, np.bool_, ["C", "W", "O"])
    pmf = kernels.precinct_pmf(att, mean, alpha, beta, random_share, pdel, tabled, offsets)
    cdf, start, certain = kernels.cdf_tables(pmf, offsets)

    lvl1 = np.empty(draws, dtype=np.int64)
    lvl2 = np.empty(draws, dtype=np.int64)
    lvl3 = np.empty(draws, dtype=np.int64)
    share3 = np.empty(draws, dtype=float)
    blockable = np.empty(draws, dtype=bool)
    precinct_sum = np.zeros(p, dtype=float)
    district_sum = np.zeros(n_dist, dtype=float)
    num, den = thr.numerator, thr.denominator
    state_seats = int(ddel.sum())
    step = max(1, block_size)
    won_buf = np.empty((min(step, draws), n_dist), dtype=np.int64)

    for lo in range(0, draws, step):
        k = min(step, draws - lo)
        won_d = won_buf[:k]
        won_d.fill(0)
        kernels.sample_precincts(
            gen, k, cdf, offsets, start, certain, tabled, att, mean, alpha, beta,
            random_share, pdel, dist, won_d, precinct_sum,
        )
        lvl1[lo : lo + k] = won_d.sum(axis=1)
        # district conventions
        bloc_present = gen.binomial(won_d, keep_b)
        other_present = gen.binomial(district_total - won_d, keep_o)
        present = bloc_present + other_present
        state_won = walking_subcaucus_two_groups(
            bloc_present, present, ddel, _coins(gen, bloc_present, present, ddel)
        )
        district_sum += state_won.sum(axis=0)
        total_won = state_won.sum(axis=1)
        lvl2[lo : lo + k] = total_won
        # state convention: who is seated
        seated_b = gen.binomial(total_won, keep_b)
        seated_o = gen.binomial(state_seats - total_won, keep_o)
        seated = seated_b + seated_o
        lvl3[lo : lo + k] = seated_b
        share3[lo : lo + k] = np.where(seated > 0, seated_b / np.maximum(seated, 1), 0.0)
        # blocking: others < ceil(t x seated)  <=>  den x others < num x seated
        blockable[lo : lo + k] = (seated > 0) & (den * seated_o < num * seated)

    total_p = int(pdel.sum())
    filled1 = total_p
    levels = (
        _summary(LEVELS[0], total_p, lvl1, lvl1 / max(filled1, 1)),
        _summary(LEVELS[1], state_seats, lvl2, lvl2 / max(state_seats, 1)),
        _summary(LEVELS[2], state_seats, lvl3, share3),
    )
    return PropagationResult(
        levels=levels,
        samples={LEVELS[0]: lvl1, LEVELS[1]: lvl2, LEVELS[2]: lvl3, "state share": share3},
        precinct_expected=precinct_sum / draws,
        district_expected=district_sum / draws,
        probability_can_block=float(blockable.mean()),
        threshold=thr,
        draws=draws,
    )


def _coins(gen: np.random.Generator, b: np.ndarray, n: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Uniform coins where the two remainders tie exactly (2 (b d mod n) == n); 1.0 elsewhere.

    Drawing only where a tie can matter keeps the number of random draws small.
    """
    prod = b * d
    tie = (n > 0) & (2 * (prod % np.maximum(n, 1)) == n)
    coin = np.ones(b.shape)
    coin[tie] = gen.random(int(tie.sum()))
    return coin


def _summary(name: str, seats: int, x: np.ndarray, share: np.ndarray) -> LevelSummary:
    q = np.percentile(x, [5, 50, 95])
    return LevelSummary(
        name=name,
        seats=seats,
        expected=float(x.mean()),
        sd=float(x.std()),
        p05=float(q[0]),
        p50=float(q[1]),
        p95=float(q[2]),
        expected_share=float(np.mean(share)),
    )


def _vector(values: np.ndarray, name: str, size: int) -> np.ndarray:
    arr = check_nonnegative(values, name)
    if arr.shape != (size,):
        raise ValidationError(f"{name} must have one value per precinct ({size})", parameter=name)
    return arr


def _int_vector(values: np.ndarray, name: str, size: int) -> np.ndarray:
    arr = _vector(values, name, size)
    if np.any(arr != np.floor(arr)):
        raise ValidationError(f"{name} must hold whole numbers", parameter=name)
    return arr.astype(np.int64)
