"""`broadfront serve` runs gunicorn; with a `broadfront worker` beside it, /healthz is green."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from broadfront.cli.serving import MAX_WEB_WORKERS, default_web_workers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "BROADFRONT_TEST_CLOCK_SHIFT_DAYS", "BROADFRONT_DEMO")}
    env["BROADFRONT_SECRET_KEY"] = "a-test-only-secret-key-" + "x" * 40
    env["DATABASE_URL"] = f"sqlite:///{db}"
    return env


def _cli(*args: str, env: dict[str, str], **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "broadfront.cli.main", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            **kw)  # type: ignore[call-overload]


def test_the_default_number_of_web_processes_is_bounded() -> None:
    assert 2 <= default_web_workers() <= 8 <= MAX_WEB_WORKERS


@pytest.mark.slow
def test_serve_runs_gunicorn_and_healthz_wants_a_worker(tmp_path: Path) -> None:
    db = tmp_path / "served.sqlite3"
    env = _env(db)
    init = subprocess.run([sys.executable, "-m", "broadfront.cli.main", "init"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    bad = subprocess.run([sys.executable, "-m", "broadfront.cli.main", "serve", "--workers",
                          "0"], env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stderr.strip() == f"error: --workers must be between 1 and {MAX_WEB_WORKERS}, got 0"
    port = _free_port()
    server = _cli("serve", "--port", str(port), "--workers", "2", env=env)
    worker = None
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        status = 0
        while time.monotonic() < deadline and status == 0:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                status, _ = _get(f"{base}/login/")
            except OSError:
                time.sleep(0.3)
        assert status == 200
        status, body = _get(f"{base}/healthz")
        assert status == 503 and json.loads(body)["workers"] == 0  # jobs would wait forever
        worker = _cli("worker", env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, body = _get(f"{base}/healthz")
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200, body
        assert json.loads(body) == {"status": "ok", "database": "ok", "migrations": "ok",
                                    "workers": 1}
    finally:
        outputs = []
        for process in (worker, server):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                if process.stdout:
                    outputs.append(process.stdout.read())
                    process.stdout.close()
    served = outputs[-1]
    assert "with 2 web processes" in served and served.count("Booting worker") >= 2
