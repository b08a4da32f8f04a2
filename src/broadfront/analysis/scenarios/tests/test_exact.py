"""Exact answers: the weighted Poisson-binomial, certain members, cohesive blocs, shocks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.scenarios import (
    Bloc,
    Body,
    Member,
    Rule,
    Scenario,
    Shock,
    hold_probability_exact,
    run_scenario,
)
from broadfront.analysis.scenarios.body import exact_body, prepare_body
from broadfront.exceptions import TooLargeError, ValidationError


def brute_force(weights, probs, rule: Rule):
    """P(hold) and each member's flip probability by enumerating all 2^n vote patterns."""
    n = len(weights)
    wq, ws, cq, cs = rule.thresholds(tuple(float(w) for w in weights))

    def wins(yes):
        w = sum(weights[i] for i in yes)
        c = len(yes)
        ok_w = w > wq + 1e-9 if ws else w >= wq - 1e-9
        ok_c = c > cq + 1e-9 if cs else c >= cq - 1e-9
        return ok_w and ok_c

    p_hold = 0.0
    flips = [0.0] * n
    for pattern in itertools.product((0, 1), repeat=n):
        prob = math.prod(probs[i] if v else 1 - probs[i] for i, v in enumerate(pattern))
        yes = [i for i, v in enumerate(pattern) if v]
        if wins(yes):
            p_hold += prob
            for i in yes:
                if not wins([j for j in yes if j != i]):
                    flips[i] += prob
    return p_hold, flips


def body_of(weights, probs, rule):
    return Body(
        tuple(
            Member(f"m{i}", float(w), float(p))
            for i, (w, p) in enumerate(zip(weights, probs, strict=True))
        ),
        rule,
    )


def test_ten_fair_members_needing_six_match_the_binomial_tail():
    # P(Binomial(10, 1/2) >= 6) = (210 + 120 + 45 + 10 + 1) / 1024 = 386/1024
    assert hold_probability_exact([1] * 10, [0.5] * 10, 6) == pytest.approx(386 / 1024, abs=1e-15)


def test_the_weighted_poisson_binomial_matches_enumeration_on_a_small_council():
    weights, probs = [3, 2, 2, 1, 1], [0.9, 0.7, 0.4, 0.55, 0.2]
    expected, _ = brute_force(weights, probs, Rule("quota", 5))
    assert hold_probability_exact(weights, probs, 5) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.floats(0, 1, allow_nan=False)), min_size=1, max_size=7
    ),
    st.sampled_from(["majority", "supermajority", "quota", "double_majority"]),
    st.integers(1, 12),
)
def test_every_rule_and_every_flip_share_match_enumeration(members, kind, quota):
    weights = [w for w, _ in members]
    if sum(weights) == 0:
        weights[0] = 1
    probs = [p for _, p in members]
    rule = Rule("quota", quota=float(quota)) if kind == "quota" else Rule(kind)  # type: ignore[arg-type]
    expected, flips = brute_force(weights, probs, rule)
    res = exact_body(prepare_body(body_of(weights, probs, rule)))
    assert res.p_hold == pytest.approx(expected, abs=1e-12)
    assert res.flips == pytest.approx(flips, abs=1e-12)


def test_a_double_majority_needs_both_weight_and_heads():
    # EU-style: 65% of weight and 55% of members. One giant (weight 6) and three small
    # members: the giant plus one small has 7/9 = 78% of weight but only 2/4 = 50% of heads.
    rule = Rule("double_majority", fraction=0.65, count_fraction=0.55)
    weights, probs = [6, 1, 1, 1], [1.0, 1.0, 0.0, 0.0]
    assert exact_body(prepare_body(body_of(weights, probs, rule))).p_hold == 0.0
    probs = [1.0, 1.0, 1.0, 0.0]
    assert exact_body(prepare_body(body_of(weights, probs, rule))).p_hold == 1.0


def test_all_certain_members_give_a_certain_outcome():
    assert hold_probability_exact([2, 3, 4], [1, 1, 0], 5) == 1.0
    assert hold_probability_exact([2, 3, 4], [1, 1, 0], 6) == 0.0
    assert hold_probability_exact([2, 3, 4], [1, 1, 1], 9) == 1.0


def test_a_bloc_that_moves_as_one_equals_a_single_member_of_its_total_weight():
    bloc = Body(
        (
            Member("A", 2, 0.6, bloc="centre"),
            Member("B", 1, 0.6, bloc="centre"),
            Member("C", 1, 0.6, bloc="centre"),
            Member("D", 3, 0.7),
            Member("E", 2, 0.45),
        ),
        Rule("quota", 6),
        (Bloc("centre", 1.0),),
    )
    single = body_of([4, 3, 2], [0.6, 0.7, 0.45], Rule("quota", 6))
    assert exact_body(prepare_body(bloc)).p_hold == pytest.approx(
        exact_body(prepare_body(single)).p_hold, abs=1e-14
    )


def test_a_fully_cohesive_bloc_with_different_probabilities_is_nested():
    # Comonotone votes: whenever the 0.3 member votes with us, so does the 0.8 member.
    body = Body(
        (Member("A", 1, 0.8, bloc="b"), Member("B", 1, 0.3, bloc="b")),
        Rule("quota", 2),
        (Bloc("b", 1.0),),
    )
    assert exact_body(prepare_body(body)).p_hold == pytest.approx(0.3)
    body1 = Body(body.members, Rule("quota", 1), body.blocs)
    assert exact_body(prepare_body(body1)).p_hold == pytest.approx(0.8)


