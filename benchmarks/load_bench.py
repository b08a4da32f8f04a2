"""Simulated organizers under load: the production server against the development server.

What a user would otherwise pick is today's ``broadfront serve --dev`` (Django's development
server, one process, a thread per request). This benchmark loads the demo coalition at a
scale (``BENCH_SCALE``, default ``large``: 200,000 people) into a fresh database, starts

1. the development server on SQLite (``broadfront serve --dev``) with one worker,
2. the production server on SQLite (``broadfront serve --workers 4``: gunicorn) with one
   worker,
3. the production server on PostgreSQL (4 web processes, 2 workers), when PostgreSQL answers
   on 127.0.0.1:5432,

and drives each with locust (``benchmarks/load/locustfile.py``: organizers signing in and
browsing the dashboard, people, power, scorecards, leaders, blocs, landscape, alignment,
decisions, and starting scenario runs) for ``BENCH_SECONDS`` (default 60) with
``BENCH_USERS`` users (default 30 on SQLite, 50 on PostgreSQL). It reports p50/p95/p99 per
page, throughput and failures, the scenario jobs started and finished, and the ratios of the
production server to the development server. The load generator runs on the same 2 cores as
the servers, so absolute figures are pessimistic and noisy.

Run: ``.venv/bin/python benchmarks/load_bench.py`` (writes ``benchmarks/results/load.json``;
needs locust: ``.venv/bin/pip install -e '.[bench]'``).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from broadfront import clock

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "load.json"
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "broadfront_load_bench"
SCALE = os.environ.get("BENCH_SCALE", "large")
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
KEY = "load-bench-secret-key-" + "k" * 40


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(*args: str, env: dict[str, str], log: Path | None = None) -> subprocess.Popen[bytes]:
    out = log.open("wb") if log else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-m", "broadfront.cli.main", *args], env=env,
                            stdout=out, stderr=subprocess.STDOUT)


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BROADFRONT_")}
    env.update(DATABASE_URL=url, BROADFRONT_SECRET_KEY=KEY)
    return env


def _wait(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def _pg_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def _fresh_pg() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")
    return f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"


def _prepare(url: str) -> float:
    env = _env(url)
    started = time.perf_counter()
    for args in (["init"], ["load-demo", "--scale", SCALE, "--seed", "0"]):
        done = subprocess.run([sys.executable, "-m", "broadfront.cli.main", *args], env=env,
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(done.stderr)
    return round(time.perf_counter() - started, 1)


def _jobs(url: str) -> dict[str, int]:
    code = ("import django, json; django.setup(); "
            "from broadfront.web.jobs.models import Job; from django.db.models import Count; "
            "print(json.dumps(dict(Job.objects.values_list('status')"
            ".annotate(n=Count('id')).values_list('status', 'n'))))")
    env = {**_env(url), "DJANGO_SETTINGS_MODULE": "broadfront.web.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return json.loads(done.stdout or "{}") if done.returncode == 0 else {}


def _locust(host: str, users: int, out: Path) -> dict[str, Any]:
    prefix = out / "locust"
    cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u",
           str(users), "-r", str(max(1, users // 10)), "-t", f"{SECONDS}s", "--host", host,
           "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
    subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 180)
    pages: dict[str, Any] = {}
    total: dict[str, Any] = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0), "rps": round(float(row["Requests/s"]), 2),
            }
            if row["Name"] == "Aggregated":
                total = entry
            else:
                pages[row["Name"]] = entry
    errors: list[dict[str, str]] = []
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(newline="") as handle:
            errors = [{"page": r["Name"], "error": r["Error"][:200],
                       "occurrences": r["Occurrences"]} for r in csv.DictReader(handle)]
    return {"total": total, "pages": pages, "errors": errors}


def _run(label: str, url: str, serve: list[str], workers: int, users: int,
         tmp: Path) -> dict[str, Any]:
    env = _env(url)
    port = _port()
    logs = tmp / label.replace(" ", "_")
    logs.mkdir()
    server = _cli("serve", "--port", str(port), *serve, env=env, log=logs / "server.log")
    job_workers = [_cli("worker", env=env, log=logs / f"worker{k}.log") for k in range(workers)]
    try:
        _wait(f"http://127.0.0.1:{port}/login/")
        result = _locust(f"http://127.0.0.1:{port}", users, logs)
        time.sleep(5)  # let queued runs finish
    finally:
        for p in [server, *job_workers]:
            p.terminate()
        for p in [server, *job_workers]:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    result.update(label=label, users=users, seconds=SECONDS, serve=" ".join(serve),
                  job_workers=workers, jobs=_jobs(url))
    return result


def main() -> None:
    if shutil.which("locust") is None and not (Path(sys.executable).parent / "locust").exists():
        raise SystemExit("locust is not installed: .venv/bin/pip install locust")
    tmp = Path(tempfile.mkdtemp(prefix="broadfront-load-"))
    sqlite_url = f"sqlite:///{tmp / 'load.sqlite3'}"
    runs: list[dict[str, Any]] = []
    prepared = {"sqlite": _prepare(sqlite_url)}
    runs.append(_run("development server, SQLite", sqlite_url, ["--dev"], 1, 30, tmp))
    runs.append(_run("gunicorn x4, SQLite", sqlite_url, ["--workers", "4"], 1, 30, tmp))
    if _pg_answers():
        pg_url = _fresh_pg()
        prepared["postgresql"] = _prepare(pg_url)
        runs.append(_run("gunicorn x4, PostgreSQL", pg_url, ["--workers", "4"], 2, 50, tmp))
    dev, prod = runs[0]["total"], runs[1]["total"]
    ratios = {
        "p95 development / gunicorn (SQLite)": round(dev["p95_ms"] / max(prod["p95_ms"], 1), 2),
        "p99 development / gunicorn (SQLite)": round(dev["p99_ms"] / max(prod["p99_ms"], 1), 2),
        "throughput gunicorn / development (SQLite)": round(prod["rps"] / max(dev["rps"], 0.01),
                                                           2),
    }
    out = {
        "machine": {"date": clock.now().isoformat(timespec="seconds"),
                    "platform": platform.platform(), "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                    "note": "load generator on the same 2 cores as the servers; shared, noisy"},
        "scale": SCALE, "prepare_seconds": prepared, "runs": runs, "ratios": ratios,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=1) + "\n")
    for r in runs:
        t = r["total"]
        print(f"{r['label']:<30} {t['requests']:>6} req {t['failures']:>4} fail "
              f"p50 {t['p50_ms']:>6.0f} p95 {t['p95_ms']:>6.0f} p99 {t['p99_ms']:>6.0f} ms "
              f"{t['rps']:>6.1f}/s  jobs {r['jobs']}")
    print(json.dumps(ratios, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
