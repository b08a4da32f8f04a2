"""The landscape REST API: figures, writes with field-named errors, and privacy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape.models import Relationship, Stance

# These tests write dates of late 2026 (assessed, formed, committed, closes): they live on
# the suite's fixed clock (27 Nov 2026) so the dates stay in the past or future they mean.
pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def _as(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_issues_come_with_their_spectrum(client: Any, scene: Scene) -> None:
    (issue,) = _as(client, scene.world.ana).get("/api/landscape/issues").json()
    assert issue["weighted_support"] == 4.0 and issue["total_influence"] == 5.0
    assert [b["influence"] for b in issue["bands"]] == [0.0, 1.0, 0.0, 3.0, 1.0]
    assert [s["name"] for s in issue["suggestions"]] == ["Byron Mayorson",
                                                         "Westfield Business Alliance"]


def test_an_issue_lists_latest_stances_without_a_partners_members(client: Any,
                                                                  scene: Scene) -> None:
    c = _as(client, scene.world.ana)
    body = c.get(f"/api/landscape/issues/{scene.issue.slug}").json()
    mayor = next(s for s in body["stances"] if s["name"] == "Byron Mayorson")
    assert (mayor["score"], mayor["previous"], mayor["influence"]) == (1, 0, 3.0)
    assert "Faithmember" not in json.dumps(body)
    assert c.get("/api/landscape/issues/nope").status_code == 404


def test_a_partners_private_member_answers_404(client: Any, scene: Scene) -> None:
    ezra = scene.world.grace_person
    assert _as(client, scene.world.ana).get(
        f"/api/landscape/actors/p:{ezra.pk}").status_code == 404
    mine = _as(client, scene.world.grace).get(f"/api/landscape/actors/p:{ezra.pk}").json()
    assert [s["score"] for s in mine["stances"]] == [3]


def test_an_actor_comes_with_history_relationships_and_standing(client: Any,
                                                                scene: Scene) -> None:
    w = scene.world
    body = _as(client, w.ana).get(f"/api/landscape/actors/p:{w.mayor.pk}").json()
    assert [s["score"] for s in body["stances"]] == [1, 0]  # newest first, both kept
    assert [r["kind"] for r in body["relationships"]] == ["funds"]
    assert body["from"] == f"o:{w.northside.pk}"
    assert body["paths"] == []  # Northside has no tie on the map yet
    assert body["centrality"]["degree"] == 1
    assert _as(client, w.ana).get("/api/landscape/actors/x:1").json()["field"] == "actor_id"


def test_the_power_map_endpoint_filters_and_hides_private_ties(client: Any,
                                                               scene: Scene) -> None:
    c = _as(client, scene.world.ana)
    assert [e["type"] for e in c.get("/api/landscape/power-map").json()["edges"]] == ["funds"]
    assert c.get("/api/landscape/power-map?type=knows").json()["edges"] == []
    bad = c.get("/api/landscape/power-map?on=2026-13-01")
    assert bad.status_code == 400 and bad.json()["field"] == "on"
    export = c.get("/api/landscape/power-map/export").json()
    assert [r["type"] for r in export["relationships"]] == ["funds"]
    grace = _as(client, scene.world.grace).get("/api/landscape/power-map").json()
    assert sorted(e["type"] for e in grace["edges"]) == ["funds", "knows"]


def test_recording_a_stance_through_the_api_adds_a_row(client: Any, scene: Scene) -> None:
    w = scene.world
    response = _post(_as(client, w.ana), "/api/landscape/stances", {
        "issue": scene.issue.slug, "actor": f"o:{w.westfield.pk}", "score": -3,
        "assessed_on": "2026-11-20", "evidence": "Funded the recall mailers."})
    assert response.status_code == 201
    assert response.json()["recorded_by"] == "northside"
    assert list(Stance.objects.filter(organization=w.westfield).order_by("assessed_on")
                .values_list("score", flat=True)) == [-2, -3]


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"score": 5}, 400, "score"),
    ({"evidence": ""}, 400, "evidence"),
    ({"actor": "westfield"}, 400, "actor"),
    ({"recorded_by": "faith"}, 403, None),
])
def test_a_bad_stance_is_refused_with_the_field(client: Any, scene: Scene,
                                                change: dict[str, Any], status: int,
                                                field: str | None) -> None:
    body = {"issue": scene.issue.slug, "actor": f"o:{scene.world.westfield.pk}", "score": -3,
            "assessed_on": "2026-11-20", "evidence": "Mailers."}
    body.update(change)
    response = _post(_as(client, scene.world.ana), "/api/landscape/stances", body)
    assert response.status_code == status
    assert response.json().get("field") == field


def test_a_viewer_cannot_record_through_the_api(client: Any, scene: Scene) -> None:
    response = _post(_as(client, scene.world.ben), "/api/landscape/stances", {
        "issue": scene.issue.slug, "actor": f"o:{scene.world.westfield.pk}", "score": 0,
        "assessed_on": "2026-11-20", "evidence": "x"})
    assert response.status_code == 403


def test_recording_a_relationship_through_the_api(client: Any, scene: Scene) -> None:
    w = scene.world
    c = _as(client, w.ana)
    ok = _post(c, "/api/landscape/relationships", {
        "kind": "allied_with", "source_actor": f"o:{w.northside.pk}",
        "target_actor": f"o:{w.faith.pk}", "source": "Coalition charter",
        "start_date": "2024-01-01", "strength": 3})
    assert ok.status_code == 201 and ok.json()["strength"] == 3
    assert Relationship.objects.filter(kind="allied_with", recorded_by=w.northside).count() == 1
    bad = _post(c, "/api/landscape/relationships", {
        "kind": "knows", "source_actor": f"o:{w.northside.pk}",
        "target_actor": f"p:{w.grace_person.pk}", "source": "Met at a vigil"})
    assert bad.status_code == 404  # Faith's member does not exist for Northside


def test_the_alignment_endpoint_names_a_bad_anchor(client: Any, scene: Scene) -> None:
    c = _as(client, scene.world.ana)
    body = c.get(f"/api/landscape/bodies/{scene.body.slug}/alignment").json()
    assert body["motions"] == 1 and len(body["members"]) == 3
    bad = c.get(f"/api/landscape/bodies/{scene.body.slug}/alignment?anchor=999999")
    assert bad.status_code == 400 and bad.json()["field"] == "anchor"
    assert c.get("/api/landscape/bodies/nope/alignment").status_code == 404


def test_anonymous_callers_are_refused(client: Any, scene: Scene) -> None:
    assert client.get("/api/landscape/issues").status_code == 401
