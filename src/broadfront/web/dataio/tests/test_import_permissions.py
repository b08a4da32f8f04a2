"""Nobody rewrites another organization's records or shared public records by importing a file.

Issue 13, H1: the import handlers checked only that the user organizes the *importing*
organization. Each reproduction below is refused by file, row and field, in a dry run too,
and leaves the database exactly as it was; a site operator and a curating organization still
succeed, and the organization whose record changed reads the audit entry.
"""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.exceptions import PermissionDeniedError
from broadfront.web.common import audit
from broadfront.web.common.models import AuditEntry
from broadfront.web.common.permissions import WriteRefusedError
from broadfront.web.dataio.services import do_import
from broadfront.web.dataio.tests.attacks import (
    ATTACKS,
    CITY,
    COUNCIL,
    EXAMPLES,
    PRECINCT,
    grant,
    load_landscape,
    snapshot,
)
from broadfront.web.landscape.models import Seat, Vote
from broadfront.web.organizations.models import Division, Organization, Person


@pytest.fixture
def landscape(world: Any, operator: Any) -> Any:
    load_landscape(world, operator)
    return world


def _import(user: Any, org: Any, path: Any, kind: str, *, dry_run: bool = False) -> Any:
    fmt = ATTACKS[kind][1]
    return do_import(user, org, path, format=fmt, kind=kind if fmt == "csv" else "people",
                     dry_run=dry_run)


def _ben_vote() -> str:
    return Vote.objects.get(voter__identifiers=["popolo:ocd-person/ben"]).option


# --- the four reproductions, as Omar (opponent), Grace (partner) and Ana (organizer) ---------

