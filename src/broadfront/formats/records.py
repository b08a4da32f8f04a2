"""Plain records shared by every reader and writer (OSDI, CSV, Popolo).

Readers yield these frozen dataclasses one at a time; services match them against stored rows
and write them in bulk. Every record carries the place it came from (``source``: a file and a
row number or JSON pointer) so a later error can name it. ``source`` never takes part in
equality, so the same person read from two files compares equal.

The field names follow the OSDI 1.2 resources (Open Supporter Data Interface, osdi.io,
"OSDI 1.2 specification", 2017) where one exists, so writing a record back out is a rename.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from broadfront.exceptions import InputFileError, ValidationError

ATTENDANCE_STATUSES = ("accepted", "tentative", "declined", "needs action")


@dataclass(frozen=True)
class Source:
    """Where a record was read: a file (or URL) and a row number or JSON pointer."""

    file: str
    row: int | str | None = None

    def error(self, message: str, field: str | None = None) -> InputFileError:
        """An :class:`InputFileError` naming this place and ``field``."""
        return InputFileError(message, file=self.file, row=self.row, field=field)


NOWHERE = Source("<memory>")


@dataclass(frozen=True)
class PersonRef:
    """How a record points at a person: identifiers ("system:id" or a bare id), email, phone."""

    identifiers: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""

    def __bool__(self) -> bool:
        return bool(self.identifiers or self.email or self.phone)


@dataclass(frozen=True)
class PersonRecord:
    """A person (OSDI ``osdi:person``)."""

    given_name: str
    family_name: str = ""
    email: str = ""
    phone: str = ""
    postal_code: str = ""
    identifiers: tuple[str, ...] = ()
    source: Source = field(default=NOWHERE, compare=False, repr=False)

    @property
    def ref(self) -> PersonRef:
        return PersonRef(self.identifiers, self.email, self.phone)


@dataclass(frozen=True)
class EventRecord:
    """An event (OSDI ``osdi:event``)."""

    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    kind: str = "meeting"
    identifiers: tuple[str, ...] = ()
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class AttendanceRecord:
    """A person's RSVP to an event and whether they came (OSDI ``osdi:attendance``)."""

    event: str
    person: PersonRef
    status: str = "accepted"
    attended: bool | None = None
    invited_by: PersonRef | None = None
    identifiers: tuple[str, ...] = ()
    person_record: PersonRecord | None = field(default=None, compare=False, repr=False)
    event_record: EventRecord | None = field(default=None, compare=False, repr=False)
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class RowRecord:
    """One row of a Broadfront CSV template: parsed values by column, for the services."""

    kind: str
    values: dict[str, Any] = field(hash=False)
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class TagRecord:
    """A tag or a list (OSDI ``osdi:tag``, ``osdi:list``): a named set of people."""

    name: str
    kind: str = "tag"
    identifiers: tuple[str, ...] = ()
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class TaggingRecord:
    """A person carries a tag or sits on a list (OSDI ``osdi:tagging``, ``osdi:item``)."""

    tag: str
    person: PersonRef
    kind: str = "tag"
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class DonationRecord:
    """A donation (OSDI ``osdi:donation``): who gave how much, in which currency, when."""

    person: PersonRef
    amount: Decimal
    currency: str = "USD"
    created_date: dt.date | None = None
    identifiers: tuple[str, ...] = ()
    source: Source = field(default=NOWHERE, compare=False, repr=False)


# --- value parsers shared by the readers ------------------------------------------------------

