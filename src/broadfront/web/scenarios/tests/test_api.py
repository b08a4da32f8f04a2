"""Scenarios API: scoped to the scenario's organization, validated creates, stored runs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from broadfront.web.scenarios import services
from broadfront.web.scenarios.models import Scenario, ScenarioRun
from broadfront.web.scenarios.tests.fixtures import INDEPENDENT, Council, build_council


@pytest.fixture
def council(world: Any) -> Council:
    return build_council(world)


def post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_scenario_file_is_created_run_and_listed(client: Any, world: Any) -> None:
    client.force_login(world.ana)
    created = post(client, "/api/scenarios", {"organization": "northside", "name": "Exact",
                                              "spec": INDEPENDENT, "seed": 4})
    assert created.status_code == 201
    sid = created.json()["id"]
    assert created.json()["kind"] == "body" and created.json()["spec"]["seed"] == 4
    run = post(client, f"/api/scenarios/{sid}/run", {})
    assert run.status_code == 201
    body = run.json()
    assert (body["status"], body["method"], body["seed"]) == ("done", "exact", 4)
    assert body["p_hold"] == pytest.approx(0.375)
    assert body["result"]["p_hold"] == pytest.approx(0.375)
    assert set(body["result"]) >= {"p_hold", "p_hold_se", "method", "fragile",
                                   "damaging_shocks", "what_it_takes", "margin"}
    runs = client.get(f"/api/scenarios/{sid}/runs").json()
    assert [r["id"] for r in runs] == [body["id"]]
    assert client.get(f"/api/scenario-runs/{body['id']}").json()["p_hold"] == body["p_hold"]
    (listed,) = client.get("/api/scenarios").json()
    assert (listed["name"], listed["runs"], listed["last_p_hold"]) == ("Exact", 1,
                                                                       pytest.approx(0.375))


def test_a_scenario_is_built_from_a_stored_body(client: Any, world: Any,
                                                council: Council) -> None:
    client.force_login(world.ana)
    created = post(client, "/api/scenarios", {
        "organization": "northside", "name": "Council", "body": "riverton", "issue": "tenants",
        "probabilities": {"Bruno Stahl": 0.7}})
    assert created.status_code == 201
    members = created.json()["spec"]["body"]["members"]
    assert [(m["name"], m.get("stance"), m.get("p_with_us")) for m in members] == [
        ("Alma Reyes", 1.0, None), ("Bruno Stahl", None, 0.7), ("Byron Mayorson", -1.0, None)]
    assert Scenario.objects.get(pk=created.json()["id"]).body == council.body


def test_a_bad_file_is_a_400_naming_the_field_and_saves_nothing(client: Any,
                                                                world: Any) -> None:
    client.force_login(world.ana)
    bad = {"body": {"quota": 2, "members": [{"name": "A", "p_with_us": 1.5}]}}
    response = post(client, "/api/scenarios", {"organization": "northside", "name": "Bad",
                                               "spec": bad})
    assert response.status_code == 400
    assert response.json()["field"] == "spec.body.members[0].p_with_us"
    assert response.json()["message"] == "spec.body.members[0].p_with_us: must be <= 1, got 1.5"
    assert not Scenario.objects.exists()


def test_another_organizations_scenario_is_a_404(client: Any, world: Any) -> None:
    scenario = services.do_save_scenario(world.ana, organization=world.northside, name="Ours",
                                         spec=INDEPENDENT)
    run = services.do_run_scenario(world.ana, scenario)
    client.force_login(world.grace)
    assert client.get("/api/scenarios").json() == []
    for url in (f"/api/scenarios/{scenario.pk}", f"/api/scenarios/{scenario.pk}/runs",
                f"/api/scenario-runs/{run.pk}"):
        assert client.get(url).status_code == 404, url
    assert post(client, f"/api/scenarios/{scenario.pk}/run", {}).status_code == 404
    assert post(client, "/api/scenarios", {"organization": "northside", "name": "x",
                                           "spec": INDEPENDENT}).status_code == 404
    assert ScenarioRun.objects.count() == 1


def test_a_viewer_may_read_but_not_run(client: Any, world: Any) -> None:
    scenario = services.do_save_scenario(world.ana, organization=world.northside, name="Ours",
                                         spec=INDEPENDENT)
    client.force_login(world.ben)
    assert client.get(f"/api/scenarios/{scenario.pk}").status_code == 200
    response = post(client, f"/api/scenarios/{scenario.pk}/run", {})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
