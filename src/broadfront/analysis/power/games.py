"""Simple games of decision bodies: weighted voting, several weighted conditions, veto players.

A *weighted voting game* ``[q; w_1, ..., w_n]`` makes a coalition winning when the total weight
of its members reaches the quota ``q``. A *multi-condition game* (a double majority, such as
seats and population, or members and groups) makes a coalition winning when it wins every one
of several weighted games over the same players. Veto players and conventions of blocs plus
individual delegates are both expressed with these two classes.

References
----------
.. [1] L. S. Shapley, "Simple games: an outline of the descriptive theory", Behavioral
   Science 7(1), 59-66, 1962. DOI: 10.1002/bs.3830070104
.. [2] A. D. Taylor and W. S. Zwicker, *Simple Games: Desirability Relations, Trading,
   Pseudoweightings*, Princeton University Press, 1999.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from broadfront.exceptions import ValidationError

__all__ = [
    "HARD_MAX_PLAYERS",
    "MAX_CONDITIONS",
    "MAX_PLAYERS",
    "Game",
    "MultiConditionGame",
    "WeightedGame",
    "convention",
    "veto_players",
    "with_veto",
]

#: Largest denominator accepted when non-integer weights are rescaled to integers.
MAX_SCALE = 10**6
#: Most players (weights) a game may have for a power index (soft limit: the largest body in
#: the benchmarks, a 1,300-delegate convention, is well inside).
MAX_PLAYERS = 10_000
#: Most players when limits are lifted (memory safety: never lifted).
HARD_MAX_PLAYERS = 1_000_000
#: Most conditions of a multi-condition game.
MAX_CONDITIONS = 64


def _as_names(names: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if names is None:
        return tuple(f"P{i + 1}" for i in range(n))
    out = tuple(str(x) for x in names)
    if len(out) != n:
        raise ValidationError(
            f"names must have one entry per weight ({n}), got {len(out)}", parameter="names"
        )
    if len(set(out)) != len(out):
        dup = next(x for x in out if out.count(x) > 1)
        raise ValidationError(f"names must be unique, {dup!r} appears twice", parameter="names")
    return out


def _as_weights(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    try:
        arr = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"weights must be a list of numbers, got {weights!r}", parameter="weights"
        ) from exc
    if arr.ndim != 1:
        raise ValidationError(
            f"weights must be a flat list of numbers, got shape {arr.shape}", parameter="weights"
        )
    if arr.size == 0:
        raise ValidationError("weights must name at least one player, got none", parameter="weights")
    if arr.size > HARD_MAX_PLAYERS:
        raise ValidationError(
            f"weights must name at most {HARD_MAX_PLAYERS:,} players, got {arr.size}",
            parameter="weights",
        )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValidationError(
            f"weights must be finite and non-negative, got {arr[i]!r} at position {i}",
            parameter="weights",
        )
    arr.setflags(write=False)
    return arr


class _IntegerData(NamedTuple):
    """Derived data of a weighted game with integer weights, computed once per game.

    All arrays are int64 (``inverse``: intp) and read-only.
    """

    weights: np.ndarray  #: integer weights in player order
    quota: int  #: integer quota
    scale: int  #: the factor the weights were multiplied by
    total: int  #: sum of the integer weights
    sorted: np.ndarray  #: integer weights, ascending
    types: np.ndarray  #: distinct integer weights, ascending
    inverse: np.ndarray  #: type of each player (``types[inverse] == weights``)
    counts: np.ndarray  #: number of players of each type
    inverse_list: list[int]  #: ``inverse`` as a list (for building per-player tuples)


def _decimal(x: float) -> Fraction:
    """The short decimal a user most likely meant by the float ``x`` (0.1 -> 1/10)."""
    return Fraction(repr(float(x)))


@dataclass(frozen=True, eq=False)
class WeightedGame:
    """A weighted voting game: a coalition wins when its total weight reaches the quota.

    Definition: players ``1..n`` carry weights ``w_i >= 0``; coalition ``S`` is winning when
    ``sum(w_i for i in S) >= quota``. The quota must satisfy ``0 < quota <= sum(w)`` so that
    the empty coalition loses and the grand coalition wins.

    Parameters
    ----------
    weights : sequence of float
        Non-negative weights (seats, votes, delegates, shares) in player order.
    quota : float
        Total weight needed to win; ``0 < quota <= sum(weights)``.
    names : sequence of str, optional
        Unique player names; default ``P1, P2, ...``.

    Raises
    ------
    ValidationError
        When a weight is negative or not finite (``parameter="weights"``), the quota is outside
        ``(0, total]`` (``parameter="quota"``) or names are missing or repeated
        (``parameter="names"``).

    References
    ----------
    .. [1] L. S. Shapley, "Simple games: an outline of the descriptive theory", Behavioral
       Science 7(1), 59-66, 1962. DOI: 10.1002/bs.3830070104

    Examples
    --------
    Three parties with 3, 2 and 2 seats and quota 4: every pair wins.

    >>> g = WeightedGame([3, 2, 2], 4, names=["A", "B", "C"])
    >>> g.n, g.total
    (3, 7.0)
    >>> g.is_winning(["B", "C"]), g.is_winning(["A"])
    (True, False)
    """

    weights: np.ndarray
    quota: float
    names: tuple[str, ...] = ()

    def __init__(
        self,
        weights: Sequence[float] | np.ndarray,
        quota: float,
        names: Sequence[str] | None = None,
    ) -> None:
        arr = _as_weights(weights)
        try:
            q = float(quota)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"quota must be a number, got {quota!r}", parameter="quota") from exc
        total = float(arr.sum())
        if not math.isfinite(q) or q <= 0:
            raise ValidationError(f"quota must be positive, got {quota!r}", parameter="quota")
        if q > total * (1 + 1e-12):
            raise ValidationError(
                f"quota must not exceed the total weight {total:g}, got {quota!r}",
                parameter="quota",
            )
        object.__setattr__(self, "weights", arr)
        object.__setattr__(self, "quota", q)
        object.__setattr__(self, "names", _as_names(names, arr.size))

    @classmethod
    def from_quota_fraction(
        cls,
        weights: Sequence[float] | np.ndarray,
        fraction: float,
        names: Sequence[str] | None = None,
    ) -> WeightedGame:
        """A weighted game whose quota is ``fraction`` of the total weight.

        The product is computed in exact decimal arithmetic, so ``0.6`` of 100 is exactly 60.

        Parameters
        ----------
        weights : sequence of float
            Non-negative weights.
        fraction : float
            Share of the total weight needed to win, ``0 < fraction <= 1``.
        names : sequence of str, optional
            Unique player names.

        Returns
        -------
        WeightedGame

        Raises
        ------
        ValidationError
            When ``fraction`` is outside ``(0, 1]`` (``parameter="fraction"``) or the weights
            are invalid.

        Examples
        --------
        >>> WeightedGame.from_quota_fraction([30, 30, 40], 0.6).quota
        60.0
        """
        arr = _as_weights(weights)
        try:
            f = float(fraction)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                f"fraction must be a number, got {fraction!r}", parameter="fraction"
            ) from exc
        if not math.isfinite(f) or not 0 < f <= 1:
            raise ValidationError(
                f"fraction must be in (0, 1], got {fraction!r}", parameter="fraction"
            )
        total = sum((_decimal(w) for w in arr), Fraction(0))
        return cls(arr, float(_decimal(f) * total), names)

    @property
    def n(self) -> int:
        """Number of players."""
        return int(self.weights.size)

    @property
    def total(self) -> float:
        """Total weight of all players."""
        return float(self.weights.sum())

    @property
    def conditions(self) -> tuple[WeightedGame, ...]:
        """The weighted conditions that must all hold (just this game)."""
        return (self,)

    def index_of(self, player: str | int) -> int:
        """Position of a player given by name or index."""
        return _index_of(self.names, player)

    def mask(self, coalition: Iterable[str | int] | np.ndarray) -> np.ndarray:
        """Boolean membership vector of a coalition given by names, indices or a mask."""
        return _mask(self.names, coalition)

    def is_winning(self, coalition: Iterable[str | int] | np.ndarray) -> bool:
        """Whether the coalition's total weight reaches the quota."""
        m = self.mask(coalition)
        return bool(_weight_of(self.weights, m) >= self.quota)

    def types(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct weights (ascending) and how many players carry each."""
        w, c = np.unique(self.weights, return_counts=True)
        return w, c

    @cached_property
    def _integer_form_cached(self) -> tuple[np.ndarray, int, int] | None:
        form = _integer_form(self.weights, self.quota)
        if form is not None:
            form[0].flags.writeable = False  # shared by every call on this game
        return form

    @cached_property
    def _integer_data(self) -> _IntegerData | None:
        """:meth:`integer_form` with the types (distinct weights) and sorted weights, once."""
        form = self._integer_form_cached
        if form is None:
            return None
        iw, iq, scale = form
        # as numpy.unique(return_inverse, return_counts), in a few Python passes: several
        # times faster for the tens to thousands of players of a body
        lst = iw.tolist()
        distinct = sorted(set(lst))
        position = {w: j for j, w in enumerate(distinct)}
        inv = [position[w] for w in lst]
        cnt = [0] * len(distinct)
        for j in inv:
            cnt[j] += 1
        tw = np.array(distinct, dtype=np.int64)
        counts = np.array(cnt, dtype=np.int64)
        inverse = np.array(inv, dtype=np.intp)
        ws = np.repeat(tw, counts)
        for a in (tw, inverse, counts, ws):
            a.flags.writeable = False
        return _IntegerData(iw, iq, scale, sum(lst), ws, tw, inverse, counts, inv)

    @cached_property
    def _memo(self) -> dict[Any, Any]:
        """Private per-game cache of the index code (tables' shapes; never results)."""
        return {}

    def integer_form(self) -> tuple[np.ndarray, int, int] | None:
        """Integer weights and quota describing the same game, with the scale used.

        Weights are read as the short decimals they print as; when all of them become integers
        after multiplying by a scale of at most ``MAX_SCALE``, returns
        ``(int_weights, int_quota, scale)``, otherwise ``None``. A coalition wins in the
        integer game exactly when it wins here (weights >= quota). Computed once per game
        (the weights array returned is read-only).
        """
        return self._integer_form_cached

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, WeightedGame)
            and self.quota == other.quota
            and self.names == other.names
            and np.array_equal(self.weights, other.weights)
        )

    def __hash__(self) -> int:
        return hash((self.quota, self.names, self.weights.tobytes()))

    def __repr__(self) -> str:
        w = ", ".join(f"{x:g}" for x in self.weights[:8]) + (", ..." if self.n > 8 else "")
        return f"WeightedGame(weights=[{w}], quota={self.quota:g}, n={self.n})"


