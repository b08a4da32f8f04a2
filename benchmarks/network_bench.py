"""Benchmark: a power map of 500,000 actors and 2,000,000 relationships, against networkx.

Each contender runs in its own child process so that its peak memory (ru_maxrss) is its
own: building the map from the same arrays, degree, PageRank (damping 0.85) and 100
shortest-path queries between random pairs (plus 10 queries for the 3 shortest paths with
Broadfront). Broadfront runs with ``backend="auto"`` (rustworkx at this size); networkx
runs on the full map (``nx.DiGraph``, ``nx.pagerank``, ``nx.shortest_path`` on the
undirected view). The map is random with heavy-tailed degrees (sources and targets drawn
from a Zipf-like law), seed 2024.

Usage: .venv/bin/python benchmarks/network_bench.py [--actors N --relationships M]
       -> benchmarks/results/network.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "results" / "network.json"


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            return next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor()


def make_arrays(n: int, m: int, seed: int = 2024) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n + 1) ** 0.8
    weights /= weights.sum()
    perm = rng.permutation(n)
    src = perm[rng.choice(n, size=m, p=weights)]
    dst = rng.integers(0, n, size=m)
    types = rng.integers(0, 6, size=m)
    pairs = rng.integers(0, n, size=(110, 2))
    return src.astype(np.int32), dst.astype(np.int32), types.astype(np.int16), pairs


def run_broadfront(n: int, m: int) -> dict:
    from broadfront.analysis.network import PowerMap, centrality, shortest_paths

    src, dst, types, pairs = make_arrays(n, m)
    out: dict = {}
    t0 = time.perf_counter()
    pm = PowerMap.from_arrays(
        [f"a{i}" for i in range(n)], src, dst, types=types,
        type_names=("member_of", "funds", "employs", "endorses", "lobbies", "opposes"),
    )
    out["build_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    c = centrality(pm, measures=("degree",))
    out["degree_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    c = centrality(pm, measures=("pagerank",))
    out["pagerank_seconds"] = time.perf_counter() - t0
    out["backend"] = c.backend
    t0 = time.perf_counter()
    hops = []
    for a, b in pairs[:100]:
        found = shortest_paths(pm, f"a{a}", f"a{b}")
        hops.append(found.paths[0].hops if found.paths else -1)
    out["paths_100_seconds"] = time.perf_counter() - t0
    out["first_query_includes_index_build"] = True
    t0 = time.perf_counter()
    for a, b in pairs[100:110]:
        shortest_paths(pm, f"a{a}", f"a{b}", k=3)
    out["k3_paths_10_seconds"] = time.perf_counter() - t0
    out["hops"] = hops
    out["top_pagerank"] = c.top("pagerank", 3)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_networkx(n: int, m: int) -> dict:
    import networkx as nx

    src, dst, _, pairs = make_arrays(n, m)
    out: dict = {}
    t0 = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    out["build_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    dict(g.in_degree())
    dict(g.out_degree())
    out["degree_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pr = nx.pagerank(g, alpha=0.85, tol=1e-10, max_iter=1000)
    out["pagerank_seconds"] = time.perf_counter() - t0
    und = g.to_undirected(as_view=True)
    t0 = time.perf_counter()
    hops = []
    for a, b in pairs[:100]:
        try:
            hops.append(len(nx.shortest_path(und, int(a), int(b))) - 1)
        except nx.NetworkXNoPath:
            hops.append(-1)
    out["paths_100_seconds"] = time.perf_counter() - t0
    out["hops"] = hops
    out["top_pagerank"] = sorted(pr.items(), key=lambda kv: -kv[1])[:3]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, default=500_000)
    parser.add_argument("--relationships", type=int, default=2_000_000)
    parser.add_argument("--child", choices=["broadfront", "networkx"])
    args = parser.parse_args()
    if args.child:
        fn = run_broadfront if args.child == "broadfront" else run_networkx
        print(json.dumps(fn(args.actors, args.relationships)))
        return
    results = {}
    for name in ("broadfront", "networkx"):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, __file__, "--child", name, "--actors", str(args.actors),
             "--relationships", str(args.relationships)],
            capture_output=True, text=True, check=True,
        )
        results[name] = json.loads(proc.stdout)
        results[name]["wall_seconds_child"] = time.perf_counter() - t0
        print(name, {k: v for k, v in results[name].items() if k not in ("hops",)})
    bf, nxr = results["broadfront"], results["networkx"]
    same_hops = bf["hops"] == nxr["hops"]
    ratios = {
        k: nxr[k] / bf[k] for k in ("build_seconds", "degree_seconds", "pagerank_seconds", "paths_100_seconds", "peak_rss_mb")
        if bf[k] > 0
    }
    import networkx
    import rustworkx

    report = {
        "machine": {
            "cpu": cpu_name(),
            "cores": os.cpu_count(),
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "networkx": networkx.__version__,
            "rustworkx": rustworkx.__version__,
            "note": "shared 2-core machine with other engineers working; timings are noisy",
        },
        "actors": args.actors,
        "relationships": args.relationships,
        "networkx_on_full_map": True,
        "path_hop_counts_agree_with_networkx": same_hops,
        "broadfront": {k: v for k, v in bf.items() if k != "hops"},
        "networkx": {k: v for k, v in nxr.items() if k != "hops"},
        "ratio_networkx_over_broadfront": ratios,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print("hop counts agree:", same_hops)
    print("ratios networkx/broadfront:", {k: round(v, 2) for k, v in ratios.items()})
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
