"""Show-up rates shrink small groups toward the pool, cover the truth, and weigh recent events."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.reliability import beta_prior, recency_weights, show_up_rates
from broadfront.exceptions import ValidationError


def test_a_partner_seen_three_times_is_not_rated_one_hundred_percent():
    groups = ["big"] * 100 + ["small"] * 3
    attended = [1] * 60 + [0] * 40 + [1, 1, 1]
    rates = show_up_rates(groups, attended)
    small = rates.lookup(["small"])[0]
    assert rates.raw_rate[small] == 1.0
    assert rates.rate[small] < 0.95
    assert "only 3 RSVPs" in rates.records()[small].note


def test_aggregated_rows_give_the_same_rates_as_one_row_per_rsvp():
    per_rsvp = show_up_rates(["a"] * 5 + ["b"] * 4, [1, 1, 0, 1, 0, 0, 0, 1, 1])
    aggregated = show_up_rates(["a", "b"], [3, 2], rsvps=[5, 4])
    np.testing.assert_allclose(per_rsvp.rate, aggregated.rate)
    np.testing.assert_allclose(per_rsvp.low, aggregated.low)


def test_ninety_percent_intervals_cover_the_true_rate_about_ninety_percent_of_the_time():
    # Seeded simulation: 3000 groups with rates from Beta(4, 6) and 1 to 40 RSVPs each.
    rng = np.random.default_rng(11)
    n_groups = 3000
    truth = rng.beta(4.0, 6.0, n_groups)
    sizes = rng.integers(1, 41, n_groups)
    shows = rng.binomial(sizes, truth)
    for method in ("mle", "moments"):
        rates = show_up_rates(np.arange(n_groups), shows, rsvps=sizes, prior=method, level=0.9)
        covered = np.mean((rates.low <= truth) & (truth <= rates.high))
        assert 0.87 <= covered <= 0.93, (method, covered)


def test_recent_events_weigh_more_than_old_ones_with_a_half_life():
    dates = ["2023-01-01"] * 10 + ["2024-01-01"] * 10
    attended = [0] * 10 + [1] * 10  # stopped missing a year ago
    groups = ["a"] * 20
    prior = beta_prior(1, 1)
    flat = show_up_rates(groups, attended, dates=dates, prior=prior)
    recent = show_up_rates(groups, attended, dates=dates, half_life_days=90, prior=prior)
    assert flat.rate[0] == pytest.approx(0.5)
    # the old year counts 0.5 ** (365 / 90) of a trial each
    w = 0.5 ** (365 / 90)
    assert recent.rate[0] == pytest.approx((1 + 10) / (2 + 10 + 10 * w))


def test_rows_after_the_as_of_date_are_left_out():
    rates = show_up_rates(["a", "a"], [1, 0], dates=["2024-01-01", "2024-02-01"],
                          as_of="2024-01-15", prior=beta_prior(1, 1))
    assert rates.rsvps[0] == 1 and rates.attended[0] == 1


def test_recency_weights_halve_at_each_half_life():
    w = recency_weights(["2024-01-01", "2023-12-02", "2023-11-02"], as_of="2024-01-01",
                        half_life_days=30)
    np.testing.assert_allclose(w, [1.0, 0.5, 0.25])


def test_people_are_shrunk_toward_their_own_group_when_a_target_is_given():
    fitted = show_up_rates(["ana", "ana", "ben", "ben"], [1, 1, 0, 0],
                           target=[0.9, 0.9, 0.2, 0.2])
    assert 0.9 <= fitted.rate[0] <= 1.0
    assert 0.0 <= fitted.rate[1] <= 0.2
    # a given prior keeps its concentration (2 trials) and centres on each target
    given_prior = show_up_rates(["ana", "ben"], [1, 0], target=[0.9, 0.2],
                                prior=beta_prior(1, 1))
    np.testing.assert_allclose(given_prior.rate, [(1.8 + 1) / 3, (0.4 + 0) / 3])


def test_bad_inputs_name_their_parameter():
    with pytest.raises(ValidationError) as err:
        show_up_rates(["a"], [2], rsvps=[1])
    assert err.value.parameter == "attended"
    with pytest.raises(ValidationError) as err:
        show_up_rates(["a"], [1], half_life_days=30)
    assert err.value.parameter == "half_life_days"
    with pytest.raises(ValidationError) as err:
        show_up_rates(["a"], [1], dates=["2024-13-01"])
    assert err.value.parameter == "dates"
    with pytest.raises(ValidationError) as err:
        show_up_rates(["a"], [1], level=1.5)
    assert err.value.parameter == "level"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=2, max_size=60))
def test_every_rate_lies_inside_its_interval_and_between_its_raw_rate_and_the_prior(rows):
    groups = [g for g, _ in rows]
    attended = [int(a) for _, a in rows]
    rates = show_up_rates(groups, attended)
    assert np.all((rates.low <= rates.rate + 1e-12) & (rates.rate <= rates.high + 1e-12))
    assert np.all((rates.rate >= 0) & (rates.rate <= 1))
    lo = np.minimum(rates.raw_rate, rates.prior.mean) - 1e-9
    hi = np.maximum(rates.raw_rate, rates.prior.mean) + 1e-9
    assert np.all((lo <= rates.rate) & (rates.rate <= hi))
    assert rates.rsvps.sum() == len(rows) and rates.attended.sum() == sum(attended)
