"""The power map against networkx on small maps, by brute force and by property."""

from __future__ import annotations

import datetime as dt
import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.network import (
    SYMMETRIC_TYPES,
    Actor,
    PowerMap,
    Relationship,
    brokers,
    build_power_map,
    centrality,
    communities,
    filter_map,
    shortest_paths,
)
from broadfront.analysis.network import measures as measures_module
from broadfront.exceptions import TooLargeError, ValidationError

TYPES = ["knows", "funds", "employs", "allied_with"]


def random_map(seed: int, n: int = 14, m: int = 30) -> tuple[PowerMap, list[Relationship]]:
    rng = np.random.default_rng(seed)
    actors = [Actor(f"a{i}") for i in range(n)]
    rels = [
        Relationship(f"a{rng.integers(n)}", f"a{rng.integers(n)}", TYPES[rng.integers(4)],
                     strength=float(rng.choice([0.5, 1.0, 2.0])))
        for _ in range(m)
    ]
    return build_power_map(actors, rels), rels


def reference_graph(n: int, rels: list[Relationship], directed: bool) -> nx.Graph:
    """networkx graph built straight from the relationships (parallel ties summed)."""
    g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(f"a{i}" for i in range(n))
    for r in rels:
        if r.source == r.target:
            continue
        pairs = [(r.source, r.target)]
        if directed and r.type in SYMMETRIC_TYPES:
            pairs.append((r.target, r.source))
        for u, v in pairs:
            old = g.get_edge_data(u, v, {"weight": 0.0})["weight"]
            g.add_edge(u, v, weight=old + r.strength)
    return g


seeds = st.integers(min_value=0, max_value=100_000)


@settings(max_examples=30, deadline=None)
@given(seeds, st.booleans(), st.sampled_from(["networkx", "rustworkx"]))
def test_degree_betweenness_and_pagerank_match_networkx(seed, directed, backend) -> None:
    pm, rels = random_map(seed)
    ref = reference_graph(14, rels, directed)
    c = centrality(pm, directed=directed, backend=backend, measures=("betweenness", "pagerank"))
    nodes = [f"a{i}" for i in range(14)]
    if directed:
        assert c.in_degree.tolist() == [ref.in_degree(v) for v in nodes]
        assert c.out_degree.tolist() == [ref.out_degree(v) for v in nodes]
        assert c.degree.tolist() == [len(set(ref.predecessors(v)) | set(ref.successors(v))) for v in nodes]
    else:
        assert c.degree.tolist() == [ref.degree(v) for v in nodes]
    bc = nx.betweenness_centrality(ref, normalized=True)
    assert np.allclose(c.betweenness, [bc[v] for v in nodes], atol=1e-9)
    ref_pr = ref if directed else ref.to_directed()
    pr = nx.pagerank(ref_pr, alpha=0.85, weight="weight", tol=1e-12, max_iter=10_000)
    assert np.allclose(c.pagerank, [pr[v] for v in nodes], atol=1e-7)


@settings(max_examples=15, deadline=None)
@given(seeds, st.sampled_from(["networkx", "rustworkx"]))
def test_eigenvector_centrality_matches_networkx_on_connected_maps(seed, backend) -> None:
    pm, rels = random_map(seed, n=10, m=40)
    ref = reference_graph(10, rels, directed=False)
    if not nx.is_connected(ref):
        return
    c = centrality(pm, backend=backend, measures=("eigenvector",))
    ev = nx.eigenvector_centrality_numpy(ref, weight="weight")
    assert np.allclose(np.abs(c.eigenvector), [abs(ev[f"a{i}"]) for i in range(10)], atol=1e-5)