@dataclass(frozen=True, eq=False)
class MultiConditionGame:
    """A game won only by coalitions that win every one of several weighted conditions.

    Definition: conditions ``[q_j; w_j1, ..., w_jn]`` over the same ``n`` players; coalition
    ``S`` wins when ``sum(w_ji for i in S) >= q_j`` for every ``j``. A double majority (seats
    and population; members and groups) has two conditions; a veto player is a condition in
    which only that player has weight.

    Parameters
    ----------
    conditions : sequence of WeightedGame or (weights, quota) pairs
        At least one condition; all over the same number of players.
    names : sequence of str, optional
        Unique player names; default: the names of the first condition if it is a
        WeightedGame, else ``P1, P2, ...``.

    Raises
    ------
    ValidationError
        When there are no conditions, their player counts differ (``parameter="conditions"``)
        or a condition's weights or quota are invalid.

    References
    ----------
    .. [1] A. D. Taylor and W. S. Zwicker, *Simple Games: Desirability Relations, Trading,
       Pseudoweightings*, Princeton University Press, 1999 (vector-weighted games).

    Examples
    --------
    Two states with 1 seat each and populations 10 and 1; a law needs both seats' majority
    (2 of 2 seats? no: 1 of 2) and 60% of the population.

    >>> g = MultiConditionGame([([1, 1], 1), ([10, 1], 6.6)], names=["big", "small"])
    >>> g.is_winning(["big"]), g.is_winning(["small"])
    (True, False)
    """

    conditions: tuple[WeightedGame, ...]
    names: tuple[str, ...] = ()

    def __init__(
        self,
        conditions: Sequence[WeightedGame | tuple[Sequence[float], float]],
        names: Sequence[str] | None = None,
    ) -> None:
        conds: list[WeightedGame] = []
        if not isinstance(conditions, Sequence) or len(conditions) == 0:
            raise ValidationError(
                "conditions must be a non-empty list of weighted games or (weights, quota) pairs",
                parameter="conditions",
            )
        if len(conditions) > MAX_CONDITIONS:
            raise ValidationError(
                f"conditions must be between 1 and {MAX_CONDITIONS:,}, got {len(conditions)}",
                parameter="conditions",
            )
        for j, c in enumerate(conditions):
            if isinstance(c, WeightedGame):
                conds.append(c)
            elif isinstance(c, Mapping):
                if "weights" not in c or "quota" not in c:
                    raise ValidationError(
                        f"condition {j} must have 'weights' and 'quota'", parameter="conditions"
                    )
                conds.append(WeightedGame(c["weights"], c["quota"]))
            else:
                try:
                    w, q = c
                except (TypeError, ValueError) as exc:
                    raise ValidationError(
                        f"condition {j} must be a WeightedGame or a (weights, quota) pair, got {c!r}",
                        parameter="conditions",
                    ) from exc
                conds.append(WeightedGame(w, q))
        n = conds[0].n
        for j, c in enumerate(conds):
            if c.n != n:
                raise ValidationError(
                    f"condition {j} has {c.n} weights but condition 0 has {n}",
                    parameter="conditions",
                )
        if names is None and isinstance(conditions[0], WeightedGame):
            names = conds[0].names
        object.__setattr__(self, "conditions", tuple(conds))
        object.__setattr__(self, "names", _as_names(names, n))

    @property
    def n(self) -> int:
        """Number of players."""
        return self.conditions[0].n

    @property
    def weight_matrix(self) -> np.ndarray:
        """Weights as an array of shape ``(conditions, players)``."""
        return np.vstack([c.weights for c in self.conditions])

    @property
    def quotas(self) -> np.ndarray:
        """Quota of each condition."""
        return np.array([c.quota for c in self.conditions])

    def index_of(self, player: str | int) -> int:
        """Position of a player given by name or index."""
        return _index_of(self.names, player)

    def mask(self, coalition: Iterable[str | int] | np.ndarray) -> np.ndarray:
        """Boolean membership vector of a coalition given by names, indices or a mask."""
        return _mask(self.names, coalition)

    def is_winning(self, coalition: Iterable[str | int] | np.ndarray) -> bool:
        """Whether the coalition meets every condition."""
        m = self.mask(coalition)
        return all(_weight_of(c.weights, m) >= c.quota for c in self.conditions)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, MultiConditionGame)
            and self.names == other.names
            and self.conditions == other.conditions
        )

    def __hash__(self) -> int:
        return hash((self.names, self.conditions))


