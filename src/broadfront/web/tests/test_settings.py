"""Settings refuse to start wrong: every variable through a typed helper, named when bad.

Each test evaluates ``broadfront/web/settings.py`` afresh with one environment, as a process
starting with it would.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

import broadfront.web.settings as settings_module

SETTINGS = Path(settings_module.__file__)
SRC = SETTINGS.parents[1]
README = SRC.parents[1] / "README.md"


def settings_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("BROADFRONT_COOLING_OFF_HOURS", "two days", "must be a whole number, got 'two days'"),
    ("BROADFRONT_COOLING_OFF_HOURS", "-1", "must be between 0 and 8760, got -1"),
    ("BROADFRONT_DEBUG", "maybe", "must be true or false, got 'maybe'"),
    ("BROADFRONT_JOB_MAX_SECONDS", "5", "must be between 10 and 86400, got 5"),
    ("BROADFRONT_TASKS_BACKEND", "celery", "must be one of: database, immediate; got 'celery'"),
    ("BROADFRONT_REQUIRE_TWO_FACTOR_FOR", "viewer", "must be one of: empty, organizer, admin"),
    ("BROADFRONT_TIME_ZONE", "Mars/Olympus", "must be a time zone name"),
    ("BROADFRONT_IMPORT_IN_BACKGROUND", "sometimes", "must be true or false"),
    ("BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND", "2", "must be true or false"),
    ("DATABASE_URL", "mongodb://nope", "is not a database URL: 'mongodb://nope'"),
])
def test_a_bad_value_stops_the_settings_naming_the_variable(monkeypatch, variable, value,
                                                            message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(f"{variable} {message}")):
        settings_with(monkeypatch, **{variable: value})


def test_the_background_switches_are_declared_with_their_defaults(monkeypatch):
    for name in ("BROADFRONT_IMPORT_IN_BACKGROUND", "BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND"):
        monkeypatch.delenv(name, raising=False)
    values = settings_with(monkeypatch)
    assert values["BROADFRONT_IMPORT_IN_BACKGROUND"] is False
    assert values["BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND"] is True
    turned = settings_with(monkeypatch, BROADFRONT_IMPORT_IN_BACKGROUND="true",
                           BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND="false")
    assert turned["BROADFRONT_IMPORT_IN_BACKGROUND"] is True
    assert turned["BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND"] is False


def test_a_blank_variable_reads_as_its_default(monkeypatch):
    values = settings_with(monkeypatch, BROADFRONT_COOLING_OFF_HOURS=" ",
                           BROADFRONT_TIME_ZONE="")
    assert values["BROADFRONT_COOLING_OFF_HOURS"] == 48
    assert values["TIME_ZONE"] == "UTC"


def test_code_reads_broadfront_settings_directly_without_a_default_of_its_own():
    fallbacks = [f"{path.relative_to(SRC)}:{n}"
                 for path in sorted(SRC.rglob("*.py")) if "tests" not in path.parts
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"getattr\(\s*settings\s*,\s*[\"']BROADFRONT_", line)]
    assert fallbacks == []


def test_every_variable_the_settings_read_is_in_the_readme_table():
    read = set(re.findall(r"env_\w+\(\s*\"((?:BROADFRONT_|DATABASE_URL)\w*)\"",
                          SETTINGS.read_text()))
    table = set(re.findall(r"^\| `(\w+)` \|", README.read_text(), flags=re.MULTILINE))
    assert "BROADFRONT_SECRET_KEY" in read and len(read) > 20
    assert sorted(read - table) == []
