"""``broadfront caucus``: allocate, apportion and endorse through the CLI runner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()

DFL_EXAMPLE = ["--group", "A=40", "--group", "B=25", "--group", "C=20", "--group", "D=9", "--group", "E=6"]


def run(*args: str):
    return runner.invoke(app, list(args))


def test_allocate_prints_the_dfl_example_as_json_with_the_promised_keys():
    result = run("caucus", "allocate", "--rule", "dfl", "--delegates", "5", *DFL_EXAMPLE, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"allocation", "viable", "viability_number", "quota", "ties_broken_by_lot"} <= set(data)
    assert data["allocation"] == {"A": 2, "B": 2, "C": 1, "D": 0, "E": 0}
    assert data["viable"] == {"A": True, "B": True, "C": True, "D": False, "E": False}
    assert data["viability_number"] == 20
    assert data["quota"]["B"] == pytest.approx(25 / 17)
    assert data["ties_broken_by_lot"] == []


def test_allocate_prints_a_readable_table_without_json():
    result = run("caucus", "allocate", "--rule", "dfl", "--delegates", "5", *DFL_EXAMPLE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1] == "viability number: 20"
    assert lines[2] == "divisor: 17.000"
    assert lines[4].split() == ["A", "40", "yes", "2.353", "2"]


def test_allocate_iowa_precinct_alpha():
    result = run(
        "caucus", "allocate", "--rule", "iowa", "--delegates", "7", "--group", "A=20", "--group", "B=18",
        "--group", "C=27", "--group", "D=19", "--group", "E=16", "--json",
    )
    assert json.loads(result.stdout)["allocation"] == {"A": 2, "B": 1, "C": 2, "D": 1, "E": 1}


def test_a_seeded_tie_is_reported_and_repeatable():
    args = ("caucus", "allocate", "--rule", "dfl", "--delegates", "3", "--group", "A=10", "--group", "B=10", "--seed", "4", "--json")
    first, second = json.loads(run(*args).stdout), json.loads(run(*args).stdout)
    assert first == second
    (tie,) = first["ties_broken_by_lot"]
    assert tie["tied"] == ["A", "B"] and first["allocation"][tie["winners"][0]] == 2


def test_apportion_prints_the_allocation():
    result = run(
        "caucus", "apportion", "--method", "huntington-hill", "--seats", "10",
        "--weight", "P1=560", "--weight", "P2=290", "--weight", "P3=150", "--json",
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["allocation"] == {"P1": 5, "P2": 3, "P3": 2}
    result = run("caucus", "apportion", "--method", "per-votes", "--votes-per-delegate", "100",
                 "--weight", "P1=560", "--weight", "P2=251", "--json")
    assert json.loads(result.stdout)["allocation"] == {"P1": 6, "P2": 3}


def test_endorse_prints_votes_needed():
    result = run("caucus", "endorse", "--threshold", "0.6", "--votes-cast", "1001", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"threshold": 0.6, "votes_cast": 1001, "votes_needed": 601}
    result = run("caucus", "endorse", "--votes-cast", "1000", "--bloc", "401")
    assert result.stdout.splitlines() == [
        "votes needed: 600 of 1000 (60% rounded up)",
        "a bloc of 401 can block an endorsement alone",
    ]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["allocate", "--rule", "dfl", "--delegates", "5", "--group", "A=-3"], "--group"),
        (["allocate", "--rule", "dfl", "--delegates", "0", "--group", "A=3"], "--delegates"),
        (["allocate", "--rule", "borda", "--delegates", "5", "--group", "A=3"], "--rule"),
        (["allocate", "--rule", "dfl", "--delegates", "5", "--group", "A3"], "--group"),
        (["allocate", "--rule", "dfl", "--delegates", "5", "--group", "A=3", "--attendees", "2"], "attendees"),
        (["apportion", "--method", "hamilton", "--seats", "0", "--weight", "A=1"], "--seats"),
        (["apportion", "--method", "dhondt", "--seats", "3", "--weight", "A=1"], "--method"),
        (["apportion", "--method", "hamilton", "--seats", "3", "--weight", "A=-1"], "--weight"),
        (["endorse", "--threshold", "1.5", "--votes-cast", "10"], "--threshold"),
        (["endorse", "--threshold", "0", "--votes-cast", "10"], "--threshold"),
        (["endorse", "--votes-cast", "-1"], "--votes-cast"),
    ],
)
def test_bad_input_exits_1_with_one_line_naming_the_argument(args, named):
    result = run("caucus", *args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and named in lines[0]
