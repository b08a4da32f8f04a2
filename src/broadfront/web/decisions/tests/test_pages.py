"""Decisions pages: open and decided questions, options, impacts, ballots and cooling-off."""

from __future__ import annotations

import datetime as dt
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
    d = ana.get("/decisions/").context["d"]
    assert [x.question for x in d.open] == ["Endorse the write-in mayor?"]
    assert [x.question for x in d.closed] == ["Join the budget coalition?"]
    assert [x.question for x in d.reviews_due] == ["Join the budget coalition?"]
    assert d.open[0].n_ballots == 2 and d.open[0].n_options == 2


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
    assert "cooling-off period applies" in html and "plotly-graph-div" in html
    assert "1 chose this" in html
    # Ben blocks endorsing and agrees to stay out.
    yes, no = d.options
    assert d.ballots.positions == {yes.pk: {"block": 1}, no.pk: {"agree": 1}}
    assert "1 block" in html


def test_a_decided_question_without_a_trigger_has_no_cooling_off(ana: Any, scene: Scene) -> None:
    d = ana.get(f"/decisions/{scene.closed_decision.pk}/").context["d"]
    assert d.cooling_off_ends is None and not d.cooling_off
