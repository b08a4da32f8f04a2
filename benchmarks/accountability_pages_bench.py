"""Page timings of the reliability pages at the issue's scale, on SQLite and PostgreSQL.

Builds 50 organizations at one coalition table, 20,000 commitments (with deliveries), and
2,000,000 attendance rows (40,000 people, 2,000 events) with raw SQL, then fills the attendance
summary with ``refresh_attendance_summary()`` (as every bulk load must) and times through
Django's test client the coalition overview, the coalition table, a partner scorecard, "Our
power", the one-page report, two event pages, the commitment list and the scorecards API: one
cold request each (figures cache emptied first) and then ``REQUESTS`` warm ones, reporting
p50/p95. It also times computing every scorecard and the coalition table's figures directly
(cache emptied), the issue's "under 2 s" line. Writes benchmarks/results/accountability_pages.json.

Before timing, the process is warmed once (imports, Plotly's lazily loaded validators, the
engine's first call) on a tiny input; a running server pays that once, not per request. That
warm-up is reported as ``process_warmup_ms``.

Run: .venv/bin/python benchmarks/accountability_pages_bench.py [--reuse] [sqlite|postgresql ...]
``--reuse`` keeps a database already loaded at this scale (migrates it and refreshes the
summary) instead of rebuilding it (the SQLite build takes about 9 minutes here).
PostgreSQL: postgresql://postgres@127.0.0.1:5432/bf_accountability_bench (created if absent).
The machine is shared with other engineers: numbers are noisy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from broadfront import clock

ROOT = Path(__file__).resolve().parent
N_ORGS, N_COMMITMENTS, N_ATTENDANCE = 50, 20_000, 2_000_000
N_PEOPLE, N_EVENTS = 40_000, 2_000
REQUESTS = 40
PG_URL = "postgresql://postgres@127.0.0.1:5432/bf_accountability_bench"


def loaded() -> bool:
    """Whether the database already holds this benchmark's data (for ``--reuse``)."""
    import django
    from django.db import connection

    django.setup()
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM accountability_attendance")
            return int(cur.fetchone()[0]) == N_ATTENDANCE
    except Exception:  # noqa: BLE001 - no schema yet
        return False


def refresh() -> float:
    """Migrate and rebuild the attendance summary; returns the refresh's seconds."""
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    from broadfront.web.accountability.summary import refresh_attendance_summary

    t = time.perf_counter()
    refresh_attendance_summary()
    took = time.perf_counter() - t
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: statistics, and the visibility map that lets
        # covering indexes answer without reading the table.
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    return took


