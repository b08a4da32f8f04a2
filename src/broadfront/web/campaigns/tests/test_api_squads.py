"""REST endpoints for squads and recruits: the same services and privacy as the pages.

Precinct 1 of the scene has a goal of 20 with Dolores (Northside) and Ezra (Faith) committed;
Nina is a new Northside member living there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront import clock
from broadfront.web.campaigns.models import Recruit, Squad
from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.organizations.models import Person


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def nina(scene: Scene) -> Person:
    return Person.objects.create(owner=scene.world.northside, given_name="Nina",
                                 family_name="Newmember", division=scene.p1)


def _as(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _squads(scene: Scene) -> str:
    return f"/api/campaigns/{scene.campaign.slug}/squads"


def _recruits(scene: Scene) -> str:
    return f"/api/campaigns/{scene.campaign.slug}/recruits"


def test_an_organizer_forms_a_squad(client: Any, scene: Scene, nina: Person) -> None:
    response = _post(_as(client, scene.world.ana), _squads(scene), {
        "division": scene.p1.pk, "name": "Elm Street Squad", "leader": nina.pk,
        "formed_on": "2026-02-01"})
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "name": "Elm Street Squad", "organization": "northside",
                    "division": scene.p1.pk, "leader": nina.pk, "formed_on": "2026-02-01"}
    assert Squad.objects.get(pk=body["id"]).leader == nina


@pytest.mark.parametrize(("change", "field"), [
    ({"name": None}, "name"),
    ({"name": "   "}, "name"),
    ({"division": None}, "division"),
    ({"division": "seven"}, "division"),
    ({"formed_on": "31/12/2025"}, "formed_on"),
    ({"organization": "nowhere"}, "organization"),
])
def test_bad_squad_input_is_a_400_naming_the_field(client: Any, scene: Scene,
                                                   change: dict[str, Any], field: str) -> None:
    body = {"division": scene.p1.pk, "name": "New Squad", **change}
    response = _post(_as(client, scene.world.ana), _squads(scene), body)
    assert (response.status_code, response.json()["field"]) == (400, field)
    assert Squad.objects.count() == 2


def test_a_precinct_outside_the_campaign_is_refused(client: Any, scene: Scene) -> None:
    state = scene.p1.parent
    response = _post(_as(client, scene.world.ana), _squads(scene),
                     {"division": state.pk, "name": "Statewide"})
    assert (response.status_code, response.json()["field"]) == (400, "division")


def test_another_organizations_person_cannot_lead_our_squad(client: Any, scene: Scene) -> None:
    response = _post(_as(client, scene.world.ana), _squads(scene), {
        "division": scene.p1.pk, "name": "Sneaky", "leader": scene.world.grace_person.pk})
    assert (response.status_code, response.json()["field"]) == (400, "leader")
    assert "Ezra" not in response.content.decode()
    assert not Squad.objects.filter(name="Sneaky").exists()


def test_a_squad_for_another_organization_is_forbidden(client: Any, scene: Scene) -> None:
    response = _post(_as(client, scene.world.ana), _squads(scene), {
        "division": scene.p1.pk, "name": "Faith Beta", "organization": "faith"})
    assert response.status_code == 403
    assert not Squad.objects.filter(name="Faith Beta").exists()


def test_an_organizer_records_a_recruit_and_progress_counts_them(client: Any, scene: Scene,
                                                                  nina: Person) -> None:
    ana = _as(client, scene.world.ana)
    progress = f"/api/campaigns/{scene.campaign.slug}/progress"
    p1 = ana.get(progress).json()["precincts"][0]
    assert (p1["target"], p1["committed"], p1["ours"]) == (20, 2, 1)
    response = _post(ana, _recruits(scene), {"person": nina.pk, "squad": scene.squad.pk})
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "person": nina.pk, "organization": "northside",
                    "division": scene.p1.pk, "squad": scene.squad.pk,
                    "committed_on": clock.today().isoformat(), "status": "committed"}
    after = ana.get(progress).json()
    p1 = after["precincts"][0]
    assert (p1["target"], p1["committed"], p1["ours"]) == (20, 3, 2)
    assert after["totals"]["committed"] == 4


@pytest.mark.parametrize(("change", "field"), [
    ({"person": None}, "person"),
    ({"person": "Nina"}, "person"),
    ({"committed_on": "next week"}, "committed_on"),
    ({"squad": 999999}, "squad"),
])
def test_bad_recruit_input_is_a_400_naming_the_field(client: Any, scene: Scene, nina: Person,
                                                     change: dict[str, Any],
                                                     field: str) -> None:
    response = _post(_as(client, scene.world.ana), _recruits(scene),
                     {"person": nina.pk, **change})
    assert (response.status_code, response.json()["field"]) == (400, field)
    assert not Recruit.objects.filter(person=nina).exists()


def test_a_future_commitment_is_a_400_naming_committed_on(client: Any, scene: Scene,
                                                          nina: Person) -> None:
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    response = _post(_as(client, scene.world.ana), _recruits(scene),
                     {"person": nina.pk, "committed_on": tomorrow})
    assert (response.status_code, response.json()["field"]) == (400, "committed_on")


def test_another_organizations_person_or_squad_is_refused(client: Any, scene: Scene,
                                                          nina: Person) -> None:
    grace = _as(client, scene.world.grace)
    response = _post(grace, _recruits(scene), {"person": nina.pk})
    assert (response.status_code, response.json()["field"]) == (400, "person")
    assert "Nina" not in response.content.decode()
    ezra_again = _post(grace, _recruits(scene), {"person": scene.world.grace_person.pk,
                                                 "squad": scene.squad.pk})
    assert (ezra_again.status_code, ezra_again.json()["field"]) == (400, "squad")
    assert Recruit.objects.count() == 3


def test_the_same_person_twice_is_a_conflict(client: Any, scene: Scene) -> None:
    response = _post(_as(client, scene.world.ana), _recruits(scene),
                     {"person": scene.world.ana_person.pk, "division": scene.p1.pk})
    assert response.status_code == 409


def test_a_viewer_is_refused_and_nothing_is_written(client: Any, scene: Scene,
                                                    nina: Person) -> None:
    ben = _as(client, scene.world.ben)
    assert _post(ben, _squads(scene), {"division": scene.p1.pk, "name": "B"}).status_code == 403
    assert _post(ben, _recruits(scene), {"person": nina.pk}).status_code == 403
    dolores = Recruit.objects.get(person=scene.world.ana_person)
    url = f"{_recruits(scene)}/{dolores.pk}/status"
    assert _post(ben, url, {"status": "dropped"}).status_code == 403
    assert Squad.objects.count() == 2 and Recruit.objects.count() == 3
    assert Recruit.objects.get(pk=dolores.pk).status == "committed"


def test_an_outsider_gets_404(client: Any, scene: Scene, nina: Person) -> None:
    omar = _as(client, scene.world.omar)
    assert _post(omar, _squads(scene), {"division": scene.p1.pk, "name": "W"}).status_code == 404
    assert _post(omar, _recruits(scene), {"person": nina.pk}).status_code == 404
    assert Squad.objects.count() == 2 and Recruit.objects.count() == 3


def test_recruits_are_marked_after_caucus_night(client: Any, scene: Scene) -> None:
    ana = _as(client, scene.world.ana)
    dolores = Recruit.objects.get(person=scene.world.ana_person)
    url = f"{_recruits(scene)}/{dolores.pk}/status"
    response = _post(ana, url, {"status": "attended"})
    assert (response.status_code, response.json()["status"]) == (200, "attended")
    bad = _post(ana, url, {"status": "maybe"})
    assert (bad.status_code, bad.json()["field"]) == (400, "status")
    assert Recruit.objects.get(pk=dolores.pk).status == "attended"


def test_a_partners_recruit_is_not_found(client: Any, scene: Scene) -> None:
    ezra = Recruit.objects.get(person=scene.world.grace_person)
    response = _post(_as(client, scene.world.ana), f"{_recruits(scene)}/{ezra.pk}/status",
                     {"status": "dropped"})
    assert response.status_code == 404
    assert Recruit.objects.get(pk=ezra.pk).status == "committed"
