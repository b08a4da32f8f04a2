"""Ranked-choice and top-two counts: hand-computed rounds, the absorbing chain, ties, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.scenarios import Scenario, run_scenario, tabulate
from broadfront.analysis.scenarios.runoff import draw_transfers, transfer_matrix
from broadfront.exceptions import ValidationError

QUIET = {"swing_sd": 0, "group_swing_sd": 0, "share_sd": 0, "turnout_swing_sd": 0, "turnout_sd": 0}


def count(first, transfers, rule="instant_runoff", names="ABCDE", us=-1):
    names = names[: len(first)]
    t = transfer_matrix(names, [(k, list(v.items())) for k, v in transfers.items()])
    return tabulate(np.array([first], dtype=float), t, rule, us)


# --------------------------------------------------------------------------- by hand


def test_three_candidates_the_last_ones_voters_decide_and_some_exhaust():
    # A 40, B 35, C 25 of 100: nobody above 50. C goes: 60% to B (+15), 20% to A (+5),
    # 20% rank nobody else (5 exhaust). A 45, B 50 of 95 continuing: B has a majority.
    r = count([40, 35, 25], {"C": {"B": 0.6, "A": 0.2}})
    assert r.final[0] == pytest.approx([45, 50, 0])
    assert r.rounds.tolist() == [2]
    assert r.exhausted[0] == pytest.approx(5)


def test_four_candidates_votes_follow_an_eliminated_candidates_shares_in_turn():
    # A 35, B 30, C 18, D 17. Round 1: D out; half of D's voters to C (+8.5), 30% to B
    # (+5.1), 20% exhaust: A 35, B 35.1, C 26.5 of 96.6, nobody above 48.3.
    # Round 2: C out. C's voters: 60% A, 10% B, 30% D, but D is out and sends half back
    # to C (also out), 30% to B, 20% exhaust. A C vote ends at A with p = 0.6 + 0.3*0.5*p,
    # p = 0.6/0.85; at B with (0.1 + 0.3*0.3)/0.85 = 0.19/0.85. A gains 26.5*0.6/0.85,
    # B gains 26.5*0.19/0.85: A 53.70588, B 41.02353, 3 rounds.
    transfers = {"D": {"C": 0.5, "B": 0.3}, "C": {"A": 0.6, "B": 0.1, "D": 0.3}}
    r = count([35, 30, 18, 17], transfers)
    assert r.final[0] == pytest.approx([35 + 26.5 * 0.6 / 0.85, 35.1 + 26.5 * 0.19 / 0.85, 0, 0])
    assert r.final[0][0] == pytest.approx(53.70588, abs=1e-5)
    assert r.rounds.tolist() == [3]
    assert r.exhausted[0] == pytest.approx(100 - 53.70588 - 41.02353, abs=1e-4)


def test_the_chain_agrees_with_the_fundamental_matrix_formula():
    # x_E (I - T_EE)^-1 T_EC with E = {C, D}, first choices x_E = (18, 17)
    t = transfer_matrix(
        "ABCD", [("D", [("C", 0.5), ("B", 0.3)]), ("C", [("A", 0.6), ("B", 0.1), ("D", 0.3)])]
    )
    e, c = [2, 3], [0, 1]
    gained = np.array([18.0, 17.0]) @ np.linalg.inv(np.eye(2) - t[np.ix_(e, e)]) @ t[np.ix_(e, c)]
    r = tabulate(np.array([[35.0, 30.0, 18.0, 17.0]]), t, "instant_runoff")
    assert r.final[0, :2] == pytest.approx(np.array([35.0, 30.0]) + gained)


def test_without_transfers_the_eliminated_votes_exhaust():
    # C's 25 exhaust: A 40 of 75 continuing is a majority in round 2.
    r = count([40, 35, 25], {})
    assert r.final[0] == pytest.approx([40, 35, 0])
    assert r.rounds.tolist() == [2]
    assert r.exhausted[0] == pytest.approx(25)


def test_votes_caught_in_a_cycle_of_eliminated_candidates_exhaust():
    # C and D send everything to each other; once both are out their votes reach nobody.
    r = count([40, 35, 13, 12], {"C": {"D": 1.0}, "D": {"C": 1.0}})
    assert r.final[0] == pytest.approx([40, 35, 0, 0])
    assert r.exhausted[0] == pytest.approx(25)


def test_a_majority_of_first_choices_ends_the_count_in_one_round():
    r = count([55, 30, 15], {"C": {"B": 1.0}})
    assert r.final[0] == pytest.approx([55, 30, 15]) and r.rounds.tolist() == [1]


# constructed in the manner of Oakland's 2010 mayoral race, where the first-choice leader
# (Perata) lost to the candidate in second place (Quan) once the others' voters transferred
OAKLAND_LIKE = {
    "O": {"P": 0.3, "Q": 0.3, "K": 0.3, "T": 0.1},
    "T": {"P": 0.4, "Q": 0.3, "K": 0.3},
    "K": {"Q": 0.75, "P": 0.15},
}


def test_the_first_choice_leader_can_lose_the_instant_runoff():
    # P 34, Q 25, K 22, T 12, O 7. O out: P 36.1, Q 27.1, K 24.1, T 12.7. T out: P 41.18,
    # Q 30.91, K 27.91. K out: Q 30.91 + 0.75 * 27.91 = 51.8425, P 41.18 + 0.15 * 27.91
    # = 45.3665: Q wins in round 4 although P led on first choices.
    r = count([34, 25, 22, 12, 7], OAKLAND_LIKE, names="PQKTO")
    assert r.final[0] == pytest.approx([45.3665, 51.8425, 0, 0, 0])
    assert r.rounds.tolist() == [4]


def test_top_two_sends_everyone_elses_voters_to_a_runoff_through_the_same_chain():
    # P and Q go through; K's voters: 15% P, 75% Q; T's: 0.4 + 0.3*0.15 = 0.445 P and
    # 0.3 + 0.3*0.75 = 0.525 Q; O's: 0.3 + 0.3*0.15 + 0.1*0.445 = 0.3895 P, 0.5775 Q.
    r = count([34, 25, 22, 12, 7], OAKLAND_LIKE, rule="top_two", names="PQKTO")
    p = 34 + 22 * 0.15 + 12 * 0.445 + 7 * 0.3895
    q = 25 + 22 * 0.75 + 12 * 0.525 + 7 * 0.5775
    assert r.final[0] == pytest.approx([p, q, 0, 0, 0])
    assert r.rounds.tolist() == [2]


def test_top_two_without_a_runoff_when_someone_has_more_than_half():
    r = count([51, 30, 19], {"C": {"B": 1.0}}, rule="top_two")
    assert r.final[0] == pytest.approx([51, 30, 19]) and r.rounds.tolist() == [1]
    r = count([50, 30, 20], {"C": {"B": 1.0}}, rule="top_two")  # exactly half: a runoff
    assert r.final[0] == pytest.approx([50, 50, 0]) and r.rounds.tolist() == [2]


def test_ties_for_last_are_eliminated_together_and_a_full_tie_stops_the_count():
    r = count([40, 30, 30], {})
    assert r.final[0] == pytest.approx([40, 0, 0]) and r.rounds.tolist() == [2]
    r = count([30, 30, 30], {"A": {"B": 1.0}})
    assert r.final[0] == pytest.approx([30, 30, 30]) and r.rounds.tolist() == [1]


def test_a_tie_at_the_top_two_cut_goes_against_our_candidate():
    t = transfer_matrix("ABC", [])
    x = np.array([[40.0, 30.0, 30.0]])
    assert tabulate(x, t, "top_two", us=2).final[0].tolist() == [40.0, 30.0, 0.0]
    assert tabulate(x, t, "top_two", us=1).final[0].tolist() == [40.0, 0.0, 30.0]


def test_draws_are_counted_independently_in_one_call():
    t = transfer_matrix("ABC", [("C", [("B", 1.0)])])
    x = np.array([[40.0, 35.0, 25.0], [60.0, 25.0, 15.0], [20.0, 45.0, 35.0]])
    r = tabulate(x, t, "instant_runoff")
    assert r.final.tolist() == [[40.0, 60.0, 0.0], [60.0, 25.0, 15.0], [0.0, 45.0, 35.0]]
    assert r.rounds.tolist() == [2, 1, 2]


# --------------------------------------------------------------------------- brute force


def brute_force_irv(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """One draw, round by round, each round from first choices by the explicit formula."""
    n = len(x)
    out = set()
    while True:
        c = [i for i in range(n) if i not in out]
        e = sorted(out)
        votes = x[c].copy()
        if e:
            n_mat = np.linalg.inv(np.eye(len(e)) - t[np.ix_(e, e)])
            votes += x[e] @ n_mat @ t[np.ix_(e, c)]
        if votes.max() > votes.sum() / 2 or len(c) <= 2:
            final = np.zeros(n)
            final[c] = votes
            return final
        out.add(c[int(np.argmin(votes))])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(3, 6))
def test_instant_runoff_matches_a_brute_force_count(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 100, n)
    t = rng.uniform(0, 1, (n, n)) * (rng.uniform(size=(n, n)) < 0.6)
    np.fill_diagonal(t, 0)
    t *= rng.uniform(0.2, 0.95, (n, 1)) / np.maximum(t.sum(axis=1, keepdims=True), 1e-9)
    r = tabulate(x[None, :], t, "instant_runoff")
    assert r.final[0] == pytest.approx(brute_force_irv(x, t), rel=1e-9, abs=1e-9)


# --------------------------------------------------------------------------- properties

distinct_totals = st.lists(st.integers(1, 10_000), min_size=2, max_size=6, unique=True)


@settings(max_examples=80, deadline=None)
@given(distinct_totals)
def test_with_no_transfers_the_final_round_winner_is_the_plurality_winner(first):
    x = np.array([first], dtype=float)
    t = np.zeros((len(first), len(first)))
    for rule in ("instant_runoff", "top_two"):
        assert int(tabulate(x, t, rule).final[0].argmax()) == int(np.argmax(first))


@settings(max_examples=80, deadline=None)
@given(distinct_totals, st.data())
def test_a_candidate_every_transfer_goes_to_keeps_at_least_its_first_choices(first, data):
    n = len(first)
    j = data.draw(st.integers(0, n - 1))
    t = np.zeros((n, n))
    t[:, j] = 1.0
    t[j, j] = 0.0
    for rule in ("instant_runoff", "top_two"):
        r = tabulate(np.array([first], dtype=float), t, rule)
        if first[j] == max(first):  # the leader gains and is never eliminated
            assert r.final[0, j] >= first[j]
        if r.final[0, j] > 0:  # still counted: it holds its own and every eliminated vote
            out = [i for i in range(n) if r.final[0, i] == 0 and i != j]
            assert r.final[0, j] >= first[j]
            assert r.final[0, j] == pytest.approx(first[j] + sum(first[i] for i in out))


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(2, 6), st.sampled_from(["instant_runoff", "top_two"]))
def test_counted_votes_never_exceed_the_votes_cast(seed, n, rule):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, (50, n))
    t = rng.dirichlet(np.ones(n + 1), n)[:, :n]  # some rows reach 1 only with exhaustion
    t[rng.uniform(size=n) < 0.3] = np.eye(n)[rng.permutation(n)][0]  # some full transfers
    np.fill_diagonal(t, 0)
    r = tabulate(x, t, rule)
    assert np.all(r.final >= 0)
    assert np.all(r.final.sum(axis=1) <= x.sum(axis=1) * (1 + 1e-12))
    assert r.exhausted == pytest.approx(x.sum(axis=1) - r.final.sum(axis=1), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=2, max_size=6))
def test_plurality_counts_first_choices_as_they_are(first):
    x = np.array([first])
    r = tabulate(x, np.ones((len(first), len(first))), "plurality")
    assert r.final.tolist() == x.tolist() and r.rounds.tolist() == [1]


def test_transfer_uncertainty_keeps_rows_valid_and_centred():
    t = transfer_matrix("ABC", [("C", [("B", 0.6), ("A", 0.2)])])
    d = draw_transfers(t, 0.15, np.random.default_rng(3), 40_000)
    assert d.shape == (40_000, 3, 3)
    assert np.all(d >= 0) and np.all(d.sum(axis=2) <= 1 + 1e-12)
    assert d[:, 2, 1].mean() == pytest.approx(0.6, abs=0.005)
    # a share p has sd 2 * 0.15 * sqrt(p (1 - p))
    assert d[:, 2, 1].std() == pytest.approx(0.3 * np.sqrt(0.24), rel=0.05)
    assert np.all(d[:, :2] == 0)  # A and B transfer nothing, in every draw
    assert np.array_equal(draw_transfers(t, 0.0, np.random.default_rng(3), 4)[2], t)


# --------------------------------------------------------------------------- whole races


def one_division_race(rule, **extra):
    return {
        "seed": 7,
        "race": {
            "our_candidate": "Q",
            "candidates": ["P", "Q", "K", "T", "O"],
            "divisions": [
                {
                    "name": "City",
                    "voters": 1000,
                    "turnout": 1.0,
                    "shares": {"P": 0.34, "Q": 0.25, "K": 0.22, "T": 0.12, "O": 0.07},
                }
            ],
            "rule": rule,
            "transfers": OAKLAND_LIKE,
            **QUIET,
            **extra,
        },
    }


def test_a_race_we_lose_on_plurality_we_hold_under_ranked_choice_and_top_two():
    plural = run_scenario(Scenario.from_dict(one_division_race("plurality")), draws=200)
    assert plural.p_hold == 0.0 and plural.runoff is None
    assert "runoff" not in plural.to_dict()
    for rule, rounds in (("instant_runoff", 4), ("top_two", 2)):
        r = run_scenario(Scenario.from_dict(one_division_race(rule)), draws=200)
        assert r.p_hold == 1.0
        assert r.margin.mean == pytest.approx((518.425 - 453.665) / 1000, rel=1e-6)
        assert r.runoff is not None and r.runoff.rule == rule
        assert r.runoff.p_more_rounds == 1.0
        assert r.runoff.final_share_mean == pytest.approx(518.425 / (518.425 + 453.665))
        assert r.to_dict()["runoff"]["p_more_rounds"] == 1.0
        assert rounds > 1


def test_a_first_choice_majority_needs_one_round_and_our_share_is_of_the_continuing_votes():
    d = one_division_race("instant_runoff")
    d["race"]["divisions"][0]["shares"] = {"P": 0.2, "Q": 0.6, "K": 0.1, "T": 0.05, "O": 0.05}
    r = run_scenario(Scenario.from_dict(d), draws=100)
    assert r.p_hold == 1.0 and r.runoff is not None
    assert r.runoff.p_more_rounds == 0.0 and r.runoff.final_share_mean == pytest.approx(0.6)


def test_transfer_uncertainty_makes_a_close_runoff_uncertain_and_is_reproducible():
    d = one_division_race("top_two", transfer_sd=0.2)
    d["race"]["transfers"] = {
        "K": {"Q": 0.5, "P": 0.4},
        "T": {"P": 0.5, "Q": 0.4},
        "O": {"P": 0.5, "Q": 0.4},
    }
    a = run_scenario(Scenario.from_dict(d), draws=4000)
    b = run_scenario(Scenario.from_dict(d), draws=4000)
    assert 0.0 < a.p_hold < 1.0 and a.to_dict() == b.to_dict()
    fixed = run_scenario(
        Scenario.from_dict({**d, "race": {**d["race"], "transfer_sd": 0}}), draws=4000
    )
    assert fixed.p_hold in (0.0, 1.0)


def test_shocks_are_ranked_under_a_runoff_rule_too():
    d = one_division_race("instant_runoff", swing_sd=0.05)
    d["shocks"] = [{"kind": "capture", "from": "K", "to": "P", "fraction": 0.6}]
    r = run_scenario(Scenario.from_dict(d), draws=2000)
    # K's 220 votes: 132 go to P; P 34 + 13.2 = 47.2 first choices ... Q loses the final
    assert r.p_hold < r.p_hold_without_shocks
    assert r.damaging_shocks[0].alone > 0


def test_plurality_results_do_not_change_when_transfers_are_given_but_unused():
    base = one_division_race("plurality", swing_sd=0.05, share_sd=0.05)
    without = {
        **base,
        "race": {k: v for k, v in base["race"].items() if k not in ("rule", "transfers")},
    }
    a = run_scenario(Scenario.from_dict(base), draws=3000)
    b = run_scenario(Scenario.from_dict(without), draws=3000)
    assert a.to_dict() == b.to_dict()
    assert "rule" not in Scenario.from_dict(without).to_dict()["race"]


# --------------------------------------------------------------------------- documents


def test_the_rule_and_transfers_round_trip_through_the_document():
    s = Scenario.from_dict(one_division_race("instant_runoff", transfer_sd=0.1))
    again = Scenario.from_dict(s.to_dict())
    assert again == s
    assert s.to_dict()["race"]["transfers"]["K"] == {"Q": 0.75, "P": 0.15}


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"rule": "borda"}, "race.rule"),
        ({"transfers": {"Z": {"P": 0.5}}}, "race.transfers.Z"),
        ({"transfers": {"K": {"Z": 0.5}}}, "race.transfers.K.Z"),
        ({"transfers": {"K": {"P": -0.1}}}, "race.transfers.K.P"),
        ({"transfers": {"K": {"P": 0.7, "Q": 0.4}}}, "race.transfers.K"),
        ({"transfers": {"K": {"K": 0.5}}}, "race.transfers.K.K"),
        ({"transfers": {"K": {"P": "half"}}}, "race.transfers.K.P"),
        ({"transfers": {"K": [0.5]}}, "race.transfers.K"),
        ({"transfer_sd": 0.5}, "race.transfer_sd"),
        ({"transfer_sd": -0.1}, "race.transfer_sd"),
    ],
)
def test_bad_rules_and_transfers_are_named(change, parameter):
    d = one_division_race("instant_runoff")
    d["race"].update(change)
    with pytest.raises(ValidationError) as err:
        Scenario.from_dict(d)
    assert err.value.parameter == parameter
