"""Who can get us a meeting: shortest and k shortest relationship paths, and brokers.

Paths run over ties in either direction by default (a staffer who *is employed by* the
council member can still introduce us); ``directed=True`` follows relationships only from
source to target (symmetric types both ways). A path's cost is its number of steps, or with
``weighted=True`` the sum of ``1 / strength`` over its steps (strong ties are short).

- One shortest path by hop count: bidirectional breadth-first search (Pohl 1971) in numpy,
  a whole level at a time from the side with fewer ties to scan, on compressed adjacency
  arrays cached on the map (built with one sort of packed int64 keys). A query on a map of
  millions of ties touches only the neighbourhoods of the two ends.
- One cheapest path with ``weighted=True``: bidirectional Dijkstra on the same arrays.
- The k shortest loopless paths: Yen (1971), whose spur searches use the same searches
  with the root path's actors and the used ties blocked. Paths of equal cost are listed in
  map order (by the positions of their actors on the map).
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
from dataclasses import dataclass, field

import numpy as np

from broadfront.analysis.network.graph import PowerMap
from broadfront.exceptions import ValidationError

__all__ = ["MAX_PATHS", "Broker", "Brokers", "Path", "Paths", "Step", "brokers", "shortest_paths"]

#: Most paths :func:`shortest_paths` returns (never lifted).
MAX_PATHS = 1_000


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
        Number of paths, 1..``MAX_PATHS`` (1,000; a hard limit: Yen's search runs one
        shortest-path search per node of every path found).
    directed : bool
        Follow relationships only in their direction.
    weighted : bool
        Cost ``1 / strength`` per step instead of 1.

    Returns
    -------
    Paths
        Cheapest first; paths of equal cost in map order (compared actor by actor by their
        position on the map).

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
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_PATHS:
        raise ValidationError(f"k must be between 1 and {MAX_PATHS:,}, got {k!r}", parameter="k")
    adj = _adjacency(power_map, directed)
    # equal costs in map order (actor positions step by step), whatever order the search met them
    found = sorted(_yen(adj, s, t, k, weighted), key=lambda item: (item[0], item[1]))
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
    """Compressed adjacency: forward and backward neighbours and the arc behind each entry.

    Undirected (``reverse_of`` is None): arc ``2 r`` runs along relationship ``r`` and arc
    ``2 r + 1`` against it. Directed: arc ``j`` is relationship ``j`` for ``j <
    n_relationships``; later arcs are the reverse runs of relationships ``reverse_of[j -
    n_relationships]`` (two-way ties). Step costs (``1 / strength``) are looked up only by
    weighted searches. ``scratch`` holds reusable per-query arrays (taken and returned
    whole, so concurrent queries never share them).
    """

    fwd_ptr: np.ndarray
    fwd_nbr: np.ndarray
    fwd_arc: np.ndarray
    bwd_ptr: np.ndarray
    bwd_nbr: np.ndarray
    bwd_arc: np.ndarray
    n_relationships: int
    reverse_of: np.ndarray | None
    strengths: np.ndarray
    scratch: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    @property
    def n(self) -> int:
        return int(self.fwd_ptr.shape[0]) - 1

    def relationships(self, arc: np.ndarray) -> np.ndarray:
        """Relationship id of each arc."""
        if self.reverse_of is None:
            return arc >> 1
        m = self.n_relationships
        later = arc >= m
        if not later.any():
            return arc
        out = arc.copy()
        out[later] = self.reverse_of[arc[later] - m]
        return out

    def out(self, u: int, weighted: bool) -> tuple[list[int], list[float] | None]:
        lo, hi = int(self.fwd_ptr[u]), int(self.fwd_ptr[u + 1])
        return self.fwd_nbr[lo:hi].tolist(), self._costs(self.fwd_arc[lo:hi]) if weighted else None

    def into(self, u: int, weighted: bool) -> tuple[list[int], list[float] | None]:
        lo, hi = int(self.bwd_ptr[u]), int(self.bwd_ptr[u + 1])
        return self.bwd_nbr[lo:hi].tolist(), self._costs(self.bwd_arc[lo:hi]) if weighted else None

    def _costs(self, arc: np.ndarray) -> list[float]:
        return (1.0 / self.strengths[self.relationships(arc)]).tolist()


_CHUNK = 1 << 20


def _csr(n: int, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and the order that groups arcs by ``src`` (stable: arcs keep their order).

    The order comes from one in-place sort of int64 keys ``src << 32 | position`` (numpy's
    vectorized sort of plain integers is several times faster than a stable arg-sort); the
    keys are filled in chunks so that no second array of their size is made.
    """
    keys = np.arange(src.shape[0], dtype=np.int64)
    for lo in range(0, src.shape[0], _CHUNK):
        keys[lo : lo + _CHUNK] |= np.left_shift(src[lo : lo + _CHUNK], 32, dtype=np.int64)
    keys.sort()
    keys &= 0xFFFFFFFF
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    return ptr, keys


