"""The "what if" search: which move gains our bloc the most delegates at one caucus.

Moves considered, each evaluated exactly under the caucus rule with every tie going
against the bloc (a pessimistic lot, so a gain shown is a gain guaranteed):

- win over a whole non-viable group (its members must walk anyway; they join the bloc);
- win over the fewest members of another group that gains the bloc a delegate;
- bring the fewest new recruits (new attendees who join the bloc) that gains a delegate.

References
----------
Minnesota DFL, *2018-2019 Official Call*, p. 4 (walking subcaucus; members of
non-viable subcaucuses walk to another subcaucus). Iowa Democratic Party, *Caucus Math
One-Pager* (2015), Step 4 (realignment).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from broadfront.analysis._validation import check_positive_int
from broadfront.analysis.caucus._common import Lot
from broadfront.analysis.caucus.allocation import _check_rule, _prepare, allocate_with_lot
from broadfront.analysis.caucus.limits import MAX_WHATIF_ATTENDEES, within
from broadfront.exceptions import ValidationError


@dataclass(frozen=True)
class WhatIfMove:
    """One move and what it would win the bloc.

    Attributes
    ----------
    kind : str
        ``"win-over-group"`` (all of the non-viable ``source`` joins), ``"win-over-members"`` (``people``
        members of ``source`` join) or ``"recruit"`` (``people`` new attendees join).
    source : str or None
        The group people come from (None for new recruits).
    people : int
        People who must move or be recruited.
    bloc_delegates : int
        The bloc's delegates after the move (ties against the bloc).
    gain : int
        ``bloc_delegates`` minus the bloc's delegates now (may be negative).
    description : str
        The move in plain words.
    """

    kind: str
    source: str | None
    people: int
    bloc_delegates: int
    gain: int
    description: str


@dataclass(frozen=True)
class WhatIfResult:
    """Every move considered, best first.

    Attributes
    ----------
    bloc : str
        The bloc's group name.
    baseline : int
        The bloc's delegates now (ties against the bloc).
    moves : tuple of WhatIfMove
        Sorted by gain (largest first), then by people needed (fewest first).
    best : WhatIfMove or None
        The first move with a positive gain, if any.
    recruits_for_next_delegate : int or None
        Fewest new recruits that win one more delegate (None if none up to ``max_recruits``).
    """

    bloc: str
    baseline: int
    moves: tuple[WhatIfMove, ...]
    best: WhatIfMove | None
    recruits_for_next_delegate: int | None


def what_if(
    groups: Mapping[str, int],
    delegates: int,
    bloc: str,
    *,
    rule: str = "dfl",
    attendees: int | None = None,
    max_recruits: int | None = None,
) -> WhatIfResult:
    """Search the moves that would gain the bloc delegates at this caucus.

    For each non-viable group G the bloc's delegates are recomputed with all of G joining
    the bloc; for every other group the fewest members of G that gain one delegate are found by trying
    1, 2, ... members. New recruits add to both the bloc and the attendance; the fewest
    that gain a delegate are found the same way, up to ``max_recruits``. Ties in the
    recomputed allocations always go against the bloc.

    Parameters
    ----------
    groups : mapping of str to int
        Members of each group, including the bloc's own.
    delegates : int
        Delegates the caucus elects (>= 1).
    bloc : str
        The name of our bloc's group in ``groups``.
    rule : {"dfl", "iowa", "fair-reflection"}
        The allocation rule.
    attendees : int, optional
        Eligible participants, by default the sum of the groups.
    max_recruits : int, optional
        Largest number of new recruits tried (default: the number of attendees, at
        least 10; at most :data:`~broadfront.analysis.caucus.limits.MAX_WHATIF_ATTENDEES`).

    Returns
    -------
    WhatIfResult
        The moves, best first.

    Raises
    ------
    ValidationError
        If ``bloc`` is not a group, if the attendance (or ``max_recruits``) is over
        :data:`~broadfront.analysis.caucus.limits.MAX_WHATIF_ATTENDEES` (the search
        recomputes the allocation once per person who could move or be recruited), or for
        the errors of :func:`allocate_delegates`.

    References
    ----------
    See the module docstring.

    Examples
    --------
    Our bloc is the 20-member subcaucus C; winning over the 9 people of D (not viable)
    gives C a second delegate:

    >>> r = what_if({"A": 40, "B": 25, "C": 20, "D": 9, "E": 6}, 5, "C")
    >>> r.baseline
    1
    >>> [m.gain for m in r.moves if m.kind == "win-over-group" and m.source == "D"]
    [1]
    >>> r.best.description  # the cheapest delegate: 4 people from B
    'win over 4 of B: 2 delegate(s) for C (+1)'
    >>> r.recruits_for_next_delegate
    6
    """
    rule = _check_rule(rule)
    counts, delegates, total = _prepare(groups, delegates, attendees)
    if bloc not in counts:
        raise ValidationError(f"bloc {bloc!r} is not one of the groups", parameter="bloc")
    names = list(counts)
    within(total, MAX_WHATIF_ATTENDEES, "attendees")
    if max_recruits is None:
        limit = max(total, 10)
    else:
        limit = within(check_positive_int(max_recruits, "max_recruits"), MAX_WHATIF_ATTENDEES,
                       "max_recruits")

    def bloc_seats(c: dict[str, int], att: int) -> int:
        return allocate_with_lot(rule, c, delegates, att, Lot.against(names, bloc)).allocation[bloc]

    base = bloc_seats(counts, total)
    viable_now = allocate_with_lot(rule, counts, delegates, total, Lot.against(names, bloc)).viable
    moves: list[WhatIfMove] = []
    for g in names:
        if g == bloc or counts[g] == 0:
            continue
        if not viable_now[g]:
            moved = dict(counts)
            moved[bloc] += moved[g]
            moved[g] = 0
            seats = bloc_seats(moved, total)
            moves.append(
                WhatIfMove(
                    "win-over-group", g, counts[g], seats, seats - base,
                    f"win over all {counts[g]} of {g}: {seats} delegate(s) for {bloc} ({seats - base:+d})",
                )
            )
        for k in range(1, counts[g] + 1):
            part = dict(counts)
            part[bloc] += k
            part[g] -= k
            seats_k = bloc_seats(part, total)
            if seats_k > base:
                if k < counts[g] or viable_now[g]:
                    moves.append(
                        WhatIfMove(
                            "win-over-members", g, k, seats_k, seats_k - base,
                            f"win over {k} of {g}: {seats_k} delegate(s) for {bloc} ({seats_k - base:+d})",
                        )
                    )
                break
    recruits_needed: int | None = None
    for k in range(1, limit + 1):
        more = dict(counts)
        more[bloc] += k
        seats_k = bloc_seats(more, total + k)
        if seats_k > base:
            recruits_needed = k
            moves.append(
                WhatIfMove(
                    "recruit", None, k, seats_k, seats_k - base,
                    f"bring {k} new recruit(s): {seats_k} delegate(s) for {bloc} ({seats_k - base:+d})",
                )
            )
            break
    moves.sort(key=lambda m: (-m.gain, m.people))
    best = next((m for m in moves if m.gain > 0), None)
    return WhatIfResult(bloc, base, tuple(moves), best, recruits_needed)
