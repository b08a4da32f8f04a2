"""Power indices of simple games: Banzhaf, Shapley-Shubik, Holler, Deegan-Packel, Johnston, Coleman.

Method
------
Weighted games with integer weights (or short decimals, rescaled) are solved exactly with
generating functions. With ``c[t]`` the number of coalitions of total weight ``t``, i.e. the
coefficients of ``prod_i (1 + x^{w_i})``, the coalitions of the *other* players are
``c / (1 + x^{w_i})``. Player ``i``'s swings are the coalitions of others weighing
``q - w_i .. q - 1``; unrolling the polynomial division turns this window sum into an
alternating sum of window sums of ``c`` itself (``q / w_i`` terms from the prefix sums of
``c``), so the table is built once and no player is divided out explicitly (Brams and Affuso
1976; Uno 2012). Only totals below ``min(q, total - q + 1)`` are needed (a coalition of others
and its complement mirror each other). Players with equal weight form one type and are solved
once.

* Banzhaf counts are exact Python integers: the table is built modulo ``k`` primes below
  ``2^62`` whose product exceeds ``2^(n+1)`` (numba; the primes run in parallel), and every
  count is rebuilt by the Chinese remainder theorem (Knuth 1997), so nothing overflows for any
  ``n``. The table update is swept for eight players at a time in cache-sized blocks.
  ``method="float"`` keeps probabilities (counts divided by ``2^n``) instead: every entry is
  an average of two earlier ones, prefix sums are compensated (Kahan), and the absolute error
  of each absolute Banzhaf value is below ``2 (n + 2 + 4 ceil(q / w_i)) 2^-53``, reported as
  ``error_bound``.
* Shapley-Shubik uses the table ``H[s, t]``: the probability that a random ``s``-subset weighs
  ``t`` (each update a convex combination, so no overflow at any ``n``). Player ``i``'s value is
  ``(1/n) sum_s P(random s-subset of the others lies in [q - w_i, q - 1])``. Coalitions of others
  of size ``s > (n-1)/2`` are counted through their complements with the dual quota, so only
  rows ``s <= (n-1)/2`` are built, and there the division by ``1 + y x^{w_i}`` unrolls with
  coefficients bounded by 2; the absolute error of each value is below
  ``8 (n + 2)^2 2^-53`` (``error_bound``). Row ``s`` is stored only between the weights of
  the ``s`` lightest and the ``s`` heaviest players (all other entries are zero), which about
  halves the table: 1,000 players with weights 1..1000 need 535 MiB instead of 985 MiB.
* Games that are not weighted with integers (several conditions, arbitrary real weights) are
  enumerated exactly up to 20 players; beyond that ``method="auto"`` samples: Monte Carlo over
  uniform random coalitions (Banzhaf) or random orderings (Shapley-Shubik), with standard
  errors and the number of samples reported.

References
----------
.. [1] J. F. Banzhaf III, "Weighted voting doesn't work: a mathematical analysis", Rutgers Law
   Review 19(2), 317-343, 1965.
.. [2] L. S. Penrose, "The elementary statistics of majority voting", Journal of the Royal
   Statistical Society 109(1), 53-57, 1946. DOI: 10.2307/2981392
.. [3] L. S. Shapley and M. Shubik, "A method for evaluating the distribution of power in a
   committee system", American Political Science Review 48(3), 787-792, 1954.
   DOI: 10.2307/1951053
.. [4] S. J. Brams and P. J. Affuso, "Power and size: a new paradox", Theory and Decision 7,
   29-56, 1976. DOI: 10.1007/BF00141101 (generating functions for power indices)
.. [5] T. Uno, "Efficient computation of power indices for weighted majority games",
   ISAAC 2012, LNCS 7676, 679-689. DOI: 10.1007/978-3-642-35261-4_70
.. [6] D. Leech, "Computing power indices for large voting games", Management Science 49(6),
   831-837, 2003. DOI: 10.1287/mnsc.49.6.831.16024
.. [7] D. E. Knuth, *The Art of Computer Programming*, Vol. 2, *Seminumerical Algorithms*,
   3rd ed., Addison-Wesley, 1997, section 4.3.2 (modular arithmetic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from broadfront.analysis._validation import as_rng, check_count
from broadfront.analysis.power import _brute, _modular, _null, _small
from broadfront.analysis.power.games import (
    HARD_MAX_PLAYERS,
    MAX_PLAYERS,
    Game,
    MultiConditionGame,
    WeightedGame,
    _IntegerData,
)
from broadfront.exceptions import TooLargeError, ValidationError

__all__ = [
    "DEFAULT_SAMPLES",
    "EXACT_MEMORY_BUDGET",
    "HARD_MAX_SAMPLES",
    "MAX_SAMPLES",
    "MAX_SAMPLE_CELLS",
    "ColemanResult",
    "IndexResult",
    "banzhaf",
    "coleman",
    "deegan_packel",
    "holler",
    "johnston",
    "shapley_shubik",
]

#: Largest table (bytes) an exact computation may allocate.
EXACT_MEMORY_BUDGET = 768 * 2**20
#: Largest estimated number of table updates ``method="auto"`` accepts before sampling.
AUTO_WORK_BUDGET = 2.5e10
#: Table updates above which the exact Banzhaf count runs its primes on several threads.
PARALLEL_WORK = 2e8
#: Monte Carlo sample size when none is given.
DEFAULT_SAMPLES = 20_000
#: Most Monte Carlo samples (soft limit: standard errors below 0.0002 at the limit).
MAX_SAMPLES = 10_000_000
#: Most samples when limits are lifted.
HARD_MAX_SAMPLES = 1_000_000_000
#: Most sampled cells (samples x players x conditions, about 2e7 a second per core), so that
#: one sampled index stays within a few minutes (soft limit).
MAX_SAMPLE_CELLS = 2_000_000_000

_EPS = 2.0**-53
#: Players whose floating-point value is within this many error bounds of 0 are checked
#: exactly for having no swing (and then get exactly 0); see :mod:`._null`.
_NULL_SLACK = 4.0
_METHODS = ("auto", "exact", "float", "sample")


@dataclass(frozen=True)
class IndexResult:
    """One power index of every player.

    Attributes
    ----------
    index : str
        ``"banzhaf"``, ``"shapley_shubik"``, ``"holler"``, ``"deegan_packel"`` or ``"johnston"``.
    names : tuple of str
        Player names, in player order.
    values : numpy.ndarray
        The normalized index (sums to 1).
    method : str
        ``"exact"`` (exact integers or rationals, or a table with a stated ``error_bound``),
        ``"float"`` (scaled floating point with ``error_bound``) or ``"sample"`` (Monte Carlo).
    standard_errors : numpy.ndarray or None
        Standard errors of ``values`` when sampled.
    samples : int or None
        Number of Monte Carlo samples when sampled.
    swings : tuple of int or None
        Banzhaf only: exact number of coalitions of the other players that ``i`` turns from
        losing into winning.
    absolute : numpy.ndarray or None
        Banzhaf only: the absolute (Penrose) index, ``swings / 2^(n-1)``, the probability that
        ``i`` is decisive when all others vote independently with probability one half.
    error_bound : float or None
        A bound on the absolute error of ``values`` (and ``absolute``) due to floating point.
    exact_values : tuple of Fraction or None
        Exact rational values, when the game was small enough to enumerate.
    """

    index: str
    names: tuple[str, ...]
    values: np.ndarray
    method: str
    standard_errors: np.ndarray | None = None
    samples: int | None = None
    swings: tuple[int, ...] | None = None
    absolute: np.ndarray | None = None
    error_bound: float | None = None
    exact_values: tuple[Fraction, ...] | None = None

    def as_dict(self) -> dict[str, float]:
        """Player name to normalized value."""
        return {n: float(v) for n, v in zip(self.names, self.values, strict=True)}


@dataclass(frozen=True)
class ColemanResult:
    """Coleman's three measures.

    Attributes
    ----------
    names : tuple of str
    act : float
        Power of the collectivity to act: share of all ``2^n`` coalitions that win.
    prevent : numpy.ndarray
        Power of each member to prevent action: swings / number of winning coalitions.
    initiate : numpy.ndarray
        Power of each member to initiate action: swings / number of losing coalitions.
    winning : int or None
        Exact number of winning coalitions (None when sampled).
    method : str
        As in :class:`IndexResult`.
    standard_errors : numpy.ndarray or None
        Standard errors of ``prevent`` when sampled.
    samples : int or None
    """

    names: tuple[str, ...]
    act: float
    prevent: np.ndarray
    initiate: np.ndarray
    winning: int | None
    method: str
    standard_errors: np.ndarray | None = None
    samples: int | None = None


# =============================================================================================
# public functions


def banzhaf(
    game: Game,
    *,
    method: str = "auto",
    samples: int | None = None,
    rng: int | np.random.Generator | None = None,
    max_memory: int = EXACT_MEMORY_BUDGET,
    lift_limits: bool = False,
) -> IndexResult:
    """Banzhaf index: how often each member's vote turns a losing coalition into a winning one.

    Definition: a *swing* of player ``i`` is a coalition ``S`` of the other players that loses
    while ``S + i`` wins. With ``eta_i`` the number of swings, the absolute (Penrose-Banzhaf)
    index is ``eta_i / 2^(n-1)`` and the normalized index is ``eta_i / sum_j eta_j``.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
        The voting rule.
    method : {"auto", "exact", "float", "sample"}
        ``"exact"`` counts swings exactly (generating functions for integer weights, enumeration
        for at most 20 players) and raises :class:`TooLargeError` when the table would exceed
        ``max_memory``; ``"float"`` is the same generating function in scaled floating point
        (faster; no ``swings``; ``error_bound`` set); ``"sample"`` draws random coalitions;
        ``"auto"`` is exact when feasible and samples otherwise (``method`` in the result says
        which).
    samples : int, optional
        Monte Carlo sample size (default ``DEFAULT_SAMPLES``).
    rng : int or numpy.random.Generator, optional
        Seed or generator for sampling.
    max_memory : int
        Largest table in bytes for an exact computation.
    lift_limits : bool
        Accept up to ``HARD_MAX_SAMPLES`` samples, ``HARD_MAX_PLAYERS`` players and any
        number of sampled cells instead of the soft limits ``MAX_SAMPLES``, ``MAX_PLAYERS``
        and ``MAX_SAMPLE_CELLS``.

    Returns
    -------
    IndexResult
        With ``swings`` (exact ints) and ``absolute`` when exact.

    Raises
    ------
    ValidationError
        For an unknown ``method``, ``samples`` outside 1..``MAX_SAMPLES``, more than
        ``MAX_PLAYERS`` players, or a sampled run of more than ``MAX_SAMPLE_CELLS`` cells.
    TooLargeError
        When ``method="exact"`` is not feasible within ``max_memory``.

    References
    ----------
    .. [1] J. F. Banzhaf III, "Weighted voting doesn't work: a mathematical analysis", Rutgers
       Law Review 19(2), 317-343, 1965.
    .. [2] L. S. Penrose, "The elementary statistics of majority voting", Journal of the Royal
       Statistical Society 109(1), 53-57, 1946. DOI: 10.2307/2981392
    .. [3] P. Dubey and L. S. Shapley, "Mathematical properties of the Banzhaf power index",
       Mathematics of Operations Research 4(2), 99-131, 1979. DOI: 10.1287/moor.4.2.99

    Examples
    --------
    Weights 3, 2, 2 with quota 4: every pair wins and each player has two swings.

    >>> r = banzhaf(WeightedGame([3, 2, 2], 4))
    >>> r.swings, r.values.round(4).tolist(), r.absolute.tolist()
    ((2, 2, 2), [0.3333, 0.3333, 0.3333], [0.5, 0.5, 0.5])
    """
    checked = _check_samples(samples, game, lift_limits)
    if (method == "exact" or method == "auto") and type(game) is WeightedGame:
        fast = _banzhaf_small_fast(game, max_memory)
        if fast is not None:
            return fast
    _check_method(method)
    samples = checked
    plan = _plan(game, "banzhaf", method, max_memory)
    if plan == "sample":
        _check_cells(game, samples, lift_limits)
        return _banzhaf_sample(game, samples, as_rng(rng))
    if plan == "brute":
        t = _brute.tables(game)
        return _banzhaf_from_swings(game.names, t.swings, game.n, "exact")
    data = _data(game)
    if plan == "float":
        return _banzhaf_float(game.names, data)
    swings, _ = _banzhaf_exact(data)
    return _banzhaf_from_swings(game.names, swings, game.n, "exact")


def shapley_shubik(
    game: Game,
    *,
    method: str = "auto",
    samples: int | None = None,
    rng: int | np.random.Generator | None = None,
    max_memory: int = EXACT_MEMORY_BUDGET,
    lift_limits: bool = False,
) -> IndexResult:
    """Shapley-Shubik index: the share of voting orders in which each member is pivotal.

    Definition: members join one by one in a uniformly random order; the *pivot* is the member
    whose arrival first makes the coalition winning. The index of ``i`` is the probability that
    ``i`` is the pivot: ``sum over swings S of |S|! (n - 1 - |S|)! / n!``. Values sum to 1.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
        The voting rule.
    method : {"auto", "exact", "float", "sample"}
        ``"exact"`` (and its synonym ``"float"``) computes the size-by-weight table (integer
        weights) or enumerates (at most 20 players; then ``exact_values`` holds the rationals)
        and raises :class:`TooLargeError` beyond ``max_memory``; ``"sample"`` draws random
        orderings; ``"auto"`` picks exact when feasible.
    samples : int, optional
        Monte Carlo sample size (default ``DEFAULT_SAMPLES``).
    rng : int or numpy.random.Generator, optional
        Seed or generator for sampling.
    max_memory : int
        Largest table in bytes for an exact computation.
    lift_limits : bool
        Accept up to ``HARD_MAX_SAMPLES`` samples, ``HARD_MAX_PLAYERS`` players and any
        number of sampled cells instead of the soft limits ``MAX_SAMPLES``, ``MAX_PLAYERS``
        and ``MAX_SAMPLE_CELLS``.

    Returns
    -------
    IndexResult
        ``error_bound`` states the floating-point error of table results.

    Raises
    ------
    ValidationError
        For an unknown ``method``, ``samples`` outside 1..``MAX_SAMPLES``, more than
        ``MAX_PLAYERS`` players, or a sampled run of more than ``MAX_SAMPLE_CELLS`` cells.
    TooLargeError
        When ``method="exact"`` is not feasible within ``max_memory``.

    References
    ----------
    .. [1] L. S. Shapley and M. Shubik, "A method for evaluating the distribution of power in a
       committee system", American Political Science Review 48(3), 787-792, 1954.
       DOI: 10.2307/1951053
    .. [2] T. Uno, "Efficient computation of power indices for weighted majority games",
       ISAAC 2012, LNCS 7676, 679-689. DOI: 10.1007/978-3-642-35261-4_70

    Examples
    --------
    Weights 50, 49, 1 with quota 51: the big party is pivotal in 4 of 6 orders.

    >>> r = shapley_shubik(WeightedGame([50, 49, 1], 51))
    >>> r.values.round(6).tolist()
    [0.666667, 0.166667, 0.166667]
    """
    _check_method(method)
    samples = _check_samples(samples, game, lift_limits)
    plan = _plan(game, "shapley_shubik", method, max_memory)
    if plan == "sample":
        _check_cells(game, samples, lift_limits)
        return _shapley_sample(game, samples, as_rng(rng))
    if plan == "brute":
        fr = _brute.shapley_fractions(_brute.tables(game))
        vals = np.array([float(x) for x in fr])
        return IndexResult("shapley_shubik", game.names, vals, "exact", exact_values=fr)
    data = _data(game)
    vals = _shapley_table(data, game._memo)  # type: ignore[union-attr]
    n = game.n
    bound = 8.0 * (n + 2) ** 2 * _EPS
    null = _null.null_players(
        data.weights, data.quota, vals, _NULL_SLACK * bound, (data.types, data.counts)
    )
    if null is not None:
        vals[null] = 0.0
    return IndexResult("shapley_shubik", game.names, vals, "exact", error_bound=bound)


def holler(
    game: Game, *, max_coalitions: int = 1_000_000, lift_limits: bool = False
) -> IndexResult:
    """Holler's public good index: share of minimal winning coalitions a member belongs to.

    Definition: with ``M_i`` the number of minimal winning coalitions (every member critical)
    that contain ``i``, the index is ``M_i / sum_j M_j``.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
    max_coalitions : int
        Refuse (``TooLargeError``) when there are more minimal winning coalitions than this.
    lift_limits : bool
        Accept up to ``HARD_MAX_PLAYERS`` players instead of ``MAX_PLAYERS``.

    Returns
    -------
    IndexResult

    Raises
    ------
    TooLargeError
        When the game has too many players to enumerate or too many minimal winning coalitions.

    References
    ----------
    .. [1] M. J. Holler, "Forming coalitions and measuring voting power", Political Studies
       30(2), 262-271, 1982. DOI: 10.1111/j.1467-9248.1982.tb00537.x

    Examples
    --------
    Weights 3, 2, 1, 1 with quota 4: the minimal winning coalitions are AB, AC, AD and BCD,
    so A belongs to 3 of them and the others to 2 each (3/9 and 2/9).

    >>> holler(WeightedGame([3, 2, 1, 1], 4, names="ABCD")).values.round(4).tolist()
    [0.3333, 0.2222, 0.2222, 0.2222]
    """
    _check_players(game, lift_limits)
    pgi, _, _, _ = _minimal_sums(game, max_coalitions)
    return _normalized("holler", game.names, pgi)


def deegan_packel(
    game: Game, *, max_coalitions: int = 1_000_000, lift_limits: bool = False
) -> IndexResult:
    """Deegan-Packel index: minimal winning coalitions form equally likely, share equally.

    Definition: each minimal winning coalition is equally likely and splits power equally among
    its members: ``DP_i = (1/|MWC|) sum over MWC S containing i of 1/|S|``.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
    max_coalitions : int
        Refuse (``TooLargeError``) beyond this many minimal winning coalitions.
    lift_limits : bool
        Accept up to ``HARD_MAX_PLAYERS`` players instead of ``MAX_PLAYERS``.

    Returns
    -------
    IndexResult

    Raises
    ------
    TooLargeError
        When the game is too large to enumerate its minimal winning coalitions.

    References
    ----------
    .. [1] J. Deegan and E. W. Packel, "A new index of power for simple n-person games",
       International Journal of Game Theory 7(2), 113-123, 1978. DOI: 10.1007/BF01753239

    Examples
    --------
    >>> deegan_packel(WeightedGame([3, 2, 1, 1], 4)).values.round(4).tolist()
    [0.375, 0.2083, 0.2083, 0.2083]
    """
    _check_players(game, lift_limits)
    _, dp, count, _ = _minimal_sums(game, max_coalitions)
    return _normalized("deegan_packel", game.names, dp / max(count, 1))


def johnston(game: Game) -> IndexResult:
    """Johnston index: swings weighted by how few members are critical in the coalition.

    Definition: in a winning coalition ``S`` with ``k(S) >= 1`` critical members (whose
    departure makes ``S`` lose), each critical member scores ``1 / k(S)``; the index is the
    normalized total score.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
        At most 20 players (all coalitions are enumerated).

    Returns
    -------
    IndexResult

    Raises
    ------
    TooLargeError
        For more than 20 players.

    References
    ----------
    .. [1] R. J. Johnston, "On the measurement of power: some reactions to Laver",
       Environment and Planning A 10(8), 907-914, 1978. DOI: 10.1068/a100907

    Examples
    --------
    Weights 3, 2, 2 with quota 4: symmetric, so one third each.

    >>> johnston(WeightedGame([3, 2, 2], 4)).values.round(4).tolist()
    [0.3333, 0.3333, 0.3333]
    """
    t = _brute_tables_or_raise(game, "the Johnston index")
    _, _, jo = _brute.minimal_index_sums(t)
    return _normalized("johnston", game.names, jo)


def coleman(
    game: Game,
    *,
    method: str = "auto",
    samples: int | None = None,
    rng: int | np.random.Generator | None = None,
    max_memory: int = EXACT_MEMORY_BUDGET,
    lift_limits: bool = False,
) -> ColemanResult:
    """Coleman's power of the collectivity to act, and of each member to prevent and initiate.

    Definition: with ``W`` winning coalitions among all ``2^n`` and ``eta_i`` Banzhaf swings,
    the power to act is ``W / 2^n``, to prevent action ``eta_i / W`` and to initiate action
    ``eta_i / (2^n - W)``.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
    method, samples, rng, max_memory, lift_limits
        As in :func:`banzhaf`.

    Returns
    -------
    ColemanResult

    Raises
    ------
    TooLargeError
        When ``method="exact"`` is not feasible.

    References
    ----------
    .. [1] J. S. Coleman, "Control of collectivities and the power of a collectivity to act",
       in B. Lieberman (ed.), *Social Choice*, Gordon and Breach, 269-300, 1971.

    Examples
    --------
    Weights 3, 2, 2 with quota 4: 4 of 8 coalitions win; each member has 2 swings.

    >>> c = coleman(WeightedGame([3, 2, 2], 4))
    >>> c.act, c.prevent.tolist(), c.initiate.tolist()
    (0.5, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
    """
    _check_method(method)
    samples = _check_samples(samples, game, lift_limits)
    plan = _plan(game, "banzhaf", method if method != "float" else "exact", max_memory)
    n = game.n
    if plan == "sample":
        _check_cells(game, samples, lift_limits)
        return _coleman_sample(game, samples, as_rng(rng))
    if plan == "brute":
        t = _brute.tables(game)
        swings, winning = t.swings, int(t.win.sum())
    else:
        swings, winning = _banzhaf_exact(_data(game))
    losing = 2**n - winning
    prevent = np.array([s / winning for s in swings])
    initiate = np.array([s / losing if losing else 0.0 for s in swings])
    return ColemanResult(game.names, winning / 2**n, prevent, initiate, winning, "exact")


# =============================================================================================
# planning


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise ValidationError(
            f"method must be one of {', '.join(_METHODS)}, got {method!r}", parameter="method"
        )


def _check_samples(samples: int | None, game: Game, lift_limits: bool) -> int:
    """The sample size to use, after checking it and the number of players against the limits."""
    _check_players(game, lift_limits)
    if samples is None:
        return DEFAULT_SAMPLES
    return check_count(samples, "samples", MAX_SAMPLES, hard=HARD_MAX_SAMPLES, lift_limits=lift_limits)


def _check_players(game: Game, lift_limits: bool) -> None:
    check_count(game.n, "players", MAX_PLAYERS, hard=HARD_MAX_PLAYERS, lift_limits=lift_limits,
                what="the number of players")


def _check_cells(game: Game, samples: int, lift_limits: bool) -> None:
    cells = samples * game.n * len(game.conditions)
    if not lift_limits and cells > MAX_SAMPLE_CELLS:
        raise ValidationError(
            f"samples x players x conditions must be at most {MAX_SAMPLE_CELLS:,}, got "
            f"{samples:,} x {game.n:,} x {len(game.conditions)} (lower samples, or lift the limits)",
            parameter="samples",
        )


def table_cost(game: Game, index: str) -> tuple[int, float] | None:
    """Bytes and table updates of the exact generating-function method, or None if N/A."""
    if not isinstance(game, WeightedGame):
        return None
    data = game._integer_data
    if data is None:
        return None
    iq = data.quota
    n = game.n
    dual = data.total - iq + 1
    if index == "banzhaf":
        T = min(iq, dual)
        k = -(-(n + 2) // 61)  # primes of the modular count (see _modular)
        # work in the units of AUTO_WORK_BUDGET (one multi-limb update with carries); a
        # vectorized modular update costs well under half of one
        return T * 8 + k * n * 16, float(n) * T * (k / 2 + 1)
    R = (n - 1) // 2
    T = max(iq, dual)
    LO, HI, off = _ragged_rows_of(data, game._memo, R, T)
    entries = int(off[-1])
    return entries * 8 + 24 * (R + 2), n * entries * 0.5


def _plan(game: Game, index: str, method: str, max_memory: int) -> str:
    if method == "sample":
        return "sample"
    cost = table_cost(game, index)
    fits = cost is not None and cost[0] <= max_memory
    if method == "float" and index == "banzhaf" and fits:
        return "float"
    if fits and (method in ("exact", "float") or cost[1] <= AUTO_WORK_BUDGET):  # type: ignore[index]
        return "table"
    if game.n <= _brute.BRUTE_MAX:
        return "brute"
    if method == "auto":
        return "sample"
    if cost is None:
        why = (
            "the game has several conditions"
            if isinstance(game, MultiConditionGame)
            else "its weights are not integers or short decimals"
        )
        raise TooLargeError(
            f"exact {index} needs integer weights or at most {_brute.BRUTE_MAX} players, "
            f"and {why} with {game.n} players; use method='sample'"
        )
    raise TooLargeError(
        f"exact {index} would need a {cost[0] / 2**20:.0f} MiB table, over the budget of "
        f"{max_memory / 2**20:.0f} MiB; use method='sample'"
    )


# =============================================================================================
# exact generating functions


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


# =============================================================================================
# enumeration-based indices


def _brute_tables_or_raise(game: Game, what: str) -> _brute.BruteTables:
    if game.n > _brute.BRUTE_MAX:
        raise TooLargeError(
            f"{what} enumerates all coalitions and supports at most {_brute.BRUTE_MAX} players, "
            f"got {game.n}"
        )
    return _brute.tables(game)


def _minimal_sums(game: Game, max_coalitions: int) -> tuple[np.ndarray, np.ndarray, int, str]:
    if game.n <= _brute.BRUTE_MAX:
        t = _brute.tables(game)
        pgi, dp, _ = _brute.minimal_index_sums(t)
        count = int(_brute.minimal_winning_masks(t).size)
        return pgi, dp, count, "brute"
    from broadfront.analysis.power.coalitions import _mwc_member_sums

    pgi, dp, count = _mwc_member_sums(game, max_coalitions)
    return pgi, dp, count, "enumerate"


def _normalized(index: str, names: tuple[str, ...], scores: np.ndarray) -> IndexResult:
    s = float(scores.sum())
    values = scores / s if s > 0 else np.zeros(len(names))
    return IndexResult(index, names, values, "exact")


# =============================================================================================
# Monte Carlo


def _chunk_rows(n: int) -> int:
    return max(1, 2_000_000 // max(n, 1))


def _condition_arrays(game: Game) -> tuple[np.ndarray, np.ndarray]:
    """Weights and quotas per condition; integer-valued (exact in float) when possible."""
    rows, quotas = [], []
    for c in game.conditions:
        form = c.integer_form()
        if form is not None and int(form[0].sum()) < 2**53:
            rows.append(form[0].astype(float))
            quotas.append(float(form[1]))
        else:
            rows.append(c.weights)
            quotas.append(c.quota)
    return np.vstack(rows), np.array(quotas)


def _swing_moments(
    game: Game, samples: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, float, float, int]:
    """Sums over sampled coalitions: Z_i (swing indicator), Z_i * Y, Y, Y^2, winning count."""
    W, Q = _condition_arrays(game)
    n = game.n
    sz = np.zeros(n)
    szy = np.zeros(n)
    sy = 0.0
    syy = 0.0
    wins = 0
    done = 0
    while done < samples:
        k = min(_chunk_rows(n), samples - done)
        X = rng.random((k, n)) < 0.5
        sums = X.astype(float) @ W.T  # (k, conditions)
        wins += int(np.all(sums >= Q, axis=1).sum())
        # others' weight for i = sums - x_i w_i ; swing: others lose, others + w_i win
        Z = np.ones((k, n), dtype=bool)
        lose_without = np.zeros((k, n), dtype=bool)
        for j in range(W.shape[0]):
            others = sums[:, j : j + 1] - X * W[j]
            Z &= others + W[j] >= Q[j]
            lose_without |= others < Q[j]
        Z &= lose_without
        Zf = Z.astype(float)
        Y = Zf.sum(axis=1)
        sz += Zf.sum(axis=0)
        szy += Zf.T @ Y
        sy += Y.sum()
        syy += float(Y @ Y)
        done += k
    return sz, szy, sy, syy, wins


def _banzhaf_sample(game: Game, samples: int, rng: np.random.Generator) -> IndexResult:
    sz, szy, sy, syy, _ = _swing_moments(game, samples, rng)
    K = samples
    absolute = sz / K
    se_abs = np.sqrt(absolute * (1 - absolute) / K)
    if sy > 0:
        r = sz / sy
        ez, ezy, ey, eyy = sz / K, szy / K, sy / K, syy / K
        var = (ez - 2 * r * ezy + r * r * eyy) / (ey * ey)
        se = np.sqrt(np.maximum(var, 0.0) / K)
        values = r
    else:
        values = np.zeros(game.n)
        se = np.zeros(game.n)
    del se_abs  # the standard errors reported are those of the normalized values
    return IndexResult(
        "banzhaf", game.names, values, "sample", standard_errors=se, samples=K, absolute=absolute
    )


def _coleman_sample(game: Game, samples: int, rng: np.random.Generator) -> ColemanResult:
    sz, _, _, _, wins = _swing_moments(game, samples, rng)
    K = samples
    act = wins / K
    beta = sz / K  # = 2 * swings / 2^n
    prevent = beta / 2 / act if act > 0 else np.zeros(game.n)
    initiate = beta / 2 / (1 - act) if act < 1 else np.zeros(game.n)
    se = np.sqrt(beta * (1 - beta) / K) / 2 / max(act, 1e-300)
    return ColemanResult(game.names, act, prevent, initiate, None, "sample", se, K)


def _shapley_sample(game: Game, samples: int, rng: np.random.Generator) -> IndexResult:
    W, Q = _condition_arrays(game)
    n = game.n
    counts = np.zeros(n)
    done = 0
    while done < samples:
        k = min(_chunk_rows(n), samples - done)
        perm = np.argsort(rng.random((k, n)), axis=1)
        first = np.zeros(k, dtype=np.int64)
        for j in range(W.shape[0]):
            cum = np.cumsum(W[j][perm], axis=1)
            reach = np.argmax(cum >= Q[j], axis=1)
            first = np.maximum(first, reach)
        pivots = perm[np.arange(k), first]
        counts += np.bincount(pivots, minlength=n)
        done += k
    values = counts / samples
    se = np.sqrt(values * (1 - values) / samples)
    return IndexResult(
        "shapley_shubik", game.names, values, "sample", standard_errors=se, samples=samples
    )
