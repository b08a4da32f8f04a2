"""The REST API: authentication, OpenAPI, organization-scoped lists, 4xx JSON errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from broadfront.web.accountability import services as acc
from broadfront.web.common.services import do_create_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_client(world):
    key = do_create_api_token(world.ana, world.ana)
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_openapi_schema_is_published(world):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/organizations", "/api/coalitions", "/api/people", "/api/events",
                 "/api/commitments"):
        assert path in paths


def test_requests_without_credentials_get_401_with_a_code(world):
    response = Client().get("/api/people")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated",
                               "message": "log in or send a valid API token"}


def test_a_wrong_token_is_refused(world):
    response = Client(headers={"Authorization": "Bearer bf_nope"}).get("/api/people")
    assert response.status_code == 401


def test_organizations_are_listed_with_their_relation_to_the_user(world, ana_client):
    rows = {o["slug"]: o for o in ana_client.get("/api/organizations").json()}
    assert rows["northside"]["is_mine"] and rows["northside"]["is_partner"]
    assert not rows["faith"]["is_mine"] and rows["faith"]["is_partner"]
    assert not rows["westfield"]["is_partner"]


def test_coalition_detail_lists_members(world, ana_client):
    body = ana_client.get("/api/coalitions/riverland-forward").json()
    assert sorted(body["members"]) == ["faith", "northside"]
    assert ana_client.get("/api/coalitions/nope").json()["code"] == "not_found"


def test_commitments_carry_a_computed_status(today, world, ana_client):
    # today first: the clock is set before Ana signs in, so her session is not dated a year off
    c = acc.do_create_commitment(world.ana, partner=world.northside, unit="calls", quantity=100,
                                 due_date=today, made_on=today - dt.timedelta(days=10))
    acc.do_record_delivery(world.ana, c, quantity=100, delivered_on=today)
    rows = ana_client.get("/api/commitments").json()
    assert rows == [{
        "id": c.pk, "partner": "northside", "unit": "calls", "quantity": 100.0,
        "delivered": 100.0, "made_on": str(today - dt.timedelta(days=10)),
        "due_date": str(today), "status": "kept", "note": "",
    }]


def test_creating_a_commitment_validates_the_unit(world, ana_client):
    response = ana_client.post(
        "/api/commitments",
        {"partner": "northside", "unit": "hugs", "quantity": 5, "due_date": "2026-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == "unit"


def test_malformed_payloads_get_422_naming_the_field(world, ana_client):
    response = ana_client.post(
        "/api/commitments", {"partner": "northside", "unit": "calls", "quantity": "many",
                             "due_date": "2026-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"].startswith("quantity")


def test_events_report_rsvps_and_attendance(world, ana_client):
    from broadfront.web.accountability.models import Event

    event = acc.do_create_event(world.ana, organization=world.northside, name="Canvass",
                                starts_at=dt.datetime(2026, 10, 3, 10, tzinfo=dt.UTC))
    acc.do_record_attendance(world.ana, event, world.ana_person, attended=True)
    body = ana_client.get(f"/api/events/{event.pk}").json()
    assert (body["rsvps"], body["attended"]) == (1, 1)
    assert Event.objects.count() == 1
