"""Monte Carlo agrees with exact values, is reproducible by seed, and keeps its promises."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.scenarios import Bloc, Body, Member, Rule, Scenario, Shock, run_scenario
from broadfront.analysis.scenarios.body import latent_draws, prepare_body, vote_thresholds

COUNCIL = {
    "name": "council",
    "seed": 11,
    "body": {
        "rule": "majority",
        "blocs": {"progressives": 0.0, "centrists": 1.0},
        "members": [
            {"name": "P1", "stance": 3, "bloc": "progressives"},
            {"name": "P2", "stance": 2, "bloc": "progressives"},
            {"name": "P3", "stance": 2},
            {"name": "C1", "stance": 1, "bloc": "centrists"},
            {"name": "C2", "stance": 1, "bloc": "centrists"},
            {"name": "C3", "stance": 0, "bloc": "centrists"},
            {"name": "R1", "stance": -2},
            {"name": "R2", "stance": -3},
            {"name": "M", "weight": 2, "stance": 0},
        ],
    },
    "shocks": [
        {"kind": "bloc_shift", "bloc": "centrists", "steps": -2, "probability": 0.4},
        {"kind": "member_defects", "member": "P3", "probability": 0.25},
        {"kind": "member_shift", "member": "M", "steps": -1},
    ],
}


def test_simulation_agrees_with_the_exact_answer_within_a_few_standard_errors():
    s = Scenario.from_dict(COUNCIL)
    exact = run_scenario(s)
    sim = run_scenario(s, method="monte-carlo", draws=200_000)
    assert exact.method == "exact" and sim.method == "monte-carlo"
    assert abs(sim.p_hold - exact.p_hold) < 4 * sim.p_hold_se
    assert abs(sim.p_hold_without_shocks - exact.p_hold_without_shocks) < 0.01
    for name, share in exact.fragile.items():
        se = np.sqrt(share * (1 - share) / sim.draws) + 1e-9
        assert abs(sim.fragile[name] - share) < 5 * se, name
    for e, m in zip(
        sorted(exact.damaging_shocks, key=lambda d: d.index),
        sorted(sim.damaging_shocks, key=lambda d: d.index),
        strict=True,
    ):
        assert m.alone == pytest.approx(e.alone, abs=0.01)
        assert m.marginal == pytest.approx(e.marginal, abs=0.01)
    assert sim.margin.mean == pytest.approx(exact.margin.mean, abs=0.02)
    exact_pmf = dict(zip(exact.margin.values, exact.margin.probabilities, strict=True))
    for value, prob in zip(sim.margin.values, sim.margin.probabilities, strict=True):
        assert prob == pytest.approx(exact_pmf.get(value, 0.0), abs=0.01)


def test_a_double_majority_simulates_like_its_exact_value():
    d = {
        "seed": 5,
        "body": {
            "rule": {"kind": "double_majority", "fraction": 0.6, "count_fraction": 0.5},
            "members": [
                {"name": "A", "weight": 5, "p_with_us": 0.7},
                {"name": "B", "weight": 1, "p_with_us": 0.6},
                {"name": "C", "weight": 1, "p_with_us": 0.5},
                {"name": "D", "weight": 1, "p_with_us": 0.5},
                {"name": "E", "weight": 2, "p_with_us": 0.3},
            ],
        },
    }
    s = Scenario.from_dict(d)
    exact = run_scenario(s)
    sim = run_scenario(s, method="monte-carlo", draws=100_000)
    assert abs(sim.p_hold - exact.p_hold) < 4 * sim.p_hold_se


def test_the_same_seed_gives_the_same_result_and_another_seed_a_different_one():
    d = dict(COUNCIL)
    d["body"] = dict(COUNCIL["body"], blocs={"progressives": 0.3, "centrists": 0.7})
    s = Scenario.from_dict(d)
    a = run_scenario(s, draws=20_000)
    b = run_scenario(s, draws=20_000, rng=11)
    c = run_scenario(s, draws=20_000, rng=12)
    assert a.method == "monte-carlo"
    assert a == b
    assert a.seed == 11
    assert a.p_hold != c.p_hold


def test_the_latent_model_keeps_each_members_own_probability():
    body = Body(
        tuple(Member(f"m{i}", 1, p, bloc="b") for i, p in enumerate([0.2, 0.5, 0.9])),
        Rule("quota", 2),
        (Bloc("b", 0.6),),
    )
    pb = prepare_body(body)
    lat = latent_draws(pb, np.random.default_rng(0), 200_000)
    freq = (lat < vote_thresholds(pb, pb.p_base)).mean(axis=0)
    se = np.sqrt(np.array([0.16, 0.25, 0.09]) / 200_000)
    assert np.all(np.abs(freq - [0.2, 0.5, 0.9]) < 4 * se)


def test_a_cohesive_bloc_all_votes_with_us_more_often_than_independent_members_would():
    def p_all(cohesion: float) -> float:
        body = Body(
            tuple(Member(f"m{i}", 1, 0.7, bloc="b") for i in range(5)),
            Rule("quota", 5),
            (Bloc("b", cohesion),),
        )
        return run_scenario(Scenario(body=body), draws=50_000, rng=1).p_hold

    assert p_all(0.0) == pytest.approx(0.7**5)
    assert p_all(0.5) > 0.7**5 + 0.05
    assert p_all(1.0) == pytest.approx(0.7)


def test_a_bloc_that_moves_as_one_simulates_like_a_single_weighted_member():
    body = Body(
        (Member("A", 1, 0.6, bloc="b"), Member("B", 2, 0.6, bloc="b"), Member("C", 2, 0.5)),
        Rule("quota", 3),
        (Bloc("b", 1.0),),
    )
    sim = run_scenario(Scenario(body=body), method="monte-carlo", draws=100_000, rng=4)
    # the bloc (weight 3) alone reaches the quota: P = 0.6
    assert abs(sim.p_hold - 0.6) < 4 * sim.p_hold_se


body_members = st.lists(
    st.tuples(st.integers(1, 3), st.floats(0.0, 1.0), st.sampled_from([None, "a", "b"])),
    min_size=2,
    max_size=6,
)


def _body(members, cohesion):
    return Body(
        tuple(Member(f"m{i}", w, p, bloc=b) for i, (w, p, b) in enumerate(members)),
        Rule("majority"),
        (Bloc("a", cohesion), Bloc("b", 1.0)),
    )


@settings(max_examples=25, deadline=None)
@given(body_members, st.floats(0.0, 0.95), st.data())
def test_raising_any_members_probability_never_lowers_the_chance_of_holding(members, rho, data):
    i = data.draw(st.integers(0, len(members) - 1))
    w, p, b = members[i]
    higher = data.draw(st.floats(p, 1.0))
    raised = list(members)
    raised[i] = (w, higher, b)
    for method in ("auto", "monte-carlo"):
        before = run_scenario(Scenario(body=_body(members, rho)), draws=3000, rng=9, method=method)
        after = run_scenario(Scenario(body=_body(raised, rho)), draws=3000, rng=9, method=method)
        assert after.p_hold >= before.p_hold - 1e-12


@settings(max_examples=25, deadline=None)
@given(
    body_members,
    st.floats(0.0, 0.95),
    st.sampled_from(["a", "b", "m0", "m1"]),
    st.floats(-4.0, 0.0),
    st.floats(0.0, 1.0),
    st.booleans(),
)
def test_adding_a_shock_that_only_moves_members_away_never_raises_the_chance_of_holding(
    members, rho, target, steps, prob, defect
):
    body = _body(members, rho)
    blocs_used = {m.bloc for m in body.members}
    if target in ("a", "b"):
        if target not in blocs_used:
            return
        extra = Shock("bloc_shift", probability=prob, bloc=target, steps=steps)
    elif defect:
        extra = Shock("member_defects", probability=prob, member=target)
    else:
        extra = Shock("member_shift", probability=prob, member=target, steps=steps)
    first = Shock("member_shift", probability=0.5, member="m0", steps=1.0)
    for method in ("auto", "monte-carlo"):
        before = run_scenario(
            Scenario(body=body, shocks=(first,)), draws=3000, rng=2, method=method
        )
        after = run_scenario(
            Scenario(body=body, shocks=(first, extra)), draws=3000, rng=2, method=method
        )
        assert after.p_hold <= before.p_hold + 1e-12


def test_monte_carlo_what_it_takes_reaches_the_target_on_its_own_draws():
    d = dict(COUNCIL)
    d["body"] = dict(COUNCIL["body"], blocs={"progressives": 0.3, "centrists": 0.7})
    r = run_scenario(Scenario.from_dict(d), draws=50_000, target=0.9)
    assert r.p_hold < 0.9
    wit = r.what_it_takes
    assert wit.achieved and wit.p_hold_after >= 0.9
    assert 1 <= len(wit.members_persuaded) <= 3


def test_sensitivity_can_be_skipped():
    r = run_scenario(Scenario.from_dict(COUNCIL), sensitivity=False)
    full = run_scenario(Scenario.from_dict(COUNCIL))
    assert r.damaging_shocks == ()
    assert r.p_hold == full.p_hold
    assert [d.index for d in full.damaging_shocks][0] == 0  # the centrist realignment hurts most
