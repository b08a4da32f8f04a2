"""Private helpers shared by the caucus rules: exact numbers, validation and the lot."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from broadfront.analysis._validation import as_rng
from broadfront.analysis.caucus.limits import (
    MAX_ATTENDEES,
    MAX_GROUPS,
    MAX_UNITS,
    check_weight_size,
)
from broadfront.exceptions import ValidationError


@dataclass(frozen=True)
class LotDraw:
    """One tie settled by lot: who was tied, on what value, and who won.

    Attributes
    ----------
    step : str
        The step of the rule where the tie happened (``"remainder"``, ``"add"``,
        ``"subtract"``, ``"too-many-groups"``, ``"highest-priority"``).
    tied : tuple of str
        Every group tied on ``value`` at the cut.
    winners : tuple of str
        The tied groups the lot favoured (they got the delegate, or kept it).
    value : Fraction
        The tied quantity (a remainder, a decimal, a priority).
    """

    step: str
    tied: tuple[str, ...]
    winners: tuple[str, ...]
    value: Fraction


class Lot:
    """A lot drawn once per calculation: a random ranking of the groups.

    Ties are settled by this ranking (lower rank wins), as if the chair had drawn
    names from a hat before counting; every tie that changes the outcome is recorded.
    """

    def __init__(self, ranks: Mapping[str, int]) -> None:
        self.ranks = dict(ranks)
        self.draws: list[LotDraw] = []

    @classmethod
    def drawn(cls, names: Sequence[str], rng: int | np.random.Generator | None) -> Lot:
        """Draw a uniformly random ranking of ``names`` from ``rng``.

        The ranking is drawn over the names in sorted order, so reordering the input
        does not change who wins a tie for a given seed.
        """
        ordered = sorted(names)
        perm = as_rng(rng).permutation(len(ordered))
        return cls({name: int(rank) for name, rank in zip(ordered, perm, strict=True)})

    @classmethod
    def against(cls, names: Sequence[str], loser: str) -> Lot:
        """A ranking where ``loser`` loses every tie (a pessimistic lot for planning)."""
        ordered = sorted(n for n in names if n != loser)
        ranks = {name: i for i, name in enumerate(ordered)}
        ranks[loser] = len(ordered)
        return cls(ranks)

    def top(self, keys: Mapping[str, Fraction], k: int, step: str) -> list[str]:
        """The ``k`` names with the largest keys, ties at the cut settled (and recorded) by lot."""
        if k <= 0:
            return []
        order = sorted(keys, key=lambda n: (-keys[n], self.ranks[n]))
        chosen = order[:k]
        if k < len(order):
            cut = keys[chosen[-1]]
            tied = [n for n in order if keys[n] == cut]
            if any(n not in chosen for n in tied):
                winners = tuple(n for n in tied if n in chosen)
                self.draws.append(LotDraw(step, tuple(sorted(tied)), tuple(sorted(winners)), cut))
        return chosen


def as_fraction(value: float | int | Fraction | str, name: str) -> Fraction:
    """An exact Fraction from an int, Fraction, decimal string or float (read as its decimal repr).

    Floats are read through ``repr`` so that ``0.6`` means exactly 3/5, not the binary
    number closest to it.
    """
    if isinstance(value, bool):
        raise ValidationError(f"{name} must be a number, got {value!r}", parameter=name)
    try:
        if isinstance(value, Fraction | int):
            frac = Fraction(value)
        elif isinstance(value, float | np.floating):
            if not math.isfinite(float(value)):
                raise ValueError
            frac = Fraction(repr(float(value)))
        elif isinstance(value, np.integer):
            frac = Fraction(int(value))
        elif isinstance(value, str):
            frac = Fraction(value.strip())
        else:
            raise TypeError
    except (ValueError, TypeError, ZeroDivisionError):
        raise ValidationError(f"{name} must be a finite number, got {value!r}", parameter=name) from None
    return frac


def check_counts(groups: Mapping[str, int], name: str = "groups") -> dict[str, int]:
    """Check a mapping of group name -> head count (non-negative whole numbers, at least one group)."""
    if not isinstance(groups, Mapping) or len(groups) == 0:
        raise ValidationError(f"{name} must name at least one group with its count", parameter=name)
    if len(groups) > MAX_GROUPS:
        raise ValidationError(f"{name}: at most {MAX_GROUPS} groups, got {len(groups)}",
                              parameter=name)
    out: dict[str, int] = {}
    for key, count in groups.items():
        label = str(key)
        if not label:
            raise ValidationError(f"{name}: every group needs a non-empty name", parameter=name)
        if (
            isinstance(count, bool)
            or not isinstance(count, int | np.integer)
            or count < 0
        ):
            raise ValidationError(
                f"{name}: count for {label!r} must be a non-negative whole number, got {count!r}",
                parameter=name,
            )
        if count > MAX_ATTENDEES:
            raise ValidationError(
                f"{name}: count for {label!r} must be at most {MAX_ATTENDEES:,}, got {count!r}",
                parameter=name,
            )
        if label in out:
            raise ValidationError(f"{name}: group {label!r} is listed twice", parameter=name)
        out[label] = int(count)
    return out


def check_weights(weights: Mapping[str, float], name: str = "weights") -> dict[str, Fraction]:
    """Check a mapping of unit name -> non-negative weight; return exact Fractions."""
    if not isinstance(weights, Mapping) or len(weights) == 0:
        raise ValidationError(f"{name} must name at least one unit with its weight", parameter=name)
    if len(weights) > MAX_UNITS:
        raise ValidationError(f"{name}: at most {MAX_UNITS:,} units, got {len(weights):,}",
                              parameter=name)
    out: dict[str, Fraction] = {}
    for key, w in weights.items():
        label = str(key)
        if isinstance(w, str) and len(w) > 40:
            raise ValidationError(f"{name}: the weight of {label!r} is {len(w)} characters long",
                                  parameter=name)
        frac = check_weight_size(as_fraction(w, f"{name}[{label!r}]"),
                                 f"{name}: the weight of {label!r}", name)
        if frac < 0:
            raise ValidationError(
                f"{name}: weight for {label!r} must be non-negative, got {w!r}", parameter=name
            )
        out[label] = frac
    if sum(out.values()) == 0:
        raise ValidationError(f"{name}: the weights must not all be zero", parameter=name)
    return out


def floor_frac(x: Fraction) -> int:
    """The whole part of a non-negative Fraction."""
    return x.numerator // x.denominator


def ceil_frac(x: Fraction) -> int:
    """The smallest whole number >= x."""
    return -((-x.numerator) // x.denominator)


def largest_remainders(
    quotas: Mapping[str, Fraction], seats: int, lot: Lot, step: str = "remainder"
) -> dict[str, int]:
    """Hamilton's method: whole parts first, the rest to the largest remainders (ties by lot)."""
    alloc = {n: floor_frac(q) for n, q in quotas.items()}
    left = seats - sum(alloc.values())
    remainders = {n: q - alloc[n] for n, q in quotas.items()}
    for n in lot.top(remainders, left, step):
        alloc[n] += 1
    return alloc

