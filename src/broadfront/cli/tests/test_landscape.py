"""``broadfront align`` and ``broadfront paths`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()

COUNCIL = """member,budget,transit,housing,police,parks,rent,zoning,wages
Ana,1,1,1,0,1,1,1,1
Ben,1,1,1,0,1,1,0,1
Cruz,1,1,0,0,1,1,0,
Dee,1,0,0,1,1,0,0,1
Eli,0,0,0,1,1,0,0,0
Fay,0,0,0,1,0,0,1,0
Mayor,1,1,0,1,1,0,0,1
"""

MAP = {
    "actors": [
        {"id": "us", "kind": "organization"},
        {"id": "pastor"},
        {"id": "union", "kind": "organization"},
        {"id": "staff"},
        {"id": "donor"},
        {"id": "council"},
    ],
    "relationships": [
        {"source": "pastor", "target": "us", "type": "member_of", "start": "2019-01-01"},
        {"source": "us", "target": "union", "type": "allied_with", "start": "2021-03-01"},
        {"source": "union", "target": "staff", "type": "knows"},
        {"source": "pastor", "target": "staff", "type": "family"},
        {"source": "council", "target": "staff", "type": "employs", "start": "2022-01-01"},
        {"source": "donor", "target": "council", "type": "funds", "start": "2022-06-01", "end": "2023-12-31"},
        {"source": "us", "target": "donor", "type": "opposes"},
    ],
}


@pytest.fixture
def council(tmp_path: Path) -> Path:
    path = tmp_path / "council.csv"
    path.write_text(COUNCIL)
    return path


@pytest.fixture
def power_map(tmp_path: Path) -> Path:
    path = tmp_path / "map.json"
    path.write_text(json.dumps(MAP))
    return path


def test_align_prints_positions_votes_used_and_classification_as_json(council: Path) -> None:
    result = runner.invoke(app, ["align", str(council), "--anchor", "Fay", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"ideal_points", "correct_classification", "votes_used"}
    assert list(data["ideal_points"]) == ["Ana", "Ben", "Cruz", "Dee", "Eli", "Fay", "Mayor"]
    assert data["ideal_points"]["Fay"] > 0 > data["ideal_points"]["Ana"]
    assert data["votes_used"] == 8
    assert 0.9 < data["correct_classification"] <= 1.0


def test_align_in_text_lists_members_from_one_end_to_the_other(council: Path) -> None:
    result = runner.invoke(app, ["align", str(council), "--anchor", "Fay"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Ben") and lines[6].startswith("Fay")
    assert lines[7] == "votes used: 8 of 8"
    assert lines[8].startswith("correct classification: 0.9")


def test_align_with_bootstrap_adds_intervals(council: Path) -> None:
    result = runner.invoke(app, ["align", str(council), "--anchor", "Fay", "--boot", "10", "--json"])
    data = json.loads(result.stdout)
    low, high = data["intervals"]["Fay"]["lower"], data["intervals"]["Fay"]["upper"]
    assert low <= data["ideal_points"]["Fay"] <= high


def test_align_in_two_dimensions_gives_pairs(council: Path) -> None:
    result = runner.invoke(app, ["align", str(council), "--dims", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["ideal_points"]["Ana"]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("member,v1,v2\nA,1,2\n", "row 2, field 'v2': must be 1, 0 or blank, got '2'"),
        ("member,v1,v2\nA,1\n", "row 2, field 'member': has 2 cells, the header has 3"),
        ("member,v1,v1\nA,1,0\n", "row 1, field 'v1': vote 'v1' appears twice in the header"),
        ("member,v1\nA,1\nA,0\n", "row 3, field 'member': member 'A' appears twice"),
    ],
)
def test_align_names_file_row_and_field_of_a_bad_cell(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(content)
    result = runner.invoke(app, ["align", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {path}, {message}"


def test_align_with_an_unknown_anchor_fails_naming_it(council: Path) -> None:
    result = runner.invoke(app, ["align", str(council), "--anchor", "Zed"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: anchor 'Zed' is not among the members"


def test_paths_lists_the_three_shortest_paths(power_map: Path) -> None:
    result = runner.invoke(app, ["paths", str(power_map), "--from", "us", "--to", "council"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "1. us -> donor -> council (2 steps)"
    assert "2. us -> pastor -> staff -> council (3 steps)" in result.stdout
    assert "3. us -> union -> staff -> council (3 steps)" in result.stdout


def test_paths_leaves_out_opposition_and_inactive_ties_as_json(power_map: Path) -> None:
    result = runner.invoke(app, [
        "paths", str(power_map), "--from", "us", "--to", "council", "--k", "5",
        "--exclude-type", "opposes", "--on", "2024-01-01", "--json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(p["actors"] for p in data["paths"]) == [
        ["us", "pastor", "staff", "council"], ["us", "union", "staff", "council"]]
    via_pastor = next(p for p in data["paths"] if p["actors"][1] == "pastor")
    assert via_pastor["steps"][1] == {"source": "pastor", "target": "staff", "types": ["family"]}
    assert via_pastor["hops"] == 3


def test_paths_says_when_there_is_no_path(power_map: Path) -> None:
    result = runner.invoke(app, ["paths", str(power_map), "--from", "us", "--to", "council",
                                 "--on", "2020-01-01"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "no path from us to council"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m["relationships"][2].update(target="ghost"),
         "relationships[2], field 'target': 'ghost' is not an actor"),
        (lambda m: m["relationships"][0].update(start="2019-13-01"),
         "relationships[0], field 'start': must be a date YYYY-MM-DD, got '2019-13-01'"),
        (lambda m: m["relationships"][1].update(strength=0),
         "relationships[1], field 'strength': must be a number > 0, got 0"),
        (lambda m: m["actors"].append({"id": "us"}),
         "actors[6], field 'id': actor 'us' appears twice"),
    ],
)
def test_paths_names_file_item_and_field_of_a_bad_map(tmp_path: Path, change, message: str) -> None:
    data = json.loads(json.dumps(MAP))
    change(data)
    path = tmp_path / "map.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["paths", str(path), "--from", "us", "--to", "council"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {path}, row {message}"


def test_paths_to_an_unknown_actor_fails(power_map: Path) -> None:
    result = runner.invoke(app, ["paths", str(power_map), "--from", "us", "--to", "mayor"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: target 'mayor' is not on the map"
