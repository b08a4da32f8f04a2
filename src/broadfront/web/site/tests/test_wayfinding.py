"""Wayfinding: every area is reachable from home, related pages link to each other, empty
states say what to do next, titles say where you are, and charts speak to screen readers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def _html(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_links_every_area_including_data_in_and_out(client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.ana, "/")
    for url in ("/power/", "/leaders/", "/coalition/", "/decisions/", "/landscape/",
                "/landscape/alerts/", "/bodies/", "/scenarios/", "/data/"):
        assert f'href="{url}"' in html, url
    # Northside keeps one scenario (Faith's stays with Faith), and nothing was imported yet.
    assert "1 saved" in html
    assert "No imports yet: bring your lists in" in html


def test_home_names_the_latest_import(client: Any, scene: Scene) -> None:
    from broadfront.web.dataio.models import ImportJob

    job = ImportJob.objects.create(organization=scene.world.northside, source_name="people.csv",
                                   format="csv", kind="people", status="done")
    html = _html(client, scene.world.ana, "/")
    assert f'href="/data/imports/{job.pk}/">people.csv</a> into Northside' in html


def test_another_organizations_import_does_not_show_on_home(client: Any, scene: Scene) -> None:
    from broadfront.web.dataio.models import ImportJob

    ImportJob.objects.create(organization=scene.world.faith, source_name="faith-list.csv",
                             format="csv", kind="people", status="done")
    html = _html(client, scene.world.ana, "/")
    assert "faith-list.csv" not in html


def test_the_show_up_figure_says_of_how_many(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    response = client.get("/")
    s = response.context["d"].show_up
    assert f"({s.came} of {s.said_yes})" in response.content.decode()


def test_a_body_lists_our_scenarios_built_on_it_and_offers_a_new_one(client: Any,
                                                                      scene: Scene) -> None:
    html = _html(client, scene.world.ana, "/bodies/riverton-council/")
    assert f'href="/scenarios/{scene.scenario.pk}/">Centrists defect</a>' in html
    assert 'href="/scenarios/new/?body=riverton-council"' in html


def test_a_body_keeps_scenarios_with_their_organization(client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.grace, "/bodies/riverton-council/")
    assert "Centrists defect" not in html
    assert "None of your scenarios is built on Riverton City Council yet." in html


def test_a_viewer_sees_scenarios_but_is_not_offered_a_new_one(client: Any,
                                                                scene: Scene) -> None:
    html = _html(client, scene.world.ben, "/bodies/riverton-council/")
    assert "Centrists defect" in html
    assert "/scenarios/new/?body=" not in html


def test_a_new_scenario_can_start_from_a_body(client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.ana, "/scenarios/new/?body=riverton-council")
    assert '<option value="riverton-council" selected>' in html


def test_the_bloc_campaign_links_its_convention(client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.ana, "/blocs/caucus-bloc-2026/")
    assert 'href="/blocs/caucus-bloc-2026/convention/"' in html
    assert "<title>Caucus Bloc 2026 · Bloc building · Broadfront</title>" in html


def test_an_organization_without_squads_is_told_what_a_squad_is(client: Any,
                                                                 scene: Scene) -> None:
    html = _html(client, scene.world.omar, "/blocs/")
    assert "We have no squads yet. A squad is a small team" in html


def test_decisions_say_how_to_start_when_nothing_is_open(client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.omar, "/decisions/")
    assert 'Nothing open right now. When a hard choice comes up, <a href="/decisions/new/">' in html


@pytest.mark.parametrize("url, title", [
    ("/bodies/riverton-council/", "Riverton City Council · Bodies and power"),
    ("/decisions/{decision}/", "Endorse the write-in mayor? · Decisions"),
    ("/scenarios/{scenario}/", "Centrists defect · Scenarios"),
    ("/data/", "Data in and out"),
])
def test_titles_say_where_you_are(client: Any, scene: Scene, url: str, title: str) -> None:
    html = _html(client, scene.world.ana, url.format(decision=scene.decision.pk,
                                                      scenario=scene.scenario.pk))
    assert f"<title>{title} · Broadfront</title>" in html


def test_every_chart_on_a_body_page_has_words_for_screen_readers(client: Any,
                                                                  scene: Scene) -> None:
    html = _html(client, scene.world.ana, "/bodies/riverton-council/")
    labels = re.findall(r'<div class="chart-figure" role="img" aria-label="([^"]+)">', html)
    assert len(labels) == html.count('class="plotly-graph-div"') >= 2
    # Two progressive seats and one centrist, one vote each.
    assert "Donut chart of the weight by bloc: Progressive 2, Centrist 1" in labels


def test_the_data_page_chooses_the_only_organization_and_explains_each_field(
        client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.ana, "/data/")
    assert f'<option value="{scene.world.northside.pk}" selected>' in html
    assert "---------" not in html
    assert "What the file holds" in html and "Roll-call votes of a body" in html
    assert 'aria-describedby="id_dry_run_helptext"' in html


def test_a_viewer_is_told_who_can_import(client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.ben, "/data/")
    assert "Only an organization's organizers can bring files in." in html
    assert 'type="file"' not in html


def test_a_coordinator_sees_the_table_not_empty_figures_of_an_organization(
        client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.cora, "/")
    assert f"<h1>{scene.world.coalition.name}</h1>" in html
    assert "You coordinate this table" in html
    assert "current members" not in html and "show up when they say yes" not in html
    assert "Imports and exports belong to each partner organization." in html


def test_a_coordinator_is_not_told_we_have_no_squads(client: Any, scene: Scene) -> None:
    html = _html(client, scene.world.cora, "/blocs/")
    assert "Our squads" not in html