def parse_datetime(value: object, source: Source, name: str) -> dt.datetime:
    """An ISO 8601 date-time (a bare date means midnight), made timezone-aware (UTC if naive).

    Parameters
    ----------
    value : object
        The text read from the file.
    source : Source
        Where it was read, for the error.
    name : str
        The field name, for the error.

    Returns
    -------
    datetime.datetime
        An aware date-time.

    Raises
    ------
    InputFileError
        If ``value`` is not an ISO 8601 date or date-time.

    References
    ----------
    ISO 8601-1:2019, "Date and time - Representations for information interchange", ISO, 2019.

    Examples
    --------
    >>> parse_datetime("2026-03-01T18:30:00Z", NOWHERE, "start_date").isoformat()
    '2026-03-01T18:30:00+00:00'
    >>> parse_datetime("2026-03-01", NOWHERE, "start_date").hour
    0
    """
    if not isinstance(value, str) or not value.strip():
        raise source.error(f"expected an ISO 8601 date-time, got {value!r}", name)
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        result = dt.datetime.fromisoformat(text)
    except ValueError:
        raise source.error(f"expected an ISO 8601 date-time, got {value!r}", name) from None
    if result.tzinfo is None:
        result = result.replace(tzinfo=dt.UTC)
    return result


def parse_date(value: object, source: Source, name: str) -> dt.date:
    """An ISO 8601 calendar date (``YYYY-MM-DD``); a date-time keeps its date.

    Parameters
    ----------
    value : object
        The text read from the file.
    source : Source
        Where it was read, for the error.
    name : str
        The field name, for the error.

    Returns
    -------
    datetime.date

    Raises
    ------
    InputFileError
        If ``value`` is not a date.

    References
    ----------
    ISO 8601-1:2019, "Date and time - Representations for information interchange", ISO, 2019.

    Examples
    --------
    >>> parse_date("2026-02-29", NOWHERE, "date")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.InputFileError: <memory>, field 'date': expected a date YYYY-MM-DD, got '2026-02-29'
    >>> parse_date("2024-02-29", NOWHERE, "date")
    datetime.date(2024, 2, 29)
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return parse_datetime(text, source, name).date()
        except (ValueError, InputFileError):
            pass
    raise source.error(f"expected a date YYYY-MM-DD, got {value!r}", name)


def parse_decimal(value: object, source: Source, name: str) -> Decimal:
    """A finite decimal number (text or JSON number).

    Parameters
    ----------
    value : object
        The value read from the file.
    source : Source
        Where it was read, for the error.
    name : str
        The field name, for the error.

    Returns
    -------
    decimal.Decimal

    Raises
    ------
    InputFileError
        If ``value`` is not a finite number.

    References
    ----------
    Python Software Foundation, "decimal - Decimal fixed point and floating point arithmetic",
    Python 3.11 documentation, 2022.

    Examples
    --------
    >>> parse_decimal("25.50", NOWHERE, "amount")
    Decimal('25.50')
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise source.error(f"expected a number, got {value!r}", name)
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise source.error(f"expected a number, got {value!r}", name) from None
    if not result.is_finite():
        raise source.error(f"expected a finite number, got {value!r}", name)
    return result


_TRUE = {"true", "yes", "y", "1", "t", "attended"}
_FALSE = {"false", "no", "n", "0", "f", "no show", "no_show"}


def parse_bool(value: object, source: Source, name: str) -> bool | None:
    """True, false or unknown (empty) from JSON booleans or the words spreadsheets use.

    Parameters
    ----------
    value : object
        ``True``/``False``/``None`` or text such as ``yes``, ``no``, ``1``, ``0``, empty.
    source : Source
        Where it was read, for the error.
    name : str
        The field name, for the error.

    Returns
    -------
    bool or None

    Raises
    ------
    InputFileError
        If ``value`` is none of those.

    References
    ----------
    Mobilize, "Attendance object" (``attended``: bool), Mobilize API documentation,
    github.com/mobilizeamerica/api, 2018.

    Examples
    --------
    >>> [parse_bool(v, NOWHERE, "attended") for v in ("yes", "FALSE", "", True)]
    [True, False, None, True]
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise source.error(f"expected true or false, got {value!r}", name)


def clean_email(value: object, source: Source, name: str) -> str:
    """An email address, trimmed and lower-cased (empty allowed).

    Parameters
    ----------
    value : object
        The text read from the file.
    source : Source
        Where it was read, for the error.
    name : str
        The field name, for the error.

    Returns
    -------
    str

    Raises
    ------
    InputFileError
        If ``value`` is not text or has no ``@`` between two non-empty parts.

    References
    ----------
    J. Klensin, "Simple Mail Transfer Protocol", RFC 5321, IETF, 2008, section 4.1.2.

    Examples
    --------
    >>> clean_email(" Ana@Example.ORG ", NOWHERE, "email")
    'ana@example.org'
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise source.error(f"expected an email address, got {value!r}", name)
    text = value.strip().lower()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or " " in text or len(text) > 254:
        raise source.error(f"expected an email address, got {value!r}", name)
    return text


