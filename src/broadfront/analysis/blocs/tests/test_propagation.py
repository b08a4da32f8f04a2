"""Propagating a bloc through precinct caucus, district and state conventions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from broadfront.analysis.blocs import LEVELS, propagate_bloc, walking_subcaucus_two_groups
from broadfront.analysis.caucus import allocate_dfl
from broadfront.exceptions import ValidationError


def test_the_vectorized_two_group_rule_agrees_with_the_exact_dfl_rule_everywhere_small():
    cases = [(b, n, d) for n in range(0, 25) for b in range(0, n + 1) for d in range(1, 8)]
    b, n, d = (np.array(x) for x in zip(*cases, strict=True))
    for coin in (0.1, 0.9):  # the coin only matters for exact half-and-half ties
        fast = walking_subcaucus_two_groups(b, n, d, np.full(b.shape, coin))
        for (bi, ni, di), got in zip(cases, fast, strict=True):
            if ni == 0:
                assert got == 0
                continue
            outcomes = {
                allocate_dfl({"bloc": bi, "rest": ni - bi}, di, rng=s).allocation["bloc"]
                for s in range(4)
            }
            assert got in outcomes
            if len(outcomes) == 1:
                assert got == outcomes.pop()


def test_the_walking_subcaucus_example_for_a_bloc_of_twenty_of_a_hundred():
    won = walking_subcaucus_two_groups(np.array([20, 19]), np.array([100, 100]), np.array([5, 5]), np.zeros(2))
    assert won.tolist() == [1, 0]  # 20 is exactly the viability number; 19 is not viable


def _exact_precinct_mean(lam, share, d):
    # E[won] summing over Poisson attendance and Binomial bloc members, coin ties at 1/2
    total = 0.0
    for n in range(0, int(lam * 4) + 20):
        pn = stats.poisson.pmf(n, lam)
        for b in range(n + 1):
            pb = stats.binom.pmf(b, n, share)
            lo = walking_subcaucus_two_groups(np.array(b), np.array(n), np.array(d), np.array(0.0))
            hi = walking_subcaucus_two_groups(np.array(b), np.array(n), np.array(d), np.array(0.9))
            total += pn * pb * (float(lo) + float(hi)) / 2
    return total


def test_monte_carlo_precinct_expectation_matches_the_exact_sum():
    lam, share, d = 12.0, 0.3, 4
    r = propagate_bloc([share], 0.0, [lam], [d], [0], [2], draws=20_000, rng=3)
    exact = _exact_precinct_mean(lam, share, d)
    sample = r.samples[LEVELS[0]]
    se = sample.std() / np.sqrt(sample.size)
    assert abs(sample.mean() - exact) < 4 * se
    assert r.precinct_expected[0] == pytest.approx(sample.mean())


def test_the_same_seed_gives_the_same_draws_and_block_size_does_not_matter():
    args = ([0.2, 0.3, 0.25], 0.05, [40, 60, 30], [4, 5, 3], [0, 1, 1], [3, 4])
    a = propagate_bloc(*args, draws=300, rng=11, block_size=300)
    b = propagate_bloc(*args, draws=300, rng=11, block_size=300)
    assert all(np.array_equal(a.samples[k], b.samples[k]) for k in a.samples)
    c = propagate_bloc(*args, draws=300, rng=11, block_size=7)
    assert c.draws == 300 and c.samples[LEVELS[2]].shape == (300,)


def test_full_attrition_loses_every_delegate_after_the_caucuses():
    r = propagate_bloc([0.5, 0.5], 0.0, [50, 50], [5, 5], [0, 0], [4], attrition=1.0, draws=100, rng=0)
    assert r.levels[0].expected > 0
    assert r.levels[1].expected == 0 and r.levels[2].expected == 0


def test_without_attrition_every_state_delegate_is_seated():
    r = propagate_bloc([0.4] * 6, 0.1, [50] * 6, [5] * 6, [0, 0, 1, 1, 2, 2], [3, 3, 3], attrition=0.0, draws=200, rng=2)
    assert np.array_equal(r.samples[LEVELS[1]], r.samples[LEVELS[2]])
    assert r.levels[2].seats == 9
    assert 0 <= r.probability_can_block <= 1


def test_a_district_without_precincts_elects_nobody_from_the_bloc():
    r = propagate_bloc([0.9], 0.0, [50], [5], [0], [3, 3], attrition=0.0, draws=50, rng=0)
    assert r.district_expected[1] == 0 and r.district_expected[0] > 0


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"share_mean": [1.5]}, "share_mean"),
        ({"share_sd": 0.6}, "share_sd"),
        ({"attendance": [-1]}, "attendance"),
        ({"district_of": [3]}, "district_of"),
        ({"attrition": 1.5}, "attrition"),
        ({"precinct_delegates": [2.5]}, "precinct_delegates"),
        ({"draws": 0}, "draws"),
        ({"threshold": 0}, "threshold"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(kwargs, parameter):
    base = {
        "share_mean": [0.2], "share_sd": 0.05, "attendance": [30], "precinct_delegates": [3],
        "district_of": [0], "district_delegates": [2], "draws": 10, "rng": 0,
    }
    base.update(kwargs)
    with pytest.raises(ValidationError) as info:
        propagate_bloc(**base)
    assert info.value.parameter == parameter


def test_beta_share_has_the_requested_mean_and_spread():
    # With a huge caucus the bloc's head count share follows the Beta share closely.
    r = propagate_bloc([0.3], 0.1, [5000], [1000], [0], [1], draws=4000, rng=5)
    shares = r.samples[LEVELS[0]] / 1000
    assert shares.mean() == pytest.approx(0.3, abs=0.01)
    assert shares.std() == pytest.approx(0.1, abs=0.01)


def test_more_members_never_mean_fewer_delegates_at_a_caucus():
    for n, d in itertools.product(range(1, 30), range(1, 6)):
        b = np.arange(n + 1)
        won = walking_subcaucus_two_groups(b, np.full(b.shape, n), np.full(b.shape, d), np.zeros(b.shape))
        assert np.all(np.diff(won) >= 0)
