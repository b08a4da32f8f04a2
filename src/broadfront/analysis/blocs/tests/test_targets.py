"""Targets, forecasts and progress of a bloc campaign."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.blocs import (
    DEFAULT_CAUCUS_TURNOUT,
    DEFAULT_SHOW_UP_RATE,
    campaign_progress,
    expected_attendance,
    forecast_targets,
    precinct_targets,
    show_up_rate_from_history,
)
from broadfront.exceptions import ValidationError


def test_documented_defaults_are_half_of_sign_ups_and_one_percent_of_the_party_vote():
    assert DEFAULT_SHOW_UP_RATE == 0.5
    assert DEFAULT_CAUCUS_TURNOUT == 0.01
    assert expected_attendance([3000]).tolist() == [30.0]


def test_targets_are_ten_percent_rounded_up_without_float_error():
    assert precinct_targets([70, 30, 31, 29.5, 0]).tolist() == [7, 3, 4, 3, 0]
    assert 0.07 * 100 > 7  # 7.000000000000001: a naive ceil would ask for 8
    assert precinct_targets([100], share=0.07).tolist() == [7]
    assert precinct_targets([50], share=0.25).tolist() == [13]


@settings(max_examples=200, deadline=None)
@given(att=st.integers(0, 10_000), pct=st.integers(1, 100))
def test_a_target_is_the_smallest_head_count_reaching_the_share(att, pct):
    (t,) = precinct_targets([att], share=pct / 100).tolist()
    assert t * 100 >= pct * att and (t == 0 or (t - 1) * 100 < pct * att)


def test_forecast_by_hand_with_no_time_left():
    f = forecast_targets([0, 1, 2, 3], [2, 2, 2, 2], 0.0, 0.0)
    assert f.probability.tolist() == pytest.approx([1.0, 0.75, 0.25, 0.0])
    assert f.status == ("on track", "at risk", "behind", "behind")


def _simulate(target, committed, pace, weeks, p, k, rng, draws=200_000):
    if k is None:
        recruits = rng.poisson(pace * weeks, size=draws)
    else:
        lam = rng.gamma(k, pace * weeks / k, size=draws)
        recruits = rng.poisson(lam)
    came = rng.binomial(committed, p, size=draws) + rng.binomial(recruits, p)
    return float(np.mean(came >= target))


@pytest.mark.parametrize("k", [None, 2.0])
def test_exact_forecast_matches_a_simulation_of_recruits_and_show_ups(k):
    rng = np.random.default_rng(0)
    targets, committed, pace, weeks, p = [8, 12, 5], [6, 3, 9], [1.5, 2.0, 0.5], 4.0, [0.5, 0.6, 0.4]
    f = forecast_targets(targets, committed, pace, weeks, show_up_rate=p, pace_dispersion=k)
    for i in range(3):
        sim = _simulate(targets[i], committed[i], pace[i], weeks, p[i], k, rng)
        assert f.probability[i] == pytest.approx(sim, abs=0.006)
    assert f.expected_attendees.tolist() == pytest.approx([6 * 0.5 + 1.5 * 4 * 0.5, 3 * 0.6 + 8 * 0.6, 9 * 0.4 + 2 * 0.4])
    assert f.expected_precincts_reaching == pytest.approx(f.probability.sum())


def test_an_uncertain_pace_makes_a_likely_target_less_certain():
    sure = forecast_targets([5], [0], 3.0, 4.0).probability[0]
    unsure = forecast_targets([5], [0], 3.0, 4.0, pace_dispersion=1.0).probability[0]
    assert unsure < sure


def test_show_up_rate_from_history_shrinks_small_samples_toward_the_default():
    rates = show_up_rate_from_history([0, 2, 200], [0, 2, 60])
    assert rates[0] == 0.5 and 0.5 < rates[1] < 1.0 and rates[2] == pytest.approx(65 / 210)
    with pytest.raises(ValidationError) as info:
        show_up_rate_from_history([2], [3])
    assert info.value.parameter == "attended"


def test_progress_counts_recruits_squads_and_leaders():
    p = campaign_progress([3, 4, 2, 0], [3, 1, 0, 0], [1, 1, 0, 0], [1, 0, 0, 0])
    assert (p.precincts, p.target_total, p.committed_total) == (4, 9, 4)
    assert p.committed_share_of_target == pytest.approx(4 / 9)
    assert (p.precincts_with_squad, p.precincts_with_leader, p.precincts_committed_at_target) == (2, 1, 2)


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda: precinct_targets([10], share=0), "share"),
        (lambda: precinct_targets([-1]), "attendance"),
        (lambda: forecast_targets([1], [1, 2], 1.0, 1.0), "committed"),
        (lambda: forecast_targets([1], [1], 1.0, 1.0, show_up_rate=1.5), "show_up_rate"),
        (lambda: forecast_targets([1], [1], -1.0, 1.0), "weekly_pace"),
        (lambda: forecast_targets([1], [1], 1.0, 1.0, on_track=0.3, at_risk=0.6), "at_risk"),
        (lambda: expected_attendance([100], turnout_rate=2), "turnout_rate"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(call, parameter):
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.parameter == parameter
