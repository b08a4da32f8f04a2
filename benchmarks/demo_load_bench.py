"""How long the demo coalition takes to load, and how much memory the load peaks at.

Each run happens in a fresh child process with its own ``DATABASE_URL``: a new SQLite file
(migrated first) and, when a PostgreSQL server answers on 127.0.0.1:5432, a freshly created
database there. The child samples its resident set size with psutil every 20 ms during the
load and reports wall time, peak RSS, the time of each stage (from the progress callback)
and the rows written.

For comparison the same loader also runs with every table written through Django's plain
``bulk_create`` (``_FAST_INSERT = False``), at the medium scale on SQLite, so the speed-up
of writing the four largest tables with ``executemany`` is a ratio measured in the same run.

Run: ``.venv/bin/python benchmarks/demo_load_bench.py`` (writes
``benchmarks/results/demo_load.json``). The machine is shared: timings are noisy.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from broadfront import clock

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "demo_load.json"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "broadfront_demo_bench"

CHILD = r"""
import json, os, sys, threading, time
import psutil
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadfront.web.settings")
import django
django.setup()
from django.core.management import call_command
from django.db import connection
import broadfront.demo.generator as generator
from broadfront.demo import load_demo

scale, seed, fast = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
generator._FAST_INSERT = fast
proc = psutil.Process()
t0 = time.perf_counter()
call_command("migrate", verbosity=0)
migrate_s = time.perf_counter() - t0
base_rss = proc.memory_info().rss
peak = [base_rss]
stop = threading.Event()

def sample():
    while not stop.is_set():
        peak[0] = max(peak[0], proc.memory_info().rss)
        stop.wait(0.02)

stages = {}

def progress(stage, done, total):
    now = time.perf_counter()
    first, _ = stages.get(stage, (now, now))
    stages[stage] = (first, now)

thread = threading.Thread(target=sample, daemon=True)
thread.start()
t1 = time.perf_counter()
summary = load_demo(scale, seed, progress)
wall = time.perf_counter() - t1
stop.set()
thread.join()
peak[0] = max(peak[0], proc.memory_info().rss)
order = sorted(stages.items(), key=lambda kv: kv[1][0])
stage_s = {}
previous = t1
for name, (_, last) in order:
    stage_s[name] = round(last - previous, 3)
    previous = last
print(json.dumps({
    "scale": summary.scale, "seed": seed, "fast_insert": fast,
    "load_average_after": [round(x, 2) for x in os.getloadavg()],
    "vendor": connection.vendor,
    "server_version": getattr(connection, "pg_version", None)
        or __import__("sqlite3").sqlite_version,
    "migrate_seconds": round(migrate_s, 3),
    "load_seconds": round(wall, 3),
    "peak_rss_mb": round(peak[0] / 2**20, 1),
    "rss_before_load_mb": round(base_rss / 2**20, 1),
    "load_rss_growth_mb": round((peak[0] - base_rss) / 2**20, 1),
    "rows": sum(summary.counts.values()),
    "rows_per_second": round(sum(summary.counts.values()) / wall),
    "people": summary.people, "organizations": summary.organizations,
    "precincts": summary.precincts,
    "stage_seconds": stage_s,
    "counts": summary.counts,
}))
"""


def run_child(database_url: str, scale: str, seed: int = 0, fast: bool = True) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, scale, str(seed), "1" if fast else "0"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=1200,
    )
    if out.returncode != 0:
        raise RuntimeError(f"child failed for {database_url} {scale}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def sqlite_run(scale: str, fast: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="demo-bench-") as tmp:
        path = Path(tmp) / "broadfront.sqlite3"
        result = run_child(f"sqlite:///{path}", scale, fast=fast)
        result["database_file_mb"] = round(path.stat().st_size / 2**20, 1)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            result["wal_file_mb"] = round(wal.stat().st_size / 2**20, 1)
    return result


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def postgres_run(scale: str) -> dict:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    try:
        return run_child(f"postgresql://postgres@127.0.0.1:5432/{PG_BENCH_DB}", scale)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")


def machine() -> dict:
    import django
    import numpy
    import psutil

    return {
        "date": clock.now().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "django": django.get_version(),
        "numpy": numpy.__version__,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "note": "shared 2-core machine; other engineers' jobs were running, so timings are "
        "noisy (expect +-30%)",
    }


def main() -> None:
    results: dict = {"machine": machine(), "runs": [], "comparisons": {}}
    for scale in ("small", "medium", "large"):
        print(f"sqlite {scale} ...", flush=True)
        results["runs"].append(sqlite_run(scale))
        print(f"  {results['runs'][-1]['load_seconds']} s", flush=True)
    print("sqlite medium with plain bulk_create ...", flush=True)
    plain = sqlite_run("medium", fast=False)
    results["runs"].append(plain)
    fast_medium = next(r for r in results["runs"] if r["scale"] == "medium" and r["fast_insert"])
    results["comparisons"]["medium_sqlite_bulk_create_over_executemany"] = round(
        plain["load_seconds"] / fast_medium["load_seconds"], 2)
    if postgres_available():
        for scale in ("small", "large"):
            print(f"postgresql {scale} ...", flush=True)
            results["runs"].append(postgres_run(scale))
            print(f"  {results['runs'][-1]['load_seconds']} s", flush=True)
    else:
        results["postgresql"] = "no server answered on 127.0.0.1:5432; skipped"
    large = [r for r in results["runs"] if r["scale"] == "large"]
    results["large"] = {
        r["vendor"]: {"load_seconds": r["load_seconds"], "peak_rss_mb": r["peak_rss_mb"],
                      "under_60_s": r["load_seconds"] < 60}
        for r in large
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["large"], indent=2))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
