"""Coalitions of a decision body: winning, minimal winning, blocking, critical, robust.

Method
------
Minimal winning coalitions of a weighted game are counted with a generating function over the
players in descending weight order (a coalition is minimal winning exactly when it reaches the
quota with its lightest member) and listed by a depth-first search in the same order. Games
with several conditions are enumerated (at most 20 players). The robustness of a winning
coalition (the fewest defections that break it, and how many such sets exist) is found by
taking the heaviest members first for the size ``k``. For the number, only the conditions
that some ``k`` defections can break matter; with one such condition, a ``k``-set of the
members sorted by weight loses some weight against the ``k`` heaviest, slot by slot, and it
breaks the coalition when that loss stays within the slack (less than the ``k``-th heaviest
weight), so a dynamic program over (slot, position, loss) counts them exactly in
``O(k m slack)`` (a 70-member side of a 100-member body with weights up to 1,000 in a few
milliseconds). With several such conditions, subsets of size ``k`` that keep every condition
met are counted with a dynamic program over (size, weight of each condition).

References
----------
.. [1] A. D. Taylor and W. S. Zwicker, *Simple Games: Desirability Relations, Trading,
   Pseudoweightings*, Princeton University Press, 1999.
.. [2] J. S. Coleman, "Control of collectivities and the power of a collectivity to act", in
   B. Lieberman (ed.), *Social Choice*, Gordon and Breach, 269-300, 1971 (blocking).
.. [3] M. J. Holler, "Forming coalitions and measuring voting power", Political Studies
   30(2), 262-271, 1982. DOI: 10.1111/j.1467-9248.1982.tb00537.x
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from broadfront.analysis.power import _brute, _modular
from broadfront.analysis.power.games import Game, WeightedGame
from broadfront.exceptions import TooLargeError, ValidationError

__all__ = [
    "CoalitionList",
    "Robustness",
    "blocking_coalitions",
    "critical_members",
    "is_blocking",
    "is_winning",
    "minimal_winning_coalitions",
    "robustness",
]

Coalition = Iterable[str | int] | np.ndarray

#: Largest dynamic-programming table (entries) the robustness count may use.
MAX_TABLE_ENTRIES = 4_000_000
#: Largest total number of table entries the robustness count by slack may update.
MAX_SLACK_WORK = 40_000_000


@dataclass(frozen=True)
class CoalitionList:
    """Coalitions of a game: always their number, and the list itself when small enough.

    Attributes
    ----------
    count : int
        Exact number of coalitions.
    coalitions : tuple of tuple of str, or None
        The coalitions (member names in player order) when ``count <= limit``, else None.
    """

    count: int
    coalitions: tuple[tuple[str, ...], ...] | None


@dataclass(frozen=True)
class Robustness:
    """How hard it is to break a coalition's majority.

    Attributes
    ----------
    winning : bool
        Whether the coalition wins at all (when not, ``size`` is 0 and ``count`` 1).
    size : int
        Fewest members whose defection makes the coalition lose.
    count : int
        Exact number of defecting sets of that size that break it.
    example : tuple of str
        One such set (the heaviest members), names in player order.
    critical : tuple of str
        Members who break it alone (size 1 sets).
    """

    winning: bool
    size: int
    count: int
    example: tuple[str, ...]
    critical: tuple[str, ...]


def is_winning(game: Game, coalition: Coalition) -> bool:
    """Whether a coalition wins: it meets the quota of every condition.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
    coalition : iterable of str or int, or boolean mask
        Members by name or index.

    Returns
    -------
    bool

    Raises
    ------
    ValidationError
        When a member is unknown (``parameter="coalition"``).

    References
    ----------
    .. [1] L. S. Shapley, "Simple games: an outline of the descriptive theory", Behavioral
       Science 7(1), 59-66, 1962. DOI: 10.1002/bs.3830070104

    Examples
    --------
    >>> g = WeightedGame([3, 2, 2], 4, names=["A", "B", "C"])
    >>> is_winning(g, ["A", "B"]), is_winning(g, ["C"])
    (True, False)
    """
    return game.is_winning(coalition)


def is_blocking(game: Game, coalition: Coalition) -> bool:
    """Whether a coalition can block: the players outside it cannot win on their own.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
    coalition : iterable of str or int, or boolean mask

    Returns
    -------
    bool

    References
    ----------
    .. [1] J. S. Coleman, "Control of collectivities and the power of a collectivity to act",
       in B. Lieberman (ed.), *Social Choice*, Gordon and Breach, 269-300, 1971.

    Examples
    --------
    >>> g = WeightedGame([3, 2, 2], 5, names=["A", "B", "C"])
    >>> is_blocking(g, ["A"]), is_blocking(g, ["B"])
    (True, False)
    """
    return not game.is_winning(~game.mask(coalition))


def critical_members(game: Game, coalition: Coalition) -> tuple[str, ...]:
    """Members of a winning coalition whose departure alone makes it lose.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
    coalition : iterable of str or int, or boolean mask

    Returns
    -------
    tuple of str
        Critical members in player order; empty when the coalition does not win.

    References
    ----------
    .. [1] J. F. Banzhaf III, "Weighted voting doesn't work: a mathematical analysis",
       Rutgers Law Review 19(2), 317-343, 1965.

    Examples
    --------
    >>> g = WeightedGame([3, 2, 2], 4, names=["A", "B", "C"])
    >>> critical_members(g, ["A", "B"]), critical_members(g, ["A", "B", "C"])
    (('A', 'B'), ())
    """
    m = game.mask(coalition).copy()
    if not game.is_winning(m):
        return ()
    out = []
    for i in np.flatnonzero(m):
        m[i] = False
        if not game.is_winning(m):
            out.append(game.names[i])
        m[i] = True
    return tuple(out)


def minimal_winning_coalitions(game: Game, *, limit: int = 10_000) -> CoalitionList:
    """Minimal winning coalitions: winning, and every member is critical.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
        Weighted games of any size (counted by generating function); games with several
        conditions or real weights up to 20 players.
    limit : int
        List the coalitions only when there are at most this many.

    Returns
    -------
    CoalitionList

    Raises
    ------
    TooLargeError
        For a multi-condition or real-weighted game with more than 20 players.

    References
    ----------
    .. [1] M. J. Holler, "Forming coalitions and measuring voting power", Political Studies
       30(2), 262-271, 1982. DOI: 10.1111/j.1467-9248.1982.tb00537.x

    Examples
    --------
    >>> g = WeightedGame([3, 2, 1, 1], 4, names=["A", "B", "C", "D"])
    >>> r = minimal_winning_coalitions(g)
    >>> r.count, r.coalitions
    (4, (('A', 'B'), ('A', 'C'), ('A', 'D'), ('B', 'C', 'D')))
    """
    _check_limit(limit)
    form = game.integer_form() if isinstance(game, WeightedGame) else None
    if form is not None:
        iw, iq, _ = form
        count = _mwc_count(iw, iq)
        if count > limit:
            return CoalitionList(count, None)
        masks = [m for m, _ in _mwc_search(iw, iq)]
        return CoalitionList(count, _named(game, masks))
    if game.n > _brute.BRUTE_MAX:
        raise TooLargeError(
            f"minimal winning coalitions of this game need enumeration, which supports at most "
            f"{_brute.BRUTE_MAX} players; got {game.n}"
        )
    t = _brute.tables(game)
    mw = _brute.minimal_winning_masks(t)
    if mw.size > limit:
        return CoalitionList(int(mw.size), None)
    members = _brute.member_matrix_rows(mw, game.n)
    return CoalitionList(int(mw.size), _named(game, list(members)))


def blocking_coalitions(game: Game, *, limit: int = 10_000) -> CoalitionList:
    """Minimal blocking coalitions: together they stop any decision; each member is needed.

    Definition: ``B`` blocks when the players outside ``B`` lose; it is minimal when no
    proper subset blocks. In a weighted game ``[q; w]`` with integer weights these are the
    minimal winning coalitions of the dual game ``[total - q + 1; w]``.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
    limit : int
        List the coalitions only when there are at most this many.

    Returns
    -------
    CoalitionList

    Raises
    ------
    TooLargeError
        For a multi-condition or real-weighted game with more than 20 players.

    References
    ----------
    .. [1] J. S. Coleman, "Control of collectivities and the power of a collectivity to act",
       in B. Lieberman (ed.), *Social Choice*, Gordon and Breach, 269-300, 1971.

    Examples
    --------
    Weights 3, 2, 2 with quota 5: A alone blocks, and so do B and C together.

    >>> g = WeightedGame([3, 2, 2], 5, names=["A", "B", "C"])
    >>> blocking_coalitions(g).coalitions
    (('A',), ('B', 'C'))
    """
    _check_limit(limit)
    form = game.integer_form() if isinstance(game, WeightedGame) else None
    if form is not None:
        iw, iq, _ = form
        dual = WeightedGame(iw, int(iw.sum()) - iq + 1, names=game.names)
        return minimal_winning_coalitions(dual, limit=limit)
    if game.n > _brute.BRUTE_MAX:
        raise TooLargeError(
            f"blocking coalitions of this game need enumeration, which supports at most "
            f"{_brute.BRUTE_MAX} players; got {game.n}"
        )
    win = _brute.winning_table(game)
    full = (1 << game.n) - 1
    masks = np.arange(full + 1)
    blocking = ~win[full ^ masks]
    minimal = blocking.copy()
    for i in range(game.n):
        bit = 1 << i
        has = (masks & bit) != 0
        minimal[has] &= ~blocking[masks[has] ^ bit]
    found = np.flatnonzero(minimal)
    if found.size > limit:
        return CoalitionList(int(found.size), None)
    return CoalitionList(int(found.size), _named(game, list(_brute.member_matrix_rows(found, game.n))))


def robustness(game: Game, coalition: Coalition) -> Robustness:
    """Robustness of a majority: the fewest defections that break it and how many such sets.

    Definition: for a winning coalition ``S``, the robustness is the smallest ``k`` such that
    some ``D`` within ``S`` with ``|D| = k`` leaves ``S - D`` losing; ``count`` is the number of
    such ``D``. With excess ``e_j = w_j(S) - q_j`` per condition, ``D`` breaks ``S`` when
    ``w_j(D) > e_j`` for some ``j``.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
    coalition : iterable of str or int, or boolean mask
        The members standing together (e.g. those with a positive stance on an issue).

    Returns
    -------
    Robustness

    Raises
    ------
    TooLargeError
        When counting needs a table over ``MAX_TABLE_ENTRIES`` entries (very large excess
        with many members).

    References
    ----------
    .. [1] A. D. Taylor and W. S. Zwicker, *Simple Games: Desirability Relations, Trading,
       Pseudoweightings*, Princeton University Press, 1999 (swap robustness, Ch. 2).

    Examples
    --------
    Weights 3, 2, 2, 1 with quota 5 and coalition {A, B, C} (weight 7, excess 2): losing A
    alone breaks it (A is critical), as does no other single member.

    >>> g = WeightedGame([3, 2, 2, 1], 5, names=["A", "B", "C", "D"])
    >>> r = robustness(g, ["A", "B", "C"])
    >>> r.size, r.count, r.example
    (1, 1, ('A',))
    """
    m = game.mask(coalition)
    members = np.flatnonzero(m)
    if not game.is_winning(m):
        return Robustness(False, 0, 1, (), ())
    crit = critical_members(game, m)
    # per condition: weights of members (integers when possible) and the excess
    W_rows: list[np.ndarray] = []
    excess: list[float] = []
    for c in game.conditions:
        form = c.integer_form()
        if form is None:
            w = c.weights[members]
            W_rows.append(w)
            excess.append(float(w.sum()) - c.quota)
        else:
            w = form[0][members]
            W_rows.append(w)
            excess.append(int(w.sum()) - form[1])
    # smallest k: for each condition the heaviest members first
    best_k, best_j = None, 0
    for j, (w, e) in enumerate(zip(W_rows, excess, strict=True)):
        cum = np.cumsum(np.sort(w)[::-1])
        over = np.flatnonzero(cum > e)
        if over.size and (best_k is None or over[0] + 1 < best_k):
            best_k, best_j = int(over[0]) + 1, j
    assert best_k is not None  # the whole coalition defecting always breaks it
    k = best_k
    order = np.argsort(-W_rows[best_j], kind="stable")[:k]
    example = tuple(game.names[i] for i in sorted(members[order]))
    # a k-set can only break the conditions that some k-set breaks: those whose heaviest k
    # members outweigh the excess (the others need more than k defections)
    relevant = [
        j for j, (w, e) in enumerate(zip(W_rows, excess, strict=True))
        if np.sort(w)[::-1][:k].sum() > e
    ]
    count = None
    if len(relevant) == 1 and game.conditions[relevant[0]].integer_form() is not None:
        j = relevant[0]
        count = _count_breaking_one(W_rows[j].astype(np.int64), int(excess[j]), k)
    if count is None:
        rows = [W_rows[j] for j in relevant]
        exc = [excess[j] for j in relevant]
        ints = all(game.conditions[j].integer_form() is not None for j in relevant)
        count = _count_breaking(rows, exc, k, ints)
    return Robustness(True, k, count, example, crit)


# =============================================================================================
# helpers


def _named(game: Game, masks: list[np.ndarray]) -> tuple[tuple[str, ...], ...]:
    out = [tuple(game.names[i] for i in np.flatnonzero(m)) for m in masks]
    return tuple(sorted(out, key=lambda c: [game.names.index(x) for x in c]))


def _mwc_count(iw: np.ndarray, iq: int) -> int:
    from broadfront.analysis.power import _kernels  # numba, imported on first use

    pos = np.sort(iw[iw > 0])[::-1].astype(np.int64)
    L = _kernels.limbs_for_bits(iw.size + 2)
    return _kernels.limbs_to_int(_kernels.minimal_winning_count_limbs(pos, iq, L))


def _mwc_search(iw: np.ndarray, iq: int):  # type: ignore[no-untyped-def]
    """Yield (mask, size) of every minimal winning coalition by depth-first search."""
    n = iw.size
    order = [int(i) for i in np.argsort(-iw, kind="stable") if iw[i] > 0]
    weights = [int(iw[i]) for i in order]
    suffix = [0] * (len(order) + 1)
    for p in range(len(order) - 1, -1, -1):
        suffix[p] = suffix[p + 1] + weights[p]
    chosen: list[int] = []

    def rec(pos: int, total: int):  # type: ignore[no-untyped-def]
        if total + suffix[pos] < iq:
            return
        for p in range(pos, len(order)):
            if total + suffix[p] < iq:
                return
            chosen.append(order[p])
            if total + weights[p] >= iq:
                m = np.zeros(n, dtype=bool)
                m[chosen] = True
                yield m, len(chosen)
            else:
                yield from rec(p + 1, total + weights[p])
            chosen.pop()

    yield from rec(0, 0)


def _mwc_member_sums(game: Game, max_coalitions: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Per player: number of MWCs containing it, sum of 1/|S| over them; and the count."""
    form = game.integer_form() if isinstance(game, WeightedGame) else None
    if form is None:
        raise TooLargeError(
            f"minimal winning coalitions of this game need enumeration, which supports at most "
            f"{_brute.BRUTE_MAX} players; got {game.n}"
        )
    iw, iq, _ = form
    count = _mwc_count(iw, iq)
    if count > max_coalitions:
        raise TooLargeError(
            f"the game has {count} minimal winning coalitions, more than max_coalitions="
            f"{max_coalitions}"
        )
    n = game.n
    by_size = np.zeros((n, n + 1), dtype=np.int64)  # MWCs containing i, by their size
    for m, size in _mwc_search(iw, iq):
        by_size[m, size] += 1
    pgi = by_size.sum(axis=1).astype(float)
    # sum of (count by size) / size, correctly rounded: symmetric players get identical sums
    dp = np.array([_brute.reciprocal_sum(row) for row in by_size])
    return pgi, dp, count


