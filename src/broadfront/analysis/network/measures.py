"""Who holds a central place on the power map: degree, betweenness, eigenvector, PageRank, communities.

One interface, two backends: networkx (pure Python) for small maps and a compiled one for
large maps; ``backend="auto"`` picks the compiled one ("rustworkx") from
:data:`AUTO_RUSTWORKX_ACTORS` actors on. Every measure sees the same simple graph: self-ties
are dropped and parallel ties between two actors are merged into one arc whose strength is
the sum of theirs.

How each measure is computed:

- degree, at every size: vectorized numpy on the relationship arrays. Each tie becomes one
  packed int64 key (lower index, higher index, direction bit); one sort puts equal arcs and
  the arcs of one pair next to each other, and counting the first of each run gives in-,
  out- and total degree. No graph object is built.
- betweenness and eigenvector: networkx, or rustworkx (Rust) on the compiled backend.
- PageRank: ``networkx.pagerank`` on the networkx backend; on the compiled backend, the
  engine's own power iteration on a scipy sparse matrix (Page et al. 1999), with the same
  iteration, start and stopping rule as networkx (tests check it against networkx). It is
  faster than building a rustworkx graph from Python tuples and calling back into Python
  for every edge weight.
- communities: networkx's Louvain at every size (neither rustworkx nor scipy has community
  detection), refused above :data:`LOUVAIN_MAX_RELATIONSHIPS` relationships.

Definitions (for a graph with :math:`n` actors):

- degree: number of distinct actors with a tie into (in-degree) or out of (out-degree) an actor;
- betweenness (Freeman 1977, computed by Brandes 2001):
  :math:`c_B(v) = \\sum_{s \\ne v \\ne t} \\sigma_{st}(v) / \\sigma_{st}`, normalized by
  :math:`(n-1)(n-2)` (directed) or :math:`(n-1)(n-2)/2` (undirected), hop counts;
- eigenvector (Bonacich 1972): the leading eigenvector of the undirected strength-weighted
  adjacency matrix, Euclidean norm 1 (direction is ignored because actors nobody points to
  would otherwise score zero);
- PageRank (Brin and Page 1998): damping 0.85, strength-weighted, dangling actors spread
  uniformly;
- communities: Louvain modularity optimization (Blondel et al. 2008) on the undirected map.

References
----------
Freeman, L. C. (1977). A Set of Measures of Centrality Based on Betweenness. Sociometry
40(1), 35-41. doi:10.2307/3033543.

Brandes, U. (2001). A Faster Algorithm for Betweenness Centrality. Journal of Mathematical
Sociology 25(2), 163-177. doi:10.1080/0022250X.2001.9990249.

Bonacich, P. (1972). Factoring and Weighting Approaches to Status Scores and Clique
Identification. Journal of Mathematical Sociology 2(1), 113-120. doi:10.1080/0022250X.1972.9989806.

Brin, S. and Page, L. (1998). The Anatomy of a Large-Scale Hypertextual Web Search Engine.
Computer Networks and ISDN Systems 30, 107-117. doi:10.1016/S0169-7552(98)00110-X.

Page, L., Brin, S., Motwani, R. and Winograd, T. (1999). The PageRank Citation Ranking:
Bringing Order to the Web. Technical Report 1999-66, Stanford InfoLab.
http://ilpubs.stanford.edu:8090/422/

Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008). Fast Unfolding of
Communities in Large Networks. J. Stat. Mech. P10008. doi:10.1088/1742-5468/2008/10/P10008.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from broadfront.analysis._validation import as_rng
from broadfront.analysis.network.graph import (
    PowerMap,
    arcs,
    simple_arcs,
)
from broadfront.exceptions import BroadfrontError, TooLargeError, ValidationError

__all__ = [
    "AUTO_RUSTWORKX_ACTORS",
    "MEASURES",
    "Centrality",
    "Communities",
    "centrality",
    "communities",
]

AUTO_RUSTWORKX_ACTORS = 5_000
MEASURES = ("degree", "betweenness", "eigenvector", "pagerank")
#: Brandes costs about n * m steps; refuse above these budgets (per backend).
BETWEENNESS_WORK = {"networkx": 5e8, "rustworkx": 5e10}
LOUVAIN_MAX_RELATIONSHIPS = 2_000_000


@dataclass(frozen=True, eq=False)
class Centrality:
    """Centrality of every actor (arrays aligned with ``actor_ids``; None: not computed).

    Attributes
    ----------
    actor_ids : tuple of str
    in_degree, out_degree, degree : ndarray of int
        Distinct actors tied in, out, and either (undirected maps: all three equal).
    betweenness, eigenvector, pagerank : ndarray of float or None
    backend : str
        "networkx" or "rustworkx".
    directed : bool
    """

    actor_ids: tuple[str, ...]
    in_degree: np.ndarray
    out_degree: np.ndarray
    degree: np.ndarray
    betweenness: np.ndarray | None
    eigenvector: np.ndarray | None
    pagerank: np.ndarray | None
    backend: str
    directed: bool

    def top(self, measure: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` actors with the highest ``measure`` (ties by actor order)."""
        values = getattr(self, measure, None) if measure in (*MEASURES, "in_degree", "out_degree") else None
        if values is None:
            raise ValidationError(f"measure {measure!r} was not computed", parameter="measure")
        order = np.argsort(-np.asarray(values, dtype=float), kind="stable")[:k]
        return [(self.actor_ids[i], float(values[i])) for i in order]


