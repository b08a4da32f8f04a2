"""Hypothesis properties, and the edge cases that break the other Python packages."""

from math import comb

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.power import (
    MultiConditionGame,
    WeightedGame,
    _brute,
    banzhaf,
    deegan_packel,
    holler,
    johnston,
    shapley_shubik,
    veto_players,
)
from broadfront.exceptions import TooLargeError, ValidationError


@st.composite
def games(draw, max_n=12, max_w=30):
    w = draw(st.lists(st.integers(0, max_w), min_size=1, max_size=max_n))
    if sum(w) == 0:
        w[0] = 1
    q = draw(st.integers(1, sum(w)))
    return WeightedGame(w, q)


@settings(max_examples=60, deadline=None)
@given(games())
def test_shapley_shubik_sums_to_one(game):
    assert abs(shapley_shubik(game).values.sum() - 1) < 1e-12


@settings(max_examples=60, deadline=None)
@given(games())
def test_null_players_get_nothing_and_others_something(game):
    b = banzhaf(game)
    ss = shapley_shubik(game)
    fl = banzhaf(game, method="float")
    s = ss.values
    for i in range(game.n):
        if game.weights[i] == 0:
            assert b.swings[i] == 0
        null = b.swings[i] == 0
        assert (s[i] == 0.0) == null
        assert (b.values[i] == 0.0) == null
        assert (fl.values[i] == 0.0) == (fl.absolute[i] == 0.0) == null
    bound = ss.error_bound if ss.error_bound is not None else 1e-15
    assert abs(s.sum() - 1) <= game.n * bound


@settings(max_examples=60, deadline=None)
@given(games())
def test_equal_weights_get_equal_power_and_more_weight_never_less(game):
    b = banzhaf(game)
    s = shapley_shubik(game).values
    order = np.argsort(game.weights, kind="stable")
    for a, c in zip(order[:-1], order[1:], strict=True):
        if game.weights[a] == game.weights[c]:
            assert b.swings[a] == b.swings[c]
            assert s[a] == s[c]  # bit-identical, not merely close
            assert b.values[a] == b.values[c]
        assert b.swings[a] <= b.swings[c]
        assert s[a] <= s[c] + 1e-12


@settings(max_examples=40, deadline=None)
@given(games(max_n=10, max_w=6))
def test_coalition_indices_give_null_players_zero_and_equal_weights_identical_values(game):
    null = [s == 0 for s in banzhaf(game).swings]
    for r in (holler(game), deegan_packel(game), johnston(game)):
        for i in range(game.n):
            assert (r.values[i] == 0.0) == null[i], r.index
        for x in np.unique(game.weights):
            same = r.values[game.weights == x]
            assert np.all(same == same[0]), r.index


