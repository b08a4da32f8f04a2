"""``broadfront simulate SCENARIO.json``: exact output, JSON keys, seeds and exit codes."""

import json

from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()

# Weights 3, 2, 2 and quota 4: any two members win. Each votes with us half of the time, and
# C walks out half of the time, so C is with us only a quarter of the time.
# P(hold) = P(A and B) + P(A, C, not B) + P(B, C, not A) = 1/4 + 1/16 + 1/16 = 3/8.
TRIO = {
    "name": "trio",
    "body": {
        "quota": 4,
        "members": [
            {"name": "A", "weight": 3, "p_with_us": 0.5},
            {"name": "B", "weight": 2, "p_with_us": 0.5},
            {"name": "C", "weight": 2, "p_with_us": 0.5},
        ],
    },
    "shocks": [
        {"kind": "member_defects", "member": "C", "probability": 0.5, "label": "C walks out"}
    ],
}

MINIMAL = {
    "body": {
        "quota": 5,
        "members": [
            {"name": n, "weight": 1, "p_with_us": p}
            for n, p in zip("ABCDEFG", [0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3], strict=True)
        ],
    }
}


#: A race without uncertainty, so the counts can be checked by hand.
NO_NOISE = {"swing_sd": 0, "group_swing_sd": 0, "share_sd": 0, "turnout_swing_sd": 0,
            "turnout_sd": 0}


