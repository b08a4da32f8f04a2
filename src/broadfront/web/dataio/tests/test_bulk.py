"""The bulk paths keep the guarantees: batches, spilled records and rebuilt indexes."""

from __future__ import annotations

import pytest
from django.db import connection

from broadfront.exceptions import InputFileError
from broadfront.web.accountability.models import Attendance
from broadfront.web.dataio import bulk
from broadfront.web.dataio.services import do_import
from broadfront.web.organizations.models import Person


def _indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                       "ORDER BY name", [Attendance._meta.db_table])
        return [r[0] for r in cursor.fetchall()]


def test_a_person_repeated_after_a_written_batch_is_merged_not_created_twice(
        world, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "PEOPLE_BATCH", 2)
    f = tmp_path / "p.csv"
    f.write_text("given_name,family_name,email\nAna,,ana@x.org\nBen,,ben@x.org\n"
                 "Cy,,cy@x.org\nAna,Ortiz,ana@x.org\n")
    report = do_import(world.ana, world.northside, f, format="csv", kind="people")
    assert report.created == {"person": 3}
    assert report.updated == {"person": 1}
    ana = Person.objects.get(owner=world.northside, email="ana@x.org")
    assert (ana.given_name, ana.family_name) == ("Ana", "Ortiz")


def test_spilled_records_replay_in_order_across_batches():
    spill = bulk.Spill(batch=3)
    for i in range(8):
        spill.add((i, f"row {i}"))
    assert list(spill) == [(i, f"row {i}") for i in range(8)]
    assert spill.count == 8
    spill.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds indexes")
def test_a_large_attendance_load_rebuilds_the_same_indexes(world, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "INDEX_REBUILD_MIN", 1)
    Attendance.objects.all().delete()
    before = _indexes()
    dropped: list[list[str]] = []
    real_upsert = bulk.upsert_attendance

    def spy(temp: str) -> int:
        dropped.append(_indexes())
        return real_upsert(temp)

    monkeypatch.setattr(bulk, "upsert_attendance", spy)
    f = tmp_path / "a.csv"
    f.write_text("given_name,email\nAna,ana@x.org\nBen,ben@x.org\n")
    do_import(world.ana, world.northside, f, format="csv", kind="people")
    events = tmp_path / "e.csv"
    events.write_text("identifiers,name,starts_at\nvan-event:1,Meeting,2026-03-03T19:00:00Z\n")
    do_import(world.ana, world.northside, events, format="csv", kind="events")
    att = tmp_path / "att.csv"
    att.write_text("event,person_email\nvan-event:1,ana@x.org\nvan-event:1,ben@x.org\n")
    report = do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    assert report.created == {"attendance": 2}
    # During the load only the unique constraint's index (ON CONFLICT needs it) was left.
    assert dropped == [[n for n in before if n.startswith("sqlite_autoindex")]]
    assert len(before) > 1
    assert _indexes() == before
    bad = tmp_path / "bad.csv"
    bad.write_text("event,person_email\nvan-event:1,ana@x.org\nvan-event:1,zed@x.org\n")
    with pytest.raises(InputFileError):
        do_import(world.ana, world.northside, bad, format="csv", kind="attendance")
    assert _indexes() == before
    assert Attendance.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds indexes")
def test_a_re_import_that_inserts_nothing_keeps_the_indexes_and_writes_nothing(
        world, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "INDEX_REBUILD_MIN", 1)
    Attendance.objects.all().delete()
    _people_and_event(world, tmp_path)
    before = _indexes()
    att = tmp_path / "att.csv"
    att.write_text("event,person_email\nvan-event:1,ana@x.org\nvan-event:1,ben@x.org\n")
    do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    seen: list[tuple[list[str], int]] = []
    real_upsert = bulk.upsert_attendance
    raw = connection.connection

    def spy(temp: str) -> int:
        writes = raw.total_changes
        result = real_upsert(temp)
        seen.append((_indexes(), raw.total_changes - writes))
        return result

    monkeypatch.setattr(bulk, "upsert_attendance", spy)
    again = do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    assert (again.created, again.updated) == ({}, {})
    # Both pairs are stored already: no index dropped, and the upsert changed no row.
    assert seen == [(before, 0)]
    assert _indexes() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds indexes")