def _count_breaking_one(w: np.ndarray, e: int, k: int) -> int | None:
    """Number of ``k``-subsets of ``w`` (integers) weighing more than ``e``, exactly.

    ``k`` is the fewest members that outweigh ``e``. With the weights sorted in descending
    order ``a_0 >= a_1 >= ...``, a ``k``-subset at sorted positions ``p_0 < ... < p_{k-1}``
    weighs ``T_k - sum_j (a_j - a_{p_j})`` where ``T_k`` is the weight of the ``k`` heaviest
    and every term of the sum (the *loss* of slot ``j``) is non-negative because
    ``p_j >= j``. The subset breaks the coalition when its total loss is at most the slack
    ``L = T_k - e - 1``, and since the ``k - 1`` heaviest do not outweigh ``e``,
    ``L < a_{k-1}``. A dynamic program over (slot, position, loss <= L) counts these subsets
    in ``O(k m L)`` with prefix sums over positions, vectorized in numpy; counts are exact
    (int64 while every count fits, otherwise modulo primes below ``2^31`` and rebuilt by the
    Chinese remainder theorem). Returns None when the table would be too large.
    """
    a = np.sort(w)[::-1].astype(np.int64)
    g = int(np.gcd.reduce(a)) if a.size else 1
    if g > 1:  # w(D) > e  <=>  w(D)/g > floor(e/g)
        a //= g
        e //= g
    m = a.size
    if k == 1:
        return int(np.count_nonzero(a > e))
    if k == m:
        return 1
    L = int(a[:k].sum()) - e - 1
    assert 0 <= L < int(a[k - 1])  # the k - 1 heaviest do not outweigh e
    # slot j at position p = j + s (s members skipped so far) costs a[j] - a[p] now and at
    # least F = sum_{j < i < k} (a[i] - a[i + s]) later, so only p <= top[j] can still break
    S = np.concatenate([[0], np.cumsum(a)])
    top = []
    for j in range(k):
        sk = np.arange(0, m - k + 1)
        cost = a[j] - a[j + sk] + (S[k] - S[j + 1]) - (S[k + sk] - S[j + 1 + sk])
        top.append(j + int(np.flatnonzero(cost <= L)[-1]))  # s = 0 always costs 0
    biggest = math.comb(m, min(k, m // 2))
    if biggest < 2**62:
        primes = None
        P = 1
    else:
        P = _modular.primes_for_bits(biggest.bit_length(), _modular.SMALL_PRIME_LIMIT)
        primes = _modular.crt_basis(P, _modular.SMALL_PRIME_LIMIT)[0].reshape(P, 1, 1)
    rows_per_slot = [t - j + 1 for j, t in enumerate(top)]
    if (P * max(rows_per_slot) * (L + 1) > MAX_TABLE_ENTRIES
            or P * sum(rows_per_slot) * (L + 1) > MAX_SLACK_WORK):
        return None
    width = np.arange(L + 1)
    # f[:, r, l]: ways to fill slots 0..j with slot j at position j + r and total loss l
    rows = np.arange(0, top[0] + 1)
    loss = a[0] - a[rows]
    f = np.zeros((P, rows.size, L + 1), dtype=np.int64)
    f[:, rows, loss] = 1
    for j in range(1, k):
        G = np.cumsum(f, axis=1)  # G[:, r] = ways with slot j - 1 at position <= j - 1 + r
        if primes is not None:
            G %= primes
        rows = np.arange(j, top[j] + 1)
        loss = a[j] - a[rows]
        # previous slot at positions j - 1 .. p - 1, i.e. r <= p - j, capped at its last row
        prev = np.minimum(rows - j, G.shape[1] - 1)
        cols = width[None, :] - loss[:, None]
        f = np.where(cols >= 0, G[:, prev[:, None], np.maximum(cols, 0)], 0)
    if primes is None:
        return int(f.sum())
    residues = (f.reshape(P, -1).sum(axis=1) % primes.reshape(P)).reshape(1, P)
    return _modular.crt(residues, P, _modular.SMALL_PRIME_LIMIT)[0]


def _count_breaking(
    W_rows: list[np.ndarray], excess: list[float], k: int, integral: bool
) -> int:
    """Number of k-subsets D of the members with w_j(D) > e_j for some condition j."""
    m = W_rows[0].size
    total = math.comb(m, k)
    if integral:
        dims = [int(e) + 1 for e in excess]
        entries = (k + 1) * math.prod(dims)
        if entries <= MAX_TABLE_ENTRIES:
            # keep[s, t_1, ..., t_c]: subsets of size s with w_j = t_j <= e_j for all j
            exact64 = math.comb(m, min(k, m // 2)) < 2**62  # every count fits in int64
            keep = np.zeros((k + 1, *dims), dtype=np.int64 if exact64 else object)
            keep[(0,) * (len(dims) + 1)] = 1
            for i in range(m):
                ws = [int(w[i]) for w in W_rows]
                if any(w > d - 1 for w, d in zip(ws, dims, strict=True)):
                    continue  # any subset containing i breaks at least one condition
                src = (slice(0, k),) + tuple(slice(0, d - w) for w, d in zip(ws, dims, strict=True))
                dst = (slice(1, k + 1),) + tuple(slice(w, d) for w, d in zip(ws, dims, strict=True))
                keep[dst] = keep[dst] + keep[src]
            kept = int(keep[k].sum())
            return total - kept
    if total <= 2_000_000:
        mat = np.vstack(W_rows)
        e = np.array(excess, dtype=float)
        broken = 0
        for combo in combinations(range(m), k):
            if np.any(mat[:, combo].sum(axis=1) > e):
                broken += 1
        return broken
    raise TooLargeError(
        f"counting the {k}-member defections that break this coalition needs too large a table",
    )


def _check_limit(limit: int) -> int:
    if not isinstance(limit, int) or limit < 0:
        raise ValidationError(f"limit must be a non-negative integer, got {limit!r}", parameter="limit")
    return limit
