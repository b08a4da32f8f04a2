"""Exact Banzhaf counts modulo several primes, rebuilt by the Chinese remainder theorem.

The reference is a plain dynamic program over Python integers (arbitrary precision), written
here independently of the engine: for each player, the coalitions of the others by total
weight, and the swings straight from the definition (others lose, others plus the player win).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.power import WeightedGame, _modular, _small, banzhaf, coleman


@pytest.fixture(autouse=True)
def compiled_kernels_only(monkeypatch):
    """Every game here goes to the numba kernels (test_small_path checks the numpy path)."""
    monkeypatch.setattr(_small, "fits", lambda T, work: False)


def python_int_swings(weights, quota):
    """Swings of each player and the number of winning coalitions, with Python integers.

    ``c`` counts all coalitions by total weight; dividing ``prod (1 + x^w)`` by the player's
    factor ``1 + x^w`` (``o[t] = c[t] - o[t - w]``) counts the coalitions of the others.
    """
    total = sum(weights)
    c = [0] * (total + 1)
    c[0] = 1
    for w in weights:
        for t in range(total, w - 1, -1):
            c[t] += c[t - w]
    by_weight = {}
    for w in set(weights):
        o = [0] * (total + 1)
        for t in range(total + 1):
            o[t] = c[t] - (o[t - w] if t >= w else 0) if w else c[t] // 2
        by_weight[w] = sum(o[max(0, quota - w) : quota])
    return [by_weight[w] for w in weights], sum(c[quota:])


def test_the_primes_are_distinct_primes_below_two_to_the_62():
    primes = _modular.primes_below_limit(20)
    assert len(set(primes)) == 20
    assert all(p < 2**62 for p in primes)
    assert all(_modular._is_prime(p) for p in primes)
    assert not any(_modular._is_prime(p) for p in (2**62 - 1, 561, 3215031751, 1))


@pytest.mark.parametrize("limit", [_modular.PRIME_LIMIT, _modular.SMALL_PRIME_LIMIT])
def test_the_tabulated_primes_are_exactly_the_largest_primes_below_the_limit(limit):
    table = [limit - g for g in _modular._GAPS[limit]]
    found, m = [], limit - 1
    while len(found) < len(table):
        if _modular._is_prime(m):
            found.append(m)
        m -= 1
    assert table == found
    more = _modular.primes_below_limit(len(table) + 3, limit)
    assert more[: len(table)] == table and more[-1] < table[-1] and _modular._is_prime(more[-1])


def test_the_chinese_remainder_theorem_rebuilds_numbers_of_a_thousand_bits():
    k = _modular.primes_for_bits(1000)
    primes, _, M = _modular.crt_basis(k)
    assert M > 2**1000
    rng = np.random.default_rng(3)
    xs = [int(rng.integers(0, 2**62)) ** 16 + int(rng.integers(0, 100)) for _ in range(5)]
    xs += [0, 1, 2**1000 - 1]
    residues = np.array([[x % int(p) for p in primes] for x in xs], dtype=np.int64)
    assert _modular.crt(residues, k) == xs


@pytest.mark.parametrize(
    "weights",
    [
        [1] * 150,  # one type; counts up to 2^150 need three primes
        [0, 0, 3] + [1, 2] * 70,  # zero weights double every count
        list(range(1, 131, 3)) * 3,  # weights below and above the 64-entry chunk size
        [700, 300, 90, 64, 63, 1] * 12,  # players with equal weight across wave groups
    ],
)
def test_exact_swings_agree_with_python_integers_when_counts_exceed_64_bits(weights):
    total = sum(weights)
    for quota in (total // 2 + 1, max(1, total // 3), total):
        swings, winning = python_int_swings(weights, quota)
        r = banzhaf(WeightedGame(weights, quota), method="exact")
        assert list(r.swings) == swings
        assert coleman(WeightedGame(weights, quota), method="exact").winning == winning


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=80),
    st.floats(min_value=0.05, max_value=1.0),
)
def test_exact_swings_agree_with_python_integers_on_random_games(weights, fraction):
    total = sum(weights)
    quota = max(1, min(total, int(fraction * total))) if total else 1
    if total == 0:
        return
    swings, winning = python_int_swings(weights, quota)
    r = banzhaf(WeightedGame(weights, quota), method="exact")
    assert list(r.swings) == swings
    assert coleman(WeightedGame(weights, quota), method="exact").winning == winning


@pytest.mark.parametrize(
    "weights",
    [
        [0, 0, 3] + [1, 2] * 70,
        [700, 300, 90, 64, 63, 1] * 12,
        [9000, 20000, 15000, 1, 3, 12000, 9001, 30000] * 3,  # beyond the float wave's weights
    ],
)
def test_float_banzhaf_is_within_its_error_bound_of_the_exact_counts(weights):
    total = sum(weights)
    for quota in (total // 2 + 1, max(1, total // 3), total):
        game = WeightedGame(weights, quota)
        exact = banzhaf(game, method="exact")
        approx = banzhaf(game, method="float")
        truth = np.array([s / 2 ** (game.n - 1) for s in exact.swings])
        assert np.max(np.abs(approx.absolute - truth)) <= approx.error_bound
