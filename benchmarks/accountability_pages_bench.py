"""Page timings of the reliability pages at the issue's scale, on SQLite and PostgreSQL.

Builds 50 organizations at one coalition table, 20,000 commitments (with deliveries), and
2,000,000 attendance rows (40,000 people, 2,000 events), then times through Django's test client
the coalition table, a partner scorecard, "Our power", the one-page report, an event page and the
scorecards API: one cold request each (cache empty) and then ``REQUESTS`` warm ones, reporting
p50/p95. Writes benchmarks/results/accountability_pages.json.

Run: .venv/bin/python benchmarks/accountability_pages_bench.py [sqlite|postgresql ...]
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

ROOT = Path(__file__).resolve().parent
N_ORGS, N_COMMITMENTS, N_ATTENDANCE = 50, 20_000, 2_000_000
N_PEOPLE, N_EVENTS = 40_000, 2_000
REQUESTS = 40
PG_URL = "postgresql://postgres@127.0.0.1:5432/bf_accountability_bench"


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
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
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
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


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
    now = dt.datetime.now(dt.UTC)
    upcoming = (Event.objects.filter(organization__slug="org-00", starts_at__gt=now)
                .order_by("starts_at").first())
    past = Event.objects.filter(organization__slug="org-00", starts_at__lt=now).first()
    org0 = upcoming.organization_id
    pages = {
        "coalition table": "/coalition/tables/bench-table/",
        "partner scorecard": f"/coalition/partners/{org0 + 1}/",
        "our power": "/power/",
        "power report": "/power/report/org-00/",
        "event (upcoming)": f"/power/events/{upcoming.pk}/",
        "event (past)": f"/power/events/{past.pk}/",
        "API scorecards": "/api/coalitions/bench-table/scorecards",
    }
    out: dict[str, object] = {"attendance_rows": Attendance.objects.count()}
    cache.clear()
    for name, url in pages.items():
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
        print(f"{backend:10s} {name:20s} cold {cold * 1000:8.0f} ms  p50 {out[name]['p50_ms']:7.1f}"
              f"  p95 {out[name]['p95_ms']:7.1f}", flush=True)
    return out


def child(backend: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadfront.web.settings")
    t = time.perf_counter()
    build(backend)
    built = time.perf_counter() - t
    result = time_pages(backend)
    result["build_s"] = round(built, 1)
    print("RESULT " + json.dumps(result), flush=True)


def main() -> None:
    backends = sys.argv[1:] or ["sqlite", "postgresql"]
    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "scale": {"organizations": N_ORGS, "commitments": N_COMMITMENTS,
                  "attendance": N_ATTENDANCE, "people": N_PEOPLE, "events": N_EVENTS},
        "note": "cold = first request with an empty cache (the database aggregates and the "
                "engine run); p50/p95 over warm requests (figures cached by data stamp). Shared "
                "2-core machine: noisy.",
    }
    for backend in backends:
        env = dict(os.environ)
        if backend == "sqlite":
            db = Path("/tmp/bf_accountability_bench.sqlite3")
            db.unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{db}"
        else:
            subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-q", "-c",
                            "DROP DATABASE IF EXISTS bf_accountability_bench"], check=False)
            subprocess.run(["psql", "postgresql://postgres@127.0.0.1:5432/postgres", "-q", "-c",
                            "CREATE DATABASE bf_accountability_bench"], check=True)
            env["DATABASE_URL"] = PG_URL
        proc = subprocess.run([sys.executable, __file__, "--child", backend], env=env,
                              capture_output=True, text=True, check=False)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-3000:])
            results[backend] = {"error": proc.stderr[-500:]}
            continue
        line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
        results[backend] = json.loads(line[7:])
    out = ROOT / "results" / "accountability_pages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
