"""Shared test set-up: database markers and named personas.

Ana organizes the Northside chapter of the Riverland Federation; Ben is a viewer there.
Grace organizes Faith in Riverland, which sits with Northside at the Riverland Forward
coalition table. Omar is an organizer of Westfield Business Alliance, which sits at no table
with them. Cora coordinates the coalition. Nobody may see another organization's people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CLOCK_SHIFT_VARIABLE = "BROADFRONT_TEST_CLOCK_SHIFT_DAYS"
_SHIFT_KEY = pytest.StashKey[tuple[int, Any]]()


def pytest_configure(config: pytest.Config) -> None:
    """Move the whole clock when BROADFRONT_TEST_CLOCK_SHIFT_DAYS is set (say 365 or -365).

    The suite must pass on any day: tests that depend on the date fix the clock (the
    ``today`` and ``fixed_clock`` fixtures, ``@pytest.mark.time_machine``); every other test
    runs on the moved clock, which proves it does not depend on the calendar.
    """
    import os

    raw = os.environ.get(CLOCK_SHIFT_VARIABLE, "").strip()
    if not raw:
        return
    try:
        days = int(raw)
    except ValueError:
        raise pytest.UsageError(f"{CLOCK_SHIFT_VARIABLE} must be a whole number of days, "
                                f"got {raw!r}") from None
    if not -3650 <= days <= 3650:
        raise pytest.UsageError(f"{CLOCK_SHIFT_VARIABLE} must be between -3650 and 3650, "
                                f"got {days}")
    import time_machine

    from broadfront import clock

    traveller = time_machine.travel(clock.now() + dt.timedelta(days=days), tick=True)
    traveller.start()
    config.stash[_SHIFT_KEY] = (days, traveller)


def pytest_unconfigure(config: pytest.Config) -> None:
    shifted = config.stash.get(_SHIFT_KEY, None)
    if shifted is not None:
        shifted[1].stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    shifted = config.stash.get(_SHIFT_KEY, None)
    if shifted is None:
        return None
    from broadfront import clock

    return f"clock moved {shifted[0]:+d} days: today is {clock.today():%d %b %Y}"


def pytest_sessionstart(session: pytest.Session) -> None:
    """CI sets BROADFRONT_REQUIRE_BROWSER=1: then a missing Chromium fails the run, not skips."""
    import os

    if os.environ.get("BROADFRONT_REQUIRE_BROWSER") and not os.path.exists(CHROMIUM):
        pytest.exit(f"BROADFRONT_REQUIRE_BROWSER is set but {CHROMIUM} is missing", returncode=1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that touches the database is also marked ``db`` (rerun on PostgreSQL)."""
    for item in items:
        if item.get_closest_marker("django_db") or {"db", "transactional_db", "live_server",
                                                     "client", "admin_client"} & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.db)


@dataclass
class World:
    """The personas and their organizations."""

    northside: Any
    faith: Any
    westfield: Any
    coalition: Any
    ana: Any
    ben: Any
    grace: Any
    omar: Any
    cora: Any
    ana_person: Any
    grace_person: Any
    omar_person: Any
    mayor: Any


PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_immediately() -> Any:
    """Background jobs run as they are submitted (Django's immediate task backend), so page
    tests see their result; the job tests that need real workers switch to the database."""
    from django.test import override_settings

    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                             "QUEUES": ["default"]}}
    with override_settings(TASKS=immediate):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None,
                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    """On SQLite the test database is a file, not shared-cache memory: a job worker (another
    connection) then waits for a lock as in a real installation instead of failing with
    "database table is locked"."""
    from django.conf import settings

    db: dict[str, Any] = settings.DATABASES["default"]
    if str(db["ENGINE"]).endswith("sqlite3"):
        test: dict[str, Any] = db.setdefault("TEST", {})
        test["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture
def job_worker(settings: Any, transactional_db: Any) -> Any:
    """Jobs wait in the database and a ``broadfront worker`` loop (in a thread of this test
    process, so it sees the test database) runs them, as in a real installation."""
    import threading

    from django.db import connection

    from broadfront.worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    worker = Worker(queues=["default"], interval=0.1, ident="test-worker")
    worker.startup_delay = False

    def run() -> None:
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True, name="test-worker")
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=30)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Hash test passwords with a fast hasher (PBKDF2 would dominate the database tests)."""
    if "settings" in request.fixturenames or request.node.get_closest_marker("django_db") or {
        "db", "transactional_db", "live_server", "world"
    } & set(request.fixturenames):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: Any) -> World:
    from django.contrib.auth.models import User

    from broadfront.web.organizations.models import (
        Coalition,
        CoalitionCoordinator,
        CoalitionMembership,
        Organization,
        OrganizationRole,
        Person,
    )

    northside = Organization.objects.create(
        name="Northside Chapter", slug="northside", kind="chapter", spectrum_position=3,
        base_size=400,
    )
    faith = Organization.objects.create(
        name="Faith in Riverland", slug="faith", kind="faith", spectrum_position=2, base_size=900
    )
    westfield = Organization.objects.create(
        name="Westfield Business Alliance", slug="westfield", kind="business",
        spectrum_position=-2,
    )
    coalition = Coalition.objects.create(name="Riverland Forward", slug="riverland-forward")
    CoalitionMembership.objects.create(coalition=coalition, organization=northside)
    CoalitionMembership.objects.create(coalition=coalition, organization=faith)

    def user(name: str, org: Any, role: str) -> Any:
        u = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
        if org is not None:
            OrganizationRole.objects.create(user=u, organization=org, role=role)
        return u

    ana = user("ana", northside, "organizer")
    ben = user("ben", northside, "viewer")
    grace = user("grace", faith, "organizer")
    omar = user("omar", westfield, "organizer")
    cora = user("cora", None, "viewer")
    CoalitionCoordinator.objects.create(user=cora, coalition=coalition)

    ana_person = Person.objects.create(
        owner=northside, given_name="Dolores", family_name="Northmember", email="d@example.org"
    )
    grace_person = Person.objects.create(
        owner=faith, given_name="Ezra", family_name="Faithmember", email="e@example.org"
    )
    omar_person = Person.objects.create(
        owner=westfield, given_name="Felix", family_name="Bizmember", email="f@example.org"
    )
    mayor = Person.objects.create(
        given_name="Byron", family_name="Mayorson", public_role="Mayor of Riverton"
    )
    return World(northside, faith, westfield, coalition, ana, ben, grace, omar, cora,
                 ana_person, grace_person, omar_person, mayor)


#: The instant of the suite's fixed clock: tests whose result depends on the date ask for
#: ``today`` (or ``fixed_clock``) and live on this day, whatever the calendar says.
FIXED_NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def fixed_clock(time_machine: Any) -> dt.datetime:
    """Set the one clock (``broadfront.clock``) to 27 Nov 2026, noon UTC; it ticks from there."""
    time_machine.move_to(FIXED_NOW, tick=True)
    return FIXED_NOW


@pytest.fixture
def today(fixed_clock: dt.datetime) -> dt.date:
    """Today on the fixed clock (27 Nov 2026): the services' "today" is this day too."""
    return fixed_clock.date()
