"""OSDI 1.2 (Open Supporter Data Interface) collections: read and write HAL+JSON pages.

Action Network, Action Builder and other progressive tools speak OSDI: a collection is a HAL
document whose ``_embedded`` object holds one page of resources (``osdi:people``,
``osdi:events``, ``osdi:attendance``, ``osdi:tags``, ``osdi:taggings``, ``osdi:lists``,
``osdi:items``, ``osdi:donations``) and whose ``_links.next.href`` points at the next page.

Readers stream: they hold one page (one file, or one HTTP response) in memory at a time and
yield :mod:`broadfront.formats.records` one by one. Every error is an
:class:`~broadfront.exceptions.InputFileError` naming the file and the JSON pointer of the
bad value (RFC 6901). Writers produce the same page files back, so an export re-imports.

References
----------
OSDI Working Group, "Open Supporter Data Interface 1.2", osdi.io, 2017 (resources, the
``OSDI-API-Token`` header, ``page``/``per_page`` pagination).
M. Kelly, "JSON Hypertext Application Language", IETF draft-kelly-json-hal-08, 2016.
P. Bryan, K. Zyp, M. Nottingham, "JavaScript Object Notation (JSON) Pointer", RFC 6901, 2013.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from broadfront.exceptions import InputFileError, ValidationError
from broadfront.formats.records import (
    ATTENDANCE_STATUSES,
    AttendanceRecord,
    DonationRecord,
    EventRecord,
    PersonRecord,
    PersonRef,
    Source,
    TaggingRecord,
    TagRecord,
    bare_id,
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

#: kind -> the ``_embedded`` key of its collection
EMBEDDED = {
    "people": "osdi:people",
    "events": "osdi:events",
    "attendance": "osdi:attendance",
    "tags": "osdi:tags",
    "taggings": "osdi:taggings",
    "lists": "osdi:lists",
    "items": "osdi:items",
    "donations": "osdi:donations",
}

EVENT_KINDS = ("meeting", "training", "canvass", "phonebank", "action", "hearing", "caucus",
               "convention")

Record = (PersonRecord | EventRecord | AttendanceRecord | TagRecord | TaggingRecord
          | DonationRecord)


def _check_kind(kind: str) -> str:
    if kind not in EMBEDDED:
        raise ValidationError(
            f"kind must be one of {', '.join(EMBEDDED)} for OSDI, got {kind!r}", parameter="kind"
        )
    return kind


# --- reading ----------------------------------------------------------------------------------

def read_osdi_files(path: str | os.PathLike[str], kind: str) -> Iterator[Record]:
    """Read an OSDI collection from page files, following ``_links.next`` in the same folder.

    The first page is ``path``; each page's ``_links.next.href`` (a relative or absolute URL)
    names the next page by its last path segment, which must be a file in the same folder.
    One page is held in memory at a time.

    Parameters
    ----------
    path : path-like
        The first page file (or a folder holding ``<kind>-1.json``).
    kind : str
        One of ``people``, ``events``, ``attendance``, ``tags``, ``taggings``, ``lists``,
        ``items``, ``donations``.

    Yields
    ------
    record
        :class:`PersonRecord`, :class:`EventRecord`, :class:`AttendanceRecord`,
        :class:`TagRecord`, :class:`TaggingRecord` or :class:`DonationRecord`.

    Raises
    ------
    InputFileError
        On unreadable or malformed JSON, a missing ``_embedded`` list, a bad field (named with
        its JSON pointer), a missing next page or a pagination loop.
    ValidationError
        If ``kind`` is unknown.

    References
    ----------
    OSDI Working Group, "Open Supporter Data Interface 1.2", osdi.io, 2017 (collections and
    pagination).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> page = {"_embedded": {"osdi:people": [{"given_name": "Ana",
    ...     "email_addresses": [{"address": "ana@example.org", "primary": True}]}]}}
    >>> _ = (folder / "people-1.json").write_text(json.dumps(page))
    >>> [p.email for p in read_osdi_files(folder / "people-1.json", "people")]
    ['ana@example.org']
    """
    _check_kind(kind)
    first = Path(path)
    if first.is_dir():
        first = first / f"{kind}-1.json"
    seen: set[Path] = set()
    current: Path | None = first
    while current is not None:
        if current in seen:
            raise InputFileError("pagination loops back to a page already read",
                                 file=str(current), row="/_links/next/href")
        seen.add(current)
        document = _load_json_file(current)
        yield from parse_osdi_page(document, kind, str(current))
        href = _next_href(document, str(current))
        if href is None:
            current = None
            continue
        name = urllib.parse.urlsplit(href).path.rsplit("/", 1)[-1]
        candidate = current.parent / name
        if not name or not candidate.is_file():
            raise InputFileError(
                f"the next page {href!r} is not a file in {current.parent}",
                file=str(current), row="/_links/next/href",
            )
        current = candidate


def read_osdi_endpoint(url: str, token: str, kind: str, *, per_page: int = 25,
                       opener: Callable[..., Any] | None = None,
                       timeout: float = 30.0) -> Iterator[Record]:
    """Read an OSDI collection from a live endpoint, one page per request.

    Sends ``GET url?page=N&per_page=M`` with the ``OSDI-API-Token`` header, follows
    ``_links.next.href`` when the server gives one and otherwise stops after ``total_pages``
    or at the first empty page.

    Parameters
    ----------
    url : str
        The collection URL, e.g. ``https://host/api/v2/people``.
    token : str
        The API key, sent as the ``OSDI-API-Token`` header.
    kind : str
        The resource kind (see :func:`read_osdi_files`).
    per_page : int
        Page size asked for (1 to 100).
    opener : callable, optional
        ``urllib.request.urlopen`` or a replacement (tests).
    timeout : float
        Seconds to wait for each response.

    Yields
    ------
    record
        One record per resource.

    Raises
    ------
    InputFileError
        On an HTTP error, a network failure or a malformed page (named by URL and pointer).
    ValidationError
        On a bad ``url``, ``kind`` or ``per_page``.

    References
    ----------
    OSDI Working Group, "Open Supporter Data Interface 1.2", osdi.io, 2017 ("Authentication":
    the ``OSDI-API-Token`` header; "Pagination").

    Examples
    --------
    >>> def fake(request, timeout):
    ...     import io, json
    ...     body = {"total_pages": 1, "_embedded": {"osdi:tags": [{"name": "volunteer"}]}}
    ...     return io.BytesIO(json.dumps(body).encode())
    >>> [t.name for t in read_osdi_endpoint("http://x/tags", "k", "tags", opener=fake)]
    ['volunteer']
    """
    _check_kind(kind)
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValidationError(f"url must be an http(s) URL, got {url!r}", parameter="url")
    if not 1 <= per_page <= 100:
        raise ValidationError(f"per_page must be between 1 and 100, got {per_page}",
                              parameter="per_page")
    open_url = opener or urllib.request.urlopen
    page = 1
    next_url: str | None = _with_query(url, page=page, per_page=per_page)
    seen: set[str] = set()
    while next_url is not None:
        if next_url in seen:
            raise InputFileError("pagination loops back to a page already read",
                                 file=next_url, row="/_links/next/href")
        seen.add(next_url)
        request = urllib.request.Request(
            next_url, headers={"OSDI-API-Token": token, "Accept": "application/hal+json"}
        )
        try:
            with open_url(request, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise InputFileError(f"the server answered HTTP {exc.code} {exc.reason}",
                                 file=next_url) from None
        except (urllib.error.URLError, OSError) as exc:
            raise InputFileError(f"could not reach the server: {exc}", file=next_url) from None
        document = _parse_json_bytes(raw, next_url)
        count = 0
        for record in parse_osdi_page(document, kind, next_url):
            count += 1
            yield record
        href = _next_href(document, next_url)
        total_pages = document.get("total_pages")
        if href is not None:
            next_url = urllib.parse.urljoin(next_url, href)
        elif count and (not isinstance(total_pages, int) or page < total_pages):
            page += 1
            next_url = _with_query(url, page=page, per_page=per_page)
        else:
            next_url = None
        if count == 0:
            next_url = None


def _with_query(url: str, **params: Any) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update({k: str(v) for k, v in params.items()})
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _load_json_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    return _parse_json_bytes(raw, str(path))


def _parse_json_bytes(raw: bytes, name: str) -> dict[str, Any]:
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"is not UTF-8 text (bad byte at offset {exc.start})",
                             file=name) from None
    try:
        document = json.loads(content)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"is not valid JSON: {exc.msg}",
                             file=name, row=f"line {exc.lineno} column {exc.colno}") from None
    if not isinstance(document, dict):
        raise InputFileError("expected a JSON object (an OSDI collection page)", file=name, row="")
    return document


def _next_href(document: dict[str, Any], name: str) -> str | None:
    links = document.get("_links")
    if links is None:
        return None
    if not isinstance(links, dict):
        raise InputFileError("expected an object", file=name, row="/_links")
    nxt = links.get("next")
    if nxt is None:
        return None
    href = nxt.get("href") if isinstance(nxt, dict) else None
    if not isinstance(href, str) or not href:
        raise InputFileError("expected a link with an href", file=name, row="/_links/next")
    return href


def parse_osdi_page(document: dict[str, Any], kind: str, name: str) -> Iterator[Record]:
    """The records of one OSDI collection page (a parsed HAL+JSON object).

    Parameters
    ----------
    document : dict
        The page.
    kind : str
        The resource kind.
    name : str
        The file or URL, for errors.

    Yields
    ------
    record

    Raises
    ------
    InputFileError
        If ``_embedded`` or its list is missing or a resource is malformed.

    References
    ----------
    OSDI Working Group, "Open Supporter Data Interface 1.2", osdi.io, 2017.

    Examples
    --------
    >>> page = {"_embedded": {"osdi:tags": [{"name": "volunteer", "identifiers": ["an:7"]}]}}
    >>> list(parse_osdi_page(page, "tags", "tags.json"))
    [TagRecord(name='volunteer', kind='tag', identifiers=('an:7',))]
    """
    key = EMBEDDED[_check_kind(kind)]
    embedded = document.get("_embedded")
    if not isinstance(embedded, dict):
        raise InputFileError("an OSDI collection page needs an _embedded object",
                             file=name, row="/_embedded")
    items = embedded.get(key)
    if items is None and kind == "attendance":
        items = embedded.get("osdi:attendances")
    if not isinstance(items, list):
        raise InputFileError(f"expected a list of resources under {key!r}",
                             file=name, row=f"/_embedded/{key}")
    for index, item in enumerate(items):
        source = Source(name, f"/_embedded/{key}/{index}")
        if not isinstance(item, dict):
            raise source.error(f"expected a resource object, got {type(item).__name__}")
        yield parse_osdi_resource(kind, item, source)


def parse_osdi_resource(kind: str, obj: dict[str, Any], source: Source) -> Record:
    """One OSDI resource (a JSON object) as a record.

    Parameters
    ----------
    kind : str
        The resource kind.
    obj : dict
        The resource.
    source : Source
        Its file and JSON pointer, for errors.

    Returns
    -------
    record

    Raises
    ------
    InputFileError
        On a missing or malformed field.

    References
    ----------
    OSDI Working Group, "Open Supporter Data Interface 1.2", osdi.io, 2017 (Person, Event,
    Attendance, Tag, Tagging, List, Item, Donation resources).

    Examples
    --------
    >>> r = parse_osdi_resource("attendance", {"status": "accepted", "attended": True,
    ...     "_links": {"osdi:event": {"href": "https://x/events/e1"},
    ...                "osdi:person": {"href": "https://x/people/p1"}}}, Source("a.json", "/0"))
    >>> r.event, r.person.identifiers, r.attended
    ('e1', ('p1',), True)
    """
    parser = _PARSERS[_check_kind(kind)]
    return parser(obj, source)


def _sub(source: Source, suffix: str) -> Source:
    return Source(source.file, f"{source.row}{suffix}")


def _primary(items: Any, key: str, source: Source, name: str) -> Any:
    if items is None:
        return None
    if not isinstance(items, list):
        raise source.error(f"expected a list, got {type(items).__name__}", name)
    chosen = None
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise source.error(f"expected an object, got {item!r}", f"{name}/{i}")
        if chosen is None or item.get("primary") is True:
            chosen = item.get(key)
            if item.get("primary") is True:
                break
    return chosen


def _person(obj: dict[str, Any], source: Source) -> PersonRecord:
    identifiers = identifier_list(obj.get("identifiers"), source)
    email = clean_email(_primary(obj.get("email_addresses"), "address", source,
                                 "email_addresses"), source, "email_addresses")
    phone = clean_phone(_primary(obj.get("phone_numbers"), "number", source, "phone_numbers"),
                        source, "phone_numbers")
    postal = clean_postal_code(_primary(obj.get("postal_addresses"), "postal_code", source,
                                        "postal_addresses"), source, "postal_addresses")
    given = text(obj.get("given_name"), source, "given_name", max_length=100)
    family = text(obj.get("family_name"), source, "family_name", max_length=100)
    if not (given or family or email or identifiers):
        raise source.error("a person needs a name, an email address or an identifier",
                           "given_name")
    return PersonRecord(given_name=given or (email.split("@")[0] if email else ""),
                        family_name=family, email=email, phone=phone, postal_code=postal,
                        identifiers=identifiers, source=source)


def _link_id(obj: dict[str, Any], rel: str, source: Source) -> str:
    links = obj.get("_links")
    if links is None:
        return ""
    if not isinstance(links, dict):
        raise source.error("expected an object", "_links")
    link = links.get(rel)
    if link is None:
        return ""
    href = link.get("href") if isinstance(link, dict) else None
    if not isinstance(href, str) or not href.strip("/"):
        raise source.error("expected a link with an href", f"_links/{rel}")
    return urllib.parse.urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1]


def _person_ref(obj: dict[str, Any], source: Source, field: str,
                link_rel: str, bare_field: str | None = None) -> tuple[PersonRef, PersonRecord | None]:
    embedded = obj.get(field)
    if embedded is None and isinstance(obj.get("_embedded"), dict):
        embedded = obj["_embedded"].get(link_rel)
    if isinstance(embedded, str):
        value = embedded.strip()
        if "@" in value:
            return PersonRef(email=clean_email(value, source, field)), None
        return PersonRef(identifiers=(value,)), None
    if isinstance(embedded, dict):
        person = _person(embedded, _sub(source, f"/{field}"))
        return person.ref, person
    if embedded is not None:
        raise source.error(f"expected a person object, got {embedded!r}", field)
    ident = _link_id(obj, link_rel, source)
    if not ident and bare_field:
        ident = text(obj.get(bare_field), source, bare_field)
    return PersonRef(identifiers=(ident,) if ident else ()), None


def _event(obj: dict[str, Any], source: Source) -> EventRecord:
    name = text(obj.get("title") or obj.get("name"), source, "title", required=True)
    kind = obj.get("broadfront:kind", "meeting")
    if kind not in EVENT_KINDS:
        raise source.error(f"expected one of {', '.join(EVENT_KINDS)}, got {kind!r}",
                           "broadfront:kind")
    start = parse_datetime(obj.get("start_date"), source, "start_date")
    end = None
    if obj.get("end_date") not in (None, ""):
        end = parse_datetime(obj["end_date"], source, "end_date")
        if end < start:
            raise source.error("ends before it starts", "end_date")
    return EventRecord(name=name, starts_at=start, ends_at=end, kind=kind,
                       identifiers=identifier_list(obj.get("identifiers"), source),
                       source=source)


def _attendance(obj: dict[str, Any], source: Source) -> AttendanceRecord:
    status = obj.get("status", "accepted")
    if status not in ATTENDANCE_STATUSES:
        raise source.error(f"expected one of {', '.join(ATTENDANCE_STATUSES)}, got {status!r}",
                           "status")
    event = obj.get("broadfront:event")
    if event is None:
        event = _link_id(obj, "osdi:event", source) or obj.get("action_network:event_id", "")
    event = text(event, source, "_links/osdi:event")
    if not event:
        raise source.error("an attendance needs its event (_links osdi:event)",
                           "_links/osdi:event")
    person, record = _person_ref(obj, source, "person", "osdi:person",
                                 "action_network:person_id")
    if not person:
        raise source.error("an attendance needs its person (_links osdi:person or person)",
                           "_links/osdi:person")
    invited: PersonRef | None = None
    if obj.get("invited_by") is not None or isinstance(
        (obj.get("_links") or {}).get("osdi:invited_by"), dict
    ):
        invited, _ = _person_ref(obj, source, "invited_by", "osdi:invited_by")
    return AttendanceRecord(
        event=event, person=person, status=status,
        attended=parse_bool(obj.get("attended"), source, "attended"),
        invited_by=invited or None, identifiers=identifier_list(obj.get("identifiers"), source),
        person_record=record, source=source,
    )


def _tag(kind: str) -> Callable[[dict[str, Any], Source], TagRecord]:
    def parse(obj: dict[str, Any], source: Source) -> TagRecord:
        name = text(obj.get("name") or obj.get("title"), source, "name", required=True)
        return TagRecord(name=name, kind=kind,
                         identifiers=identifier_list(obj.get("identifiers"), source),
                         source=source)
    return parse


def _tagging(kind: str) -> Callable[[dict[str, Any], Source], TaggingRecord]:
    rel = "osdi:tag" if kind == "tag" else "osdi:list"

    def parse(obj: dict[str, Any], source: Source) -> TaggingRecord:
        tag = obj.get(f"broadfront:{kind}") or _link_id(obj, rel, source)
        tag = text(tag, source, f"_links/{rel}")
        if not tag:
            raise source.error(f"needs its {kind} (_links {rel})", f"_links/{rel}")
        person, _ = _person_ref(obj, source, "person", "osdi:person")
        if not person:
            raise source.error("needs its person (_links osdi:person)", "_links/osdi:person")
        return TaggingRecord(tag=tag, person=person, kind=kind, source=source)
    return parse


def _donation(obj: dict[str, Any], source: Source) -> DonationRecord:
    person, _ = _person_ref(obj, source, "person", "osdi:person")
    if not person:
        person, _ = _person_ref(obj, source, "donor", "osdi:donor")
    if not person:
        raise source.error("a donation needs its donor (_links osdi:person)",
                           "_links/osdi:person")
    amount = parse_decimal(obj.get("amount"), source, "amount")
    if amount < 0:
        raise source.error(f"must not be negative, got {obj.get('amount')!r}", "amount")
    currency = text(obj.get("currency") or "USD", source, "currency", max_length=3).upper()
    created = None
    if obj.get("created_date") not in (None, ""):
        created = parse_date(obj["created_date"], source, "created_date")
    return DonationRecord(person=person, amount=amount, currency=currency,
                          created_date=created,
                          identifiers=identifier_list(obj.get("identifiers"), source),
                          source=source)


_PARSERS: dict[str, Callable[[dict[str, Any], Source], Any]] = {
    "people": _person,
    "events": _event,
    "attendance": _attendance,
    "tags": _tag("tag"),
    "lists": _tag("list"),
    "taggings": _tagging("tag"),
    "items": _tagging("list"),
    "donations": _donation,
}


# --- writing ----------------------------------------------------------------------------------

def osdi_resource(record: Record) -> dict[str, Any]:
    """A record as an OSDI resource (a JSON-ready dict).

    Parameters
    ----------
    record : record
        Any record of :mod:`broadfront.formats.records`.

    Returns
    -------
    dict

    References
    ----------
    OSDI Working Group, "Open Supporter Data Interface 1.2", osdi.io, 2017.

    Examples
    --------
    >>> osdi_resource(PersonRecord("Ana", "Ortiz", email="ana@example.org",
    ...                            identifiers=("broadfront:1",)))["email_addresses"]
    [{'address': 'ana@example.org', 'primary': True}]
    """
    if isinstance(record, PersonRecord):
        out: dict[str, Any] = {"identifiers": list(record.identifiers),
                               "given_name": record.given_name,
                               "family_name": record.family_name}
        if record.email:
            out["email_addresses"] = [{"address": record.email, "primary": True}]
        if record.phone:
            out["phone_numbers"] = [{"number": record.phone, "primary": True}]
        if record.postal_code:
            out["postal_addresses"] = [{"postal_code": record.postal_code, "primary": True}]
        return out
    if isinstance(record, EventRecord):
        out = {"identifiers": list(record.identifiers), "title": record.name,
               "start_date": record.starts_at.isoformat(), "broadfront:kind": record.kind}
        if record.ends_at is not None:
            out["end_date"] = record.ends_at.isoformat()
        return out
    if isinstance(record, AttendanceRecord):
        out = {"identifiers": list(record.identifiers), "status": record.status,
               "broadfront:event": record.event, "person": _ref_out(record.person),
               "_links": {"osdi:event": {"href": f"events/{bare_id(record.event)}"}}}
        if record.attended is not None:
            out["attended"] = record.attended
        if record.invited_by:
            out["invited_by"] = _ref_out(record.invited_by)
        return out
    if isinstance(record, TagRecord):
        return {"identifiers": list(record.identifiers), "name": record.name}
    if isinstance(record, TaggingRecord):
        rel = "osdi:tag" if record.kind == "tag" else "osdi:list"
        return {f"broadfront:{record.kind}": record.tag, "person": _ref_out(record.person),
                "_links": {rel: {"href": f"{record.kind}s/{bare_id(record.tag)}"}}}
    if isinstance(record, DonationRecord):
        out = {"identifiers": list(record.identifiers), "amount": str(record.amount),
               "currency": record.currency, "person": _ref_out(record.person)}
        if record.created_date is not None:
            out["created_date"] = record.created_date.isoformat()
        return out
    raise ValidationError(f"cannot write {type(record).__name__} as OSDI", parameter="record")


def _ref_out(ref: PersonRef) -> dict[str, Any]:
    out: dict[str, Any] = {"identifiers": list(ref.identifiers)}
    if ref.email:
        out["email_addresses"] = [{"address": ref.email, "primary": True}]
    if ref.phone:
        out["phone_numbers"] = [{"number": ref.phone, "primary": True}]
    return out


def write_osdi_files(records: Iterable[Record], folder: str | os.PathLike[str], kind: str, *,
                     per_page: int = 1000) -> list[Path]:
    """Write records as OSDI collection pages ``<kind>-1.json``, ``<kind>-2.json``, ...

    Each page links to the next with ``_links.next.href``, so :func:`read_osdi_files` reads
    the whole collection back from the first page. One page is held in memory at a time.

    Parameters
    ----------
    records : iterable of record
        What to write (all of ``kind``).
    folder : path-like
        The folder (created if missing).
    kind : str
        The resource kind.
    per_page : int
        Resources per page file.

    Returns
    -------
    list of pathlib.Path
        The page files, in order (one empty page when there are no records).

    Raises
    ------
    ValidationError
        On an unknown ``kind`` or ``per_page`` below 1.

    References
    ----------
    OSDI Working Group, "Open Supporter Data Interface 1.2", osdi.io, 2017 (collections).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> tags = [TagRecord("volunteer"), TagRecord("donor"), TagRecord("leader")]
    >>> [p.name for p in write_osdi_files(tags, folder, "tags", per_page=2)]
    ['tags-1.json', 'tags-2.json']
    >>> [t.name for t in read_osdi_files(folder, "tags")]
    ['volunteer', 'donor', 'leader']
    """
    key = EMBEDDED[_check_kind(kind)]
    if per_page < 1:
        raise ValidationError(f"per_page must be at least 1, got {per_page}",
                              parameter="per_page")
    out_dir = Path(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    iterator = iter(records)
    page: list[dict[str, Any]] = []
    number = 1
    pending = next(iterator, None)
    while True:
        while pending is not None and len(page) < per_page:
            page.append(osdi_resource(pending))
            pending = next(iterator, None)
        path = out_dir / f"{kind}-{number}.json"
        document: dict[str, Any] = {
            "page": number, "per_page": per_page,
            "_links": {"self": {"href": path.name}},
            "_embedded": {key: page},
        }
        if pending is not None:
            document["_links"]["next"] = {"href": f"{kind}-{number + 1}.json"}
        with path.open("w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False)
        written.append(path)
        if pending is None:
            return written
        page = []
        number += 1