def write(tmp_path, data, name="scenario.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(p)


def test_the_report_shows_the_chance_the_fragile_seats_the_shocks_and_what_it_takes(tmp_path):
    result = runner.invoke(app, ["simulate", write(tmp_path, TRIO)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "scenario: trio (body, 1 shock)",
        "chance we hold: 37.5% (exact)",
        "without the shocks: 50.0%",
        "margin (weight, negative = we lose): mean -1  5%: -4  25%: -2  50%: -1  75%: +1  95%: +3",
        "fragile seats (share of outcomes their defection flips):",
        "  A   25.0%  ########",
        "  B   25.0%  ########",
        "  C   12.5%  ####",
        "damaging shocks (points lost alone; points won back by preventing it):",
        "  C walks out: -12.5 alone, +12.5 if prevented",
        "what would it take to hold with 80.0%: persuade A, B -> 100.0% [exhaustive search]",
    ]


def test_the_smallest_form_works_and_json_has_the_promised_keys(tmp_path):
    result = runner.invoke(app, ["simulate", write(tmp_path, MINIMAL), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    for key in ("p_hold", "p_hold_se", "method", "fragile", "damaging_shocks"):
        assert key in out
    assert out["method"] == "exact"
    assert out["p_hold_se"] == 0.0
    assert set(out["fragile"]) == set("ABCDEFG")
    assert out["damaging_shocks"] == []
    assert 0.37 < out["p_hold"] < 0.38  # sum over the 2^7 patterns with five or more yes


def test_json_of_a_shocked_body_ranks_the_damaging_shocks(tmp_path):
    result = runner.invoke(app, ["simulate", write(tmp_path, TRIO), "--json"])
    out = json.loads(result.output)
    assert out["p_hold"] == 0.375
    assert out["fragile"] == {"A": 0.25, "B": 0.25, "C": 0.125}
    assert out["damaging_shocks"] == [
        {"index": 0, "shock": "C walks out", "alone": 0.125, "marginal": 0.125}
    ]
    assert out["what_it_takes"]["members_persuaded"] == ["A", "B"]


def test_monte_carlo_is_reproducible_by_seed_and_reports_its_standard_error(tmp_path):
    path = write(tmp_path, TRIO)
    args = [
        "simulate",
        path,
        "--method",
        "monte-carlo",
        "--draws",
        "20000",
        "--seed",
        "7",
        "--json",
    ]
    first = json.loads(runner.invoke(app, args).output)
    second = json.loads(runner.invoke(app, args).output)
    assert first == second
    assert first["method"] == "monte-carlo" and first["draws"] == 20000 and first["seed"] == 7
    assert first["p_hold_se"] > 0
    assert abs(first["p_hold"] - 0.375) < 4 * first["p_hold_se"]
    other = json.loads(runner.invoke(app, args[:-2] + ["8", "--json"]).output)
    assert other["p_hold"] != first["p_hold"]


def test_a_race_reports_fragile_divisions_and_votes_needed(tmp_path):
    race = {
        "seed": 1,
        "race": {
            "our_candidate": "Us",
            "candidates": ["Us", "Them"],
            **NO_NOISE,
            "divisions": [
                {
                    "name": "North",
                    "voters": 1000,
                    "turnout": 0.5,
                    "shares": {"Us": 0.6, "Them": 0.4},
                },
                {
                    "name": "South",
                    "voters": 2000,
                    "turnout": 0.4,
                    "shares": {"Us": 0.45, "Them": 0.55},
                },
            ],
        },
        "shocks": [{"kind": "capture", "to": "Them", "fraction": 0.1, "divisions": ["South"]}],
    }
    result = runner.invoke(app, ["simulate", write(tmp_path, race), "--draws", "100"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "scenario: scenario (race, 1 shock)"
    assert lines[1] == "chance we hold: 0.0% +/- 0.0% (monte-carlo, 100 draws, seed 1)"
    assert lines[2] == "without the shocks: 100.0%"
    assert lines[-1] == (
        "what would it take to hold with 80.0%: 53 more votes for us (4.1% of expected turnout)"
        " -> 100.0%"
    )


def test_a_bad_field_is_named_with_its_path_and_exits_1(tmp_path):
    bad = json.loads(json.dumps(MINIMAL))
    bad["body"]["members"][2]["weight"] = -1
    path = write(tmp_path, bad)
    result = runner.invoke(app, ["simulate", path])
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == f"error: {path}, field 'body.members[2].weight': must be >= 0, got -1"
    )


def test_a_broken_json_file_names_the_line(tmp_path):
    path = write(tmp_path, '{"body": {\n  "quota": 5,\n  oops\n}}')
    result = runner.invoke(app, ["simulate", path])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {path}, row 3: not valid JSON")


def test_a_missing_file_and_bad_options_exit_1(tmp_path):
    result = runner.invoke(app, ["simulate", str(tmp_path / "none.json")])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: {tmp_path / 'none.json'}: cannot read the file: No such file or directory"
    )
    path = write(tmp_path, MINIMAL)
    result = runner.invoke(app, ["simulate", path, "--draws", "0"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: --draws must be between 1 and 10,000,000, got 0"
    result = runner.invoke(app, ["simulate", path, "--method", "quantum"])
    assert result.exit_code == 1
    assert "--method must be auto, exact or monte-carlo" in result.output


def test_forcing_exact_where_it_does_not_apply_is_an_error(tmp_path):
    d = json.loads(json.dumps(MINIMAL))
    d["body"]["blocs"] = {"b": 0.5}
    for m in d["body"]["members"]:
        m["bloc"] = "b"
    result = runner.invoke(app, ["simulate", write(tmp_path, d), "--method", "exact"])
    assert result.exit_code == 1
    assert result.output.startswith("error: no exact method here")


def test_a_ranked_choice_race_reports_its_rounds_and_our_final_round_share(tmp_path):
    # P 340, Q 250, K 220, T 120, O 70 first choices; O, T then K are eliminated and Q (us)
    # wins the final round 518.425 to 453.665: 53.3% of the 972.09 continuing votes.
    race = {
        "seed": 1,
        "race": {
            "our_candidate": "Q",
            "candidates": ["P", "Q", "K", "T", "O"],
            "rule": "instant_runoff",
            "transfers": {
                "O": {"P": 0.3, "Q": 0.3, "K": 0.3, "T": 0.1},
                "T": {"P": 0.4, "Q": 0.3, "K": 0.3},
                "K": {"Q": 0.75, "P": 0.15},
            },
            **NO_NOISE,
            "divisions": [
                {"name": "City", "voters": 1000, "turnout": 1.0,
                 "shares": {"P": 0.34, "Q": 0.25, "K": 0.22, "T": 0.12, "O": 0.07}},
            ],
        },
    }
    path = write(tmp_path, race)
    result = runner.invoke(app, ["simulate", path, "--draws", "100"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "chance we hold: 100.0% +/- 0.0% (monte-carlo, 100 draws, seed 1)"
    assert lines[3] == "counted by ranked choice (instant runoff): more than one round in 100.0%"
    assert lines[4] == (
        "our final-round share: mean 53.3%  5%: 53.3%  25%: 53.3%  50%: 53.3%  75%: 53.3%"
        "  95%: 53.3%"
    )
    data = json.loads(runner.invoke(app, ["simulate", path, "--draws", "100", "--json"]).output)
    assert data["runoff"]["rule"] == "instant_runoff"
    assert data["runoff"]["p_more_rounds"] == 1.0
    race["race"]["rule"] = "plurality"  # P leads on first choices: we lose, no runoff lines
    plain = runner.invoke(app, ["simulate", write(tmp_path, race), "--draws", "100"]).output
    assert "chance we hold: 0.0%" in plain and "counted by" not in plain
    assert "runoff" not in json.loads(
        runner.invoke(app, ["simulate", write(tmp_path, race), "--draws", "100", "--json"]).output
    )
