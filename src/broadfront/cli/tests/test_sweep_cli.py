"""`broadfront simulate --sweep`: which shocks, members or divisions break what we hold."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()

COUNCIL = {"name": "council", "body": {"quota": 3, "members": [
    {"name": "A", "weight": 2, "p_with_us": 0.9}, {"name": "B", "weight": 1, "p_with_us": 0.7},
    {"name": "C", "weight": 1, "p_with_us": 0.4}, {"name": "D", "weight": 1, "p_with_us": 0.2}]}}


def test_the_sweep_lists_what_breaks_the_majority_worst_first(tmp_path: Path) -> None:
    path = tmp_path / "council.json"
    path.write_text(json.dumps(COUNCIL))
    result = runner.invoke(app, ["simulate", str(path), "--sweep", "members"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # exact: A and one of B, C, D (0.9 x (1 - 0.3 x 0.6 x 0.8) = 0.7704), or B, C and D
    # without A (0.1 x 0.7 x 0.4 x 0.2 = 0.0056): 0.776. Without A: B, C and D, 0.056;
    # without B: A with C or D, 0.468.
    assert lines[0] == "council: 77.6% chance we hold as it stands; 4 variants"
    assert lines[1:4] == ["What breaks it, worst first:", "    5.6%  A votes against us",
                          "   46.8%  B votes against us"]
    as_json = runner.invoke(app, ["simulate", str(path), "--sweep", "all", "--json"])
    data = json.loads(as_json.output)
    assert abs(data["base"]["p_hold"] - 0.776) < 1e-12
    assert [p["label"] for p in data["breaking"]][:1] == ["A votes against us"]


def test_a_sweep_that_does_not_apply_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "council.json"
    path.write_text(json.dumps(COUNCIL))
    result = runner.invoke(app, ["simulate", str(path), "--sweep", "divisions"])
    assert result.exit_code == 1
    assert result.output.strip() == ("error: sweep must be among shocks, members for a body, "
                                     "got 'divisions'")
