"""Every caucus engine checks its documented ranges before it starts (issue 13, H4)."""

from __future__ import annotations

import time

import pytest

from broadfront.analysis.caucus import (
    MAX_ATTENDEES,
    MAX_BALLOTS,
    MAX_DELEGATES,
    MAX_GROUPS,
    MAX_SEATS,
    MAX_UNITS,
    MAX_WHATIF_ATTENDEES,
    allocate_delegates,
    apportion,
    run_endorsement,
    viability_number,
    what_if,
)
from broadfront.exceptions import ValidationError


def _refused(parameter: str, call, *args, **kwargs) -> str:
    start = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert time.perf_counter() - start < 1
    assert info.value.parameter == parameter
    return str(info.value)


def test_a_trillion_attendees_is_refused_naming_attendees():
    message = _refused("attendees", allocate_delegates, {"A": 40, "B": 20}, 5,
                       attendees=10**12)
    assert message == f"attendees must be at most {MAX_ATTENDEES:,}, got {10**12}"


def test_a_twenty_digit_group_is_refused_naming_groups():
    _refused("groups", what_if, {"A": 10**20, "B": 20}, 5, "B")


def test_too_many_groups_or_delegates_are_refused():
    _refused("groups", allocate_delegates, {f"G{i}": 1 for i in range(MAX_GROUPS + 1)}, 5)
    _refused("delegates", allocate_delegates, {"A": 1}, MAX_DELEGATES + 1)
    _refused("delegates", viability_number, "dfl", 100, MAX_DELEGATES + 1)


def test_the_what_if_search_refuses_a_caucus_larger_than_it_searches():
    _refused("attendees", what_if, {"A": MAX_WHATIF_ATTENDEES, "B": 1}, 5, "B")
    _refused("max_recruits", what_if, {"A": 40, "B": 20}, 5, "B",
             max_recruits=MAX_WHATIF_ATTENDEES + 1)


def test_the_what_if_search_at_its_limit_finishes_in_seconds():
    start = time.perf_counter()
    r = what_if({"A": MAX_WHATIF_ATTENDEES - 100, "B": 100}, 2, "B")
    assert time.perf_counter() - start < 20
    assert r.baseline == 0 and r.best is not None


def test_a_trillion_seats_is_refused_naming_seats():
    message = _refused("seats", apportion, {"P1": 560, "P2": 290}, 10**12)
    assert f"at most {MAX_SEATS:,}" in message
    _refused("seats", apportion, {"P1": 560, "P2": 290}, 10**12, method="per-votes")


def test_huntington_hill_refuses_work_beyond_its_budget():
    message = _refused("seats", apportion, {f"P{i}": 1 for i in range(1000)}, 10_000)
    assert "use hamilton or per-votes" in message


def test_huntington_hill_with_ties_records_each_lot_as_before():
    r = apportion({"A": 1, "B": 1, "C": 1}, 4, rng=0)
    assert sorted(r.allocation.values()) == [1, 1, 2]
    (draw,) = r.ties_broken_by_lot
    assert draw.tied == ("A", "B", "C") and len(draw.winners) == 1


def test_units_weights_and_minimum_have_ranges():
    _refused("weights", apportion, {f"P{i}": 1 for i in range(MAX_UNITS + 1)}, 10, method="hamilton")
    _refused("weights", apportion, {"P1": "9" * 400, "P2": 1}, 10, method="hamilton")
    _refused("weights", apportion, {"P1": 10**16, "P2": 1}, 10, method="hamilton")
    _refused("weights", apportion, {"P1": "1/" + "3" * 20, "P2": 1}, 10, method="hamilton")
    _refused("minimum x units", apportion, {"P1": 1, "P2": 1}, 10, method="hamilton",
             minimum=MAX_SEATS)
    _refused("votes_per_delegate", apportion, {"P1": 1}, method="per-votes",
             votes_per_delegate=10**16)


def test_endorsement_ballots_have_a_range():
    _refused("max_ballots", run_endorsement, {"X": 60, "Y": 40}, max_ballots=MAX_BALLOTS + 1)
