"""A person's postal code: normalized on every write, shown only to the owning organization.

Ana organizes Northside and Ben is one of its viewers; Grace organizes Faith in Riverland, a
coalition partner; Omar organizes Westfield, at no table with either. Where Northside's people
live is Northside's business: Grace and Omar never see it, by page or by API.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from broadfront.exceptions import ValidationError
from broadfront.web.common.models import AuditEntry
from broadfront.web.organizations import services
from broadfront.web.organizations.models import Person

pytestmark = pytest.mark.django_db

CODE = "SW1A 1AA"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dolores(world: Any) -> Person:
    """Northside's Dolores, who lives at postal code SW1A 1AA."""
    return services.do_update_person(world.ana, world.ana_person.pk, postal_code=CODE)


# --- the service ------------------------------------------------------------------------------

def test_creating_a_person_normalizes_the_postal_code(world: Any) -> None:
    person = services.do_create_person(world.ana, world.northside, given_name="Rosa",
                                       postal_code="  sw1a \t  1aa ")
    person.refresh_from_db()
    assert person.postal_code == CODE
    entry = AuditEntry.objects.filter(action="create", object_id=str(person.pk)).get()
    assert entry.changes["postal_code"] == CODE


def test_updating_a_person_normalizes_the_postal_code(world: Any) -> None:
    services.do_update_person(world.ana, world.ana_person.pk, postal_code=" 55407-1234 ")
    world.ana_person.refresh_from_db()
    assert world.ana_person.postal_code == "55407-1234"
    services.do_update_person(world.ana, world.ana_person.pk, postal_code="")
    world.ana_person.refresh_from_db()
    assert world.ana_person.postal_code == ""


@pytest.mark.parametrize(("value", "message"), [
    ("1" * 21, "postal_code is longer than 20 characters"),
    ("55407;1", "postal_code may hold only letters, digits, spaces and hyphens"),
    ("55407_1", "postal_code may hold only letters, digits, spaces and hyphens"),
])
def test_a_bad_postal_code_is_refused_naming_the_field(world: Any, value: str,
                                                        message: str) -> None:
    people = Person.objects.count()
    with pytest.raises(ValidationError, match=message) as info:
        services.do_create_person(world.ana, world.northside, given_name="Rosa",
                                  postal_code=value)
    assert info.value.parameter == "postal_code"
    assert Person.objects.count() == people
    with pytest.raises(ValidationError) as info:
        services.do_update_person(world.ana, world.ana_person.pk, postal_code=value)
    assert info.value.parameter == "postal_code"
    world.ana_person.refresh_from_db()
    assert world.ana_person.postal_code == ""


def test_twenty_characters_after_collapsing_spaces_are_accepted(world: Any) -> None:
    person = services.do_create_person(world.ana, world.northside, given_name="Rosa",
                                       postal_code="  1234567890     123456789 ")
    assert person.postal_code == "1234567890 123456789"


# --- the API ----------------------------------------------------------------------------------

def test_the_api_creates_and_reads_the_postal_code(world: Any) -> None:
    client = _client(world.ana)
    response = client.post("/api/people", json.dumps({
        "organization": "northside", "given_name": "Rosa", "postal_code": "k1a  0b1"}),
        content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["postal_code"] == "K1A 0B1"
    assert client.get(f"/api/people/{body['id']}").json()["postal_code"] == "K1A 0B1"
    listed = {p["id"]: p["postal_code"] for p in client.get("/api/people").json()}
    assert listed[body["id"]] == "K1A 0B1"


def test_the_api_refuses_a_bad_postal_code_naming_the_field(world: Any) -> None:
    response = _client(world.ana).post("/api/people", json.dumps({
        "organization": "northside", "given_name": "Rosa", "postal_code": "55407<b>"}),
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "postal_code"
    assert not Person.objects.filter(given_name="Rosa").exists()


def test_a_viewer_of_the_owning_organization_reads_the_postal_code(world: Any,
                                                                    dolores: Person) -> None:
    response = _client(world.ben).get(f"/api/people/{dolores.pk}")
    assert response.json()["postal_code"] == CODE


@pytest.mark.parametrize("outsider", ["grace", "omar", "cora"])
def test_an_outsider_cannot_read_the_postal_code_through_the_api(
        world: Any, dolores: Person, outsider: str) -> None:
    client = _client(getattr(world, outsider))
    one = client.get(f"/api/people/{dolores.pk}")
    assert one.status_code == 404
    listed = client.get("/api/people", {"limit": 1000})
    assert listed.status_code == 200
    for response in (one, listed):
        assert CODE not in response.content.decode()


# --- the person page --------------------------------------------------------------------------

def test_the_person_page_shows_the_postal_code_to_the_owning_organization(
        world: Any, dolores: Person) -> None:
    for user in (world.ana, world.ben):
        response = _client(user).get(f"/power/people/{dolores.pk}/")
        assert response.status_code == 200
        assert response.context["d"].postal_code == CODE
        assert f"<dt>Postal code</dt><dd>{CODE}</dd>" in response.content.decode()


@pytest.mark.parametrize("outsider", ["grace", "omar", "cora"])
def test_an_outsider_cannot_see_the_postal_code_on_the_person_page(
        world: Any, dolores: Person, outsider: str) -> None:
    client = _client(getattr(world, outsider))
    response = client.get(f"/power/people/{dolores.pk}/")
    assert response.status_code == 404
    assert CODE not in response.content.decode()
    listing = client.get("/power/people/", {"q": "Dolores"})
    assert CODE not in listing.content.decode()


def test_a_public_figures_postal_code_is_shown_to_site_operators_only(world: Any) -> None:
    operator = User.objects.create_superuser("op", "op@example.org", "x" * 12)
    services.do_update_person(operator, world.mayor.pk, postal_code="55401")
    page = _client(world.ana).get(f"/power/people/{world.mayor.pk}/")
    assert page.status_code == 200 and "55401" not in page.content.decode()
    assert _client(world.ana).get(f"/api/people/{world.mayor.pk}").json()["postal_code"] == ""
    assert _client(operator).get(f"/api/people/{world.mayor.pk}").json()["postal_code"] == \
        "55401"
