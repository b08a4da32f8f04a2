"""Imports land in the importer's organization, validate first, write all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from broadfront.exceptions import InputFileError, PermissionDeniedError, ValidationError
from broadfront.web.accountability.models import Attendance, Event
from broadfront.web.common.models import AuditEntry
from broadfront.web.dataio.services import do_export, do_import
from broadfront.web.organizations.models import Person

EXAMPLES = Path(__file__).resolve().parents[5] / "docs" / "examples" / "data"


def snapshot() -> tuple[Any, ...]:
    people = sorted(Person.objects.values_list("owner_id", "given_name", "family_name", "email",
                                               "phone", "postal_code", "identifiers"), key=repr)
    events = sorted(Event.objects.values_list("organization_id", "name", "starts_at",
                                              "identifiers"), key=repr)
    attendance = sorted(Attendance.objects.values_list(
        "event__name", "person__email", "status", "attended", "invited_by__email"), key=repr)
    return people, events, attendance


def test_osdi_people_follow_pagination_and_land_in_the_importers_organization(world):
    report = do_import(world.ana, world.northside, EXAMPLES / "osdi" / "people-1.json",
                       format="osdi", kind="people")
    assert report.read == 3
    assert report.created == {"person": 3}
    rosa = Person.objects.get(email="rosa.alvarez@example.org")
    assert rosa.owner == world.northside
    assert rosa.identifiers == ["action_network:5b1e"]
    assert rosa.phone == "6125550101"
    assert rosa.postal_code == "55407"


def test_importing_the_same_file_twice_changes_nothing(world):
    do_import(world.ana, world.northside, EXAMPLES / "osdi" / "people-1.json", format="osdi",
              kind="people")
    before = snapshot()
    again = do_import(world.ana, world.northside, EXAMPLES / "osdi" / "people-1.json",
                      format="osdi", kind="people")
    assert again.created == {}
    assert again.unchanged == {"person": 3}
    assert snapshot() == before


def test_a_dry_run_reports_what_would_change_and_writes_nothing(world):
    before = snapshot()
    audits = AuditEntry.objects.count()
    report = do_import(world.ana, world.northside, EXAMPLES / "osdi" / "people-1.json",
                       format="osdi", kind="people", dry_run=True)
    assert report.dry_run and report.created == {"person": 3}
    assert snapshot() == before
    assert AuditEntry.objects.count() == audits


def test_a_real_import_writes_one_audit_entry(world):
    audits = AuditEntry.objects.count()
    do_import(world.ana, world.northside, EXAMPLES / "people.csv", format="csv", kind="people")
    entry = AuditEntry.objects.first()
    assert AuditEntry.objects.count() == audits + 1
    assert entry.action == "import" and entry.organization == world.northside


def test_osdi_attendance_resolves_people_by_link_and_credits_the_inviter(world):
    folder = EXAMPLES / "osdi"
    for kind in ("people", "events", "attendance"):
        do_import(world.ana, world.northside, folder / f"{kind}-1.json", format="osdi",
                  kind=kind)
    tom = Attendance.objects.get(person__email="tom.nguyen@example.org")
    assert (tom.status, tom.attended, tom.invited_by.email) == (
        "accepted", False, "rosa.alvarez@example.org")


def test_attendance_of_someone_outside_the_organization_is_refused(world, tmp_path):
    do_import(world.ana, world.northside, EXAMPLES / "events.csv", format="csv", kind="events")
    bad = tmp_path / "attendance.csv"
    bad.write_text("event,person_email,status\nvan-event:31,e@example.org,accepted\n")
    with pytest.raises(InputFileError) as info:
        do_import(world.ana, world.northside, bad, format="csv", kind="attendance")
    assert (info.value.row, info.value.field) == (2, "person")
    assert not Attendance.objects.exists()


def test_matching_merges_action_network_and_mobilize_by_email(world):
    do_import(world.ana, world.northside, EXAMPLES / "action_network_people.csv", format="csv",
              kind="action_network")
    report = do_import(world.ana, world.northside, EXAMPLES / "mobilize_attendance.csv",
                       format="csv", kind="mobilize")
    rosa = Person.objects.get(email="rosa.alvarez@example.org")
    assert rosa.identifiers == ["mobilize:77"]
    assert report.created == {"person": 1, "event": 2, "attendance": 3}
    assert report.matched["email"] == 2
    assert Attendance.objects.get(person=rosa, event__identifiers=["mobilize:513"]).status == \
        "declined"


def test_people_imported_by_one_organization_are_invisible_to_another(world):
    do_import(world.ana, world.northside, EXAMPLES / "people.csv", format="csv", kind="people")
    assert Person.objects.visible_to(world.ana).filter(email="dev.patel@example.org").exists()
    assert not Person.objects.visible_to(world.grace).filter(
        email="dev.patel@example.org").exists()
    assert not Person.objects.visible_to(world.omar).filter(
        email="dev.patel@example.org").exists()


def test_matching_never_reaches_into_another_organizations_people(world, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("given_name,email\nEzra,e@example.org\n")  # grace's person's email
    report = do_import(world.ana, world.northside, f, format="csv", kind="people")
    assert report.created == {"person": 1}
    assert Person.objects.filter(email="e@example.org").count() == 2


def test_a_viewer_cannot_import(world):
    with pytest.raises(PermissionDeniedError):
        do_import(world.ben, world.northside, EXAMPLES / "people.csv", format="csv",
                  kind="people")


@pytest.mark.parametrize(("content", "row", "field"), [
    (b"given_name,email\nAna,not-an-email\n", 2, "email"),
    (b"given_name,email\n,a@example.org\n", 2, "given_name"),
    (b"identifiers,given_name\nvan:1,Ana\nvan:1,Ann\n", 3, "identifiers"),
    (b"given_name,email\nAna,a@example.org\nBo,\"b@exam", 3, None),
    (b"given_name,email\nJos\xe9,j@example.org\n", 2, None),
    (b"email\na@example.org\n", 1, "given_name"),
    (b"given_name,postal_code\nAna,55407\nBo,55407/9\n", 3, "postal_code"),
    (b"given_name,postal_code\nAna,55407\nBo,1234567890 1234567890\n", 3, "postal_code"),
])
def test_malformed_files_raise_a_named_error_and_leave_the_database_unchanged(
        world, tmp_path, content, row, field):
    f = tmp_path / "people.csv"
    f.write_bytes(content)
    before = snapshot()
    with pytest.raises(InputFileError) as info:
        do_import(world.ana, world.northside, f, format="csv", kind="people")
    assert (info.value.row, info.value.field) == (row, field)
    assert snapshot() == before


def test_a_bad_postal_code_names_file_row_and_field_and_nothing_is_written(world, tmp_path):
    f = tmp_path / "people.csv"
    f.write_text("given_name,email,postal_code\nAna,a@example.org,55407\n"
                 "Bo,b@example.org,55407#2\n")
    before = snapshot()
    with pytest.raises(InputFileError) as info:
        do_import(world.ana, world.northside, f, format="csv", kind="people")
    assert str(info.value) == (f"{f}, row 3, field 'postal_code': may hold only letters, "
                               f"digits, spaces and hyphens, got '55407#2'")
    assert snapshot() == before


def test_a_bad_osdi_postal_code_is_named_by_its_json_pointer(world, tmp_path):
    text = (EXAMPLES / "osdi" / "people-1.json").read_text().replace('"55407"', '"55407!"')
    (tmp_path / "people-1.json").write_text(text)
    shutil.copy(EXAMPLES / "osdi" / "people-2.json", tmp_path / "people-2.json")
    before = snapshot()
    with pytest.raises(InputFileError) as info:
        do_import(world.ana, world.northside, tmp_path / "people-1.json", format="osdi",
                  kind="people")
    assert (info.value.row, info.value.field) == ("/_embedded/osdi:people/0",
                                                  "postal_addresses")
    assert snapshot() == before


def test_postal_codes_are_stored_normalized_from_every_people_format(world, tmp_path):
    f = tmp_path / "people.csv"
    f.write_text("given_name,email,postal_code\nAna,a@example.org, k1a   0b1 \n")
    do_import(world.ana, world.northside, f, format="csv", kind="people")
    do_import(world.ana, world.northside, EXAMPLES / "action_network_people.csv", format="csv",
              kind="action_network")
    do_import(world.ana, world.northside, EXAMPLES / "mobilize_attendance.csv", format="csv",
              kind="mobilize")
    codes = dict(Person.objects.filter(owner=world.northside).values_list("email",
                                                                          "postal_code"))
    assert codes["a@example.org"] == "K1A 0B1"
    assert codes["rosa.alvarez@example.org"] == "55407"  # Action Network's zip_code
    assert codes["marcus.lee@example.org"] == "55406"  # Mobilize's user__postal_code


def test_a_re_import_fills_an_empty_postal_code_and_keeps_a_different_one(world, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text("given_name,email,postal_code\nAna,a@example.org,\nBo,b@example.org,55401\n")
    do_import(world.ana, world.northside, first, format="csv", kind="people")
    second = tmp_path / "second.csv"
    second.write_text("given_name,email,postal_code\nAna,a@example.org,55407\n"
                      "Bo,b@example.org,55499\n")
    report = do_import(world.ana, world.northside, second, format="csv", kind="people")
    assert report.updated == {"person": 1} and report.unchanged == {"person": 1}
    assert any("postal_code differs ('55401' kept)" in c for c in report.conflicts)
    codes = dict(Person.objects.filter(owner=world.northside).values_list("email",
                                                                          "postal_code"))
    assert (codes["a@example.org"], codes["b@example.org"]) == ("55407", "55401")


def test_a_re_import_with_postal_codes_that_changes_nothing_writes_nothing(world, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    do_import(world.ana, world.northside, EXAMPLES / "people.csv", format="csv", kind="people")
    with CaptureQueriesContext(connection) as queries:
        again = do_import(world.ana, world.northside, EXAMPLES / "people.csv", format="csv",
                          kind="people")
    assert again.updated == {} and again.unchanged == {"person": 2}
    table = Person._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries
                if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
                and table in q["sql"]]


def test_a_bad_date_deep_in_an_osdi_page_is_named_by_its_json_pointer(world, tmp_path):
    shutil.copy(EXAMPLES / "osdi" / "events-1.json", tmp_path / "events-1.json")
    text = (tmp_path / "events-1.json").read_text().replace("2026-04-02T18:00:00Z", "04/02/26")
    (tmp_path / "events-1.json").write_text(text)
    with pytest.raises(InputFileError) as info:
        do_import(world.ana, world.northside, tmp_path / "events-1.json", format="osdi",
                  kind="events")
    assert (info.value.row, info.value.field) == ("/_embedded/osdi:events/0", "start_date")
    assert not Event.objects.exists()


def test_osdi_round_trip_gives_the_same_records(world, tmp_path):
    folder = EXAMPLES / "osdi"
    for kind in ("people", "events", "attendance"):
        do_import(world.ana, world.northside, folder / f"{kind}-1.json", format="osdi",
                  kind=kind)
    before = snapshot()
    for kind in ("people", "events", "attendance"):
        do_export(world.ana, world.northside, tmp_path / kind, format="osdi", kind=kind,
                  per_page=1)
    for kind in ("people", "events", "attendance"):
        report = do_import(world.ana, world.northside, tmp_path / kind, format="osdi",
                           kind=kind)
        assert report.created.get("person", 0) == 0 and report.updated == {}
    assert snapshot() == before


def test_csv_round_trip_gives_the_same_records_even_without_identifiers(world, tmp_path):
    for kind in ("people", "events", "attendance"):
        do_import(world.ana, world.northside, EXAMPLES / f"{kind}.csv", format="csv",
                  kind=kind)
    Person.objects.create(owner=world.northside, given_name="Nobody", email="n@example.org")
    before = snapshot()
    for kind in ("people", "events", "attendance"):
        do_export(world.ana, world.northside, tmp_path / f"{kind}.csv", format="csv", kind=kind)
        do_import(world.ana, world.northside, tmp_path / f"{kind}.csv", format="csv",
                  kind=kind)
    assert snapshot() == before


@pytest.mark.parametrize(("fmt", "target"), [("osdi", "people"), ("csv", "people.csv")])
def test_postal_codes_survive_an_export_and_an_import_into_a_fresh_organization(
        world, tmp_path, fmt, target):
    do_import(world.ana, world.northside, EXAMPLES / "people.csv", format="csv", kind="people")
    Person.objects.create(owner=world.northside, given_name="Nobody", email="n@example.org")
    do_export(world.ana, world.northside, tmp_path / target, format=fmt, kind="people")
    do_import(world.grace, world.faith, tmp_path / target, format=fmt, kind="people")

    def codes(org: Any) -> dict[str, str]:
        return dict(Person.objects.filter(owner=org).values_list("email", "postal_code"))

    assert codes(world.faith)["rosa.alvarez@example.org"] == "55407"
    assert codes(world.faith)["n@example.org"] == ""
    assert {k: codes(world.faith)[k] for k in codes(world.northside)} == codes(world.northside)


def test_popolo_loads_public_bodies_and_round_trips(world, operator, tmp_path):
    from broadfront.web.landscape.models import Body, Motion, Seat, Vote

    report = do_import(operator, world.northside, EXAMPLES / "popolo_council.json",
                       format="popolo")
    assert report.created["vote"] == 3
    body = Body.objects.get(slug="riverton-city-council")
    assert body.division.ocd_id == "ocd-division/country:us/state:mn/place:riverton"
    assert Seat.objects.filter(body=body, holder__owner__isnull=True).count() == 3
    motion = Motion.objects.get(body=body, identifier="2026-14")
    assert sorted(Vote.objects.filter(motion=motion).values_list("option", flat=True)) == [
        "no", "yes", "yes"]
    before = (Seat.objects.count(), Vote.objects.count(), Person.objects.count())
    do_export(world.ana, world.northside, tmp_path / "out.json", format="popolo")
    again = do_import(operator, world.northside, tmp_path / "out.json", format="popolo")
    assert again.created == {}
    assert (Seat.objects.count(), Vote.objects.count(), Person.objects.count()) == before


def test_templates_load_divisions_organizations_and_roll_calls(world, operator):
    from broadfront.web.landscape.models import Vote

    # Divisions, bodies and roll calls are shared public records: a site operator loads them.
    do_import(operator, world.northside, EXAMPLES / "divisions.csv", format="csv",
              kind="divisions")
    # New organizations (plain landscape actors) and Northside's relationships: its organizer.
    do_import(world.ana, world.northside, EXAMPLES / "organizations.csv", format="csv",
              kind="organizations")
    do_import(world.ana, world.northside, EXAMPLES / "relationships.csv", format="csv",
              kind="relationships")
    do_import(operator, world.northside, EXAMPLES / "popolo_council.json", format="popolo")
    report = do_import(operator, world.northside, EXAMPLES / "rollcalls.csv", format="csv",
                       kind="rollcalls")
    assert report.unchanged == {"rollcalls": 2}
    assert Vote.objects.count() == 3


def test_commitments_and_deliveries_import_under_the_partners_role(world):
    from broadfront.web.accountability.models import Commitment

    do_import(world.ana, world.northside, EXAMPLES / "commitments.csv", format="csv",
              kind="commitments")
    do_import(world.ana, world.northside, EXAMPLES / "deliveries.csv", format="csv",
              kind="deliveries")
    commitment = Commitment.objects.get()
    assert commitment.delivered() == 530
    with pytest.raises(PermissionDeniedError):
        do_import(world.grace, world.faith, EXAMPLES / "commitments.csv", format="csv",
                  kind="commitments")


def test_an_unknown_format_or_kind_is_a_validation_error(world):
    with pytest.raises(ValidationError):
        do_import(world.ana, world.northside, EXAMPLES / "people.csv", format="xml")
    with pytest.raises(ValidationError):
        do_import(world.ana, world.northside, EXAMPLES / "people.csv", format="csv",
                  kind="volunteers")
