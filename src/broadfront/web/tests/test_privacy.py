"""A user of one organization never sees another organization's people, by any path.

Ana (Northside) and Grace (Faith in Riverland) sit at the same coalition table; Omar
(Westfield) sits at none. Partners see each other's commitments, never each other's people.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from broadfront.exceptions import NotFoundError, PermissionDeniedError
from broadfront.web.accountability import services as acc
from broadfront.web.accountability.models import Attendance, Commitment, Event
from broadfront.web.common.lookups import get_visible
from broadfront.web.common.services import do_create_api_token
from broadfront.web.organizations import services as org_services
from broadfront.web.organizations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def faith_event(world):
    event = Event.objects.create(
        organization=world.faith, name="Faith house meeting",
        starts_at=dt.datetime(2026, 10, 1, 18, tzinfo=dt.UTC),
    )
    Attendance.objects.create(event=event, person=world.grace_person, attended=True)
    return event


def test_people_querysets_show_own_people_and_public_figures_only(world):
    visible = set(Person.objects.visible_to(world.ana))
    assert visible == {world.ana_person, world.mayor}
    assert set(Person.objects.visible_to(world.grace)) == {world.grace_person, world.mayor}
    assert set(Person.objects.visible_to(world.cora)) == {world.mayor}


def test_anonymous_users_see_nobody(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Person.objects.visible_to(AnonymousUser()).exists()
    assert not Person.objects.visible_to(None).exists()


def test_a_partner_sees_attendance_counts_nowhere_but_their_own(world, faith_event):
    assert not Attendance.objects.visible_to(world.ana).exists()
    assert Attendance.objects.visible_to(world.grace).count() == 1
    with pytest.raises(PermissionDeniedError):
        acc.attendance_counts(world.ana, world.faith)


def test_partners_see_each_others_commitments_but_outsiders_do_not(world, today):
    commitment = acc.do_create_commitment(
        world.grace, partner=world.faith, unit="doors", quantity=500,
        due_date=today + dt.timedelta(days=30), made_on=today,
    )
    assert list(Commitment.objects.visible_to(world.ana)) == [commitment]
    assert list(Commitment.objects.visible_to(world.cora)) == [commitment]
    assert not Commitment.objects.visible_to(world.omar).exists()
    with pytest.raises(NotFoundError):
        get_visible(Commitment, world.omar, commitment.pk, what="commitment")


def test_looking_up_a_person_hides_other_organizations_people(world):
    assert get_visible(Person, world.ana, world.ana_person.pk) == world.ana_person
    with pytest.raises(NotFoundError):
        get_visible(Person, world.ana, world.grace_person.pk)


def test_nobody_writes_another_organizations_records(world, today):
    with pytest.raises(PermissionDeniedError):
        org_services.do_create_person(world.ana, world.faith, given_name="Intruder")
    with pytest.raises(NotFoundError):
        org_services.do_update_person(world.ana, world.grace_person.pk, given_name="Changed")
    with pytest.raises(PermissionDeniedError):
        acc.do_create_commitment(world.ana, partner=world.faith, unit="doors", quantity=1,
                                 due_date=today)
    world.grace_person.refresh_from_db()
    assert world.grace_person.given_name == "Ezra"
    assert Person.objects.filter(given_name="Intruder").count() == 0


def test_viewers_cannot_write_even_in_their_own_organization(world):
    with pytest.raises(PermissionDeniedError):
        org_services.do_create_person(world.ben, world.northside, given_name="New")


# --- the REST API -----------------------------------------------------------------------------

def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_lists_only_own_people(world):
    response = _client_for(world.ana).get("/api/people")
    assert response.status_code == 200
    names = {p["family_name"] for p in response.json()}
    assert names == {"Northmember", "Mayorson"}


def test_api_detail_of_another_organizations_person_is_404(world):
    response = _client_for(world.ana).get(f"/api/people/{world.grace_person.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_filter_by_partner_organization_returns_no_people(world):
    response = _client_for(world.ana).get("/api/people?organization=faith")
    assert response.status_code == 200
    assert response.json() == []


def test_api_token_sees_the_same_as_the_session(world):
    key = do_create_api_token(world.grace, world.grace)
    response = Client().get("/api/people", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert {p["family_name"] for p in response.json()} == {"Faithmember", "Mayorson"}


def test_api_refuses_to_create_a_person_in_another_organization(world):
    key = do_create_api_token(world.ana, world.ana)
    response = Client().post(
        "/api/people", {"organization": "faith", "given_name": "Intruder"},
        content_type="application/json", headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Person.objects.filter(given_name="Intruder").exists()


# --- the admin --------------------------------------------------------------------------------

def test_admin_shows_staff_only_their_own_people(world):
    world.ana.is_staff = True
    world.ana.save()
    client = _client_for(world.ana)
    page = client.get("/admin/organizations/person/")
    assert page.status_code == 200
    assert b"Northmember" in page.content
    assert b"Faithmember" not in page.content
    detail = client.get(f"/admin/organizations/person/{world.grace_person.pk}/change/")
    assert detail.status_code in (302, 404)
    assert b"Faithmember" not in detail.content


def test_admin_is_read_only_for_staff(world):
    world.ana.is_staff = True
    world.ana.save()
    client = _client_for(world.ana)
    client.post(f"/admin/organizations/person/{world.ana_person.pk}/change/",
                {"given_name": "Changed", "family_name": "X"})
    world.ana_person.refresh_from_db()
    assert world.ana_person.given_name == "Dolores"


def test_admin_is_closed_to_non_staff(world):
    response = _client_for(world.omar).get("/admin/organizations/person/")
    assert response.status_code == 302
