"""Decisions pages: the list, the decision page (trade-offs, result, reasons) and privacy."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def test_the_decisions_page_lists_open_decided_and_reviews_due(ana: Any, scene: Scene) -> None:
    response = ana.get("/decisions/")
    d = response.context["d"]
    assert [x.question for x in d.open] == ["Endorse the write-in mayor?"]
    assert [x.question for x in d.closed] == ["Join the budget coalition?"]
    assert [x.question for x in d.reviews_due] == ["Join the budget coalition?"]
    assert d.open[0].n_ballots == 2 and d.open[0].n_options == 2
    html = response.content.decode()
    assert 'href="/decisions/new/"' in html and 'href="/decisions/calibration/"' in html
    assert f'href="/decisions/{scene.closed_decision.pk}/review/"' in html


def test_a_decision_shows_ballot_counts_impacts_and_the_cooling_off(ana: Any,
                                                                    scene: Scene) -> None:
    response = ana.get(f"/decisions/{scene.decision.pk}/")
    d = response.context["d"]
    assert (d.ballots.members, d.ballots.leaders, d.ballots.total) == (1, 1, 2)
    assert d.constituencies == ["Tenants"]
    assert [o.label for o in d.options] == ["Endorse", "Stay out"]
    # Opened two hours ago after a betrayal: 48 hours of cooling-off remain for 46 hours.
    assert d.cooling_off
    assert d.cooling_off_ends == scene.decision.opened_at + dt.timedelta(hours=48)
    html = response.content.decode()
    assert "triggered by a betrayal. Are we deciding on the trigger, or on the trade-offs?" in html
    assert "plotly-graph-div" in html


def test_the_trade_offs_show_totals_fair_scores_the_worst_off_and_dominated_options(
        ana: Any, scene: Scene) -> None:
    response = ana.get(f"/decisions/{scene.decision.pk}/")
    rows = {r.option: r for r in response.context["rows"]}
    # Endorse: 8 x 0.6 - 2 x 0.3 = 4.2 for tenants; Stay out: 1 x 0.9 - 5 x 0.5 = -1.6.
    assert rows["Endorse"].expected_net == pytest.approx(4.2)
    assert rows["Stay out"].expected_net == pytest.approx(-1.6)
    # Fair score g(x) = s (1 - exp(-x / s)) with s = 4.2, the largest expected effect.
    assert rows["Endorse"].fair_score == pytest.approx(4.2 * (1 - math.exp(-1)))
    assert rows["Stay out"].fair_score == pytest.approx(4.2 * (1 - math.exp(1.6 / 4.2)))
    assert rows["Stay out"].dominated_by == "Endorse" and rows["Endorse"].dominated_by == ""
    assert rows["Stay out"].worst_off == "Tenants"
    assert rows["Stay out"].bears_most == "Tenants" and rows["Endorse"].gets_most == "Tenants"
    html = response.content.decode()
    assert "<td>Endorse</td><td class=\"num hide-phone\">4.20</td><td class=\"num\">2.65</td>" in html
    assert "Stay out: expected net -1.60 over everyone; the worst off are Tenants (-1.60)" in html
    assert "Endorse is at least as good for every constituency" in html
    assert "<strong>Fair score</strong>" in html and "<strong>Plain total</strong>" in html


def test_the_result_is_counted_for_members_leaders_and_combined(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/decisions/{scene.decision.pk}/")
    result = response.context["p"].result
    # Ben (member) chose "Stay out"; Ana (leader) chose "Endorse"; both groups must agree.
    assert result.members.winner == "Stay out" and result.leaders.winner == "Endorse"
    assert result.winner is None and result.combined.outcome == "groups disagree"
    html = response.content.decode()
    assert '<div class="tally" data-group="members">' in html
    assert '<p class="winner">Groups disagree</p>' in html


def test_a_decided_question_without_a_trigger_has_no_cooling_off(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/decisions/{scene.closed_decision.pk}/")
    d = response.context["d"]
    assert d.cooling_off_ends is None and not d.cooling_off
    assert response.context["p"].cooling_off_message is None
    assert 'id="vote"' not in response.content.decode()


@pytest.mark.parametrize("who", ["grace", "omar", "cora"])
@pytest.mark.parametrize("path", ["/decisions/{pk}/", "/decisions/{pk}/review/",
                                  "/decisions/{pk}/impact/summary/",
                                  "/decisions/{pk}/impact/?option={option}&constituency=Tenants"])
def test_another_organizations_user_gets_404_on_every_page(client: Any, scene: Scene, who: str,
                                                           path: str) -> None:
    client.force_login(getattr(scene.world, who))
    option = scene.decision.options.first().pk
    response = client.get(path.format(pk=scene.decision.pk, option=option))
    assert response.status_code == 404
    assert "<h1>Nothing here</h1>" in response.content.decode()


@pytest.mark.parametrize("path", ["/decisions/{pk}/ballot/", "/decisions/{pk}/close/",
                                  "/decisions/{pk}/review/", "/decisions/{pk}/impact/"])
def test_another_organizations_user_cannot_write_either(client: Any, scene: Scene,
                                                        path: str) -> None:
    client.force_login(scene.world.grace)
    option = scene.decision.options.first()
    response = client.post(path.format(pk=scene.decision.pk), {
        "choice": option.pk, "option": option.pk, "constituency": "Tenants", "upside": 1,
        "constituency_1": "Tenants", "gained_1": 3, "lost_1": 0})
    assert response.status_code == 404
    scene.decision.refresh_from_db()
    assert scene.decision.state == "open" and scene.decision.ballots.count() == 2


def test_a_partners_decision_is_not_listed(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    d = client.get("/decisions/").context["d"]
    assert [x.question for x in d.open] == ["Faith-only question"]
