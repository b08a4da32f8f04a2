"""Schemathesis against /api/openapi.json: no input makes the API answer 5xx or contradict
its schema, for an organizer (Ana, Northside) and an opponent at no table (Omar, Westfield).

Each operation gets a fixed seed and a small budget (10 generated cases per persona), so the
module runs in well under a minute and finds the same cases every time. Checks: no server
error, a response body that matches the documented schema, a documented content type.
Undocumented 4xx statuses are not checked: errors are the documented ``{"code", "message"}``.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import seed as hypothesis_seed
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from broadfront.web.common.services import do_create_api_token

pytestmark = pytest.mark.django_db

# schemathesis.pytest.from_fixture (a lazy schema) fails on pytest 9 (no Function._nodeid),
# so the schema is loaded from the WSGI app at import; the database is only used by the cases.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
BUDGET = settings(max_examples=10, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request must not close the test's connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def ana_token(world):
    return do_create_api_token(world.ana, world.ana)


@pytest.fixture
def omar_token(world):
    return do_create_api_token(world.omar, world.omar)


@schema.parametrize()
@hypothesis_seed(13)
@BUDGET
def test_an_organizer_cannot_make_the_api_fail(case, ana_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {ana_token}"}, checks=CHECKS)


@schema.parametrize()
@hypothesis_seed(13)
@BUDGET
def test_an_opponent_cannot_make_the_api_fail(case, omar_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {omar_token}"}, checks=CHECKS)
