"""``broadfront import`` and ``broadfront export`` against the test database."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from broadfront.cli.main import app
from broadfront.web.organizations.models import Person

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[4] / "docs" / "examples" / "data"


def test_import_prints_what_it_created(world):
    result = runner.invoke(app, ["import", str(EXAMPLES / "action_network_people.csv"),
                                 "--format", "csv", "--kind", "action_network",
                                 "--organization", "northside", "--as", "ana"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Imported 3 records into Northside Chapter in ")
    assert lines[1] == "  created:   3 person"
    assert Person.objects.filter(owner=world.northside).count() == 4


def test_a_dry_run_says_so_and_writes_nothing(world):
    result = runner.invoke(app, ["import", str(EXAMPLES / "people.csv"), "--format", "csv",
                                 "--kind", "people", "--organization", "northside",
                                 "--as", "ana", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["dry_run"] is True and report["created"] == {"person": 2}
    assert Person.objects.filter(owner=world.northside).count() == 1


def test_a_bad_file_is_one_line_naming_row_and_field(world, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("given_name,email\nAna,nope\n")
    result = runner.invoke(app, ["import", str(bad), "--format", "csv", "--kind", "people",
                                 "--organization", "northside", "--as", "ana"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: {bad}, row 2, field 'email': expected an email address, got 'nope'")


def test_a_viewer_may_not_import(world):
    result = runner.invoke(app, ["import", str(EXAMPLES / "people.csv"), "--format", "csv",
                                 "--organization", "northside", "--as", "ben"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: you need the organizer role in this organization to change its records")


def test_export_writes_osdi_pages_that_import_back_unchanged(world, tmp_path):
    result = runner.invoke(app, ["export", str(tmp_path / "people"), "--format", "osdi",
                                 "--kind", "people", "--organization", "northside",
                                 "--as", "ana"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Exported 1 records (people) to 1 file(s): ")
    again = runner.invoke(app, ["import", str(tmp_path / "people"), "--format", "osdi",
                                "--organization", "northside", "--as", "ana", "--json"])
    assert json.loads(again.output)["unchanged"] == {"person": 1}


def test_an_unknown_organization_is_named(world):
    result = runner.invoke(app, ["import", "x.csv", "--format", "csv",
                                 "--organization", "nowhere", "--as", "ana"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: organization 'nowhere' not found"