def _adjacency(power_map: PowerMap, directed: bool) -> _Adjacency:
    key = f"_adjacency_{'directed' if directed else 'undirected'}"
    cached = power_map.__dict__.get(key)
    if cached is not None:
        return cached
    n, m = power_map.n_actors, power_map.n_relationships
    sources, targets = power_map.sources, power_map.targets
    reverse_of: np.ndarray | None
    if directed:
        reverse_of = np.flatnonzero(power_map.symmetric)
        src = np.concatenate([sources, targets[reverse_of]]) if len(reverse_of) else sources
        dst = np.concatenate([targets, sources[reverse_of]]) if len(reverse_of) else targets
        ptr, order = _csr(n, src)
        bptr, border = _csr(n, dst)
        fwd = (ptr, dst[order], order)
        bwd = (bptr, src[border], border)
    else:
        reverse_of = None
        ends = np.empty(2 * m, dtype=np.int32)  # s0, t0, s1, t1, ...: arc j runs ends[j] -> ends[j ^ 1]
        ends[0::2], ends[1::2] = sources, targets
        ptr, order = _csr(n, ends)
        order ^= 1
        nbr = ends[order]
        order ^= 1
        fwd = bwd = (ptr, nbr, order)
    adj = _Adjacency(*fwd, *bwd, m, reverse_of, power_map.strengths)
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
    """Cheapest path from s to t avoiding blocked actors and arcs; None if unreachable."""
    if s == t:
        return 0.0, [s]
    if weighted:
        return _dijkstra(adj, s, t, blocked_nodes, blocked_arcs)
    return _bfs(adj, s, t, blocked_nodes, blocked_arcs)


def _expand(ptr: np.ndarray, nbr: np.ndarray, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All arcs out of ``frontier`` as (frontier end, other end), in CSR order."""
    lo = ptr[frontier]
    count = ptr[frontier + 1] - lo
    total = int(count.sum())
    if total == 0:
        return frontier[:0], nbr[:0]
    offsets = np.repeat(lo - (np.cumsum(count) - count), count) + np.arange(total)
    return np.repeat(frontier, count), nbr[offsets]


def _bfs(
    adj: _Adjacency,
    s: int,
    t: int,
    blocked_nodes: set[int],
    blocked_arcs: set[tuple[int, int]],
) -> tuple[float, list[int]] | None:
    """Bidirectional breadth-first search (Pohl 1971), one whole level at a time, in numpy.

    Each round expands every actor of the cheaper frontier (fewer arcs to scan) at once.
    When a level reaches an actor the other side has seen, any such meeting gives a shortest
    path: no actor was seen by both sides before, so the distance exceeds the two depths
    already searched, and the new meeting is exactly one step longer than their sum.
    """
    n = adj.n
    try:
        fwd_parent, bwd_parent, stamp = adj.scratch.pop()
    except IndexError:
        fwd_parent, bwd_parent = np.full(n, -1, dtype=np.int32), np.full(n, -1, dtype=np.int32)
        stamp = np.empty(n, dtype=np.int32)
    parents = (fwd_parent, bwd_parent)
    touched: list[np.ndarray] = [np.array([s, t])]
    arc_keys = np.array(sorted((u << 32) | v for u, v in blocked_arcs), dtype=np.int64)
    try:
        if blocked_nodes:
            blocked = np.fromiter(blocked_nodes, dtype=np.int64, count=len(blocked_nodes))
            fwd_parent[blocked] = bwd_parent[blocked] = -2
            touched.append(blocked)
        fwd_parent[s], bwd_parent[t] = s, t
        ptrs, nbrs = (adj.fwd_ptr, adj.bwd_ptr), (adj.fwd_nbr, adj.bwd_nbr)
        frontiers = [np.array([s], dtype=np.int64), np.array([t], dtype=np.int64)]
        work = [int(ptrs[0][s + 1] - ptrs[0][s]), int(ptrs[1][t + 1] - ptrs[1][t])]
        while work[0] and work[1]:
            side = 0 if work[0] <= work[1] else 1
            mine, other, ptr = parents[side], parents[1 - side], ptrs[side]
            near, far = _expand(ptr, nbrs[side], frontiers[side])
            if len(arc_keys):
                tails, heads = (near, far) if side == 0 else (far, near)
                allowed = ~np.isin((tails.astype(np.int64) << 32) | heads, arc_keys)
                near, far = near[allowed], far[allowed]
            hits = np.flatnonzero(other[far] >= 0)
            if len(hits):
                j = int(hits[0])
                u, v = int(near[j]), int(far[j])
                a, b = (u, v) if side == 0 else (v, u)
                path = _walk(fwd_parent, a)[::-1] + _walk(bwd_parent, b)
                return float(len(path) - 1), path
            fresh = mine[far] == -1
            far, near = far[fresh], near[fresh]
            # keep the first arc into each new actor, without sorting: after writing
            # positions in reverse, each actor holds the position of its first arc
            position = np.arange(len(far), dtype=np.int32)
            stamp[far[::-1]] = position[::-1]
            first = stamp[far] == position
            new = far[first].astype(np.int64)
            mine[new] = near[first]
            touched.append(new)
            frontiers[side] = new
            work[side] = int((ptr[new + 1] - ptr[new]).sum())
        return None
    finally:
        for idx in touched:
            fwd_parent[idx] = -1
            bwd_parent[idx] = -1
        adj.scratch.append((fwd_parent, bwd_parent, stamp))


def _walk(parent: np.ndarray, node: int) -> list[int]:
    """Actors from ``node`` back to the root of a search tree (the root is its own parent)."""
    out = [node]
    while int(parent[node]) != node:
        node = int(parent[node])
        out.append(node)
    return out


def _dijkstra(
    adj: _Adjacency,
    s: int,
    t: int,
    blocked_nodes: set[int],
    blocked_arcs: set[tuple[int, int]],
) -> tuple[float, list[int]] | None:
    """Bidirectional Dijkstra from s to t (costs 1 / strength), growing the smaller heap."""
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
        nbrs, costs = adj.out(u, True) if side == 0 else adj.into(u, True)
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
        rels = adj.relationships(adj.fwd_arc[lo:hi][adj.fwd_nbr[lo:hi] == v])
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