@settings(max_examples=40, deadline=None)
@given(seeds, st.booleans(), st.booleans(), st.integers(1, 6))
def test_k_shortest_paths_have_the_lengths_networkx_finds(seed, directed, weighted, k) -> None:
    pm, rels = random_map(seed, n=10, m=22)
    ref = reference_graph(10, rels, directed)
    if weighted:  # cost of a step: 1 / strength of the strongest tie
        for u, v in ref.edges:
            ref[u][v]["cost"] = 1.0 / max(
                r.strength for r in rels
                if (r.source, r.target) == (u, v)
                or ((not directed or r.type in SYMMETRIC_TYPES) and (r.source, r.target) == (v, u))
            )
    got = shortest_paths(pm, "a0", "a1", k=k, directed=directed, weighted=weighted)
    try:
        expected = list(itertools.islice(
            nx.shortest_simple_paths(ref, "a0", "a1", weight="cost" if weighted else None), k))
    except nx.NetworkXNoPath:
        expected = []
    weight = (lambda p: nx.path_weight(ref, p, "cost")) if weighted else (lambda p: len(p) - 1)
    assert [p.cost for p in got.paths] == pytest.approx([weight(p) for p in expected])
    assert len({p.actors for p in got.paths}) == len(got.paths)
    for p in got.paths:
        assert len(set(p.actors)) == len(p.actors)
        assert all(ref.has_edge(s.source, s.target) for s in p.steps)
        assert p.actors[0] == "a0" and p.actors[-1] == "a1"


@settings(max_examples=30, deadline=None)
@given(seeds, st.booleans())
def test_brokers_score_as_networkx_subset_betweenness(seed, directed) -> None:
    pm, rels = random_map(seed, n=12, m=24)
    ref = reference_graph(12, rels, directed)
    coalition, targets = ["a0", "a1"], ["a2", "a3"]
    got = brokers(pm, coalition, targets, directed=directed, limit=None)
    expected = nx.betweenness_centrality_subset(ref, coalition, targets, normalized=False)
    # networkx halves undirected scores (it counts each unordered pair from both ends).
    factor = 1.0 if directed else 2.0
    scores = {b.actor: b.score for b in got.brokers}
    for v, value in expected.items():
        if v in coalition or v in targets:
            continue
        assert scores.get(v, 0.0) == pytest.approx(factor * value, abs=1e-9)


def test_a_path_names_the_relationship_types_of_each_step() -> None:
    pm = build_power_map(
        [Actor("us"), Actor("pastor"), Actor("mayor")],
        [Relationship("us", "pastor", "knows"), Relationship("pastor", "us", "funds"),
         Relationship("mayor", "pastor", "family")],
    )
    (path,) = shortest_paths(pm, "us", "mayor").paths
    assert [s.types for s in path.steps] == [("funds", "knows"), ("family",)]
    assert shortest_paths(pm, "us", "mayor", directed=True).paths[0].hops == 2  # family is two-way
    assert shortest_paths(pm, "mayor", "us", directed=True).paths[0].actors == ("mayor", "pastor", "us")


def test_no_path_gives_an_empty_answer() -> None:
    pm = build_power_map([Actor("a"), Actor("b")], [])
    assert shortest_paths(pm, "a", "b", k=3).paths == ()


def test_filters_keep_relationships_by_type_and_date() -> None:
    d = dt.date
    pm = build_power_map(
        [Actor("a"), Actor("b"), Actor("c")],
        [Relationship("a", "b", "employs", start=d(2018, 1, 1), end=d(2020, 12, 31)),
         Relationship("b", "c", "funds", start=d(2021, 1, 1)),
         Relationship("a", "c", "opposes")],
    )
    assert filter_map(pm, on=d(2019, 5, 1)).n_relationships == 2
    assert filter_map(pm, between=(d(2020, 6, 1), d(2021, 6, 1))).n_relationships == 3
    assert filter_map(pm, exclude_types={"opposes"}, on=d(2022, 1, 1)).n_relationships == 1
    assert shortest_paths(filter_map(pm, exclude_types={"opposes"}), "a", "c").paths[0].hops == 2


def test_louvain_finds_two_cliques_joined_by_one_tie() -> None:
    ties = [(u, v) for u, v in itertools.combinations(range(5), 2)]
    ties += [(u + 5, v + 5) for u, v in ties] + [(0, 5)]
    pm = build_power_map([Actor(f"p{i}") for i in range(10)],
                         [Relationship(f"p{u}", f"p{v}", "knows") for u, v in ties])
    c = communities(pm, rng=3)
    assert sorted(c.groups) == [tuple(f"p{i}" for i in range(5)), tuple(f"p{i}" for i in range(5, 10))]
    assert c.modularity == pytest.approx(nx.community.modularity(
        nx.Graph(ties), [set(range(5)), set(range(5, 10))]))


