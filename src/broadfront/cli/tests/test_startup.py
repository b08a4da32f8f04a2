"""The command line starts without loading the engines: they load when a command runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from broadfront.cli.main import COMMAND_MODULES, app

HEAVY = ("numpy", "scipy", "numba", "django", "networkx", "rustworkx", "pref_voting")


def _modules_loaded_by(code: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_root_command_loads_no_engine_library() -> None:
    loaded = _modules_loaded_by("import broadfront.cli.main")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_printing_the_help_loads_no_engine_library() -> None:
    code = (
        "import sys\n"
        "from broadfront.cli.main import app\n"
        "try:\n"
        "    app(['--help'], prog_name='broadfront')\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    loaded = _modules_loaded_by(code)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("group", ["caucus"])
def test_a_sub_groups_help_loads_no_engine_library(group: str) -> None:
    code = (
        "from broadfront.cli.main import app\n"
        "try:\n"
        f"    app([{group!r}, '--help'], prog_name='broadfront')\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    loaded = _modules_loaded_by(code)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_engine_is_loaded_when_a_command_runs() -> None:
    """The check above can fail: running a command does import its engine."""
    code = (
        "from broadfront.cli.main import app\n"
        "try:\n"
        "    app(['caucus', 'endorse', '--votes-cast', '10'], prog_name='broadfront')\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    assert "numpy" in _modules_loaded_by(code)


def test_every_expected_command_module_is_registered() -> None:
    names = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert len(COMMAND_MODULES) == 9
    assert {"init", "load-demo", "demo", "serve", "createuser", "token", "power", "caucus",
            "reliability", "turnout", "simulate", "align", "paths", "decide", "import",
            "export", "worker"} <= names


def test_every_command_has_a_one_line_summary_in_the_help() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("power", "caucus", "reliability", "turnout", "simulate", "align", "paths",
                 "decide", "init", "demo", "import", "export"):
        assert any(line.strip().startswith(name + " ") for line in result.output.splitlines()), name
