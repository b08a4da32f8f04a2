"""Popolo JSON: people, organizations, memberships, posts, areas, motions and vote events.

A Popolo document is one JSON object with the lists ``persons``, ``organizations``,
``memberships``, ``posts``, ``areas``, ``motions`` and ``vote_events`` (each vote event with
its ``counts`` and ``votes``). Ids are Open Civic Data ids where the publisher has them
(``ocd-person/...``, ``ocd-organization/...``, ``ocd-division/country:us/state:mn``).
A Popolo document describes one body or legislature, so it is read whole (unlike the
streamed OSDI and CSV readers); every reference is checked and every error names the JSON
pointer of the bad value.

References
----------
J. McKinney et al., "Popolo Project: International Open Government Data Specifications",
popoloproject.com, 2014-2017 (Person, Organization, Membership, Post, Area, Motion,
VoteEvent, Count, Vote).
Open Civic Data, "OCDEP 2: Open Civic Data Divisions" and "OCDEP 5: People, Organizations,
Posts, and Memberships", opencivicdata.readthedocs.io, 2014.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadfront.exceptions import InputFileError
from broadfront.formats.osdi import _parse_json_bytes
from broadfront.formats.records import Source, clean_email, parse_date, text

VOTE_OPTIONS = {"yes": "yes", "no": "no", "abstain": "abstain", "absent": "absent",
                "not voting": "absent", "paired": "absent", "excused": "absent"}


@dataclass(frozen=True)
class PopoloPerson:
    id: str
    name: str
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    role: str = ""


@dataclass(frozen=True)
class PopoloOrganization:
    id: str
    name: str
    classification: str = ""
    area_id: str | None = None


@dataclass(frozen=True)
class PopoloArea:
    id: str
    name: str
    classification: str = ""
    parent_id: str | None = None


@dataclass(frozen=True)
class PopoloPost:
    id: str
    label: str
    organization_id: str
    area_id: str | None = None


@dataclass(frozen=True)
class PopoloMembership:
    person_id: str
    organization_id: str
    post_id: str | None = None
    role: str = ""
    start_date: str | None = None
    end_date: str | None = None


@dataclass(frozen=True)
class PopoloVote:
    voter_id: str
    option: str


@dataclass(frozen=True)
class PopoloVoteEvent:
    """A motion put to a vote, merged with its vote event: the result and each vote."""

    id: str
    organization_id: str
    title: str
    date: str
    result: str = ""
    counts: tuple[tuple[str, int], ...] = ()
    votes: tuple[PopoloVote, ...] = ()


@dataclass(frozen=True)
class PopoloDocument:
    """A whole Popolo document, checked: every reference points at an object it holds."""

    persons: tuple[PopoloPerson, ...] = ()
    organizations: tuple[PopoloOrganization, ...] = ()
    areas: tuple[PopoloArea, ...] = ()
    posts: tuple[PopoloPost, ...] = ()
    memberships: tuple[PopoloMembership, ...] = ()
    vote_events: tuple[PopoloVoteEvent, ...] = ()


def read_popolo(path: str | os.PathLike[str]) -> PopoloDocument:
    """Read and check a Popolo JSON document.

    Parameters
    ----------
    path : path-like
        The JSON file.

    Returns
    -------
    PopoloDocument

    Raises
    ------
    InputFileError
        On non-UTF-8 or malformed JSON, a missing id or name, a duplicated id, a reference to
        an id the document does not hold, a bad date or an unknown vote option (each named by
        its JSON pointer).

    References
    ----------
    J. McKinney et al., "Popolo Project", popoloproject.com, 2014-2017.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "council.json"
    >>> _ = f.write_text(json.dumps({
    ...   "persons": [{"id": "ocd-person/1", "name": "Ada Ames"}],
    ...   "organizations": [{"id": "ocd-organization/c", "name": "Council",
    ...                      "classification": "council"}],
    ...   "motions": [{"id": "m1", "organization_id": "ocd-organization/c",
    ...                "text": "Adopt the budget", "date": "2026-01-05"}],
    ...   "vote_events": [{"id": "v1", "motion_id": "m1", "result": "pass",
    ...                    "votes": [{"voter_id": "ocd-person/1", "option": "yes"}]}]}))
    >>> doc = read_popolo(f)
    >>> doc.vote_events[0].votes
    (PopoloVote(voter_id='ocd-person/1', option='yes'),)
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    return parse_popolo(_parse_json_bytes(raw, name), name)


