"""Reading a command's input file, with the same error wording in every command.

Every failure is an :class:`~broadfront.exceptions.InputFileError` naming the file (and the
row, for JSON syntax errors), so the root group prints one line such as
``error: game.json, row 3: not valid JSON: Expecting ',' delimiter (column 5)`` and exits 1.
The CSV readers of the engines (:mod:`broadfront.analysis.reliability.files`) word their
errors the same way.

Every file is checked against the limits of :mod:`broadfront.formats.limits` before it is
read: at most 64 MiB (1 GiB with ``--no-limits``), and JSON nested at most 64 levels deep,
strict (no ``NaN``, ``Infinity`` or numbers too large for a float).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from broadfront.exceptions import InputFileError, ValidationError
from broadfront.formats import limits


def check_file(path: Path, *, lift_limits: bool = False) -> None:
    """Refuse a file that is missing or larger than the documented limit, before reading it.

    Raises
    ------
    InputFileError
        ``cannot read the file: <reason>`` or ``the file is 100.0 MiB; files must be at most
        64 MiB``.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    try:
        limits.check_size(size, lift_limits=lift_limits)
    except ValidationError as exc:
        raise InputFileError(exc.message, file=str(path)) from None


def read_text(path: Path, *, lift_limits: bool = False) -> str:
    """The text of a UTF-8 file (a leading byte-order mark is dropped), within the size limit.

    Raises
    ------
    InputFileError
        ``cannot read the file: <reason>`` (missing, a folder, no permission), the file is
        too large, or ``the file is not UTF-8 text``.
    """
    check_file(path, lift_limits=lift_limits)
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputFileError("the file is not UTF-8 text", file=str(path)) from None


def read_json(path: Path, *, lift_limits: bool = False) -> Any:
    """The parsed JSON value of a file; a syntax error names its line as the row.

    The file must be within the size limit, nested at most ``MAX_JSON_DEPTH`` levels and
    strict JSON (:func:`broadfront.formats.limits.loads`).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "game.json")
    ...     _ = p.write_text('{"quota": 3,}', encoding="utf-8")
    ...     try:
    ...         read_json(p)
    ...     except InputFileError as exc:
    ...         print(str(exc).replace(str(p), "game.json"))
    game.json, row 1: not valid JSON: Expecting property name enclosed in double quotes (column 13)
    """
    text = read_text(path, lift_limits=lift_limits)
    try:
        return limits.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                             file=str(path), row=exc.lineno) from None
    except ValidationError as exc:
        raise InputFileError(exc.message, file=str(path)) from None
