"""The per-game cached data and the fast result paths give the same answers as before."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.power import WeightedGame, _null, banzhaf, shapley_shubik
from broadfront.analysis.power.indices import _banzhaf_from_swings

weight_lists = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(weight_lists)
def test_the_cached_types_are_those_of_numpy_unique(weights):
    if sum(weights) == 0:
        return
    data = WeightedGame(weights, 1)._integer_data
    tw, inverse, counts = np.unique(weights, return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(data.types, tw)
    np.testing.assert_array_equal(data.inverse, inverse)
    np.testing.assert_array_equal(data.counts, counts)
    np.testing.assert_array_equal(data.sorted, np.sort(weights))
    assert data.inverse_list == inverse.tolist()
    assert data.total == sum(weights)


def test_the_cached_data_is_read_only_and_computed_once():
    g = WeightedGame([3, 2, 2], 4)
    assert g._integer_data is g._integer_data
    assert not g._integer_data.types.flags.writeable
    assert not g._integer_data.sorted.flags.writeable


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**40), min_size=1, max_size=60))
def test_vectorized_banzhaf_values_equal_python_integer_division(swings):
    n = len(swings)
    r = _banzhaf_from_swings(tuple(f"P{i}" for i in range(n)), tuple(swings), n, "exact")
    total = sum(swings)
    assert r.values.tolist() == ([s / total for s in swings] if total else [0.0] * n)
    assert r.absolute.tolist() == [s / 2 ** (n - 1) for s in swings]


def test_huge_swing_counts_still_take_the_exact_integer_division():
    n = 100
    swings = (2**97 + 1, 2**96, 3)
    r = _banzhaf_from_swings(("a", "b", "c"), swings, n, "exact")
    assert r.values.tolist() == [s / sum(swings) for s in swings]
    assert r.absolute.tolist() == [s / 2 ** (n - 1) for s in swings]


def test_no_null_player_is_reported_as_none_and_null_players_as_a_mask():
    iw = np.array([5, 3, 3, 1], dtype=np.int64)  # quota 11: the player of weight 1 is null
    assert _null.null_players(iw, 11, np.array([0.5, 0.2, 0.2, 1e-17]), 1e-12).tolist() == [
        False, False, False, True
    ]
    assert _null.null_players(iw, 11, np.array([0.5, 0.2, 0.2, 0.1]), 1e-12) is None


def test_repeated_calls_on_one_game_give_equal_independent_results():
    g = WeightedGame([54, 40, 30, 28, 19, 19, 17, 16, 16, 15, 1], 130)
    first_b, first_s = banzhaf(g), shapley_shubik(g)
    first_b.values[:] = -1.0  # results do not share arrays with the game's cache
    second_b, second_s = banzhaf(g), shapley_shubik(g)
    assert second_b.swings == first_b.swings
    assert np.all(second_b.values >= 0)
    np.testing.assert_array_equal(second_s.values, first_s.values)
