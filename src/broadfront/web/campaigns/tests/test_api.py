"""REST endpoints: caucus calculations (as the CLI) and campaign progress (organization-scoped)."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.campaigns.models import CaucusResult
from broadfront.web.common.tests.factories import Scene, build_scene

DFL = {"rule": "dfl", "delegates": 5, "groups": {"A": 40, "B": 25, "C": 20, "D": 9, "E": 6}}


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_allocate_returns_the_clis_keys(ana: Any) -> None:
    body = _post(ana, "/api/caucus/allocate", {**DFL, "bloc": "C"}).json()
    assert body["allocation"] == {"A": 2, "B": 2, "C": 1, "D": 0, "E": 0}
    assert (body["viability_number"], body["divisor"]) == (20, 17.0)
    assert body["viable"]["D"] is False and body["ties_broken_by_lot"] == []
    assert body["quota"]["B"] == pytest.approx(25 / 17)
    assert body["what_if"]["recruits_for_next_delegate"] == 6


def test_a_tie_is_settled_by_a_reported_lot(ana: Any) -> None:
    body = _post(ana, "/api/caucus/allocate",
                 {"rule": "dfl", "delegates": 3, "groups": {"A": 5, "B": 5}, "seed": 3}).json()
    (lot,) = body["ties_broken_by_lot"]
    # Viability ceil(10 / 3) = 4; quotas 1.5 each: one delegate each, the third by lot.
    assert lot["tied"] == ["A", "B"] and sorted(body["allocation"].values()) == [1, 2]


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/caucus/allocate", {**DFL, "delegates": 0}, "delegates"),
    ("/api/caucus/allocate", {**DFL, "rule": "borda"}, "rule"),
    ("/api/caucus/allocate", {**DFL, "groups": {"A": -3}}, "groups"),
    ("/api/caucus/allocate", {**DFL, "groups": [1, 2]}, "groups"),
    ("/api/caucus/allocate", {**DFL, "bloc": "Z"}, "bloc"),
    ("/api/caucus/apportion", {"method": "dhondt", "seats": 3, "weights": {"a": 1}}, "method"),
    ("/api/caucus/apportion", {"method": "hamilton", "weights": {"a": 1}}, "seats"),
    ("/api/caucus/apportion", {"method": "hamilton", "seats": 2, "weights": {"a": "x"}},
     "weights"),
    ("/api/caucus/endorse", {"threshold": 1.5, "votes_cast": 10}, "threshold"),
    ("/api/caucus/endorse", {"threshold": 0.6, "votes_cast": -1}, "votes_cast"),
])
def test_bad_input_is_a_400_naming_the_field(ana: Any, url: str, body: dict[str, Any],
                                             field: str) -> None:
    response = _post(ana, url, body)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_apportion_by_hamilton(ana: Any) -> None:
    # 10 seats, weights 6/3/1 x 1/3 of a seat each... quotas 5.8824, 3.5294, 0.5882:
    # whole parts 5, 3, 0; remainders .88, .53, .59 give the last 2 seats to a and c.
    body = _post(ana, "/api/caucus/apportion", {"method": "hamilton", "seats": 10,
                                                "weights": {"a": 50, "b": 30, "c": 5}}).json()
    assert body["allocation"] == {"a": 6, "b": 3, "c": 1}


def test_endorse_needs_sixty_percent_rounded_up(ana: Any) -> None:
    body = _post(ana, "/api/caucus/endorse",
                 {"threshold": "0.6", "votes_cast": 1001, "bloc": 401}).json()
    assert (body["votes_needed"], body["can_block_alone"]) == (601, True)


def test_progress_lists_each_precinct_with_its_forecast(ana: Any, scene: Scene) -> None:
    body = ana.get(f"/api/campaigns/{scene.campaign.slug}/progress").json()
    rows = [(p["name"], p["target"], p["committed"], p["ours"]) for p in body["precincts"]]
    assert rows == [("Precinct 1", 20, 2, 1), ("Precinct 2", 15, 1, 1)]
    p1 = body["precincts"][0]
    # Precinct 1: Dolores and Ezra kept both past RSVPs: (2 + 0.5 x 10) / (2 + 10) = 7/12.
    # Pace 2 recruits in 8 weeks; 90 days left: 2 x 7/12 + 2/8 x 90/7 x 7/12 = 3.0417.
    assert p1["expected_attendees"] == pytest.approx(2 * 7 / 12 + 0.25 * 90 / 7 * 7 / 12,
                                                     abs=1e-3)
    assert p1["status"] == "behind" and p1["probability"] < 0.01
    assert body["totals"]["behind"] == 2 and body["totals"]["target"] == 35


def test_partners_see_counts_but_never_names(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    response = client.get(f"/api/campaigns/{scene.campaign.slug}/progress")
    body = response.json()
    assert [(p["committed"], p["ours"]) for p in body["precincts"]] == [(2, 1), (1, 0)]
    assert "Dolores" not in response.content.decode()
    assert "Marta" not in response.content.decode()


def test_an_outsider_gets_404_for_campaign_progress(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.omar)
    response = client.get(f"/api/campaigns/{scene.campaign.slug}/progress")
    assert response.status_code == 404
    assert _post(client, f"/api/campaigns/{scene.campaign.slug}/results",
                 {"division": scene.p1.pk}).status_code == 404


def test_caucus_night_results_can_be_posted(ana: Any, scene: Scene) -> None:
    response = _post(ana, f"/api/campaigns/{scene.campaign.slug}/results",
                     {**DFL, "division": scene.p1.pk, "our_subcaucus": "A"})
    assert response.status_code == 201
    assert response.json()["delegates_won"] == 2
    assert CaucusResult.objects.get().delegates_won == 2
