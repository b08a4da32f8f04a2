"""Plain JSON values from what the engines return, for the command line and the API alike."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any


def jsonable(value: Any) -> Any:
    """``value`` with only JSON types left: what ``json.dumps`` and django-ninja can write.

    Dataclasses become objects (one key per field), mappings objects with string keys,
    lists, tuples and sets lists, Fractions and Decimals floats, numpy arrays and scalars
    their Python values, dates and times ISO 8601 strings, and NaN or an infinity ``None``
    (JSON has no such number).

    Examples
    --------
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from fractions import Fraction
    >>> jsonable({1: (Fraction(1, 4), Decimal("2.5")), "when": dt.date(2026, 11, 27),
    ...           "bad": float("nan")})
    {'1': [0.25, 2.5], 'when': '2026-11-27', 'bad': None}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, Fraction | Decimal):
        return jsonable(float(value))
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return jsonable(value.tolist())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
