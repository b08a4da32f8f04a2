"""Scenarios pages: stored scenarios, their shocks and their runs."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.scenarios.queries import shocks


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def test_shocks_are_described_in_plain_words() -> None:
    assert shocks({"shocks": [{"kind": "ally_defects", "who": "Centrists"}]}) == [
        "Ally defects: who Centrists"]
    assert shocks({}) == [] and shocks([]) == []


def test_the_scenarios_page_lists_ours_with_their_runs(ana: Any, scene: Scene) -> None:
    (s,) = ana.get("/scenarios/").context["scenarios"]
    assert (s.name, s.n_runs) == ("Centrists defect", 1)


def test_a_scenario_shows_its_shocks_and_runs(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/scenarios/{scene.scenario.pk}/")
    d = response.context["d"]
    assert d.shocks == ["Ally defects: who Centrist bloc, probability 0.3"]
    assert [r.p_hold for r in d.runs] == [0.72]
    assert "72% hold" in response.content.decode()


def test_a_run_shows_its_stored_result(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/scenarios/runs/{scene.run.pk}/")
    assert response.context["rows"] == [("pivotal", "Ward 1")]
    assert "72%" in response.content.decode()


def test_grace_cannot_open_northsides_scenario_or_run(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    assert client.get(f"/scenarios/{scene.scenario.pk}/").status_code == 404
    assert client.get(f"/scenarios/runs/{scene.run.pk}/").status_code == 404