@dataclass(frozen=True)
class Communities:
    """Groups of actors found by Louvain, largest first, and the partition's modularity."""

    groups: tuple[tuple[str, ...], ...]
    membership: dict[str, int]
    modularity: float
    backend: str


def centrality(
    power_map: PowerMap,
    *,
    measures: Sequence[str] = MEASURES,
    directed: bool = True,
    alpha: float = 0.85,
    backend: str = "auto",
) -> Centrality:
    """Degree, betweenness, eigenvector and PageRank centrality of every actor.

    Definitions are in the module docstring.

    Parameters
    ----------
    power_map : PowerMap
    measures : sequence of str
        Any of "degree", "betweenness", "eigenvector", "pagerank" (degree is always computed).
    directed : bool
        Respect the direction of ties (symmetric types run both ways); False treats every
        tie as two-way.
    alpha : float
        PageRank damping factor in (0, 1).
    backend : str
        "auto", "networkx" or "rustworkx" (the compiled backend: rustworkx for betweenness
        and eigenvector, scipy sparse power iteration for PageRank). Degree is computed
        with numpy whatever the backend.

    Returns
    -------
    Centrality

    Raises
    ------
    ValidationError
        For an unknown measure or backend, or alpha out of range.
    TooLargeError
        When exact betweenness would exceed the backend's budget (:data:`BETWEENNESS_WORK`).

    References
    ----------
    Brandes, U. (2001). A Faster Algorithm for Betweenness Centrality. Journal of
    Mathematical Sociology 25(2), 163-177. doi:10.1080/0022250X.2001.9990249.

    Examples
    --------
    A chain a - b - c (undirected): b is on the only path between a and c.

    >>> from broadfront.analysis.network.graph import Actor, Relationship, build_power_map
    >>> pm = build_power_map([Actor("a"), Actor("b"), Actor("c")],
    ...     [Relationship("a", "b", "knows"), Relationship("b", "c", "knows")])
    >>> c = centrality(pm, directed=False)
    >>> c.degree.tolist(), c.betweenness.tolist()
    ([1, 2, 1], [0.0, 1.0, 0.0])
    """
    chosen = _check_backend(backend, power_map)
    wanted = set(measures)
    unknown = wanted - set(MEASURES)
    if unknown:
        raise ValidationError(f"unknown measure(s) {sorted(unknown)}; choose from {MEASURES}", parameter="measures")
    if not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ValidationError(f"alpha must be in (0, 1), got {alpha!r}", parameter="alpha")
    n = power_map.n_actors
    in_deg, out_deg, deg = _degrees(power_map, directed)
    if wanted & {"betweenness", "eigenvector"} or ("pagerank" in wanted and chosen == "networkx"):
        src, dst, w = simple_arcs(power_map, directed)
    betweenness = eigen = pagerank = None
    if "betweenness" in wanted:
        work = float(n) * max(len(src), 1)
        if work > BETWEENNESS_WORK[chosen]:
            raise TooLargeError(
                f"exact betweenness on {n} actors and {len(src)} ties needs about {work:.1e} steps, "
                f"over the {chosen} budget of {BETWEENNESS_WORK[chosen]:.0e}; filter the map first"
            )
        betweenness = _betweenness(chosen, n, src, dst, directed)
    if "eigenvector" in wanted:
        usrc, udst, uw = simple_arcs(power_map, directed=False) if directed else (src, dst, w)
        eigen = _eigenvector(chosen, n, usrc, udst, uw)
    if "pagerank" in wanted:
        if chosen == "networkx":
            if directed:
                psrc, pdst, pw = src, dst, w
            else:
                psrc, pdst = np.concatenate([src, dst]), np.concatenate([dst, src])
                pw = np.concatenate([w, w])
            pagerank = _pagerank_networkx(n, psrc, pdst, pw, alpha)
        else:
            pagerank = _pagerank_sparse(power_map, directed, alpha)
    return Centrality(
        actor_ids=power_map.actor_ids,
        in_degree=in_deg,
        out_degree=out_deg,
        degree=deg,
        betweenness=betweenness,
        eigenvector=eigen,
        pagerank=pagerank,
        backend=chosen,
        directed=directed,
    )


