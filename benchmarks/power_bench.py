"""Benchmark of broadfront.analysis.power against powerindex and powerindices, in one run.

Run: ``.venv/bin/python benchmarks/power_bench.py`` (writes ``benchmarks/results/power.json``).
``--rerun-ours banzhaf_float`` re-measures only Broadfront's rows of an index that has no peer
rows, into the existing file. ``--cases A,B [--indices X,Y]`` re-measures only those cases
(and indices), peers included, and replaces their rows (and first-call rows) in the existing
file. ``--robustness`` re-measures only the robustness rows (the fewest defections that break
a majority and how many such sets), into the existing file.

Each measurement runs in its own subprocess (peak memory = that process's max RSS; the time
excludes imports and, for Broadfront, numba loading, which a warm-up on a tiny game pays).
Peers are capped at 120 s; a peer that timed out at a smaller n is not run at larger n.
``seconds`` is the first call in the process (as in earlier runs); when that took under
``REPEAT_BELOW`` seconds, the same call is repeated on freshly built game objects (for every
tool alike, so no tool reuses anything computed for an earlier game object) and
``median_seconds`` is the median of those repeats. For those fast rows the first call is
also timed in ``FIRST_CALL_PROCESSES`` fresh processes per tool, interleaved between the
tools, and ``first_call_median_seconds`` is the median (a single first call of a computation
that takes microseconds mostly measures the state of the CPU caches). ``cold_cache`` rows time
every tool with the CPU caches flushed before each call (64 MiB overwritten), the worst case.
Every tool is loaded alike before timing: imported and called once on a tiny game. All ratios
are reported. Every row gives the process CPU time beside the wall time.
Peers (benchmark only, not dependencies): ``pip install powerindex powerindices``.
The machine has 2 cores and is shared: timings are noisy.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

PEER_TIMEOUT = 120.0
#: First calls faster than this are repeated (up to REPEATS times or REPEAT_SECONDS in all).
REPEAT_BELOW = 0.2
REPEATS = 20
REPEAT_SECONDS = 2.0
OURS_TIMEOUT = 300.0
HERE = Path(__file__).resolve().parent

# Electoral votes by state for the 2024 and 2028 elections (2020 census apportionment);
# Maine and Nebraska counted as single units.
ELECTORAL_2024 = {
    "AL": 9, "AK": 3, "AZ": 11, "AR": 6, "CA": 54, "CO": 10, "CT": 7, "DE": 3, "DC": 3, "FL": 30,
    "GA": 16, "HI": 4, "ID": 4, "IL": 19, "IN": 11, "IA": 6, "KS": 6, "KY": 8, "LA": 8, "ME": 4,
    "MD": 10, "MA": 11, "MI": 15, "MN": 10, "MS": 6, "MO": 10, "MT": 4, "NE": 5, "NV": 6, "NH": 4,
    "NJ": 14, "NM": 5, "NY": 28, "NC": 16, "ND": 3, "OH": 17, "OK": 7, "OR": 8, "PA": 19, "RI": 4,
    "SC": 9, "SD": 3, "TN": 11, "TX": 40, "UT": 6, "VT": 3, "VA": 13, "WA": 12, "WV": 4, "WI": 10,
    "WY": 3,
}
assert sum(ELECTORAL_2024.values()) == 538


def make_case(name: str) -> tuple[list[int], int]:
    """Weights and quota of a named case."""
    if name.startswith("random_"):
        n = int(name.split("_")[1])
        w = np.random.default_rng(0).integers(1, 1001, n)
        return [int(x) for x in w], int(w.sum()) // 2 + 1
    if name == "electoral_college_2024":
        return list(ELECTORAL_2024.values()), 270
    if name == "n30_weights_1e6":
        w = np.random.default_rng(0).integers(1, 1_000_001, 30)
        return [int(x) for x in w], int(w.sum()) // 2 + 1
    if name == "council_100":
        w = np.random.default_rng(0).integers(1, 21, 100)
        return [int(x) for x in w], int(w.sum()) // 2 + 1
    if name == "convention_1300_plus_5_blocs":
        delegates = [130, 90, 60, 45, 25] + [1] * 1300
        return delegates, -(-sum(delegates) * 3 // 5)  # 60% to endorse
    raise ValueError(name)


# ---------------------------------------------------------------------------------------------
# worker: one measurement per process


def _worker(task: dict) -> dict:
    weights, quota = make_case(task["case"])
    tool, what = task["tool"], task["what"]
    if task.get("cold"):
        # a fresh process with the on-disk numba cache warm: import plus first call
        t0 = time.perf_counter()
        from broadfront.analysis.power import WeightedGame, banzhaf, shapley_shubik

        game = WeightedGame(weights, quota)
        r = banzhaf(game, method="exact") if what == "banzhaf_exact" else shapley_shubik(game)
        sec = time.perf_counter() - t0
        return {
            "seconds": sec,
            "numba_loaded": "numba" in sys.modules,
            "method": r.method,
            "values": r.values.tolist(),
        }
    make, call, to_values = _tool(tool, what, weights, quota)
    if task.get("flush"):
        return _flushed(make, call)
    r, sec, cpu, reps = _timed(make, call, repeat=not task.get("first_only"))
    extra: dict = {"cpu_seconds_all_threads": cpu, **reps}
    if tool == "broadfront":
        extra.update(method=r.method, error_bound=r.error_bound, samples=r.samples)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB on Linux
    values = [float(v) for v in to_values(r)]
    return {"seconds": sec, "peak_rss_mib": peak, "values": values, **extra}


def _tool(tool: str, what: str, weights: list[int], quota: int):  # type: ignore[no-untyped-def]
    """``(make, call, to_values)`` of one tool, loaded and run once on a tiny game.

    Every tool is loaded the same way before the timing: imported and called once on the game
    ``[3, 2, 2]``, quota 4. For Broadfront that also loads the numba kernels from the on-disk
    cache (a fresh process solves small bodies in numpy until they are loaded, and the 2-thread
    exact Banzhaf kernel runs on large tables only).
    """
    if tool == "broadfront":
        from broadfront.analysis.power import (
            WeightedGame,
            _kernels,
            _modular,
            banzhaf,
            shapley_shubik,
        )

        primes = _modular.crt_basis(2)[0]
        one = np.ones(3, dtype=np.int64)
        _kernels.banzhaf_swings_mod_parallel(one, one[:1], 2, primes)
        tiny = WeightedGame([3, 2, 2], 4)
        banzhaf(tiny, method="exact")
        banzhaf(tiny, method="float")
        shapley_shubik(tiny, method="exact")

        def make():  # type: ignore[no-untyped-def]
            return WeightedGame(weights, quota)

        def call(game):  # type: ignore[no-untyped-def]
            if what == "banzhaf_exact":
                return banzhaf(game, method="exact")
            if what == "banzhaf_float":
                return banzhaf(game, method="float")
            return shapley_shubik(game, method="auto", rng=0)

        return make, call, lambda r: r.values.tolist()
    if tool == "powerindex":
        import powerindex as px

        def make_px(w=weights, q=quota):  # type: ignore[no-untyped-def]
            return px.Game(quota=q, weights=w)

        def call_px(g):  # type: ignore[no-untyped-def]
            if what.startswith("banzhaf"):
                g.calc_banzhaf()
                return list(g.banzhaf)
            g.calc_shapley_shubik()
            return list(g.shapley_shubik)

        call_px(make_px([3, 2, 2], 4))
        return make_px, call_px, lambda r: r
    import powerindices as pi

    def call_pi(_, w=weights, q=quota):  # type: ignore[no-untyped-def]
        if what.startswith("banzhaf"):
            return list(pi.compute_pbi(q, w))
        return list(pi.compute_ssi(q, w))

    call_pi(None, [3, 2, 2], 4)
    return (lambda: None), call_pi, lambda r: r


def _timed(make, call, repeat=True):  # type: ignore[no-untyped-def]
    """First call (wall and CPU seconds), then repeats on fresh objects if it was fast."""
    obj = make()
    c0, t0 = time.process_time(), time.perf_counter()
    out = call(obj)
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    reps: dict = {}
    if repeat and sec < REPEAT_BELOW:
        walls, cpus = [], []
        start = time.perf_counter()
        while len(walls) < REPEATS and time.perf_counter() - start < REPEAT_SECONDS:
            obj = make()  # built outside the timed region, as for the first call
            c0, t0 = time.process_time(), time.perf_counter()
            call(obj)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        reps = {
            "repeats": len(walls),
            "median_seconds": float(np.median(walls)),
            "median_cpu_seconds": float(np.median(cpus)),
        }
    return out, sec, cpu, reps


#: Bytes overwritten before each call of the cold-cache measurement (far above the caches).
FLUSH_BYTES = 64 * 2**20
FLUSH_CALLS = 15


def _flushed(make, call) -> dict:  # type: ignore[no-untyped-def]
    """Median time of calls that each start with cold CPU caches (every tool alike).

    Before each call a fresh game object is built and ``FLUSH_BYTES`` of memory are
    overwritten, which evicts the code and data of the interpreter, numpy, numba and the tool
    from the CPU caches: the worst case for a call that takes microseconds.
    """
    junk = np.zeros(FLUSH_BYTES // 8)
    walls = []
    for _ in range(FLUSH_CALLS):
        obj = make()
        junk += 1.0
        t0 = time.perf_counter()
        call(obj)
        walls.append(time.perf_counter() - t0)
    return {"calls": len(walls), "median_seconds": float(np.median(walls)), "values": []}


def run(task: dict, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--worker", json.dumps(task)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": None, "timeout": timeout}
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"status": "error", "error": err[:300], "wall": time.perf_counter() - t0}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["status"] = "ok"
    return out


def machine() -> dict:
    import numba

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "peers": {"powerindex": _version("powerindex"), "powerindices": _version("powerindices")},
        "note": (
            "2-core machine shared with other engineers during the run (see the load "
            "averages); wall-clock timings are noisy. Every row also gives the process CPU "
            "time (all threads). Exact Banzhaf runs its primes on 2 threads when the table is "
            "large. 'seconds' is the first call in the process; 'median_seconds' the median "
            "of repeats on fresh game objects (all tools alike) when the first call was fast."
        ),
    }


def _version(pkg: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(pkg)
    except PackageNotFoundError:
        return None


CASES = [
    "random_100", "random_200", "random_500", "random_1000",
    "electoral_college_2024", "n30_weights_1e6", "council_100", "convention_1300_plus_5_blocs",
]
#: import + first call in a fresh process (numba cache on disk warm)
COLD = [
    ("council_100", "banzhaf_exact"),
    ("council_100", "shapley_shubik"),
    ("electoral_college_2024", "banzhaf_exact"),
    ("random_1000", "banzhaf_exact"),
]
GOALS = {
    ("random_1000", "banzhaf_exact"): 1.0,
    ("random_1000", "banzhaf_float"): 0.3,
    ("random_200", "shapley_shubik"): 1.0,
    ("random_500", "shapley_shubik"): 15.0,
    ("council_100", "banzhaf_exact"): 0.1,
    ("council_100", "shapley_shubik"): 0.1,
    ("convention_1300_plus_5_blocs", "shapley_shubik"): 1.0,
    ("convention_1300_plus_5_blocs", "banzhaf_exact"): 1.0,
}


INDICES = ("banzhaf_exact", "banzhaf_float", "shapley_shubik")


def main(cases: list[str] | None = None, indices: list[str] | None = None) -> None:
    """Run the benchmark; with ``cases`` (and ``indices``) only those rows, merged into the file."""
    start_load = list(os.getloadavg())
    results = []
    timed_out: set[tuple[str, str]] = set()
    for case in cases or CASES:
        for what in indices or INDICES:
            task = {"case": case, "tool": "broadfront", "what": what}
            ours = run(task, OURS_TIMEOUT)
            peers: dict[str, dict] = {}
            row: dict = {"case": case, "index": what, "broadfront": _strip(ours), "peers": peers}
            if (case, what) in GOALS:
                row["goal_seconds"] = GOALS[(case, what)]
            print(case, what, "broadfront", ours.get("status"), ours.get("seconds"), flush=True)
            if what != "banzhaf_float":
                for peer in ("powerindex", "powerindices"):
                    fam = "banzhaf" if what.startswith("banzhaf") else "ss"
                    if case.startswith("random_") and (peer, fam) in timed_out:
                        peers[peer] = {"status": "skipped: timed out at a smaller n"}
                        continue
                    res = run({"case": case, "tool": peer, "what": what}, PEER_TIMEOUT)
                    if res["status"] == "timeout" and case.startswith("random_"):
                        timed_out.add((peer, fam))
                    if res["status"] == "ok" and ours.get("status") == "ok":
                        a, b = np.array(res["values"]), np.array(ours["values"])
                        res["max_abs_diff_vs_broadfront"] = (
                            float(np.max(np.abs(a - b))) if a.shape == b.shape else None
                        )
                        res["speedup_of_broadfront"] = res["seconds"] / max(ours["seconds"], 1e-9)
                        if "median_seconds" in res and "median_seconds" in ours:
                            res["speedup_of_broadfront_median"] = res["median_seconds"] / max(
                                ours["median_seconds"], 1e-9
                            )
                    peers[peer] = _strip(res)
                    print("   ", peer, res.get("status"), res.get("seconds"), flush=True)
            if "median_seconds" in ours:
                _first_calls(case, what, row)
            results.append(row)
    cold = []
    for case, what in COLD:
        if cases and (case not in cases or (indices and what not in indices)):
            continue
        res = run({"case": case, "tool": "broadfront", "what": what, "cold": True}, OURS_TIMEOUT)
        cold.append({"case": case, "index": what, **_strip(res)})
        print("cold", case, what, res.get("status"), res.get("seconds"), flush=True)
    flushed = [
        cold_cache_row(case, what) for case, what in COLD_CACHE
        if not cases or (case in cases and (not indices or what in indices))
    ]
    if cases:
        merge_rows(results, cold, start_load, flushed)
        return
    info = machine()
    info["load_average_at_start"] = start_load
    info["load_average_at_end"] = list(os.getloadavg())
    out = {
        "machine": info,
        "peer_timeout_seconds": PEER_TIMEOUT,
        "results": results,
        "first_call_in_fresh_process": cold,
        "cold_cache": flushed,
        "robustness": robustness_rows(),
    }
    path = HERE / "results" / "power.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print("wrote", path)


#: Fresh processes whose first call is timed, per tool, for rows whose first call is fast.
FIRST_CALL_PROCESSES = 9


def _first_calls(case: str, what: str, row: dict) -> None:
    """Median of the first call over several fresh processes, for every tool alike.

    A single first call of a computation that takes microseconds mostly measures the state of
    the CPU caches at that moment (see :func:`_flushed`), so it is repeated in
    ``FIRST_CALL_PROCESSES`` processes, interleaved between the tools so that changes in the
    machine's load fall on all of them, and the median is reported.
    """
    tools = {"broadfront": row["broadfront"]}
    tools.update({p: r for p, r in row["peers"].items() if r.get("status") == "ok"})
    firsts = {tool: [r["seconds"]] for tool, r in tools.items()}
    for _ in range(FIRST_CALL_PROCESSES - 1):
        for tool in tools:
            timeout = OURS_TIMEOUT if tool == "broadfront" else PEER_TIMEOUT
            res = run({"case": case, "tool": tool, "what": what, "first_only": True}, timeout)
            if res["status"] == "ok":
                firsts[tool].append(res["seconds"])
    for tool, r in tools.items():
        r["first_call_processes"] = len(firsts[tool])
        r["first_call_median_seconds"] = float(np.median(firsts[tool]))
    ours = tools["broadfront"]["first_call_median_seconds"]
    for tool, r in tools.items():
        if tool != "broadfront":
            r["speedup_of_broadfront_first_call_median"] = r["first_call_median_seconds"] / ours
    print("    first calls (median over processes):", {
        t: r["first_call_median_seconds"] for t, r in tools.items()
    }, flush=True)


#: Rows timed with cold CPU caches (see :func:`_flushed`), every tool alike.
COLD_CACHE = [("electoral_college_2024", "banzhaf_exact"), ("council_100", "banzhaf_exact")]


def cold_cache_row(case: str, what: str) -> dict:
    """One row of the cold-cache measurement: each tool in its own process."""
    row: dict = {"case": case, "index": what, "calls_per_tool": FLUSH_CALLS}
    for tool in ("broadfront", "powerindex", "powerindices"):
        res = run({"case": case, "tool": tool, "what": what, "flush": True}, PEER_TIMEOUT)
        row[tool] = res.get("median_seconds") if res["status"] == "ok" else res["status"]
    for peer in ("powerindex", "powerindices"):
        if isinstance(row[peer], float) and isinstance(row["broadfront"], float):
            row[f"speedup_vs_{peer}"] = row[peer] / row["broadfront"]
    print("cold cache", row, flush=True)
    return row


#: Sides (members on our side) of the 100-member body ``random_100`` timed by ``robustness``.
ROBUSTNESS_SIDES = (55, 70, 85, 100)
ROBUSTNESS_GOAL_SECONDS = 0.02


def robustness_rows() -> dict:
    """Time ``robustness`` on sides of a 100-member body (weights 1..1000, simple majority).

    In this process, median of 5 calls after one warm-up, beside the previous method (a
    table over (size, excess) of Python integers, still in the code as the general
    multi-condition path), whose count must agree.
    """
    from broadfront.analysis.power import WeightedGame, robustness
    from broadfront.analysis.power import coalitions as co

    weights, quota = make_case("random_100")
    w = np.array(weights, dtype=np.int64)
    game = WeightedGame(weights, quota)
    rows = []
    for size in ROBUSTNESS_SIDES:
        side = np.zeros(w.size, dtype=bool)
        side[np.random.default_rng(size).permutation(w.size)[:size]] = True
        robustness(game, side)
        secs, cpus = [], []
        for _ in range(5):
            c0, t0 = time.process_time(), time.perf_counter()
            r = robustness(game, side)
            secs.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        e = int(w[side].sum()) - quota
        t0 = time.perf_counter()
        old = co._count_breaking([w[side]], [e], r.size, True) if r.winning else 1
        old_sec = time.perf_counter() - t0
        assert old == r.count
        sec = float(np.median(secs))
        rows.append({
            "case": "random_100", "side": size, "winning": r.winning, "size": r.size,
            "count_digits": len(str(r.count)), "seconds": sec,
            "cpu_seconds": float(np.median(cpus)), "goal_seconds": ROBUSTNESS_GOAL_SECONDS,
            "previous_method_seconds": old_sec, "speedup_vs_previous": old_sec / max(sec, 1e-9),
        })
        print("robustness side", size, sec, "previous", old_sec, flush=True)
    return {"load_average": list(os.getloadavg()), "rows": rows}


def rerun_robustness() -> None:
    """Re-measure only the robustness rows into the existing results file."""
    path = HERE / "results" / "power.json"
    out = json.loads(path.read_text())
    out["robustness"] = robustness_rows()
    path.write_text(json.dumps(out, indent=2) + "\n")
    print("updated", path)


def merge_rows(
    results: list[dict], cold: list[dict], start_load: list[float], flushed: list[dict]
) -> None:
    """Replace the given rows (first-call and cold-cache rows too) of the existing file."""
    path = HERE / "results" / "power.json"
    out = json.loads(path.read_text())
    load = {"load_average_at_start": start_load, "load_average_at_end": list(os.getloadavg())}
    for row in results + cold + flushed:
        row["remeasured_separately"] = load
    for key, new_rows in (
        ("results", results), ("first_call_in_fresh_process", cold), ("cold_cache", flushed)
    ):
        rows = out.setdefault(key, [])
        for new_row in new_rows:
            where = [
                i for i, r in enumerate(rows)
                if (r["case"], r["index"]) == (new_row["case"], new_row["index"])
            ]
            if where:
                rows[where[0]] = new_row
            else:
                rows.append(new_row)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print("updated", path)


def _strip(res: dict) -> dict:
    return {k: v for k, v in res.items() if k != "values"}


def rerun_ours(index: str) -> None:
    """Re-measure Broadfront's rows of one index (no peers) into the existing results file.

    Only for indices without peer measurements (``banzhaf_float``), after a change to that
    code path; the rows say when they were re-measured.
    """
    path = HERE / "results" / "power.json"
    out = json.loads(path.read_text())
    for row in out["results"]:
        if row["index"] != index:
            continue
        res = run({"case": row["case"], "tool": "broadfront", "what": index}, OURS_TIMEOUT)
        ours: dict = _strip(res)
        ours["remeasured_separately"] = True
        ours["load_average"] = list(os.getloadavg())
        row["broadfront"] = ours
        print(row["case"], index, res.get("status"), res.get("seconds"), flush=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print("updated", path)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        print(json.dumps(_worker(json.loads(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "--rerun-ours":
        rerun_ours(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "--robustness":
        rerun_robustness()
    elif len(sys.argv) >= 3 and sys.argv[1] == "--cases":
        # e.g. --cases electoral_college_2024,council_100 [--indices banzhaf_exact]
        chosen = sys.argv[2].split(",")
        which = sys.argv[4].split(",") if sys.argv[3:4] == ["--indices"] else None
        unknown = [c for c in chosen if c not in CASES] + [
            i for i in which or [] if i not in INDICES
        ]
        if unknown:
            sys.exit(f"unknown case or index: {', '.join(unknown)}")
        main(chosen, which)
    else:
        main()
