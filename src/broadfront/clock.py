"""The one clock: what "now" and "today" are, everywhere in Broadfront.

Services, queries, views, the API, the command line and the demo ask this module, never
``datetime.now()``, ``date.today()`` or ``django.utils.timezone.now()`` (ruff's banned-API
rule TID251 refuses those anywhere else). Engines take the date they need as a parameter.

"Now" is an aware UTC datetime. "Today" is the calendar day of "now" in the installation's
time zone: Django's ``TIME_ZONE`` setting when Django is configured (it comes from
``BROADFRONT_TIME_ZONE``), the same environment variable otherwise (UTC by default), so the
web app and the command line agree on the day.

Tests move this clock with time-machine (``@pytest.mark.time_machine(...)`` or the
``time_machine`` fixture), which moves the interpreter's clock itself, so Django's own
timestamps (``auto_now``, sessions) follow. The suite also runs with the whole clock moved
a year ahead and a year back (``BROADFRONT_TEST_CLOCK_SHIFT_DAYS``; see ``docs/testing.md``).

Examples
--------
>>> now().tzinfo is not None
True
>>> today() == local_date(now())
True
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["local_date", "now", "time_zone", "today"]


def now() -> dt.datetime:
    """The current instant, as an aware datetime in UTC."""
    return dt.datetime.now(dt.UTC)


def time_zone() -> dt.tzinfo:
    """The installation's time zone (Django's ``TIME_ZONE``, else ``BROADFRONT_TIME_ZONE``)."""
    name = None
    try:
        from django.conf import settings

        if settings.configured:
            name = settings.TIME_ZONE
    except ImportError:  # pragma: no cover - Django is a dependency; engines run without it
        name = None
    name = name or os.environ.get("BROADFRONT_TIME_ZONE", "") or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar day of ``moment`` in the installation's time zone."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(time_zone()).date()


def today() -> dt.date:
    """Today's date in the installation's time zone."""
    return local_date(now())
