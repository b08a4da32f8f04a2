"""Deployment settings: the secret key, HTTPS behind a proxy, the Content-Security-Policy.

Reproduces M3 of the hardening issue (the shipped demo key is public and ``check --deploy``
accepted it) and the "Low" findings about HTTPS settings and a missing policy.
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import broadfront.web.settings as settings_module
from broadfront.web.common.charts import bar

SETTINGS = Path(settings_module.__file__)
OURS = ("BROADFRONT_SECRET_KEY", "BROADFRONT_DEMO", "BROADFRONT_DEBUG", "BROADFRONT_HTTPS",
        "BROADFRONT_HSTS_SECONDS", "BROADFRONT_HSTS_INCLUDE_SUBDOMAINS", "DATABASE_URL")


def settings_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """The settings module evaluated afresh with only ``env`` among Broadfront's variables."""
    for name in OURS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    env.update(extra)
    return env


# --- the secret key ---------------------------------------------------------------------------

def test_without_a_key_outside_demo_mode_the_public_demo_key_is_never_used(monkeypatch):
    first = settings_with(monkeypatch)
    second = settings_with(monkeypatch)
    assert first["SECRET_KEY"] != first["DEMO_SECRET_KEY"]
    assert first["SECRET_KEY"] != second["SECRET_KEY"], "a random key of the process's own"
    assert first["BROADFRONT_SECRET_KEY_SOURCE"] == "random"


def test_demo_mode_signs_with_the_demo_key_and_a_set_key_wins(monkeypatch):
    demo = settings_with(monkeypatch, BROADFRONT_DEMO="true")
    assert demo["SECRET_KEY"] == demo["DEMO_SECRET_KEY"]
    own = settings_with(monkeypatch, BROADFRONT_DEMO="true", BROADFRONT_SECRET_KEY="k" * 60)
    assert own["SECRET_KEY"] == "k" * 60 and own["BROADFRONT_SECRET_KEY_SOURCE"] == "environment"


def test_the_demo_key_set_outside_demo_mode_stops_the_settings(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    key = settings_module.DEMO_SECRET_KEY
    with pytest.raises(ImproperlyConfigured,
                       match="BROADFRONT_SECRET_KEY is the shipped demo key"):
        settings_with(monkeypatch, BROADFRONT_SECRET_KEY=key)
    assert settings_with(monkeypatch, BROADFRONT_SECRET_KEY=key,
                         BROADFRONT_DEMO="true")["SECRET_KEY"] == key


def test_check_deploy_fails_without_a_key_naming_the_variable(settings):
    settings.SECRET_KEY = "r" * 60
    settings.BROADFRONT_SECRET_KEY_SOURCE = "random"
    with pytest.raises(SystemCheckError, match=r"broadfront\.E002.*BROADFRONT_SECRET_KEY is not set"):
        call_command("check", deploy=True)


def test_check_deploy_fails_on_the_demo_key_even_in_demo_mode(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.DEMO_MODE = True
    with pytest.raises(SystemCheckError, match="shipped demo key, which is public"):
        call_command("check", deploy=True)


def test_check_deploy_accepts_a_key_of_its_own(settings):
    settings.SECRET_KEY = "a-long-random-value-" + "q7Z" * 20
    settings.BROADFRONT_SECRET_KEY_SOURCE = "environment"
    call_command("check", deploy=True)


def test_every_check_flags_the_demo_key_set_outside_demo_mode(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.DEMO_MODE = False
    with pytest.raises(SystemCheckError, match=r"broadfront\.E001.*only works in demo mode"):
        call_command("check")


@pytest.mark.slow
def test_serve_without_a_key_refuses_to_start_naming_the_variable(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "broadfront.cli.main", "serve", "--db", str(tmp_path / "x.db")],
        capture_output=True, text=True, env=clean_env(), timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: BROADFRONT_SECRET_KEY is not set")
    assert not (tmp_path / "x.db").exists(), "refused before touching the database"


@pytest.mark.slow
def test_django_admin_check_deploy_without_a_key_fails_naming_the_variable(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy"], capture_output=True, text=True,
        env=clean_env(DJANGO_SETTINGS_MODULE="broadfront.web.settings",
                      DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"), timeout=120)
    assert proc.returncode == 1
    assert "broadfront.E002" in proc.stderr and "BROADFRONT_SECRET_KEY" in proc.stderr


# --- HTTPS ------------------------------------------------------------------------------------

def test_https_is_off_unless_asked(monkeypatch):
    plain = settings_with(monkeypatch)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE",
                 "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"):
        assert name not in plain


def test_broadfront_https_turns_on_the_whole_group(monkeypatch):
    https = settings_with(monkeypatch, BROADFRONT_HTTPS="true")
    assert https["SECURE_SSL_REDIRECT"] is True
    assert https["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert https["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert https["SESSION_COOKIE_SECURE"] is True and https["CSRF_COOKIE_SECURE"] is True
    assert https["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    wider = settings_with(monkeypatch, BROADFRONT_HTTPS="true",
                          BROADFRONT_HSTS_INCLUDE_SUBDOMAINS="true")
    assert wider["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_a_bad_https_value_is_named(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="BROADFRONT_HTTPS must be true or false"):
        settings_with(monkeypatch, BROADFRONT_HTTPS="maybe")


def test_behind_https_plain_http_is_redirected_and_https_gets_hsts(client, settings, monkeypatch):
    https = settings_with(monkeypatch, BROADFRONT_HTTPS="true")
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE",
                 "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"):
        setattr(settings, name, https[name])
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/login/"
    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert "; secure" in secure.cookies["csrftoken"].output().lower()


# --- Content-Security-Policy ------------------------------------------------------------------

def test_every_page_carries_a_policy_without_inline_scripts(client, db):
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_a_chart_is_a_json_data_block_that_cannot_close_its_element():
    html = bar(["</script><script>alert(1)</script>", "b"], [1, 2])
    assert re.findall(r"<script(?![^>]*type=\"application/json\")", html) == []
    assert "</script><script>alert" not in html
    assert html.count("</script>") == 1
    assert 'class="plotly-graph-div" data-figure=' in html