def build(backend: str) -> None:
    """Create the schema and bulk-load the data (runs in a child process per backend)."""
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from broadfront.web.organizations.models import (
        Coalition,
        CoalitionMembership,
        Organization,
        OrganizationRole,
    )

    rng = np.random.default_rng(0)
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"Org {i:02d}", slug=f"org-{i:02d}", kind="union") for i in
         range(N_ORGS)])
    table = Coalition.objects.create(name="Bench table", slug="bench-table")
    CoalitionMembership.objects.bulk_create(
        [CoalitionMembership(coalition=table, organization=o) for o in orgs])
    user = User.objects.create_user("bench", "b@example.org", "bench-password")
    OrganizationRole.objects.create(user=user, organization=orgs[0], role="organizer")
    org_ids = np.array([o.pk for o in orgs])
    today = clock.today()
    now = clock.now()
    units = ["doors", "calls", "members", "voters", "dollars"]
    with connection.cursor() as cur:
        people_owner = org_ids[rng.integers(0, N_ORGS, N_PEOPLE)]
        cur.executemany(
            "INSERT INTO organizations_person (owner_id, given_name, family_name, email, phone,"
            " identifiers, public_role, created_at) VALUES (%s, %s, '', '', '', '[]', '', %s)",
            [(int(o), f"P{i}", now) for i, o in enumerate(people_owner)])
        cur.execute("SELECT MIN(id) FROM organizations_person")
        first_person = cur.fetchone()[0]
        ev_org = org_ids[rng.integers(0, N_ORGS, N_EVENTS)]
        ev_days = rng.integers(-720, 60, N_EVENTS)
        kinds = ["meeting", "canvass", "action", "training", "phonebank"]
        cur.executemany(
            "INSERT INTO accountability_event (organization_id, name, kind, starts_at,"
            " identifiers) VALUES (%s, %s, %s, %s, '[]')",
            [(int(o), f"Event {i}", kinds[i % 5], now + dt.timedelta(days=int(d)))
             for i, (o, d) in enumerate(zip(ev_org, ev_days, strict=True))])
        cur.execute("SELECT MIN(id) FROM accountability_event")
        first_event = cur.fetchone()[0]
        # 2M (event, person) pairs, unique: each event gets 1000 distinct people.
        per = N_ATTENDANCE // N_EVENTS
        statuses = np.array(["accepted", "accepted", "accepted", "tentative", "declined"])
        skill = rng.beta(6, 4, N_PEOPLE)
        batch = []
        for e in range(N_EVENTS):
            persons = rng.choice(N_PEOPLE, per, replace=False)
            st = statuses[rng.integers(0, 5, per)]
            past = ev_days[e] < 0
            came = rng.random(per) < skill[persons]
            for p, s, c in zip(persons.tolist(), st.tolist(), came.tolist(), strict=True):
                batch.append((first_event + e, first_person + p, s, c if past else None))
            if len(batch) >= 200_000:
                cur.executemany("INSERT INTO accountability_attendance (event_id, person_id,"
                                " status, attended) VALUES (%s, %s, %s, %s)", batch)
                batch = []
        if batch:
            cur.executemany("INSERT INTO accountability_attendance (event_id, person_id, status,"
                            " attended) VALUES (%s, %s, %s, %s)", batch)
        c_org = org_ids[rng.integers(0, N_ORGS, N_COMMITMENTS)]
        c_unit = rng.integers(0, 5, N_COMMITMENTS)
        c_qty = rng.integers(10, 2000, N_COMMITMENTS)
        c_due = rng.integers(-700, 60, N_COMMITMENTS)
        cur.executemany(
            "INSERT INTO accountability_commitment (partner_id, coalition_id, unit, quantity,"
            " made_on, due_date, note) VALUES (%s, %s, %s, %s, %s, %s, '')",
            [(int(o), table.pk, units[u], int(q), today + dt.timedelta(days=int(d) - 30),
              today + dt.timedelta(days=int(d)))
             for o, u, q, d in zip(c_org, c_unit, c_qty, c_due, strict=True)])
        cur.execute("SELECT MIN(id) FROM accountability_commitment")
        first_c = cur.fetchone()[0]
        share = rng.beta(5, 2, N_COMMITMENTS)
        late = rng.integers(-10, 15, N_COMMITMENTS)
        cur.executemany(
            "INSERT INTO accountability_delivery (commitment_id, quantity, delivered_on,"
            " evidence) VALUES (%s, %s, %s, '')",
            [(first_c + i, float(round(q * s)), today + dt.timedelta(days=int(d + lt)))
             for i, (q, s, d, lt) in enumerate(zip(c_qty, share, c_due, late, strict=True))
             if d + lt < 0])


def warm_process() -> float:
    """Imports, Plotly's validators and the engine's first calls, on tiny inputs."""
    import datetime as dt

    from broadfront.analysis.reliability import (
        capability_matrix,
        commitment_reliability,
        forecast_turnout,
        show_up_rates,
    )
    from broadfront.web.accountability import charts
    from broadfront.web.organizations import charts as org_charts
    from broadfront.web.organizations.queries import StageCount

    t = time.perf_counter()
    day = dt.date(2024, 1, 1)
    charts.scorecard_trend([("a", [day], [0.5]), ("b", [day], [0.4])])
    charts.stacked_by_month([day], {"doors": [1.0]})
    charts.turnout_chart(np.array([0.5, 0.5]), 0, 1, 1)
    org_charts.stage_bars([StageCount("member", "Member", 1)])
    show_up_rates(np.array(["a", "b"]), [1, 2], [2, 3])
    d = np.array(["2024-01-01", "2024-02-01"], dtype="datetime64[D]")
    rel = commitment_reliability(np.array(["a", "b"]), np.array(["doors", "doors"]),
                                 np.array([1.0, 2.0]), np.array([1.0, 1.0]), d, d,
                                 as_of=dt.date(2024, 3, 1))
    capability_matrix(rel, np.array([1.0, 2.0]))
    forecast_turnout(np.array([0.5, 0.6]))
    return time.perf_counter() - t


def time_figures() -> dict[str, float]:
    """Every scorecard and the coalition table's figures, computed directly (cache emptied)."""
    import django

    django.setup()
    from django.core.cache import cache

    from broadfront.web.accountability import figures
    from broadfront.web.accountability.models import Commitment
    from broadfront.web.organizations.models import Coalition

    table = Coalition.objects.get(slug="bench-table")
    ids = sorted(table.members.values_list("id", flat=True))
    commitments = Commitment.objects.filter(partner_id__in=ids)
    times = []
    for _ in range(3):
        cache.clear()
        t = time.perf_counter()
        data = figures.table_figures(ids, commitments, clock.now())
        times.append(time.perf_counter() - t)
    assert len(data.scorecards) == N_ORGS
    return {"all_scorecards_and_table_s": round(min(times), 3),
            "all_scorecards_and_table_max_s": round(max(times), 3)}


