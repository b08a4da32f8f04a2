"""The documented limits of input files, and a JSON parser that checks them before parsing.

Python's :func:`json.loads` recurses once per nested array or object, so a document nested a
few thousand levels deep raises :class:`RecursionError` instead of a parse error, and it reads
``NaN``, ``Infinity`` and integers of any length (over 4,300 digits it raises a bare
:class:`ValueError`). :func:`loads` refuses all of these with a
:class:`~broadfront.exceptions.ValidationError` before or while parsing, so a command, a page
or an API endpoint that reads a file answers with one clear message.

The limits (``docs/cli.md``, "Limits"):

* :data:`MAX_FILE_BYTES` (64 MiB): the largest input file read by default; the CLI's
  ``--no-limits`` raises it to :data:`HARD_MAX_FILE_BYTES` (1 GiB).
* :data:`MAX_JSON_DEPTH` (64): the deepest nesting of arrays and objects; never lifted.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from broadfront.exceptions import ValidationError

__all__ = ["HARD_MAX_FILE_BYTES", "MAX_FILE_BYTES", "MAX_JSON_DEPTH", "check_size", "json_depth",
           "loads"]

#: Largest input file read by default (bytes).
MAX_FILE_BYTES = 64 * 2**20
#: Largest input file read when limits are lifted (bytes; memory safety, never lifted).
HARD_MAX_FILE_BYTES = 2**30
#: Deepest nesting of JSON arrays and objects (never lifted; every Broadfront document nests
#: at most five levels).
MAX_JSON_DEPTH = 64

_CHUNK = 1 << 22
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def check_size(size: int, *, lift_limits: bool = False) -> None:
    """Refuse a file of ``size`` bytes above :data:`MAX_FILE_BYTES` (or the hard limit).

    Examples
    --------
    >>> check_size(1_000)
    >>> check_size(100 * 2**20)
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: the file is 100.0 MiB; files must be at most 64 MiB (up to 1,024 MiB when limits are lifted)
    """
    top = HARD_MAX_FILE_BYTES if lift_limits else MAX_FILE_BYTES
    if size > top:
        hint = ""
        if not lift_limits and size <= HARD_MAX_FILE_BYTES:
            hint = f" (up to {HARD_MAX_FILE_BYTES // 2**20:,} MiB when limits are lifted)"
        raise ValidationError(
            f"the file is {size / 2**20:.1f} MiB; files must be at most {top // 2**20:,} MiB{hint}",
            parameter="file",
        )


def json_depth(data: bytes | str) -> int:
    """The deepest nesting of arrays and objects in a JSON text, without parsing it.

    Strings are skipped (a bracket inside a string does not count). For text that is not
    valid JSON the count is an upper bound of what a parser would reach before failing.

    Examples
    --------
    >>> json_depth('{"a": [1, [2, "]]]"]]}')
    3
    >>> json_depth("3")
    0
    """
    import numpy as np  # lazily: the CLI starts without numpy

    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    stripped = _STRING.sub(b"", raw)
    arr = np.frombuffer(stripped, dtype=np.uint8)
    deepest = depth = 0
    for start in range(0, arr.size, _CHUNK):  # chunks keep the work arrays small
        a = arr[start : start + _CHUNK]
        step = ((a == 91) | (a == 123)).astype(np.int32) - ((a == 93) | (a == 125))
        running = np.cumsum(step, dtype=np.int64) + depth
        deepest = max(deepest, int(running.max()))
        depth = int(running[-1])
    return deepest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed (JSON numbers must be finite)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large (JSON numbers must be finite)")
    return value


def loads(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse strict JSON: at most ``max_depth`` levels, no NaN or Infinity, no huge integers.

    Raises
    ------
    json.JSONDecodeError
        For a syntax error (with its line and column).
    ValidationError
        For nesting deeper than ``max_depth``, ``NaN``/``Infinity``, a number too large for
        a float (``1e400``) or an integer of more than 4,300 digits.

    Examples
    --------
    >>> loads('{"weights": [3, 2, 2]}')
    {'weights': [3, 2, 2]}
    >>> loads("[" * 100 + "]" * 100)
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: JSON nested 100 levels deep; at most 64 are allowed
    >>> loads('{"quota": NaN}')
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: not valid JSON: NaN is not allowed (JSON numbers must be finite)
    """
    depth = json_depth(text)
    if depth > max_depth:
        raise ValidationError(
            f"JSON nested {depth} levels deep; at most {max_depth} are allowed", parameter="file"
        )
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError:
        raise
    except RecursionError:  # not reachable after the depth check; kept as a safety net
        raise ValidationError("JSON nested too deeply", parameter="file") from None
    except ValueError as exc:  # NaN/Infinity, or an integer beyond Python's digit limit
        reason = str(exc)
        if "digits" in reason:
            reason = "a number has more than 4,300 digits"
        raise ValidationError(f"not valid JSON: {reason}", parameter="file") from None