def test_exact_betweenness_over_budget_is_refused(monkeypatch) -> None:
    pm, _ = random_map(1)
    monkeypatch.setitem(measures_module.BETWEENNESS_WORK, "networkx", 10.0)
    with pytest.raises(TooLargeError):
        centrality(pm, backend="networkx")


def test_top_lists_the_most_central_actors() -> None:
    pm = build_power_map([Actor(x) for x in "abcd"],
                         [Relationship("a", x, "knows") for x in "bcd"])
    assert centrality(pm, directed=False).top("degree", 1) == [("a", 3.0)]


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda pm: shortest_paths(pm, "a", "zz"), "target"),
        (lambda pm: shortest_paths(pm, "a", "b", k=0), "k"),
        (lambda pm: centrality(pm, backend="igraph"), "backend"),
        (lambda pm: centrality(pm, measures=("closeness",)), "measures"),
        (lambda pm: brokers(pm, [], ["b"]), "coalition"),
        (lambda pm: filter_map(pm, on="2020-01-01"), "on"),
    ],
)
def test_bad_arguments_name_the_parameter(call, parameter) -> None:
    pm = build_power_map([Actor("a"), Actor("b")], [Relationship("a", "b", "knows")])
    with pytest.raises(ValidationError) as info:
        call(pm)
    assert info.value.parameter == parameter


def test_a_relationship_to_an_unknown_actor_is_refused_with_its_position() -> None:
    with pytest.raises(ValidationError, match="relationship 1: target 'x' is not an actor"):
        build_power_map([Actor("a")], [Relationship("a", "x", "knows")])