def _items(doc: dict[str, Any], key: str, name: str) -> list[tuple[Source, dict[str, Any]]]:
    items = doc.get(key, [])
    if not isinstance(items, list):
        raise InputFileError("expected a list", file=name, row=f"/{key}")
    out = []
    for i, item in enumerate(items):
        source = Source(name, f"/{key}/{i}")
        if not isinstance(item, dict):
            raise source.error(f"expected an object, got {type(item).__name__}")
        out.append((source, item))
    return out


def _ids(entries: list[tuple[Source, dict[str, Any]]], what: str) -> dict[str, Source]:
    seen: dict[str, Source] = {}
    for source, item in entries:
        ident = text(item.get("id"), source, "id", required=True, max_length=250)
        if ident in seen:
            raise source.error(f"the {what} id {ident!r} appears twice (first at "
                               f"{seen[ident].row})", "id")
        seen[ident] = source
    return seen


def _ref(item: dict[str, Any], key: str, known: dict[str, Source], source: Source,
         required: bool = True) -> str | None:
    value = item.get(key)
    if value in (None, "") and not required:
        return None
    ident = text(value, source, key, required=True, max_length=250)
    if ident not in known:
        raise source.error(f"refers to {ident!r}, which the document does not hold", key)
    return ident


def _iso(value: Any, source: Source, key: str) -> str | None:
    if value in (None, ""):
        return None
    return parse_date(value, source, key).isoformat()


