"""The site commands: init, load-demo, demo, serve, createuser, token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()


def _broadfront(*args: str, db: Path, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "broadfront.cli.main", *args, "--db", str(db)],
        capture_output=True, text=True, env=env, input=input, timeout=300,
    )


def test_help_lists_every_command_group():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "load-demo", "demo", "serve", "createuser", "token"):
        assert command in result.output


def test_a_bad_scale_is_one_clear_line_and_exit_1():
    result = runner.invoke(app, ["load-demo", "--scale", "huge"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: --scale must be small, medium, large or a number of people, got 'huge'"
    )


def test_a_bad_port_is_refused_before_anything_starts():
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: --port must be between 1 and 65535, got 70000"


def test_a_bad_database_url_is_named():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = "mongodb://nope"
    proc = subprocess.run([sys.executable, "-m", "broadfront.cli.main", "init"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("error: DATABASE_URL is not a database URL: 'mongodb://nope'")


@pytest.mark.slow
def test_init_then_createuser_on_a_fresh_sqlite_file(tmp_path):
    db = tmp_path / "fresh.sqlite3"
    proc = _broadfront("init", db=db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"Database ready: SQLite file {db}.\n"
    proc = _broadfront("createuser", "zoe", "--password", "long-enough-pw", "--role", "viewer",
                       db=db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Created user zoe.\n"
    again = _broadfront("createuser", "zoe", "--password", "long-enough-pw", db=db)
    assert again.returncode == 1
    assert again.stderr.strip() == "error: a user named 'zoe' already exists"
    bad_org = _broadfront("createuser", "yan", "--password", "long-enough-pw",
                          "--organization", "nowhere", db=db)
    assert bad_org.returncode == 1
    assert bad_org.stderr.strip() == "error: no organization with slug 'nowhere'"
    token = _broadfront("token", "zoe", db=db)
    assert token.returncode == 0
    assert token.stdout.startswith("bf_")
