"""The "what if" search at one caucus."""

from __future__ import annotations

import pytest

from broadfront.analysis.caucus import allocate_delegates, what_if
from broadfront.exceptions import ValidationError

CAUCUS = {"A": 40, "B": 25, "C": 20, "D": 9, "E": 6}


def test_winning_over_the_nine_person_group_is_worth_a_whole_delegate():
    # DFL example caucus (5 delegates): C has 1 delegate; with D's 9 people C has 29 of the
    # 89 viable members, quota 1.63, and takes B's remainder delegate.
    r = what_if(CAUCUS, 5, "C")
    (move,) = [m for m in r.moves if m.kind == "win-over-group" and m.source == "D"]
    assert r.baseline == 1 and move.bloc_delegates == 2 and move.gain == 1


def test_every_move_reported_is_real_when_recomputed():
    r = what_if(CAUCUS, 5, "C")
    for move in r.moves:
        groups = dict(CAUCUS)
        attendees = sum(groups.values())
        if move.kind == "recruit":
            groups["C"] += move.people
        else:
            groups["C"] += move.people
            groups[move.source] -= move.people
        seats = allocate_delegates(groups, 5, rule="dfl", attendees=attendees + (move.people if move.kind == "recruit" else 0), rng=0)
        assert seats.allocation["C"] >= move.bloc_delegates


def test_the_fewest_members_needed_are_found_by_counting_up():
    r = what_if(CAUCUS, 5, "C")
    best = r.best
    assert best is not None and best.kind == "win-over-members" and best.source == "B"
    fewer = dict(CAUCUS)
    fewer["C"] += best.people - 1
    fewer["B"] -= best.people - 1
    assert allocate_delegates(fewer, 5, rng=0).allocation["C"] == 1


def test_recruits_needed_for_the_next_delegate_under_iowa_rules():
    r = what_if({"Us": 10, "Them": 90}, 5, "Us", rule="iowa")
    # 15% viability: Us needs 15 of 100 + k; k recruits make Us 10 + k of 100 + k.
    k = r.recruits_for_next_delegate
    assert k is not None
    ok = allocate_delegates({"Us": 10 + k, "Them": 90}, 5, rule="iowa", rng=0).allocation["Us"]
    assert ok == 1
    before = allocate_delegates({"Us": 9 + k, "Them": 90}, 5, rule="iowa", rng=0).allocation["Us"]
    assert before == 0


def test_an_unknown_bloc_is_refused():
    with pytest.raises(ValidationError) as info:
        what_if(CAUCUS, 5, "Z")
    assert info.value.parameter == "bloc"
