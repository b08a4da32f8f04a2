"""One lookup per record: ``get_visible`` answers "not found" alike for pages, API and services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from broadfront.exceptions import NotFoundError
from broadfront.web.accountability.models import Commitment, Event
from broadfront.web.common.lookups import get_visible
from broadfront.web.landscape.models import Body
from broadfront.web.organizations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def faith_event(world: Any) -> Event:
    return Event.objects.create(organization=world.faith, name="Faith house meeting",
                                starts_at=dt.datetime(2026, 10, 1, 18, tzinfo=dt.UTC))


def test_ana_finds_her_own_person_and_the_public_mayor(world: Any) -> None:
    assert get_visible(Person, world.ana, world.ana_person.pk) == world.ana_person
    assert get_visible(Person, world.ana, str(world.mayor.pk)) == world.mayor


def test_a_partners_person_is_not_found_like_a_missing_one(world: Any) -> None:
    with pytest.raises(NotFoundError) as hidden:
        get_visible(Person, world.ana, world.grace_person.pk, what="person")
    with pytest.raises(NotFoundError) as missing:
        get_visible(Person, world.ana, 999_999, what="person")
    assert str(hidden.value) == f"person {world.grace_person.pk} not found"
    assert str(missing.value) == "person 999999 not found"


def test_anonymous_users_and_ids_that_are_no_numbers_find_nothing(world: Any) -> None:
    with pytest.raises(NotFoundError):
        get_visible(Person, AnonymousUser(), world.mayor.pk)
    with pytest.raises(NotFoundError):
        get_visible(Person, world.ana, "abc")


def test_a_record_is_found_by_slug_and_named_in_the_message(world: Any) -> None:
    body = Body.objects.create(name="City Council", slug="council")
    assert get_visible(Body, world.omar, slug="council") == body
    with pytest.raises(NotFoundError, match="^body 'senate' not found$"):
        get_visible(Body, world.omar, slug="senate", what="body")


def test_a_queryset_narrows_the_search_and_keeps_its_annotations(world: Any,
                                                                   faith_event: Event) -> None:
    from broadfront.web.accountability.queries import events_with_counts

    found = get_visible(Event, world.ana, faith_event.pk,
                        queryset=events_with_counts(world.ana))
    assert found == faith_event and found.said_yes == 0  # the annotation came along
    with pytest.raises(NotFoundError):
        get_visible(Event, world.omar, faith_event.pk, queryset=events_with_counts(world.omar))


def test_a_partners_commitment_is_found_and_an_outsiders_is_not(world: Any, today: Any) -> None:
    from broadfront.web.accountability import services

    c = services.do_create_commitment(world.grace, partner=world.faith, unit="doors",
                                      quantity=500, due_date=today + dt.timedelta(days=30),
                                      made_on=today)
    assert get_visible(Commitment, world.ana, c.pk) == c
    with pytest.raises(NotFoundError, match=f"^commitment {c.pk} not found$"):
        get_visible(Commitment, world.omar, c.pk, what="commitment")


def test_page_and_api_answer_a_hidden_person_with_the_same_404(client: Any, world: Any) -> None:
    client.force_login(world.ana)
    page = client.get(f"/power/people/{world.grace_person.pk}/")
    assert page.status_code == 404 and "<h1>Nothing here</h1>" in page.content.decode()
    api = client.get(f"/api/people/{world.grace_person.pk}")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    assert api.json()["message"] == f"person {world.grace_person.pk} not found"
