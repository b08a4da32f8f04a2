"""Delegate allocation at a precinct caucus: the DFL walking subcaucus, Iowa and fair reflection.

Each rule is a function over a table ``{group name: head count}`` that returns a
:class:`CaucusAllocation`. Arithmetic is exact (:class:`fractions.Fraction`); ties are
settled by a lot drawn from an explicit ``rng`` and every tie that changed the outcome is
reported in ``ties_broken_by_lot``.

References
----------
Minnesota Democratic-Farmer-Labor Party, *2018-2019 Official Call*, "Walking Subcaucus
Rules", p. 4 (adopted 5 August 2017). The same steps appear in every Official Call since
at least 2010-2011.

Iowa Democratic Party, *Caucus Math One-Pager* (2015),
http://iowademocrats.org/wp-content/uploads/2015/08/IDP-Caucus-Math-One-Pager.pdf, and
*Caucus Math in 3 minutes* (31 January 2016), https://medium.com/@IowaDems.

Democratic National Committee, *Delegate Selection Rules for the 2020 Democratic National
Convention*, Rule 14 (fair reflection, 15% threshold).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from broadfront.analysis._validation import check_positive_int
from broadfront.analysis.caucus._common import (
    Lot,
    LotDraw,
    ceil_frac,
    check_counts,
    floor_frac,
    largest_remainders,
)
from broadfront.analysis.caucus.limits import MAX_ATTENDEES, MAX_DELEGATES, within
from broadfront.exceptions import ValidationError

RULES = ("dfl", "iowa", "fair-reflection")
"""The allocation rules this module implements."""

FAIR_REFLECTION_THRESHOLD = Fraction(15, 100)
"""The 15% threshold of DNC Rule 14 (fair reflection)."""


@dataclass(frozen=True)
class CaucusAllocation:
    """Delegates won by each group at one caucus, with every number a convenor announces.

    Attributes
    ----------
    rule : str
        ``"dfl"``, ``"iowa"`` or ``"fair-reflection"``.
    delegates : int
        Delegates the caucus elects.
    attendees : int
        Eligible participants the viability number was computed from.
    allocation : dict of str to int
        Delegates per group, in the input order.
    viable : dict of str to bool
        Whether each group is viable (only viable groups elect delegates).
    viability_number : int
        Fewest members a group needs to be viable.
    divisor : Fraction or None
        Members per delegate used for the quotas (``None`` when no group is viable).
    quota : dict of str to Fraction
        Exact quota (delegates earned before rounding); 0 for non-viable groups.
    ties_broken_by_lot : tuple of LotDraw
        Ties that changed the outcome and how the lot settled them.
    unallocated : int
        Delegates no group could elect (no viable group, or none with a majority).
    notes : tuple of str
        Plain-language remarks (groups sent to realign, majority rule, ...).
    """

    rule: str
    delegates: int
    attendees: int
    allocation: dict[str, int]
    viable: dict[str, bool]
    viability_number: int
    divisor: Fraction | None
    quota: dict[str, Fraction]
    ties_broken_by_lot: tuple[LotDraw, ...]
    unallocated: int
    notes: tuple[str, ...] = ()


def viability_number(rule: str, attendees: int, delegates: int) -> int:
    """Fewest members a group needs to be viable under ``rule``.

    - ``dfl``: ``ceil(attendees / delegates)``, enough members to elect one delegate.
    - ``iowa``: ``ceil(attendees x f)`` with f = 15% for 4 or more delegates, 1/6 for 3,
      25% for 2; a one-delegate caucus elects by simple majority, ``attendees // 2 + 1``.
    - ``fair-reflection``: ``ceil(0.15 x attendees)``.

    Parameters
    ----------
    rule : {"dfl", "iowa", "fair-reflection"}
        The allocation rule.
    attendees : int
        Eligible participants (>= 0).
    delegates : int
        Delegates to elect (>= 1).

    Returns
    -------
    int
        The viability number.

    Raises
    ------
    ValidationError
        If ``rule`` is unknown, ``delegates`` < 1 or ``attendees`` < 0.

    References
    ----------
    Minnesota DFL, *2018-2019 Official Call*, p. 4, Step 2. Iowa Democratic Party,
    *Caucus Math One-Pager* (2015), Step 2.

    Examples
    --------
    >>> viability_number("dfl", 100, 5)
    20
    >>> viability_number("iowa", 27, 5)   # 27 x 0.15 = 4.05, rounded up
    5
    >>> viability_number("iowa", 100, 3)  # 100 / 6 = 16.67, rounded up
    17
    """
    rule = _check_rule(rule)
    delegates = _check_delegates(delegates)
    attendees = _check_attendees(attendees, 0)
    if rule == "dfl":
        return ceil_frac(Fraction(attendees, delegates))
    if rule == "fair-reflection":
        return ceil_frac(FAIR_REFLECTION_THRESHOLD * attendees)
    if delegates == 1:
        return attendees // 2 + 1
    fraction = {2: Fraction(1, 4), 3: Fraction(1, 6)}.get(delegates, Fraction(15, 100))
    return ceil_frac(fraction * attendees)


def allocate_delegates(
    groups: Mapping[str, int],
    delegates: int,
    *,
    rule: str = "dfl",
    attendees: int | None = None,
    rng: int | np.random.Generator | None = None,
) -> CaucusAllocation:
    """Allocate a caucus's delegates among its groups under ``rule``.

    Dispatches to :func:`allocate_dfl`, :func:`allocate_iowa` or
    :func:`allocate_fair_reflection`; see those for the definitions.

    Parameters
    ----------
    groups : mapping of str to int
        Members of each subcaucus / preference group after the last walk.
    delegates : int
        Delegates the caucus elects (>= 1).
    rule : {"dfl", "iowa", "fair-reflection"}
        The allocation rule.
    attendees : int, optional
        Eligible participants, when some of them stand in no group; defaults to the
        sum of ``groups``. Must be at least that sum.
    rng : int or numpy.random.Generator, optional
        Seed or generator for the lot that settles ties.

    Returns
    -------
    CaucusAllocation
        Delegates per group with the viability number, divisor, quotas and lots.

    Raises
    ------
    ValidationError
        For an unknown rule, a negative count, fewer than one delegate or
        ``attendees`` below the sum of the groups.

    References
    ----------
    See the module docstring (DFL Official Call, Iowa Democratic Party, DNC Rule 14).

    Examples
    --------
    The walking-subcaucus example: 5 delegates, 100 people; the 9 and the 6 are not
    viable (viability number 20) and leave:

    >>> r = allocate_delegates({"A": 40, "B": 25, "C": 20, "D": 9, "E": 6}, 5, rule="dfl")
    >>> r.allocation
    {'A': 2, 'B': 2, 'C': 1, 'D': 0, 'E': 0}
    >>> r.viability_number, r.divisor
    (20, Fraction(17, 1))
    """
    rule = _check_rule(rule)
    if rule == "dfl":
        return allocate_dfl(groups, delegates, attendees=attendees, rng=rng)
    if rule == "iowa":
        return allocate_iowa(groups, delegates, attendees=attendees, rng=rng)
    return allocate_fair_reflection(groups, delegates, attendees=attendees, rng=rng)


def allocate_dfl(
    groups: Mapping[str, int],
    delegates: int,
    *,
    attendees: int | None = None,
    rng: int | np.random.Generator | None = None,
) -> CaucusAllocation:
    """Minnesota DFL walking subcaucus allocation.

    1. Participants P = everyone taking part (``attendees``, by default the sum of the
       groups).
    2. Viability number = ``ceil(P / delegates)``; smaller subcaucuses are not viable
       (their members walk to another subcaucus, merge or leave).
    3. Divisor = members of viable subcaucuses / delegates (announced to at least three
       decimals; kept exact here).
    4. Each viable subcaucus gets the whole part of members / divisor.
    5. Remaining delegates go one each to the largest remainders; ties by lot.

    Every viable subcaucus elects at least one delegate.

    Parameters
    ----------
    groups : mapping of str to int
        Members of each subcaucus.
    delegates : int
        Delegates the caucus elects (>= 1).
    attendees : int, optional
        Participants, when some stand in no subcaucus; defaults to the sum of ``groups``.
    rng : int or numpy.random.Generator, optional
        Seed or generator for the lot.

    Returns
    -------
    CaucusAllocation
        With ``rule="dfl"``.

    Raises
    ------
    ValidationError
        For a negative count, fewer than one delegate or too few ``attendees``.

    References
    ----------
    Minnesota Democratic-Farmer-Labor Party, *2018-2019 Official Call*, "Walking
    Subcaucus Rules", p. 4 (2017).

    Examples
    --------
    >>> r = allocate_dfl({"A": 40, "B": 25, "C": 20, "D": 9, "E": 6}, 5)
    >>> r.allocation, r.viable["D"]
    ({'A': 2, 'B': 2, 'C': 1, 'D': 0, 'E': 0}, False)
    >>> float(r.quota["B"])  # 25 / 17: whole part 1, remainder .47 wins the 5th delegate
    1.4705882352941178
    """
    counts, delegates, total = _prepare(groups, delegates, attendees)
    return _dfl(counts, delegates, total, Lot.drawn(list(counts), rng))


def allocate_iowa(
    groups: Mapping[str, int],
    delegates: int,
    *,
    attendees: int | None = None,
    rng: int | np.random.Generator | None = None,
) -> CaucusAllocation:
    """Iowa Democratic Party precinct caucus allocation.

    1. Viability: ``ceil(f x attendees)`` with f = 15% (4+ delegates), 1/6 (3), 25% (2);
       a one-delegate caucus elects by simple majority. There may be no more viable
       groups than delegates: the smallest extra groups are sent to realign (treated as
       not viable here, ties by lot).
    2. Quota = members x delegates / all eligible attendees, rounded half up
       (.5 rounds up).
    3. Too few delegates: add one to the group with the highest decimal below .5 (more
       generally the largest ``quota - delegates``), repeatedly. Too many: take one from
       the group with the lowest decimal at or above .5 (the largest
       ``delegates - quota``), never a group's only delegate. Ties by lot.

    Parameters
    ----------
    groups : mapping of str to int
        Members of each preference group after realignment.
    delegates : int
        Delegates the precinct elects (>= 1).
    attendees : int, optional
        All eligible caucus attendees, including those in no viable group; defaults to
        the sum of ``groups``.
    rng : int or numpy.random.Generator, optional
        Seed or generator for the lot (the coin toss).

    Returns
    -------
    CaucusAllocation
        With ``rule="iowa"``.

    Raises
    ------
    ValidationError
        For a negative count, fewer than one delegate or too few ``attendees``.

    References
    ----------
    Iowa Democratic Party, *Caucus Math One-Pager* (2015), Steps 1-6 and the "Precinct
    Alpha" example, http://iowademocrats.org/wp-content/uploads/2015/08/IDP-Caucus-Math-One-Pager.pdf.

    Examples
    --------
    The one-pager's Precinct Alpha: 7 delegates, 100 attendees. Quotas 1.40, 1.26, 1.89,
    1.33, 1.12 round to 6 delegates; the 7th goes to A, the highest decimal below .5:

    >>> r = allocate_iowa({"A": 20, "B": 18, "C": 27, "D": 19, "E": 16}, 7)
    >>> r.allocation
    {'A': 2, 'B': 1, 'C': 2, 'D': 1, 'E': 1}
    """
    counts, delegates, total = _prepare(groups, delegates, attendees)
    return _iowa(counts, delegates, total, Lot.drawn(list(counts), rng))


def allocate_fair_reflection(
    groups: Mapping[str, int],
    delegates: int,
    *,
    attendees: int | None = None,
    rng: int | np.random.Generator | None = None,
) -> CaucusAllocation:
    """Fair-reflection allocation with a 15% threshold (DNC Rule 14).

    A group is viable with at least 15% of the votes (``ceil(0.15 x attendees)``
    members). Quota = members x delegates / members of viable groups; whole parts first,
    then the largest remainders, ties by lot.

    Parameters
    ----------
    groups : mapping of str to int
        Votes (or members) of each group.
    delegates : int
        Delegates to allocate (>= 1).
    attendees : int, optional
        Total votes the 15% is taken of; defaults to the sum of ``groups``.
    rng : int or numpy.random.Generator, optional
        Seed or generator for the lot.

    Returns
    -------
    CaucusAllocation
        With ``rule="fair-reflection"``.

    Raises
    ------
    ValidationError
        For a negative count, fewer than one delegate or too few ``attendees``.

    References
    ----------
    Democratic National Committee, *Delegate Selection Rules for the 2020 Democratic
    National Convention*, Rule 14.

    Examples
    --------
    >>> allocate_fair_reflection({"A": 50, "B": 36, "C": 14}, 4).allocation
    {'A': 2, 'B': 2, 'C': 0}
    """
    counts, delegates, total = _prepare(groups, delegates, attendees)
    return _fair_reflection(counts, delegates, total, Lot.drawn(list(counts), rng))


# --- private steps ----------------------------------------------------------------------


def _check_rule(rule: str) -> str:
    if rule not in RULES:
        raise ValidationError(
            f"rule must be one of {', '.join(RULES)}; got {rule!r}", parameter="rule"
        )
    return rule


def _prepare(
    groups: Mapping[str, int], delegates: int, attendees: int | None
) -> tuple[dict[str, int], int, int]:
    counts = check_counts(groups)
    delegates = _check_delegates(delegates)
    members = sum(counts.values())
    if attendees is None:
        total = within(members, MAX_ATTENDEES, "attendees")
    else:
        total = _check_attendees(attendees, members)
    return counts, delegates, total


def _check_delegates(delegates: int) -> int:
    return within(check_positive_int(delegates, "delegates"), MAX_DELEGATES, "delegates")


def _check_attendees(attendees: int, members: int) -> int:
    """``attendees`` as an int: a whole number, and at least the ``members`` in the groups."""
    if isinstance(attendees, bool) or not isinstance(attendees, int | np.integer):
        raise ValidationError(
            f"attendees must be a whole number, got {attendees!r}", parameter="attendees"
        )
    if attendees < members:
        raise ValidationError(
            f"attendees must be at least the {members} people counted in the groups, "
            f"got {attendees!r}"
            if members
            else f"attendees must be non-negative, got {attendees!r}",
            parameter="attendees",
        )
    return within(int(attendees), MAX_ATTENDEES, "attendees")


def allocate_with_lot(
    rule: str, counts: dict[str, int], delegates: int, attendees: int, lot: Lot
) -> CaucusAllocation:
    """Run a rule on already-checked inputs with a given lot (used by the "what if" search)."""
    if rule == "dfl":
        return _dfl(counts, delegates, attendees, lot)
    if rule == "iowa":
        return _iowa(counts, delegates, attendees, lot)
    return _fair_reflection(counts, delegates, attendees, lot)


def _result(
    rule: str,
    counts: dict[str, int],
    delegates: int,
    attendees: int,
    alloc: dict[str, int],
    viable: dict[str, bool],
    vnum: int,
    divisor: Fraction | None,
    quota: dict[str, Fraction],
    lot: Lot,
    notes: list[str],
) -> CaucusAllocation:
    full = {n: alloc.get(n, 0) for n in counts}
    return CaucusAllocation(
        rule=rule,
        delegates=delegates,
        attendees=attendees,
        allocation=full,
        viable=viable,
        viability_number=vnum,
        divisor=divisor,
        quota={n: quota.get(n, Fraction(0)) for n in counts},
        ties_broken_by_lot=tuple(lot.draws),
        unallocated=delegates - sum(full.values()),
        notes=tuple(notes),
    )


def _dfl(counts: dict[str, int], delegates: int, attendees: int, lot: Lot) -> CaucusAllocation:
    return _proportional(
        "dfl",
        counts,
        delegates,
        attendees,
        lot,
        "No subcaucus reached the viability number; participants should walk again.",
    )


def _fair_reflection(
    counts: dict[str, int], delegates: int, attendees: int, lot: Lot
) -> CaucusAllocation:
    return _proportional(
        "fair-reflection",
        counts,
        delegates,
        attendees,
        lot,
        "No group reached 15%; no delegates can be allocated.",
    )


def _proportional(
    rule: str,
    counts: dict[str, int],
    delegates: int,
    attendees: int,
    lot: Lot,
    none_viable_note: str,
) -> CaucusAllocation:
    """Shared steps of the DFL and fair-reflection rules: drop the groups below the
    viability number, divide by members of viable groups, then Hamilton's method."""
    vnum = viability_number(rule, attendees, delegates)
    viable = {n: c > 0 and c >= vnum for n, c in counts.items()}
    members = sum(c for n, c in counts.items() if viable[n])
    if members == 0:
        return _result(
            rule, counts, delegates, attendees, {}, viable, vnum, None, {}, lot, [none_viable_note]
        )
    divisor = Fraction(members, delegates)
    quota = {n: c / divisor for n, c in counts.items() if viable[n]}
    alloc = largest_remainders(quota, delegates, lot)
    return _result(rule, counts, delegates, attendees, alloc, viable, vnum, divisor, quota, lot, [])


