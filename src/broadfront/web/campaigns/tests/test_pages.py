"""Bloc building pages: campaigns, the sortable precinct table, squads and recruits."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def test_the_campaign_list_shows_progress_toward_the_goal(ana: Any, scene: Scene) -> None:
    response = ana.get("/blocs/")
    (row,) = response.context["rows"]
    # Goals 20 + 15; recruits Dolores, Marta (ours) and Ezra (Faith's).
    assert (row.goal, row.recruited, row.ours, row.squads, row.percent) == (35, 3, 2, 1, 9)
    assert [s.name for s in response.context["squads"]] == ["Precinct 1 Squad"]


def test_the_precinct_table_counts_recruits_per_precinct(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/blocs/{scene.campaign.slug}/")
    rows = [(t.name, t.goal, t.recruited, t.ours, t.gap)
            for t in response.context["page"].object_list]
    assert rows == [("Precinct 1", 20, 2, 1, 18), ("Precinct 2", 15, 1, 1, 14)]
    d = response.context["d"]
    assert [s.name for s in d.squads] == ["Precinct 1 Squad"]
    assert {r.commitment.pk for r in d.commitments} == {
        scene.faith_kept.pk, scene.faith_partly.pk, scene.ours_late.pk, scene.ours_open.pk}


@pytest.mark.parametrize(("query", "order"), [
    ("sort=goal&dir=asc", ["Precinct 2", "Precinct 1"]),
    ("sort=recruited&dir=desc", ["Precinct 1", "Precinct 2"]),
    ("sort=gap&dir=asc", ["Precinct 2", "Precinct 1"]),
    ("sort=precinct&dir=desc", ["Precinct 2", "Precinct 1"]),
    ("sort=nonsense", ["Precinct 1", "Precinct 2"]),
])
def test_the_precinct_table_sorts_by_any_column(ana: Any, scene: Scene, query: str,
                                                order: list[str]) -> None:
    response = ana.get(f"/blocs/{scene.campaign.slug}/targets/?{query}", HTTP_HX_REQUEST="true")
    assert [t.name for t in response.context["page"].object_list] == order
    assert "<html" not in response.content.decode()


def test_the_precinct_table_can_be_searched(ana: Any, scene: Scene) -> None:
    page = ana.get(f"/blocs/{scene.campaign.slug}/targets/?q=2").context["page"]
    assert [t.name for t in page.object_list] == ["Precinct 2"]


def test_a_squad_page_lists_its_recruits(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/blocs/squads/{scene.squad.pk}/")
    assert [r.person.given_name for r in response.context["recruits"]] == ["Dolores"]
    assert "Marta Squadleader" in response.content.decode()


def test_grace_sees_the_campaign_but_only_faiths_squad(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    response = client.get(f"/blocs/{scene.campaign.slug}/")
    assert [s.name for s in response.context["d"].squads] == ["Faith Squad Alpha"]
    rows = [(t.recruited, t.ours) for t in response.context["page"].object_list]
    assert rows == [(2, 1), (1, 0)]


@pytest.mark.parametrize("path", ["/blocs/{slug}/", "/blocs/{slug}/targets/",
                                  "/blocs/squads/{squad}/"])
def test_omar_outside_the_coalition_gets_the_not_found_page(client: Any, scene: Scene,
                                                            path: str) -> None:
    client.force_login(scene.world.omar)
    response = client.get(path.format(slug=scene.campaign.slug, squad=scene.squad.pk))
    assert response.status_code == 404
    assert "<h1>Nothing here</h1>" in response.content.decode()


def test_a_partners_squad_page_is_not_found(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    response = client.get(f"/blocs/squads/{scene.squad.pk}/")
    assert response.status_code == 404
    assert "<h1>Nothing here</h1>" in response.content.decode()
    assert "Marta" not in response.content.decode()


def test_the_dashboard_gives_each_precinct_a_status_and_a_chance(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/blocs/{scene.campaign.slug}/?sort=probability&dir=desc")
    rows = response.context["page"].object_list
    assert [r.status for r in rows] == ["behind", "behind"]  # 3 expected of 20, 1.6 of 15
    assert response.context["chart"] is not None
    assert "in nine cases out of ten" in response.content.decode()


def test_the_convention_page_works_without_a_stored_convention(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/blocs/{scene.campaign.slug}/convention/")
    o = response.context["o"]
    assert o.state_seats == 1000 and o.roster_leverage is None
    assert [lv.name for lv in o.levels] == ["precinct caucuses", "district conventions",
                                            "state convention"]


def test_the_convention_uses_the_delegates_the_party_call_gives_each_precinct(
        ana: Any, scene: Scene) -> None:
    from broadfront.web.campaigns.models import Target

    before = ana.get(f"/blocs/{scene.campaign.slug}/convention/").context["o"]
    targets = Target.objects.filter(campaign=scene.campaign, expected_attendance__gt=0)
    targets.update(delegates=7)
    after = ana.get(f"/blocs/{scene.campaign.slug}/convention/").context["o"]
    assert after.precinct_delegates == 7 * targets.count()
    assert after.precinct_delegates != before.precinct_delegates
