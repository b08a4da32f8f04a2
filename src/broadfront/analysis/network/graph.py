"""The power map: people and organizations joined by typed, dated, directed relationships.

A :class:`PowerMap` stores relationships column-wise in numpy arrays (source, target, type,
start, end, strength), so a map of millions of ties costs tens of megabytes and filters by
type or date are vectorized. Relationship types are free text; the usual ones are listed in
:data:`RELATIONSHIP_TYPES` and those that run both ways in :data:`SYMMETRIC_TYPES`.

The map follows LittleSis's model of power research (entities and typed relationships with
dates and sources) and the power-analysis worksheets used by organizers.

References
----------
LittleSis (Public Accountability Initiative). Relationship categories.
https://littlesis.org/help/relationships

Brandes, U. and Erlebach, T., eds. (2005). Network Analysis: Methodological Foundations.
Lecture Notes in Computer Science 3418, Springer. doi:10.1007/b106453.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from broadfront.exceptions import ValidationError

__all__ = [
    "RELATIONSHIP_TYPES",
    "SYMMETRIC_TYPES",
    "Actor",
    "PowerMap",
    "Relationship",
    "build_power_map",
    "filter_map",
]

RELATIONSHIP_TYPES: tuple[str, ...] = (
    "member_of", "leads", "funds", "employs", "endorses", "allied_with", "opposes", "family",
    "knows", "lobbies", "donates_to", "serves_on",
)
#: Types that hold both ways; :func:`build_power_map` reads them as two arcs for direction-aware measures.
SYMMETRIC_TYPES: frozenset[str] = frozenset({"allied_with", "family", "knows"})

_NO_START = np.iinfo(np.int32).min
_NO_END = np.iinfo(np.int32).max


@dataclass(frozen=True)
class Actor:
    """A person or an organization on the map."""

    id: str
    kind: str = "person"
    name: str = ""


@dataclass(frozen=True)
class Relationship:
    """``source`` -> ``target`` of ``type`` from ``start`` to ``end`` (None: open-ended).

    ``strength`` (> 0) weighs the tie: PageRank and eigenvector centrality use it as a weight,
    weighted paths take ``1 / strength`` as the cost of a step (strong ties are short).
    """

    source: str
    target: str
    type: str
    start: dt.date | None = None
    end: dt.date | None = None
    strength: float = 1.0


@dataclass(frozen=True, eq=False)
class PowerMap:
    """Actors and relationships in columnar form (build with :func:`build_power_map`).

    Attributes
    ----------
    actor_ids : tuple of str
        Actor ids; position = node index.
    kinds : tuple of str
        Kind of each actor ("person", "organization", ...).
    names : tuple of str
        Display name of each actor.
    sources, targets : ndarray of int32, shape (n_relationships,)
        Node indices of each relationship.
    types : ndarray of int16
        Index into ``type_names``.
    type_names : tuple of str
    starts, ends : ndarray of int32
        Proleptic Gregorian ordinals (open ends are the int32 extremes).
    strengths : ndarray of float64
    symmetric : ndarray of bool
        Whether each relationship holds both ways.
    """

    actor_ids: tuple[str, ...]
    kinds: tuple[str, ...]
    names: tuple[str, ...]
    sources: np.ndarray
    targets: np.ndarray
    types: np.ndarray
    type_names: tuple[str, ...]
    starts: np.ndarray
    ends: np.ndarray
    strengths: np.ndarray
    symmetric: np.ndarray

    @property
    def n_actors(self) -> int:
        """Number of actors."""
        return len(self.actor_ids)

    @property
    def n_relationships(self) -> int:
        """Number of relationships."""
        return int(self.sources.shape[0])

    def index_of(self, actor: str, parameter: str = "actor") -> int:
        """Node index of ``actor``; ValidationError naming ``parameter`` when unknown."""
        lookup = self._lookup()
        try:
            return lookup[actor]
        except KeyError:
            raise ValidationError(f"{parameter} {actor!r} is not on the map", parameter=parameter) from None

    def _lookup(self) -> dict[str, int]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = dict(zip(self.actor_ids, range(len(self.actor_ids)), strict=True))
            object.__setattr__(self, "_index", cached)
        return cached

    @classmethod
    def from_arrays(
        cls,
        actor_ids: Sequence[str],
        sources: np.ndarray,
        targets: np.ndarray,
        *,
        types: np.ndarray | None = None,
        type_names: Sequence[str] = ("knows",),
        kinds: Sequence[str] | None = None,
        names: Sequence[str] | None = None,
        starts: np.ndarray | None = None,
        ends: np.ndarray | None = None,
        strengths: np.ndarray | None = None,
    ) -> PowerMap:
        """Build a map from index arrays (the fast path for large maps; checks ranges).

        Examples
        --------
        >>> pm = PowerMap.from_arrays(["a", "b", "c"], np.array([0, 1]), np.array([1, 2]))
        >>> pm.n_actors, pm.n_relationships, pm.type_names
        (3, 2, ('knows',))
        """
        ids = tuple(str(a) for a in actor_ids)
        n = len(ids)
        index = dict(zip(ids, range(n), strict=True))  # checks uniqueness and serves index_of
        if len(index) != n:
            raise ValidationError("actor ids must be unique", parameter="actor_ids")
        src = np.asarray(sources, dtype=np.int32)
        dst = np.asarray(targets, dtype=np.int32)
        m = src.shape[0]
        if src.shape != dst.shape or src.ndim != 1:
            raise ValidationError("sources and targets must be 1-D arrays of equal length", parameter="targets")
        if m and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
            raise ValidationError(f"sources and targets must lie in 0..{n - 1}", parameter="sources")
        tnames = tuple(str(t) for t in type_names)
        tcodes = np.zeros(m, np.int16) if types is None else np.asarray(types, dtype=np.int16)
        if m and (tcodes.min() < 0 or tcodes.max() >= len(tnames)):
            raise ValidationError(f"types must index type_names (0..{len(tnames) - 1})", parameter="types")
        st = np.full(m, _NO_START, np.int32) if starts is None else np.asarray(starts, np.int32)
        en = np.full(m, _NO_END, np.int32) if ends is None else np.asarray(ends, np.int32)
        w = np.ones(m) if strengths is None else np.asarray(strengths, dtype=float)
        if m and (not np.all(np.isfinite(w)) or np.any(w <= 0)):
            raise ValidationError("strengths must be finite and > 0", parameter="strengths")
        sym_codes = np.array([t in SYMMETRIC_TYPES for t in tnames], dtype=bool)
        power_map = cls(
            actor_ids=ids,
            kinds=tuple(kinds) if kinds is not None else ("person",) * n,
            names=tuple(names) if names is not None else ids,
            sources=src,
            targets=dst,
            types=tcodes,
            type_names=tnames,
            starts=st,
            ends=en,
            strengths=w,
            symmetric=sym_codes[tcodes] if m else np.zeros(0, bool),
        )
        object.__setattr__(power_map, "_index", index)
        return power_map


def build_power_map(actors: Iterable[Actor], relationships: Iterable[Relationship]) -> PowerMap:
    """Build a :class:`PowerMap` from actors and relationships.

    Parameters
    ----------
    actors : iterable of Actor
        Unique ids.
    relationships : iterable of Relationship
        Endpoints must be actors; ``end`` not before ``start``; ``strength`` > 0.

    Returns
    -------
    PowerMap

    Raises
    ------
    ValidationError
        Naming the relationship (by position, from 1) and the bad field.

    References
    ----------
    LittleSis (Public Accountability Initiative). Relationship categories.
    https://littlesis.org/help/relationships

    Examples
    --------
    >>> pm = build_power_map(
    ...     [Actor("ana", "person"), Actor("union", "organization")],
    ...     [Relationship("ana", "union", "leads", start=dt.date(2020, 1, 1))])
    >>> pm.n_actors, pm.n_relationships, pm.type_names
    (2, 1, ('leads',))
    """
    actor_list = list(actors)
    ids = [a.id for a in actor_list]
    index: dict[str, int] = {}
    for i, a in enumerate(ids):
        if a in index:
            raise ValidationError(f"actor {a!r} appears twice", parameter="actors")
        index[a] = i
    src, dst, codes, st, en, w = [], [], [], [], [], []
    type_index: dict[str, int] = {}
    for k, r in enumerate(relationships, start=1):
        for end_name in ("source", "target"):
            if getattr(r, end_name) not in index:
                raise ValidationError(
                    f"relationship {k}: {end_name} {getattr(r, end_name)!r} is not an actor",
                    parameter=end_name,
                )
        if r.start is not None and r.end is not None and r.end < r.start:
            raise ValidationError(f"relationship {k}: end {r.end} is before start {r.start}", parameter="end")
        if not (isinstance(r.strength, int | float) and np.isfinite(r.strength) and r.strength > 0):
            raise ValidationError(f"relationship {k}: strength must be > 0, got {r.strength!r}", parameter="strength")
        src.append(index[r.source])
        dst.append(index[r.target])
        codes.append(type_index.setdefault(str(r.type), len(type_index)))
        st.append(_NO_START if r.start is None else r.start.toordinal())
        en.append(_NO_END if r.end is None else r.end.toordinal())
        w.append(float(r.strength))
    return PowerMap.from_arrays(
        ids,
        np.array(src, np.int32),
        np.array(dst, np.int32),
        types=np.array(codes, np.int16),
        type_names=tuple(type_index),
        kinds=[a.kind for a in actor_list],
        names=[a.name or a.id for a in actor_list],
        starts=np.array(st, np.int32),
        ends=np.array(en, np.int32),
        strengths=np.array(w),
    )


def filter_map(
    power_map: PowerMap,
    *,
    types: Iterable[str] | None = None,
    exclude_types: Iterable[str] | None = None,
    on: dt.date | None = None,
    between: tuple[dt.date, dt.date] | None = None,
) -> PowerMap:
    """Keep the relationships of some types and/or active at a date or during a span.

    A relationship is active on day :math:`d` when :math:`start \\le d \\le end` (open ends
    always qualify) and during :math:`[a, b]` when it overlaps it:
    :math:`start \\le b` and :math:`end \\ge a`. Actors are all kept.

    Parameters
    ----------
    power_map : PowerMap
    types : iterable of str, optional
        Keep only these types.
    exclude_types : iterable of str, optional
        Drop these types (for example ``{"opposes"}`` before looking for a path).
    on : datetime.date, optional
    between : (datetime.date, datetime.date), optional

    Returns
    -------
    PowerMap

    Raises
    ------
    ValidationError
        If both ``on`` and ``between`` are given or ``between`` is reversed.

    References
    ----------
    LittleSis (Public Accountability Initiative). Relationship categories.
    https://littlesis.org/help/relationships

    Examples
    --------
    >>> pm = build_power_map([Actor("a"), Actor("b"), Actor("c")], [
    ...     Relationship("a", "b", "employs", end=dt.date(2019, 12, 31)),
    ...     Relationship("b", "c", "funds", start=dt.date(2021, 1, 1))])
    >>> filter_map(pm, on=dt.date(2020, 6, 1)).n_relationships
    0
    >>> filter_map(pm, types={"funds"}).n_relationships
    1
    """
    keep = np.ones(power_map.n_relationships, dtype=bool)
    if types is not None:
        wanted = {str(t) for t in types}
        codes = [i for i, t in enumerate(power_map.type_names) if t in wanted]
        keep &= np.isin(power_map.types, codes)
    if exclude_types is not None:
        unwanted = {str(t) for t in exclude_types}
        codes = [i for i, t in enumerate(power_map.type_names) if t in unwanted]
        keep &= ~np.isin(power_map.types, codes)
    if on is not None and between is not None:
        raise ValidationError("give either on or between, not both", parameter="between")
    if on is not None:
        d = _ordinal(on, "on")
        keep &= (power_map.starts <= d) & (power_map.ends >= d)
    if between is not None:
        try:
            a, b = between
        except (TypeError, ValueError):
            raise ValidationError(f"between must be a pair of dates, got {between!r}", parameter="between") from None
        lo, hi = _ordinal(a, "between"), _ordinal(b, "between")
        if hi < lo:
            raise ValidationError(f"between ends ({b}) before it starts ({a})", parameter="between")
        keep &= (power_map.starts <= hi) & (power_map.ends >= lo)
    filtered = PowerMap(
        actor_ids=power_map.actor_ids,
        kinds=power_map.kinds,
        names=power_map.names,
        sources=power_map.sources[keep],
        targets=power_map.targets[keep],
        types=power_map.types[keep],
        type_names=power_map.type_names,
        starts=power_map.starts[keep],
        ends=power_map.ends[keep],
        strengths=power_map.strengths[keep],
        symmetric=power_map.symmetric[keep],
    )
    if "_index" in power_map.__dict__:  # same actors, same id -> index dict
        object.__setattr__(filtered, "_index", power_map.__dict__["_index"])
    return filtered


def _ordinal(value: object, parameter: str) -> int:
    if not isinstance(value, dt.date):
        raise ValidationError(f"{parameter} must be a date, got {value!r}", parameter=parameter)
    return value.toordinal()


def arcs(power_map: PowerMap, directed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Arcs (source, target, strength, relationship id): symmetric types (or all, undirected) both ways."""
    rel = np.arange(power_map.n_relationships, dtype=np.int64)
    if not directed:
        src = np.concatenate([power_map.sources, power_map.targets])
        dst = np.concatenate([power_map.targets, power_map.sources])
        return src, dst, np.concatenate([power_map.strengths, power_map.strengths]), np.concatenate([rel, rel])
    both = power_map.symmetric
    if not both.any():
        return power_map.sources, power_map.targets, power_map.strengths, rel
    src = np.concatenate([power_map.sources, power_map.targets[both]])
    dst = np.concatenate([power_map.targets, power_map.sources[both]])
    return src, dst, np.concatenate([power_map.strengths, power_map.strengths[both]]), np.concatenate([rel, rel[both]])


def pair_keys(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Arcs packed into one int64 each, ``src << 32 | dst`` (indices are int32, so this is exact)."""
    keys = src.astype(np.int64)
    keys <<= 32
    keys |= dst
    return keys


def unpack_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`pair_keys`."""
    return keys >> 32, keys & 0xFFFFFFFF


def simple_arcs(power_map: PowerMap, directed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arcs without self-loops, parallel arcs merged by summing strengths (for centralities).

    Directed: the arcs of :func:`arcs` (symmetric types both ways). Undirected: each
    unordered pair once (u < v) with the summed strength of all its relationships, each
    relationship counted once.
    """
    if directed:
        src, dst, w, _ = arcs(power_map, directed=True)
    else:
        src = np.minimum(power_map.sources, power_map.targets)
        dst = np.maximum(power_map.sources, power_map.targets)
        w = power_map.strengths
    keep = src != dst
    keys = pair_keys(src[keep], dst[keep])
    w = w[keep]
    if len(keys) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0)
    order = np.argsort(keys)
    keys, w = keys[order], w[order]
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    total = np.add.reduceat(w, starts)
    usrc, udst = unpack_keys(keys[starts])
    return usrc, udst, total
