"""Endorsement: the exact 60% threshold, ballots with drop-off, and the bloc's leverage."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.caucus import DropRule, bloc_leverage, run_endorsement, votes_needed
from broadfront.exceptions import ValidationError


def test_sixty_percent_of_votes_cast_is_rounded_up_exactly():
    # MN DFL Constitution, Article IV: endorsement needs 60% of the votes cast.
    assert votes_needed(1000) == 600
    assert votes_needed(1001) == 601
    assert votes_needed(5) == 3
    assert votes_needed(0) == 0


def test_a_float_threshold_never_gains_or_loses_a_vote_to_binary_rounding():
    assert math.ceil(0.07 * 100) == 8  # the trap: 0.07 x 100 is 7.000000000000001 in floats
    assert votes_needed(100, 0.07) == 7
    assert votes_needed(100, 0.57) == 57


@settings(max_examples=200, deadline=None)
@given(votes=st.integers(0, 10**7), percent=st.integers(1, 100))
def test_votes_needed_is_the_smallest_count_reaching_the_threshold(votes, percent):
    need = votes_needed(votes, Fraction(percent, 100))
    assert need * 100 >= percent * votes
    assert need == 0 or (need - 1) * 100 < percent * votes


@pytest.mark.parametrize("threshold", [0, -0.1, 1.01, float("nan"), "abc"])
def test_a_threshold_outside_zero_to_one_is_refused(threshold):
    with pytest.raises(ValidationError) as info:
        votes_needed(100, threshold)
    assert info.value.parameter == "threshold"


def test_a_candidate_reaching_sixty_percent_on_the_first_ballot_is_endorsed():
    r = run_endorsement({"A": 600, "B": 400})
    assert r.endorsed == "A" and r.outcome == "endorsed" and len(r.ballots) == 1


def test_drop_off_moves_votes_until_someone_is_endorsed():
    r = run_endorsement(
        {"A": 500, "B": 300, "C": 150, "D": 50},
        drop_rules=[DropRule(from_ballot=1, drop_lowest=True)],
        transfers={"D": {"B": 1.0}, "C": {"B": 0.8}, "B": {"A": 1.0}},
    )
    # ballot 1: D dropped (50 -> B); ballot 2: C dropped (120 -> B, 30 abstain);
    # ballot 3: A 500, B 470 of 970 cast, needing 582: B dropped; ballot 4: A 970.
    assert [b.dropped for b in r.ballots[:3]] == [("D",), ("C",), ("B",)]
    assert r.ballots[2].votes_cast == 970 and r.ballots[2].votes_needed == 582
    assert r.endorsed == "A" and len(r.ballots) == 4


def test_no_endorsement_can_win_and_a_stalemate_ends_without_endorsement():
    r = run_endorsement({"A": 300, "No endorsement": 700}, drop_rules=[])
    assert r.endorsed is None and r.outcome == "no endorsement chosen"
    r = run_endorsement({"A": 550, "B": 450}, drop_rules=[])
    assert r.endorsed is None and r.outcome == "deadlock" and len(r.ballots) == 2


def test_the_last_candidate_is_never_dropped():
    r = run_endorsement(
        {"A": 10, "No endorsement": 90},
        threshold=0.95,
        drop_rules=[DropRule(from_ballot=1, below_share=0.5, drop_lowest=True)],
    )
    assert all("A" in b.votes for b in r.ballots)


def test_a_bloc_of_more_than_forty_percent_can_block_a_sixty_percent_endorsement_alone():
    r = bloc_leverage({"Us": 41, "A": 30, "B": 29}, "Us", power=False)
    assert r.votes_needed == 60 and r.can_block_alone and r.delegates_to_block == 0
    r = bloc_leverage({"Us": 40, "A": 30, "B": 30}, "Us", power=False)
    assert not r.can_block_alone and r.delegates_to_block == 1


@settings(max_examples=100, deadline=None)
@given(
    others=st.lists(st.integers(0, 60), min_size=1, max_size=5),
    bloc=st.integers(0, 60),
    percent=st.integers(50, 100),
)
def test_delegates_to_block_is_the_fewest_that_make_the_bloc_a_veto_player(others, bloc, percent):
    camps = {"Us": bloc, **{f"c{i}": c for i, c in enumerate(others)}}
    total = sum(camps.values())
    if total == 0:
        return
    t = Fraction(percent, 100)
    r = bloc_leverage(camps, "Us", threshold=t, power=False)
    needed = math.ceil(t * total)

    def blocks(b):  # brute force: no coalition of the others reaches the threshold
        rest = total - b
        return rest < needed

    assert r.can_block_alone == blocks(bloc)
    k = r.delegates_to_block
    assert blocks(bloc + k) and (k == 0 or not blocks(bloc + k - 1))


def test_camps_needing_the_bloc_are_those_it_lifts_over_the_threshold():
    r = bloc_leverage({"Us": 15, "A": 50, "B": 35, "C": 0}, "Us", power=False)
    assert r.votes_needed == 60
    assert r.camps_needing_bloc == ("A",)


def test_bloc_power_indices_come_from_the_power_engine():
    pytest.importorskip("broadfront.analysis.power")
    # Weights 45/30/25 with quota 60: winning coalitions {Us,A}, {Us,B}, {Us,A,B}. By hand,
    # Us swings 3 times, A once, B once (Banzhaf 3/5), and Us is pivotal in 4 of the 6
    # orderings (Shapley-Shubik 2/3).
    r = bloc_leverage({"Us": 45, "A": 30, "B": 25}, "Us")
    assert r.banzhaf == pytest.approx(0.6)
    assert r.shapley_shubik == pytest.approx(2 / 3)
    # Weights 3, 2, 2 with quota 4 (threshold 4/7): every pair wins, equal power.
    r = bloc_leverage({"Us": 3, "A": 2, "B": 2}, "Us", threshold="4/7")
    assert r.banzhaf == pytest.approx(1 / 3) and r.shapley_shubik == pytest.approx(1 / 3)


def test_shapley_shubik_of_the_bloc_matches_brute_force_over_orderings():
    pytest.importorskip("broadfront.analysis.power")
    camps = {"Us": 12, "A": 30, "B": 25, "C": 20, "D": 13}
    r = bloc_leverage(camps, "Us")
    needed = r.votes_needed
    pivotal = 0
    orders = list(itertools.permutations(camps))
    for order in orders:
        running = 0
        for name in order:
            running += camps[name]
            if running >= needed:
                pivotal += name == "Us"
                break
    assert r.shapley_shubik == pytest.approx(pivotal / len(orders))