@pytest.mark.parametrize("seed", range(12))
def test_random_games_with_zero_weights_give_their_null_players_exactly_zero(seed):
    # Nassau-like: 3 to 5 big members of equal weight B, any two of them win, and 5 to 60
    # others (some with weight 0) weighing less than B together, so all of those are null.
    # The floating-point tables used to leave rounding noise (~1e-17) on most of these games.
    rng = np.random.default_rng(700 + seed)
    big, B, r = int(rng.integers(3, 6)), int(rng.integers(200, 2000)), int(rng.integers(5, 60))
    rest = rng.integers(0, 2 * B // r, r)
    rest[rng.random(r) < 0.2] = 0
    while rest.sum() >= B:
        rest[np.argmax(rest)] //= 2
    w = np.concatenate([[B] * big, rest])
    g = WeightedGame(w, 2 * B)
    b = banzhaf(g, method="exact")
    ss = shapley_shubik(g, method="exact")
    fl = banzhaf(g, method="float")
    assert b.swings[big:] == (0,) * r and min(b.swings[:big]) > 0
    for values in (b.values, b.absolute, ss.values, fl.values, fl.absolute):
        assert values[big:].tolist() == [0.0] * r
        assert np.all(values[:big] == values[0]) and values[0] > 0
    assert abs(ss.values.sum() - 1) <= g.n * ss.error_bound


@settings(max_examples=40, deadline=None)
@given(games(max_n=8), st.lists(st.integers(0, 9), min_size=8, max_size=8))
def test_double_majority_agrees_with_enumeration(game, pops):
    pop = pops[: game.n]
    if sum(pop) == 0:
        pop[0] = 1
    multi = MultiConditionGame([game, (pop, max(1, sum(pop) // 2))])
    t = _brute.tables(multi)
    assert banzhaf(multi).swings == t.swings
    n = game.n
    for mask in range(1 << n):
        members = [i for i in range(n) if mask >> i & 1]
        assert bool(t.win[mask]) == multi.is_winning(members)


# ---- edge cases that break powerindex 0.3.5 and powerindices 1.0.2 --------------------------


def test_a_player_whose_weight_reaches_the_quota_alone_is_a_dictator():
    g = WeightedGame([60, 10, 30], 51)
    assert banzhaf(g).values.tolist() == [1.0, 0.0, 0.0]
    assert shapley_shubik(g).values.tolist() == [1.0, 0.0, 0.0]
    g = WeightedGame([100, 1, 1], 50)  # above the quota too
    assert banzhaf(g).swings == (4, 0, 0)


def test_zero_weights_are_null_players_and_do_not_change_the_others():
    with_zeros = WeightedGame([0, 3, 0, 2, 2, 0], 4)
    without = WeightedGame([3, 2, 2], 4)
    b = banzhaf(with_zeros)
    assert b.swings == (0, 16, 0, 16, 16, 0)  # every swing doubles for each null player
    assert np.allclose(b.values[[1, 3, 4]], banzhaf(without).values)
    assert np.allclose(shapley_shubik(with_zeros).values[[1, 3, 4]], shapley_shubik(without).values)


@pytest.mark.parametrize("n", [171, 200, 1000])
def test_many_equal_players_have_the_closed_form_values(n):
    k = n // 2 + 1
    g = WeightedGame([1] * n, k)
    b = banzhaf(g)
    assert b.swings == (comb(n - 1, k - 1),) * n  # exact integers far beyond 64 bits
    assert np.allclose(shapley_shubik(g).values, 1 / n, atol=1e-14)


def test_exact_swing_counts_do_not_overflow_for_1000_players():
    rng = np.random.default_rng(0)
    w = rng.integers(1, 1001, 1000)
    g = WeightedGame(w, int(w.sum()) // 2 + 1)
    b = banzhaf(g, method="exact")
    f = banzhaf(g, method="float")
    assert max(b.swings) > 2**900
    assert np.max(np.abs(f.absolute - b.absolute)) <= f.error_bound
    assert np.allclose(b.values.sum(), 1)


def test_sampling_is_reproducible_and_close_to_the_exact_values():
    g = WeightedGame([4, 4, 4, 2, 2, 1], 12)
    a = shapley_shubik(g, method="sample", samples=4000, rng=1)
    b = shapley_shubik(g, method="sample", samples=4000, rng=1)
    exact = shapley_shubik(g).values
    assert a.method == "sample" and a.samples == 4000
    assert np.array_equal(a.values, b.values)
    assert np.all(np.abs(a.values - exact) <= 5 * a.standard_errors + 1e-9)
    bz = banzhaf(g, method="sample", samples=4000, rng=2)
    assert bz.swings is None
    assert np.all(np.abs(bz.values - banzhaf(g).values) <= 5 * bz.standard_errors + 1e-3)


def test_auto_samples_games_beyond_exact_reach_and_says_so():
    rng = np.random.default_rng(3)
    w = rng.random(40) * 10  # real weights, too many players to enumerate
    g = WeightedGame(w, w.sum() * 0.5)
    r = banzhaf(g, samples=500, rng=0)
    assert r.method == "sample" and r.samples == 500
    with pytest.raises(TooLargeError, match="method='sample'"):
        banzhaf(g, method="exact")


def test_exact_refuses_a_table_over_the_memory_budget():
    w = np.random.default_rng(0).integers(1, 10**6, 30)  # totals spread over ~1.5e7
    g = WeightedGame(w, int(w.sum()) // 2 + 1)
    with pytest.raises(TooLargeError, match="MiB"):
        shapley_shubik(g, method="exact", max_memory=2**20)


def test_short_decimal_weights_are_solved_exactly():
    g = WeightedGame([0.4, 0.3, 0.3], 0.6)
    assert banzhaf(g).method == "exact"
    assert banzhaf(g).swings == (2, 2, 2)


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"weights": [1, -2], "quota": 1}, "weights"),
        ({"weights": [1, 2], "quota": 0}, "quota"),
        ({"weights": [1, 2], "quota": 4}, "quota"),
        ({"weights": [1, 2], "quota": 2, "names": ["a", "a"]}, "names"),
        ({"weights": [1, 2], "quota": 2, "names": ["a"]}, "names"),
        ({"weights": [], "quota": 1}, "weights"),
    ],
)
def test_invalid_games_name_the_bad_parameter(kwargs, parameter):
    with pytest.raises(ValidationError) as err:
        WeightedGame(**kwargs)
    assert err.value.parameter == parameter


def test_quota_fraction_is_exact_and_checked():
    assert WeightedGame.from_quota_fraction([30, 30, 40], 0.6).quota == 60
    with pytest.raises(ValidationError) as err:
        WeightedGame.from_quota_fraction([1, 2], 1.5)
    assert err.value.parameter == "fraction"


def test_bad_method_and_samples_are_refused():
    g = WeightedGame([1, 1], 2)
    with pytest.raises(ValidationError) as err:
        banzhaf(g, method="fast")
    assert err.value.parameter == "method"
    with pytest.raises(ValidationError) as err:
        shapley_shubik(g, samples=0)
    assert err.value.parameter == "samples"


def test_veto_players_are_those_every_winning_coalition_needs():
    assert veto_players(WeightedGame([1, 1], 2, names=["a", "b"])) == ("a", "b")
    assert veto_players(WeightedGame([7] * 5 + [1] * 10, 39)) == ("P1", "P2", "P3", "P4", "P5")