def clean_phone(value: object, source: Source, name: str) -> str:
    """A phone number reduced to its digits (a leading ``+`` kept) for matching.

    Parameters
    ----------
    value : object
        The text read from the file.
    source : Source
        Where it was read, for the error.
    name : str
        The field name, for the error.

    Returns
    -------
    str

    Raises
    ------
    InputFileError
        If ``value`` is not text or a whole number.

    References
    ----------
    ITU-T, "E.164: The international public telecommunication numbering plan", 2010.

    Examples
    --------
    >>> clean_phone("(612) 555-0100", NOWHERE, "phone")
    '6125550100'
    >>> clean_phone("+1 612 555 0100", NOWHERE, "phone")
    '+16125550100'
    """
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise source.error(f"expected a phone number, got {value!r}", name)
    text = value.strip()
    if not text:
        return ""
    digits = "".join(ch for ch in text if ch.isdigit())
    if text and not digits:
        raise source.error(f"expected a phone number, got {value!r}", name)
    return ("+" + digits if text.startswith("+") else digits)[:40]


POSTAL_CODE_MAX_LENGTH = 20


def normalize_postal_code(value: object, name: str = "postal_code") -> str:
    """A postal code trimmed, upper-cased, with inner whitespace collapsed to one space.

    Letters (of any script), digits, spaces and hyphens are allowed, at most
    ``POSTAL_CODE_MAX_LENGTH`` (20) characters after normalizing; empty means unknown.

    Parameters
    ----------
    value : object
        The text given (``None`` counts as empty).
    name : str
        The field name, for the error.

    Returns
    -------
    str

    Raises
    ------
    ValidationError
        If ``value`` is not text, is longer than 20 characters or holds another character;
        its ``parameter`` is ``name``.

    References
    ----------
    Universal Postal Union, "Postal addressing systems in member countries", upu.int
    (postcodes are letters, digits, spaces and hyphens, e.g. ``55407``, ``SW1A 1AA``,
    ``1010-001``).

    Examples
    --------
    >>> normalize_postal_code("  sw1a   1aa ")
    'SW1A 1AA'
    >>> normalize_postal_code("55407-1234")
    '55407-1234'
    >>> normalize_postal_code("554#07")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: postal_code may hold only letters, digits, spaces and hyphens, got '554#07'
    """
    if value is None:
        return ""
    result, problem = _postal_code(value)
    if problem:
        raise ValidationError(f"{name} {problem}", parameter=name)
    return result


def _postal_code(value: object) -> tuple[str, str]:
    """``(normalized, "")`` or ``("", what is wrong)`` for :func:`normalize_postal_code`."""
    if not isinstance(value, str):
        return "", f"expected text, got {type(value).__name__} {value!r}"
    result = " ".join(value.split()).upper()
    if len(result) > POSTAL_CODE_MAX_LENGTH:
        return "", f"is longer than {POSTAL_CODE_MAX_LENGTH} characters"
    if not all(ch.isalnum() or ch in " -" for ch in result):
        return "", f"may hold only letters, digits, spaces and hyphens, got {value!r}"
    return result, ""


