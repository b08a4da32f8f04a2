"""/power/audit/<slug>/: an organization's admins read what was done to its records."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common import audit
from broadfront.web.dataio.tests.attacks import make_admin


@pytest.fixture
def entries(world: Any) -> Any:
    """Westfield's organizer changed something of Northside's; Faith wrote its own entry."""
    audit.record(world.omar, "import update", world.northside, organization=world.westfield,
                 subject_organization=world.northside, summary="renamed by a file",
                 changes={"before": {"name": "Northside Chapter"},
                          "after": {"name": "Northside Sellouts"}})
    audit.record(world.ana, "create", world.ana_person, organization=world.northside,
                 summary="Northside's own entry")
    audit.record(world.grace, "create", world.grace_person, organization=world.faith,
                 summary="Faith's private entry")
    return world


def test_northsides_admin_reads_its_own_entries_and_those_about_its_records(client, entries):
    client.force_login(make_admin(entries))
    page = client.get("/power/audit/northside/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "renamed by a file" in text and "Northside Sellouts" in text
    assert "Northside&#x27;s own entry" in text
    assert "Faith&#x27;s private entry" not in text
    assert [e.summary for e in page.context["page"].object_list] == [
        "Northside's own entry", "renamed by a file"]


@pytest.mark.parametrize("who", ["ana", "ben", "grace", "omar", "cora"])
def test_nobody_but_its_admins_reads_it(client, entries, who):
    client.force_login(getattr(entries, who))
    assert client.get("/power/audit/northside/").status_code == 403


def test_an_unknown_organization_is_not_found(client, entries):
    client.force_login(make_admin(entries))
    assert client.get("/power/audit/nowhere/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, entries):
    assert client.get("/power/audit/northside/").status_code == 302
