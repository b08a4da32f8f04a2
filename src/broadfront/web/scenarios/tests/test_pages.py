"""Scenarios pages: the list, the builder (HTMX shocks, runs with progress), runs, comparison."""

from __future__ import annotations

import json
from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.scenarios import services
from broadfront.web.scenarios.models import Scenario, ScenarioRun
from broadfront.web.scenarios.queries import shocks
from broadfront.web.scenarios.tests.fixtures import BLOCS, INDEPENDENT


@pytest.fixture(autouse=True)
def _runs_inline(settings: Any) -> None:
    settings.BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND = False


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


@pytest.fixture
def blocs(scene: Scene) -> Scenario:
    return services.do_save_scenario(scene.world.ana, organization=scene.world.northside,
                                     name="Centre realigns", spec=BLOCS, seed=3, draws=4000)


def test_shocks_are_described_in_plain_words() -> None:
    assert shocks({"shocks": [{"kind": "ally_defects", "who": "Centrists"}]}) == [
        "Ally defects: who Centrists"]
    assert shocks({"shocks": [{"kind": "member_defects", "member": "B", "label": "B walks"}]}) \
        == ["B walks"]
    assert shocks({}) == [] and shocks([]) == []


def test_the_scenarios_page_lists_ours_with_their_runs(ana: Any, scene: Scene) -> None:
    (s,) = ana.get("/scenarios/").context["scenarios"]
    assert (s.name, s.n_runs) == ("Centrists defect", 1)


