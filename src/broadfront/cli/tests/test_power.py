"""``broadfront power GAME.json``: exact output, JSON keys and exit codes."""

import json

from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()

EEC = {"names": ["FR", "DE", "IT", "BE", "NL", "LU"], "weights": [4, 4, 4, 2, 2, 1], "quota": 12}


def write(tmp_path, data, name="game.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(p)


def test_the_table_shows_each_member_and_says_who_has_no_power(tmp_path):
    result = runner.invoke(app, ["power", write(tmp_path, EEC)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "player  weight  banzhaf  swings  shapley_shubik",
        "FR           4   0.2381      10          0.2333",
        "DE           4   0.2381      10          0.2333",
        "IT           4   0.2381      10          0.2333",
        "BE           2   0.1429       6          0.1500",
        "NL           2   0.1429       6          0.1500",
        "LU           1   0.0000       0          0.0000",
        "method: exact",
        "no power at all despite their weight: LU",
    ]


def test_json_has_players_banzhaf_swings_shapley_shubik_and_method(tmp_path):
    result = runner.invoke(app, ["power", write(tmp_path, EEC), "--json", "--index", "holler"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["players"] == EEC["names"]
    assert out["banzhaf_swings"] == [10, 10, 10, 6, 6, 0]
    assert abs(out["banzhaf"][0] - 5 / 21) < 1e-12
    assert abs(out["shapley_shubik"][3] - 0.15) < 1e-12
    assert out["holler"] == [0.2, 0.2, 0.2, 0.2, 0.2, 0.0]
    assert out["method"] == "exact"
    assert "johnston" not in out


def test_quota_fraction_and_extra_conditions_make_a_double_majority(tmp_path):
    game = {
        "weights": [1, 1, 1],
        "quota_fraction": 0.5,
        "conditions": [{"weights": [10, 1, 1], "quota": 6}],
    }
    result = runner.invoke(app, ["power", write(tmp_path, game), "--json", "--index", "coleman"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["banzhaf_swings"] == [3, 1, 1]
    assert out["coleman"]["act"] == 3 / 8


def test_sampling_reports_its_samples_and_standard_errors(tmp_path):
    args = ["power", write(tmp_path, EEC), "--method", "sample", "--samples", "300", "--seed", "4"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["method"] == "sample" and out["samples"] == 300
    assert out["banzhaf_swings"] is None
    assert len(out["standard_errors"]["shapley_shubik"]) == 6
    again = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert again["shapley_shubik"] == out["shapley_shubik"]


def test_a_quota_above_the_total_is_an_error_naming_the_file_and_field(tmp_path):
    path = write(tmp_path, {"weights": [1, 2], "quota": 9})
    result = runner.invoke(app, ["power", path])
    assert result.exit_code == 1
    assert f"error: {path}, field 'quota': quota must not exceed the total weight 3" in result.output


def test_bad_json_unknown_index_and_bad_method_are_errors(tmp_path):
    bad = runner.invoke(app, ["power", write(tmp_path, "{not json")])
    assert bad.exit_code == 1 and "not valid JSON" in bad.output
    path = write(tmp_path, EEC)
    idx = runner.invoke(app, ["power", path, "--index", "gini"])
    assert idx.exit_code == 1 and "--index must be one of" in idx.output
    meth = runner.invoke(app, ["power", path, "--method", "fast"])
    assert meth.exit_code == 1 and "--method must be auto, exact or sample" in meth.output
    missing = runner.invoke(app, ["power", write(tmp_path, {"weights": [1, 2]})])
    assert missing.exit_code == 1 and "field 'quota'" in missing.output


def test_the_help_names_every_extra_index_the_engine_knows() -> None:
    from broadfront.analysis.power import INDEX_NAMES

    result = runner.invoke(app, ["power", "--help"], terminal_width=200)
    assert all(name in result.output for name in INDEX_NAMES[2:]), result.output
