"""The spectrum of allies page: figures worked out by hand on the test scene.

Ana (Northside) sees three actors on tenant protections: Westfield at -2 and Faith at +3
(organizations with the default influence rating 1) and the mayor at +1 (a public figure who
holds a seat on the council, so influence 3). Ezra's +3 is Faith's assessment of its own
member and stays with Faith.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape import charts


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def page(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client.get(f"/landscape/issues/{scene.issue.slug}/")


def test_weighted_support_is_stance_times_influence_summed(page: Any) -> None:
    s = page.context["s"]
    # (-2 x 1) + (3 x 1) + (1 x 3) = 4, out of 3 x (1 + 1 + 3) = 15
    assert s.spectrum.weighted_support == 4.0
    assert s.spectrum.total_influence == 5.0
    assert "Weighted support: 4</strong>" in page.content.decode()
    assert "out of a possible 15" in page.content.decode()


def test_the_one_step_suggestions_rank_moves_by_influence_in_plain_words(page: Any) -> None:
    s = page.context["s"]
    assert [(x.name, x.stance, x.new_stance, x.gain) for x in s.suggestions] == [
        ("Byron Mayorson", 1, 2, 3.0), ("Westfield Business Alliance", -2, -1, 1.0)]
    html = page.content.decode()
    assert ("Move Byron Mayorson from leaning ally (+1) to passive ally (+2): weighted support "
            "rises by 3, its influence.") in html


def test_the_bands_hold_the_actors_and_the_chart_sizes_them_by_influence(page: Any) -> None:
    bands = page.context["s"].spectrum.bands
    assert [b.influence for b in bands] == [0.0, 1.0, 0.0, 3.0, 1.0]
    html = page.content.decode()
    assert "Passive allies\\u003cbr\\u003e1 actor, influence 3" in html
    assert "Active opposition\\u003cbr\\u003e0 actors, influence 0" in html
    assert charts._size(3) == pytest.approx(9 + 7 * math.sqrt(3))
    assert f"{charts._size(3):.6f}"[:8] in html  # the mayor's circle: 21.124355...


def test_the_power_grid_places_each_actor_at_support_and_influence(page: Any) -> None:
    actors, influence = page.context["s"].actors, page.context["s"].influence
    spots = sorted((a.stance.score, influence[a.key]) for a in actors)
    assert spots == [(-2, 1.0), (1, 3.0), (3, 1.0)]
    assert 'id="power-grid"' not in page.content.decode()  # the grid has its own page


def test_the_power_grid_page_draws_the_grid(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    html = client.get(f"/landscape/issues/{scene.issue.slug}/grid/").content.decode()
    assert 'id="power-grid"' in html and "Byron Mayorson" in html


def test_a_partners_private_member_is_not_on_our_spectrum(page: Any, scene: Scene) -> None:
    assert "Faithmember" not in page.content.decode()


def test_faith_sees_its_own_member_on_the_spectrum(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    s = client.get(f"/landscape/issues/{scene.issue.slug}/").context["s"]
    assert "Ezra Faithmember" in s.names.values()
    assert s.spectrum.weighted_support == 4.0 + 3.0  # Ezra, influence 1, at +3


def test_an_outsider_sees_no_assessments_of_our_table(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.omar)
    s = client.get(f"/landscape/issues/{scene.issue.slug}/").context["s"]
    assert s.actors == [] and s.suggestions == []