def test_a_scenario_in_an_old_format_says_it_cannot_run(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/scenarios/{scene.scenario.pk}/")
    d = response.context["d"]
    assert d.shocks == ["Ally defects: who Centrist bloc, probability 0.3"]
    assert d.spec_error.startswith("spec.body: a scenario needs exactly one of")
    assert [r.p_hold for r in d.runs] == [0.72]
    assert "cannot run until its file is fixed" in response.content.decode()


def test_a_run_stored_in_an_old_format_shows_its_rows(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/scenarios/runs/{scene.run.pk}/")
    assert response.context["rv"].legacy_rows == [("pivotal", "Ward 1")]
    assert "72%" in response.content.decode()


@pytest.mark.parametrize("who", ["grace", "omar"])
def test_others_cannot_open_northsides_scenario_or_run(client: Any, scene: Scene,
                                                       blocs: Scenario, who: str) -> None:
    client.force_login(getattr(scene.world, who))
    for url in (f"/scenarios/{blocs.pk}/", f"/scenarios/runs/{scene.run.pk}/",
                f"/scenarios/runs/{scene.run.pk}/status/", f"/scenarios/{blocs.pk}/shock-form/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "<h1>Nothing here</h1>" in response.content.decode(), url
    assert client.post(f"/scenarios/{blocs.pk}/run/").status_code == 404
    assert client.post(f"/scenarios/{blocs.pk}/shocks/",
                       {"kind": "member_defects", "member": "A"}).status_code == 404
    assert client.get(f"/scenarios/compare/?s={blocs.pk}").context["rows"] == []
    assert ScenarioRun.objects.filter(scenario=blocs).count() == 0


def test_ana_builds_a_scenario_from_the_council(ana: Any, scene: Scene) -> None:
    response = ana.post("/scenarios/new/", {
        "organization": "northside", "name": "Council holds?", "source": "body",
        "body": scene.body.slug, "issue": scene.issue.slug, "cohesion": "70",
        "draws": "3000", "seed": "5"})
    s = Scenario.objects.get(name="Council holds?")
    assert response.status_code == 302 and response.url == f"/scenarios/{s.pk}/"
    # The mayor's latest stance (+1, by Faith, a partner) is used; the others have none.
    assert [m.get("stance", m.get("p_with_us")) for m in s.spec["body"]["members"]] == [1, 0.5,
                                                                                         0.5]
    assert s.spec["body"]["blocs"] == {"Centrist": {"cohesion": 0.7},
                                       "Progressive": {"cohesion": 0.7}}
    assert (s.seed, s.draws, s.body) == (5, 3000, scene.body)
    page = ana.get(f"/scenarios/{s.pk}/").content.decode()
    assert "a majority: more than half of the 3 votes" in page


def test_the_new_scenario_form_proposes_a_first_look_and_the_web_cap(ana: Any) -> None:
    from broadfront.analysis.scenarios import FIRST_LOOK_DRAWS, MAX_WEB_DRAWS

    page = ana.get("/scenarios/new/").content.decode()
    assert (f'name="draws" min="1" max="{MAX_WEB_DRAWS}" step="1" '
            f'value="{FIRST_LOOK_DRAWS}"') in page


def test_a_shock_is_added_and_removed_in_place(ana: Any, blocs: Scenario) -> None:
    form = ana.get(f"/scenarios/{blocs.pk}/shock-form/?kind=bloc_shift", HTTP_HX_REQUEST="true")
    assert 'name="bloc"' in form.content.decode() and "centre" in form.content.decode()
    response = ana.post(f"/scenarios/{blocs.pk}/shocks/", {
        "kind": "bloc_shift", "bloc": "centre", "steps": "2", "direction": "right",
        "probability": "40"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "the centre bloc moves two steps right (away from us) with 40% chance" in \
        response.content.decode()
    blocs.refresh_from_db()
    assert len(blocs.spec["shocks"]) == 2
    ana.post(f"/scenarios/{blocs.pk}/shocks/0/remove/", HTTP_HX_REQUEST="true")
    blocs.refresh_from_db()
    assert [s.get("label") for s in blocs.spec["shocks"]] == [
        "the centre bloc moves two steps right (away from us) with 40% chance"]


def test_a_bad_shock_is_refused_with_its_field(ana: Any, blocs: Scenario) -> None:
    response = ana.post(f"/scenarios/{blocs.pk}/shocks/", {
        "kind": "member_defects", "member": "Nobody", "probability": "40"},
        HTTP_HX_REQUEST="true")
    assert "spec.shocks[1].member" in response.content.decode()
    blocs.refresh_from_db()
    assert len(blocs.spec["shocks"]) == 1


def test_running_shows_the_chance_the_margin_the_fragile_seats_and_what_it_takes(
        ana: Any, scene: Scene) -> None:
    s = services.do_save_scenario(scene.world.ana, organization=scene.world.northside,
                                  name="Exact", spec=INDEPENDENT)
    response = ana.post(f"/scenarios/{s.pk}/run/", {"draws": "1000", "seed": "1",
                                                    "target": "80"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    rv = response.context["rv"]
    assert rv.status.status == "done"
    assert rv.headline == "We hold with a 37.5% chance."
    assert rv.fragile[0] == ("A", pytest.approx(0.375))
    assert rv.what_it_takes == ("Persuading A, B (2 members) lifts the chance of holding to "
                                "100% (target 80%).")
    assert "no sampling error" in page and "What breaks first" in page


def test_a_simulated_run_says_its_standard_error_in_words(ana: Any, blocs: Scenario) -> None:
    response = ana.post(f"/scenarios/{blocs.pk}/run/", {})
    run = ScenarioRun.objects.get(scenario=blocs)
    assert response.status_code == 302 and response.url == f"/scenarios/runs/{run.pk}/"
    rv = ana.get(response.url).context["rv"]
    assert rv.headline == f"We hold in {run.p_hold:.1%} of 4,000 simulated votes."
    assert f"standard error of the simulation is {100 * run.p_hold_se:.2f} points" in \
        rv.precision
    assert rv.shocks[0].shock == "bloc centre shifts -2 steps with probability 0.5"


def test_a_running_run_polls_its_status(ana: Any, blocs: Scenario) -> None:
    run = ScenarioRun.objects.create(scenario=blocs, seed=0, draws=4000, method="pending",
                                     p_hold=0, result={"status": "running", "done": 1000,
                                                       "total": 4000})
    page = ana.get(f"/scenarios/runs/{run.pk}/status/").content.decode()
    assert "1,000 of 4,000 simulated outcomes so far (25%)" in page
    assert 'hx-trigger="every 1s"' in page


def test_a_bad_file_names_the_field_and_saves_nothing(ana: Any, blocs: Scenario) -> None:
    bad = json.loads(json.dumps(BLOCS))
    bad["body"]["members"][1]["weight"] = -1
    response = ana.post(f"/scenarios/{blocs.pk}/edit/", {
        "name": "Renamed", "spec": json.dumps(bad), "seed": "3", "draws": "4000"})
    assert response.status_code == 400
    assert "spec.body.members[1].weight: must be &gt;= 0, got -1" in response.content.decode()
    blocs.refresh_from_db()
    assert blocs.name == "Centre realigns" and blocs.spec["body"]["members"][1] == {
        "name": "B", "weight": 1.0, "stance": 2.0}
    response = ana.post(f"/scenarios/{blocs.pk}/edit/", {"name": "x", "spec": "{oops"})
    assert response.status_code == 400 and "spec: not valid JSON" in response.content.decode()


def test_ben_a_viewer_sees_but_cannot_change_or_run(client: Any, scene: Scene,
                                                    blocs: Scenario) -> None:
    client.force_login(scene.world.ben)
    page = client.get(f"/scenarios/{blocs.pk}/")
    assert page.status_code == 200 and "Only organizers" in page.content.decode()
    assert client.post(f"/scenarios/{blocs.pk}/run/", {}).status_code == 403
    assert ScenarioRun.objects.filter(scenario=blocs).count() == 0


def test_two_scenarios_are_compared_side_by_side(ana: Any, scene: Scene,
                                                 blocs: Scenario) -> None:
    copy = services.do_copy_scenario(scene.world.ana, blocs, "Centre realigns, no shock")
    services.do_remove_shock(scene.world.ana, copy, 0)
    services.do_run_scenario(scene.world.ana, blocs)
    services.do_run_scenario(scene.world.ana, copy)
    rows = ana.get(f"/scenarios/compare/?s={blocs.pk}&s={copy.pk}").context["rows"]
    assert [r.scenario.name for r in rows] == ["Centre realigns", "Centre realigns, no shock"]
    assert rows[0].p_hold < rows[1].p_hold
    assert rows[1].worst_shock == ""
