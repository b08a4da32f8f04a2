"""Privacy on every page: Ana (Northside) never sees Faith in Riverland's people or attendance.

Faith sits at Ana's coalition table, so Ana sees Faith's commitments, deliveries and counts;
Faith's people (Ezra), their attendance, squads, recruits, decisions and scenarios stay with
Faith. Westfield sits at no table with Ana: she sees none of its aggregates either.
"""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def every_page(s: Scene) -> list[str]:
    w = s.world
    return [
        "/", "/power/", "/power/people/", f"/power/people/{w.ana_person.pk}/",
        f"/power/people/{w.mayor.pk}/", "/power/events/", "/power/events/?scope=coalition",
        f"/power/events/{s.training.pk}/", f"/power/events/{s.vigil.pk}/",
        "/coalition/", f"/coalition/partners/{w.faith.pk}/", f"/coalition/partners/{w.northside.pk}/",
        "/coalition/commitments/", f"/coalition/commitments/{s.faith_kept.pk}/",
        "/coalition/contributions/",
        "/landscape/", f"/landscape/issues/{s.issue.slug}/", "/landscape/relationships/",
        f"/landscape/actors/{w.westfield.pk}/", f"/landscape/actors/{w.faith.pk}/",
        "/blocs/", f"/blocs/{s.campaign.slug}/", f"/blocs/{s.campaign.slug}/targets/",
        f"/blocs/squads/{s.squad.pk}/",
        "/bodies/", f"/bodies/{s.body.slug}/", f"/bodies/motions/{s.motion.pk}/",
        "/scenarios/", f"/scenarios/{s.scenario.pk}/", f"/scenarios/runs/{s.run.pk}/",
        "/decisions/", f"/decisions/{s.decision.pk}/", f"/decisions/{s.closed_decision.pk}/",
        "/leaders/", "/leaders/stage/squad_leader/", "/leaders/stage/active_member/",
    ]


def test_every_page_renders_for_ana_and_never_names_faiths_people(client: Any,
                                                                 scene: Scene) -> None:
    client.force_login(scene.world.ana)
    for url in every_page(scene):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Ezra" not in html and "Faithmember" not in html, url
        assert "e@example.org" not in html, url
        assert "Faith Squad Alpha" not in html, url


def test_anonymous_visitors_are_redirected_to_login_from_every_page(client: Any,
                                                                   scene: Scene) -> None:
    for url in every_page(scene):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


@pytest.mark.parametrize("path", [
    "/power/people/{grace_person}/",
    "/power/people/{omar_person}/",
    "/blocs/squads/{faith_squad}/",
    "/decisions/{faith_decision}/",
    "/scenarios/{faith_scenario}/",
    "/coalition/partners/{westfield}/",
    "/coalition/commitments/{west_broken}/",
    "/power/events/{west_event}/",
])
def test_another_organizations_private_records_are_not_found_for_ana(
    client: Any, scene: Scene, path: str
) -> None:
    w = scene.world
    ids = {"grace_person": w.grace_person.pk, "omar_person": w.omar_person.pk,
           "faith_squad": scene.faith_squad.pk, "faith_decision": scene.faith_decision.pk,
           "faith_scenario": scene.faith_scenario.pk, "westfield": w.westfield.pk,
           "west_broken": scene.west_broken.pk, "west_event": scene.west_event.pk}
    client.force_login(w.ana)
    assert client.get(path.format(**ids)).status_code == 404


def test_ana_sees_faiths_event_only_as_counts(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    response = client.get(f"/power/events/{scene.vigil.pk}/")
    assert response.context["attendance"] == []
    assert response.context["event"].said_yes == 1 and response.context["event"].came == 1
    assert "Its people stay with" in response.content.decode()


def test_ana_sees_faiths_commitments_as_aggregates(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    response = client.get(f"/coalition/partners/{scene.world.faith.pk}/")
    d = response.context["d"]
    assert d.tally.counts == {"kept": 1, "partly_kept": 1}
    assert d.members_on_record == 1
    html = response.content.decode()
    assert "Kept in full" in html and "Partly kept" in html and "500 doors knocked" in html


def test_grace_cannot_see_northside_people_either(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    assert client.get(f"/power/people/{scene.world.ana_person.pk}/").status_code == 404
    assert client.get(f"/blocs/squads/{scene.squad.pk}/").status_code == 404
    html = client.get("/power/people/").content.decode()
    assert "Ezra" in html and "Dolores" not in html and "Marta" not in html


def test_omar_sees_nothing_of_the_riverland_table(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.omar)
    assert client.get(f"/coalition/partners/{scene.world.faith.pk}/").status_code == 404
    assert client.get(f"/blocs/{scene.campaign.slug}/").status_code == 404
    assert client.get(f"/power/events/{scene.training.pk}/").status_code == 404
    assert client.get("/").context["d"].commitments.counts == {"broken": 1}
