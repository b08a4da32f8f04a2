"""Turnout forecasts are exact Poisson-binomial laws and are calibrated on synthetic histories."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from broadfront.analysis.reliability import (
    commitment_reliability,
    forecast_delivery,
    forecast_turnout,
    poisson_binomial_pmf,
    rsvp_probabilities,
    show_up_rates,
)
from broadfront.analysis.reliability.forecast import _pmf_direct, _pmf_tree
from broadfront.exceptions import ValidationError


def _brute_force_pmf(p):
    pmf = np.zeros(len(p) + 1)
    for outcome in itertools.product([0, 1], repeat=len(p)):
        prob = np.prod([pi if o else 1 - pi for pi, o in zip(p, outcome, strict=True)])
        pmf[sum(outcome)] += prob
    return pmf


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=0, max_size=9))
def test_the_pmf_equals_brute_force_enumeration_of_every_outcome(p):
    np.testing.assert_allclose(poisson_binomial_pmf(p), _brute_force_pmf(p), atol=1e-12)


def test_the_fft_tree_agrees_with_the_direct_product_on_two_thousand_rsvps():
    p = np.random.default_rng(3).random(2000)
    np.testing.assert_allclose(_pmf_tree(p), _pmf_direct(p), atol=1e-12)


def test_equal_probabilities_give_the_binomial_distribution():
    pmf = poisson_binomial_pmf(np.full(5000, 0.3))
    np.testing.assert_allclose(pmf, stats.binom.pmf(np.arange(5001), 5000, 0.3), atol=1e-12)


def test_monte_carlo_agrees_with_the_exact_law_given_a_seed():
    p = np.random.default_rng(5).uniform(0.2, 0.9, 80)
    exact = forecast_turnout(p)
    sim = forecast_turnout(p, method="monte_carlo", draws=40_000, rng=9)
    assert sim.draws == 40_000 and sim.method == "monte_carlo"
    assert abs(sim.p50 - exact.p50) <= 1 and abs(sim.p10 - exact.p10) <= 1
    assert abs(sim.p90 - exact.p90) <= 1
    again = forecast_turnout(p, method="monte_carlo", draws=40_000, rng=9)
    np.testing.assert_array_equal(sim.pmf, again.pmf)


def test_forecasts_are_calibrated_on_synthetic_histories():
    # 400 people with show-up rates from Beta(3, 2), 10 past RSVPs each; 300 new events with
    # 50 random RSVPs each. The realised turnout should fall below P10 about 10% of the time,
    # at or below P90 about 90% of the time.
    rng = np.random.default_rng(42)
    people = 400
    truth = rng.beta(3.0, 2.0, people)
    history = np.repeat(np.arange(people), 10)
    came = rng.random(history.size) < truth[history]
    rates = show_up_rates(history, came)
    below, at_or_below_p90 = 0, 0
    events = 300
    for _ in range(events):
        rsvps = rng.choice(people, 50, replace=False)
        forecast = forecast_turnout(rsvp_probabilities(rates, rsvps))
        actual = int(np.sum(rng.random(50) < truth[rsvps]))
        below += actual < forecast.p10
        at_or_below_p90 += actual <= forecast.p90
    assert below / events <= 0.15
    assert at_or_below_p90 / events >= 0.85
    assert 0.75 <= (at_or_below_p90 - below) / events <= 0.95


def test_unknown_people_get_the_fallback_or_the_prior_mean():
    rates = show_up_rates(["ana", "ben"], [1, 0])
    probs = rsvp_probabilities(rates, ["ana", "zoe"], fallback=[0.1, 0.3])
    assert probs[1] == 0.3 and probs[0] == rates.rate[0]
    assert rsvp_probabilities(rates, ["zoe"])[0] == pytest.approx(rates.prior.mean)


def test_bad_probabilities_and_methods_are_refused():
    with pytest.raises(ValidationError) as err:
        forecast_turnout([0.5, 1.2])
    assert err.value.parameter == "probabilities"
    with pytest.raises(ValidationError) as err:
        forecast_turnout([0.5], method="guess")  # type: ignore[arg-type]
    assert err.value.parameter == "method"


def _ledger():
    partners = ["A"] * 6 + ["B"] * 6
    fulfil = [1, 1, 1, 0.5, 1, 0, 1, 1, 1, 1, 1, 1]
    promised = [100.0] * 12
    delivered = [100 * f for f in fulfil]
    due = ["2024-05-01"] * 12
    on = ["2024-05-01" if f > 0 else "" for f in fulfil]
    return commitment_reliability(partners, ["doors"] * 12, promised, delivered, due, on)


def test_a_delivery_forecast_mixes_the_partner_record_with_the_coalition_record():
    ledger = _ledger()
    f = forecast_delivery(ledger, "A", "doors", 200, level=0.8)
    kappa = ledger.ratio_prior.concentration
    # own six fulfilments weigh 1 each; the 12 coalition ones weigh kappa / 12 each
    own = np.array([1, 1, 1, 0.5, 1, 0])
    pooled = np.array([1, 1, 1, 0.5, 1, 0] + [1] * 6)
    mean = (own.sum() + kappa * pooled.mean()) / (6 + kappa)
    assert f.expected == pytest.approx(200 * mean)
    p_full = (4 + kappa * 10 / 12) / (6 + kappa)
    assert f.p_full == pytest.approx(p_full)
    assert f.history == 6 and f.note == ""
    stranger = forecast_delivery(ledger, "C", "doors", 100)
    assert stranger.history == 0 and "coalition-wide" in stranger.note
    assert stranger.expected == pytest.approx(100 * pooled.mean())
