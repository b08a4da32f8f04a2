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


@pytest.mark.slow
def test_load_demo_prints_what_it_loaded_and_the_logins(tmp_path):
    db = tmp_path / "demo.sqlite3"
    bad = _broadfront("load-demo", "--as-of", "2026-13-01", db=db)
    assert bad.returncode == 1
    assert bad.stderr.strip() == "error: --as-of must be a date as YYYY-MM-DD, got '2026-13-01'"
    proc = _broadfront("load-demo", "--scale", "small", "--seed", "0", "--as-of", "2026-03-02",
                       db=db)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("Loaded the demo coalition (scale small, seed 0, as of "
                               "02 Mar 2026) in ")
    assert "12 organizations" in lines[0]
    assert lines[1] == "Demo logins (password for all: broadfront-demo):"
    assert [line.split()[0] for line in lines[2:]] == ["ana", "ben", "grace", "hector", "cora",
                                                       "omar", "admin"]
    again = _broadfront("load-demo", db=db)
    assert again.returncode == 1
    assert again.stderr.startswith("error: ")


@pytest.mark.slow
def test_demo_loads_an_empty_database_then_serves_the_login_page(tmp_path):
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "served.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    server = subprocess.Popen(
        [sys.executable, "-m", "broadfront.cli.main", "demo", "--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + 180
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    body = r.read().decode()
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        assert "Log in" in body or "log in" in body.lower(), server.stdout.read() if server.poll() is not None else ""
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Loaded the demo coalition" in output
    assert f"Serving Broadfront at http://127.0.0.1:{port}/" in output