def sparse_random_map(seed: int, n: int, m: int, types: list[str] = TYPES) -> PowerMap:
    """A map from index arrays with heavy-tailed sources (hubs), parallel ties and self-ties."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n + 1) ** 0.8
    src = rng.choice(n, size=m, p=weights / weights.sum())
    dst = rng.integers(0, n, size=m)
    return PowerMap.from_arrays([f"a{i}" for i in range(n)], src, dst,
                                types=rng.integers(0, len(types), size=m), type_names=types)


def networkx_of(pm: PowerMap, directed: bool) -> nx.Graph:
    g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(range(pm.n_actors))
    for s, t, code in zip(pm.sources.tolist(), pm.targets.tolist(), pm.types.tolist(), strict=True):
        g.add_edge(s, t)
        if directed and pm.type_names[code] in SYMMETRIC_TYPES:
            g.add_edge(t, s)
    return g


@pytest.mark.parametrize("directed", [False, True])
def test_breadth_first_paths_on_a_map_with_hubs_have_networkx_hop_counts(directed) -> None:
    pm = sparse_random_map(7, n=3_000, m=6_000)
    ref = networkx_of(pm, directed)
    rng = np.random.default_rng(8)
    for a, b in rng.integers(0, 3_000, size=(60, 2)).tolist():
        got = shortest_paths(pm, f"a{a}", f"a{b}", directed=directed)
        try:
            expected = nx.shortest_path_length(ref, a, b)
        except nx.NetworkXNoPath:
            assert got.paths == ()
            continue
        (path,) = got.paths
        assert path.hops == expected
        assert all(ref.has_edge(int(s.source[1:]), int(s.target[1:])) for s in path.steps)


def test_repeated_queries_on_one_map_give_the_same_answers_as_a_fresh_map() -> None:
    pm = sparse_random_map(3, n=500, m=900)
    pairs = [("a0", "a1"), ("a5", "a5"), ("a2", "a499"), ("a0", "a1")]
    first = [shortest_paths(pm, s, t, k=3) for s, t in pairs]
    again = [shortest_paths(pm, s, t, k=3) for s, t in pairs]
    fresh = [shortest_paths(sparse_random_map(3, n=500, m=900), s, t, k=3) for s, t in pairs]
    assert first == again == fresh
    assert first[1].paths[0].actors == ("a5",)


@pytest.mark.parametrize("chunk", [1, 7, 256, 1 << 18])  # runs of equal ties cross chunk borders
def test_degree_counts_distinct_neighbours_on_a_map_with_parallel_and_self_ties(monkeypatch, chunk) -> None:
    monkeypatch.setattr(measures_module, "_CHUNK", chunk)
    pm = sparse_random_map(11, n=400, m=3_000)
    assert (pm.sources == pm.targets).any()
    for directed in (False, True):
        ref = networkx_of(pm, directed)
        ref.remove_edges_from(list(nx.selfloop_edges(ref)))
        c = centrality(pm, directed=directed, measures=())
        if directed:
            assert c.in_degree.tolist() == [ref.in_degree(v) for v in range(400)]
            assert c.out_degree.tolist() == [ref.out_degree(v) for v in range(400)]
            assert c.degree.tolist() == [len(set(ref.predecessors(v)) | set(ref.successors(v)))
                                         for v in range(400)]
        else:
            assert c.degree.tolist() == [ref.degree(v) for v in range(400)]


def test_sparse_pagerank_agrees_with_networkx_on_a_map_with_dangling_actors() -> None:
    pm = sparse_random_map(5, n=6_000, m=9_000)  # about a third of the actors have no way out
    g = nx.DiGraph()  # self-ties dropped, parallel ties summed, two-way types both ways
    g.add_nodes_from(range(pm.n_actors))
    for s, t, code in zip(pm.sources.tolist(), pm.targets.tolist(), pm.types.tolist(), strict=True):
        arcs = [(s, t), (t, s)] if pm.type_names[code] in SYMMETRIC_TYPES else [(s, t)]
        for u, v in arcs:
            if u != v:
                g.add_edge(u, v, weight=g.get_edge_data(u, v, {"weight": 0.0})["weight"] + 1.0)
    assert sum(1 for v in g if g.out_degree(v) == 0) > 1_000
    c = centrality(pm, measures=("pagerank",), backend="rustworkx")
    ref = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-10, max_iter=1000)
    assert np.allclose(c.pagerank, [ref[i] for i in range(pm.n_actors)], rtol=1e-9, atol=0)
    assert c.top("pagerank", 5) == [
        (f"a{i}", pytest.approx(v)) for i, v in sorted(ref.items(), key=lambda kv: -kv[1])[:5]
    ]


def test_paths_of_equal_cost_come_in_map_order() -> None:
    # us reaches the target through b or through a; a is listed first on the map
    pm = build_power_map([Actor(x) for x in ["us", "a", "b", "target"]],
                         [Relationship("us", "b", "knows"), Relationship("b", "target", "knows"),
                          Relationship("us", "a", "knows"), Relationship("a", "target", "knows")])
    assert [p.actors for p in shortest_paths(pm, "us", "target", k=2).paths] == [
        ("us", "a", "target"), ("us", "b", "target")]


def test_louvain_above_its_limit_is_refused(monkeypatch) -> None:
    pm, _ = random_map(2)
    monkeypatch.setattr(measures_module, "LOUVAIN_MAX_RELATIONSHIPS", 10)
    with pytest.raises(TooLargeError, match="limited to 10 relationships"):
        communities(pm)


def test_a_filtered_map_finds_its_actors_and_refuses_unknown_ones() -> None:
    pm = sparse_random_map(1, n=50, m=80)
    kept = filter_map(pm, types={"knows"})
    assert kept.index_of("a49") == 49
    with pytest.raises(ValidationError, match="'zz' is not on the map"):
        kept.index_of("zz", "source")
    with pytest.raises(ValidationError, match="unique"):
        PowerMap.from_arrays(["a", "a"], np.array([0]), np.array([1]))


def test_eigenvector_with_equal_strengths_matches_networkx_on_the_compiled_backend() -> None:
    g = nx.gnm_random_graph(300, 1_200, seed=1)
    ties = np.array(list(g.edges()))
    pm = PowerMap.from_arrays([f"a{i}" for i in range(300)], ties[:, 0], ties[:, 1])
    ref = nx.eigenvector_centrality_numpy(g)
    c = centrality(pm, measures=("eigenvector",), backend="rustworkx")
    assert np.allclose(np.abs(c.eigenvector), [abs(ref[i]) for i in range(300)], atol=1e-7)
