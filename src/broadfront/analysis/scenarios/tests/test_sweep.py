"""Sweeps: the variants, brute force on small bodies, and the same numbers in any chunking."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.scenarios import Scenario
from broadfront.analysis.scenarios.sweep import (
    MAX_SWEEP_ITEMS,
    gather,
    run_items,
    run_sweep,
    sweep_items,
)
from broadfront.exceptions import ValidationError

BODY = {
    "body": {"quota": 3, "members": [
        {"name": "A", "weight": 2, "p_with_us": 0.9},
        {"name": "B", "weight": 1, "p_with_us": 0.7},
        {"name": "C", "weight": 1, "p_with_us": 0.4},
        {"name": "D", "weight": 1, "p_with_us": 0.2},
    ]},
    "shocks": [{"kind": "member_defects", "member": "B", "probability": 0.3}],
}

RACE = {
    "race": {"candidates": [{"name": "Us", "us": True}, {"name": "Them"}, {"name": "Others"}],
             "divisions": [
                 {"name": "North", "voters": 1000, "turnout": 0.5,
                  "shares": {"Us": 0.5, "Them": 0.3, "Others": 0.2}},
                 {"name": "South", "voters": 1000, "turnout": 0.5,
                  "shares": {"Us": 0.4, "Them": 0.25, "Others": 0.35}}]},
    "shocks": [{"kind": "turnout", "change": -0.2, "probability": 0.5}],
}


def _brute_force(p: dict[str, float], weights: dict[str, float], quota: float) -> float:
    """P(weight with us >= quota) by enumerating every vote pattern."""
    names = list(p)
    total = 0.0
    for votes in itertools.product([0, 1], repeat=len(names)):
        prob = 1.0
        for name, v in zip(names, votes, strict=True):
            prob *= p[name] if v else 1 - p[name]
        if sum(weights[n] for n, v in zip(names, votes, strict=True) if v) >= quota:
            total += prob
    return total


def test_a_body_sweep_forces_each_shock_and_each_defection() -> None:
    s = Scenario.from_dict(BODY)
    assert [i.label for i in sweep_items(s)] == [
        "as it stands", "for sure: B defects with probability 0.3", "A votes against us",
        "B votes against us", "C votes against us", "D votes against us"]


def test_each_defection_matches_brute_force_on_a_small_body() -> None:
    s = Scenario.from_dict({"body": BODY["body"]})  # no shocks: exact runs
    weights = {"A": 2.0, "B": 1.0, "C": 1.0, "D": 1.0}
    p = {"A": 0.9, "B": 0.7, "C": 0.4, "D": 0.2}
    result = run_sweep(s, draws=1000, seed=3)
    assert result.base.method == "exact"
    assert result.base.p_hold == pytest.approx(_brute_force(p, weights, 3.0), abs=1e-12)
    for point in result.points[1:]:
        name = point.label.split()[0]
        assert point.p_hold == pytest.approx(
            _brute_force({**p, name: 0.0}, weights, 3.0), abs=1e-12), point.label
    # losing A (weight 2) breaks the majority: quota 3 of 3 remaining weight at 0.7*0.4*0.2
    assert result.breaking[0].label == "A votes against us"


def test_a_race_sweep_takes_each_division_at_each_level() -> None:
    s = Scenario.from_dict(RACE)
    labels = [i.label for i in sweep_items(s, kinds=["divisions"])]
    assert labels == ["as it stands",
                      "Them takes 10% of our vote in North", "Them takes 20% of our vote in North",
                      "Them takes 30% of our vote in North",
                      "Others takes 10% of our vote in South",
                      "Others takes 20% of our vote in South",
                      "Others takes 30% of our vote in South"]


@settings(max_examples=10, deadline=None, derandomize=True)
@given(cuts=st.lists(st.integers(min_value=1, max_value=6), max_size=4))
def test_any_chunking_gives_the_same_numbers(cuts: list[int]) -> None:
    s = Scenario.from_dict(RACE)
    n = len(sweep_items(s))
    whole = run_items(s, range(n), draws=400, seed=11)
    bounds = sorted({0, n, *[c for c in cuts if c < n]})
    chunks = [run_items(s, range(a, b), draws=400, seed=11)
              for a, b in itertools.pairwise(bounds)]
    pieces = [p for chunk in reversed(chunks) for p in chunk]  # gathered in any order
    assert gather(pieces) == gather(whole)


def test_a_sweep_too_big_or_of_the_wrong_kind_is_refused() -> None:
    s = Scenario.from_dict(BODY)
    with pytest.raises(ValidationError) as err:
        sweep_items(s, kinds=["divisions"])
    assert err.value.parameter == "sweep"
    many = {"body": {"quota": 1, "members": [{"name": f"M{k}", "p_with_us": 0.5}
                                             for k in range(MAX_SWEEP_ITEMS + 1)]}}
    with pytest.raises(ValidationError, match="at most 2,000"):
        sweep_items(Scenario.from_dict(many), kinds=["members"])
    with pytest.raises(ValidationError):
        gather(run_items(s, [0, 2], draws=100, seed=1))  # item 1 missing
