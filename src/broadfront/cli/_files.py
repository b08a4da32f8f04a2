"""Reading a command's input file, with the same error wording in every command.

Every failure is an :class:`~broadfront.exceptions.InputFileError` naming the file (and the
row, for JSON syntax errors), so the root group prints one line such as
``error: game.json, row 3: not valid JSON: Expecting ',' delimiter (column 5)`` and exits 1.
The CSV readers of the engines (:mod:`broadfront.analysis.reliability.files`) word their
errors the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from broadfront.exceptions import InputFileError


def read_text(path: Path) -> str:
    """The text of a UTF-8 file (a leading byte-order mark is dropped).

    Raises
    ------
    InputFileError
        ``cannot read the file: <reason>`` (missing, a folder, no permission) or
        ``the file is not UTF-8 text``.
    """
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputFileError("the file is not UTF-8 text", file=str(path)) from None


def read_json(path: Path) -> Any:
    """The parsed JSON value of a file; a syntax error names its line as the row.

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
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                             file=str(path), row=exc.lineno) from None
