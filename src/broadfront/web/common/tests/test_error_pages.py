"""A service's not-found or not-allowed error on a page shows the site's 404 or 403 page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from broadfront.exceptions import NotFoundError, PermissionDeniedError
from broadfront.web.common.middleware import BroadfrontErrorPages

pytestmark = pytest.mark.django_db


def _middleware() -> BroadfrontErrorPages:
    return BroadfrontErrorPages(lambda request: None)  # type: ignore[arg-type, return-value]


def test_not_found_from_a_service_becomes_the_friendly_404(world: Any) -> None:
    request = RequestFactory().get("/scenarios/runs/1/")
    request.user = world.ana
    response = _middleware().process_exception(request, NotFoundError("scenario run 1 not found"))
    assert response is not None and response.status_code == 404
    assert b"Nothing here" in response.content


def test_not_allowed_from_a_service_becomes_a_403_that_says_why(world: Any) -> None:
    request = RequestFactory().post("/power/people/")
    request.user = world.ben
    exc = PermissionDeniedError("you need the organizer role in this organization")
    response = _middleware().process_exception(request, exc)
    assert response is not None and response.status_code == 403
    assert b"You need the organizer role in this organization." in response.content


def test_the_api_keeps_its_own_json_errors(world: Any) -> None:
    request = RequestFactory().get("/api/people/1")
    assert _middleware().process_exception(request, NotFoundError("x")) is None


def test_another_organizations_scenario_run_is_a_404_page(client: Any, world: Any) -> None:
    from broadfront.web.scenarios.models import Scenario, ScenarioRun

    scenario = Scenario.objects.create(organization=world.faith, name="Faith plan")
    run = ScenarioRun.objects.create(scenario=scenario, seed=1, draws=10, method="exact",
                                     p_hold=0.5)
    client.force_login(world.ana)
    response = client.get(f"/scenarios/runs/{run.pk}/")
    assert response.status_code == 404
    assert b"Nothing here" in response.content
