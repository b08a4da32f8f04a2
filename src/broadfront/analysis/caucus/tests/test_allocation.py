"""Delegate allocation rules against the parties' published examples, brute force and properties."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.caucus import (
    allocate_delegates,
    allocate_dfl,
    allocate_fair_reflection,
    allocate_iowa,
    viability_number,
)
from broadfront.exceptions import ValidationError

# --- published examples -----------------------------------------------------------------


def test_dfl_walking_subcaucus_example_gives_2_2_1_0_0():
    # Minnesota DFL Official Call walking-subcaucus example (issue 4 quotes it): 5 delegates,
    # subcaucuses of 40/25/20/9/6; the 9 and the 6 are below the viability number 20 and leave.
    r = allocate_dfl({"A": 40, "B": 25, "C": 20, "D": 9, "E": 6}, 5)
    assert r.allocation == {"A": 2, "B": 2, "C": 1, "D": 0, "E": 0}
    assert r.viability_number == 20
    assert r.viable == {"A": True, "B": True, "C": True, "D": False, "E": False}
    assert r.divisor == 17  # 85 viable members / 5 delegates
    assert r.quota["B"] == Fraction(25, 17)
    assert r.ties_broken_by_lot == ()


def test_dfl_announced_divisor_has_at_least_three_decimals_exactly():
    r = allocate_dfl({"A": 31, "B": 27, "C": 14}, 7)
    assert r.divisor == Fraction(72, 7)
    assert f"{float(r.divisor):.3f}" == "10.286"


def test_iowa_precinct_alpha_from_the_idp_caucus_math_one_pager():
    # Iowa Democratic Party, Caucus Math One-Pager (2015), "Precinct Alpha": 7 delegates,
    # 100 attendees, groups 20/18/27/19/16. Rounded quotas 1,1,2,1,1 = 6; the extra delegate
    # goes to the highest decimal below .5 (A at 1.40).
    r = allocate_iowa({"A": 20, "B": 18, "C": 27, "D": 19, "E": 16}, 7)
    assert {n: float(q) for n, q in r.quota.items()} == {
        "A": 1.4, "B": 1.26, "C": 1.89, "D": 1.33, "E": 1.12
    }
    assert r.allocation == {"A": 2, "B": 1, "C": 2, "D": 1, "E": 1}
    assert r.viability_number == 15


def test_iowa_viability_numbers_from_the_idp_formulas():
    # IDP "How Delegates are Awarded": 25% for two delegates, one sixth for three,
    # 15% for four or more, always rounded up; simple majority for one.
    assert viability_number("iowa", 27, 5) == 5  # 4.05 -> 5 (Washington Post, 2007 training)
    assert viability_number("iowa", 100, 2) == 25
    assert viability_number("iowa", 101, 2) == 26
    assert viability_number("iowa", 100, 3) == 17
    assert viability_number("iowa", 100, 1) == 51


def test_iowa_takes_from_the_lowest_decimal_at_or_above_a_half_but_never_an_only_delegate():
    # 3 delegates, 100 attendees: quotas 1.5, 0.51 and 0.99 round to 2+1+1 = 4 > 3.
    # The lowest decimal >= .5 among groups with more than one delegate is A.
    r = allocate_iowa({"A": 50, "B": 17, "C": 33}, 3)
    assert r.allocation == {"A": 1, "B": 1, "C": 1}


def test_iowa_counts_every_eligible_attendee_in_the_quota():
    # 20 of the 100 attendees stand in no viable group; quotas use all 100.
    r = allocate_iowa({"A": 50, "B": 30}, 4, attendees=100)
    assert r.quota["A"] == 2 and r.quota["B"] == Fraction(6, 5)
    assert r.allocation == {"A": 2, "B": 2}  # 2 + 1 = 3; the fourth to B's decimal .2 over A's .0


def test_iowa_sends_the_smallest_extra_groups_to_realign():
    r = allocate_iowa({"A": 30, "B": 25, "C": 25, "D": 20}, 3)
    assert sum(r.allocation.values()) == 3
    assert r.viable["A"] and not r.viable["D"]
    assert any("realign" in note for note in r.notes)
    # B and C are tied for the last place among viable groups: the lot decides and is reported
    r2 = allocate_iowa({"A": 30, "B": 30, "C": 25, "D": 25}, 3, rng=3)
    (draw,) = r2.ties_broken_by_lot
    assert draw.step == "too-many-groups" and draw.tied == ("C", "D")
    assert r2.viable[draw.winners[0]] and r2.allocation[draw.winners[0]] == 1


def test_fair_reflection_drops_groups_under_15_percent_and_uses_largest_remainders():
    r = allocate_fair_reflection({"A": 50, "B": 36, "C": 14}, 4)
    assert r.viable == {"A": True, "B": True, "C": False}
    assert r.allocation == {"A": 2, "B": 2, "C": 0}  # 2.33 and 1.67: the .67 remainder wins


def test_a_tie_of_remainders_is_settled_by_a_reported_seeded_lot():
    results = {allocate_dfl({"A": 10, "B": 10}, 3, rng=seed).allocation["A"] for seed in range(20)}
    assert results == {1, 2}
    r = allocate_dfl({"A": 10, "B": 10}, 3, rng=7)
    (draw,) = r.ties_broken_by_lot
    assert draw.tied == ("A", "B") and draw.value == Fraction(1, 2)
    assert r.allocation[draw.winners[0]] == 2
    assert allocate_dfl({"A": 10, "B": 10}, 3, rng=7) == r


def test_no_viable_group_leaves_the_delegates_unallocated():
    r = allocate_dfl({"A": 1, "B": 1, "C": 1}, 2)
    assert r.unallocated == 2 and sum(r.allocation.values()) == 0
    assert r.notes


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"groups": {"A": -1}, "delegates": 3}, "groups"),
        ({"groups": {"A": 3}, "delegates": 0}, "delegates"),
        ({"groups": {"A": 3}, "delegates": 3, "rule": "borda"}, "rule"),
        ({"groups": {"A": 3}, "delegates": 3, "attendees": 2}, "attendees"),
        ({"groups": {}, "delegates": 3}, "groups"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(kwargs, parameter):
    with pytest.raises(ValidationError) as info:
        allocate_delegates(**kwargs)
    assert info.value.parameter == parameter
    assert parameter in str(info.value)


# --- brute force ------------------------------------------------------------------------


def _compositions(total: int, parts: int):
    for cuts in itertools.combinations(range(total + parts - 1), parts - 1):
        prev, out = -1, []
        for c in (*cuts, total + parts - 1):
            out.append(c - prev - 1)
            prev = c
        yield out


def _sq_distance(alloc, quota):
    return sum((a - q) ** 2 for a, q in zip(alloc, quota, strict=True))


small_groups = st.dictionaries(
    st.sampled_from("ABCDE"), st.integers(0, 30), min_size=1, max_size=5
)


@settings(max_examples=150, deadline=None)
@given(groups=small_groups, delegates=st.integers(1, 7))
def test_dfl_is_the_closest_whole_allocation_to_the_quotas_brute_force(groups, delegates):
    # Largest remainders minimize the squared distance to the quotas among all whole
    # allocations of the delegates to the viable groups (Balinski and Young, 2001).
    r = allocate_dfl(groups, delegates, rng=0)
    names = [n for n in groups if r.viable[n]]
    if not names:
        return
    quota = [r.quota[n] for n in names]
    best = min(_sq_distance(a, quota) for a in _compositions(delegates, len(names)))
    assert _sq_distance([r.allocation[n] for n in names], quota) == best


@settings(max_examples=150, deadline=None)
@given(groups=small_groups, delegates=st.integers(1, 7), extra=st.integers(0, 10))
def test_iowa_is_the_closest_allocation_giving_each_viable_group_a_delegate(groups, delegates, extra):
    # Adding to the highest decimal and taking from the lowest decimal >= .5 is the greedy
    # path to the whole allocation nearest the quotas with every viable group >= 1.
    r = allocate_iowa(groups, delegates, attendees=sum(groups.values()) + extra, rng=0)
    names = [n for n in groups if r.viable[n]]
    if not names:
        assert r.unallocated == delegates
        return
    quota = [r.quota[n] for n in names]
    feasible = [a for a in _compositions(delegates, len(names)) if min(a) >= 1]
    best = min(_sq_distance(a, quota) for a in feasible)
    assert _sq_distance([r.allocation[n] for n in names], quota) == best


# --- properties -------------------------------------------------------------------------

groups_strategy = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=4), st.integers(0, 200), min_size=1, max_size=8
)


@settings(max_examples=200, deadline=None)
@given(
    groups=groups_strategy,
    delegates=st.integers(1, 40),
    rule=st.sampled_from(["dfl", "iowa", "fair-reflection"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_allocations_sum_to_the_delegates_and_non_viable_groups_get_none(groups, delegates, rule, seed):
    r = allocate_delegates(groups, delegates, rule=rule, rng=seed)
    assert sum(r.allocation.values()) + r.unallocated == delegates
    if any(r.viable.values()):
        assert r.unallocated == 0
    for name, seats in r.allocation.items():
        assert seats >= 0
        if not r.viable[name]:
            assert seats == 0


@settings(max_examples=150, deadline=None)
@given(
    groups=groups_strategy,
    delegates=st.integers(1, 40),
    rule=st.sampled_from(["dfl", "iowa", "fair-reflection"]),
    data=st.data(),
)
def test_renaming_or_reordering_groups_changes_nothing_but_seeded_ties(groups, delegates, rule, data):
    base = allocate_delegates(groups, delegates, rule=rule, rng=1)
    names = list(groups)
    shuffled = data.draw(st.permutations(names))
    reordered = allocate_delegates({n: groups[n] for n in shuffled}, delegates, rule=rule, rng=1)
    assert reordered.allocation == base.allocation  # same seed, same lot: same result
    renamed = allocate_delegates({f"x{n}": c for n, c in groups.items()}, delegates, rule=rule, rng=1)
    tied = {n for d in base.ties_broken_by_lot for n in d.tied}
    tied_renamed = {n[1:] for d in renamed.ties_broken_by_lot for n in d.tied}
    for n in names:
        if n not in tied and n not in tied_renamed:
            assert renamed.allocation[f"x{n}"] == base.allocation[n]
    assert renamed.viability_number == base.viability_number
