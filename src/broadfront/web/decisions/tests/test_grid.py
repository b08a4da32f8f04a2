"""The editable impact grid: HTMX edits in place, validated and saved through do_set_impact."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.decisions.models import Impact

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def _endorse(scene: Scene) -> Any:
    return scene.decision.options.get(label="Endorse")


def _url(scene: Scene) -> str:
    return f"/decisions/{scene.decision.pk}/impact/"


def test_an_organizer_sees_every_cell_as_a_button_that_opens_its_form(ana: Any,
                                                                      scene: Scene) -> None:
    html = ana.get(f"/decisions/{scene.decision.pk}/").content.decode()
    assert html.count('class="cellbtn"') == 2
    option = _endorse(scene)
    form = ana.get(_url(scene), {"option": option.pk, "constituency": "Tenants", "edit": "1"},
                   **HTMX).content.decode()
    assert form.lstrip().startswith('<td class="cell editing">')
    assert 'name="upside" value="8"' in form and 'name="upside_likelihood" value="0.6"' in form
    assert 'name="downside_likelihood" value="0.3"' in form


def test_saving_a_cell_returns_the_cell_and_asks_the_trade_offs_to_reload(ana: Any,
                                                                          scene: Scene) -> None:
    option = _endorse(scene)
    response = ana.post(_url(scene), {"option": option.pk, "constituency": "Tenants",
                                      "upside": "6", "upside_likelihood": "0.5",
                                      "downside": "4", "downside_likelihood": "0.25"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "impacts-changed"
    html = response.content.decode()
    assert html.lstrip().startswith('<td class="cell">') and "↑ 6" in html and "× 50%" in html
    impact = Impact.objects.get(option=option, constituency="Tenants")
    assert (impact.upside, impact.upside_likelihood, impact.downside,
            impact.downside_likelihood) == (Decimal(6), Decimal("0.5"), Decimal(4),
                                            Decimal("0.25"))
    # The reloaded panel: 6 x 0.5 - 4 x 0.25 = 2 for tenants under "Endorse".
    summary = ana.get(f"/decisions/{scene.decision.pk}/impact/summary/", **HTMX)
    rows = {r.option: r for r in summary.context["rows"]}
    assert rows["Endorse"].expected_net == pytest.approx(2.0)
    assert "<h2>Who bears what</h2>" in summary.content.decode()


@pytest.mark.parametrize("field", ["upside_likelihood", "downside_likelihood"])
def test_a_likelihood_outside_0_to_1_is_refused_and_the_field_is_named(ana: Any, scene: Scene,
                                                                       field: str) -> None:
    option = _endorse(scene)
    values = {"option": option.pk, "constituency": "Tenants", "upside": "8",
              "upside_likelihood": "0.6", "downside": "2", "downside_likelihood": "0.3"}
    response = ana.post(_url(scene), {**values, field: "1.5"}, **HTMX)
    html = response.content.decode()
    assert f"{field} must be between 0 and 1, got 1.5" in html
    assert f'name="{field}" value="1.5" step="0.05" min="0" max="1" aria-invalid="true"' in html
    assert html.count('aria-invalid="true"') == 1
    assert "HX-Trigger" not in response
    impact = Impact.objects.get(option=option, constituency="Tenants")
    assert getattr(impact, field) == Decimal("0.6" if field == "upside_likelihood" else "0.3")


def test_a_size_that_is_not_a_number_is_named_too(ana: Any, scene: Scene) -> None:
    response = ana.post(_url(scene), {"option": _endorse(scene).pk, "constituency": "Tenants",
                                      "downside": "lots"}, **HTMX)
    assert "downside must be a number, got &#x27;lots&#x27;" in response.content.decode()


def test_without_htmx_a_bad_cell_re_renders_the_page_with_the_error(ana: Any,
                                                                    scene: Scene) -> None:
    response = ana.post(_url(scene), {"option": _endorse(scene).pk, "constituency": "Staff",
                                      "upside": "1", "upside_likelihood": "-0.2"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "upside_likelihood must be between 0 and 1, got -0.2" in html
    assert 'name="upside_likelihood" value="-0.2"' in html and 'aria-invalid="true"' in html
    assert not Impact.objects.filter(constituency="Staff").exists()


def test_a_new_constituency_is_added_from_the_form_below_the_grid(ana: Any,
                                                                  scene: Scene) -> None:
    response = ana.post(_url(scene), {"option": _endorse(scene).pk, "constituency": " Staff ",
                                      "downside": "3", "downside_likelihood": "0.9"})
    assert response.status_code == 302
    page = ana.get(f"/decisions/{scene.decision.pk}/")
    assert page.context["d"].constituencies == ["Staff", "Tenants"]
    rows = {r.option: r for r in page.context["rows"]}
    # Staff now expect a loss of 3 x 0.9 = 2.7 under "Endorse": 4.2 - 2.7 = 1.5.
    assert rows["Endorse"].expected_net == pytest.approx(1.5)
    assert rows["Endorse"].bears_most == "Staff"


def test_a_viewer_sees_the_grid_but_cannot_edit_it(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ben)
    html = client.get(f"/decisions/{scene.decision.pk}/").content.decode()
    assert 'class="cellbtn"' not in html and "Add a constituency" not in html
    response = client.post(_url(scene), {"option": _endorse(scene).pk,
                                         "constituency": "Tenants", "upside": "0"}, **HTMX)
    assert "you need the organizer role" in response.content.decode()
    assert Impact.objects.get(option=_endorse(scene), constituency="Tenants").upside == 8
