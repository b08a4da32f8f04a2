"""Every analysis command takes --json, and every unreadable input file is named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()

# The analysis commands that read one input file, with the options they require.
FILE_COMMANDS = {
    "power": [],
    "simulate": [],
    "decide": [],
    "reliability": ["--as-of", "2024-01-01"],
    "turnout": [],
    "align": [],
    "paths": ["--from", "a", "--to", "b"],
}
JSON_FILE_COMMANDS = ("power", "simulate", "decide", "paths")
ANALYSIS_COMMANDS = [*FILE_COMMANDS, "caucus allocate", "caucus apportion", "caucus endorse"]


def _command(path: str) -> typer.main.TyperGroup:
    cmd = typer.main.get_command(app)
    for part in path.split():
        cmd = cmd.commands[part]  # type: ignore[attr-defined]
    return cmd  # type: ignore[return-value]


def _fails_naming(args: list[str], file: Path, after: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {file}{after}"), lines[0]


@pytest.mark.parametrize("command", ANALYSIS_COMMANDS)
def test_every_analysis_command_takes_json(command: str) -> None:
    options = {o for p in _command(command).params for o in p.opts}
    assert "--json" in options


@pytest.mark.parametrize("command", ANALYSIS_COMMANDS)
def test_every_option_and_argument_is_explained(command: str) -> None:
    cmd = _command(command)
    assert cmd.help and cmd.help.split("\n")[0].endswith(".")
    for param in cmd.params:
        assert getattr(param, "help", None), f"{command} {param.name} has no help"


@pytest.mark.parametrize("command", list(FILE_COMMANDS))
def test_a_missing_file_is_named_and_exits_1(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    _fails_naming([command, str(missing), *FILE_COMMANDS[command]], missing,
                  ": cannot read the file: No such file or directory")


@pytest.mark.parametrize("command", list(FILE_COMMANDS))
def test_a_folder_instead_of_a_file_is_named_and_exits_1(command: str, tmp_path: Path) -> None:
    _fails_naming([command, str(tmp_path), *FILE_COMMANDS[command]], tmp_path,
                  ": cannot read the file: ")


@pytest.mark.parametrize("command", list(FILE_COMMANDS))
def test_a_file_that_is_not_utf8_is_named_and_exits_1(command: str, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("membre,vote\nJos\xe9,1\n".encode("latin-1"))
    _fails_naming([command, str(latin1), *FILE_COMMANDS[command]], latin1,
                  ": the file is not UTF-8 text")


@pytest.mark.parametrize("command", JSON_FILE_COMMANDS)
def test_broken_json_names_the_file_and_the_row(command: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "weights": [1, 2],\n  "quota" 2\n}\n', encoding="utf-8")
    _fails_naming([command, str(broken), *FILE_COMMANDS[command]], broken,
                  ", row 3: not valid JSON: Expecting ':' delimiter (column 11)")


@pytest.mark.parametrize("command", JSON_FILE_COMMANDS)
def test_json_that_is_not_an_object_names_the_file(command: str, tmp_path: Path) -> None:
    a_list = tmp_path / "list.json"
    a_list.write_text("[1, 2, 3]\n", encoding="utf-8")
    _fails_naming([command, str(a_list), *FILE_COMMANDS[command]], a_list, "")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    game = tmp_path / "game.json"
    game.write_bytes(b"\xef\xbb\xbf" + b'{"weights": [2, 1, 1], "quota": 3}')
    result = runner.invoke(app, ["power", str(game), "--json"])
    assert result.exit_code == 0, result.output


def test_a_usage_mistake_exits_2_and_says_which_option(tmp_path: Path) -> None:
    result = runner.invoke(app, ["power"])
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


COUNCIL = "member,v1,v2,v3\nAna,1,1,0\nBen,1,0,0\nCruz,0,0,1\nDee,0,1,1\n"
MAP = '{"actors": [{"id": "us"}, {"id": "them"}], "relationships": [{"source": "us", "target": "them", "type": "knows"}]}'
GAME = '{"weights": [2, 1, 1], "quota": 3}'


@pytest.mark.parametrize(("args", "message"), [
    (["align", "{council}", "--dims", "3"], "--dims must be 1 or 2, got 3"),
    (["align", "{council}", "--min-votes", "0"], "--min-votes must be an integer >= 1, got 0"),
    (["align", "{council}", "--boot", "-1"], "--boot must be between 0 and 1,000, got -1"),
    (["align", "{council}", "--seed", "-1"], "--seed must not be negative, got -1"),
    (["paths", "{map}", "--from", "us", "--to", "them", "--k", "0"],
     "--k must be between 1 and 1,000, got 0"),
    (["paths", "{map}", "--from", "zz", "--to", "them"], "source 'zz' is not on the map"),
    (["power", "{game}", "--method", "sample", "--samples", "10", "--seed", "-1"],
     "--seed must not be negative, got -1"),
    (["caucus", "allocate", "--rule", "iowa", "--delegates", "3", "--group", "A=3",
      "--group", "B=3", "--seed", "-2"], "--seed must not be negative, got -2"),
    (["caucus", "apportion", "--method", "hamilton", "--seats", "3", "--weight", "A=1",
      "--seed", "-2"], "--seed must not be negative, got -2"),
])
def test_a_bad_option_is_named_as_typed(args: list[str], message: str, tmp_path: Path) -> None:
    files = {"council": ("council.csv", COUNCIL), "map": ("map.json", MAP), "game": ("game.json", GAME)}
    paths = {}
    for key, (name, text) in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths[key] = str(tmp_path / name)
    result = runner.invoke(app, [a.format(**paths) for a in args])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: {message}\n"
