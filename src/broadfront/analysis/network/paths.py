"""Who can get us a meeting: shortest and k shortest relationship paths, and brokers.

Paths run over ties in either direction by default (a staffer who *is employed by* the
council member can still introduce us); ``directed=True`` follows relationships only from
source to target (symmetric types both ways). A path's cost is its number of steps, or with
``weighted=True`` the sum of ``1 / strength`` over its steps (strong ties are short).

- One shortest path: bidirectional Dijkstra (Pohl 1971), growing the smaller frontier, on
  compressed adjacency arrays cached on the map, so a query on a map of millions of ties
  touches only the neighbourhoods of the two ends.
- The k shortest loopless paths: Yen (1971), whose spur searches use the same search with
  the root path's actors and the used ties blocked.
- Brokers between our coalition :math:`S` and targets :math:`T`: subset betweenness
  :math:`b(v) = \\sum_{s \\in S, t \\in T} \\sigma_{st}(v) / \\sigma_{st}`, the number of
  shortest paths from us to them that pass through :math:`v` (each pair counted once),
  accumulated as in Brandes (2008); ``share`` divides by the number of connected pairs.

References
----------
Yen, J. Y. (1971). Finding the K Shortest Loopless Paths in a Network. Management Science
17(11), 712-716. doi:10.1287/mnsc.17.11.712.

Pohl, I. (1971). Bi-directional Search. Machine Intelligence 6, 127-140.

Brandes, U. (2008). On Variants of Shortest-Path Betweenness Centrality and their Generic
Computation. Social Networks 30(2), 136-145. doi:10.1016/j.socnet.2007.11.001.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from broadfront.analysis.network.graph import PowerMap, arcs
from broadfront.exceptions import ValidationError

__all__ = ["Broker", "Brokers", "Path", "Paths", "Step", "brokers", "shortest_paths"]


@dataclass(frozen=True)
class Step:
    """One step of a path and the relationship types that tie its two actors."""

    source: str
    target: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class Path:
    """A loopless path: the actors in order, its steps, its cost and number of steps."""

    actors: tuple[str, ...]
    steps: tuple[Step, ...]
    cost: float
    hops: int


@dataclass(frozen=True)
class Paths:
    """Up to ``k`` shortest paths from ``source`` to ``target``, cheapest first (empty: none)."""

    source: str
    target: str
    paths: tuple[Path, ...]
    directed: bool
    weighted: bool


@dataclass(frozen=True)
class Broker:
    """An actor on shortest paths from our coalition to the targets."""

    actor: str
    score: float
    share: float


@dataclass(frozen=True)
class Brokers:
    """Brokers ranked by score (coalition members and targets left out), and connected pairs."""

    coalition: tuple[str, ...]
    targets: tuple[str, ...]
    brokers: tuple[Broker, ...]
    connected_pairs: int


def shortest_paths(
    power_map: PowerMap,
    source: str,
    target: str,
    *,
    k: int = 1,
    directed: bool = False,
    weighted: bool = False,
) -> Paths:
    """The ``k`` shortest loopless paths from ``source`` to ``target``.

    Parameters
    ----------
    power_map : PowerMap
        Filter it first (:func:`~broadfront.analysis.network.graph.filter_map`) to leave out
        types such as "opposes" or ties not active on a date.
    source, target : str
        Actor ids.
    k : int
        Number of paths, 1..1000.
    directed : bool
        Follow relationships only in their direction.
    weighted : bool
        Cost ``1 / strength`` per step instead of 1.

    Returns
    -------
    Paths

    Raises
    ------
    ValidationError
        For an unknown actor or ``k`` out of range.

    References
    ----------
    Yen, J. Y. (1971). Finding the K Shortest Loopless Paths in a Network. Management
    Science 17(11), 712-716. doi:10.1287/mnsc.17.11.712.

    Examples
    --------
    We know the pastor and the union chair; both know the council member's chief of staff:

    >>> from broadfront.analysis.network.graph import Actor, Relationship, build_power_map
    >>> people = ["us", "pastor", "chair", "staff", "council"]
    >>> ties = [("us", "pastor", "knows"), ("us", "chair", "member_of"),
    ...         ("pastor", "staff", "family"), ("chair", "staff", "knows"),
    ...         ("council", "staff", "employs")]
    >>> pm = build_power_map([Actor(p) for p in people],
    ...                      [Relationship(s, t, kind) for s, t, kind in ties])
    >>> [p.actors for p in shortest_paths(pm, "us", "council", k=3).paths]
    [('us', 'pastor', 'staff', 'council'), ('us', 'chair', 'staff', 'council')]
    """
    s = power_map.index_of(source, "source")
    t = power_map.index_of(target, "target")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 1000:
        raise ValidationError(f"k must be an integer from 1 to 1000, got {k!r}", parameter="k")
    adj = _adjacency(power_map, directed)
    found = _yen(adj, s, t, k, weighted)
    paths = tuple(_describe(power_map, adj, nodes, cost) for cost, nodes in found)
    return Paths(source, target, paths, directed, weighted)


def brokers(
    power_map: PowerMap,
    coalition: Iterable[str],
    targets: Iterable[str],
    *,
    directed: bool = False,
    limit: int | None = 10,
) -> Brokers:
    """Actors through whom our coalition reaches the targets (subset betweenness, hop counts).

    Parameters
    ----------
    power_map : PowerMap
    coalition : iterable of str
        Our actors (sources).
    targets : iterable of str
        Actors we want to reach.
    directed : bool
        Follow relationships only in their direction.
    limit : int or None
        Keep the top ``limit`` brokers (None: all with a positive score).

    Returns
    -------
    Brokers

    Raises
    ------
    ValidationError
        For an unknown actor, an empty coalition or target list, or a bad ``limit``.

    References
    ----------
    Brandes, U. (2008). On Variants of Shortest-Path Betweenness Centrality and their
    Generic Computation. Social Networks 30(2), 136-145. doi:10.1016/j.socnet.2007.11.001.

    Examples
    --------
    Both of our shortest paths to the council member pass through the chief of staff;
    the pastor and the chair carry one each:

    >>> from broadfront.analysis.network.graph import Actor, Relationship, build_power_map
    >>> ties = [("us", "pastor"), ("us", "chair"), ("pastor", "staff"), ("chair", "staff"),
    ...         ("staff", "council")]
    >>> pm = build_power_map([Actor(p) for p in ["us", "pastor", "chair", "staff", "council"]],
    ...                      [Relationship(s, t, "knows") for s, t in ties])
    >>> [(b.actor, b.score) for b in brokers(pm, ["us"], ["council"]).brokers]
    [('staff', 1.0), ('pastor', 0.5), ('chair', 0.5)]
    """
    sources = list(dict.fromkeys(coalition))
    sinks = list(dict.fromkeys(targets))
    if not sources:
        raise ValidationError("coalition must name at least one actor", parameter="coalition")
    if not sinks:
        raise ValidationError("targets must name at least one actor", parameter="targets")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValidationError(f"limit must be a positive integer or None, got {limit!r}", parameter="limit")
    s_idx = [power_map.index_of(a, "coalition") for a in sources]
    t_idx = [power_map.index_of(a, "targets") for a in sinks]
    adj = _adjacency(power_map, directed)
    n = power_map.n_actors
    score = np.zeros(n)
    is_target = np.zeros(n, dtype=bool)
    is_target[t_idx] = True
    pairs = 0
    for s in s_idx:
        order, preds, sigma, dist = _bfs_counts(adj, s)
        pairs += sum(1 for t in t_idx if t != s and t in dist)
        delta: dict[int, float] = {}
        for w in reversed(order):
            coeff = ((1.0 if is_target[w] and w != s else 0.0) + delta.get(w, 0.0)) / sigma[w]
            for v in preds[w]:
                delta[v] = delta.get(v, 0.0) + sigma[v] * coeff
            if w != s:
                score[w] += delta.get(w, 0.0)
    excluded = set(s_idx) | set(t_idx)
    ranked = sorted(
        (i for i in np.flatnonzero(score > 1e-12).tolist() if i not in excluded),
        key=lambda i: (-score[i], i),
    )
    if limit is not None:
        ranked = ranked[:limit]
    result = tuple(
        Broker(power_map.actor_ids[i], float(score[i]), float(score[i] / pairs) if pairs else 0.0)
        for i in ranked
    )
    return Brokers(tuple(sources), tuple(sinks), result, pairs)


# ---------------------------------------------------------------------------- private steps


@dataclass(frozen=True, eq=False)
class _Adjacency:
    """Compressed adjacency: forward (and backward) neighbours, step costs, relationship ids."""

    fwd_ptr: np.ndarray
    fwd_nbr: np.ndarray
    fwd_cost: np.ndarray
    fwd_rel: np.ndarray
    bwd_ptr: np.ndarray
    bwd_nbr: np.ndarray
    bwd_cost: np.ndarray

    def out(self, u: int, weighted: bool) -> tuple[list[int], list[float] | None]:
        lo, hi = int(self.fwd_ptr[u]), int(self.fwd_ptr[u + 1])
        return self.fwd_nbr[lo:hi].tolist(), self.fwd_cost[lo:hi].tolist() if weighted else None

    def into(self, u: int, weighted: bool) -> tuple[list[int], list[float] | None]:
        lo, hi = int(self.bwd_ptr[u]), int(self.bwd_ptr[u + 1])
        return self.bwd_nbr[lo:hi].tolist(), self.bwd_cost[lo:hi].tolist() if weighted else None


def _csr(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(src, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    return ptr, order


def _adjacency(power_map: PowerMap, directed: bool) -> _Adjacency:
    key = f"_adjacency_{'directed' if directed else 'undirected'}"
    cached = power_map.__dict__.get(key)
    if cached is not None:
        return cached
    n = power_map.n_actors
    src, dst, w, rel = arcs(power_map, directed)
    cost = 1.0 / w
    ptr, order = _csr(n, src, dst)
    fwd = (ptr, dst[order].astype(np.int64), cost[order], rel[order])
    if directed:
        bptr, border = _csr(n, dst, src)
        bwd = (bptr, src[border].astype(np.int64), cost[border])
    else:
        bwd = fwd[:3]
    adj = _Adjacency(*fwd, *bwd)
    object.__setattr__(power_map, key, adj)
    return adj


def _search(
    adj: _Adjacency,
    s: int,
    t: int,
    weighted: bool,
    blocked_nodes: set[int],
    blocked_arcs: set[tuple[int, int]],
) -> tuple[float, list[int]] | None:
    """Bidirectional Dijkstra from s to t avoiding blocked actors and arcs; None if unreachable."""
    if s == t:
        return 0.0, [s]
    dist: list[dict[int, float]] = [{s: 0.0}, {t: 0.0}]
    pred: list[dict[int, int]] = [{}, {}]
    heaps: list[list[tuple[float, int]]] = [[(0.0, s)], [(0.0, t)]]
    settled: list[set[int]] = [set(), set()]
    best = math.inf
    meet = -1
    while heaps[0] and heaps[1]:
        if heaps[0][0][0] + heaps[1][0][0] >= best:
            break
        side = 0 if len(heaps[0]) <= len(heaps[1]) else 1
        d, u = heapq.heappop(heaps[side])
        if u in settled[side] or d > dist[side][u]:
            continue
        settled[side].add(u)
        nbrs, costs = adj.out(u, weighted) if side == 0 else adj.into(u, weighted)
        mine, other = dist[side], dist[1 - side]
        for pos, v in enumerate(nbrs):
            if v in blocked_nodes:
                continue
            if blocked_arcs and ((u, v) if side == 0 else (v, u)) in blocked_arcs:
                continue
            nd = d + (costs[pos] if costs is not None else 1.0)
            if nd < mine.get(v, math.inf):
                mine[v] = nd
                pred[side][v] = u
                heapq.heappush(heaps[side], (nd, v))
            if v in other and mine[v] + other[v] < best:
                best = mine[v] + other[v]
                meet = v
    if meet < 0:
        return None
    forward = [meet]
    while forward[-1] != s:
        forward.append(pred[0][forward[-1]])
    forward.reverse()
    node = meet
    while node != t:
        node = pred[1][node]
        forward.append(node)
    return best, forward


def _step_cost(adj: _Adjacency, u: int, v: int, weighted: bool) -> float:
    if not weighted:
        return 1.0
    nbrs, costs = adj.out(u, True)
    assert costs is not None
    return min(c for x, c in zip(nbrs, costs, strict=True) if x == v)


def _yen(adj: _Adjacency, s: int, t: int, k: int, weighted: bool) -> list[tuple[float, list[int]]]:
    first = _search(adj, s, t, weighted, set(), set())
    if first is None:
        return []
    found = [first]
    seen = {tuple(first[1])}
    candidates: list[tuple[float, int, list[int]]] = []
    counter = 0
    while len(found) < k:
        _, prev = found[-1]
        root_cost = 0.0
        for i in range(len(prev) - 1):
            spur = prev[i]
            root = prev[: i + 1]
            blocked_arcs: set[tuple[int, int]] = set()
            for _, path in found:
                if len(path) > i + 1 and path[: i + 1] == root:
                    blocked_arcs.add((path[i], path[i + 1]))
            result = _search(adj, spur, t, weighted, set(root[:-1]), blocked_arcs)
            if result is not None:
                cost, tail = result
                candidate = root[:-1] + tail
                key = tuple(candidate)
                if key not in seen:
                    seen.add(key)
                    counter += 1
                    heapq.heappush(candidates, (root_cost + cost, counter, candidate))
            root_cost += _step_cost(adj, prev[i], prev[i + 1], weighted)
        if not candidates:
            break
        cost, _, path = heapq.heappop(candidates)
        found.append((cost, path))
    return found


def _describe(power_map: PowerMap, adj: _Adjacency, nodes: list[int], cost: float) -> Path:
    ids = power_map.actor_ids
    steps = []
    for u, v in zip(nodes[:-1], nodes[1:], strict=True):
        lo, hi = int(adj.fwd_ptr[u]), int(adj.fwd_ptr[u + 1])
        rels = adj.fwd_rel[lo:hi][adj.fwd_nbr[lo:hi] == v]
        types = sorted({power_map.type_names[int(power_map.types[r])] for r in rels})
        steps.append(Step(ids[u], ids[v], tuple(types)))
    return Path(tuple(ids[i] for i in nodes), tuple(steps), float(cost), len(nodes) - 1)


def _bfs_counts(adj: _Adjacency, s: int) -> tuple[list[int], dict[int, list[int]], dict[int, float], dict[int, int]]:
    """Breadth-first search counting shortest paths (Brandes 2001), parallel ties counted once."""
    dist = {s: 0}
    sigma: dict[int, float] = {s: 1.0}
    preds: dict[int, list[int]] = {s: []}
    order = []
    queue = deque([s])
    while queue:
        u = queue.popleft()
        order.append(u)
        du = dist[u]
        nbrs, _ = adj.out(u, False)
        for v in set(nbrs):
            if v == u:
                continue
            if v not in dist:
                dist[v] = du + 1
                sigma[v] = 0.0
                preds[v] = []
                queue.append(v)
            if dist[v] == du + 1:
                sigma[v] += sigma[u]
                preds[v].append(u)
    return order, preds, sigma, dist
