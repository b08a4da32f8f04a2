"""Reviews: expected against actual per constituency, and an organization's calibration record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from broadfront.analysis import tradeoffs
from broadfront.exceptions import PermissionDeniedError, ValidationError
from broadfront.web.common.models import AuditEntry
from broadfront.web.decisions import services
from broadfront.web.decisions.models import Decision, Review, read_actual

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _gl(gained: float, lost: float) -> dict[str, float]:
    return {"gained": gained, "lost": lost}


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
                              actual={"Members": _gl(3, 2), "Neighbors": _gl(0, 9)},
                              summary="Rough month.")
    response = _client(world.ben).get(f"/decisions/{d.pk}/review/")
    c = response.context["r"].reviews[0].comparison
    rows = {r.constituency: (r.expected_net, r.actual_net, r.error) for r in c.constituencies}
    assert rows == {"Members": (3.0, 1.0, -2.0), "Neighbors": (-6.0, -9.0, -3.0)}
    assert (c.expected_net, c.actual_net, c.error) == (-3.0, -8.0, -5.0)
    assert c.too_rosy_for == ("Neighbors",)
    html = response.content.decode()
    assert "We chose <strong>Strike</strong>" in html
    assert "We were most too rosy for <strong>Neighbors</strong>" in html
    assert ('<td>Members</td><td class="num">3.00</td><td class="num">3.00</td>'
            '<td class="num">2.00</td><td class="num">1.00</td>') in html
    assert ('<td>Neighbors</td><td class="num">-6.00</td><td class="num">0.00</td>'
            '<td class="num">9.00</td><td class="num">-9.00</td>') in html
    # Three foreseen upsides and downsides: too few to score, and the page says so.
    score = response.context["r"].reviews[0].likelihoods
    assert score is not None and score.events == 3 and not score.enough
    assert "Only 3 foreseen upsides and downsides to score" in html
    assert 'class="brier"' not in html
    assert 'id="record"' not in html  # Ben is a viewer: no review form


def test_an_organizer_records_a_review_on_the_web_with_an_unforeseen_constituency(
        world: Any) -> None:
    d = _strike(world)
    ana = _client(world.ana)
    form = ana.get(f"/decisions/{d.pk}/review/").content.decode()
    assert 'name="constituency_1" value="Members"' in form
    assert 'aria-label="Members: gained"' in form and 'aria-label="Neighbors: lost"' in form
    response = ana.post(f"/decisions/{d.pk}/review/", {
        "reviewed_on": "2026-03-01", "constituency_1": "Members", "gained_1": "4",
        "lost_1": "", "constituency_2": "Neighbors", "gained_2": "", "lost_2": "",
        "constituency_new": "Staff", "gained_new": "1", "lost_new": "3",
        "summary": "Members won; staff burned out."})
    assert response.status_code == 302
    review = Review.objects.get(decision=d)
    # A blank box of a filled line is 0; a line left blank is not reviewed.
    assert review.actual == {"Members": _gl(4.0, 0.0), "Staff": _gl(1.0, 3.0)}
    c = _client(world.ana).get(f"/decisions/{d.pk}/review/").context["r"].reviews[0]
    # Staff were not foreseen: expected 0, so the net loss of 2 is an error of -2.
    assert [(r.constituency, r.error) for r in c.comparison.constituencies] == [
        ("Members", 1.0), ("Staff", -2.0)]
    assert c.not_reviewed == ["Neighbors"]


def test_a_review_that_is_not_a_number_names_the_constituency_and_the_field(
        world: Any) -> None:
    d = _strike(world)
    response = _client(world.ana).post(f"/decisions/{d.pk}/review/", {
        "constituency_1": "Members", "gained_1": "plenty", "lost_1": "1"})
    assert response.status_code == 400
    assert "Members: gained must be a number, got &#x27;plenty&#x27;" in response.content.decode()
    assert not Review.objects.filter(decision=d).exists()


def test_every_bad_box_of_the_form_is_named_marked_and_kept_and_nothing_is_written(
        world: Any) -> None:
    d = _strike(world)
    before = AuditEntry.objects.count()
    response = _client(world.ana).post(f"/decisions/{d.pk}/review/", {
        "reviewed_on": "2026-03-01", "constituency_1": "Members", "gained_1": "2",
        "lost_1": "-1", "constituency_2": "Neighbors", "gained_2": "x", "lost_2": "4",
        "summary": "Half right."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The review was not recorded:" in html
    assert "<li>Members: lost must not be negative, got &#x27;-1&#x27;" in html
    assert "<li>Neighbors: gained must be a number, got &#x27;x&#x27;</li>" in html
    assert 'name="lost_1" id="lost_1" value="-1" aria-label="Members: lost" aria-invalid="true"' \
        in html
    assert 'name="gained_2" id="gained_2" value="x" aria-label="Neighbors: gained" ' \
        'aria-invalid="true"' in html
    assert 'name="gained_1" id="gained_1" value="2" aria-label="Members: gained">' in html
    assert not Review.objects.filter(decision=d).exists()
    assert AuditEntry.objects.count() == before


def test_the_service_checks_every_constituency_and_field_before_writing(world: Any) -> None:
    d = _strike(world)
    before = AuditEntry.objects.count()
    with pytest.raises(services.ReviewValidationError) as caught:
        services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 3, 1), actual={
            "Members": _gl(3, 2), "Neighbors": {"gained": True, "lost": float("nan")},
            "Staff": -2, "Partners": {"gain": 1}, "Tenants": {}})
    problems = [(p.constituency, p.field) for p in caught.value.problems]
    assert problems == [("Neighbors", "gained"), ("Neighbors", "lost"), ("Staff", ""),
                        ("Partners", ""), ("Tenants", "")]
    message = str(caught.value)
    assert "Neighbors: gained must be a number, got True" in message
    assert "Neighbors: lost must be a finite number, got nan" in message
    assert "Staff: give what it gained and what it lost (two sizes >= 0), got -2" in message
    assert "Partners: unknown field(s) gain (use gained and lost)" in message
    assert "Tenants: give gained, lost or both" in message
    assert caught.value.parameter == "actual.Neighbors.gained"
    assert caught.value.code == "invalid"
    with pytest.raises(ValidationError, match="Members: lost must not be negative"):
        services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 3, 1),
                                  actual={"Members": _gl(3, -2)})
    with pytest.raises(ValidationError, match="at least one constituency"):
        services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 3, 1), actual={})
    assert not Review.objects.filter(decision=d).exists()
    assert AuditEntry.objects.count() == before
    # Numbers as text are read; a missing size is 0.
    review = services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 3, 1),
                                       actual={" Members ": {"gained": "2.5"},
                                               "Neighbors": {"lost": 4}})
    assert review.actual == {"Members": _gl(2.5, 0.0), "Neighbors": _gl(0.0, 4.0)}


def test_a_viewer_cannot_record_a_review(world: Any) -> None:
    d = _strike(world)
    with pytest.raises(PermissionDeniedError):
        services.do_record_review(world.ben, d, reviewed_on=dt.date(2026, 3, 1),
                                  actual={"Members": _gl(1, 0)})
    assert not Review.objects.filter(decision=d).exists()


def test_an_old_review_holding_net_effects_still_reads_as_gains_and_losses(world: Any) -> None:
    d = _strike(world)
    # Written before gains and losses were recorded apart: one net number per constituency.
    Review.objects.create(decision=d, reviewed_on=dt.date(2025, 3, 1),
                          actual={"Members": 1, "Neighbors": -9, "Staff": 0})
    assert read_actual({"Members": 1.5, "Neighbors": -9, "Staff": 0, "New": _gl(2, 3)}) == {
        "Members": (1.5, 0.0), "Neighbors": (0.0, 9.0), "Staff": (0.0, 0.0), "New": (2.0, 3.0)}
    response = _client(world.ana).get(f"/decisions/{d.pk}/review/")
    assert response.status_code == 200
    c = response.context["r"].reviews[0].comparison
    rows = {r.constituency: (r.actual_upside, r.actual_downside, r.error)
            for r in c.constituencies}
    assert rows == {"Members": (1.0, 0.0, -2.0), "Neighbors": (0.0, 9.0, -3.0),
                    "Staff": (0.0, 0.0, 0.0)}
    # An old net of +1 says a gain happened and no loss did.
    members = c.constituencies[0]
    assert (members.upside_happened, members.downside_happened) == (True, False)
    record = _client(world.ana).get("/decisions/calibration/").context["c"]
    assert record.report.overall.mean_error == pytest.approx(-5 / 3)


def _grid(world: Any, question: str,
          cells: dict[str, tuple[float, float, float, float]]) -> Decision:
    """A decided question whose chosen option "Go" has ``cells``: (U, p, D, q) per group."""
    d = services.do_create_decision(world.ana, organization=world.northside, question=question,
                                    options=["Go", "Stay"], rule="majority")
    go = d.options.get(label="Go")
    for name, (up, p, down, q) in cells.items():
        services.do_set_impact(world.ana, go, name, upside=up, upside_likelihood=p,
                               downside=down, downside_likelihood=q)
    services.do_cast_ballot(world.ana, d, choice=go.pk)
    return services.do_close_decision(world.ana, d)


CELLS = {"Members": (10, 0.8, 4, 0.3), "Neighbors": (2, 0.2, 6, 0.9)}


def test_the_calibration_page_scores_our_likelihoods_on_gains_and_losses_apart(
        world: Any) -> None:
    first = _grid(world, "First?", CELLS)
    second = _grid(world, "Second?", CELLS)
    services.do_record_review(world.ana, first, reviewed_on=dt.date(2026, 1, 10),
                              actual={"Members": _gl(3, 2), "Neighbors": _gl(0, 9)})
    services.do_record_review(world.ana, second, reviewed_on=dt.date(2026, 2, 10),
                              actual={"Members": _gl(0, 1), "Neighbors": _gl(1, 1)})
    response = _client(world.ana).get("/decisions/calibration/")
    record = response.context["c"]
    # By hand: (likelihood - happened)^2 over the eight foreseen upsides and downsides.
    # First: members up .04, down .49; neighbors up .04, down .01.
    # Second: members up .64, down .49; neighbors up .64, down .01. Sum 2.36 / 8 = 0.295.
    # From the net effects alone (+1, -9; -1, 0) it would be 2.16 / 8 = 0.27.
    assert record.overall.brier == pytest.approx(0.295)
    assert record.overall.events == 8 and record.overall.enough
    cells = [tradeoffs.ImpactCell("Go", name, upside=u, upside_likelihood=p, downside=dn,
                                  downside_likelihood=q)
             for name, (u, p, dn, q) in CELLS.items()]
    by_hand = tradeoffs.calibrate([
        tradeoffs.review_outcome(cells, [tradeoffs.Outcome("Members", 3, 2),
                                         tradeoffs.Outcome("Neighbors", 0, 9)]),
        tradeoffs.review_outcome(cells, [tradeoffs.Outcome("Members", 0, 1),
                                         tradeoffs.Outcome("Neighbors", 1, 1)]),
    ])
    assert record.overall.brier == pytest.approx(by_hand.overall.brier)
    per = {k.constituency: s for k, s in record.rows()}
    assert per["Members"].brier == pytest.approx((0.04 + 0.49 + 0.64 + 0.49) / 4)
    assert per["Members"].events == 4 and not per["Members"].enough
    html = response.content.decode()
    assert "Brier score <strong class=\"brier\">0.295</strong> over 8 foreseen upsides" in html
    assert "0 is perfect; 0.25 is what always saying 50% scores" in html
    assert '<td class="num" data-label="Brier (events)">too few (4)</td>' in html
    assert "Upsides: we gave them 50% on average; 50% of them happened" in html
    assert "Downsides: we gave them 60% on average; 100% of them happened" in html


def test_the_review_page_scores_one_reviews_likelihoods_when_there_are_enough(
        world: Any) -> None:
    d = _grid(world, "Go?", {**CELLS, "Staff": (1, 0.5, 2, 0.5)})
    services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 1, 10),
                              actual={"Members": _gl(3, 2), "Neighbors": _gl(0, 9),
                                      "Staff": _gl(0, 0)})
    response = _client(world.ben).get(f"/decisions/{d.pk}/review/")
    score = response.context["r"].reviews[0].likelihoods
    # .04 + .49 + .04 + .01 + .25 + .25 = 1.08 over 6 events.
    assert score.events == 6 and score.brier == pytest.approx(0.18)
    html = response.content.decode()
    assert 'Brier score <strong class="brier">0.180</strong> over 6 foreseen' in html
    assert "(this review)" in html and "0.25 is what always saying 50% scores" in html


def test_the_calibration_record_finds_where_we_were_too_rosy(world: Any) -> None:
    # Three decisions; neighbors fared 2, 2.5 and 3 worse than expected; members as expected.
    for k, (loss, day) in enumerate([(8, "2026-01-10"), (8.5, "2026-02-10"), (9, "2026-03-10")]):
        d = _strike(world, f"Strike number {k + 1}?")
        services.do_record_review(world.ana, d, reviewed_on=dt.date.fromisoformat(day),
                                  actual={"Members": _gl(3, 0), "Neighbors": _gl(0, loss)})
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
                              actual={"Members": _gl(0, 0), "Neighbors": _gl(0, 0)})
    services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 6, 1),
                              actual={"Members": _gl(4, 1), "Neighbors": _gl(0, 7)})
    record = _client(world.ana).get("/decisions/calibration/").context["c"]
    assert len(record.reviewed) == 1
    assert record.report.overall.mean_error == pytest.approx(-0.5)  # (0 + -1) / 2


def test_another_organization_sees_neither_the_reviews_nor_the_record(world: Any) -> None:
    d = _strike(world)
    services.do_record_review(world.ana, d, reviewed_on=dt.date(2026, 3, 1),
                              actual={"Members": _gl(1, 0), "Neighbors": _gl(0, 9)})
    grace = _client(world.grace)
    assert grace.get(f"/decisions/{d.pk}/review/").status_code == 404
    assert grace.post(f"/decisions/{d.pk}/review/", {
        "constituency_1": "Members", "gained_1": "5", "lost_1": "0"}).status_code == 404
    assert Review.objects.filter(decision=d).count() == 1
    assert grace.get("/decisions/calibration/?org=northside").status_code == 404
    assert grace.get("/decisions/calibration/").context["c"].reviewed == []
