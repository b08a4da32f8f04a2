"""The power map: graph JSON and export, filters, actor pages with paths, and privacy.

On the scene Northside recorded "Westfield funds the mayor" (shared at the table) and Faith
recorded "Ezra knows the mayor" (Ezra is Faith's private member: Faith's users only).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape.models import Relationship


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def _graph(client: Any, user: Any, query: str = "") -> dict[str, Any]:
    client.force_login(user)
    response = client.get(f"/landscape/map/graph.json{query}")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_ana_sees_the_shared_tie_but_not_faiths_private_member(client: Any, scene: Scene) -> None:
    w = scene.world
    g = _graph(client, w.ana)
    assert sorted(n["label"] for n in g["nodes"]) == ["Byron Mayorson",
                                                      "Westfield Business Alliance"]
    (edge,) = g["edges"]
    assert (edge["source"], edge["target"], edge["type"]) == (
        f"o:{w.westfield.pk}", f"p:{w.mayor.pk}", "funds")
    assert edge["evidence"] == "Campaign finance filings"
    node = {n["id"]: n for n in g["nodes"]}[f"o:{w.westfield.pk}"]
    assert node["url"] == f"/landscape/actors/{w.westfield.pk}/"
    assert node["position"] == -2.0  # its one stance on the one issue
    assert "Faithmember" not in json.dumps(g)


def test_grace_sees_her_own_member_on_the_map(client: Any, scene: Scene) -> None:
    g = _graph(client, scene.world.grace)
    assert "Ezra Faithmember" in {n["label"] for n in g["nodes"]}
    assert sorted(e["type"] for e in g["edges"]) == ["funds", "knows"]


def test_an_outsider_sees_an_empty_map(client: Any, scene: Scene) -> None:
    assert _graph(client, scene.world.omar) == {
        "nodes": [], "edges": [], "filter": {"types": [], "on": None, "start": None, "end": None}}


def test_the_map_filters_by_type_and_by_date(client: Any, scene: Scene) -> None:
    w = scene.world
    Relationship.objects.create(kind="allied_with", source_organization=w.northside,
                                target_organization=w.faith, recorded_by=w.northside,
                                start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    assert len(_graph(client, w.ana)["edges"]) == 2
    assert [e["type"] for e in _graph(client, w.ana, "?type=funds")["edges"]] == ["funds"]
    assert _graph(client, w.ana, "?type=knows")["edges"] == []
    # the alliance ended in 2024; the funding has open dates and always qualifies
    assert [e["type"] for e in _graph(client, w.ana, "?on=2025-06-01")["edges"]] == ["funds"]
    assert sorted(e["type"] for e in _graph(client, w.ana, "?on=2024-06-01")["edges"]) == [
        "allied_with", "funds"]
    assert len(_graph(client, w.ana, "?start=2023-01-01&end=2023-12-31")["edges"]) == 1


def test_a_bad_filter_is_refused_naming_the_parameter(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    response = client.get("/landscape/map/graph.json?on=yesterday")
    assert response.status_code == 400 and response.json()["field"] == "on"
    assert client.get("/landscape/map/graph.json?type=hates").json()["field"] == "type"


def test_the_export_downloads_a_map_the_paths_command_reads(client: Any, scene: Scene,
                                                           tmp_path: Path) -> None:
    from broadfront.cli.landscape import read_power_map_json

    client.force_login(scene.world.ana)
    response = client.get("/landscape/map/export.json")
    assert response["Content-Disposition"].startswith('attachment; filename="power-map-')
    path = tmp_path / "map.json"
    path.write_bytes(response.content)
    pm = read_power_map_json(path)
    assert pm.n_actors == 2 and pm.n_relationships == 1
    assert "Faithmember" not in response.content.decode()


def test_the_map_page_ships_its_graph_library_and_no_cdn(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    html = client.get("/landscape/map/").content.decode()
    assert "/static/landscape/vendor/cytoscape.min.js" in html
    assert "https://" not in html.split("<body")[0]
    vendor = Path(__file__).resolve().parents[1] / "static" / "landscape" / "vendor"
    assert (vendor / "cytoscape.min.js").stat().st_size > 100_000
    assert "Permission is hereby granted" in (vendor / "cytoscape.LICENSE").read_text()


def test_an_actor_page_shows_the_paths_from_our_organization(client: Any, scene: Scene) -> None:
    w = scene.world
    Relationship.objects.create(kind="allied_with", source_organization=w.northside,
                                target_organization=w.faith, recorded_by=w.northside)
    Relationship.objects.create(kind="knows", source_organization=w.faith,
                                target_organization=w.westfield, recorded_by=w.faith)
    client.force_login(w.ana)
    m = client.get(f"/landscape/people/{w.mayor.pk}/").context["m"]
    # Northside -> Faith -> Westfield -> the mayor: the only chain (3 steps)
    assert [[name for _k, name, _u, _v in p.names] for p in m.paths] == [
        ["Northside Chapter", "Faith in Riverland", "Westfield Business Alliance",
         "Byron Mayorson"]]
    assert [v for _k, _n, _u, v in m.paths[0].names] == ["", "allied with", "knows", "funds"]
    # a chain of four: Faith and Westfield each lie between two others
    faith = client.get(f"/landscape/actors/{w.faith.pk}/").context["m"].standing
    assert faith.degree == 2
    assert faith.betweenness == pytest.approx(2 / 3)  # 2 of the 3 pairs, of (4-1)(4-2)/2 = 3


def test_a_partners_private_member_has_no_page_for_us(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    ezra = Relationship.objects.get(kind="knows").source_person
    assert client.get(f"/landscape/people/{ezra.pk}/").status_code == 404
    client.force_login(scene.world.grace)
    page = client.get(f"/landscape/people/{ezra.pk}/")
    assert page.status_code == 200 and [s.score for s in page.context["d"].stances] == [3]