Game = WeightedGame | MultiConditionGame


def with_veto(game: Game, veto: Iterable[str | int]) -> MultiConditionGame:
    """Add veto players to a game: a coalition must also contain every one of them.

    Definition: returns the game whose winning coalitions are the winning coalitions of
    ``game`` that contain all players in ``veto`` (one extra condition where each veto player
    has weight 1 and the quota is their number).

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame
        The body's voting rule.
    veto : iterable of str or int
        Names or indices of the players holding a veto (at least one).

    Returns
    -------
    MultiConditionGame

    Raises
    ------
    ValidationError
        When ``veto`` is empty or names an unknown player (``parameter="veto"``).

    References
    ----------
    .. [1] L. S. Shapley and M. Shubik, "A method for evaluating the distribution of power in a
       committee system", American Political Science Review 48(3), 787-792, 1954.
       DOI: 10.2307/1951053 (the UN Security Council with five vetoes).

    Examples
    --------
    >>> g = with_veto(WeightedGame([1, 1, 1], 2, names=["A", "B", "C"]), ["A"])
    >>> g.is_winning(["B", "C"]), g.is_winning(["A", "C"])
    (False, True)
    """
    try:
        idx = sorted({game.index_of(p) for p in veto})
    except ValidationError as exc:
        raise ValidationError(str(exc), parameter="veto") from exc
    if not idx:
        raise ValidationError("veto must name at least one player", parameter="veto")
    w = np.zeros(game.n)
    w[idx] = 1.0
    return MultiConditionGame([*game.conditions, WeightedGame(w, len(idx))], names=game.names)


