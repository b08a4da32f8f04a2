"""The power map as the user may see it: graph JSON, the export, and one actor's place on it.

The map holds only relationships from ``Relationship.objects.visible_to(user)`` (recorded at
our coalition tables, never about a partner's private people), so no path, centrality or
broker figure can reveal a private person of another organization. Analyses run on
:mod:`broadfront.analysis.network` (paths follow ties in either direction; centrality is
computed on the undirected map, as an introduction works both ways).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from broadfront.analysis.network import (
    Actor,
    Centrality,
    Path,
    PowerMap,
    brokers,
    build_power_map,
    centrality,
    filter_map,
    shortest_paths,
)
from broadfront.analysis.network import Relationship as Tie
from broadfront.web.common.tenancy import own_org_ids
from broadfront.web.landscape.models import Relationship
from broadfront.web.landscape.queries import (
    actor_key,
    actor_positions,
    influence_of,
    is_opponent,
    relationships,
)
from broadfront.web.organizations.models import Organization, Person


@dataclass(frozen=True)
class MapFilter:
    """Which ties to draw: some types only, and ties active on a day or during a span."""

    types: tuple[str, ...] = ()
    on: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def apply(self, qs: Any) -> Any:
        from django.db.models import Q

        if self.types:
            qs = qs.filter(kind__in=self.types)
        if self.on is not None:
            qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=self.on),
                           Q(end_date__isnull=True) | Q(end_date__gte=self.on))
        if self.start is not None:  # overlaps [start, end]: ends on or after start
            qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start))
        if self.end is not None:
            qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=self.end))
        return qs

    def query(self) -> str:
        parts = [f"type={t}" for t in self.types]
        parts += [f"{k}={v.isoformat()}" for k, v in
                  (("on", self.on), ("start", self.start), ("end", self.end)) if v is not None]
        return "&".join(parts)


def parse_filter(types: list[str], on: str | None = None, start: str | None = None,
                 end: str | None = None) -> MapFilter:
    """A :class:`MapFilter` from request parameters; errors name the parameter."""
    from broadfront.exceptions import ValidationError

    known = set(Relationship.Kind.values)
    chosen = tuple(dict.fromkeys(t for t in types if t))
    bad = [t for t in chosen if t not in known]
    if bad:
        raise ValidationError(f"type must be one of {', '.join(sorted(known))}, got {bad[0]!r}",
                              parameter="type")
    dates: dict[str, dt.date | None] = {}
    for name, value in (("on", on), ("start", start), ("end", end)):
        if not value:
            dates[name] = None
            continue
        try:
            dates[name] = dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{name} must be a date YYYY-MM-DD, got {value!r}",
                                  parameter=name) from None
    if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
        raise ValidationError("end is before start", parameter="end")
    return MapFilter(chosen, dates["on"], dates["start"], dates["end"])


def actor_url(key: str) -> str:
    """The landscape page of an actor key."""
    kind, pk = key.split(":")
    name = "landscape:actor" if kind == "o" else "landscape:person"
    return reverse(name, args=[int(pk)])


def _ends(r: Relationship) -> tuple[str, str]:
    return (actor_key(r.source_organization_id, r.source_person_id),
            actor_key(r.target_organization_id, r.target_person_id))


def _visible_rows(user: Any, flt: MapFilter | None = None) -> list[Relationship]:
    qs = relationships(user).order_by("id")
    return list((flt or MapFilter()).apply(qs))


def _actor_table(rows: list[Relationship], extra: list[str] = ()) -> dict[str, tuple[str, str]]:  # type: ignore[assignment]
    """Key -> (kind, name) for every actor touching the rows (and any extra keys)."""
    actors: dict[str, tuple[str, str]] = {}
    for r in rows:
        for key, obj in zip(_ends(r), (r.source_actor, r.target_actor), strict=True):
            actors[key] = ("organization" if key.startswith("o:") else "person", str(obj))
    missing_orgs = [int(k[2:]) for k in extra if k not in actors and k.startswith("o:")]
    for org in Organization.objects.filter(id__in=missing_orgs):
        actors[f"o:{org.pk}"] = ("organization", org.name)
    return actors


def graph_json(user: Any, flt: MapFilter | None = None) -> dict[str, Any]:
    """Nodes and edges for the interactive map (only what the user may see).

    Nodes: ``id``, ``label``, ``kind``, ``url``, ``influence``, ``position`` (average latest
    stance, None if never assessed) and ``ours``; edges: ``id``, ``source``, ``target``,
    ``type``, ``label``, ``start``, ``end``, ``strength``, ``evidence``, ``recorded_by``.
    """
    rows = _visible_rows(user, flt)
    actors = _actor_table(rows)
    positions, _allies = actor_positions(user)
    influence = influence_of(actors)
    ours = {f"o:{pk}" for pk in own_org_ids(user)}
    nodes = [
        {"id": key, "label": name, "kind": kind, "url": actor_url(key),
         "influence": influence[key],
         "position": None if key not in positions else round(positions[key], 2),
         "ours": key in ours}
        for key, (kind, name) in sorted(actors.items(), key=lambda kv: kv[1][1])
    ]
    edges = []
    for r in rows:
        s, t = _ends(r)
        edges.append({
            "id": f"r:{r.pk}", "source": s, "target": t, "type": r.kind,
            "label": r.get_kind_display(),
            "start": r.start_date.isoformat() if r.start_date else None,
            "end": r.end_date.isoformat() if r.end_date else None,
            "strength": r.strength, "evidence": r.source, "recorded_by": r.recorded_by.name,
        })
    return {"nodes": nodes, "edges": edges, "filter": {
        "types": list((flt or MapFilter()).types),
        **{k: (v.isoformat() if v else None) for k, v in
           (("on", (flt or MapFilter()).on), ("start", (flt or MapFilter()).start),
            ("end", (flt or MapFilter()).end))}}}


def export_json(user: Any, flt: MapFilter | None = None) -> dict[str, Any]:
    """The map in the file format ``broadfront paths MAP.json`` reads (actors, relationships)."""
    rows = _visible_rows(user, flt)
    actors = _actor_table(rows)
    return {
        "actors": [{"id": k, "kind": kind, "name": name}
                   for k, (kind, name) in sorted(actors.items(), key=lambda kv: kv[1][1])],
        "relationships": [
            {"source": _ends(r)[0], "target": _ends(r)[1], "type": r.kind,
             **({"start": r.start_date.isoformat()} if r.start_date else {}),
             **({"end": r.end_date.isoformat()} if r.end_date else {}),
             "strength": r.strength, "evidence": r.source}
            for r in rows
        ],
    }


def power_map(user: Any, flt: MapFilter | None = None, extra: list[str] = ()) -> PowerMap:  # type: ignore[assignment]
    """The engine's map of what the user may see (plus ``extra`` organizations as lone actors)."""
    rows = _visible_rows(user, flt)
    actors = _actor_table(rows, list(extra))
    return build_power_map(
        [Actor(k, kind, name) for k, (kind, name) in actors.items()],
        [Tie(*_ends(r), r.kind, r.start_date, r.end_date, float(r.strength)) for r in rows],
    )


