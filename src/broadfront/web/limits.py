"""Limits on what one API request may ask for: pages of lists and JSON bodies.

Every list endpoint takes ``limit`` (clamped to 1..:data:`MAX_LIMIT`) and ``offset``
(0..:data:`MAX_OFFSET`, anything else is a 422 naming ``offset``). Every JSON body is read
by :func:`parse_json`, which refuses, before the standard library's recursive parser sees
it, a body over :data:`MAX_JSON_BYTES` (413 ``too_large``) or nested deeper than
:data:`MAX_JSON_DEPTH` (400 ``invalid``), and then refuses ``NaN``, ``Infinity``, numbers
that overflow a float (``1e309``) and whole numbers beyond 64 bits (400 ``invalid``).
``docs/security.md`` ("Limits on every number") lists them.
"""

from __future__ import annotations

import json
import math
import re
from typing import Annotated, Any

import numpy as np
from ninja import Query

from broadfront.exceptions import BroadfrontError, ValidationError

MAX_LIMIT = 1000
"""Most rows one page of a list endpoint returns (a larger ``limit`` is clamped)."""

MAX_OFFSET = 1_000_000_000
"""Largest ``offset`` of a list endpoint."""

MAX_JSON_BYTES = 1_048_576
"""Largest JSON body the API reads (1 MiB); Django refuses any body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MiB by default) before that."""

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects in a JSON body."""

MAX_JSON_INT = 2**63 - 1
"""Largest whole number (in absolute value) a JSON body may hold."""

Limit = Annotated[int, Query(description=f"rows per page, clamped to 1..{MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET,
                              description=f"rows to skip, 0..{MAX_OFFSET}")]


def page(limit: int, offset: int) -> slice:
    """The slice of one page: ``limit`` clamped to 1..MAX_LIMIT, ``offset`` as checked."""
    size = max(1, min(limit, MAX_LIMIT))
    return slice(offset, offset + size)


class BodyTooLargeError(BroadfrontError):
    """A request body is over :data:`MAX_JSON_BYTES`."""

    code = "too_large"
    http_status = 413


# A string, or an unterminated one up to the end (possessive, so every match attempt
# consumes what it scans: linear time on any input).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\Z)', re.DOTALL)


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in ``raw``, counted without parsing it.

    Brackets inside strings do not count.

    >>> json_depth(b'{"a": [1, [2, "]]]"]]}')
    3
    """
    structural = np.frombuffer(_STRING.sub(b'""', raw), dtype=np.uint8)
    opens = (structural == ord("[")) | (structural == ord("{"))
    closes = (structural == ord("]")) | (structural == ord("}"))
    steps = opens.astype(np.int64) - closes.astype(np.int64)
    return int(np.cumsum(steps).max()) if steps.size else 0


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValidationError(f"the body holds the number {text[:40]}, beyond the range of a "
                              "float", parameter="body")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(value := int(text)) > MAX_JSON_INT:
        raise ValidationError(f"the body holds a whole number of {len(text.lstrip('-'))} "
                              "digits; numbers must fit in 64 bits", parameter="body")
    return value


def _constant(name: str) -> Any:
    raise ValidationError(f"the body holds {name}, which is not a JSON number", parameter="body")


def parse_json(raw: bytes) -> Any:
    """Parse a request body as JSON within the limits above.

    Raises
    ------
    BodyTooLargeError
        If ``raw`` is over :data:`MAX_JSON_BYTES` (413).
    ValidationError
        If it is nested deeper than :data:`MAX_JSON_DEPTH`, is not JSON, or holds ``NaN``,
        ``Infinity``, a float overflow or a whole number beyond 64 bits (``field: body``).

    >>> parse_json(b'{"weights": [3, 2, 2]}')
    {'weights': [3, 2, 2]}
    >>> parse_json(b'[' * 100 + b']' * 100)
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: the body is nested 100 levels deep; at most 64
    """
    if len(raw) > MAX_JSON_BYTES:
        raise BodyTooLargeError(f"the body is {len(raw):,} bytes; at most {MAX_JSON_BYTES:,}")
    depth = json_depth(raw)
    if depth > MAX_JSON_DEPTH:
        raise ValidationError(f"the body is nested {depth} levels deep; at most "
                              f"{MAX_JSON_DEPTH}", parameter="body")
    try:
        data = json.loads(raw, parse_float=_float, parse_int=_int, parse_constant=_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"the body is not valid JSON: {exc}", parameter="body") from None
    _refuse_nul(data, "body")
    return data


def _refuse_nul(value: Any, path: str) -> None:
    r"""Text may not hold the NUL character (PostgreSQL cannot store it; nor can a form).

    >>> _refuse_nul({"name": "a\x00b"}, "body")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: name: text may not contain the NUL character
    """
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                field = where.removeprefix("body.") if where != "body" else "body"
                raise ValidationError(f"{field}: text may not contain the NUL character",
                                      parameter=field)
        elif isinstance(item, dict):
            for key, sub in item.items():
                stack.append((key, where))
                stack.append((sub, f"{where}.{key}"))
        elif isinstance(item, list):
            stack.extend((sub, f"{where}[{k}]") for k, sub in enumerate(item))
