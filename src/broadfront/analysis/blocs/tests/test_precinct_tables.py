"""The exact precinct tables behind propagate_bloc, and the two ways it samples a precinct.

A precinct is either sampled by inverse CDF from an exact table of P(bloc wins w delegates)
or simulated draw by draw (share ~ Beta, two Poisson counts). Both must follow the law
"attendance ~ Poisson(a), bloc share ~ Beta(mean, sd), bloc ~ Binomial(attendance, share),
seats by the DFL walking-subcaucus rule". The references below are computed by brute force
with scipy's Poisson and beta-binomial distributions (Johnson, Kemp and Kotz, *Univariate
Discrete Distributions*, 3rd ed., 2005, Sec. 6.7.2 for the beta-binomial).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from broadfront.analysis.blocs import LEVELS, _kernels, propagate_bloc, walking_subcaucus_two_groups
from broadfront.analysis.blocs import propagation as prop


def _beta_parameters(mean: float, sd: float) -> tuple[float, float, bool]:
    if sd == 0 or mean in (0.0, 1.0):
        return 1.0, 1.0, False
    kappa = mean * (1 - mean) / (sd * sd) - 1
    return mean * kappa, (1 - mean) * kappa, True


def _brute_force_table(a: float, mean: float, sd: float, d: int) -> np.ndarray:
    """P(won = w), w = 0..d, summing Poisson attendance and (beta-)binomial bloc counts."""
    alpha, beta, random_share = _beta_parameters(mean, sd)
    out = np.zeros(d + 1)
    top = int(a + 15 * np.sqrt(a) + 40)
    for n in range(top + 1):
        pn = stats.poisson.pmf(n, a)
        b = np.arange(n + 1)
        if random_share:
            pb = stats.betabinom.pmf(b, n, alpha, beta)
        else:
            pb = stats.binom.pmf(b, n, mean)
        nn, dd = np.full(b.shape, n), np.full(b.shape, d)
        lo = walking_subcaucus_two_groups(b, nn, dd, np.full(b.shape, 0.9))  # coin: the rest
        hi = walking_subcaucus_two_groups(b, nn, dd, np.full(b.shape, 0.1))  # coin: the bloc
        np.add.at(out, lo, 0.5 * pn * pb)
        np.add.at(out, hi, 0.5 * pn * pb)
    return out


def _kernel_table(a: float, mean: float, sd: float, d: int) -> np.ndarray:
    alpha, beta, random_share = _beta_parameters(mean, sd)
    offsets = np.array([0, d + 1], dtype=np.int64)
    return _kernels.precinct_pmf(
        np.array([a]), np.array([mean]), np.array([alpha]), np.array([beta]),
        np.array([random_share]), np.array([d], dtype=np.int64), np.array([True]), offsets,
    )


CASES = [
    (12.0, 0.3, 0.0, 4),  # fixed share: binomial head count
    (12.0, 0.3, 0.1, 4),  # unimodal beta-binomial
    (30.0, 0.1, 0.08, 6),  # alpha < 1: J-shaped beta share, no tail cut-off
    (25.0, 0.5, 0.4, 5),  # alpha, beta < 1: U-shaped
    (40.0, 0.12, 0.04, 3),
    (3.0, 0.2, 0.1, 9),  # more seats than most caucuses have people
    (8.0, 0.0, 0.0, 3),  # nobody from the bloc
    (8.0, 1.0, 0.0, 3),  # everybody is the bloc
    (0.0, 0.4, 0.1, 3),  # nobody comes
    (20.0, 0.4, 0.1, 0),  # no seats
    (200.0, 0.25, 0.05, 12),  # a big caucus
]


@pytest.mark.parametrize(("a", "mean", "sd", "d"), CASES)
def test_the_precinct_table_matches_brute_force_summation(a, mean, sd, d):
    table = _kernel_table(a, mean, sd, d)
    assert table.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(table, _brute_force_table(a, mean, sd, d), rtol=1e-9, atol=1e-14)


def test_a_table_sums_to_one_within_rounding_before_it_is_renormalized():
    for a, mean, sd, d in CASES:
        alpha, beta, random_share = _beta_parameters(mean, sd)
        acc = np.zeros(d + 1)
        _kernels._precinct_table(acc, 0, a, mean, alpha, beta, random_share, d)
        assert abs(acc.sum() - 1.0) < 1e-12


@settings(max_examples=25, deadline=None)
@given(
    a=st.floats(0.5, 60.0),
    mean=st.floats(0.01, 0.99),
    sd_fraction=st.one_of(st.just(0.0), st.floats(0.02, 0.95)),
    d=st.integers(1, 12),
)
def test_tables_match_brute_force_for_any_small_precinct(a, mean, sd_fraction, d):
    sd = sd_fraction * np.sqrt(mean * (1 - mean))
    np.testing.assert_allclose(
        _kernel_table(a, mean, sd, d), _brute_force_table(a, mean, sd, d), rtol=1e-8, atol=1e-13
    )


def test_a_nearly_fixed_share_gives_nearly_the_binomial_table():
    # Beta shapes near 10^13: lgamma differences would cancel catastrophically; the table
    # must still be the fixed-share (binomial) one to many digits.
    np.testing.assert_allclose(
        _kernel_table(30.0, 0.4, 1e-7, 5), _kernel_table(30.0, 0.4, 0.0, 5), rtol=1e-6, atol=1e-12
    )


def _precinct_sample(monkeypatch, work: float, a: float, mean: float, sd: float, d: int,
                     draws: int, seed: int) -> np.ndarray:
    monkeypatch.setattr(prop, "_TABLE_WORK_PER_DRAW", work)
    r = propagate_bloc([mean], sd, [a], [d], [0], [1], draws=draws, rng=seed)
    return r.samples[LEVELS[0]]


@pytest.mark.parametrize("work", [0.0, float("inf")], ids=["simulated", "tabled"])
@pytest.mark.parametrize(("a", "mean", "sd", "d"), [(12.0, 0.3, 0.1, 4), (25.0, 0.5, 0.4, 5),
                                                    (40.0, 0.12, 0.04, 3)])
def test_both_samplers_follow_the_exact_law_by_a_chi_square_test(monkeypatch, work, a, mean, sd, d):
    draws = 20_000
    sample = _precinct_sample(monkeypatch, work, a, mean, sd, d, draws, seed=7)
    expected = _brute_force_table(a, mean, sd, d) * draws
    observed = np.bincount(sample, minlength=d + 1).astype(float)
    keep = expected > 5  # pool the sparse cells
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    if exp[-1] == 0:
        obs, exp = obs[:-1], exp[:-1]
    _, pvalue = stats.chisquare(obs, exp * obs.sum() / exp.sum())
    assert pvalue > 1e-4  # fixed seed: deterministic, not flaky


def test_each_sampler_is_reproducible_from_its_seed(monkeypatch):
    for work in (0.0, float("inf")):
        a = _precinct_sample(monkeypatch, work, 30.0, 0.2, 0.1, 5, 500, seed=3)
        b = _precinct_sample(monkeypatch, work, 30.0, 0.2, 0.1, 5, 500, seed=3)
        assert np.array_equal(a, b)


def test_a_campaign_mixing_tabled_and_simulated_precincts_has_the_exact_expectation(monkeypatch):
    # Small caucuses get tables, the two big ones are simulated (work budget between them).
    monkeypatch.setattr(prop, "_TABLE_WORK_PER_DRAW", 1.0)
    att = [10.0, 15.0, 20.0, 400.0, 600.0]
    mean = [0.2, 0.3, 0.1, 0.25, 0.15]
    sd = [0.05, 0.1, 0.0, 0.05, 0.03]
    pdel = [2, 3, 4, 9, 11]
    draws = 8_000
    horizon = np.asarray(att) + 10 * np.sqrt(att) + 20
    tabled = 0.5 * horizon**2 <= 1.0 * draws
    assert tabled.any() and not tabled.all()
    r = propagate_bloc(mean, sd, att, pdel, [0, 0, 1, 1, 1], [3, 4], draws=draws, rng=5)
    exact = [(_brute_force_table(a, m, s, d) * np.arange(d + 1)).sum()
             for a, m, s, d in zip(att, mean, sd, pdel, strict=True)]
    sample = r.samples[LEVELS[0]]
    assert abs(sample.mean() - sum(exact)) < 4 * sample.std() / np.sqrt(draws)
    for got, want in zip(r.precinct_expected, exact, strict=True):
        assert abs(got - want) < 0.08 + 0.03 * want


def _exact_state_expectation(tables, pdel, seats, keep):
    """E[bloc delegates elected by one district], enumerating every district total."""
    dist = np.array([1.0])
    for t in tables:
        dist = np.convolve(dist, t)
    total = sum(pdel)
    out = 0.0
    for won, p_won in enumerate(dist):
        if p_won == 0:
            continue
        for bp in range(won + 1):
            pb = stats.binom.pmf(bp, won, keep)
            for op in range(total - won + 1):
                po = stats.binom.pmf(op, total - won, keep)
                n = bp + op
                lo = walking_subcaucus_two_groups(np.array(bp), np.array(n), np.array(seats), np.array(0.9))
                hi = walking_subcaucus_two_groups(np.array(bp), np.array(n), np.array(seats), np.array(0.1))
                out += p_won * pb * po * (float(lo) + float(hi)) / 2
    return out


def test_district_convention_expectation_matches_exact_enumeration():
    att, mean, sd, pdel, seats, keep = [20.0, 30.0], [0.35, 0.25], [0.1, 0.05], [3, 4], 2, 0.8
    tables = [_brute_force_table(a, m, s, d) for a, m, s, d in zip(att, mean, sd, pdel, strict=True)]
    exact = _exact_state_expectation(tables, pdel, seats, keep)
    draws = 20_000
    r = propagate_bloc(mean, sd, att, pdel, [0, 0], [seats], attrition=0.2, draws=draws, rng=9)
    sample = r.samples[LEVELS[1]]
    assert abs(sample.mean() - exact) < 4 * sample.std() / np.sqrt(draws)