def parse_popolo(doc: dict[str, Any], name: str = "<popolo>") -> PopoloDocument:
    """Check a parsed Popolo document and return its typed form.

    Parameters
    ----------
    doc : dict
        The parsed JSON object.
    name : str
        The file name, for errors.

    Returns
    -------
    PopoloDocument

    Raises
    ------
    InputFileError
        As :func:`read_popolo`.

    References
    ----------
    J. McKinney et al., "Popolo Project", popoloproject.com, 2014-2017.

    Examples
    --------
    >>> parse_popolo({"persons": [{"id": "p", "name": "A"}, {"id": "p", "name": "B"}]})
    Traceback (most recent call last):
    ...
    broadfront.exceptions.InputFileError: <popolo>, row /persons/1, field 'id': the person id 'p' appears twice (first at /persons/0)
    """
    persons_in = _items(doc, "persons", name)
    orgs_in = _items(doc, "organizations", name)
    areas_in = _items(doc, "areas", name)
    posts_in = _items(doc, "posts", name)
    members_in = _items(doc, "memberships", name)
    motions_in = _items(doc, "motions", name)
    events_in = _items(doc, "vote_events", name)
    person_ids = _ids(persons_in, "person")
    org_ids = _ids(orgs_in, "organization")
    area_ids = _ids(areas_in, "area")
    post_ids = _ids(posts_in, "post")
    motion_ids = _ids(motions_in, "motion")
    _ids(events_in, "vote event")

    persons = []
    for source, item in persons_in:
        full = text(item.get("name"), source, "name", max_length=200)
        given = text(item.get("given_name"), source, "given_name", max_length=100)
        family = text(item.get("family_name"), source, "family_name", max_length=100)
        if not (full or given or family):
            raise source.error("a person needs a name", "name")
        persons.append(PopoloPerson(
            id=item["id"], name=full or f"{given} {family}".strip(), given_name=given,
            family_name=family, email=clean_email(item.get("email"), source, "email"),
            role=text(item.get("role") or item.get("summary"), source, "role"),
        ))
    organizations = [
        PopoloOrganization(
            id=item["id"], name=text(item.get("name"), source, "name", required=True),
            classification=text(item.get("classification"), source, "classification"),
            area_id=_ref(item, "area_id", area_ids, source, required=False),
        ) for source, item in orgs_in
    ]
    areas = [
        PopoloArea(
            id=item["id"], name=text(item.get("name"), source, "name", required=True),
            classification=text(item.get("classification"), source, "classification"),
            parent_id=_ref(item, "parent_id", area_ids, source, required=False),
        ) for source, item in areas_in
    ]
    posts = [
        PopoloPost(
            id=item["id"], label=text(item.get("label"), source, "label", required=True,
                                      max_length=100),
            organization_id=_ref(item, "organization_id", org_ids, source) or "",
            area_id=_ref(item, "area_id", area_ids, source, required=False),
        ) for source, item in posts_in
    ]
    memberships = []
    for source, item in members_in:
        start, end = _iso(item.get("start_date"), source, "start_date"), _iso(
            item.get("end_date"), source, "end_date")
        if start and end and end < start:
            raise source.error("ends before it starts", "end_date")
        post_id = _ref(item, "post_id", post_ids, source, required=False)
        org_id = _ref(item, "organization_id", org_ids, source, required=post_id is None)
        if org_id is None and post_id is not None:
            org_id = next(p.organization_id for p in posts if p.id == post_id)
        memberships.append(PopoloMembership(
            person_id=_ref(item, "person_id", person_ids, source) or "",
            organization_id=org_id or "", post_id=post_id,
            role=text(item.get("role") or item.get("label"), source, "role", max_length=100),
            start_date=start, end_date=end,
        ))

    motions = {item["id"]: (source, item) for source, item in motions_in}
    used_motions: set[str] = set()
    vote_events = []
    for source, item in events_in:
        motion_id = _ref(item, "motion_id", motion_ids, source, required=False)
        motion_source, motion = motions.get(motion_id, (source, {})) if motion_id else (source,
                                                                                        {})
        if motion_id:
            used_motions.add(motion_id)
        org_id = item.get("organization_id") or motion.get("organization_id")
        if org_id is None:
            raise source.error("a vote event needs its organization (or its motion's)",
                               "organization_id")
        org = _ref({"organization_id": org_id}, "organization_id", org_ids, source) or ""
        date = (_iso(item.get("start_date"), source, "start_date")
                or _iso(motion.get("date"), motion_source, "date"))
        if date is None:
            raise source.error("a vote event needs a start_date (or its motion a date)",
                               "start_date")
        title = text(motion.get("text") or item.get("title") or item.get("identifier")
                     or motion_id or item["id"], source, "text", max_length=300)
        result = text(item.get("result") or motion.get("result"), source, "result",
                      max_length=20)
        counts = []
        for i, count in enumerate(item.get("counts") or []):
            where = Source(name, f"{source.row}/counts/{i}")
            if not isinstance(count, dict) or not isinstance(count.get("value"), int) or \
                    isinstance(count.get("value"), bool) or count["value"] < 0:
                raise where.error("expected {option, value} with a whole number", "value")
            counts.append((text(count.get("option"), where, "option", required=True),
                           count["value"]))
        votes = []
        voters: set[str] = set()
        raw_votes = item.get("votes") or []
        if not isinstance(raw_votes, list):
            raise source.error("expected a list", "votes")
        for i, vote in enumerate(raw_votes):
            where = Source(name, f"{source.row}/votes/{i}")
            if not isinstance(vote, dict):
                raise where.error("expected an object")
            voter = _ref(vote, "voter_id", person_ids, where) or ""
            if voter in voters:
                raise where.error(f"{voter!r} votes twice in this vote event", "voter_id")
            voters.add(voter)
            option = text(vote.get("option"), where, "option", required=True).lower()
            if option not in VOTE_OPTIONS:
                raise where.error(f"expected one of {', '.join(VOTE_OPTIONS)}, got "
                                  f"{vote.get('option')!r}", "option")
            votes.append(PopoloVote(voter, VOTE_OPTIONS[option]))
        ident = text(item.get("identifier") or motion.get("identifier") or motion_id
                     or item["id"], source, "identifier", max_length=100)
        vote_events.append(PopoloVoteEvent(id=ident, organization_id=org, title=title,
                                           date=date, result=result, counts=tuple(counts),
                                           votes=tuple(votes)))
    for motion_id, (source, motion) in motions.items():
        if motion_id in used_motions:
            continue
        org = _ref(motion, "organization_id", org_ids, source) or ""
        date = _iso(motion.get("date"), source, "date")
        if date is None:
            raise source.error("a motion without a vote event needs a date", "date")
        vote_events.append(PopoloVoteEvent(
            id=text(motion.get("identifier") or motion_id, source, "identifier", max_length=100),
            organization_id=org,
            title=text(motion.get("text") or motion_id, source, "text", max_length=300),
            date=date, result=text(motion.get("result"), source, "result", max_length=20)))
    return PopoloDocument(tuple(persons), tuple(organizations), tuple(areas), tuple(posts),
                          tuple(memberships), tuple(vote_events))


