"""Reviews: expected against actual per constituency, and an organization's calibration record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from broadfront.web.decisions import services
from broadfront.web.decisions.models import Decision, Review

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _strike(world: Any, question: str = "Strike or wait?") -> Decision:
    """Decided for "Strike": members +10 x 0.5 - 4 x 0.5 = +3; neighbors -6 x 1 = -6."""
    d = services.do_create_decision(world.ana, organization=world.northside, question=question,
                                    options=["Strike", "Wait"], rule="majority")
    strike = d.options.get(label="Strike")
    services.do_set_impact(world.ana, strike, "Members", upside=10, upside_likelihood=0.5,
                           downside=4, downside_likelihood=0.5)
    services.do_set_impact(world.ana, strike, "Neighbors", downside=6, downside_likelihood=1)
    services.do_cast_ballot(world.ana, d, choice=strike.pk)
    return services.do_close_decision(world.ana, d)


def test_the_review_page_compares_expected_and_actual_per_constituency(world: Any) -> None:
    d = _strike(world)
    services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 3, 1),
                              actual={"Members": 1, "Neighbors": -9}, summary="Rough month.")
    response = _client(world.ben).get(f"/decisions/{d.pk}/review/")
    c = response.context["r"].reviews[0].comparison
    rows = {r.constituency: (r.expected_net, r.actual_net, r.error) for r in c.constituencies}
    assert rows == {"Members": (3.0, 1.0, -2.0), "Neighbors": (-6.0, -9.0, -3.0)}
    assert (c.expected_net, c.actual_net, c.error) == (-3.0, -8.0, -5.0)
    assert c.too_rosy_for == ("Neighbors",)
    html = response.content.decode()
    assert "We chose <strong>Strike</strong>" in html
    assert "We were most too rosy for <strong>Neighbors</strong>" in html
    assert '<td>Neighbors</td><td class="num">-6.00</td><td class="num">-9.00</td>' in html
    assert 'id="record"' not in html  # Ben is a viewer: no review form


def test_an_organizer_records_a_review_on_the_web_with_an_unforeseen_constituency(
        world: Any) -> None:
    d = _strike(world)
    ana = _client(world.ana)
    form = ana.get(f"/decisions/{d.pk}/review/").content.decode()
    assert 'name="constituency_1" value="Members"' in form
    response = ana.post(f"/decisions/{d.pk}/review/", {
        "reviewed_on": "2026-03-01", "constituency_1": "Members", "actual_1": "4",
        "constituency_2": "Neighbors", "actual_2": "", "constituency_new": "Staff",
        "actual_new": "-2", "summary": "Members won; staff burned out."})
    assert response.status_code == 302
    review = Review.objects.get(decision=d)
    assert review.actual == {"Members": 4.0, "Staff": -2.0}
    c = _client(world.ana).get(f"/decisions/{d.pk}/review/").context["r"].reviews[0]
    # Staff were not foreseen: expected 0, so the loss is an error of -2.
    assert [(r.constituency, r.error) for r in c.comparison.constituencies] == [
        ("Members", 1.0), ("Staff", -2.0)]
    assert c.not_reviewed == ["Neighbors"]


def test_a_review_that_is_not_a_number_names_the_field(world: Any) -> None:
    d = _strike(world)
    response = _client(world.ana).post(f"/decisions/{d.pk}/review/", {
        "constituency_1": "Members", "actual_1": "plenty"})
    assert response.status_code == 400
    assert "the actual effect on Members must be a number" in response.content.decode()
    assert not Review.objects.filter(decision=d).exists()


def test_the_calibration_record_finds_where_we_were_too_rosy(world: Any) -> None:
    # Three decisions; neighbors fared 2, 2.5 and 3 worse than expected; members as expected.
    for k, (loss, day) in enumerate([(8, "2026-01-10"), (8.5, "2026-02-10"), (9, "2026-03-10")]):
        d = _strike(world, f"Strike number {k + 1}?")
        services.do_record_review(world.ana, d, reviewed_on=dt.date.fromisoformat(day),
                                  actual={"Members": 3, "Neighbors": -loss})
    response = _client(world.ana).get("/decisions/calibration/")
    report = response.context["c"].report
    by = {k.constituency: k for k in report.by_constituency}
    # Mean error -2.5, s = 0.5, t(2) = 4.303: -2.5 +- 1.24 lies below zero.
    assert by["Neighbors"].mean_error == pytest.approx(-2.5)
    assert by["Neighbors"].error_interval == pytest.approx((-3.742, -1.258), abs=1e-3)
    assert by["Neighbors"].verdict == "too rosy"
    assert by["Members"].verdict == "no clear bias" and by["Members"].mean_error == 0
    assert report.too_rosy_for == ("Neighbors",)
    html = response.content.decode()
    assert "plotly-graph-div" in html
    assert "We have been too rosy for <strong>Neighbors</strong>" in html
    assert [r.reviewed_on.isoformat() for r in response.context["c"].reviewed] == [
        "2026-01-10", "2026-02-10", "2026-03-10"]


def test_only_the_latest_review_of_a_decision_counts_in_the_record(world: Any) -> None:
    d = _strike(world)
    services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 1, 1),
                              actual={"Members": 0, "Neighbors": 0})
    services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 6, 1),
                              actual={"Members": 3, "Neighbors": -7})
    record = _client(world.ana).get("/decisions/calibration/").context["c"]
    assert len(record.reviewed) == 1
    assert record.report.overall.mean_error == pytest.approx(-0.5)  # (0 + -1) / 2


def test_another_organization_sees_neither_the_reviews_nor_the_record(world: Any) -> None:
    d = _strike(world)
    services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 3, 1),
                              actual={"Members": 1, "Neighbors": -9})
    grace = _client(world.grace)
    assert grace.get(f"/decisions/{d.pk}/review/").status_code == 404
    assert grace.get("/decisions/calibration/?org=northside").status_code == 404
    assert grace.get("/decisions/calibration/").context["c"].reviewed == []
