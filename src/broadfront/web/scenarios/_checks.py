"""Bounds of the numbers a scenario takes (the web's limits; the engine checks its own).

Both accept what a scenario file holds (a JSON number, or a string of one) as well as the
typed values the forms and the API's schemas give, and name the field in their errors.
"""

from __future__ import annotations

import math
from typing import Any

from broadfront.exceptions import ValidationError


def fraction_in(raw: Any, field: str, lo: float = 0.0, hi: float = 1.0) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{field} must be a number, got {raw!r}", parameter=field) from exc
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValidationError(f"{field} must be between {lo:g} and {hi:g}, got {value:g}",
                              parameter=field)
    return value


def whole_in(raw: Any, field: str, lo: int, hi: int) -> int:
    if isinstance(raw, bool):
        raise ValidationError(f"{field} must be a whole number, got {raw!r}", parameter=field)
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{field} must be a whole number, got {raw!r}",
                              parameter=field) from exc
    if value != raw and not isinstance(raw, str):
        raise ValidationError(f"{field} must be a whole number, got {raw!r}", parameter=field)
    if not lo <= value <= hi:
        raise ValidationError(f"{field} must be between {lo:,} and {hi:,}, got {value:,}",
                              parameter=field)
    return value