def test_the_rows_to_insert_not_the_rows_read_decide_the_index_rebuild(
        world, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "INDEX_REBUILD_MIN", 1)
    Attendance.objects.all().delete()
    _people_and_event(world, tmp_path)
    events = tmp_path / "e2.csv"
    events.write_text("identifiers,name,starts_at\nvan-event:2,Vigil,2026-03-04T19:00:00Z\n"
                      "van-event:3,Rally,2026-03-05T19:00:00Z\n")
    do_import(world.ana, world.northside, events, format="csv", kind="events")
    pairs = [f"van-event:{e},{p}@x.org" for e in (1, 2, 3) for p in ("ana", "ben")]
    att = tmp_path / "att.csv"
    att.write_text("event,person_email\n" + "\n".join(pairs[:5]) + "\n")
    do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    counted: list[int] = []
    real_count = bulk.count_new_attendance
    monkeypatch.setattr(bulk, "count_new_attendance",
                        lambda temp: counted.append(real_count(temp)) or counted[-1])
    dropped: list[bool] = []
    real_upsert = bulk.upsert_attendance
    full = _indexes()
    monkeypatch.setattr(bulk, "upsert_attendance",
                        lambda temp: dropped.append(_indexes() != full) or real_upsert(temp))
    # Six rows read, one of them new: 1 * 4 < 5 stored rows, so the indexes stay.
    att.write_text("event,person_email\n" + "\n".join(pairs) + "\n")
    report = do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    assert report.created == {"attendance": 1}
    assert (counted, dropped) == ([1], [False])
    assert Attendance.objects.filter(person__owner=world.northside).count() == 6


def _people_and_event(world, tmp_path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("given_name,email\nAna,ana@x.org\nBen,ben@x.org\n")
    do_import(world.ana, world.northside, f, format="csv", kind="people")
    events = tmp_path / "e.csv"
    events.write_text("identifiers,name,starts_at\nvan-event:1,Meeting,2026-03-03T19:00:00Z\n")
    do_import(world.ana, world.northside, events, format="csv", kind="events")


def _rsvps() -> list[tuple[str, str, bool | None]]:
    return sorted(Attendance.objects.filter(person__owner__isnull=False,
                                            event__name="Meeting")
                  .values_list("person__email", "status", "attended"))


def test_the_last_row_of_a_repeated_pair_wins_even_in_another_batch(world, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setattr(bulk, "ATTENDANCE_BATCH", 1)
    _people_and_event(world, tmp_path)
    att = tmp_path / "att.csv"
    att.write_text("event,person_email,status,attended\n"
                   "van-event:1,ana@x.org,accepted,false\n"
                   "van-event:1,ben@x.org,tentative,\n"
                   "van-event:1,ana@x.org,declined,true\n")
    report = do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    assert report.created == {"attendance": 2}
    assert _rsvps() == [("ana@x.org", "declined", True), ("ben@x.org", "tentative", None)]


def test_a_re_import_rewrites_only_the_rows_that_changed(world, tmp_path):
    from broadfront.web.accountability.models import AttendanceTally

    _people_and_event(world, tmp_path)
    att = tmp_path / "att.csv"
    att.write_text("event,person_email,status,attended\n"
                   "van-event:1,ana@x.org,accepted,true\nvan-event:1,ben@x.org,accepted,\n")
    do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    again = do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    assert (again.created, again.updated) == ({}, {})
    assert again.matched == {"attendance": 2}
    # Ben came after all: one stored row changes and the summary follows it.
    att.write_text("event,person_email,status,attended\n"
                   "van-event:1,ana@x.org,accepted,true\nvan-event:1,ben@x.org,accepted,true\n")
    changed = do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    assert (changed.created, changed.updated) == ({}, {"attendance": 1})
    assert _rsvps() == [("ana@x.org", "accepted", True), ("ben@x.org", "accepted", True)]
    tally = AttendanceTally.objects.get(event__name="Meeting",
                                        organization=world.northside)
    assert (tally.rsvps, tally.said_yes, tally.came, tally.yes_and_came) == (2, 2, 2, 2)


def test_a_dry_run_of_changes_reports_them_and_writes_nothing(world, tmp_path):
    _people_and_event(world, tmp_path)
    att = tmp_path / "att.csv"
    att.write_text("event,person_email,status\nvan-event:1,ana@x.org,accepted\n")
    do_import(world.ana, world.northside, att, format="csv", kind="attendance")
    att.write_text("event,person_email,status\nvan-event:1,ana@x.org,declined\n"
                   "van-event:1,ben@x.org,accepted\n")
    report = do_import(world.ana, world.northside, att, format="csv", kind="attendance",
                       dry_run=True)
    assert (report.created, report.updated) == ({"attendance": 1}, {"attendance": 1})
    assert _rsvps() == [("ana@x.org", "accepted", None)]
