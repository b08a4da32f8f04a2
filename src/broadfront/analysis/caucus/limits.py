"""The documented ranges of the caucus engines' inputs.

Every public function of :mod:`broadfront.analysis.caucus` checks its inputs against these
before any work starts and raises :class:`broadfront.exceptions.ValidationError` naming the
parameter, so no input can make a calculation loop or allocate without bound. The web pages,
the API and the CLI use the same constants; ``docs/caucus.md`` lists them.

The ranges are far above any real precinct caucus or convention (the largest precinct
caucuses on record had a few thousand participants; a state party convention seats a few
thousand delegates; a state has a few thousand precincts) and low enough that the slowest
calculation at the limit (the "what if" search, Huntington-Hill) takes seconds, not hours.
"""

from __future__ import annotations

from fractions import Fraction

from broadfront.exceptions import ValidationError

MAX_GROUPS = 100
"""Most subcaucuses, preference groups or candidates in one caucus or ballot."""

MAX_ATTENDEES = 1_000_000
"""Most participants (``attendees``, the sum of the groups, ``votes_cast``) in one caucus."""

MAX_DELEGATES = 10_000
"""Most delegates one caucus elects."""

MAX_WHATIF_ATTENDEES = 10_000
"""Most participants the "what if" search accepts: it recomputes the allocation once per
person who could move or be recruited (about ``2 x attendees`` allocations at worst)."""

MAX_UNITS = 10_000
"""Most units (precincts) one apportionment shares seats among."""

MAX_SEATS = 100_000
"""Most seats one apportionment hands out (``seats`` and ``minimum`` x units)."""

MAX_HUNTINGTON_HILL_STEPS = 1_000_000
"""Huntington-Hill hands out the seats beyond one per unit one by one, weighing every unit
(and recording every tie): ``(seats - units) x units`` must be at most this (435 seats among
50 states is 19,250)."""

MAX_WEIGHT = 10**15
"""Largest weight of one unit (a vote count) and largest ``votes_per_delegate``."""

MAX_WEIGHT_DENOMINATOR = 10**12
"""Finest weight accepted: a weight is an exact fraction whose denominator is at most this
(twelve decimal places)."""

MAX_BALLOTS = 1_000
"""Most ballots :func:`~broadfront.analysis.caucus.run_endorsement` plays out."""


def within(value: int, largest: int, name: str, smallest: int = 0) -> int:
    """``value`` after checking ``smallest <= value <= largest``; the error names ``name``.

    >>> within(5, 10, "seats")
    5
    >>> within(11, 10, "seats")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: seats must be at most 10, got 11
    """
    if value < smallest:
        raise ValidationError(f"{name} must be at least {smallest}, got {value}", parameter=name)
    if value > largest:
        raise ValidationError(f"{name} must be at most {largest:,}, got {value}", parameter=name)
    return value


def check_weight_size(frac: Fraction, name: str, parameter: str) -> Fraction:
    """``frac`` after checking it is at most :data:`MAX_WEIGHT` and not finer than
    :data:`MAX_WEIGHT_DENOMINATOR`."""
    if abs(frac) > MAX_WEIGHT:
        raise ValidationError(f"{name} must be at most {MAX_WEIGHT:,}, got a number of "
                              f"{len(str(abs(frac.numerator) // frac.denominator))} digits",
                              parameter=parameter)
    if frac.denominator > MAX_WEIGHT_DENOMINATOR:
        raise ValidationError(f"{name} has more than 12 decimal places", parameter=parameter)
    return frac