def communities(
    power_map: PowerMap,
    *,
    resolution: float = 1.0,
    rng: int | np.random.Generator | None = None,
) -> Communities:
    """Groups of actors more tied among themselves than to others (Louvain, undirected).

    Maximizes the modularity :math:`Q = \\frac{1}{2m}\\sum_{ij}(A_{ij} - \\gamma k_i k_j / 2m)
    \\delta(c_i, c_j)` with resolution :math:`\\gamma`, ties weighted by strength. Uses
    networkx's Louvain at every size (rustworkx 0.18 and scipy have no community
    detection); maps above :data:`LOUVAIN_MAX_RELATIONSHIPS` ties are refused (networkx's
    Louvain runs in pure Python; filter the map by type or date first).

    Parameters
    ----------
    power_map : PowerMap
    resolution : float
        :math:`\\gamma > 0`; above 1 favours smaller groups.
    rng : int or numpy.random.Generator, optional
        Louvain visits nodes in random order.

    Returns
    -------
    Communities

    Raises
    ------
    ValidationError
        If ``resolution`` is not positive.
    TooLargeError
        Above :data:`LOUVAIN_MAX_RELATIONSHIPS` relationships.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008). Fast Unfolding
    of Communities in Large Networks. J. Stat. Mech. P10008. doi:10.1088/1742-5468/2008/10/P10008.

    Examples
    --------
    Two triangles joined by one tie:

    >>> from broadfront.analysis.network.graph import Actor, Relationship, build_power_map
    >>> ties = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
    >>> pm = build_power_map([Actor(x) for x in "abcdef"],
    ...                      [Relationship(s, t, "knows") for s, t in ties])
    >>> communities(pm, rng=1).groups
    (('a', 'b', 'c'), ('d', 'e', 'f'))
    """
    import networkx as nx

    if not isinstance(resolution, int | float) or not resolution > 0:
        raise ValidationError(f"resolution must be positive, got {resolution!r}", parameter="resolution")
    if power_map.n_relationships > LOUVAIN_MAX_RELATIONSHIPS:
        raise TooLargeError(
            f"community detection is limited to {LOUVAIN_MAX_RELATIONSHIPS} relationships, "
            f"the map has {power_map.n_relationships}; filter it first"
        )
    seed = int(as_rng(rng).integers(2**31))
    src, dst, w = simple_arcs(power_map, directed=False)
    graph = nx.Graph()
    graph.add_nodes_from(range(power_map.n_actors))
    graph.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))
    parts = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    modularity = nx.community.modularity(graph, parts, weight="weight", resolution=resolution) if len(src) else 0.0
    ordered = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    groups = tuple(tuple(power_map.actor_ids[i] for i in p) for p in ordered)
    membership = {a: k for k, g in enumerate(groups) for a in g}
    return Communities(groups, membership, float(modularity), "networkx")


