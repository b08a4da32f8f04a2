"""Reviews against expectations, and calibration over many decisions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.tradeoffs import ImpactCell, Outcome, calibrate, review_outcome
from broadfront.exceptions import ValidationError

EXPECTED = [
    ImpactCell("march", "members", upside=4, upside_likelihood=0.5, downside=2,
               downside_likelihood=0.25),
    ImpactCell("march", "neighborhood", downside=2, downside_likelihood=0.5),
]


def test_a_review_sets_actual_against_expected_for_each_constituency():
    r = review_outcome(EXPECTED, [Outcome("members", gained=3, lost=2),
                                  Outcome("neighborhood", lost=0)], decision="d-1")
    members, hood = r.constituencies
    # members: expected 4*0.5 - 2*0.25 = 1.5, actual 3 - 2 = 1, error -0.5
    assert (members.expected_net, members.actual_net, members.error) == (1.5, 1.0, -0.5)
    assert members.upside_happened and members.downside_happened
    assert (members.upside_likelihood, members.downside_likelihood) == (0.5, 0.25)
    # neighborhood: expected -1, nothing happened: error +1 (we were too gloomy there)
    assert (hood.expected_net, hood.actual_net, hood.error) == (-1.0, 0.0, 1.0)
    assert hood.upside_likelihood is None and not hood.downside_happened
    assert (r.option, r.decision, r.expected_net, r.actual_net, r.error) == \
        ("march", "d-1", 0.5, 1.0, 0.5)
    assert r.too_rosy_for == ("members",)


def test_an_impact_nobody_foresaw_counts_against_an_expectation_of_zero():
    r = review_outcome(EXPECTED, [Outcome("members", gained=2), Outcome("neighborhood"),
                                  Outcome("partner", lost=3)])
    partner = r.constituencies[-1]
    assert (partner.constituency, partner.expected_net, partner.error) == ("partner", 0.0, -3.0)
    assert r.too_rosy_for == ("partner",)


def test_every_foreseen_constituency_needs_a_recorded_outcome():
    with pytest.raises(ValidationError, match="no actual outcome recorded for 'neighborhood'"):
        review_outcome(EXPECTED, [Outcome("members", gained=1)])


@pytest.mark.parametrize("expected, actual, location", [
    (EXPECTED, [Outcome("members", lost=-1), Outcome("neighborhood")], "actual[0].lost"),
    ([*EXPECTED, ImpactCell("march", "members")], [], "expected[2]"),
    ([ImpactCell("m", "x", upside=1, upside_likelihood=2)], [Outcome("x")],
     "expected[0].upside_likelihood"),
])
def test_bad_review_input_is_refused_naming_its_place(expected, actual, location):
    with pytest.raises(ValidationError) as err:
        review_outcome(expected, actual)
    assert err.value.location == location


def test_cells_of_two_options_cannot_be_reviewed_together():
    with pytest.raises(ValidationError, match="one option"):
        review_outcome([ImpactCell("a", "x"), ImpactCell("b", "y")],
                       [Outcome("x"), Outcome("y")])


def _reviews():
    """Four decisions. Each time members were expected +2 (upside 4 at 0.5) and the
    neighborhood -0.5 (downside 1 at 0.5). Members got 4, 0, 4, 0 (upside happened twice);
    the neighborhood lost 2, 3, 2, 3 (the downside always happened, and was bigger)."""
    cells = [ImpactCell("x", "members", upside=4, upside_likelihood=0.5),
             ImpactCell("x", "neighborhood", downside=1, downside_likelihood=0.5)]
    return [review_outcome(cells, [Outcome("members", gained=g), Outcome("neighborhood", lost=loss)])
            for g, loss in ((4, 2), (0, 3), (4, 2), (0, 3))]


def test_calibration_finds_we_were_too_rosy_for_the_neighborhood():
    report = calibrate(_reviews())
    hood, members = report.by_constituency  # rosiest first
    # neighborhood errors: -1.5, -2.5, -1.5, -2.5: mean -2, s = 0.57735, t(0.975, 3) = 3.18245
    assert hood.constituency == "neighborhood" and hood.reviews == 4
    assert hood.mean_error == -2.0 and hood.mean_absolute_error == 2.0
    assert hood.error_interval == pytest.approx((-2 - 0.918695, -2 + 0.918695), abs=1e-5)
    assert hood.verdict == "too rosy"
    assert (hood.downside_predicted, hood.downside_observed) == (0.5, 1.0)
    assert hood.brier == 0.25  # (0.5 - 1)^2 every time
    assert hood.upside_predicted is None
    # members errors: +2, -2, +2, -2: mean 0, no clear bias; the 0.5 upside came half the time
    assert members.mean_error == 0.0 and members.verdict == "no clear bias"
    assert (members.upside_predicted, members.upside_observed, members.brier) == (0.5, 0.5, 0.25)
    assert report.too_rosy_for == ("neighborhood",)
    assert report.overall.reviews == 8 and report.overall.mean_error == -1.0


def test_calibration_can_find_us_too_gloomy_or_say_there_are_too_few_reviews():
    cells = [ImpactCell("x", "staff", downside=4, downside_likelihood=1.0)]
    gloomy = [review_outcome(cells, [Outcome("staff", lost=v)]) for v in (1, 2, 1, 2)]
    assert calibrate(gloomy).by_constituency[0].verdict == "too gloomy"
    one = calibrate(gloomy[:1]).by_constituency[0]
    assert one.verdict == "too few reviews" and one.error_interval is None


@pytest.mark.parametrize("kwargs, parameter", [
    ({"confidence": 1.0}, "confidence"),
    ({"confidence": 0}, "confidence"),
])
def test_bad_calibration_settings_are_refused(kwargs, parameter):
    with pytest.raises(ValidationError) as err:
        calibrate(_reviews(), **kwargs)
    assert err.value.parameter == parameter


def test_calibration_needs_at_least_one_review():
    with pytest.raises(ValidationError, match="at least one review"):
        calibrate([])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0, 1), st.floats(0, 10), st.floats(0, 1)),
                min_size=1, max_size=5))
def test_getting_exactly_the_expected_value_is_an_error_of_zero(cells):
    expected = [ImpactCell("x", f"c{k}", u, pu, d, pd) for k, (u, pu, d, pd) in enumerate(cells)]
    actual = [Outcome(f"c{k}", gained=u * pu, lost=d * pd)
              for k, (u, pu, d, pd) in enumerate(cells)]
    r = review_outcome(expected, actual)
    assert all(c.error == pytest.approx(0, abs=1e-12) for c in r.constituencies)
    assert r.too_rosy_for == ()
    report = calibrate([r, r])
    assert all(c.verdict == "no clear bias" for c in report.by_constituency)


def test_calibrating_reviews_without_any_constituency_is_refused_by_name():
    empty = review_outcome([], [])
    with pytest.raises(ValidationError) as e:
        calibrate([empty, empty])
    assert e.value.parameter == "reviews" and "no constituency outcomes" in str(e.value)
