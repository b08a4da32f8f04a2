"""Scorecards, the coalition table, forms, credit for wins and the reliability API.

The scene (common/tests/factories.py): Faith kept 500 doors and delivered 40 of 100 members
(partly kept); Northside delivered 1000 calls late and has 50 voters open. At Northside's past
training Dolores said yes and came, Marta said yes and did not (1 of 2); at Faith's vigil Ezra
said yes and came (1 of 1). Westfield sits at no table with them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest

from broadfront import clock
from broadfront.analysis.reliability import commitment_reliability, show_up_rates
from broadfront.web.common.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def expected_overall() -> Any:
    """The engine on the same record written by hand: Faith kept + partly kept (40%),
    Northside kept late + open (statuses reproduced with made-up dates)."""
    return commitment_reliability(
        ["faith", "faith", "northside", "northside"], ["all"] * 4, [500, 100, 1000, 50],
        [500, 40, 1000, 0], ["2024-01-10", "2024-01-10", "2024-01-10", "2024-03-01"],
        ["2024-01-01", "2024-01-01", "2024-01-20", None], as_of="2024-02-01", level=0.9)


def test_the_table_page_scores_each_partner_by_hand(client: Any, scene: Scene) -> None:
    w = scene.world
    response = login(client, w.ana).get(f"/coalition/tables/{w.coalition.slug}/")
    assert response.status_code == 200
    cards = {r.organization.slug: r.card for r in response.context["v"].rows}
    faith, ours = cards["faith"], cards["northside"]
    assert (faith.commitments, faith.kept, faith.partly_kept, faith.open) == (2, 1, 1, 0)
    assert (ours.commitments, ours.kept_late, ours.open) == (1, 1, 1)
    assert faith.raw_delivered_ratio == pytest.approx(540 / 600)
    hand = {c.partner: c for c in expected_overall().scorecards}
    assert faith.kept_rate == pytest.approx(hand["faith"].kept_rate)
    assert faith.delivered_ratio == pytest.approx(hand["faith"].delivered_ratio)
    assert (faith.ratio_low, faith.ratio_high) == pytest.approx(
        (hand["faith"].ratio_low, hand["faith"].ratio_high))
    assert ours.kept_rate == pytest.approx(hand["northside"].kept_rate)
    # Show-up: Northside 1 of 2, Faith 1 of 1, shrunk together.
    labels = [str(w.northside.pk), str(w.faith.pk)]
    rates = show_up_rates(labels, [1, 1], [2, 1], level=0.9)
    assert (ours.show_up.said_yes, ours.show_up.came) == (2, 1)
    assert (faith.show_up.said_yes, faith.show_up.came) == (1, 1)
    idx = rates.lookup(np.array(labels))
    assert [ours.show_up.rate, faith.show_up.rate] == pytest.approx(rates.rate[idx].tolist())
    assert ours.show_up.rate > 0.5 and faith.show_up.rate < 1.0  # shrunk toward each other
    assert ours.show_up.low <= ours.show_up.rate <= ours.show_up.high
    html = response.content.decode()
    assert "Kept 1 of 2 commitments in full and on time" in html
    assert f"usually delivers about {round(100 * hand['faith'].delivered_ratio)}%" in html


def test_a_sentence_reads_like_the_issue_asks(scene: Scene) -> None:
    from broadfront.web.accountability.figures import Rate, Scorecard

    card = Scorecard(1, commitments=17, kept=14, delivered_ratio=0.82, ratio_low=0.70,
                     ratio_high=0.90, show_up=Rate(100, 61, 0.61, 0.55, 0.67))
    assert card.sentence() == (
        "Kept 14 of 17 commitments in full and on time; usually delivers about 82% of what it "
        "promises (70-90%); 61% of its members who RSVP show up (55-67%).")


def test_a_partner_sees_our_aggregates_but_none_of_our_people(client: Any,
                                                              scene: Scene) -> None:
    w = scene.world
    c = login(client, w.grace)
    for url in (f"/coalition/tables/{w.coalition.slug}/", f"/coalition/partners/{w.northside.pk}/",
                f"/power/report/{w.northside.slug}/"):
        response = c.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Northside" in html
        for name in ("Dolores", "Marta", "Northmember", "Squadleader"):
            assert name not in html, (url, name)
    api = c.get(f"/api/coalitions/{w.coalition.slug}/scorecards").json()
    text = json.dumps(api)
    assert "Dolores" not in text and "Marta" not in text
    north = next(s for s in api["scorecards"] if s["partner"] == "northside")
    assert (north["show_up"]["said_yes"], north["show_up"]["came"]) == (2, 1)


def test_an_outsider_sees_nothing_of_the_table(client: Any, scene: Scene) -> None:
    w = scene.world
    c = login(client, w.omar)
    assert c.get(f"/coalition/tables/{w.coalition.slug}/").status_code == 404
    assert c.get(f"/coalition/partners/{w.northside.pk}/").status_code == 404
    assert c.get(f"/api/coalitions/{w.coalition.slug}/scorecards").status_code == 404
    assert c.get(f"/api/events/{scene.prep.pk}/forecast").status_code == 404
    credit = c.get(f"/coalition/campaigns/{scene.campaign.slug}/credit/")
    assert credit.status_code == 404
    assert "<h1>Nothing here</h1>" in credit.content.decode()  # the friendly page, not a 500


def test_the_api_scorecards_carry_intervals_around_each_estimate(client: Any,
                                                                 scene: Scene) -> None:
    w = scene.world
    data = login(client, w.cora).get(f"/api/coalitions/{w.coalition.slug}/scorecards").json()
    assert data["level"] == 0.9
    faith = next(s for s in data["scorecards"] if s["partner"] == "faith")
    assert faith["kept"] == 1 and faith["commitments"] == 2
    assert faith["kept_low"] <= faith["kept_rate"] <= faith["kept_high"]
    assert faith["ratio_low"] <= faith["delivered_ratio"] <= faith["ratio_high"]
    assert {u["unit"] for u in faith["units"]} == {"doors", "members"}
    assert faith["best_unit"] == "doors"  # Faith delivered all the table's doors
    assert faith["sentence"].startswith("Kept 1 of 2 commitments")


def test_recording_a_commitment_from_the_form(client: Any, scene: Scene) -> None:
    w = scene.world
    c = login(client, w.ana)
    response = c.post("/coalition/commitments/new/", {
        "partner": w.northside.pk, "unit": "doors", "quantity": "250",
        "due_date": "2030-01-31", "campaign": scene.campaign.pk, "coalition": w.coalition.pk,
        "note": "East side"})
    assert response.status_code == 302
    from broadfront.web.accountability.models import Commitment

    made = Commitment.objects.get(note="East side")
    assert (made.partner, made.unit, int(made.quantity)) == (w.northside, "doors", 250)
    assert made.status(dt.date(2029, 1, 1)) == "open"


def test_the_commitment_form_names_the_fields_it_rejects(client: Any, scene: Scene) -> None:
    w = scene.world
    response = login(client, w.ana).post("/coalition/commitments/new/", {
        "partner": w.northside.pk, "unit": "doors", "quantity": "", "due_date": "soon"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"quantity", "due_date"}
    html = response.content.decode()
    assert 'id="quantity-errors"' in html and 'id="due_date-errors"' in html


def test_the_service_error_lands_on_its_field(client: Any, scene: Scene) -> None:
    w = scene.world
    response = login(client, w.ana).post("/coalition/commitments/new/", {
        "partner": w.northside.pk, "unit": "doors", "quantity": "10",
        "made_on": "2030-02-01", "due_date": "2030-01-01"})
    assert response.status_code == 400
    assert "due_date" in response.context["form"].errors


def test_a_viewer_cannot_pick_a_partner_to_promise_for(client: Any, scene: Scene) -> None:
    w = scene.world
    response = login(client, w.ben).post("/coalition/commitments/new/", {
        "partner": w.northside.pk, "unit": "doors", "quantity": "10", "due_date": "2030-01-01"})
    assert response.status_code == 400
    assert "partner" in response.context["form"].errors


def test_a_partial_late_delivery_recomputes_the_status(client: Any, scene: Scene) -> None:
    w = scene.world
    c = login(client, w.ana)
    url = f"/coalition/commitments/{scene.ours_open.pk}/"
    assert c.get(url).context["can_record"] is True
    response = c.post(url, {"quantity": "20", "delivered_on": clock.today().isoformat(),
                            "evidence": "sign-in sheet"})
    assert response.status_code == 302
    row = c.get(url).context["r"]
    assert (int(row.delivered), row.share, row.status) == (20, 40, "open")


def test_a_partner_cannot_record_our_deliveries(client: Any, scene: Scene) -> None:
    w = scene.world
    c = login(client, w.grace)
    url = f"/coalition/commitments/{scene.ours_open.pk}/"
    assert c.get(url).context["can_record"] is False
    response = c.post(url, {"quantity": "20", "delivered_on": "2030-01-01"})
    assert response.status_code == 403


def test_the_api_creates_a_commitment_and_a_delivery(client: Any, scene: Scene) -> None:
    w = scene.world
    c = login(client, w.ana)
    made = c.post("/api/commitments", json.dumps({
        "partner": "northside", "unit": "calls", "quantity": 100, "due_date": "2020-02-01",
        "made_on": "2020-01-01", "campaign": scene.campaign.slug,
        "coalition": w.coalition.slug}), content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "broken"
    cid = made.json()["id"]
    delivered = c.post(f"/api/commitments/{cid}/deliveries", json.dumps({
        "quantity": 60, "delivered_on": "2020-01-15", "evidence": "call log"}),
        content_type="application/json")
    assert delivered.status_code == 201
    assert (delivered.json()["delivered"], delivered.json()["status"]) == (60.0, "partly_kept")
    bad = c.post(f"/api/commitments/{cid}/deliveries", json.dumps({
        "quantity": -1, "delivered_on": "2020-01-15"}), content_type="application/json")
    assert bad.status_code == 400


def test_credit_for_a_win_by_hand(client: Any, scene: Scene) -> None:
    from broadfront.web.accountability.models import Contribution

    w = scene.world
    # Faith's 500 verified doors (the scene) and Northside's 500 claimed doors (counting half):
    # Faith 500 / 750 = 2/3, Northside 1/3; settled for Northside 1/2, against it 0.
    Contribution.objects.create(organization=w.northside, campaign=scene.campaign,
                                outcome="Tenant ordinance passed", unit="doors",
                                quantity=500, evidence="walk sheets")
    c = login(client, w.ana)
    view = c.get(f"/coalition/campaigns/{scene.campaign.slug}/credit/").context["c"]
    shares = {view.names[s.partner]: (s.share, s.share_low, s.share_high)
              for s in view.result.shares}
    assert shares["Northside Chapter"] == pytest.approx((1 / 3, 0.0, 0.5))
    assert shares["Faith in Riverland"] == pytest.approx((2 / 3, 0.5, 1.0))
    assert view.can_review is False


def test_only_the_coordinator_can_verify_a_claim(client: Any, scene: Scene) -> None:
    from broadfront.web.accountability.models import Contribution

    w = scene.world
    claim = Contribution.objects.create(organization=w.northside, campaign=scene.campaign,
                                        outcome="Tenant ordinance passed", unit="doors",
                                        quantity=500)
    assert login(client, w.ana).post(f"/coalition/contributions/{claim.pk}/review/",
                                     {"status": "verified"}).status_code == 403
    c = login(client, w.cora)
    html = c.get(f"/coalition/campaigns/{scene.campaign.slug}/credit/").content.decode()
    assert 'value="verified"' in html and 'value="disputed"' in html
    response = c.post(f"/coalition/contributions/{claim.pk}/review/",
                      {"status": "verified", "note": "checked the walk sheets"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "verified" and "walk sheets" in claim.evidence


def test_the_event_forecast_has_an_interval_and_later_the_actual(client: Any,
                                                                  scene: Scene) -> None:
    c = login(client, scene.world.ana)
    ahead = c.get(f"/api/events/{scene.prep.pk}/forecast").json()
    # Dolores alone said yes; she came to the one event she said yes to before.
    assert (ahead["rsvps"], ahead["with_history"], ahead["actual"]) == (1, 1, None)
    assert 0 < ahead["expected"] < 1
    assert ahead["p10"] <= ahead["p50"] <= ahead["p90"]
    past = c.get(f"/api/events/{scene.training.pk}/forecast").json()
    assert (past["rsvps"], past["actual"]) == (2, 1)
    # Nobody had a record before the training: each counts at the pooled prior of Northside.
    assert past["with_history"] == 0
    # A partner sees the forecast of our event (counts only).
    grace = login(client, scene.world.grace).get(f"/api/events/{scene.prep.pk}/forecast")
    assert grace.status_code == 200 and "Dolores" not in grace.content.decode()
