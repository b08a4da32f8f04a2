"""The upload page, the job report and the API, with the same checks as the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja.testing import TestClient

from broadfront.conftest import PASSWORD
from broadfront.web.dataio.api import router
from broadfront.web.dataio.models import ImportJob
from broadfront.web.organizations.models import Person

EXAMPLES = Path(__file__).resolve().parents[5] / "docs" / "examples" / "data"
pytestmark = pytest.mark.urls("broadfront.web.dataio.tests.urls")


def upload(client, name: str, content: bytes, **fields):
    data = {"organization": fields.pop("organization"), "format": "csv", "kind": "people",
            "file": SimpleUploadedFile(name, content), **fields}
    return client.post("/data/", data)


def test_an_upload_imports_and_shows_the_report(client, world):
    client.login(username="ana", password=PASSWORD)
    response = upload(client, "people.csv", (EXAMPLES / "people.csv").read_bytes(),
                      organization=world.northside.pk)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/imports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Done" in page and "2 person" in page
    assert Person.objects.filter(owner=world.northside).count() == 3


def test_a_bad_upload_names_row_and_field_and_saves_nothing(client, world):
    client.login(username="ana", password=PASSWORD)
    response = upload(client, "people.csv", b"given_name,email\nAna,nope\n",
                      organization=world.northside.pk, dry_run="on")
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert job.status == "failed"
    assert "Nothing was saved." in page and "row 2, field &#x27;email&#x27;" in page
    assert Person.objects.filter(owner=world.northside).count() == 1


def test_a_viewer_cannot_pick_an_organization_to_import_into(client, world):
    client.login(username="ben", password=PASSWORD)
    response = upload(client, "people.csv", b"given_name\nAna\n", organization=world.northside.pk)
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_another_organizations_job_is_not_found(client, world):
    client.login(username="ana", password=PASSWORD)
    upload(client, "people.csv", (EXAMPLES / "people.csv").read_bytes(),
           organization=world.northside.pk)
    client.logout()
    client.login(username="grace", password=PASSWORD)
    assert client.get(f"/data/imports/{ImportJob.objects.get().pk}/").status_code == 404


def test_the_api_imports_and_reports(world):
    api = TestClient(router)
    response = api.post("/data/imports", data={"organization": "northside", "format": "csv",
                                               "kind": "people", "dry_run": True},
                        FILES={"file": SimpleUploadedFile("p.csv", b"given_name\nAna\n")},
                        user=world.ana)
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["report"]["created"]) == ("done", {"person": 1})
    again = api.get(f"/data/imports/{body['id']}", user=world.ana)
    assert again.json()["id"] == body["id"]


def test_the_export_page_downloads_csv(client, world):
    client.login(username="ana", password=PASSWORD)
    response = client.get("/data/export/?organization=northside&kind=people&format=csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().splitlines()[1] == (
        f"broadfront:person-{world.ana_person.pk},Dolores,Northmember,d@example.org,,")
