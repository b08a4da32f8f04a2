"""Input coercion shared by the reliability engine: labels, dates and numbers as numpy arrays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from broadfront.exceptions import ValidationError

DateLike = str | dt.date | np.datetime64


def as_labels(values: Sequence[Any] | np.ndarray, name: str) -> np.ndarray:
    """Return a 1-D array of labels (strings or integers)."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValidationError(f"{name} must be one-dimensional, got shape {arr.shape}",
                              parameter=name)
    if arr.dtype == object:
        arr = arr.astype(str)
    return arr


def as_float(values: Sequence[Any] | np.ndarray, name: str, size: int) -> np.ndarray:
    """Return a 1-D float array of length ``size`` with finite, non-negative values."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{name} must be numbers: {exc}", parameter=name) from None
    if arr.ndim == 0:
        arr = np.full(size, float(arr))
    if arr.shape != (size,):
        raise ValidationError(f"{name} must have length {size}, got shape {arr.shape}",
                              parameter=name)
    bad = ~np.isfinite(arr) | (arr < 0)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValidationError(f"{name} must be finite and non-negative, got {arr[i]!r} at "
                              f"position {i}", parameter=name)
    return arr


def as_days(values: Sequence[Any] | np.ndarray, name: str, size: int,
            allow_missing: bool = False) -> np.ndarray:
    """Return a ``datetime64[D]`` array (ISO strings, dates or datetime64 values)."""
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        if arr.dtype == object or arr.dtype.kind in "US":
            arr = np.array(["NaT" if v is None or v == "" else v for v in arr.tolist()],
                           dtype=object) if arr.dtype == object else arr
        try:
            arr = arr.astype("datetime64[D]")
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"{name} must be ISO dates (YYYY-MM-DD): {exc}",
                                  parameter=name) from None
    else:
        arr = arr.astype("datetime64[D]")
    if arr.shape != (size,):
        raise ValidationError(f"{name} must have length {size}, got shape {arr.shape}",
                              parameter=name)
    if not allow_missing and np.any(np.isnat(arr)):
        i = int(np.argmax(np.isnat(arr)))
        raise ValidationError(f"{name} is missing at position {i}", parameter=name)
    return arr


def as_day(value: DateLike | None, name: str) -> np.datetime64 | None:
    """Return one ``datetime64[D]`` (or None)."""
    if value is None:
        return None
    try:
        day = np.datetime64(value, "D")  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValidationError(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}",
                              parameter=name) from None
    if np.isnat(day):
        raise ValidationError(f"{name} must be a date, got {value!r}", parameter=name)
    return day


def factorize(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique labels and the integer code of each row.

    Small non-negative integer labels (database ids) are factorized by counting, in linear
    time; anything else by sorting.
    """
    if labels.dtype.kind in "iu" and labels.size:
        lo, hi = int(labels.min()), int(labels.max())
        if lo >= 0 and hi < 4 * labels.size + 1024:
            present = np.bincount(labels, minlength=hi + 1) > 0
            remap = np.cumsum(present) - 1
            return np.flatnonzero(present).astype(labels.dtype), remap[labels]
    uniq, codes = np.unique(labels, return_inverse=True)
    return uniq, codes.reshape(-1)
