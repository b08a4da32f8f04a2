"""Bad input to the API answers 4xx with ``{"code", "message"}``, never 500 (issue 13, M1)."""

from __future__ import annotations

import pytest
from django.test import Client

from broadfront.web.common.services import do_create_api_token
from broadfront.web.limits import MAX_JSON_BYTES, MAX_OFFSET

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_client(world):
    key = do_create_api_token(world.ana, world.ana)
    return Client(headers={"Authorization": f"Bearer {key}"})


def _post(client, url, raw):
    return client.generic("POST", url, raw, content_type="application/json")


LISTS = ["/api/people", "/api/events", "/api/commitments", "/api/decisions", "/api/scenarios"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("offset", [-1, MAX_OFFSET + 1, 10**30])
def test_an_offset_out_of_range_is_a_422_naming_offset(ana_client, url, offset):
    response = ana_client.get(url, {"offset": offset})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and "offset" in response.json()["message"]


@pytest.mark.parametrize("url", LISTS)
def test_a_huge_limit_is_clamped_to_one_page(ana_client, url):
    assert ana_client.get(url, {"limit": 10**30, "offset": MAX_OFFSET}).json() == []


def test_an_id_beyond_64_bits_in_a_path_is_not_found(ana_client):
    response = ana_client.get(f"/api/events/{2**70}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_id_beyond_64_bits_in_a_body_is_refused(ana_client):
    response = _post(ana_client, "/api/decisions/1/ballots", f'{{"ranking": [{2**64}]}}')
    assert response.status_code == 400
    assert response.json()["field"] == "body" and "64 bits" in response.json()["message"]


def test_a_run_with_a_null_body_is_refused_not_created(ana_client):
    response = _post(ana_client, "/api/scenarios/1/run", "null")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "field": "body",
                               "message": "the body must be a JSON object, got null"}


def test_a_400_digit_number_in_a_body_is_refused(ana_client):
    response = _post(ana_client, "/api/caucus/apportion",
                     '{"seats": 3, "weights": {"P1": ' + "9" * 400 + ', "P2": 1}}')
    assert response.status_code == 400
    assert response.json()["field"] == "body" and "64 bits" in response.json()["message"]


def test_a_400_digit_weight_as_a_string_is_refused_naming_weights(ana_client):
    response = _post(ana_client, "/api/caucus/apportion",
                     '{"seats": 3, "weights": {"P1": "' + "9" * 400 + '", "P2": 1}}')
    assert response.status_code == 400 and response.json()["field"] == "weights"


def test_json_nested_100000_deep_is_refused_before_parsing(ana_client):
    response = _post(ana_client, "/api/caucus/allocate", "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json()["message"] == "the body is nested 100000 levels deep; at most 64"


def test_the_power_endpoint_refuses_deep_json_too(ana_client):
    response = _post(ana_client, "/api/power", '{"weights": ' + "[" * 5000 + "]" * 5000 + "}")
    assert response.status_code == 400 and response.json()["field"] == "body"


def test_a_body_over_the_limit_is_a_413(ana_client):
    raw = '{"weights": [' + ", ".join(["1"] * (MAX_JSON_BYTES // 3)) + "]}"
    response = _post(ana_client, "/api/power", raw)
    assert response.status_code == 413 and response.json()["code"] == "too_large"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e309"])
def test_nan_and_infinite_numbers_are_refused(ana_client, number):
    response = _post(ana_client, "/api/decisions",
                     '{"organization": "northside", "question": "Q?", "options": ["a", "b"], '
                     f'"leader_weight": {number}}}')
    assert response.status_code == 400 and response.json()["field"] == "body"


@pytest.mark.parametrize("field", ["leader_weight", "supermajority"])
def test_nan_spelled_as_a_string_is_refused_naming_the_field(ana_client, world, field):
    response = _post(ana_client, "/api/decisions",
                     '{"organization": "northside", "question": "Q?", "options": ["a", "b"], '
                     f'"{field}": "NaN"}}')
    assert response.status_code == 422 and field in response.json()["message"]


def test_a_body_that_is_not_json_answers_the_documented_format(ana_client):
    response = _post(ana_client, "/api/caucus/allocate", "{not json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["field"] == "body"


def test_a_failed_csrf_check_answers_the_documented_format(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.ana)
    response = client.post("/api/caucus/endorse", {"votes_cast": 10},
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert set(response.json()) == {"code", "message"}


def test_text_with_a_nul_character_is_refused_naming_the_field(ana_client):
    # PostgreSQL cannot store NUL; before, the database's refusal was a 500 (schemathesis found it)
    response = _post(ana_client, "/api/commitments",
                     b'{"partner": "north\\u0000side", "unit": "calls", "quantity": 5, '
                     b'"due_date": "2026-12-31"}')
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "field": "partner",
                               "message": "partner: text may not contain the NUL character"}


def test_a_nul_character_in_a_form_field_is_a_400_not_a_500(ana_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = ana_client.post("/api/data/imports", {
        "file": SimpleUploadedFile("people.csv", b"given_name\nZed\n"),
        "organization": "north\x00side", "format": "csv", "kind": "people"})
    assert response.status_code in (400, 404)
    assert response.json()["code"] in ("invalid", "not_found")
