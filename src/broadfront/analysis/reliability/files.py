"""Readers for the two CSV files of the reliability engine: a commitment ledger, attendance.

Both read the whole file before returning (all-or-nothing) and raise
:class:`~broadfront.exceptions.InputFileError` naming the file, the row (the header is row 1,
the first record row 2, as a spreadsheet shows them) and the field.

Ledger columns: ``partner,unit,promised,delivered,due,delivered_on`` (dates ISO
``YYYY-MM-DD``; ``delivered_on`` blank when nothing arrived). Attendance columns:
``person,group,event,event_date,status,attended`` where ``status`` is an OSDI / Action Network
attendance status (``accepted``, ``declined``, ``tentative``, ``needs_action``) and ``attended``
is ``true``/``false`` (also ``yes``/``no``, ``1``/``0``), blank when the event has not happened.
Extra columns are ignored.

References
----------
Open Supporter Data Interface (OSDI) 1.2, *Attendance* resource (fields ``status`` and
``attended``), https://opensupporter.github.io/osdi-docs/attendances.html; Action Network API
documentation, *Attendance* (https://actionnetwork.org/docs/v2/attendances).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadfront.exceptions import InputFileError

LEDGER_COLUMNS = ("partner", "unit", "promised", "delivered", "due", "delivered_on")
ATTENDANCE_COLUMNS = ("person", "group", "event", "event_date", "status", "attended")
RSVP_STATUSES = ("accepted", "declined", "tentative", "needs_action")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


@dataclass(frozen=True, eq=False)
class Ledger:
    """Commitments read from a ledger CSV, one array entry per row."""

    partner: np.ndarray
    unit: np.ndarray
    promised: np.ndarray
    delivered: np.ndarray
    due: np.ndarray
    delivered_on: np.ndarray


@dataclass(frozen=True, eq=False)
class Attendance:
    """Attendance records read from a CSV, one array entry per row.

    ``attended`` is 1.0, 0.0 or NaN (not known yet).
    """

    person: np.ndarray
    group: np.ndarray
    event: np.ndarray
    event_date: np.ndarray
    status: np.ndarray
    attended: np.ndarray


def read_ledger_csv(path: str | Path) -> Ledger:
    """Read a commitment ledger CSV (see the module docstring for the columns).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Ledger

    Raises
    ------
    InputFileError
        If the file cannot be read, a column is missing, a number or date is bad, ``promised``
        is not positive, or something was delivered without a ``delivered_on`` date.

    References
    ----------
    RFC 4180, Common Format and MIME Type for Comma-Separated Values (CSV) Files (2005).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("partner,unit,promised,delivered,due,delivered_on\\n"
    ...                 "Faith,doors,100,80,2024-05-01,2024-05-02\\n")
    >>> read_ledger_csv(f.name).delivered.tolist()
    [80.0]
    >>> os.unlink(f.name)
    """
    name = str(path)
    rows = _read_rows(path, LEDGER_COLUMNS)
    partner, unit, promised, delivered, due, delivered_on = [], [], [], [], [], []
    for row_no, row in rows:
        partner.append(_text(row, "partner", name, row_no))
        unit.append(_text(row, "unit", name, row_no))
        prom = _number(row, "promised", name, row_no)
        if prom <= 0:
            raise InputFileError(f"promised must be positive, got {row['promised']!r}",
                                 file=name, row=row_no, field="promised")
        deliv = _number(row, "delivered", name, row_no)
        promised.append(prom)
        delivered.append(deliv)
        due.append(_date(row, "due", name, row_no))
        on = _date(row, "delivered_on", name, row_no, optional=True)
        if on is None and deliv > 0:
            raise InputFileError(f"delivered_on is blank although {deliv:g} was delivered",
                                 file=name, row=row_no, field="delivered_on")
        delivered_on.append(on)
    return Ledger(
        partner=np.array(partner, dtype=str),
        unit=np.array(unit, dtype=str),
        promised=np.array(promised, dtype=float),
        delivered=np.array(delivered, dtype=float),
        due=np.array(due, dtype="datetime64[D]"),
        delivered_on=np.array(["NaT" if d is None else d for d in delivered_on],
                              dtype="datetime64[D]"),
    )


def read_attendance_csv(path: str | Path) -> Attendance:
    """Read an attendance CSV (see the module docstring for the columns).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Attendance

    Raises
    ------
    InputFileError
        If the file cannot be read, a column is missing, a date, status or attended value is
        bad, or someone is marked as attending with a blank person.

    References
    ----------
    Open Supporter Data Interface (OSDI) 1.2, *Attendance* resource,
    https://opensupporter.github.io/osdi-docs/attendances.html.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("person,group,event,event_date,status,attended\\n"
    ...                 "ana,Northside,e1,2024-05-01,accepted,true\\n"
    ...                 "ben,Northside,e2,2024-06-01,accepted,\\n")
    >>> read_attendance_csv(f.name).attended.tolist()
    [1.0, nan]
    >>> os.unlink(f.name)
    """
    name = str(path)
    rows = _read_rows(path, ATTENDANCE_COLUMNS)
    cols: dict[str, list[object]] = {c: [] for c in ATTENDANCE_COLUMNS}
    for row_no, row in rows:
        for field in ("person", "group", "event"):
            cols[field].append(_text(row, field, name, row_no))
        cols["event_date"].append(_date(row, "event_date", name, row_no))
        status = (row.get("status") or "").strip().lower().replace(" ", "_")
        if status not in RSVP_STATUSES:
            raise InputFileError(
                f"status must be one of {', '.join(RSVP_STATUSES)}, got {row.get('status')!r}",
                file=name, row=row_no, field="status")
        cols["status"].append(status)
        raw = (row.get("attended") or "").strip().lower()
        if raw == "":
            cols["attended"].append(math.nan)
        elif raw in _TRUE:
            cols["attended"].append(1.0)
        elif raw in _FALSE:
            cols["attended"].append(0.0)
        else:
            raise InputFileError(f"attended must be true, false or blank, got {raw!r}",
                                 file=name, row=row_no, field="attended")
    return Attendance(
        person=np.array(cols["person"], dtype=str),
        group=np.array(cols["group"], dtype=str),
        event=np.array(cols["event"], dtype=str),
        event_date=np.array(cols["event_date"], dtype="datetime64[D]"),
        status=np.array(cols["status"], dtype=str),
        attended=np.array(cols["attended"], dtype=float),
    )


# ----------------------------------------------------------------------------- private steps


def _read_rows(path: str | Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            if not header:
                raise InputFileError("the file is empty (no header row)", file=name, row=1)
            reader.fieldnames = header
            for column in columns:
                if column not in header:
                    raise InputFileError(
                        f"missing column {column!r} (expected {', '.join(columns)})",
                        file=name, row=1, field=column)
            rows = []
            for row in reader:
                if None in row:
                    raise InputFileError("the row has more fields than the header",
                                         file=name, row=reader.line_num)
                rows.append((reader.line_num, row))
            return rows
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    except UnicodeDecodeError:
        raise InputFileError("the file is not UTF-8 text", file=name) from None
    except csv.Error as exc:
        raise InputFileError(f"not a valid CSV file: {exc}", file=name) from None


def _text(row: dict[str, str], field: str, name: str, row_no: int) -> str:
    value = (row.get(field) or "").strip()
    if not value:
        raise InputFileError(f"{field} is blank", file=name, row=row_no, field=field)
    return value


def _number(row: dict[str, str], field: str, name: str, row_no: int) -> float:
    raw = (row.get(field) or "").strip()
    try:
        value = float(raw) if raw else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise InputFileError(f"{field} must be a non-negative number, got {raw!r}",
                             file=name, row=row_no, field=field)
    return value


def _date(row: dict[str, str], field: str, name: str, row_no: int,
          optional: bool = False) -> str | None:
    raw = (row.get(field) or "").strip()
    if not raw and optional:
        return None
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise InputFileError(f"{field} must be an ISO date (YYYY-MM-DD), got {raw!r}",
                             file=name, row=row_no, field=field) from None
