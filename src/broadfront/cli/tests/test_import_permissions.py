"""``broadfront import --as USER``: a file rewriting records the user may not write fails.

The CLI reproductions of issue 13, H1: Omar (an opponent's organizer), Grace (a partner's
organizer) and Ben (a viewer) each try the four files; the command prints one ``error:`` line
naming the file, row and field, exits 1, and the database is unchanged. A site operator and a
curating organization succeed, and Northside's admin reads the audit entry about its record.
"""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from broadfront.cli.main import app
from broadfront.web.common import audit
from broadfront.web.dataio.tests.attacks import (
    ATTACKS,
    COUNCIL,
    PRECINCT,
    grant,
    load_landscape,
    make_admin,
    make_operator,
    snapshot,
)

runner = CliRunner()


@pytest.fixture
def landscape(world: Any) -> Any:
    load_landscape(world, make_operator())
    return world


def _invoke(path: Any, kind: str, organization: str, user: str | None,
            *extra: str) -> Any:
    fmt = ATTACKS[kind][1]
    args = ["import", str(path), "--format", fmt, "--organization", organization]
    if fmt == "csv":
        args += ["--kind", kind]
    if user is not None:
        args += ["--as", user]
    return runner.invoke(app, args + list(extra))


@pytest.mark.parametrize("kind", list(ATTACKS))
@pytest.mark.parametrize(("user", "organization"), [("omar", "westfield"),
                                                    ("grace", "faith")])
@pytest.mark.parametrize("dry_run", [False, True])
def test_an_organizer_of_another_organization_cannot_rewrite_it_by_import(
        landscape, tmp_path, kind, user, organization, dry_run):
    make, _, row, field = ATTACKS[kind]
    path = make(tmp_path)
    before = snapshot()
    result = _invoke(path, kind, organization, user, *(["--dry-run"] if dry_run else []))
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: {path}, row {row}, field '{field}': you may not ")
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot() == before


def test_omar_renaming_northside_is_told_who_may(landscape, tmp_path):
    path = ATTACKS["organizations"][0](tmp_path)
    result = _invoke(path, "organizations", "westfield", "omar")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: {path}, row 2, field 'slug': you may not change organization "
        "'Northside Chapter': only its own admins (or a site operator) may")


@pytest.mark.parametrize("kind", list(ATTACKS))
def test_a_viewer_cannot_import_any_of_the_files(landscape, tmp_path, kind):
    before = snapshot()
    result = _invoke(ATTACKS[kind][0](tmp_path), kind, "northside", "ben")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: you need the organizer role in this organization to change its records")
    assert snapshot() == before


@pytest.mark.parametrize("kind", list(ATTACKS))
def test_a_site_operator_imports_each_file(landscape, tmp_path, kind):
    result = _invoke(ATTACKS[kind][0](tmp_path), kind, "westfield", None, "--json")
    assert result.exit_code == 0, result.output


def test_a_curating_organization_corrects_its_council_and_northsides_admin_reads_it(
        landscape, tmp_path):
    from broadfront.web.landscape.models import Vote
    from broadfront.web.organizations.models import Division

    grant(landscape.northside, body=COUNCIL)
    result = _invoke(ATTACKS["rollcalls"][0](tmp_path), "rollcalls", "northside", "ana")
    assert result.exit_code == 0, result.output
    assert Vote.objects.get(voter__identifiers=["popolo:ocd-person/ben"]).option == "yes"
    # the operator changes a precinct of the city Northside curates: Northside is told
    grant(landscape.northside, division="ocd-division/country:us/state:mn/place:minneapolis")
    result = _invoke(ATTACKS["divisions"][0](tmp_path), "divisions", "westfield", None)
    assert result.exit_code == 0, result.output
    assert Division.objects.get(ocd_id=PRECINCT).expected_attendance == 99999
    entries = audit.entries_for_admins(make_admin(landscape), landscape.northside)
    about = entries.get(model="organizations.Division")
    assert (about.subject_organization, about.organization) == (landscape.northside,
                                                                landscape.westfield)
    assert about.changes["before"] == {"expected_attendance": 140}
