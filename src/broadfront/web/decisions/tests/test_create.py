"""Creating a decision on the web: question, options, rule, members and leaders, trigger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from broadfront.web.decisions.models import Decision

# These tests write dates of late 2026 (assessed, formed, committed, closes): they live on
# the suite's fixed clock (27 Nov 2026) so the dates stay in the past or future they mean.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]

FORM = {
    "organization": "northside", "question": "How do we answer the rent hike?",
    "context": "The landlord raised rents 12% on Monday.",
    "options": "March on the office: 200 people, Thursday\nRent strike\nNegotiate",
    "rule": "instant-runoff", "combine": "weighted", "leader_weight": "0.25", "quorum": "5",
    "triggered_by": "shock", "closes_on": "2026-12-20", "review_due": "2027-03-01",
    "supermajority": "0.667",
}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_organizer_opens_a_decision_with_every_setting(world: Any) -> None:
    response = _client(world.ana).post("/decisions/new/", FORM)
    d = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/decisions/{d.pk}/"
    assert (d.organization, d.question, d.rule, d.combine, d.quorum, d.triggered_by) == (
        world.northside, FORM["question"], "instant-runoff", "weighted", 5, "shock")
    assert d.leader_weight == Decimal("0.250") and d.review_due == dt.date(2027, 3, 1)
    assert d.closes_at is not None and d.closes_at.date() == dt.date(2026, 12, 20)
    assert [(o.label, o.description) for o in d.options.all()] == [
        ("March on the office", "200 people, Thursday"), ("Rent strike", ""), ("Negotiate", "")]
    page = _client(world.ana).get(f"/decisions/{d.pk}/").content.decode()
    assert "triggered by a shock. Are we deciding on the trigger" in page
    assert "(leaders 25%)" in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("options", "\n \n", "list at least one option"),
    ("options", "Strike\nStrike", "options must be one or more distinct labels"),
    ("leader_weight", "1.5", "leader_weight must be between 0 and 1, got 1.5"),
    ("supermajority", "0.4", "supermajority must be more than one half"),
    ("quorum", "-1", "quorum must be a whole number"),
    ("rule", "dictator", "rule must be one of"),
    ("review_due", "soon", "review_due must be a date"),
])
def test_a_bad_field_is_named_and_nothing_is_created(world: Any, field: str, value: str,
                                                     message: str) -> None:
    response = _client(world.ana).post("/decisions/new/", {**FORM, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert not Decision.objects.exists()


def test_a_viewer_has_no_new_decision_page(world: Any) -> None:
    ben = _client(world.ben)
    assert 'href="/decisions/new/"' not in ben.get("/decisions/").content.decode()
    assert ben.get("/decisions/new/").status_code == 404


def test_an_organizer_cannot_open_a_decision_for_another_organization(world: Any) -> None:
    response = _client(world.ana).post("/decisions/new/", {**FORM, "organization": "faith"})
    assert response.status_code == 400
    assert "choose one of your organizations" in response.content.decode()
    assert not Decision.objects.exists()
