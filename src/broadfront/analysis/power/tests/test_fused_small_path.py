"""The fused small-game Banzhaf path gives exactly the general path's result."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.power import WeightedGame, _kernels, banzhaf, indices
from broadfront.analysis.power.tests.test_published import nassau_1964

assert _kernels  # loaded: the fused path runs only once the numba kernels are imported

# 2024 and 2028 apportionment (2020 census), Maine and Nebraska as single units; quota 270.
ELECTORAL_2024 = [9, 3, 11, 6, 54, 10, 7, 3, 3, 30, 16, 4, 4, 19, 11, 6, 6, 8, 8, 4, 10, 11, 15,
                  10, 6, 10, 4, 5, 6, 4, 14, 5, 28, 16, 3, 17, 7, 8, 19, 4, 9, 3, 11, 40, 6, 3,
                  13, 12, 4, 10, 3]


def general(game, monkeypatch):
    with monkeypatch.context() as mp:
        mp.setattr(indices, "_banzhaf_small_fast", lambda game, max_memory: None)
        return banzhaf(game, method="exact")


def assert_identical(game, monkeypatch):
    fast = indices._banzhaf_small_fast(game, indices.EXACT_MEMORY_BUDGET)
    assert fast is not None
    ref = general(game, monkeypatch)
    assert fast.swings == ref.swings
    assert all(type(s) is int for s in fast.swings)
    assert fast.values.dtype == ref.values.dtype == np.float64
    assert fast.values.tobytes() == ref.values.tobytes()
    assert fast.absolute.tobytes() == ref.absolute.tobytes()
    assert (fast.index, fast.names, fast.method, fast.error_bound) == (
        ref.index, ref.names, ref.method, ref.error_bound,
    )
    assert banzhaf(game).swings == ref.swings  # the public call takes the fused path too


def test_the_electoral_college_is_bit_identical_on_the_fused_path(monkeypatch):
    assert_identical(WeightedGame(ELECTORAL_2024, 270), monkeypatch)


def test_nassau_county_is_bit_identical_and_keeps_its_three_powerless_members(monkeypatch):
    game = nassau_1964()
    assert_identical(game, monkeypatch)
    swings = banzhaf(game).swings
    assert [game.names[i] for i, s in enumerate(swings) if s == 0] == [
        "North Hempstead", "Glen Cove", "Long Beach",
    ]


def test_the_1958_eec_council_is_bit_identical_and_luxembourg_has_no_power(monkeypatch):
    game = WeightedGame([4, 4, 4, 2, 2, 1], 12, names=["FR", "DE", "IT", "BE", "NL", "LU"])
    assert_identical(game, monkeypatch)
    assert banzhaf(game).swings[-1] == 0


def test_a_council_of_a_hundred_needs_two_primes_and_is_bit_identical(monkeypatch):
    w = np.random.default_rng(0).integers(1, 21, 100)
    assert_identical(WeightedGame(w, int(w.sum()) // 2 + 1), monkeypatch)


def test_six_hundred_players_with_zero_weights_are_bit_identical(monkeypatch):
    w = np.random.default_rng(1).integers(0, 100, 600)
    assert_identical(WeightedGame(w, int(w.sum()) * 2 // 3), monkeypatch)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=80).filter(lambda w: sum(w) > 0),
    st.floats(0.01, 1.0),
)
def test_random_games_are_bit_identical_on_the_fused_path(weights, fraction):
    game = WeightedGame(weights, max(fraction * sum(weights), 0.5))
    with pytest.MonkeyPatch.context() as mp:
        assert_identical(game, mp)


@pytest.mark.parametrize(
    "game, max_memory",
    [
        (WeightedGame([1.5, 2, 3], 4), indices.EXACT_MEMORY_BUDGET),  # not integers
        (WeightedGame([40_000, 30_000, 1], 50_000), indices.EXACT_MEMORY_BUDGET),  # total > 2^16
        (WeightedGame([1] * 601, 301), indices.EXACT_MEMORY_BUDGET),  # too many players
        (WeightedGame([3, 2, 2], 4), 100),  # the general plan decides under a tiny budget
    ],
)
def test_games_outside_the_fused_path_go_the_general_way(game, max_memory):
    assert indices._banzhaf_small_fast(game, max_memory) is None


def test_one_prime_with_counts_totalling_beyond_2_53_divides_python_integers(monkeypatch):
    # 59 equal members need one prime, and their swings total about 3.5e18 > 2^53
    game = WeightedGame([1] * 59, 30)
    assert sum(general(game, monkeypatch).swings) > 2**53
    assert_identical(game, monkeypatch)


def test_a_council_of_two_hundred_needs_three_primes_and_is_bit_identical(monkeypatch):
    w = np.random.default_rng(2).integers(1, 50, 200)
    assert_identical(WeightedGame(w, int(w.sum()) * 2 // 3), monkeypatch)
