"""Landscape pages: issues, stances, relationships."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape.queries import band_of


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


@pytest.mark.parametrize(("score", "band"), [(-3, 0), (-2, 1), (-1, 1), (0, 2), (1, 3), (2, 3),
                                             (3, 4)])
def test_scores_fall_into_the_five_bands_of_the_spectrum(score: int, band: int) -> None:
    assert band_of(score) == band


def test_the_landscape_counts_actors_per_band_on_each_issue(ana: Any, scene: Scene) -> None:
    response = ana.get("/landscape/")
    (summary,) = response.context["issues"]
    # Westfield -2 (passive opposition), the mayor +1 (passive ally), Faith +3 (active ally);
    # Ezra's stance is about a private person of Faith and stays with Faith.
    assert summary.actors == 3
    assert summary.bands == [0, 1, 0, 1, 1]
    assert response.context["n_relationships"] == 1


def test_an_issue_shows_the_spectrum_chart_and_who_is_moving(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/landscape/issues/{scene.issue.slug}/")
    actors = {a.name: a for a in response.context["actors"]}
    assert set(actors) == {"Faith in Riverland", "Byron Mayorson", "Westfield Business Alliance"}
    assert actors["Byron Mayorson"].moved == 1 and actors["Byron Mayorson"].previous == 0
    html = response.content.decode()
    assert "plotly-graph-div" in html and "Active allies" in html and "toward us" in html


def test_relationships_can_be_filtered_by_kind(ana: Any, scene: Scene) -> None:
    funds = ana.get("/landscape/relationships/?kind=funds").context["page"].object_list
    assert [(r.source_organization.slug, r.target_person.family_name) for r in funds] == [
        ("westfield", "Mayorson")]
    assert list(ana.get("/landscape/relationships/?kind=knows").context["page"].object_list) == []


def test_an_actor_page_shows_its_stances_and_relationships(ana: Any, scene: Scene) -> None:
    d = ana.get(f"/landscape/actors/{scene.world.westfield.pk}/").context["d"]
    assert [s.score for s in d.stances] == [-2]
    assert [r.kind for r in d.relationships] == ["funds"]


def test_unknown_issues_are_not_found(ana: Any, scene: Scene) -> None:
    for url in ("/landscape/issues/nope/", "/landscape/issues/nope/grid/"):
        response = ana.get(url)
        assert response.status_code == 404, url
        assert "<h1>Nothing here</h1>" in response.content.decode(), url


def test_omar_sees_public_issues_but_not_another_organizations_person(client: Any,
                                                                      scene: Scene) -> None:
    client.force_login(scene.world.omar)
    assert client.get(f"/landscape/issues/{scene.issue.slug}/").status_code == 200
    response = client.get(f"/landscape/people/{scene.world.ana_person.pk}/")
    assert response.status_code == 404
    assert "<h1>Nothing here</h1>" in response.content.decode()
    assert "Northmember" not in response.content.decode()

