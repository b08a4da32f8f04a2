"""Small validation helpers shared by the engines; every message names the parameter."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from broadfront.exceptions import ValidationError


def as_rng(rng: int | np.random.Generator | None) -> np.random.Generator:
    """Return a numpy Generator from a seed, a Generator or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, int | np.integer):
        return np.random.default_rng(rng)
    raise ValidationError(f"rng must be a seed or a numpy Generator, got {rng!r}", parameter="rng")


def check_positive_int(value: int, name: str) -> int:
    """Return ``value`` as an int after checking it is a whole number >= 1 (not a bool).

    >>> check_positive_int(3, "draws")
    3
    >>> check_positive_int(0, "draws")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: draws must be a positive whole number, got 0
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValidationError(f"{name} must be a positive whole number, got {value!r}", parameter=name)
    return int(value)


def check_probability(value: float, name: str) -> float:
    """Check that ``value`` lies in [0, 1]."""
    if not isinstance(value, int | float) or math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValidationError(f"{name} must be between 0 and 1, got {value!r}", parameter=name)
    return float(value)


def check_nonnegative(values: Sequence[float] | np.ndarray, name: str) -> np.ndarray:
    """Return ``values`` as a float array after checking they are finite and >= 0."""
    arr = np.asarray(values, dtype=float)
    if arr.size and (not np.all(np.isfinite(arr)) or np.any(arr < 0)):
        bad = float(arr[~np.isfinite(arr) | (arr < 0)][0])
        raise ValidationError(f"{name} must be finite and non-negative, got {bad!r}", parameter=name)
    return arr


def check_probabilities(values: Sequence[float] | np.ndarray, name: str) -> np.ndarray:
    """Return ``values`` as a float array after checking every entry lies in [0, 1].

    The message names the parameter, the first bad value and its position (NaN and
    infinities are bad values too).

    >>> check_probabilities([0, 0.5, 1], "p").tolist()
    [0.0, 0.5, 1.0]
    >>> check_probabilities([0.2, 1.5], "p")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: p must lie in [0, 1], got 1.5 at position 1
    """
    arr = np.asarray(values, dtype=float)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if np.any(bad):
        i = int(np.argmax(bad.reshape(-1)))
        raise ValidationError(
            f"{name} must lie in [0, 1], got {float(arr.reshape(-1)[i])!r} at position {i}", parameter=name
        )
    return arr


def check_count(
    value: int,
    name: str,
    maximum: int,
    *,
    minimum: int = 1,
    hard: int | None = None,
    lift_limits: bool = False,
    what: str | None = None,
) -> int:
    """Return ``value`` as an int after checking it is a whole number in range.

    Every size an engine accepts (samples, draws, bootstrap replicates, members, options,
    ballots) has a documented soft limit ``maximum`` that keeps a run within minutes and a
    few GiB. ``lift_limits=True`` raises it to ``hard`` (the memory-safety bound, never
    lifted); without ``hard`` the limit cannot be lifted.

    Parameters
    ----------
    value : int
        The size to check.
    name : str
        The parameter's name; the message starts with it (``what`` overrides the wording).
    maximum, minimum : int
        The documented range.
    hard : int, optional
        The largest value accepted when the limits are lifted.
    lift_limits : bool
        Accept up to ``hard`` instead of ``maximum``.

    Raises
    ------
    ValidationError
        Naming the parameter, the range and the value.

    Examples
    --------
    >>> check_count(20_000, "samples", 10_000_000)
    20000
    >>> check_count(10**12, "samples", 10_000_000, hard=10**9)
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: samples must be between 1 and 10,000,000, got 1000000000000
    >>> check_count(10**8, "samples", 10_000_000, hard=10**9)
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: samples must be between 1 and 10,000,000, got 100000000 (up to 1,000,000,000 when limits are lifted)
    >>> check_count(10**8, "samples", 10_000_000, hard=10**9, lift_limits=True)
    100000000
    """
    top = hard if (lift_limits and hard is not None) else maximum
    label = what or name
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValidationError(
            f"{label} must be a whole number between {minimum:,} and {top:,}, got {value!r}",
            parameter=name,
        )
    if not minimum <= value <= top:
        hint = ""
        if not lift_limits and hard is not None and maximum < value <= hard:
            hint = f" (up to {hard:,} when limits are lifted)"
        raise ValidationError(
            f"{label} must be between {minimum:,} and {top:,}, got {value}{hint}", parameter=name
        )
    return int(value)