def time_pages(backend: str) -> dict[str, object]:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment

    from broadfront.web.accountability.models import Attendance, Event

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="bench"))
    now = clock.now()
    upcoming = (Event.objects.filter(organization__slug="org-00", starts_at__gt=now)
                .order_by("starts_at").first())
    past = Event.objects.filter(organization__slug="org-00", starts_at__lt=now).first()
    org0 = upcoming.organization_id
    pages = {
        "coalition index": "/coalition/",
        "coalition table": "/coalition/tables/bench-table/",
        "partner scorecard": f"/coalition/partners/{org0 + 1}/",
        "our power": "/power/",
        "power report": "/power/report/org-00/",
        "event (upcoming)": f"/power/events/{upcoming.pk}/",
        "event (past)": f"/power/events/{past.pk}/",
        "API scorecards": "/api/coalitions/bench-table/scorecards",
        "commitments (kept, page 3)": "/coalition/commitments/?status=kept&page=3",
    }
    out: dict[str, object] = {"attendance_rows": Attendance.objects.count()}
    out["process_warmup_ms"] = round(warm_process() * 1000, 1)
    client.get("/coalition/commitments/")  # templates and middleware loaded once
    for name, url in pages.items():
        cache.clear()  # every page's first request computes its figures from the database
        t = time.perf_counter()
        r = client.get(url)
        cold = time.perf_counter() - t
        assert r.status_code == 200, (name, r.status_code)
        warm = []
        for _ in range(REQUESTS):
            t = time.perf_counter()
            client.get(url)
            warm.append(time.perf_counter() - t)
        ms = np.array(warm) * 1000
        out[name] = {"url": url, "cold_ms": round(cold * 1000, 1),
                     "p50_ms": round(float(np.percentile(ms, 50)), 1),
                     "p95_ms": round(float(np.percentile(ms, 95)), 1), "requests": REQUESTS}
        print(f"{backend:10s} {name:28s} cold {cold * 1000:8.0f} ms  p50 {out[name]['p50_ms']:7.1f}"
              f"  p95 {out[name]['p95_ms']:7.1f}", flush=True)
    return out


def child(backend: str, reuse: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadfront.web.settings")
    t = time.perf_counter()
    reused = reuse and loaded()
    if not reused:
        build(backend)
    built = time.perf_counter() - t
    summary_s = refresh()
    result = time_pages(backend)
    result.update(time_figures())
    result["build_s"] = None if reused else round(built, 1)
    result["reused_database"] = reused
    result["summary_refresh_s"] = round(summary_s, 2)
    print(f"{backend:10s} all scorecards + table figures {result['all_scorecards_and_table_s']} s"
          f"; summary refresh {result['summary_refresh_s']} s", flush=True)
    print("RESULT " + json.dumps(result), flush=True)


def main() -> None:
    reuse = "--reuse" in sys.argv[1:]
    backends = [a for a in sys.argv[1:] if a != "--reuse"] or ["sqlite", "postgresql"]
    unknown = [b for b in backends if b not in ("sqlite", "postgresql")]
    if unknown:
        sys.exit(f"usage: {sys.argv[0]} [--reuse] [sqlite] [postgresql] (unknown: {unknown[0]})")
    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "scale": {"organizations": N_ORGS, "commitments": N_COMMITMENTS,
                  "attendance": N_ATTENDANCE, "people": N_PEOPLE, "events": N_EVENTS},
        "note": "cold = first request of each page with the figures cache emptied (database "
                "aggregates, engine and charts computed), after one process warm-up "
                "(process_warmup_ms); p50/p95 over warm requests (figures cached 5 minutes by "
                "data stamp). Show-up counts come from the attendance summary (refreshed after "
                "the bulk load: summary_refresh_s). Shared 2-core machine under load from other "
                "engineers: noisy.",
    }
    for backend in backends:
        env = dict(os.environ)
        if backend == "sqlite":
            db = Path("/tmp/bf_accountability_bench.sqlite3")
            if not reuse:
                db.unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{db}"
        elif reuse:
            subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-q", "-c",
                            "CREATE DATABASE bf_accountability_bench"], check=False,
                           capture_output=True)
            env["DATABASE_URL"] = PG_URL
        else:
            subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-q", "-c",
                            "DROP DATABASE IF EXISTS bf_accountability_bench"], check=False)
            subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-q", "-c",
                            "CREATE DATABASE bf_accountability_bench"], check=True)
            env["DATABASE_URL"] = PG_URL
        proc = subprocess.run([sys.executable, __file__, "--child", backend,
                               "reuse" if reuse else "build"], env=env,
                              capture_output=True, text=True, check=False)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-3000:])
            results[backend] = {"error": proc.stderr[-500:]}
            continue
        line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
        results[backend] = json.loads(line[7:])
    results["machine"]["load_average_at_end"] = [  # type: ignore[index]
        round(x, 2) for x in os.getloadavg()]
    out = ROOT / "results" / "accountability_pages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3] == "reuse")
    else:
        main()
