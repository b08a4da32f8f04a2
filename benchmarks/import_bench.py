"""Import at scale: 1,000,000 people (OSDI pages) + 5,000,000 attendance rows (CSV).

Generates the input files in a temporary folder, then, for each database (SQLite file and
PostgreSQL), runs in a fresh subprocess: migrate, import 5,000 events (CSV), the people
(OSDI page files, 10,000 per page) and the attendance (CSV), each through
``broadfront.web.dataio.services.do_import`` exactly as the CLI does (validate pass, then one
transaction). Records wall time per stage and the subprocess's peak resident memory.

    .venv/bin/python benchmarks/import_bench.py [--scale 0.1] [--backends sqlite,postgresql]

Writes benchmarks/results/import.json. The machine is shared (2 cores, other engineers
running tests): timings are noisy.
"""

from __future__ import annotations

import argparse
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
PG_URL = "postgresql://postgres@127.0.0.1:5432/broadfront_bench"
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


def run_backend(folder: Path, url: str) -> dict[str, object]:
    """In a subprocess: migrate, import, report timings and peak memory as JSON."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadfront.web.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from broadfront.web.accountability.models import Attendance
    from broadfront.web.dataio.services import do_import
    from broadfront.web.organizations.models import Organization, OrganizationRole, Person

    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user("bench", password="x" * 12)
    OrganizationRole.objects.create(user=user, organization=org, role="organizer")
    timings: dict[str, object] = {}
    for label, source, fmt, kind in [
        ("events_csv", folder / "events.csv", "csv", "events"),
        ("people_osdi", folder / "people", "osdi", "people"),
        ("attendance_csv", folder / "attendance.csv", "csv", "attendance"),
    ]:
        start = time.perf_counter()
        report = do_import(user, org, source, format=fmt, kind=kind)
        timings[label] = {"seconds": round(time.perf_counter() - start, 1), "read": report.read,
                          "created": report.created}
    timings["people_stored"] = Person.objects.filter(owner=org).count()
    timings["attendance_stored"] = Attendance.objects.count()
    timings["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "URL"))
    args = parser.parse_args()
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
        folder = Path(tmp)
        results["input"] = generate(folder, people, attendance)
        print("generated", results["input"], flush=True)
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = f"sqlite:///{folder / 'bench.sqlite3'}"
            else:
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
                                "DROP DATABASE IF EXISTS broadfront_bench"], check=True,
                               capture_output=True)
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
                                "CREATE DATABASE broadfront_bench"], check=True,
                               capture_output=True)
                url = PG_URL
            start = time.perf_counter()
            out = subprocess.run([sys.executable, __file__, "--child", str(folder), url],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                results[backend] = {"error": out.stderr[-2000:]}
            else:
                data = json.loads(out.stdout.strip().splitlines()[-1])
                data["total_seconds_with_migrate"] = round(time.perf_counter() - start, 1)
                data["import_seconds"] = round(sum(
                    v["seconds"] for k, v in data.items()
                    if isinstance(v, dict) and "seconds" in v), 1)
                results[backend] = data
            print(backend, results[backend], flush=True)
    name = "import.json" if args.scale == 1.0 else f"import_scale_{args.scale:g}.json"
    target = ROOT / "benchmarks" / "results" / name
    target.write_text(json.dumps(results, indent=2) + "\n")
    print("wrote", target)


if __name__ == "__main__":
    main()