def test_a_random_shock_is_the_mixture_of_the_worlds_with_and_without_it():
    link_shift = 1.5 * -2  # default slope times two steps away
    base = [0.9, 0.8, 0.6]
    moved = [1 / (1 + math.exp(-(math.log(p / (1 - p)) + link_shift))) for p in base[1:]]
    body = Body(
        (Member("A", 1, 0.9), Member("B", 1, 0.8, bloc="c"), Member("C", 1, 0.6, bloc="c")),
        Rule("quota", 2),
        (Bloc("c", 0.0),),
    )
    shock = Shock("bloc_shift", probability=0.4, bloc="c", steps=-2)
    with_shock, _ = brute_force([1, 1, 1], [0.9, *moved], Rule("quota", 2))
    without, _ = brute_force([1, 1, 1], base, Rule("quota", 2))
    res = exact_body(prepare_body(body, (shock,)))
    assert res.p_hold == pytest.approx(0.4 * with_shock + 0.6 * without, abs=1e-12)


def test_the_smallest_scenario_form_is_computed_exactly():
    s = Scenario.from_dict(
        {
            "body": {
                "quota": 5,
                "members": [
                    {"name": n, "weight": 1, "p_with_us": p}
                    for n, p in zip("ABCDEFG", [0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3], strict=True)
                ],
            }
        }
    )
    r = run_scenario(s)
    expected, flips = brute_force([1] * 7, [0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3], Rule("quota", 5))
    assert r.method == "exact"
    assert r.p_hold_se == 0.0
    assert r.p_hold == pytest.approx(expected, abs=1e-12)
    assert r.fragile["A"] == pytest.approx(flips[0], abs=1e-12)
    assert list(r.fragile) == sorted(r.fragile, key=lambda k: -r.fragile[k])
    assert sum(r.margin.probabilities) == pytest.approx(1.0)


def test_what_it_takes_finds_the_fewest_members_as_enumeration_does():
    names = "ABCDEF"
    probs = [0.9, 0.6, 0.5, 0.4, 0.3, 0.2]
    s = Scenario.from_dict(
        {
            "target": 0.8,
            "body": {
                "quota": 4,
                "members": [{"name": n, "p_with_us": p} for n, p in zip(names, probs, strict=True)],
            },
        }
    )
    r = run_scenario(s)
    fewest = None
    for k in range(len(names) + 1):
        for combo in itertools.combinations(range(len(names)), k):
            ps = [1.0 if i in combo else p for i, p in enumerate(probs)]
            if hold_probability_exact([1] * 6, ps, 4) >= 0.8:
                fewest = k
                break
        if fewest is not None:
            break
    wit = r.what_it_takes
    assert wit.achieved and wit.search == "exhaustive"
    assert len(wit.members_persuaded) == fewest
    assert wit.p_hold_after >= 0.8
    ps = [1.0 if n in wit.members_persuaded else p for n, p in zip(names, probs, strict=True)]
    assert hold_probability_exact([1] * 6, ps, 4) == pytest.approx(wit.p_hold_after)


def test_what_it_takes_says_so_when_nothing_is_needed():
    s = Scenario.from_dict({"body": {"quota": 1, "members": [{"name": "A", "p_with_us": 0.9}]}})
    wit = run_scenario(s).what_it_takes
    assert wit.achieved and wit.members_persuaded == () and wit.search == "none needed"


def test_exact_is_refused_for_partly_cohesive_blocs():
    s = Scenario.from_dict(
        {
            "body": {
                "quota": 1,
                "blocs": {"b": 0.5},
                "members": [
                    {"name": "A", "p_with_us": 0.5, "bloc": "b"},
                    {"name": "B", "p_with_us": 0.5, "bloc": "b"},
                ],
            }
        }
    )
    assert run_scenario(s, draws=1000, rng=1).method == "monte-carlo"
    with pytest.raises(ValidationError, match="exact"):
        run_scenario(s, method="exact")


def test_bad_arguments_to_the_exact_function_name_the_parameter():
    with pytest.raises(ValidationError, match="probabilities"):
        hold_probability_exact([1, 1], [0.5, 1.5], 1)
    with pytest.raises(ValidationError, match="differ in length"):
        hold_probability_exact([1, 1], [0.5], 1)
    with pytest.raises(ValidationError, match="quota"):
        hold_probability_exact([1], [0.5], 0)


def test_irrational_weights_are_too_large_for_the_exact_grid():
    with pytest.raises(TooLargeError):
        hold_probability_exact([math.pi, 1.0], [0.5, 0.5], 2)
    # ...and the scenario runner falls back to simulation
    s = Scenario(body=Body((Member("A", math.pi, 0.5), Member("B", 1.0, 0.5)), Rule("quota", 2)))
    r = run_scenario(s, draws=20_000, rng=3)
    assert r.method == "monte-carlo"
    assert r.p_hold == pytest.approx(0.5, abs=4 * r.p_hold_se)
    assert r.margin.binned


def test_fractional_weights_use_a_finer_exact_grid():
    # weights 1.5, 0.5, 0.5 with quota 2: need A and one of B, C
    p = hold_probability_exact([1.5, 0.5, 0.5], [0.5, 0.5, 0.5], 2)
    assert p == pytest.approx(0.5 * 0.75)
    assert np.isclose(p, 0.375)


def test_a_scenario_without_a_body_or_a_race_is_refused():
    with pytest.raises(ValidationError, match="exactly one"):
        run_scenario(Scenario())