def veto_players(game: Game) -> tuple[str, ...]:
    """Players who belong to every winning coalition.

    Definition: ``i`` holds a veto when the coalition of all other players loses, that is when
    for some condition ``total_j - w_ji < q_j``.

    Parameters
    ----------
    game : WeightedGame or MultiConditionGame

    Returns
    -------
    tuple of str
        Names of the veto players, in player order.

    References
    ----------
    .. [1] L. S. Shapley, "Simple games: an outline of the descriptive theory", Behavioral
       Science 7(1), 59-66, 1962. DOI: 10.1002/bs.3830070104

    Examples
    --------
    >>> veto_players(WeightedGame([5, 2, 2], 6, names=["A", "B", "C"]))
    ('A',)
    """
    out = []
    for i, name in enumerate(game.names):
        if any(c.total - c.weights[i] < c.quota for c in game.conditions):
            out.append(name)
    return tuple(out)


def convention(
    blocs: Mapping[str, float],
    delegates: int,
    *,
    quota: float | None = None,
    quota_fraction: float | None = None,
    delegate_prefix: str = "delegate",
) -> WeightedGame:
    """A convention where disciplined blocs vote as one and other delegates vote alone.

    Definition: each bloc is one player whose weight is its number of delegates; each of the
    ``delegates`` unaffiliated delegates is a player of weight 1. Players with equal weight
    form one *type*, so a convention of 1,300 delegates plus five blocs has at most six types
    and the exact indices are fast.

    Parameters
    ----------
    blocs : mapping of str to float
        Bloc name to its delegate count.
    delegates : int
        Number of individual (unbloc'd) delegates.
    quota : float, optional
        Votes needed; exactly one of ``quota`` and ``quota_fraction`` must be given.
    quota_fraction : float, optional
        Share of all delegates needed (e.g. 0.6 to endorse).
    delegate_prefix : str
        Individual delegates are named ``"<prefix> 1"``, ``"<prefix> 2"``, ...

    Returns
    -------
    WeightedGame

    Raises
    ------
    ValidationError
        When ``delegates`` is negative (``parameter="delegates"``), both or neither quota
        arguments are given (``parameter="quota"``) or a bloc size is invalid.

    References
    ----------
    .. [1] L. S. Penrose, "The elementary statistics of majority voting", Journal of the Royal
       Statistical Society 109(1), 53-57, 1946. DOI: 10.2307/2981392

    Examples
    --------
    >>> g = convention({"Labor": 3}, 4, quota_fraction=0.5)
    >>> g.n, g.quota, g.names[:2]
    (5, 3.5, ('Labor', 'delegate 1'))
    """
    if not isinstance(delegates, int | np.integer) or delegates < 0:
        raise ValidationError(
            f"delegates must be a non-negative integer, got {delegates!r}", parameter="delegates"
        )
    if (quota is None) == (quota_fraction is None):
        raise ValidationError(
            "give exactly one of quota and quota_fraction", parameter="quota"
        )
    names = [str(k) for k in blocs] + [f"{delegate_prefix} {i + 1}" for i in range(delegates)]
    weights = [float(v) for v in blocs.values()] + [1.0] * int(delegates)
    if quota_fraction is not None:
        return WeightedGame.from_quota_fraction(weights, quota_fraction, names)
    assert quota is not None
    return WeightedGame(weights, quota, names)


