"""Import at scale: 1,000,000 people (OSDI pages) + 5,000,000 attendance rows (CSV).

Generates the input files in a temporary folder, then, for each database (SQLite file and
PostgreSQL): migrates in one subprocess, then in a fresh subprocess (as ``broadfront import``
runs) imports 5,000 events (CSV), the people (OSDI page files, 10,000 per page) and the
attendance (CSV), each through ``broadfront.web.dataio.services.do_import`` exactly as the CLI
does (validate pass, then one transaction), then imports the people and the attendance once
more (idempotent: nothing changes). Records wall time and the importing process's CPU time
per stage, the stage's own peak resident memory (VmHWM reset before each stage), the
PostgreSQL backend's CPU time (read from /proc: the server runs on the same machine) and the
time spent in the attendance summary refresh at the end of an attendance import.

    .venv/bin/python benchmarks/import_bench.py [--scale 0.1] [--backends sqlite,postgresql]

Writes benchmarks/results/import.json. The machine is shared (2 cores, other engineers
running tests): timings are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgresql://postgres@127.0.0.1:5432/broadfront_dataio_perf_bench"
N_EVENTS = 5000


def generate(folder: Path, people: int, attendance: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "src"))
    from broadfront.formats.osdi import write_osdi_files
    from broadfront.formats.records import PersonRecord

    start = time.perf_counter()
    records = (PersonRecord(f"Given{i}", f"Family{i}", f"person{i}@example.org",
                            f"+1612{i:07d}", identifiers=(f"action_network:p{i:07d}",))
               for i in range(people))
    write_osdi_files(records, folder / "people", "people", per_page=10000)
    with (folder / "events.csv").open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["identifiers", "name", "kind", "starts_at"])
        base = dt.datetime(2026, 1, 1, 18, tzinfo=dt.UTC)
        for e in range(N_EVENTS):
            w.writerow([f"action_network:e{e}", f"Event {e}", "meeting",
                        (base + dt.timedelta(hours=e)).isoformat()])
    with (folder / "attendance.csv").open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["event", "person_identifiers", "status", "attended"])
        # attendance k: person k mod people at event k div people (distinct pairs)
        for k in range(attendance):
            w.writerow([f"action_network:e{(k // people) * 7 % N_EVENTS}",
                        f"action_network:p{k % people:07d}", "accepted",
                        "true" if k % 3 else "false"])
    return {"generate_seconds": round(time.perf_counter() - start, 1),
            "people_osdi_bytes": sum(p.stat().st_size for p in (folder / "people").iterdir()),
            "attendance_csv_bytes": (folder / "attendance.csv").stat().st_size}


def setup_backend(url: str) -> None:
    """In a subprocess: migrate and create the importing organization and its organizer."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadfront.web.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from broadfront.web.organizations.models import Organization, OrganizationRole

    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user("bench", password="x" * 12)
    OrganizationRole.objects.create(user=user, organization=org, role="organizer")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _reset_peak_rss() -> None:
    """Linux: restart the process's peak RSS (VmHWM) count so each stage gets its own."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend (same machine), else None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_backend(folder: Path, url: str) -> dict[str, object]:
    """In a subprocess: import, report timings and peak memory as JSON."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadfront.web.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User

    from broadfront.web.accountability import summary
    from broadfront.web.accountability.models import Attendance
    from broadfront.web.dataio.services import do_import
    from broadfront.web.organizations.models import Organization, Person

    org = Organization.objects.get(slug="bench")
    user = User.objects.get(username="bench")
    timings: dict[str, object] = {}
    refresh = summary.refresh_attendance_summary
    refresh_seconds: list[float] = []

    def timed_refresh(*args: object, **kwargs: object) -> int:
        begin = time.perf_counter()
        try:
            return refresh(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            refresh_seconds.append(time.perf_counter() - begin)

    summary.refresh_attendance_summary = timed_refresh  # type: ignore[assignment]
    for label, source, fmt, kind in [
        ("events_csv", folder / "events.csv", "csv", "events"),
        ("people_osdi", folder / "people", "osdi", "people"),
        ("attendance_csv", folder / "attendance.csv", "csv", "attendance"),
        ("people_osdi_again", folder / "people", "osdi", "people"),
        ("attendance_csv_again", folder / "attendance.csv", "csv", "attendance"),
    ]:
        refresh_seconds.clear()
        _reset_peak_rss()
        server = _server_cpu()
        start, cpu = time.perf_counter(), _cpu()
        report = do_import(user, org, source, format=fmt, kind=kind)
        stage: dict[str, object] = {
            "seconds": round(time.perf_counter() - start, 1),
            "cpu_seconds": round(_cpu() - cpu, 1), "peak_rss_mib": _peak_rss_mib(),
            "read": report.read, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "matched": report.matched}
        if server is not None:
            after = _server_cpu()
            if after is not None:
                stage["server_cpu_seconds"] = round(after - server, 1)
        if refresh_seconds:
            stage["summary_refresh_seconds"] = round(sum(refresh_seconds), 1)
        timings[label] = stage
        print(label, stage, file=sys.stderr, flush=True)
    timings["people_stored"] = Person.objects.filter(owner=org).count()
    timings["attendance_stored"] = Attendance.objects.count()
    # ru_maxrss follows the VmHWM resets, so the process's peak is the largest stage's peak.
    timings["peak_rss_mib"] = max(v["peak_rss_mib"] for v in timings.values()
                                  if isinstance(v, dict))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "URL"))
    parser.add_argument("--setup", metavar="URL")
    parser.add_argument("--label", help="key of this run in the results file "
                        "(default scale_<scale>)")
    parser.add_argument("--keep-input", metavar="FOLDER",
                        help="generate into (or reuse) this folder instead of a temporary one")
    args = parser.parse_args()
    if args.setup:
        setup_backend(args.setup)
        return
    if args.child:
        print(json.dumps(run_backend(Path(args.child[0]), args.child[1])))
        return
    people, attendance = int(1_000_000 * args.scale), int(5_000_000 * args.scale)
    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "note": "2-core machine shared with other engineers during the run; "
                            "timings are noisy"},
        "scale": args.scale, "people": people, "attendance": attendance, "events": N_EVENTS,
        "goal": "under 300 s per backend for scale 1.0, peak memory under 1024 MiB",
    }
    with tempfile.TemporaryDirectory(prefix="bf-import-bench-") as tmp:
        folder = Path(args.keep_input or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / "attendance.csv").exists():
            results["input"] = {"reused": True,
                                "attendance_csv_bytes": (folder / "attendance.csv").stat().st_size}
        else:
            results["input"] = generate(folder, people, attendance)
        print("generated", results["input"], flush=True)
        for backend in args.backends.split(","):
            if backend == "sqlite":
                for old in folder.glob("bench.sqlite3*"):
                    old.unlink()
                url = f"sqlite:///{folder / 'bench.sqlite3'}"
            else:
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
                                "DROP DATABASE IF EXISTS broadfront_dataio_perf_bench"], check=True,
                               capture_output=True)
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
                                "CREATE DATABASE broadfront_dataio_perf_bench"], check=True,
                               capture_output=True)
                url = PG_URL
            subprocess.run([sys.executable, __file__, "--setup", url], check=True)
            start = time.perf_counter()
            out = subprocess.run([sys.executable, __file__, "--child", str(folder), url],
                                 stdout=subprocess.PIPE, text=True)
            if out.returncode != 0:
                results[backend] = {"error": f"exit code {out.returncode} (see stderr)"}
            else:
                data = json.loads(out.stdout.strip().splitlines()[-1])
                data["process_seconds"] = round(time.perf_counter() - start, 1)
                first = [v for k, v in data.items() if isinstance(v, dict) and "seconds" in v
                         and not k.endswith("_again")]
                data["import_seconds"] = round(sum(v["seconds"] for v in first), 1)
                data["import_cpu_seconds"] = round(sum(v["cpu_seconds"] for v in first), 1)
                results[backend] = data
            print(backend, results[backend], flush=True)
    target = ROOT / "benchmarks" / "results" / "import.json"
    previous = json.loads(target.read_text()) if target.exists() else {}
    runs = previous.get("runs", {}) if isinstance(previous.get("runs"), dict) else {}
    runs[args.label or f"scale_{args.scale:g}"] = results
    target.write_text(json.dumps({"runs": runs, "note": previous.get("note", "")}, indent=2)
                      + "\n")
    print("wrote", target)


if __name__ == "__main__":
    main()
