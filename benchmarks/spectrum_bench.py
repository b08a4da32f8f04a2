"""Benchmark: ideal points by EM on real US Senates (one core).

Runs
- the 109th Senate (100 senators, 645 roll calls; 520 after the 2.5% rule): median of 7 fits;
- every Senate from the 80th to the 110th Congress (1947-2008, 31 chambers), fitted one by
  one, timing the fits (loading the 1.9 million votes is timed separately);
and records agreement with the published scores shipped with the data (pscl::ideal and
DW-NOMINATE). Data: /work/shared/data/rollcall (read in place, never copied).

Peers: pscl::ideal (Bayesian MCMC) took 58 s for the 109th Senate on this CPU according to
the data README; R is not installed here, so no peer runs in the same process.

Usage: .venv/bin/python benchmarks/spectrum_bench.py  -> benchmarks/results/spectrum.json
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, as the issue asks
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import csv  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from broadfront.analysis.spectrum import fit_ideal_points  # noqa: E402

DATA = Path("/work/shared/data/rollcall")
OUT = Path(__file__).resolve().parent / "results" / "spectrum.json"


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = ""
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "blas_threads": os.environ["OPENBLAS_NUM_THREADS"],
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "platform": platform.platform(),
        "note": "shared 2-core machine with other engineers working; timings are noisy",
    }


def senate_109() -> dict:
    with open(DATA / "s109_votes.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    with open(DATA / "s109_legislators.csv", newline="") as fh:
        table = {r["legislator_id"]: r for r in csv.DictReader(fh)}
    ids = [r[0] for r in rows[1:] if table[r[0]]["is_president"] == "0"]
    votes = np.array([[float(v) if v else np.nan for v in r[1:]] for r in rows[1:] if table[r[0]]["is_president"] == "0"])
    anchor = next(m for m in ids if table[m]["party"] == "R")
    times, cpu = [], []
    for _ in range(7):
        t0, c0 = time.perf_counter(), time.process_time()
        fit = fit_ideal_points(votes, ids, anchor=anchor)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    t0 = time.perf_counter()
    fit_ideal_points(votes, ids, anchor=anchor, n_boot=100, rng=1)
    t_boot = time.perf_counter() - t0
    x = fit.positions[:, 0]
    ref = {c: np.array([float(table[m][c]) for m in fit.members]) for c in ("pscl_ideal_mean", "dwnominate_dim1_sl80110")}
    return {
        "members": len(fit.members),
        "roll_calls": votes.shape[1],
        "votes_used": fit.votes_used,
        "seconds_median": statistics.median(times),
        "seconds_all": times,
        "cpu_seconds_median": statistics.median(cpu),
        "iterations": fit.iterations,
        "correct_classification": fit.correct_classification,
        "apre": fit.apre,
        "r_pscl_ideal": float(np.corrcoef(x, ref["pscl_ideal_mean"])[0, 1]),
        "r_dwnominate": float(np.corrcoef(x, ref["dwnominate_dim1_sl80110"])[0, 1]),
        "seconds_with_100_bootstrap_replicates": t_boot,
        "peer_pscl_ideal_seconds_reported": 58.0,
        "ratio_pscl_over_broadfront": 58.0 / statistics.median(times),
        "ratio_note": "pscl time from the data README (same CPU, not run in this process: R absent)",
    }


def all_senates() -> dict:
    t0 = time.perf_counter()
    with open(DATA / "senate80_110_legislators.csv", newline="") as fh:
        legislators = list(csv.DictReader(fh))
    with open(DATA / "senate80_110_rollcalls.csv", newline="") as fh:
        congress_of_rollcall = {int(r["rollcall"]): int(r["congress"]) for r in csv.DictReader(fh)}
    with gzip.open(DATA / "senate80_110_votes_long.csv.gz", "rt", newline="") as fh:
        long = np.loadtxt(fh, delimiter=",", skiprows=1, dtype=np.int64)
    t_load = time.perf_counter() - t0
    row_congress = {int(r["row"]): int(r["congress"]) for r in legislators}
    by_row = {int(r["row"]): r for r in legislators}
    rc_congress = np.array([congress_of_rollcall[int(c)] for c in long[:, 1]])
    per = []
    t_fit_total = cpu_total = 0.0
    for congress in range(80, 111):
        sel = long[rc_congress == congress]
        rows = sorted({int(r) for r in sel[:, 0]})
        cols = sorted({int(c) for c in sel[:, 1]})
        ri = {r: i for i, r in enumerate(rows)}
        ci = {c: j for j, c in enumerate(cols)}
        y = np.full((len(rows), len(cols)), np.nan)
        y[[ri[int(r)] for r in sel[:, 0]], [ci[int(c)] for c in sel[:, 1]]] = sel[:, 2]
        members = [str(r) for r in rows]
        dw = np.array([float(by_row[r]["dwnominate_dim1"]) for r in rows])
        anchor = members[int(np.argmax(dw))]
        assert all(row_congress[r] == congress for r in rows)
        t1, c1 = time.perf_counter(), time.process_time()
        fit = fit_ideal_points(y, members, anchor=anchor, min_votes=10)
        dt_fit = time.perf_counter() - t1
        t_fit_total += dt_fit
        cpu_total += time.process_time() - c1
        kept = np.array([by_row[int(m)]["dwnominate_dim1"] for m in fit.members], dtype=float)
        per.append({
            "congress": congress,
            "members": len(fit.members),
            "votes_used": fit.votes_used,
            "seconds": dt_fit,
            "correct_classification": fit.correct_classification,
            "r_dwnominate": float(np.corrcoef(fit.positions[:, 0], kept)[0, 1]),
        })
    rs = [p["r_dwnominate"] for p in per]
    return {
        "chambers": len(per),
        "seconds_loading_1_9M_votes": t_load,
        "seconds_fitting_all": t_fit_total,
        "cpu_seconds_fitting_all": cpu_total,
        "r_dwnominate_median": statistics.median(rs),
        "r_dwnominate_min": min(rs),
        "per_congress": per,
    }


def main() -> None:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return
    result = {"machine": machine(), "senate_109": senate_109(), "senates_80_110": all_senates()}
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    s = result["senate_109"]
    a = result["senates_80_110"]
    print(f"109th Senate: {s['seconds_median']:.3f} s (median of 7; CPU {s['cpu_seconds_median']:.3f} s), r(pscl)={s['r_pscl_ideal']:.4f}, "
          f"r(DW)={s['r_dwnominate']:.4f}, {s['votes_used']} votes used")
    print(f"31 Senates: {a['seconds_fitting_all']:.2f} s fitting (+{a['seconds_loading_1_9M_votes']:.1f} s loading), "
          f"r(DW) median {a['r_dwnominate_median']:.3f}, min {a['r_dwnominate_min']:.3f}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