def clean_postal_code(value: object, source: Source, name: str) -> str:
    """A postal code read from a file: :func:`normalize_postal_code`, errors naming the place.

    Parameters
    ----------
    value : object
        The text read from the file.
    source : Source
        Where it was read, for the error.
    name : str
        The field (column) name, for the error.

    Returns
    -------
    str

    Raises
    ------
    InputFileError
        If the value is not a postal code (see :func:`normalize_postal_code`).

    References
    ----------
    Universal Postal Union, "Postal addressing systems in member countries", upu.int.

    Examples
    --------
    >>> clean_postal_code(" 55407 ", NOWHERE, "zip_code")
    '55407'
    >>> clean_postal_code("55407;DROP", Source("p.csv", 3), "postal_code")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.InputFileError: p.csv, row 3, field 'postal_code': may hold only letters, digits, spaces and hyphens, got '55407;DROP'
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value.isdigit() and len(value) <= POSTAL_CODE_MAX_LENGTH:
        return value  # the common case: a plain numeric code, already normal
    result, problem = _postal_code(value)
    if problem:
        raise source.error(problem, name)
    return result


def text(value: object, source: Source, name: str, *, max_length: int = 200,
         required: bool = False) -> str:
    """A text field, trimmed; refuses other JSON types, over-long or (if required) empty text.

    Parameters
    ----------
    value : object
        The value read from the file.
    source : Source
        Where it was read, for the error.
    name : str
        The field name, for the error.
    max_length : int
        The longest text stored.
    required : bool
        Whether empty text is an error.

    Returns
    -------
    str

    Raises
    ------
    InputFileError
        On a wrong type, an empty required field or text over ``max_length``.

    References
    ----------
    T. Bray (ed.), "The JavaScript Object Notation (JSON) Data Interchange Format", RFC 8259,
    IETF, 2017 (strings versus other value types).

    Examples
    --------
    >>> text("  Ana ", NOWHERE, "given_name")
    'Ana'
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise source.error(f"expected text, got {type(value).__name__} {value!r}", name)
    result = value.strip()
    if required and not result:
        raise source.error("is required but empty", name)
    if len(result) > max_length:
        raise source.error(f"is longer than {max_length} characters", name)
    return result


def identifier_list(value: object, source: Source, name: str = "identifiers") -> tuple[str, ...]:
    """OSDI identifiers: a list of ``"system:id"`` strings (each must have a colon).

    Parameters
    ----------
    value : object
        A JSON list (or ``None``); in CSV, text with identifiers separated by ``|``.
    source : Source
        Where it was read, for the error.
    name : str
        The field name, for the error.

    Returns
    -------
    tuple of str

    Raises
    ------
    InputFileError
        If ``value`` is not a list of ``system:id`` strings.

    References
    ----------
    OSDI, "Identifiers", OSDI 1.2 specification, osdi.io, 2017.

    Examples
    --------
    >>> identifier_list(["action_network:1f2e", "van:77"], NOWHERE)
    ('action_network:1f2e', 'van:77')
    >>> identifier_list("mobilize:5|van:7", NOWHERE)
    ('mobilize:5', 'van:7')
    """
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        if "|" not in value:  # the common case: one identifier (same checks, no list)
            if not value.strip():
                return ()
            if ":" in value.strip(":") and len(value) <= 200:
                return (value.strip(),)
            raise source.error(f"expected \"system:id\", got {value!r}", name)
        value = [part for part in value.split("|") if part.strip()]
    if not isinstance(value, list):
        raise source.error(f"expected a list of \"system:id\" strings, got {value!r}", name)
    result = []
    for item in value:
        if not isinstance(item, str) or ":" not in item.strip(":") or len(item) > 200:
            raise source.error(f"expected \"system:id\", got {item!r}", name)
        result.append(item.strip())
    return tuple(dict.fromkeys(result))


def bare_id(identifier: str) -> str:
    """The id part of ``"system:id"`` (what a link's last path segment carries).

    Parameters
    ----------
    identifier : str
        ``"system:id"``.

    Returns
    -------
    str

    References
    ----------
    OSDI, "Identifiers", OSDI 1.2 specification, osdi.io, 2017.

    Examples
    --------
    >>> bare_id("action_network:d91b4b2e-ae0e-4cd3")
    'd91b4b2e-ae0e-4cd3'
    """
    return identifier.split(":", 1)[1] if ":" in identifier else identifier