# ---------------------------------------------------------------------------------------------
# private helpers


def _index_of(names: tuple[str, ...], player: str | int) -> int:
    if isinstance(player, int | np.integer) and not isinstance(player, bool):
        if not 0 <= int(player) < len(names):
            raise ValidationError(
                f"player index must be in 0..{len(names) - 1}, got {player!r}",
                parameter="coalition",
            )
        return int(player)
    try:
        return names.index(str(player))
    except ValueError:
        raise ValidationError(f"unknown player {player!r}", parameter="coalition") from None


def _mask(names: tuple[str, ...], coalition: Iterable[str | int] | np.ndarray) -> np.ndarray:
    if isinstance(coalition, np.ndarray) and coalition.dtype == bool:
        if coalition.shape != (len(names),):
            raise ValidationError(
                f"coalition mask must have {len(names)} entries, got shape {coalition.shape}",
                parameter="coalition",
            )
        return coalition
    if isinstance(coalition, str):
        coalition = [coalition]
    m = np.zeros(len(names), dtype=bool)
    for p in coalition:
        m[_index_of(names, p)] = True
    return m


def _weight_of(weights: np.ndarray, mask: np.ndarray) -> float:
    return float(weights[mask].sum())


def _integer_form(weights: np.ndarray, quota: float) -> tuple[np.ndarray, int, int] | None:
    if np.all(weights == np.floor(weights)) and float(weights.sum()) < 2**53:
        iw = weights.astype(np.int64)
        total = int(iw.sum())
        return iw, max(1, min(math.ceil(quota), total)), 1
    else:
        scale = 1
        for w in np.unique(weights):
            den = _decimal(w).denominator
            scale = scale * den // math.gcd(scale, den)
            if scale > MAX_SCALE:
                return None
    fr = [_decimal(w) * scale for w in weights]
    if any(x.denominator != 1 for x in fr):
        return None
    iw = np.array([int(x) for x in fr], dtype=np.int64)
    iq = math.ceil(_decimal(quota) * scale)
    total = int(sum(int(x) for x in fr))
    if total >= 2**62:
        return None
    return iw, max(1, min(iq, total)), scale