# --- one actor's place on the map ------------------------------------------------------------

@dataclass(frozen=True)
class PathView:
    """A path from us, with the actors' names and the types of each step."""

    path: Path
    names: list[tuple[str, str, str, str]]  # (key, name, url, types of the step into it)


@dataclass(frozen=True)
class Standing:
    """An actor's centrality, rank and broker role on the map."""

    degree: int
    betweenness: float
    eigenvector: float
    pagerank: float
    pagerank_rank: int
    betweenness_rank: int
    n_actors: int
    broker_score: float | None
    broker_share: float | None
    broker_pairs: int


@dataclass(frozen=True)
class ActorMap:
    """Paths from our organization to the actor, and its standing on the map."""

    key: str
    on_map: bool
    our_key: str | None
    our_name: str | None
    paths: list[PathView]
    standing: Standing | None
    as_of: dt.date


def our_organization(user: Any) -> Organization | None:
    """The user's own organization the paths start from (the first by name)."""
    return Organization.objects.filter(id__in=own_org_ids(user)).order_by("name").first()


def _rank(values: Any, i: int) -> int:
    return int((values > values[i]).sum()) + 1


def actor_map(user: Any, obj: Organization | Person, today: dt.date, *, k: int = 3
              ) -> ActorMap:
    """The k shortest paths from our organization to ``obj`` (ties active today, "opposes"
    left out), its centrality, and its broker role between our coalition and the opposition.
    """
    key = actor_key(obj.pk, None) if isinstance(obj, Organization) else actor_key(None, obj.pk)
    ours = our_organization(user)
    our_key = f"o:{ours.pk}" if ours else None
    pm = filter_map(power_map(user, extra=[our_key] if our_key else []), on=today,
                    exclude_types={"opposes"})
    on_map = key in pm.actor_ids
    if not on_map:
        return ActorMap(key, False, our_key, ours.name if ours else None, [], None, today)
    names = dict(zip(pm.actor_ids, pm.names, strict=True))
    paths: list[PathView] = []
    if our_key is not None and our_key != key:
        found = shortest_paths(pm, our_key, key, k=k)
        for p in found.paths:
            via = [""] + [" / ".join(t.replace("_", " ") for t in st.types) for st in p.steps]
            paths.append(PathView(p, [(a, names[a], actor_url(a), v)
                                      for a, v in zip(p.actors, via, strict=True)]))
    c: Centrality = centrality(pm, directed=False)
    i = pm.index_of(key)
    assert c.betweenness is not None and c.eigenvector is not None and c.pagerank is not None
    score = share = None
    pairs = 0
    positions, allies = actor_positions(user)
    from broadfront.web.common.tenancy import partner_org_ids

    coalition = [a for a in (f"o:{pk}" for pk in partner_org_ids(user)) if a in names]
    targets = [a for a in pm.actor_ids if is_opponent(a, positions, allies)]
    if coalition and targets:
        b = brokers(pm, coalition, targets, directed=False, limit=None)
        pairs = b.connected_pairs
        mine = next((x for x in b.brokers if x.actor == key), None)
        score, share = (mine.score, mine.share) if mine else (0.0, 0.0)
    standing = Standing(
        degree=int(c.degree[i]), betweenness=float(c.betweenness[i]),
        eigenvector=float(c.eigenvector[i]), pagerank=float(c.pagerank[i]),
        pagerank_rank=_rank(c.pagerank, i), betweenness_rank=_rank(c.betweenness, i),
        n_actors=pm.n_actors, broker_score=score, broker_share=share, broker_pairs=pairs)
    return ActorMap(key, True, our_key, ours.name if ours else None, paths, standing, today)
