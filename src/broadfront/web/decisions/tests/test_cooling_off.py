"""Cooling-off after a betrayal, a broken commitment or a shock: shown, and enforced on the
server for the page's close button and for the API alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from broadfront import clock
from broadfront.web.common.services import do_create_api_token
from broadfront.web.decisions import services
from broadfront.web.decisions.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def triggered(world: Any) -> Decision:
    d = services.do_create_decision(world.ana, organization=world.northside,
                                    question="Pull our endorsement after the vote against us?",
                                    options=["Pull it", "Keep it"], rule="majority",
                                    triggered_by="broken_commitment")
    services.do_cast_ballot(world.ben, d, choice=d.options.get(label="Pull it").pk)
    return d


def _age(d: Decision, hours: int) -> None:
    Decision.objects.filter(pk=d.pk).update(opened_at=clock.now() - dt.timedelta(hours=hours))


def test_a_triggered_decision_asks_whether_we_decide_on_the_trigger(client: Any, world: Any,
                                                                    triggered: Decision) -> None:
    client.force_login(world.ana)
    html = client.get(f"/decisions/{triggered.pk}/").content.decode()
    assert ("This decision was triggered by a broken commitment. Are we deciding on the "
            "trigger, or on the trade-offs?") in html
    assert "Closing is refused until the cooling-off period ends" in html


def test_the_close_button_is_refused_by_the_server_while_cooling_off(client: Any, world: Any,
                                                                     triggered: Decision) -> None:
    client.force_login(world.ana)
    response = client.post(f"/decisions/{triggered.pk}/close/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "<strong>Not yet.</strong> this decision was triggered by a broken commitment" in html
    assert "(cooling-off period)" in html
    triggered.refresh_from_db()
    assert triggered.state == "open" and triggered.outcome is None


def test_after_48_hours_the_same_button_closes_the_decision(client: Any, world: Any,
                                                            triggered: Decision) -> None:
    _age(triggered, 49)
    client.force_login(world.ana)
    page = client.get(f"/decisions/{triggered.pk}/").content.decode()
    assert "Are we deciding on the trigger" not in page and "it ended" in page
    response = client.post(f"/decisions/{triggered.pk}/close/", follow=True)
    assert response.status_code == 200
    assert "Decided: Pull it." in response.content.decode()
    triggered.refresh_from_db()
    assert triggered.state == "closed" and triggered.outcome.label == "Pull it"


def test_the_cooling_off_period_is_configurable(client: Any, world: Any, triggered: Decision,
                                                settings: Any) -> None:
    settings.BROADFRONT_COOLING_OFF_HOURS = 2
    _age(triggered, 3)
    client.force_login(world.ana)
    assert client.post(f"/decisions/{triggered.pk}/close/").status_code == 302


def test_a_viewer_cannot_close_even_after_cooling_off(client: Any, world: Any,
                                                      triggered: Decision) -> None:
    _age(triggered, 49)
    client.force_login(world.ben)
    assert 'id="close"' not in client.get(f"/decisions/{triggered.pk}/").content.decode()
    assert client.post(f"/decisions/{triggered.pk}/close/").status_code == 403


def test_the_api_answers_409_cooling_off_and_then_closes(world: Any,
                                                         triggered: Decision) -> None:
    api = Client(headers={"Authorization": f"Bearer {do_create_api_token(world.ana, world.ana)}"})
    body = api.get(f"/api/decisions/{triggered.pk}").json()
    assert body["cooling_off"] is True
    assert "Are we deciding on the trigger" in body["cooling_off_message"]
    response = api.post(f"/api/decisions/{triggered.pk}/close")
    assert response.status_code == 409
    assert response.json()["code"] == "cooling_off"
    assert "cooling-off period" in response.json()["message"]
    _age(triggered, 49)
    response = api.post(f"/api/decisions/{triggered.pk}/close")
    assert response.status_code == 200
    assert response.json()["state"] == "closed" and response.json()["outcome"] == "Pull it"
