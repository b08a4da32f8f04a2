"""Robustness of a majority: the fewest defections that break it and how many such sets exist."""

from itertools import combinations
from math import comb

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.power import MultiConditionGame, WeightedGame, robustness
from broadfront.analysis.power import coalitions as co


def brute_robustness(game, coalition):
    """(size, count, critical) by trying every defecting set, smallest first."""
    members = [game.index_of(x) for x in coalition]
    for k in range(1, len(members) + 1):
        breaking = [
            d for d in combinations(members, k)
            if not game.is_winning([i for i in members if i not in d])
        ]
        if breaking:
            crit = tuple(game.names[d[0]] for d in breaking) if k == 1 else ()
            return k, len(breaking), tuple(sorted(crit, key=game.names.index))
    raise AssertionError("the whole coalition defecting always breaks it")


def assert_matches_brute_force(game, coalition):
    r = robustness(game, coalition)
    if not game.is_winning(coalition):
        assert (r.winning, r.size, r.count, r.example, r.critical) == (False, 0, 1, (), ())
        return
    size, count, crit = brute_robustness(game, coalition)
    assert (r.winning, r.size, r.count, r.critical) == (True, size, count, crit)
    assert isinstance(r.count, int)
    assert len(r.example) == size and set(r.example) <= {game.names[i] for i in coalition}
    assert not game.is_winning([i for i in coalition if game.names[i] not in r.example])


@st.composite
def game_and_coalition(draw, max_n=11, max_w=40, conditions=1):
    n = draw(st.integers(1, max_n))
    rows = []
    for _ in range(conditions):
        w = draw(st.lists(st.integers(0, max_w), min_size=n, max_size=n))
        if sum(w) == 0:
            w[0] = 1
        rows.append((w, draw(st.integers(1, sum(w)))))
    game = WeightedGame(*rows[0]) if conditions == 1 else MultiConditionGame(rows)
    coalition = draw(st.lists(st.integers(0, n - 1), unique=True, min_size=1, max_size=n))
    return game, sorted(coalition)


@settings(max_examples=150, deadline=None)
@given(game_and_coalition())
def test_robustness_of_a_weighted_majority_matches_brute_force(case):
    assert_matches_brute_force(*case)


@settings(max_examples=80, deadline=None)
@given(game_and_coalition(max_n=9, max_w=12, conditions=2))
def test_robustness_of_a_double_majority_matches_brute_force(case):
    assert_matches_brute_force(*case)


@settings(max_examples=40, deadline=None)
@given(game_and_coalition(max_n=10, max_w=3000))
def test_robustness_with_large_weights_matches_brute_force(case):
    assert_matches_brute_force(*case)


def test_robustness_with_short_decimal_weights_matches_brute_force():
    g = WeightedGame([0.5, 1.25, 2.75, 0.5, 3.0, 1.0], 5.5)
    assert_matches_brute_force(g, [0, 1, 2, 3, 4])
    assert_matches_brute_force(g, [1, 2, 4, 5])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=14),
    st.integers(0, 400),
)
def test_the_slack_count_agrees_with_the_table_over_the_excess(weights, excess):
    w = np.array(weights, dtype=np.int64)
    if w.sum() <= excess:
        return
    k = int(np.flatnonzero(np.cumsum(np.sort(w)[::-1]) > excess)[0]) + 1
    by_excess = co._count_breaking([w], [excess], k, True)
    enumerated = sum(sum(d) > excess for d in combinations(weights, k))
    assert co._count_breaking_one(w, excess, k) == by_excess == enumerated


def test_a_hundred_equal_members_need_fifty_defections_in_comb_100_50_ways():
    # counts far beyond 64 bits go through the modular path and stay exact
    g = WeightedGame([1] * 100, 51)
    r = robustness(g, range(100))
    assert (r.size, r.count) == (50, comb(100, 50))
    assert r.count > 2**64


def test_large_counts_with_two_weights_match_the_closed_form():
    # 60 members of weight 2 and 50 of weight 3 (total 270), quota 136: excess 134. The
    # fewest defections outweighing 134 are 45 (all 50 threes would be 150; 44 weigh at most
    # 132); a 45-set with t threes weighs 90 + t, which must exceed 134, so t >= 45.
    g = WeightedGame([2] * 60 + [3] * 50, 136)
    r = robustness(g, range(110))
    expected = sum(comb(50, t) * comb(60, 45 - t) for t in range(45, 46))
    assert (r.size, r.count) == (45, expected)
    g = WeightedGame([2] * 60 + [3] * 50, 140)  # excess 130: t >= 41 threes among 44
    r = robustness(g, range(110))
    assert r.size == 44
    assert r.count == sum(comb(50, t) * comb(60, 44 - t) for t in range(43, 45))


def test_a_seventy_member_side_of_a_hundred_member_body_is_counted_exactly():
    # the web page's case: weights 1..1000, simple majority, 70 members on our side
    rng = np.random.default_rng(0)
    w = rng.integers(1, 1001, 100)
    g = WeightedGame(w, int(w.sum()) // 2 + 1)
    side = list(range(70))
    r = robustness(g, side)
    e = int(w[:70].sum()) - (int(w.sum()) // 2 + 1)
    k = r.size
    ranked = np.sort(w[:70])[::-1]
    assert ranked[: k - 1].sum() <= e < ranked[:k].sum()
    assert r.count == co._count_breaking([w[:70].astype(np.int64)], [e], k, True)
    assert sum(w[g.index_of(x)] for x in r.example) > e


@pytest.mark.parametrize("relevant", ["seats", "population", "both"])
def test_a_double_majority_counts_only_the_conditions_k_defections_can_break(relevant):
    seats = [1] * 8
    pop = {"seats": [10] * 8, "population": [50, 1, 1, 1, 1, 1, 1, 1],
           "both": [5, 5, 1, 1, 1, 1, 1, 1]}[relevant]
    g = MultiConditionGame([(seats, 6), (pop, 0.5 * sum(pop))])
    assert_matches_brute_force(g, list(range(8)))
    assert_matches_brute_force(g, [0, 1, 2, 3, 4, 5, 6])
