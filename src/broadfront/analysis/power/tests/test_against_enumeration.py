"""Every index against plain enumeration of coalitions, and exact rationals on small games."""

from fractions import Fraction
from itertools import combinations
from math import comb, factorial

import numpy as np
import pytest

from broadfront.analysis.power import (
    MultiConditionGame,
    WeightedGame,
    _brute,
    banzhaf,
    blocking_coalitions,
    coleman,
    convention,
    critical_members,
    deegan_packel,
    holler,
    johnston,
    minimal_winning_coalitions,
    robustness,
    shapley_shubik,
)


def wins(game, coalition):
    return all(sum(c.weights[i] for i in coalition) >= c.quota for c in game.conditions)


def naive(game):
    """Straight from the definitions, with itertools (independent of the engine)."""
    n = game.n
    swings = [0] * n
    shapley = [Fraction(0)] * n
    minimal = []
    johnston_scores = [Fraction(0)] * n
    for size in range(n + 1):
        for s in combinations(range(n), size):
            if not wins(game, s):
                continue
            crit = [i for i in s if not wins(game, [j for j in s if j != i])]
            for i in crit:
                swings[i] += 1
                shapley[i] += Fraction(factorial(size - 1) * factorial(n - size), factorial(n))
                johnston_scores[i] += Fraction(1, len(crit))
            if len(crit) == len(s):
                minimal.append(s)
    return swings, shapley, minimal, johnston_scores


def random_game(rng, n, high=12, zeros=True):
    w = rng.integers(0 if zeros else 1, high, n)
    if w.sum() == 0:
        w[0] = 1
    return WeightedGame(w, int(rng.integers(1, w.sum() + 1)))


@pytest.mark.parametrize("seed", range(25))
def test_small_games_match_the_definitions_exactly(seed):
    rng = np.random.default_rng(seed)
    game = random_game(rng, int(rng.integers(1, 8)))
    swings, shapley, minimal, jo = naive(game)
    assert banzhaf(game, method="exact").swings == tuple(swings)
    ss = shapley_shubik(game, method="exact").values
    assert np.allclose(ss, [float(x) for x in shapley], atol=1e-13)
    mwc = minimal_winning_coalitions(game)
    assert mwc.count == len(minimal)
    assert sorted(mwc.coalitions) == sorted(tuple(game.names[i] for i in s) for s in minimal)
    pgi = np.array([sum(i in s for s in minimal) for i in range(game.n)], float)
    assert np.allclose(holler(game).values, pgi / pgi.sum())
    dp = np.array([sum(1 / len(s) for s in minimal if i in s) for i in range(game.n)])
    assert np.allclose(deegan_packel(game).values, dp / dp.sum())
    jf = np.array([float(x) for x in jo])
    assert np.allclose(johnston(game).values, jf / jf.sum())


@pytest.mark.parametrize("seed", range(12))
def test_generating_functions_agree_with_enumeration_up_to_15_players(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(8, 16))
    game = random_game(rng, n, high=int(rng.choice([5, 50, 1000])))
    tables = _brute.tables(game)
    assert banzhaf(game, method="exact").swings == tables.swings
    exact = _brute.shapley_fractions(tables)
    table = shapley_shubik(game, method="exact")
    assert np.max(np.abs(table.values - [float(x) for x in exact])) <= table.error_bound
    fl = banzhaf(game, method="float")
    assert np.max(np.abs(fl.absolute - np.array(tables.swings) / 2 ** (n - 1))) <= fl.error_bound
    c = coleman(game)
    assert c.winning == int(tables.win.sum())
    assert minimal_winning_coalitions(game, limit=0).count == _brute.minimal_winning_masks(tables).size


def test_exact_rational_shapley_shubik_values_of_a_small_game():
    # [4; 3, 2, 1, 1]: orders of 4 players, 24 in all; hand count gives 12, 4, 4, 4.
    r = shapley_shubik(WeightedGame([3, 2, 1, 1], 4), method="exact")
    assert np.allclose(r.values, [1 / 2, 1 / 6, 1 / 6, 1 / 6])
    fr = _brute.shapley_fractions(_brute.tables(WeightedGame([3, 2, 1, 1], 4)))
    assert fr == (Fraction(1, 2), Fraction(1, 6), Fraction(1, 6), Fraction(1, 6))


@pytest.mark.parametrize("seed", range(8))
def test_double_majority_agrees_with_enumeration(seed):
    rng = np.random.default_rng(200 + seed)
    n = int(rng.integers(2, 9))
    seats = rng.integers(1, 6, n)
    pop = rng.integers(1, 100, n)
    game = MultiConditionGame(
        [(seats, int(seats.sum()) // 2 + 1), (pop, float(pop.sum()) * 0.62)]
    )
    swings, shapley, minimal, _ = naive(game)
    assert banzhaf(game).swings == tuple(swings)
    assert np.allclose(shapley_shubik(game).values, [float(x) for x in shapley])
    assert minimal_winning_coalitions(game).count == len(minimal)


@pytest.mark.parametrize("seed", range(8))
def test_blocking_and_robustness_match_enumeration(seed):
    rng = np.random.default_rng(300 + seed)
    game = random_game(rng, int(rng.integers(2, 8)), zeros=False)
    n = game.n
    blocks = [
        s for k in range(n + 1) for s in combinations(range(n), k)
        if not wins(game, [i for i in range(n) if i not in s])
    ]
    minimal = [s for s in blocks if not any(set(b) < set(s) for b in blocks)]
    assert blocking_coalitions(game).count == len(minimal)
    coalition = [i for i in range(n) if rng.random() < 0.7] or list(range(n))
    r = robustness(game, coalition)
    if not wins(game, coalition):
        assert not r.winning and r.size == 0
        return
    breaking = [
        d for k in range(1, len(coalition) + 1) for d in combinations(coalition, k)
        if not wins(game, [i for i in coalition if i not in d])
    ]
    smallest = min(len(d) for d in breaking)
    assert r.size == smallest
    assert r.count == sum(len(d) == smallest for d in breaking)
    assert not wins(game, [i for i in coalition if game.names[i] not in r.example])
    crit = critical_members(game, coalition)
    assert crit == tuple(game.names[d[0]] for d in breaking if len(d) == 1)


def test_a_convention_of_1300_delegates_and_five_blocs_matches_a_count_by_type():
    blocs = {"A": 130, "B": 90, "C": 60, "D": 45, "E": 25}
    game = convention(blocs, 1300, quota_fraction=0.6)
    n, q = game.n, int(np.ceil(game.quota))
    ss = shapley_shubik(game)
    bz = banzhaf(game)
    sizes = list(blocs.values())
    d = 1300
    for b, wb in enumerate(sizes):
        others = [w for j, w in enumerate(sizes) if j != b]
        swings = 0
        pivot = Fraction(0)
        for k in range(len(others) + 1):
            for sub in combinations(others, k):
                base = sum(sub)
                for m in range(max(0, q - wb - base), min(d, q - 1 - base) + 1):
                    swings += comb(d, m)
                    size = k + m
                    pivot += comb(d, m) * Fraction(
                        factorial(size) * factorial(n - 1 - size), factorial(n)
                    )
        assert bz.swings[b] == swings
        assert abs(ss.values[b] - float(pivot)) <= ss.error_bound
    assert abs(ss.values.sum() - 1) < 1e-9
