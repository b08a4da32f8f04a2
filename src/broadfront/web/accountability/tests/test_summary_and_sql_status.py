"""The attendance summary equals counting the rows; statuses computed by the database equal
``compute_status``; long commitment lists are paged."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from broadfront import clock
from broadfront.web.accountability import queries
from broadfront.web.accountability.models import (
    Attendance,
    AttendanceTally,
    Commitment,
    Delivery,
    Event,
    compute_status,
)
from broadfront.web.accountability.summary import refresh_attendance_summary
from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.organizations.models import Person


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def counted_by_hand() -> dict[tuple[int, int | None], tuple[int, ...]]:
    """(event, organization) -> (rsvps, said yes, maybe, came, taken, yes and came), in Python."""
    out: dict[tuple[int, int | None], list[int]] = {}
    for event, owner, status, attended in Attendance.objects.values_list(
            "event_id", "person__owner_id", "status", "attended"):
        c = out.setdefault((event, owner), [0] * 6)
        yes = status == "accepted"
        for i, hit in enumerate((True, yes, status == "tentative", attended is True,
                                 yes and attended is not None, yes and attended is True)):
            c[i] += int(hit)
    return {k: tuple(v) for k, v in out.items()}


def summary() -> dict[tuple[int, int | None], tuple[int, ...]]:
    return {(t.event_id, t.organization_id): (t.rsvps, t.said_yes, t.said_maybe, t.came, t.taken,
                                              t.yes_and_came)
            for t in AttendanceTally.objects.all()}


def test_rsvps_saved_one_by_one_are_counted_in_the_summary_at_once(scene: Scene) -> None:
    assert summary() == counted_by_hand()
    assert len(summary()) == 4  # five RSVPs; two of them by Northside people at the training


def test_changing_an_rsvp_recomputes_its_row(scene: Scene) -> None:
    att = Attendance.objects.get(person=scene.world.ana_person, event__name="Caucus Night Prep")
    att.status, att.attended = "tentative", None
    att.save()
    row = AttendanceTally.objects.get(event=att.event, organization=scene.world.northside)
    assert (row.said_yes, row.said_maybe) == (0, 1)
    assert summary() == counted_by_hand()


def test_rows_written_in_bulk_are_counted_after_a_refresh(scene: Scene) -> None:
    w = scene.world
    event = Event.objects.get(name="Tenant Rights Training")
    people = Person.objects.bulk_create([Person(owner=w.northside, given_name=f"P{i}")
                                         for i in range(6)])
    Attendance.objects.bulk_create([
        Attendance(event=event, person=p, status=s, attended=a) for p, s, a in zip(
            people, ["accepted", "accepted", "accepted", "tentative", "declined", "accepted"],
            [True, False, None, True, None, True], strict=True)])
    assert summary() != counted_by_hand()  # bulk_create sends no signal
    refresh_attendance_summary([w.northside.pk])
    assert summary() == counted_by_hand()
    row = AttendanceTally.objects.get(event=event, organization=w.northside)
    # Before: Dolores came, Marta did not (both said yes). Added: 4 yes (3 taken, 2 came).
    assert (row.rsvps, row.said_yes, row.said_maybe, row.came, row.taken, row.yes_and_came) == (
        8, 6, 1, 4, 5, 3)


def test_a_full_refresh_follows_queryset_deletes(scene: Scene) -> None:
    Attendance.objects.filter(event__name="Tenant Rights Training").delete()
    assert summary() != counted_by_hand()
    assert refresh_attendance_summary() == 3
    assert summary() == counted_by_hand()


def test_deleting_an_event_deletes_its_summary_rows(scene: Scene) -> None:
    Event.objects.filter(name="Interfaith Vigil").delete()
    assert summary() == counted_by_hand()


def test_events_with_counts_read_from_the_summary_equal_the_rows(scene: Scene) -> None:
    from broadfront.web.accountability.queries import events_with_counts

    for e in events_with_counts(scene.world.ana):
        rows = Counter()
        for status, attended in Attendance.objects.filter(event=e).values_list("status",
                                                                              "attended"):
            rows["said_yes"] += status == "accepted"
            rows["said_maybe"] += status == "tentative"
            rows["came"] += attended is True
            rows["yes_and_came"] += status == "accepted" and attended is True
        assert (e.said_yes, e.said_maybe, e.came, e.yes_and_came) == (
            rows["said_yes"], rows["said_maybe"], rows["came"], rows["yes_and_came"])


def make(partner: Any, promised: str, due: dt.date, deliveries: list[tuple[str, dt.date]]) -> Any:
    c = Commitment.objects.create(partner=partner, unit="dollars", quantity=Decimal(promised),
                                  made_on=due - dt.timedelta(days=30), due_date=due)
    for q, day in deliveries:
        Delivery.objects.create(commitment=c, quantity=Decimal(q), delivered_on=day)
    return c


def python_status(c: Commitment, today: dt.date) -> str:
    return compute_status(c.quantity, c.due_date,
                          list(c.deliveries.values_list("quantity", "delivered_on")), today)


def test_the_database_status_matches_compute_status_on_hand_made_cases(world: Any) -> None:
    today = dt.date(2026, 6, 1)
    due, past = dt.date(2026, 5, 1), dt.date(2026, 7, 1)
    d = dt.timedelta
    cases = {
        # 0.70 + 0.10 is 0.7999999999999999 in binary floating point: still kept in full.
        "kept": make(world.northside, "0.80", due, [("0.70", due - d(3)), ("0.10", due)]),
        "kept_late": make(world.northside, "100", due, [("60", due), ("40", due + d(1))]),
        "partly_kept": make(world.northside, "100", due, [("0.01", due)]),
        "broken": make(world.northside, "100", due, [("0", due)]),
        "open": make(world.northside, "100", past, [("99.99", due)]),
    }
    got = {c.pk: c.computed_status for c in queries.with_status(Commitment.objects.all(), today)}
    for expected, c in cases.items():
        assert python_status(c, today) == expected
        assert got[c.pk] == expected


def test_the_database_status_matches_compute_status_on_random_ledgers(world: Any) -> None:
    rng = np.random.default_rng(7)
    today = dt.date(2026, 6, 1)
    for _ in range(60):
        due = today + dt.timedelta(days=int(rng.integers(-40, 40)))
        promised = Decimal(int(rng.integers(1, 400))) / 4
        parts = [(str(Decimal(int(rng.integers(0, 200))) / 4),
                  due + dt.timedelta(days=int(rng.integers(-20, 20))))
                 for _ in range(int(rng.integers(0, 4)))]
        make(world.faith, str(promised), due, parts)
    got = {c.pk: (c.computed_status, c.delivered_total)
           for c in queries.with_status(Commitment.objects.all(), today)}
    for c in Commitment.objects.all():
        delivered = sum((q for q in c.deliveries.values_list("quantity", flat=True)), Decimal(0))
        assert got[c.pk] == (python_status(c, today), delivered)
    counts = queries.status_tally(Commitment.objects.all(), today).counts
    assert counts == dict(Counter(python_status(c, today) for c in Commitment.objects.all()))


def test_a_partner_page_lists_the_latest_commitments_and_links_to_all(client: Any,
                                                                     world: Any) -> None:
    today = clock.today()
    for i in range(queries.PARTNER_ROWS + 3):
        make(world.faith, "10", today - dt.timedelta(days=i), [])
    client.force_login(world.ana)
    response = client.get(f"/coalition/partners/{world.faith.pk}/")
    d = response.context["d"]
    assert len(d.rows) == queries.PARTNER_ROWS and d.more == 3
    assert d.tally.total == queries.PARTNER_ROWS + 3
    assert d.rows[0].commitment.due_date == today  # latest due first
    assert f"see all {queries.PARTNER_ROWS + 3} commitments" in response.content.decode()
    page = client.get(f"/coalition/commitments/?partner={world.faith.pk}&page=2").context["page"]
    assert page.paginator.count == queries.PARTNER_ROWS + 3
    assert len(page.object_list) == 3 and page.object_list[0].status == "broken"


@pytest.mark.django_db
def test_the_demo_load_leaves_the_summary_equal_to_its_rsvps() -> None:
    from broadfront.demo import load_demo

    load_demo(scale="small", seed=0)
    assert Attendance.objects.exists()
    assert summary() == counted_by_hand()
