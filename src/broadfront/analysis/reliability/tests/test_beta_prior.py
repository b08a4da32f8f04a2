"""The Beta prior is fitted by moments and by marginal likelihood, and posteriors are exact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from broadfront.analysis.reliability import beta_prior, fit_beta_prior, show_up_rates
from broadfront.analysis.reliability._beta import _loglik
from broadfront.exceptions import ValidationError


def test_moments_estimate_matches_the_hand_computed_overdispersion():
    # k = (3, 7), n = (10, 10): m = 1/2, S = 4/10 + 4/10 = 0.8, S / m(1-m) = 3.2,
    # rho = (3.2 - 1) / (20 - 2 + 1 - 200/20) = 2.2 / 9, kappa = 1 / rho - 1.
    prior = fit_beta_prior([3, 7], [10, 10], method="moments")
    assert prior.mean == pytest.approx(0.5)
    assert prior.concentration == pytest.approx(9 / 2.2 - 1)
    assert not prior.capped


def test_groups_with_no_extra_spread_are_pooled_up_to_the_cap():
    prior = fit_beta_prior([5, 5, 5, 5], [10, 10, 10, 10], method="mle")
    assert prior.capped and prior.concentration == pytest.approx(40.0)
    assert prior.mean == pytest.approx(0.5, abs=1e-6)


def test_log_likelihood_equals_the_sum_of_scipy_beta_binomial_log_pmfs():
    k = np.array([0.0, 3, 7, 10])
    n = np.array([5.0, 10, 10, 12])
    a, b = 2.5, 4.0
    binom = np.sum(np.log([stats.binom.pmf(ki, ni, 0.5) / 0.5**ni for ki, ni in zip(k, n, strict=True)]))
    expected = np.sum(stats.betabinom.logpmf(k, n, a, b)) - binom
    assert _loglik(k, n, a / (a + b), a + b) == pytest.approx(expected)


def test_marginal_maximum_likelihood_beats_every_point_of_a_grid():
    rng = np.random.default_rng(7)
    n = rng.integers(5, 30, 60).astype(float)
    k = rng.binomial(n.astype(int), rng.beta(3, 5, 60)).astype(float)
    prior = fit_beta_prior(k, n, method="mle")
    best = _loglik(k, n, prior.mean, prior.concentration)
    for m in np.linspace(0.05, 0.95, 37):
        for kappa in np.geomspace(0.1, 500, 40):
            assert best >= _loglik(k, n, m, kappa) - 1e-7


def test_marginal_maximum_likelihood_recovers_the_true_prior_on_many_groups():
    rng = np.random.default_rng(2024)
    n = np.full(4000, 20)
    k = rng.binomial(n, rng.beta(6.0, 4.0, n.size))
    for method in ("mle", "moments"):
        prior = fit_beta_prior(k, n, method=method)
        assert prior.mean == pytest.approx(0.6, abs=0.01)
        assert prior.concentration == pytest.approx(10.0, rel=0.2)


def test_posterior_is_the_conjugate_beta_with_its_exact_quantiles():
    # Beta(2, 3) prior, 4 of 6 came: posterior Beta(6, 5) (Gelman et al. 2013, section 2.4).
    rates = show_up_rates(["a"] * 6, [1, 1, 1, 1, 0, 0], prior=beta_prior(2, 3), level=0.9)
    assert rates.posterior_alpha[0] == 6 and rates.posterior_beta[0] == 5
    assert rates.rate[0] == pytest.approx(6 / 11)
    assert rates.low[0] == pytest.approx(stats.beta.ppf(0.05, 6, 5))
    assert rates.high[0] == pytest.approx(stats.beta.ppf(0.95, 6, 5))


def test_bad_counts_and_methods_are_refused_with_the_parameter_named():
    with pytest.raises(ValidationError) as err:
        fit_beta_prior([3], [2])
    assert err.value.parameter == "successes"
    with pytest.raises(ValidationError) as err:
        fit_beta_prior([1], [2], method="bayes")  # type: ignore[arg-type]
    assert err.value.parameter == "method"
    with pytest.raises(ValidationError):
        beta_prior(0, 1)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 30)), min_size=2, max_size=12),
       st.sampled_from(["mle", "moments"]))
def test_a_fitted_prior_is_a_proper_beta_with_mean_in_the_unit_interval(pairs, method):
    n = np.array([max(a, b) for a, b in pairs], dtype=float)
    k = np.array([min(a, b) for a, b in pairs], dtype=float)
    prior = fit_beta_prior(k, n, method=method)
    assert 0 < prior.mean < 1
    assert prior.concentration > 0
    assert prior.concentration <= n.sum() + 1e-9 or min(prior.alpha, prior.beta) == (
        pytest.approx(0.5))
    assert prior.alpha >= 0.5 - 1e-9 and prior.beta >= 0.5 - 1e-9
