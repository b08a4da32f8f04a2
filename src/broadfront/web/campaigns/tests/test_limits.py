"""No caucus calculation loops without bound: the documented ranges are checked first (issue 13, H4)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from broadfront.analysis.caucus import MAX_ATTENDEES, MAX_SEATS, MAX_WHATIF_ATTENDEES
from broadfront.web.common.tests.factories import Scene, build_scene


@contextmanager
def answered_within(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging) when the block runs longer than ``seconds``."""
    def _timeout(*_: Any) -> None:
        raise AssertionError(f"the request ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    with answered_within(10):
        return client.post(url, body, content_type="application/json")


def test_the_calculator_refuses_a_20_digit_count_with_400_and_the_form_error(ana: Any,
                                                                             scene: Scene) -> None:
    url = f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/calculate/"
    with answered_within(10):
        response = ana.get(url, {"delegates": "5", "name_0": "Us", "count_0": "9" * 20,
                                 "name_1": "Them", "count_1": "10", "ours": "0"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response.context["calc"]["error_field"] == "groups"
    assert f"at most {MAX_ATTENDEES:,}" in response.content.decode()


def test_the_calculator_refuses_a_what_if_search_over_its_limit(ana: Any, scene: Scene) -> None:
    url = f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/calculate/"
    with answered_within(10):
        response = ana.get(url, {"delegates": "5", "name_0": "Us", "count_0": "10",
                                 "name_1": "Them", "count_1": str(MAX_WHATIF_ATTENDEES),
                                 "ours": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response.context["calc"]["error_field"] == "attendees"


def test_allocating_with_a_trillion_attendees_is_a_400_naming_attendees(ana: Any) -> None:
    response = _post(ana, "/api/caucus/allocate",
                     {"delegates": 5, "groups": {"A": 40, "C": 20}, "attendees": 10**12,
                      "bloc": "C"})
    assert response.status_code == 400
    assert response.json()["field"] == "attendees"
    assert f"at most {MAX_ATTENDEES:,}" in response.json()["message"]


def test_the_what_if_search_refuses_more_attendees_than_it_can_search(ana: Any) -> None:
    response = _post(ana, "/api/caucus/allocate",
                     {"delegates": 5, "groups": {"A": 40, "C": 20},
                      "attendees": MAX_WHATIF_ATTENDEES + 1, "bloc": "C"})
    assert response.status_code == 400 and response.json()["field"] == "attendees"


def test_allocation_without_what_if_accepts_a_large_convention(ana: Any) -> None:
    response = _post(ana, "/api/caucus/allocate",
                     {"delegates": 5, "groups": {"A": 400_000, "C": 200_000}})
    assert response.status_code == 200 and response.json()["allocation"] == {"A": 3, "C": 2}


def test_apportioning_a_trillion_seats_is_a_400_naming_seats(ana: Any) -> None:
    response = _post(ana, "/api/caucus/apportion",
                     {"seats": 10**12, "weights": {"P1": 560, "P2": 290, "P3": 150}})
    assert response.status_code == 400
    assert response.json()["field"] == "seats"
    assert f"at most {MAX_SEATS:,}" in response.json()["message"]


def test_huntington_hill_refuses_more_work_than_its_budget(ana: Any) -> None:
    weights = {f"P{i}": 1 for i in range(1000)}
    response = _post(ana, "/api/caucus/apportion", {"seats": MAX_SEATS, "weights": weights})
    assert response.status_code == 400
    assert "use hamilton or per-votes" in response.json()["message"]


def test_hamilton_hands_out_the_most_seats_at_once(ana: Any) -> None:
    response = _post(ana, "/api/caucus/apportion",
                     {"method": "hamilton", "seats": MAX_SEATS,
                      "weights": {"P1": 560, "P2": 290, "P3": 150}})
    assert response.json()["allocation"] == {"P1": 56_000, "P2": 29_000, "P3": 15_000}
