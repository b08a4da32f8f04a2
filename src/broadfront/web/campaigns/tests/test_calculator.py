"""The precinct page and its caucus-night calculator (HTMX), and saving the result."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.campaigns.models import CaucusResult
from broadfront.web.common.tests.factories import Scene, build_scene

DFL_EXAMPLE = {"delegates": "5", "rule": "dfl", "ours": "2",
               "name_0": "A", "count_0": "40", "name_1": "B", "count_1": "25",
               "name_2": "C", "count_2": "20", "name_3": "D", "count_3": "9",
               "name_4": "E", "count_4": "6"}


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def _calc_url(scene: Scene) -> str:
    return f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/calculate/"


def test_the_dfl_example_allocates_two_two_one_nothing_nothing(ana: Any, scene: Scene) -> None:
    # Minnesota DFL Official Call example: 100 people, 5 delegates, viability 20,
    # the 9 and the 6 walk; divisor 85 / 5 = 17.
    response = ana.get(_calc_url(scene), DFL_EXAMPLE, HTTP_HX_REQUEST="true")
    calc = response.context["calc"]
    assert [(g["name"], g["delegates"]) for g in calc["rows"]] == [
        ("A", 2), ("B", 2), ("C", 1), ("D", 0), ("E", 0)]
    assert (calc["result"].viability_number, calc["divisor"]) == (20, "17.000")
    html = response.content.decode()
    assert "<html" not in html and "17.000" in html


def test_the_calculator_says_what_would_win_our_bloc_another_delegate(ana: Any,
                                                                     scene: Scene) -> None:
    w = ana.get(_calc_url(scene), DFL_EXAMPLE, HTTP_HX_REQUEST="true").context["calc"]["whatif"]
    assert (w.bloc, w.baseline, w.recruits_for_next_delegate) == ("C", 1, 6)
    assert w.best.description == "win over 4 of B: 2 delegate(s) for C (+1)"
    gains = {m.source: m.gain for m in w.moves if m.kind == "win-over-group"}
    assert gains == {"D": 1, "E": 1}  # winning over the 9 (or the 6) who must walk


def test_the_page_and_the_api_answer_the_same_calculation(ana: Any, scene: Scene) -> None:
    """One calculator service: the page's "what if" and the API's are the same search."""
    import json

    page = ana.get(_calc_url(scene), DFL_EXAMPLE, HTTP_HX_REQUEST="true").context["calc"]
    groups = {"A": 40, "B": 25, "C": 20, "D": 9, "E": 6}
    api = ana.post("/api/caucus/allocate", json.dumps(
        {"rule": "dfl", "delegates": 5, "groups": groups, "bloc": "C"}),
        content_type="application/json").json()
    assert {r["name"]: r["delegates"] for r in page["rows"]} == api["allocation"]
    w = page["whatif"]
    assert [m.description for m in w.moves] == [m["description"]
                                                for m in api["what_if"]["moves"]]
    assert w.best.description == api["what_if"]["best"]


def test_the_calculator_service_refuses_a_bloc_that_is_not_a_group() -> None:
    from broadfront.exceptions import ValidationError
    from broadfront.web.campaigns.services import calculate_caucus

    calc = calculate_caucus({"A": 3, "B": 2}, 2)
    assert calc.what_if is None and calc.counts == {"A": 3, "B": 2}
    with pytest.raises(ValidationError) as err:
        calculate_caucus({"A": 3, "B": 2}, 2, bloc="Z")
    assert err.value.parameter == "bloc"


def test_the_iowa_rule_is_one_pick_away(ana: Any, scene: Scene) -> None:
    # Iowa Democratic Party, Caucus Math One-Pager, "Precinct Alpha": 7 delegates.
    data = {"delegates": "7", "rule": "iowa", "name_0": "A", "count_0": "20", "name_1": "B",
            "count_1": "18", "name_2": "C", "count_2": "27", "name_3": "D", "count_3": "19",
            "name_4": "E", "count_4": "16"}
    calc = ana.get(_calc_url(scene), data, HTTP_HX_REQUEST="true").context["calc"]
    assert [g["delegates"] for g in calc["rows"]] == [2, 1, 2, 1, 1]


def test_bad_calculator_input_is_explained_naming_the_field(ana: Any, scene: Scene) -> None:
    response = ana.get(_calc_url(scene), {**DFL_EXAMPLE, "delegates": "0"},
                       HTTP_HX_REQUEST="true")
    assert response.context["calc"]["error_field"] == "delegates"
    assert "delegates must be at least 1" in response.content.decode()


def test_without_htmx_the_calculator_renders_on_the_precinct_page(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/", DFL_EXAMPLE)
    assert response.context["calc"]["result"].allocation["C"] == 1
    assert "<html" in response.content.decode()


def test_saving_the_calculator_records_caucus_night(ana: Any, scene: Scene) -> None:
    response = ana.post(f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/result/",
                        DFL_EXAMPLE)
    assert response.status_code == 302
    result = CaucusResult.objects.get()
    assert (result.our_subcaucus, result.delegates_won, result.subcaucuses["D"]) == ("C", 1, 9)
    page = ana.get(f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/")
    assert [r["name"] for r in page.context["form_rows"] if r["ours"]] == ["C"]


def test_a_viewer_cannot_save_caucus_night(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ben)
    client.post(f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/result/", DFL_EXAMPLE)
    assert not CaucusResult.objects.exists()


def test_the_precinct_page_shows_our_squad_and_recruits_only(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/")
    assert [s.name for s in response.context["squads"]] == ["Precinct 1 Squad"]
    assert [r.person.given_name for r in response.context["recruits"]] == ["Dolores"]
    row = response.context["row"]
    # Both partners' recruits are counted (Dolores and Ezra), only ours are named.
    assert (row.goal, row.recruited, row.ours, row.squads, row.leaders) == (20, 2, 1, 2, 2)
    assert "Ezra" not in response.content.decode()


def test_an_outsider_gets_404_on_the_precinct_page(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.omar)
    assert client.get(f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/").status_code == 404
    assert client.get(_calc_url(scene), DFL_EXAMPLE,
                      HTTP_HX_REQUEST="true").status_code == 404
