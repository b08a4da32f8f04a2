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


def check_probability(value: float, name: str) -> float:
    """Check that ``value`` lies in [0, 1]."""
    if not isinstance(value, int | float) or math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValidationError(f"{name} must be between 0 and 1, got {value!r}", parameter=name)
    return float(value)


def check_nonnegative(values: Sequence[float] | np.ndarray, name: str) -> np.ndarray:
    """Return ``values`` as a float array after checking they are finite and >= 0."""
    arr = np.asarray(values, dtype=float)
    if arr.size and (not np.all(np.isfinite(arr)) or np.any(arr < 0)):
        bad = arr[~np.isfinite(arr) | (arr < 0)][0]
        raise ValidationError(f"{name} must be finite and non-negative, got {bad!r}", parameter=name)
    return arr
