"""CSV files: the exports of common organizing tools and Broadfront's own templates.

Readers stream with the :mod:`csv` module, one row at a time, and yield records; a bad row
raises :class:`~broadfront.exceptions.InputFileError` naming the file, the row (the header is
row 1, as a spreadsheet shows it) and the column. Files must be UTF-8 (a byte-order mark is
allowed, as Excel writes one).

Formats (``CSV_FORMATS``):

- ``action_network``: Action Network's people export (columns ``first_name``, ``last_name``,
  ``email``, ``zip_code``, ``can2_phone``, plus ``can2_user_address``, ``can2_user_city``,
  ``can2_state_abbreviated``, ``can2_county`` and custom fields, which are ignored).
- ``mobilize``: Mobilize attendance rows, columns named as in Mobilize's data dictionary and
  API (``id``, ``event_id``, ``event__title``, ``timeslot__start_date``, ``user_id``,
  ``user__given_name``, ``user__family_name``, ``user__email_address``,
  ``user__phone_number``, ``user__postal_code``, ``status`` REGISTERED / CONFIRMED /
  CANCELLED, ``attended``).
- Broadfront templates: ``people``, ``events``, ``attendance``, ``organizations``,
  ``divisions``, ``targets``, ``commitments``, ``deliveries``, ``stances``,
  ``relationships``, ``rollcalls`` (columns in ``TEMPLATES``).

References
----------
Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV) Files",
RFC 4180, IETF, 2005.
Action Network, "File formats for list uploads", help.actionnetwork.org, article 203112959.
Mobilize, "MobilizeAmerica API" and "SQL Data Dictionary", github.com/mobilizeamerica/api.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadfront.exceptions import InputFileError, ValidationError
from broadfront.formats.records import (
    ATTENDANCE_STATUSES,
    AttendanceRecord,
    EventRecord,
    PersonRecord,
    PersonRef,
    RowRecord,
    Source,
    clean_email,
    clean_phone,
    clean_postal_code,
    identifier_list,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    text,
)

ACTION_NETWORK_COLUMNS = ("first_name", "last_name", "email", "zip_code", "can2_phone")
MOBILIZE_COLUMNS = (
    "id", "event_id", "event__title", "timeslot__start_date", "timeslot__end_date", "user_id",
    "user__given_name", "user__family_name", "user__email_address", "user__phone_number",
    "user__postal_code", "status", "attended",
)
MOBILIZE_STATUS = {"registered": "accepted", "confirmed": "accepted", "cancelled": "declined",
                   "canceled": "declined"}


@dataclass(frozen=True)
class Column:
    """A template column: its name, whether it must be present and filled, and its meaning."""

    name: str
    required: bool = False
    help: str = ""


def _cols(*spec: str) -> tuple[Column, ...]:
    return tuple(Column(s.rstrip("*"), s.endswith("*")) for s in spec)


#: Broadfront's own templates: kind -> columns (``*`` marks required).
TEMPLATES: dict[str, tuple[Column, ...]] = {
    "people": _cols("identifiers", "given_name*", "family_name", "email", "phone",
                    "postal_code"),
    "events": _cols("identifiers*", "name*", "kind", "starts_at*", "ends_at"),
    "attendance": _cols("event*", "person_identifiers", "person_email", "person_phone",
                        "status", "attended", "invited_by"),
    "organizations": _cols("slug*", "name*", "kind", "spectrum_position", "influence",
                           "base_size", "interests", "parent", "division"),
    "divisions": _cols("ocd_id*", "name*", "level*", "parent", "party_vote",
                       "expected_attendance"),
    "targets": _cols("campaign*", "division*", "expected_attendance", "goal"),
    "commitments": _cols("key*", "partner*", "unit*", "quantity*", "made_on*", "due_date*",
                         "campaign", "coalition", "note"),
    "deliveries": _cols("commitment*", "quantity*", "delivered_on*", "evidence"),
    "stances": _cols("issue*", "organization", "person", "score*", "assessed_on*",
                     "evidence"),
    "relationships": _cols("kind*", "source_organization", "source_person",
                           "target_organization", "target_person", "start_date", "end_date",
                           "source", "strength"),
    "rollcalls": _cols("body*", "motion*", "title*", "date*", "result", "voter*", "option*"),
}

#: Every CSV format Broadfront reads: the two tool exports and the templates.
CSV_FORMATS = ("action_network", "mobilize", *TEMPLATES)


def read_csv(path: str | os.PathLike[str], kind: str) -> Iterator[Any]:
    """Stream the records of a CSV file of one format, row by row.

    Parameters
    ----------
    path : path-like
        The file.
    kind : str
        One of ``CSV_FORMATS``: ``action_network``, ``mobilize`` or a template kind.

    Yields
    ------
    record
        :class:`PersonRecord` (``action_network``, ``people``), :class:`EventRecord`
        (``events``), :class:`AttendanceRecord` (``mobilize``, ``attendance``), otherwise a
        :class:`RowRecord` of parsed values.

    Raises
    ------
    InputFileError
        On a missing file, a non-UTF-8 byte, broken quoting (a truncated file), a missing
        required column, a row with the wrong number of values or a bad value (row and
        column named).
    ValidationError
        On an unknown ``kind``.

    References
    ----------
    Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV) Files",
    RFC 4180, IETF, 2005.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "an.csv"
    >>> _ = f.write_text("first_name,last_name,email,zip_code,can2_phone\\n"
    ...                  "Ana,Ortiz,ANA@example.org,55401,612-555-0100\\n")
    >>> [(p.given_name, p.email, p.phone) for p in read_csv(f, "action_network")]
    [('Ana', 'ana@example.org', '6125550100')]
    """
    if kind not in CSV_FORMATS:
        raise ValidationError(f"kind must be one of {', '.join(CSV_FORMATS)}, got {kind!r}",
                              parameter="kind")
    name = str(path)
    required: tuple[str, ...]
    known: tuple[str, ...] | None
    if kind == "action_network":
        required, known, strict = ("email",), None, False
    elif kind == "mobilize":
        required = ("event_id", "user__email_address", "status")
        known, strict = None, False
    else:
        required = tuple(c.name for c in TEMPLATES[kind] if c.required)
        known, strict = tuple(c.name for c in TEMPLATES[kind]), True
    if kind == "attendance":
        yield from _read_attendance(name, _rows(name, required, known, strict))
        return
    convert = _CONVERTERS.get(kind) or _template_row(kind)
    for source, row in iter_rows(name, required=required, known=known, strict=strict):
        yield convert(row, source)


def iter_rows(path: str, *, required: Iterable[str] = (), known: Iterable[str] | None = None,
              strict: bool = False) -> Iterator[tuple[Source, dict[str, str]]]:
    """Stream the rows of a CSV file as ``(source, {column: text})``.

    Parameters
    ----------
    path : str
        The file.
    required : iterable of str
        Columns that must be in the header.
    known : iterable of str, optional
        With ``strict``, the only columns allowed.
    strict : bool
        Refuse columns outside ``known`` (catches typos in a template's header).

    Yields
    ------
    (Source, dict)
        The row's place (header is row 1) and its values by column name.

    Raises
    ------
    InputFileError
        On unreadable, non-UTF-8 or badly quoted files, a bad header or a ragged row.

    References
    ----------
    Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV) Files",
    RFC 4180, IETF, 2005.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = f.write_text("a,b\\n1,2\\n")
    >>> [(s.row, r) for s, r in iter_rows(str(f), required=["a"])]
    [(2, {'a': '1', 'b': '2'})]
    """
    rows = _rows(path, required, known, strict)
    header = next(rows)
    for number, values in rows:
        yield Source(path, number), dict(zip(header, values, strict=True))


def _rows(path: str, required: Iterable[str], known: Iterable[str] | None,
          strict: bool) -> Iterator[Any]:
    """:func:`iter_rows` without the dicts: yields the checked header (a list of column
    names) first, then ``(row number, values)`` for each non-empty row, the values a list as
    :mod:`csv` reads it, as long as the header. Same checks and errors as :func:`iter_rows`.
    """
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", file=path) from None
    with handle:
        reader = csv.reader(handle, strict=True)
        row_number = 1
        try:
            header = next(reader, None)
            if header is None:
                raise InputFileError("is empty (no header row)", file=path, row=1)
            header = [h.strip() for h in header]
            seen: set[str] = set()
            for column in header:
                if not column:
                    raise InputFileError("a column has no name", file=path, row=1)
                if column in seen:
                    raise InputFileError("the column appears twice", file=path, row=1,
                                         field=column)
                seen.add(column)
            for column in required:
                if column not in seen:
                    raise InputFileError("required column is missing", file=path, row=1,
                                         field=column)
            if strict and known is not None:
                allowed = set(known)
                for column in header:
                    if column not in allowed:
                        raise InputFileError(
                            f"unknown column (expected some of {', '.join(known)})",
                            file=path, row=1, field=column)
            width = len(header)
            yield header
            for values in reader:
                row_number += 1
                if not values:
                    continue
                if len(values) != width:
                    raise InputFileError(
                        f"has {len(values)} values but the header has {width} columns",
                        file=path, row=row_number)
                yield row_number, [_unguard(v) for v in values]
        except UnicodeDecodeError as exc:
            raise InputFileError(f"is not UTF-8 text (bad byte {exc.object[exc.start]:#04x})",
                                 file=path, row=row_number + 1) from None
        except csv.Error as exc:
            raise InputFileError(f"is not a well-formed CSV file ({exc})", file=path,
                                 row=row_number + 1) from None


def _action_network(row: dict[str, str], source: Source) -> PersonRecord:
    email = clean_email(row.get("email"), source, "email")
    if not email:
        raise source.error("is required but empty", "email")
    given = text(row.get("first_name"), source, "first_name", max_length=100)
    return PersonRecord(
        given_name=given or email.split("@")[0],
        family_name=text(row.get("last_name"), source, "last_name", max_length=100),
        email=email, phone=clean_phone(row.get("can2_phone"), source, "can2_phone"),
        postal_code=clean_postal_code(row.get("zip_code"), source, "zip_code"),
        identifiers=identifier_list(row.get("identifiers"), source), source=source,
    )


def _mobilize(row: dict[str, str], source: Source) -> AttendanceRecord:
    event_id = text(row.get("event_id"), source, "event_id", required=True, max_length=100)
    status_text = text(row.get("status"), source, "status", required=True).lower()
    if status_text not in MOBILIZE_STATUS:
        raise source.error(f"expected REGISTERED, CONFIRMED or CANCELLED, got "
                           f"{row.get('status')!r}", "status")
    email = clean_email(row.get("user__email_address"), source, "user__email_address")
    user_id = text(row.get("user_id"), source, "user_id", max_length=100)
    if not email and not user_id:
        raise source.error("is required but empty", "user__email_address")
    person = PersonRecord(
        given_name=text(row.get("user__given_name"), source, "user__given_name",
                        max_length=100) or (email.split("@")[0] if email else "unknown"),
        family_name=text(row.get("user__family_name"), source, "user__family_name",
                         max_length=100),
        email=email,
        phone=clean_phone(row.get("user__phone_number"), source, "user__phone_number"),
        postal_code=clean_postal_code(row.get("user__postal_code"), source,
                                      "user__postal_code"),
        identifiers=(f"mobilize:{user_id}",) if user_id else (), source=source,
    )
    event_key = f"mobilize:{event_id}"
    event = None
    if row.get("timeslot__start_date", "").strip():
        start = parse_datetime(row["timeslot__start_date"], source, "timeslot__start_date")
        end = None
        if row.get("timeslot__end_date", "").strip():
            end = parse_datetime(row["timeslot__end_date"], source, "timeslot__end_date")
        event = EventRecord(name=text(row.get("event__title"), source, "event__title")
                            or f"Mobilize event {event_id}", starts_at=start, ends_at=end,
                            identifiers=(event_key,), source=source)
    attendance_id = text(row.get("id"), source, "id", max_length=100)
    return AttendanceRecord(
        event=event_key, person=person.ref, status=MOBILIZE_STATUS[status_text],
        attended=parse_bool(row.get("attended"), source, "attended"),
        identifiers=(f"mobilize:{attendance_id}",) if attendance_id else (),
        person_record=person, event_record=event, source=source,
    )


def _people(row: dict[str, str], source: Source) -> PersonRecord:
    return PersonRecord(
        given_name=text(row.get("given_name"), source, "given_name", required=True,
                        max_length=100),
        family_name=text(row.get("family_name"), source, "family_name", max_length=100),
        email=clean_email(row.get("email"), source, "email"),
        phone=clean_phone(row.get("phone"), source, "phone"),
        postal_code=clean_postal_code(row.get("postal_code"), source, "postal_code"),
        identifiers=identifier_list(row.get("identifiers"), source), source=source,
    )


def _events(row: dict[str, str], source: Source) -> EventRecord:
    kind = row.get("kind", "").strip() or "meeting"
    from broadfront.formats.osdi import EVENT_KINDS

    if kind not in EVENT_KINDS:
        raise source.error(f"expected one of {', '.join(EVENT_KINDS)}, got {kind!r}", "kind")
    start = parse_datetime(row.get("starts_at"), source, "starts_at")
    end = None
    if row.get("ends_at", "").strip():
        end = parse_datetime(row["ends_at"], source, "ends_at")
        if end < start:
            raise source.error("ends before it starts", "ends_at")
    identifiers = identifier_list(row.get("identifiers"), source)
    if not identifiers:
        raise source.error("is required but empty", "identifiers")
    return EventRecord(name=text(row.get("name"), source, "name", required=True),
                       starts_at=start, ends_at=end, kind=kind, identifiers=identifiers,
                       source=source)


def _attendance(row: dict[str, str], source: Source) -> AttendanceRecord:
    status = row.get("status", "").strip() or "accepted"
    if status not in ATTENDANCE_STATUSES:
        raise source.error(f"expected one of {', '.join(ATTENDANCE_STATUSES)}, got {status!r}",
                           "status")
    person = PersonRef(identifier_list(row.get("person_identifiers"), source,
                                       "person_identifiers"),
                       clean_email(row.get("person_email"), source, "person_email"),
                       clean_phone(row.get("person_phone"), source, "person_phone"))
    if not person:
        raise source.error("needs person_identifiers, person_email or person_phone",
                           "person_identifiers")
    invited = None
    raw = row.get("invited_by", "").strip()
    if raw:
        invited = (PersonRef(email=clean_email(raw, source, "invited_by")) if "@" in raw
                   else PersonRef(identifier_list(raw, source, "invited_by")))
    return AttendanceRecord(
        event=text(row.get("event"), source, "event", required=True), person=person,
        status=status, attended=parse_bool(row.get("attended"), source, "attended"),
        invited_by=invited, source=source,
    )


#: ``attended`` values read without a call (each as :func:`parse_bool` reads it).
_BOOL_FAST: dict[str, bool | None] = {"": None, "true": True, "false": False, "1": True,
                                      "0": False, "yes": True, "no": False, "TRUE": True,
                                      "FALSE": False, "True": True, "False": False}
_STATUSES = frozenset(ATTENDANCE_STATUSES)
_MISSING = object()


def _read_attendance(path: str, rows: Iterator[Any]) -> Iterator[AttendanceRecord]:
    """The ``attendance`` template row by row, as :func:`_attendance` reads a row's dict.

    The per-row path of the largest imports: column positions are looked up once, values
    are taken from the row's list (no dict per row), and the common values (one identifier,
    an exact status, ``true``/``false``/empty, an event identifier without surrounding
    spaces) are accepted inline; anything else goes through the same parsers as
    :func:`_attendance`, so every check, the order of the checks and every error message
    (file, row, column) are the same.
    """
    header = next(rows)
    at = {name: i for i, name in enumerate(header)}
    i_event = at["event"]
    i_ids, i_email, i_phone = (at.get("person_identifiers"), at.get("person_email"),
                               at.get("person_phone"))
    i_status, i_attended, i_invited = at.get("status"), at.get("attended"), at.get("invited_by")
    statuses, bools, missing = _STATUSES, _BOOL_FAST, _MISSING
    for number, values in rows:
        source = Source(path, number)
        raw = values[i_status] if i_status is not None else ""
        if raw in statuses:
            status = raw
        else:
            status = raw.strip() or "accepted"
            if status not in statuses:
                raise source.error(f"expected one of {', '.join(ATTENDANCE_STATUSES)}, got "
                                   f"{status!r}", "status")
        identifiers: tuple[str, ...] = ()
        if i_ids is not None and (raw := values[i_ids]):
            if "|" not in raw and ":" in raw.strip(":") and len(raw) <= 200:
                identifiers = (raw.strip(),)
            else:
                identifiers = identifier_list(raw, source, "person_identifiers")
        email = phone = ""
        if i_email is not None and (raw := values[i_email]):
            email = clean_email(raw, source, "person_email")
        if i_phone is not None and (raw := values[i_phone]):
            phone = clean_phone(raw, source, "person_phone")
        if not (identifiers or email or phone):
            raise source.error("needs person_identifiers, person_email or person_phone",
                               "person_identifiers")
        invited = None
        if i_invited is not None and (raw := values[i_invited].strip()):
            invited = (PersonRef(email=clean_email(raw, source, "invited_by")) if "@" in raw
                       else PersonRef(identifier_list(raw, source, "invited_by")))
        raw = values[i_event]
        event = raw.strip()
        if not event or len(event) > 200:
            event = text(raw, source, "event", required=True)
        attended: Any = None
        if i_attended is not None:
            raw = values[i_attended]
            attended = bools.get(raw, missing)
            if attended is missing:
                attended = parse_bool(raw, source, "attended")
        yield AttendanceRecord(event, PersonRef(identifiers, email, phone), status, attended,
                               invited, (), None, None, source)


_CONVERTERS: dict[str, Callable[[dict[str, str], Source], Any]] = {
    "action_network": _action_network,
    "mobilize": _mobilize,
    "people": _people,
    "events": _events,
    "attendance": _attendance,
}

_INTS = {"spectrum_position", "influence", "base_size", "party_vote", "expected_attendance",
         "goal", "score", "strength"}
_DATES = {"made_on", "due_date", "delivered_on", "assessed_on", "start_date", "end_date",
          "date"}
_DECIMALS = {"quantity"}


def _template_row(kind: str) -> Callable[[dict[str, str], Source], RowRecord]:
    columns = TEMPLATES[kind]

    def convert(row: dict[str, str], source: Source) -> RowRecord:
        values: dict[str, Any] = {}
        for column in columns:
            raw = row.get(column.name, "").strip()
            if not raw:
                if column.required:
                    raise source.error("is required but empty", column.name)
                values[column.name] = None
                continue
            if column.name in _INTS:
                try:
                    values[column.name] = int(raw)
                except ValueError:
                    raise source.error(f"expected a whole number, got {raw!r}",
                                       column.name) from None
            elif column.name in _DATES:
                values[column.name] = parse_date(raw, source, column.name)
            elif column.name in _DECIMALS:
                values[column.name] = parse_decimal(raw, source, column.name)
            else:
                values[column.name] = text(raw, source, column.name, max_length=500)
        return RowRecord(kind=kind, values=values, source=source)

    return convert


# --- writing ----------------------------------------------------------------------------------

def write_csv(rows: Iterable[dict[str, Any]], path: str | os.PathLike[str],
              columns: Iterable[str]) -> int:
    """Write rows (dicts) to a UTF-8 CSV file with the given header; returns the row count.

    Values are written as text: ``None`` as empty, booleans as ``true``/``false``, dates in
    ISO 8601, lists of identifiers joined with ``|``.

    Parameters
    ----------
    rows : iterable of dict
        The rows, streamed.
    path : path-like
        The file to write.
    columns : iterable of str
        The header, in order; keys outside it are ignored.

    Returns
    -------
    int
        Rows written.

    References
    ----------
    Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV) Files",
    RFC 4180, IETF, 2005.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> write_csv([{"a": True, "b": ["x:1", "y:2"]}], f, ["a", "b"])
    1
    >>> f.read_text().splitlines()
    ['a,b', 'true,x:1|y:2']
    """
    header = list(columns)
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in header])
            count += 1
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return neutralize("|".join(str(v) for v in value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, str):
        return neutralize(value)
    return str(value)  # numbers stay numbers, a negative one included


#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralize(text_value: str) -> str:
    """A text cell made safe to open in a spreadsheet (CSV or formula injection).

    A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
    formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` as a name runs when
    the export is opened). Such a cell gets a leading single quote, which the spreadsheet shows
    as text; a cell that is only a signed number (``-3``, ``+16125550100``) cannot carry a
    formula and is left alone. Broadfront's CSV reader removes the quote again, so an export
    imports back unchanged.

    Parameters
    ----------
    text_value : str

    Returns
    -------
    str

    References
    ----------
    OWASP Foundation, "CSV Injection", owasp.org/www-community/attacks/CSV_Injection.

    Examples
    --------
    >>> print(neutralize('=HYPERLINK("http://x.example","click")'))
    '=HYPERLINK("http://x.example","click")
    >>> neutralize("-3"), neutralize("+16125550100"), neutralize("Ana")
    ('-3', '+16125550100', 'Ana')
    >>> neutralize("@SUM(A1)"), neutralize("-2+3")
    ("'@SUM(A1)", "'-2+3")
    """
    if text_value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text_value):
        return "'" + text_value
    return text_value


def _unguard(value: str) -> str:
    """Undo :func:`neutralize` on a cell read back (a quote followed by a formula trigger)."""
    if value[:1] == "'" and value[1:2] and value[1:2] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def person_row(record: PersonRecord) -> dict[str, Any]:
    """A person as a row of the ``people`` template.

    Parameters
    ----------
    record : PersonRecord

    Returns
    -------
    dict

    References
    ----------
    Broadfront, "Data in and out", docs/data.md (the ``people`` template).

    Examples
    --------
    >>> person_row(PersonRecord("Ana", email="ana@example.org"))["email"]
    'ana@example.org'
    """
    return {"identifiers": list(record.identifiers), "given_name": record.given_name,
            "family_name": record.family_name, "email": record.email, "phone": record.phone,
            "postal_code": record.postal_code}


def action_network_row(record: PersonRecord) -> dict[str, Any]:
    """A person as a row of an Action Network people upload/export.

    Parameters
    ----------
    record : PersonRecord

    Returns
    -------
    dict

    References
    ----------
    Action Network, "File formats for list uploads", help.actionnetwork.org, article 203112959.

    Examples
    --------
    >>> action_network_row(PersonRecord("Ana", "Ortiz", "ana@example.org"))["last_name"]
    'Ortiz'
    """
    return {"first_name": record.given_name, "last_name": record.family_name,
            "email": record.email, "zip_code": record.postal_code, "can2_phone": record.phone,
            "identifiers": list(record.identifiers)}


def event_row(record: EventRecord) -> dict[str, Any]:
    """An event as a row of the ``events`` template.

    Parameters
    ----------
    record : EventRecord

    Returns
    -------
    dict

    References
    ----------
    Broadfront, "Data in and out", docs/data.md (the ``events`` template).

    Examples
    --------
    >>> import datetime as dt
    >>> event_row(EventRecord("Meeting", dt.datetime(2026, 1, 5, tzinfo=dt.UTC)))["starts_at"]
    datetime.datetime(2026, 1, 5, 0, 0, tzinfo=datetime.timezone.utc)
    """
    return {"identifiers": list(record.identifiers), "name": record.name, "kind": record.kind,
            "starts_at": record.starts_at, "ends_at": record.ends_at}


def attendance_row(record: AttendanceRecord) -> dict[str, Any]:
    """An attendance as a row of the ``attendance`` template.

    Parameters
    ----------
    record : AttendanceRecord

    Returns
    -------
    dict

    References
    ----------
    Broadfront, "Data in and out", docs/data.md (the ``attendance`` template).

    Examples
    --------
    >>> attendance_row(AttendanceRecord("broadfront-event:1", PersonRef(email="a@b.org"),
    ...                                 attended=True))["attended"]
    True
    """
    invited = record.invited_by
    return {"event": record.event, "person_identifiers": list(record.person.identifiers),
            "person_email": record.person.email, "person_phone": record.person.phone,
            "status": record.status, "attended": record.attended,
            "invited_by": (invited.email or "|".join(invited.identifiers)) if invited else ""}


def template_header(kind: str) -> list[str]:
    """The header of a Broadfront CSV template.

    Parameters
    ----------
    kind : str
        A key of ``TEMPLATES``.

    Returns
    -------
    list of str

    Raises
    ------
    ValidationError
        On an unknown kind.

    References
    ----------
    Broadfront, "Data in and out", docs/data.md.

    Examples
    --------
    >>> template_header("deliveries")
    ['commitment', 'quantity', 'delivered_on', 'evidence']
    """
    if kind not in TEMPLATES:
        raise ValidationError(f"kind must be one of {', '.join(TEMPLATES)}, got {kind!r}",
                              parameter="kind")
    return [c.name for c in TEMPLATES[kind]]