@pytest.mark.parametrize("kind", list(ATTACKS))
@pytest.mark.parametrize("who", ["omar", "grace", "ana"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_row_rewriting_a_record_the_importer_may_not_write_is_refused_and_nothing_changes(
        landscape, tmp_path, kind, who, dry_run):
    user = getattr(landscape, who)
    own = {"omar": landscape.westfield, "grace": landscape.faith,
           "ana": landscape.northside}[who]
    make, _, row, field = ATTACKS[kind]
    path = make(tmp_path)
    before = snapshot()
    with pytest.raises(WriteRefusedError) as info:
        _import(user, own, path, kind, dry_run=dry_run)
    assert (info.value.file, info.value.row, info.value.field) == (str(path), row, field)
    assert str(info.value).startswith(f"{path}, row {row}, field '{field}': you may not ")
    assert isinstance(info.value, PermissionDeniedError)
    assert snapshot() == before


def test_the_refusal_names_the_record_and_who_may_change_it(landscape, tmp_path):
    path = ATTACKS["organizations"][0](tmp_path)
    with pytest.raises(WriteRefusedError) as info:
        do_import(landscape.omar, landscape.westfield, path, format="csv",
                  kind="organizations")
    assert str(info.value) == (
        f"{path}, row 2, field 'slug': you may not change organization 'Northside Chapter': "
        "only its own admins (or a site operator) may")


def test_a_precinct_refusal_says_it_is_a_shared_record(landscape, tmp_path):
    path = ATTACKS["divisions"][0](tmp_path)
    with pytest.raises(WriteRefusedError, match="you may not change division 'Ward 9 Precinct "
                                                "1': it is a shared public record; only site "
                                                "operators or an organization curating it may"):
        do_import(landscape.omar, landscape.westfield, path, format="csv", kind="divisions")
    assert Division.objects.get(ocd_id=PRECINCT).expected_attendance == 140


@pytest.mark.parametrize("kind", list(ATTACKS))
def test_a_viewer_may_not_import_at_all(landscape, tmp_path, kind):
    path = ATTACKS[kind][0](tmp_path)
    before = snapshot()
    with pytest.raises(PermissionDeniedError, match="you need the organizer role"):
        _import(landscape.ben, landscape.northside, path, kind)
    assert snapshot() == before


def test_one_refused_row_rolls_back_the_rows_before_it(landscape, tmp_path):
    f = tmp_path / "orgs.csv"
    f.write_text("slug,name,kind\nnew-union,New Union,union\nnorthside,Sellouts,chapter\n")
    before = snapshot()
    with pytest.raises(WriteRefusedError) as info:
        do_import(landscape.omar, landscape.westfield, f, format="csv", kind="organizations")
    assert info.value.row == 3
    assert snapshot() == before
    assert not Organization.objects.filter(slug="new-union").exists()


# --- who may -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(ATTACKS))
def test_a_site_operator_may_import_each_file(landscape, operator, tmp_path, kind):
    report = _import(operator, landscape.westfield, ATTACKS[kind][0](tmp_path), kind)
    assert report.change_count >= 1


def test_northsides_own_admin_may_rename_it(landscape, nadia, tmp_path):
    do_import(nadia, landscape.northside, ATTACKS["organizations"][0](tmp_path),
              format="csv", kind="organizations")
    assert Organization.objects.get(slug="northside").name == "Northside Sellouts"


def test_an_organization_curating_the_city_may_change_its_precincts(landscape, tmp_path):
    grant(landscape.northside, division=CITY)
    report = do_import(landscape.ana, landscape.northside,
                       ATTACKS["divisions"][0](tmp_path), format="csv", kind="divisions")
    assert Division.objects.get(ocd_id=PRECINCT).expected_attendance == 99999
    assert report.changes == [{"row": 2, "model": "organizations.Division",
                               "id": Division.objects.get(ocd_id=PRECINCT).pk,
                               "action": "update",
                               "fields": {"expected_attendance": [140, 99999]}}]
    # ... and the grant is Northside's: Faith's organizer may not use it
    f = tmp_path / "back.csv"
    f.write_text(f"ocd_id,name,level,expected_attendance\n{PRECINCT},Ward 9 Precinct 1,"
                 "precinct,140\n")
    with pytest.raises(WriteRefusedError):
        do_import(landscape.grace, landscape.faith, f, format="csv", kind="divisions")
    assert Division.objects.get(ocd_id=PRECINCT).expected_attendance == 99999


def test_curating_a_precinct_does_not_cover_its_city(landscape, tmp_path):
    grant(landscape.northside, division=PRECINCT)
    f = tmp_path / "d.csv"
    f.write_text(f"ocd_id,name,level\n{CITY},Mpls,city\n")
    with pytest.raises(WriteRefusedError):
        do_import(landscape.ana, landscape.northside, f, format="csv", kind="divisions")


def test_an_organization_curating_the_council_may_correct_its_votes_and_figures(
        landscape, tmp_path):
    grant(landscape.northside, body=COUNCIL)
    do_import(landscape.ana, landscape.northside, ATTACKS["rollcalls"][0](tmp_path),
              format="csv", kind="rollcalls")
    assert _ben_vote() == "yes"
    report = do_import(landscape.ana, landscape.northside, ATTACKS["popolo"][0](tmp_path),
                       format="popolo")
    assert report.updated["person"] == 1 and report.created["person"] == 1
    ward_1 = Seat.objects.get(body__slug=COUNCIL, label="Ward 1")
    assert str(ward_1.holder) == "Felix Bizmember" and ward_1.holder.owner is None


def test_restating_public_records_unchanged_is_not_a_write(landscape, tmp_path):
    report = do_import(landscape.omar, landscape.westfield, EXAMPLES / "divisions.csv",
                       format="csv", kind="divisions")
    assert report.unchanged == {"divisions": 3} and report.change_count == 0


def test_any_organizer_may_add_a_new_plain_organization_they_do_not_control(world, tmp_path):
    f = tmp_path / "orgs.csv"
    f.write_text("slug,name,kind\nriver-pac,River PAC,political\n")
    do_import(world.omar, world.westfield, f, format="csv", kind="organizations")
    pac = Organization.objects.get(slug="river-pac")
    f.write_text("slug,name,kind\nriver-pac,River Super PAC,political\n")
    with pytest.raises(WriteRefusedError, match="only its own admins"):
        do_import(world.omar, world.westfield, f, format="csv", kind="organizations")
    assert Organization.objects.get(pk=pac.pk).name == "River PAC"


def test_nobody_adds_a_chapter_to_another_organization(world, tmp_path):
    f = tmp_path / "orgs.csv"
    f.write_text("slug,name,kind,parent\nfake-chapter,Fake,chapter,northside\n")
    with pytest.raises(WriteRefusedError, match="as a chapter of another organization"):
        do_import(world.omar, world.westfield, f, format="csv", kind="organizations")
    assert not Organization.objects.filter(slug="fake-chapter").exists()


def test_a_commitment_row_for_another_partner_is_refused_before_it_is_looked_up(world,
                                                                                 tmp_path):
    from broadfront.web.accountability.models import Commitment

    do_import(world.ana, world.northside, EXAMPLES / "commitments.csv", format="csv",
              kind="commitments")
    stored = list(Commitment.objects.values_list("partner_id", "quantity", "note"))
    # restating Northside's commitment exactly must not tell Omar it exists
    with pytest.raises(WriteRefusedError) as info:
        do_import(world.omar, world.westfield, EXAMPLES / "commitments.csv", format="csv",
                  kind="commitments")
    assert (info.value.row, info.value.field) == (2, "partner")
    with pytest.raises(Exception, match="no commitment with key 'doors-feb'"):
        do_import(world.omar, world.westfield, EXAMPLES / "deliveries.csv", format="csv",
                  kind="deliveries")
    assert list(Commitment.objects.values_list("partner_id", "quantity", "note")) == stored


# --- the audit trail the victim reads -----------------------------------------------------------

def test_an_import_lists_which_records_changed_which_fields(landscape, operator, tmp_path):
    do_import(operator, landscape.westfield, ATTACKS["rollcalls"][0](tmp_path), format="csv",
              kind="rollcalls")
    entry = AuditEntry.objects.filter(action="import").first()
    vote = Vote.objects.get(voter__identifiers=["popolo:ocd-person/ben"])
    assert entry.changes["rows"] == [{"row": 2, "model": "landscape.Vote", "id": vote.pk,
                                      "action": "update", "fields": {"option": ["no", "yes"]}}]


def test_the_organization_whose_row_changed_reads_the_entry(landscape, operator, nadia,
                                                           tmp_path):
    do_import(operator, landscape.westfield, ATTACKS["organizations"][0](tmp_path),
              format="csv", kind="organizations")
    entry = AuditEntry.objects.get(subject_organization=landscape.northside)
    assert (entry.organization, entry.action, entry.model) == (
        landscape.westfield, "import update", "organizations.Organization")
    assert entry.changes["before"] == {"name": "Northside Chapter"}
    assert entry.changes["after"] == {"name": "Northside Sellouts"}
    assert entry in audit.entries_for_admins(nadia, landscape.northside)


def test_the_curator_of_a_council_reads_what_others_changed_in_it(landscape, operator,
                                                                 nadia, tmp_path):
    grant(landscape.northside, body=COUNCIL)
    do_import(operator, landscape.westfield, ATTACKS["popolo"][0](tmp_path), format="popolo")
    about = AuditEntry.objects.filter(subject_organization=landscape.northside)
    assert {(e.model, e.action) for e in about} >= {("organizations.Person", "import update"),
                                                   ("landscape.Seat", "import update")}
    renamed = about.get(model="organizations.Person", action="import update")
    assert renamed.changes["after"] == {"given_name": "Puppet"}
    assert set(about) <= set(audit.entries_for_admins(nadia, landscape.northside))


def test_a_dry_run_writes_no_audit_entry_even_about_others(landscape, operator, tmp_path):
    count = AuditEntry.objects.count()
    report = do_import(operator, landscape.westfield, ATTACKS["organizations"][0](tmp_path),
                       format="csv", kind="organizations", dry_run=True)
    assert report.change_count == 1
    assert AuditEntry.objects.count() == count
    assert Organization.objects.get(slug="northside").name == "Northside Chapter"


def test_only_an_organizations_admins_read_its_audit_log(landscape, nadia):
    for user in (landscape.ana, landscape.ben, landscape.grace, landscape.omar):
        with pytest.raises(PermissionDeniedError):
            audit.entries_for_admins(user, landscape.northside)


def test_public_figures_stay_public_after_a_curated_popolo_import(landscape, tmp_path):
    grant(landscape.northside, body=COUNCIL)
    do_import(landscape.ana, landscape.northside, ATTACKS["popolo"][0](tmp_path),
              format="popolo")
    assert not Person.objects.filter(owner__isnull=False,
                                     identifiers=["popolo:ocd-person/felix"]).exists()


def test_an_upload_through_the_page_fails_by_name_and_writes_nothing(landscape, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from broadfront.web.dataio.services import start_upload

    path = ATTACKS["rollcalls"][0](tmp_path)
    before = snapshot()
    job = start_upload(landscape.omar, landscape.westfield,
                       SimpleUploadedFile("rollcalls.csv", path.read_bytes()), format="csv",
                       kind="rollcalls")
    assert job.status == "failed"
    assert ("rollcalls.csv, row 2, field 'option': you may not change vote 'Ben Boyd no on "
            "2026-14'") in job.error
    assert snapshot() == before