# ---------------------------------------------------------------------------- private steps


def _check_backend(backend: str, power_map: PowerMap) -> str:
    if backend == "auto":
        return "rustworkx" if power_map.n_actors >= AUTO_RUSTWORKX_ACTORS else "networkx"
    if backend not in ("networkx", "rustworkx"):
        raise ValidationError(
            f"backend must be 'auto', 'networkx' or 'rustworkx', got {backend!r}", parameter="backend"
        )
    return backend


_CHUNK = 1 << 18


def _degrees(power_map: PowerMap, directed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """In-, out- and total degree: distinct neighbours, self-ties left out.

    The total degree of ``u`` is the number of distinct unordered pairs ``{u, v}`` joined by
    at least one tie, whatever its direction; in- and out-degree count distinct arcs (with
    symmetric types running both ways). One sort serves all three: each arc becomes the
    int64 key ``(min << (b + 1)) | (max << 1) | reversed`` (``b`` bits per actor index), so
    equal arcs are adjacent and so are the arcs of one unordered pair. Keys are made and
    read in chunks: on a map of millions of ties, fresh full-size temporaries (page faults)
    would cost more than the arithmetic.
    """
    n = power_map.n_actors
    s, t = power_map.sources, power_map.targets
    if directed and power_map.symmetric.any():
        both = power_map.symmetric
        s, t = np.concatenate([s, t[both]]), np.concatenate([t, s[both]])
    bits = max(1, (n - 1).bit_length())
    mask = (1 << bits) - 1
    shift = bits + 1 if directed else bits
    keys = np.empty(len(s), dtype=np.int64)
    for lo in range(0, len(s), _CHUNK):
        part, a, b = keys[lo : lo + _CHUNK], s[lo : lo + _CHUNK], t[lo : lo + _CHUNK]
        np.minimum(a, b, out=part)
        part <<= bits
        part |= np.maximum(a, b)
        if directed:
            part <<= 1
            part |= a > b
    keys.sort()
    deg = np.zeros(n, dtype=np.int64)
    in_deg = np.zeros(n, dtype=np.int64) if directed else deg
    out_deg = np.zeros(n, dtype=np.int64) if directed else deg
    for lo in range(0, len(keys), _CHUNK):
        part = keys[lo : lo + _CHUNK]
        before = np.empty_like(part)  # the key before each one (-1 before the first)
        before[0] = keys[lo - 1] if lo else -1
        before[1:] = part[:-1]
        low = np.empty(len(part), dtype=np.int32)
        high = np.empty(len(part), dtype=np.int32)
        np.right_shift(part, shift, out=low, casting="unsafe")
        np.right_shift(part, shift - bits, out=high, casting="unsafe")
        high &= mask
        tie = low != high  # self-ties are sorted with the rest and dropped here
        new_arc = part != before
        new_arc &= tie
        new_pair = (part >> 1 != before >> 1) & tie if directed else new_arc
        _count(deg, low[new_pair], sorted_values=True)
        _count(deg, high[new_pair])
        if directed:
            flipped = (part & 1).astype(bool)
            forward = new_arc & ~flipped  # low -> high
            new_arc &= flipped  # high -> low
            _count(out_deg, low[forward], sorted_values=True)
            _count(out_deg, high[new_arc])
            _count(in_deg, high[forward])
            _count(in_deg, low[new_arc], sorted_values=True)
    return in_deg, out_deg, deg


def _count(total: np.ndarray, values: np.ndarray, sorted_values: bool = False) -> None:
    """Add the number of occurrences of each value to ``total`` (sorted: a short bincount)."""
    if not len(values):
        return
    if sorted_values:
        first = int(values[0])
        counts = np.bincount(values - first)
        total[first : first + len(counts)] += counts
    else:
        total += np.bincount(values, minlength=len(total))


def _nx_graph(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, directed: bool) -> Any:
    import networkx as nx

    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))
    return graph


