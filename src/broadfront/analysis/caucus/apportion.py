"""Apportioning delegates to precincts (or any units) from a weight such as the party vote.

- Huntington-Hill (the method of equal proportions): every unit gets one seat, then each
  further seat goes to the unit with the highest priority ``w / sqrt(n (n + 1))``.
- Hamilton (largest remainders): quota ``w x seats / W``, whole parts first, then the
  largest remainders.
- One delegate per ``k`` votes "or major fraction thereof".

All comparisons are exact (priorities are compared through their squares as Fractions);
ties are settled by a seeded lot and reported.

References
----------
Balinski, M. L. and Young, H. P., *Fair Representation: Meeting the Ideal of One Man,
One Vote*, 2nd ed., Brookings Institution Press, 2001. ISBN 978-0-8157-0111-8.

Huntington, E. V., "The Apportionment of Representatives in Congress", *Transactions of
the American Mathematical Society* 30(1), 85-110, 1928. DOI 10.1090/S0002-9947-1928-1501423-8.

Minnesota DFL, *2018-2019 Official Call*: delegates to conventions are apportioned to
precincts by the DFL vote, one delegate per a stated number of votes or major fraction.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from broadfront.analysis._validation import check_positive_int
from broadfront.analysis.caucus._common import (
    Lot,
    LotDraw,
    as_fraction,
    check_weights,
    floor_frac,
    largest_remainders,
)
from broadfront.analysis.caucus.limits import (
    MAX_HUNTINGTON_HILL_STEPS,
    MAX_SEATS,
    check_weight_size,
    within,
)
from broadfront.exceptions import ValidationError

METHODS = ("huntington-hill", "hamilton", "per-votes")
"""The apportionment methods this module implements."""


@dataclass(frozen=True)
class Apportionment:
    """Seats per unit and how they were computed.

    Attributes
    ----------
    method : str
        ``"huntington-hill"``, ``"hamilton"`` or ``"per-votes"``.
    seats : int
        Seats allocated in total.
    allocation : dict of str to int
        Seats per unit, in the input order.
    quota : dict of str to Fraction
        Each unit's exact quota: ``w x seats / W`` (``w / k`` for per-votes).
    divisor : Fraction
        Weight per seat: ``W / seats`` (``k`` for per-votes).
    ties_broken_by_lot : tuple of LotDraw
        Ties that changed the outcome and how the lot settled them.
    """

    method: str
    seats: int
    allocation: dict[str, int]
    quota: dict[str, Fraction]
    divisor: Fraction
    ties_broken_by_lot: tuple[LotDraw, ...]


def apportion(
    weights: Mapping[str, float],
    seats: int | None = None,
    *,
    method: str = "huntington-hill",
    votes_per_delegate: float | None = None,
    minimum: int = 0,
    rng: int | np.random.Generator | None = None,
) -> Apportionment:
    """Apportion ``seats`` among units in proportion to their weights.

    - ``huntington-hill``: each unit first gets one seat; each remaining seat goes to
      the unit with the largest ``w / sqrt(n (n + 1))``, n its current seats.
      Needs ``seats`` >= number of units.
    - ``hamilton``: quota ``q = w x seats / W``; ``floor(q)`` each, then one more to the
      largest remainders. ``minimum`` seats per unit are given first when asked for.
    - ``per-votes``: ``floor(w / k)`` plus one when the fraction left is a major
      fraction (more than one half); at least ``minimum``. ``k`` is
      ``votes_per_delegate``, or ``W / seats`` when only ``seats`` is given; the total
      is then whatever the rule gives.

    Parameters
    ----------
    weights : mapping of str to float
        Non-negative weight of each unit (e.g. the average party vote).
    seats : int, optional
        Seats to apportion (>= 1); required except for ``per-votes`` with
        ``votes_per_delegate``.
    method : {"huntington-hill", "hamilton", "per-votes"}
        The method.
    votes_per_delegate : float, optional
        ``k`` for ``per-votes``.
    minimum : int, default 0
        Seats every unit gets at least (Hamilton and per-votes; Huntington-Hill always 1).
    rng : int or numpy.random.Generator, optional
        Seed or generator for the lot that settles ties.

    Returns
    -------
    Apportionment
        Seats per unit, quotas and lots.

    Raises
    ------
    ValidationError
        For an unknown method, negative or all-zero weights, fewer seats than units
        (Huntington-Hill or ``minimum``), a non-positive ``votes_per_delegate``, or an input
        beyond the ranges of :mod:`broadfront.analysis.caucus.limits` (more than
        ``MAX_UNITS`` units or ``MAX_SEATS`` seats, a weight over ``MAX_WEIGHT``).

    References
    ----------
    Balinski and Young, *Fair Representation* (2001); Huntington (1928),
    DOI 10.1090/S0002-9947-1928-1501423-8.

    Examples
    --------
    >>> apportion({"P1": 560, "P2": 290, "P3": 150}, 10, method="hamilton").allocation
    {'P1': 6, 'P2': 3, 'P3': 1}
    >>> apportion({"P1": 560, "P2": 290, "P3": 150}, 10, method="huntington-hill").allocation
    {'P1': 5, 'P2': 3, 'P3': 2}
    >>> apportion({"P1": 560, "P2": 290, "P3": 150}, method="per-votes",
    ...           votes_per_delegate=100).allocation
    {'P1': 6, 'P2': 3, 'P3': 1}
    """
    if method not in METHODS:
        raise ValidationError(
            f"method must be one of {', '.join(METHODS)}; got {method!r}", parameter="method"
        )
    w = check_weights(weights)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
        raise ValidationError(
            f"minimum must be a non-negative whole number, got {minimum!r}", parameter="minimum"
        )
    within(minimum * len(w), MAX_SEATS, "minimum x units")
    lot = Lot.drawn(list(w), rng)
    total = sum(w.values(), Fraction(0))
    if method == "per-votes":
        if votes_per_delegate is not None:
            k = check_weight_size(as_fraction(votes_per_delegate, "votes_per_delegate"),
                                  "votes_per_delegate", "votes_per_delegate")
            if k <= 0:
                raise ValidationError(
                    f"votes_per_delegate must be positive, got {votes_per_delegate!r}",
                    parameter="votes_per_delegate",
                )
        elif seats is not None:
            k = total / within(check_positive_int(seats, "seats"), MAX_SEATS, "seats")
        else:
            raise ValidationError(
                "per-votes needs votes_per_delegate (or seats to derive it from)",
                parameter="votes_per_delegate",
            )
        quota = {n: x / k for n, x in w.items()}
        alloc = {}
        for n, q in quota.items():
            whole = floor_frac(q)
            alloc[n] = max(minimum, whole + (1 if q - whole > Fraction(1, 2) else 0))
        return Apportionment(method, sum(alloc.values()), alloc, quota, k, tuple(lot.draws))

    if seats is None:
        raise ValidationError(f"seats is required for {method}", parameter="seats")
    seats = within(check_positive_int(seats, "seats"), MAX_SEATS, "seats")
    floor_seats = 1 if method == "huntington-hill" else minimum
    if seats < floor_seats * len(w):
        raise ValidationError(
            f"seats must be at least {floor_seats * len(w)} to give each of the {len(w)} units "
            f"{floor_seats}, got {seats}",
            parameter="seats",
        )
    divisor = total / seats
    quota = {n: x / divisor for n, x in w.items()}
    if method == "hamilton":
        if minimum == 0:
            alloc = largest_remainders(quota, seats, lot)
        else:
            alloc = _hamilton_with_minimum(w, seats, minimum, lot)
        return Apportionment(method, seats, alloc, quota, divisor, tuple(lot.draws))
    steps = (seats - len(w)) * len(w)
    if steps > MAX_HUNTINGTON_HILL_STEPS:
        raise ValidationError(
            f"seats: Huntington-Hill weighs every unit for every seat beyond the first; "
            f"(seats - units) x units must be at most {MAX_HUNTINGTON_HILL_STEPS:,}, got "
            f"{steps:,} ({seats:,} seats among {len(w):,} units); use hamilton or per-votes",
            parameter="seats",
        )
    alloc = _huntington_hill(w, seats, lot)
    return Apportionment(method, seats, alloc, quota, divisor, tuple(lot.draws))


def _huntington_hill(w: dict[str, Fraction], seats: int, lot: Lot) -> dict[str, int]:
    """One seat each, then each further seat to the highest ``w^2 / (n (n + 1))`` (exact).

    A heap ordered by (-priority, lot rank) gives the seat to the same unit as sorting all
    priorities would, in ``O(log units)`` per seat; a tie at the top is recorded as a lot.
    """
    alloc = {n: 1 for n in w}

    def entry(n: str) -> tuple[Fraction, int, str]:
        return (-(w[n] * w[n] / (alloc[n] * (alloc[n] + 1))), lot.ranks[n], n)

    heap = [entry(n) for n in w]
    heapq.heapify(heap)
    for _ in range(seats - len(w)):
        top, _rank, winner = heapq.heappop(heap)
        tied = []
        while heap and heap[0][0] == top:
            tied.append(heapq.heappop(heap))
        if tied:
            names = tuple(sorted([winner, *(t[2] for t in tied)]))
            lot.draws.append(LotDraw("highest-priority", names, (winner,), -top))
            for t in tied:
                heapq.heappush(heap, t)
        alloc[winner] += 1
        heapq.heappush(heap, entry(winner))
    return alloc


def _hamilton_with_minimum(
    w: dict[str, Fraction], seats: int, minimum: int, lot: Lot
) -> dict[str, int]:
    """Hamilton with a floor: units whose quota falls below the minimum get the minimum and
    leave; the rest is apportioned among the others (repeated until stable)."""
    fixed: dict[str, int] = {}
    while True:
        free = {n: x for n, x in w.items() if n not in fixed}
        left = seats - sum(fixed.values())
        tot = sum(free.values())
        if tot == 0:
            quotas = {n: Fraction(left, len(free)) for n in free}
        else:
            quotas = {n: x * left / tot for n, x in free.items()}
        low = [n for n, q in quotas.items() if q < minimum]
        if not low:
            alloc = largest_remainders(quotas, left, lot)
            alloc.update(fixed)
            return {n: alloc[n] for n in w}
        for n in low:
            fixed[n] = minimum
