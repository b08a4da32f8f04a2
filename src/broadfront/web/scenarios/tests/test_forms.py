"""The scenario pages' forms parse what was typed; the services see typed values only."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from broadfront.exceptions import ValidationError
from broadfront.web.common.tests.factories import build_scene
from broadfront.web.scenarios import services
from broadfront.web.scenarios.forms import RunForm, ShockForm, SpecForm
from broadfront.web.scenarios.models import Scenario
from broadfront.web.scenarios.tests.fixtures import BLOCS


def refusal(form: Any) -> tuple[str | None, str]:
    with pytest.raises(ValidationError) as err:
        form.parsed()
    return err.value.parameter, str(err.value)


def test_a_run_form_gives_whole_numbers_a_fraction_and_blanks_as_none() -> None:
    assert RunForm({"draws": " 5000 ", "seed": "7", "target": "80"}).parsed() == {
        "draws": 5000, "seed": 7, "method": "auto", "target": 0.8}
    assert RunForm({}).parsed() == {"draws": None, "seed": None, "method": "auto",
                                    "target": None}


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"draws": "many"}, "draws", "draws must be a whole number, got 'many'"),
    ({"draws": "1.5"}, "draws", "draws must be a whole number, got '1.5'"),
    ({"seed": "x"}, "seed", "seed must be a whole number, got 'x'"),
    ({"target": "most"}, "target", "target must be a percentage, got 'most'"),
    ({"target": "nan"}, "target", "target must be a percentage, got 'nan'"),
])
def test_a_run_form_names_the_field_it_cannot_read(data: dict[str, str], field: str,
                                                   message: str) -> None:
    assert refusal(RunForm(data)) == (field, message)


def test_the_spec_form_reads_the_json_and_names_it_when_broken() -> None:
    assert SpecForm({"spec": '{"a": 1}', "name": "x"}).parsed()["spec"] == {"a": 1}
    field, message = refusal(SpecForm({"spec": "{"}))
    assert field == "spec" and message.startswith("spec: not valid JSON (")


def test_a_shock_form_turns_percent_and_direction_into_the_engine_numbers() -> None:
    data = QueryDict(mutable=True)
    data.update({"kind": "bloc_shift", "bloc": "centre", "steps": "2", "direction": "right",
                 "probability": "40"})
    shock = ShockForm(data).shock()
    assert (shock["steps"], shock["probability"], shock["bloc"]) == (-2.0, 0.4, "centre")
    assert services.build_shock(**shock)["label"] == (
        "the centre bloc moves two steps right (away from us) with 40% chance")


@pytest.fixture
def blocs(world: Any) -> Scenario:
    build_scene(world)
    return services.do_save_scenario(world.ana, organization=world.northside,
                                     name="Centre realigns", spec=BLOCS, seed=3, draws=4000)


def test_a_shock_of_steps_that_are_not_a_number_is_refused_naming_steps(
        client: Any, world: Any, blocs: Scenario) -> None:
    """It used to reach ``float()`` in the view and answer 500."""
    client.force_login(world.ana)
    response = client.post(f"/scenarios/{blocs.pk}/shocks/", {
        "kind": "bloc_shift", "bloc": "centre", "steps": "a lot", "direction": "right"})
    assert response.status_code == 400
    assert response.context["shock_error"] == {"field": "steps",
                                               "message": "steps must be a number, got 'a lot'"}
    blocs.refresh_from_db()
    assert len(blocs.spec["shocks"]) == 1


def test_a_run_with_draws_that_are_not_whole_is_refused_in_place(
        client: Any, world: Any, blocs: Scenario) -> None:
    client.force_login(world.ana)
    response = client.post(f"/scenarios/{blocs.pk}/run/", {"draws": "1e3"},
                           HTTP_HX_REQUEST="true")
    assert response.context["run_error"] == {
        "field": "draws", "message": "draws must be a whole number, got '1e3'"}
    assert not blocs.runs.exists()


def test_the_new_scenario_page_names_a_percentage_it_cannot_read(client: Any,
                                                                  world: Any) -> None:
    scene = build_scene(world)
    client.force_login(world.ana)
    form = {"organization": world.northside.slug, "source": "body", "body": scene.body.slug}
    response = client.post("/scenarios/new/", {**form, "cohesion": "x"})
    assert response.status_code == 400
    assert response.context["error"] == {"field": "cohesion",
                                         "message": "cohesion must be a percentage, got 'x'"}
    response = client.post("/scenarios/new/", {**form, "body": "no-such-body"})
    assert response.context["error"] == {"field": "body", "message": "choose a body"}
    assert not Scenario.objects.filter(name__startswith="Does our majority").exists()