def _rx_graph(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, directed: bool) -> Any:
    import rustworkx as rx

    graph = rx.PyDiGraph(multigraph=False) if directed else rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    graph.extend_from_weighted_edge_list(list(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True)))
    return graph


def _as_array(n: int, mapping: Any) -> np.ndarray:
    out = np.zeros(n)
    for k, v in mapping.items():
        out[k] = v
    return out


def _betweenness(backend: str, n: int, src: np.ndarray, dst: np.ndarray, directed: bool) -> np.ndarray:
    w = np.ones(len(src))
    if backend == "networkx":
        import networkx as nx

        return _as_array(n, nx.betweenness_centrality(_nx_graph(n, src, dst, w, directed), normalized=True))
    import rustworkx as rx

    graph = _rx_graph(n, src, dst, w, directed)
    return _as_array(n, rx.betweenness_centrality(graph, normalized=True))


def _eigenvector(backend: str, n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> np.ndarray:
    try:
        if backend == "networkx":
            import networkx as nx

            values = nx.eigenvector_centrality(
                _nx_graph(n, src, dst, w, False), max_iter=1000, tol=1e-10, weight="weight"
            )
        else:
            import rustworkx as rx

            uniform = bool(len(w) == 0 or np.all(w == w[0]))  # scale-free: weight 1 will do
            values = rx.eigenvector_centrality(
                _rx_graph(n, src, dst, w, False),
                weight_fn=None if uniform else float,
                max_iter=1000,
                tol=1e-10,
            )
    except Exception as exc:  # both libraries raise their own "failed to converge"
        if "converge" not in str(exc).lower() and "Converge" not in type(exc).__name__:
            raise
        raise BroadfrontError(
            "eigenvector centrality did not converge in 1000 iterations", code="not_converged"
        ) from exc
    return _as_array(n, values)


def _pagerank_networkx(
    n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, alpha: float
) -> np.ndarray:
    import networkx as nx

    values = nx.pagerank(
        _nx_graph(n, src, dst, w, True), alpha=alpha, weight="weight", tol=1e-10, max_iter=1000
    )
    return _as_array(n, values)


def _pagerank_sparse(
    power_map: PowerMap, directed: bool, alpha: float, tol: float = 1e-10, max_iter: int = 1000
) -> np.ndarray:
    """PageRank by power iteration on a scipy sparse matrix (Page et al. 1999).

    :math:`x_{k+1} = \\alpha (P^T x_k + \\tfrac{1}{n} \\sum_{d\\ \\mathrm{dangling}} x_k(d))
    + (1-\\alpha)/n`, where :math:`P` is the strength-weighted adjacency matrix (self-ties
    dropped, parallel ties summed) with rows divided by their sums; from the uniform vector
    until :math:`\\lVert x_{k+1} - x_k \\rVert_1 < n \\cdot tol`. This is the iteration and
    stopping rule of ``networkx.pagerank`` (checked against it in the tests), without
    building a Python graph.
    """
    import scipy.sparse as sp

    n = power_map.n_actors
    if directed:
        src, dst, w, _ = arcs(power_map, directed=True)
    else:
        src = np.concatenate([power_map.sources, power_map.targets])
        dst = np.concatenate([power_map.targets, power_map.sources])
        w = np.concatenate([power_map.strengths, power_map.strengths])
    keep = src != dst
    src, dst, w = src[keep], dst[keep], w[keep]
    # transposed matrix: entry (target, source), duplicates summed when converted to CSR
    transposed = sp.coo_array((w, (dst, src)), shape=(n, n)).tocsr()
    out_strength = np.bincount(src, weights=w, minlength=n)
    dangling = out_strength == 0
    inverse = np.zeros(n)
    np.divide(1.0, out_strength, out=inverse, where=~dangling)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        x = alpha * (transposed @ (previous * inverse))
        x += (alpha * previous[dangling].sum() + (1.0 - alpha)) / n
        if np.abs(x - previous).sum() < n * tol:
            return x
    raise BroadfrontError(
        f"PageRank did not converge in {max_iter} iterations", code="not_converged"
    )