def popolo_json(document: PopoloDocument) -> dict[str, Any]:
    """A :class:`PopoloDocument` as Popolo JSON (motions and vote events written as pairs).

    Parameters
    ----------
    document : PopoloDocument

    Returns
    -------
    dict
        JSON-ready; ``parse_popolo(popolo_json(d)) == d`` for a checked document ``d``.

    References
    ----------
    J. McKinney et al., "Popolo Project", popoloproject.com, 2014-2017.

    Examples
    --------
    >>> doc = PopoloDocument(persons=(PopoloPerson("ocd-person/1", "Ada Ames"),))
    >>> popolo_json(doc)["persons"]
    [{'id': 'ocd-person/1', 'name': 'Ada Ames'}]
    """
    def drop_empty(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v not in (None, "", [], ())}

    out: dict[str, Any] = {
        "persons": [drop_empty({"id": p.id, "name": p.name, "given_name": p.given_name,
                                "family_name": p.family_name, "email": p.email,
                                "role": p.role}) for p in document.persons],
        "organizations": [drop_empty({"id": o.id, "name": o.name,
                                      "classification": o.classification,
                                      "area_id": o.area_id}) for o in document.organizations],
        "areas": [drop_empty({"id": a.id, "name": a.name, "classification": a.classification,
                              "parent_id": a.parent_id}) for a in document.areas],
        "posts": [drop_empty({"id": p.id, "label": p.label, "organization_id": p.organization_id,
                              "area_id": p.area_id}) for p in document.posts],
        "memberships": [drop_empty({"person_id": m.person_id,
                                    "organization_id": m.organization_id, "post_id": m.post_id,
                                    "role": m.role, "start_date": m.start_date,
                                    "end_date": m.end_date}) for m in document.memberships],
        "motions": [], "vote_events": [],
    }
    for v in document.vote_events:
        out["motions"].append(drop_empty({"id": v.id, "identifier": v.id,
                                          "organization_id": v.organization_id,
                                          "text": v.title, "date": v.date, "result": v.result}))
        out["vote_events"].append(drop_empty({
            "id": f"vote-event:{v.id}", "motion_id": v.id, "identifier": v.id,
            "organization_id": v.organization_id, "start_date": v.date, "result": v.result,
            "counts": [{"option": o, "value": n} for o, n in v.counts],
            "votes": [{"voter_id": x.voter_id, "option": x.option} for x in v.votes],
        }))
    return out


def write_popolo(document: PopoloDocument, path: str | os.PathLike[str]) -> Path:
    """Write a Popolo JSON document to ``path`` (UTF-8, indented).

    Parameters
    ----------
    document : PopoloDocument
    path : path-like

    Returns
    -------
    pathlib.Path

    References
    ----------
    J. McKinney et al., "Popolo Project", popoloproject.com, 2014-2017.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "out.json"
    >>> doc = PopoloDocument(persons=(PopoloPerson("ocd-person/1", "Ada Ames"),))
    >>> read_popolo(write_popolo(doc, f)) == doc
    True
    """
    target = Path(path)
    with target.open("w", encoding="utf-8") as handle:
        json.dump(popolo_json(document), handle, ensure_ascii=False, indent=1)
    return target
