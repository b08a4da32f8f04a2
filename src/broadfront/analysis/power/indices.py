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

This module holds the public functions and the plan (which method, within which memory and
work budget); the tables are in the private :mod:`._exact`, the sampling in
:mod:`._sampling`, and the named results in :mod:`.results`.

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

import numpy as np

from broadfront.analysis._validation import as_rng, check_count
from broadfront.analysis.power import _brute, _null
from broadfront.analysis.power._exact import (
    _EPS,
    _NULL_SLACK,
    _banzhaf_exact,
    _banzhaf_float,
    _banzhaf_from_swings,
    _banzhaf_small_fast,
    _data,
    _ragged_rows_of,
    _shapley_table,
)
from broadfront.analysis.power._sampling import (
    _banzhaf_sample,
    _coleman_sample,
    _shapley_sample,
)
from broadfront.analysis.power.games import (
    HARD_MAX_PLAYERS,
    MAX_PLAYERS,
    Game,
    MultiConditionGame,
    WeightedGame,
)
from broadfront.analysis.power.results import ColemanResult, IndexResult
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
#: Monte Carlo sample size when none is given.
DEFAULT_SAMPLES = 20_000
#: Most Monte Carlo samples (soft limit: standard errors below 0.0002 at the limit).
MAX_SAMPLES = 10_000_000
#: Most samples when limits are lifted.
HARD_MAX_SAMPLES = 1_000_000_000
#: Most sampled cells (samples x players x conditions, about 2e7 a second per core), so that
#: one sampled index stays within a few minutes (soft limit).
MAX_SAMPLE_CELLS = 2_000_000_000

_METHODS = ("auto", "exact", "float", "sample")


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
