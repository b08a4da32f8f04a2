"""Adding and editing a person from the web: organizers only, errors at the field named."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from broadfront.web.common.models import AuditEntry
from broadfront.web.organizations.models import Division, Person

pytestmark = pytest.mark.django_db


def _as(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def _fields(**over: Any) -> dict[str, Any]:
    data = {"given_name": "Rosa", "family_name": "Parkside", "email": "rosa@example.org",
            "phone": "555-0101", "postal_code": "  55407  ", "division": ""}
    data.update(over)
    return data


def test_an_organizer_adds_a_person_with_a_normalized_postal_code(client: Any,
                                                                  world: Any) -> None:
    c = _as(client, world.ana)
    page = c.get("/power/people/new/")
    assert page.status_code == 200
    form = page.context["form"]
    assert list(form.fields["organization"].queryset) == [world.northside]
    assert form["organization"].value() == world.northside.pk, "the only choice is preselected"

    ward = Division.objects.create(ocd_id="ocd-division/country:us/place:test/ward:1",
                                   name="Ward 1", level="ward")
    response = c.post("/power/people/new/", _fields(organization=world.northside.pk,
                                                    postal_code=" k1a  0b1 ",
                                                    division=ward.pk), follow=True)
    rosa = Person.objects.get(given_name="Rosa")
    assert response.redirect_chain == [(f"/power/people/{rosa.pk}/", 302)]
    assert (rosa.owner, rosa.postal_code, rosa.division, rosa.phone) == (
        world.northside, "K1A 0B1", ward, "555-0101")
    body = response.content.decode()
    assert "Rosa Parkside" in body and "K1A 0B1" in body and "added to Northside" in body
    entry = AuditEntry.objects.get(action="create", model="organizations.Person",
                                   object_id=str(rosa.pk))
    assert (entry.actor, entry.organization_id) == (world.ana, world.northside.pk)
    assert entry.changes["postal_code"] == "K1A 0B1"


def test_an_organizer_edits_a_person(client: Any, world: Any) -> None:
    c = _as(client, world.ana)
    dolores = world.ana_person
    page = c.get(f"/power/people/{dolores.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    assert "organization" not in form.fields, "a person stays on their list"
    assert form["email"].value() == "d@example.org"
    assert 'value="Dolores"' in page.content.decode()

    response = c.post(f"/power/people/{dolores.pk}/edit/",
                      _fields(given_name="Dolores", family_name="Northmember",
                              email="dolores@example.org", postal_code="55407 - 2"))
    assert response.status_code == 302 and response["Location"] == f"/power/people/{dolores.pk}/"
    dolores.refresh_from_db()
    assert (dolores.email, dolores.postal_code, dolores.owner) == (
        "dolores@example.org", "55407 - 2", world.northside)
    entry = AuditEntry.objects.get(action="update", object_id=str(dolores.pk))
    assert entry.actor == world.ana
    assert entry.changes["before"]["email"] == "d@example.org"
    assert entry.changes["after"]["email"] == "dolores@example.org"


def test_a_bad_postal_code_is_shown_at_its_field_and_nothing_is_written(client: Any,
                                                                       world: Any) -> None:
    c = _as(client, world.ana)
    people, audits = Person.objects.count(), AuditEntry.objects.count()
    response = c.post("/power/people/new/", _fields(organization=world.northside.pk,
                                                    postal_code="55407#2"))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["postal_code"]
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert body.count('aria-invalid="true"') == 1
    assert 'name="postal_code" value="55407#2"' in body, "what was typed is kept"
    assert 'id="postal_code-errors"' in body
    assert 'value="Rosa"' in body

    dolores = world.ana_person
    edit = c.post(f"/power/people/{dolores.pk}/edit/", _fields(postal_code="55407#2"))
    assert edit.status_code == 400
    assert list(edit.context["form"].errors) == ["postal_code"]
    dolores.refresh_from_db()
    assert (dolores.given_name, dolores.postal_code) == ("Dolores", "")
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, audits)


def test_an_empty_given_name_is_refused_at_its_field(client: Any, world: Any) -> None:
    c = _as(client, world.ana)
    people = Person.objects.count()
    response = c.post("/power/people/new/", _fields(organization=world.northside.pk,
                                                    given_name="  "))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["given_name"]
    assert 'aria-invalid="true"' in str(response.context["form"]["given_name"])
    assert 'id="given_name-errors"' in response.content.decode()
    assert Person.objects.count() == people


def test_only_organizers_see_the_links(client: Any, world: Any) -> None:
    dolores = world.ana_person
    c = _as(client, world.ana)
    assert 'href="/power/people/new/"' in c.get("/power/people/").content.decode()
    assert f'href="/power/people/{dolores.pk}/edit/"' in c.get(
        f"/power/people/{dolores.pk}/").content.decode()
    assert "/edit/" not in c.get(f"/power/people/{world.mayor.pk}/").content.decode(), \
        "a public figure is not ana's to edit"

    viewer = _as(Client(), world.ben)
    assert 'href="/power/people/new/"' not in viewer.get("/power/people/").content.decode()
    person_page = viewer.get(f"/power/people/{dolores.pk}/")
    assert person_page.status_code == 200
    assert "/edit/" not in person_page.content.decode()


def test_a_viewer_is_refused_with_the_friendly_403(client: Any, world: Any) -> None:
    c = _as(client, world.ben)
    dolores = world.ana_person
    for url in ("/power/people/new/", f"/power/people/{dolores.pk}/edit/"):
        assert c.get(url).status_code == 403, url
    refused = c.post(f"/power/people/{dolores.pk}/edit/", _fields(given_name="Hacked"))
    assert refused.status_code == 403
    assert "organizer" in refused.content.decode()
    assert c.post("/power/people/new/", _fields(organization=world.northside.pk)
                  ).status_code == 403
    dolores.refresh_from_db()
    assert dolores.given_name == "Dolores"
    assert not Person.objects.filter(given_name="Rosa").exists()


def test_an_outsider_or_a_public_figure_is_not_found(client: Any, world: Any) -> None:
    omar = _as(client, world.omar)
    dolores = world.ana_person
    assert omar.get(f"/power/people/{dolores.pk}/edit/").status_code == 404
    assert omar.post(f"/power/people/{dolores.pk}/edit/",
                     _fields(given_name="Hacked")).status_code == 404
    assert omar.get(f"/power/people/{world.mayor.pk}/edit/").status_code == 404
    # omar organizes Westfield only: Northside is no choice on his form
    page = omar.get("/power/people/new/")
    assert list(page.context["form"].fields["organization"].queryset) == [world.westfield]
    bad = omar.post("/power/people/new/", _fields(organization=world.northside.pk))
    assert bad.status_code == 400 and "organization" in bad.context["form"].errors
    dolores.refresh_from_db()
    assert dolores.given_name == "Dolores"
    assert not Person.objects.filter(given_name="Rosa").exists()


def test_the_forms_need_the_csrf_token(world: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.ana)
    dolores = world.ana_person
    assert c.post("/power/people/new/", _fields(organization=world.northside.pk)
                  ).status_code == 403
    assert c.post(f"/power/people/{dolores.pk}/edit/", _fields(given_name="X")
                  ).status_code == 403
    assert not Person.objects.filter(given_name__in=["Rosa", "X"]).exists()
    page = c.get("/power/people/new/")
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
