"""Matching people across sources: identifiers first, then email, then phone.

Each source names people its own way. A person read from a file is the same as a stored one
when they share an identifier (``"system:id"``, or the bare id a link carries), otherwise an
email address, otherwise a phone number, in that order of trust (deterministic record
linkage on exact keys). A match merges: identifiers are united, empty fields are filled, and a
field where both sides hold different values keeps the stored value and is reported as a
conflict, so importing the same file twice changes nothing.

References
----------
I. P. Fellegi and A. B. Sunter, "A Theory for Record Linkage", Journal of the American
Statistical Association 64(328), 1969, pp. 1183-1210, doi:10.1080/01621459.1969.10501049
(exact-key, deterministic linkage is the special case used here).
OSDI Working Group, "Identifiers", Open Supporter Data Interface 1.2, osdi.io, 2017.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from broadfront.formats.records import PersonRecord, PersonRef, bare_id

AMBIGUOUS = -1


@dataclass(frozen=True)
class Match:
    """Which stored key a reference found, by which rule, and any disagreement on the way."""

    key: int | None
    via: str | None = None
    conflict: str = ""


class PersonIndex:
    """Keys of known people by identifier, bare id, email and phone (all exact).

    Examples
    --------
    >>> index = PersonIndex()
    >>> index.add(7, ("action_network:a1",), "ana@example.org", "")
    >>> index.find(PersonRef(email="ana@example.org"))
    Match(key=7, via='email', conflict='')
    >>> index.find(PersonRef(identifiers=("a1",))).key
    7
    """

    __slots__ = ("_bare", "_email", "_ids", "_phone")

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._bare: dict[str, int] = {}
        self._email: dict[str, int] = {}
        self._phone: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids) + len(self._email) + len(self._phone)

    def add(self, key: int, identifiers: tuple[str, ...] | list[str], email: str,
            phone: str) -> None:
        """Index ``key`` under its identifiers, bare ids, email and phone.

        A second key under the same bare id makes that bare id ambiguous (it then matches
        nothing); emails and phones keep their first key.

        Parameters
        ----------
        key : int
            The stored row's key.
        identifiers : sequence of str
            ``"system:id"`` strings.
        email, phone : str
            Normalized email and phone (may be empty).
        """
        for ident in identifiers:
            self._ids.setdefault(ident, key)
            bare = bare_id(ident)
            if self._bare.get(bare, key) != key:
                self._bare[bare] = AMBIGUOUS
            else:
                self._bare[bare] = key
        if email:
            self._email.setdefault(email, key)
        if phone:
            self._phone.setdefault(phone, key)

    def find(self, ref: PersonRef) -> Match:
        """The stored key ``ref`` points at, or ``Match(None)``.

        Parameters
        ----------
        ref : PersonRef

        Returns
        -------
        Match
            ``via`` is ``"identifier"``, ``"email"`` or ``"phone"``; ``conflict`` says when a
            weaker key points at a different person than the one chosen.
        """
        by_id: int | None = None
        for ident in ref.identifiers:
            key = self._ids.get(ident)
            if key is None:
                key = self._bare.get(ident if ":" not in ident else bare_id(ident))
                if key is None and ":" in ident:
                    key = None
            if key is not None and key != AMBIGUOUS:
                by_id = key
                break
        by_email = self._email.get(ref.email) if ref.email else None
        by_phone = self._phone.get(ref.phone) if ref.phone else None
        if by_id is not None:
            other = by_email if by_email is not None else by_phone
            conflict = ""
            if other is not None and other != by_id:
                conflict = "identifier and email/phone point at different people"
            return Match(by_id, "identifier", conflict)
        if by_email is not None:
            conflict = ""
            if by_phone is not None and by_phone != by_email:
                conflict = "email and phone point at different people"
            return Match(by_email, "email", conflict)
        if by_phone is not None:
            return Match(by_phone, "phone")
        return Match(None)


@dataclass(frozen=True)
class Merge:
    """The result of merging an incoming record into a stored one."""

    record: PersonRecord
    changed: bool
    conflicts: tuple[str, ...] = ()


def merge_person(stored: PersonRecord, incoming: PersonRecord) -> Merge:
    """Merge ``incoming`` into ``stored``: unite identifiers, fill empty fields.

    A field both hold with different values keeps the stored value and is named in
    ``conflicts``. Merging a record into itself changes nothing (idempotence).

    Parameters
    ----------
    stored : PersonRecord
        What is stored.
    incoming : PersonRecord
        What was read.

    Returns
    -------
    Merge

    References
    ----------
    I. P. Fellegi and A. B. Sunter, "A Theory for Record Linkage", JASA 64(328), 1969,
    doi:10.1080/01621459.1969.10501049.

    Examples
    --------
    >>> a = PersonRecord("Ana", "", "ana@example.org", identifiers=("van:1",))
    >>> b = PersonRecord("Anita", "Ortiz", "ana@example.org", identifiers=("mobilize:9",))
    >>> m = merge_person(a, b)
    >>> m.record.family_name, m.record.identifiers, m.conflicts
    ('Ortiz', ('van:1', 'mobilize:9'), ('given_name',))
    >>> merge_person(m.record, b).changed
    False
    """
    updates: dict[str, object] = {}
    conflicts = []
    for name in ("given_name", "family_name", "email", "phone", "postal_code"):
        old, new = getattr(stored, name), getattr(incoming, name)
        if new and not old:
            updates[name] = new
        elif new and old and new != old:
            conflicts.append(name)
    identifiers = tuple(dict.fromkeys(stored.identifiers + incoming.identifiers))
    if identifiers != stored.identifiers:
        updates["identifiers"] = identifiers
    if not updates:
        return Merge(stored, False, tuple(conflicts))
    return Merge(replace(stored, **updates), True, tuple(conflicts))  # type: ignore[arg-type]