def _iowa(counts: dict[str, int], delegates: int, attendees: int, lot: Lot) -> CaucusAllocation:
    vnum = viability_number("iowa", attendees, delegates)
    viable = {n: c > 0 and c >= vnum for n, c in counts.items()}
    notes: list[str] = []
    if delegates == 1:
        notes.append("A one-delegate caucus does not divide: the delegate needs a simple majority.")
    viable_names = [n for n in counts if viable[n]]
    if len(viable_names) > delegates:
        sizes = {n: Fraction(counts[n]) for n in viable_names}
        keep = set(lot.top(sizes, delegates, "too-many-groups"))
        dropped = [n for n in viable_names if n not in keep]
        for n in dropped:
            viable[n] = False
        notes.append(
            "More viable groups than delegates: "
            + ", ".join(dropped)
            + " must realign (treated as not viable)."
        )
    if attendees == 0 or not any(viable.values()):
        notes.append("No viable preference group; no delegates can be allocated.")
        return _result("iowa", counts, delegates, attendees, {}, viable, vnum, None, {}, lot, notes)
    divisor = Fraction(attendees, delegates)
    quota = {n: c / divisor for n, c in counts.items() if viable[n]}
    alloc = {n: floor_frac(q + Fraction(1, 2)) for n, q in quota.items()}
    while sum(alloc.values()) < delegates:
        gap = {n: q - alloc[n] for n, q in quota.items()}
        (winner,) = lot.top(gap, 1, "add")
        alloc[winner] += 1
    while sum(alloc.values()) > delegates:
        excess = {n: alloc[n] - q for n, q in quota.items() if alloc[n] > 1}
        if not excess:  # cannot happen once there are no more groups than delegates
            raise ValidationError(
                "every group holds its only delegate; too many groups for the delegates",
                parameter="groups",
            )
        (loser,) = lot.top(excess, 1, "subtract")
        alloc[loser] -= 1
    return _result("iowa", counts, delegates, attendees, alloc, viable, vnum, divisor, quota, lot, notes)
