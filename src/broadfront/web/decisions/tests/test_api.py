"""The decisions API: detail with tally and impact summary, ballots, close, reviews, privacy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from broadfront.web.common.services import do_create_api_token
from broadfront.web.decisions import services
from broadfront.web.decisions.models import Ballot, Decision, Review

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {do_create_api_token(user, user)}"})


@pytest.fixture
def decision(world: Any) -> Decision:
    """Ranked; "Strike": members 10 x 0.5 - 4 x 0.5 = +3, neighbors -6; "Wait": members -1."""
    d = services.do_create_decision(world.ana, organization=world.northside,
                                    question="Strike or wait?", options=["Strike", "Wait"],
                                    rule="instant-runoff", review_due=None)
    strike, wait = d.options.get(label="Strike"), d.options.get(label="Wait")
    services.do_set_impact(world.ana, strike, "Members", upside=10, upside_likelihood=0.5,
                           downside=4, downside_likelihood=0.5)
    services.do_set_impact(world.ana, strike, "Neighbors", downside=6, downside_likelihood=1)
    services.do_set_impact(world.ana, wait, "Members", downside=2, downside_likelihood=0.5)
    return d


def _ids(d: Decision) -> dict[str, int]:
    return {o.label: o.pk for o in d.options.all()}


def test_the_detail_carries_options_impacts_the_tally_and_the_trade_offs(world: Any,
                                                                        decision: Decision):
    o = _ids(decision)
    services.do_cast_ballot(world.ana, decision, role="leader", ranking=[o["Wait"], o["Strike"]])
    services.do_cast_ballot(world.ben, decision, ranking=[o["Wait"]])
    body = _api(world.ana).get(f"/api/decisions/{decision.pk}").json()
    assert body["question"] == "Strike or wait?" and body["organization"] == "northside"
    assert [x["label"] for x in body["options"]] == ["Strike", "Wait"]
    assert len(body["impacts"]) == 3 and body["ballots"] == 2
    a = body["analysis"]
    rows = {r["option"]: r for r in a["options"]}
    assert rows["Strike"]["expected_net"] == pytest.approx(-3.0)
    assert rows["Strike"]["worst_off"] == ["Neighbors"]
    assert rows["Wait"]["expected_net"] == pytest.approx(-1.0)
    assert a["dominated"] == []
    assert (a["members"]["winner"], a["leaders"]["winner"], a["winner"]) == ("Wait",) * 3
    assert a["members"]["counts"] == {"Strike": 0, "Wait": 1}
    assert body["cooling_off"] is False and body["cooling_off_message"] is None


def test_a_ballot_is_cast_through_the_api_once_per_voter(world: Any, decision: Decision):
    o = _ids(decision)
    api = _api(world.ben)
    r = api.post(f"/api/decisions/{decision.pk}/ballots",
                 {"ranking": [o["Strike"], o["Wait"]], "reason": "Now or never."},
                 content_type="application/json")
    assert r.status_code == 201
    assert r.json()["ranking"] == [o["Strike"], o["Wait"]] and r.json()["role"] == "member"
    api.post(f"/api/decisions/{decision.pk}/ballots", {"ranking": [o["Wait"]]},
             content_type="application/json")
    assert Ballot.objects.filter(decision=decision).count() == 1
    assert Ballot.objects.get(decision=decision).ranking == [o["Wait"]]


def test_a_bad_ballot_names_the_field(world: Any, decision: Decision):
    o = _ids(decision)
    api = _api(world.ben)
    r = api.post(f"/api/decisions/{decision.pk}/ballots", {"ranking": [o["Wait"], o["Wait"]]},
                 content_type="application/json")
    assert r.status_code == 400
    assert r.json() == {"code": "invalid", "message": "ranking lists an option twice",
                        "field": "ranking"}
    r = api.post(f"/api/decisions/{decision.pk}/ballots", {"choice": o["Wait"]},
                 content_type="application/json")
    assert r.json()["field"] == "ranking"
    r = api.post(f"/api/decisions/{decision.pk}/ballots",
                 {"role": "leader", "ranking": [o["Wait"]]}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_an_impact_is_set_through_the_api_with_likelihoods_checked(world: Any,
                                                                   decision: Decision):
    o = _ids(decision)
    api = _api(world.ana)
    r = api.put(f"/api/decisions/{decision.pk}/impacts",
                {"option": o["Wait"], "constituency": "Neighbors", "upside": 2,
                 "upside_likelihood": 1.2}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "upside_likelihood"
    r = api.put(f"/api/decisions/{decision.pk}/impacts",
                {"option": o["Wait"], "constituency": "Neighbors", "upside": 2,
                 "upside_likelihood": 0.5}, content_type="application/json")
    rows = {x["option"]: x for x in r.json()["analysis"]["options"]}
    assert rows["Wait"]["expected_net"] == pytest.approx(0.0)  # -1 for members, +1 neighbors


def test_close_and_review_through_the_api(world: Any, decision: Decision):
    o = _ids(decision)
    services.do_cast_ballot(world.ana, decision, ranking=[o["Strike"]])
    api = _api(world.ana)
    closed = api.post(f"/api/decisions/{decision.pk}/close").json()
    assert closed["state"] == "closed" and closed["outcome"] == "Strike"
    assert api.post(f"/api/decisions/{decision.pk}/close").status_code == 409
    r = api.post(f"/api/decisions/{decision.pk}/reviews",
                 {"reviewed_on": "2026-03-01",
                  "actual": {"Members": {"gained": 3, "lost": 2}, "Neighbors": {"lost": 9}},
                  "summary": "Rough month."}, content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["option"] == "Strike"
    assert body["actual"] == {"Members": {"gained": 3.0, "lost": 2.0},
                              "Neighbors": {"gained": 0.0, "lost": 9.0}}
    assert body["constituencies"] == [
        {"constituency": "Members", "expected_net": 3.0, "gained": 3.0, "lost": 2.0,
         "actual_net": 1.0, "error": -2.0},
        {"constituency": "Neighbors", "expected_net": -6.0, "gained": 0.0, "lost": 9.0,
         "actual_net": -9.0, "error": -3.0}]
    assert (body["error"], body["too_rosy_for"]) == (-5.0, ["Neighbors"])
    # Three foreseen upsides and downsides are too few for a Brier score: null, not a number.
    assert (body["brier"], body["brier_events"]) == (None, 3)
    listed = api.get(f"/api/decisions/{decision.pk}/reviews").json()
    assert [x["reviewed_on"] for x in listed] == ["2026-03-01"]


def test_a_bad_review_through_the_api_names_the_constituency_and_field(world: Any,
                                                                       decision: Decision):
    o = _ids(decision)
    services.do_cast_ballot(world.ana, decision, ranking=[o["Strike"]])
    services.do_close_decision(world.ana, decision)
    api = _api(world.ana)
    url = f"/api/decisions/{decision.pk}/reviews"
    bad = api.post(url, {"actual": {"Members": {"gained": 1, "lost": -2}}},
                   content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid" and bad.json()["field"] == "actual.Members.lost"
    assert "Members: lost must not be negative" in bad.json()["message"]
    lots = api.post(url, {"actual": {"Members": {"gained": "lots"}}},
                    content_type="application/json")
    assert lots.status_code == 400 and lots.json()["field"] == "actual.Members.gained"
    # The old net-only shape is refused with a message that says what to send.
    net = api.post(url, {"actual": {"Members": 1}}, content_type="application/json")
    assert net.status_code == 400
    assert "Members: give what it gained and what it lost" in net.json()["message"]
    assert api.get(url).json() == []


def test_the_api_gives_the_brier_score_of_a_review_with_enough_events(world: Any):
    d = services.do_create_decision(world.ana, organization=world.northside,
                                    question="Go?", options=["Go", "Stay"], rule="majority")
    go = d.options.get(label="Go")
    for name, (up, p, down, q) in {"Members": (10, 0.8, 4, 0.3),
                                   "Neighbors": (2, 0.2, 6, 0.9),
                                   "Staff": (1, 0.5, 2, 0.5)}.items():
        services.do_set_impact(world.ana, go, name, upside=up, upside_likelihood=p,
                               downside=down, downside_likelihood=q)
    services.do_cast_ballot(world.ana, d, choice=go.pk)
    services.do_close_decision(world.ana, d)
    r = _api(world.ana).post(f"/api/decisions/{d.pk}/reviews", {"actual": {
        "Members": {"gained": 3, "lost": 2}, "Neighbors": {"gained": 0, "lost": 9},
        "Staff": {"gained": 0, "lost": 0}}}, content_type="application/json")
    assert r.status_code == 201
    # (.8-1)^2 + (.3-1)^2 + (.2-0)^2 + (.9-1)^2 + (.5-0)^2 + (.5-0)^2 = 1.08, over 6.
    assert r.json()["brier"] == pytest.approx(0.18) and r.json()["brier_events"] == 6


def test_an_old_net_only_review_reads_as_gained_and_lost_in_the_api(world: Any,
                                                                    decision: Decision):
    o = _ids(decision)
    services.do_cast_ballot(world.ana, decision, ranking=[o["Strike"]])
    services.do_close_decision(world.ana, decision)
    Review.objects.create(decision=decision, reviewed_on=dt.date(2025, 1, 1),
                          actual={"Members": 1, "Neighbors": -9})
    body = _api(world.ana).get(f"/api/decisions/{decision.pk}/reviews").json()[0]
    assert body["actual"] == {"Members": {"gained": 1.0, "lost": 0.0},
                              "Neighbors": {"gained": 0.0, "lost": 9.0}}
    assert body["error"] == -5.0


def test_a_decision_is_created_through_the_api(world: Any):
    r = _api(world.ana).post("/api/decisions", {
        "organization": "northside", "question": "Join the table?", "options": ["Yes", "No"],
        "rule": "consent", "triggered_by": "betrayal"}, content_type="application/json")
    assert r.status_code == 201
    assert r.json()["cooling_off"] is True and r.json()["triggered_by"] == "betrayal"
    r = _api(world.ana).post("/api/decisions", {
        "organization": "faith", "question": "Q", "options": ["Yes"]},
        content_type="application/json")
    assert r.status_code == 404


@pytest.mark.parametrize("who", ["grace", "omar", "cora"])
def test_another_organizations_user_gets_404_everywhere(world: Any, decision: Decision,
                                                        who: str):
    api = _api(getattr(world, who))
    o = _ids(decision)
    base = f"/api/decisions/{decision.pk}"
    assert api.get(base).status_code == 404
    assert api.get(base).json()["code"] == "not_found"
    assert api.get(f"{base}/reviews").status_code == 404
    assert api.post(f"{base}/ballots", {"ranking": [o["Wait"]]},
                    content_type="application/json").status_code == 404
    assert api.post(f"{base}/close").status_code == 404
    assert api.post(f"{base}/reviews", {"actual": {"Members": {"gained": 1, "lost": 0}}},
                    content_type="application/json").status_code == 404
    assert api.put(f"{base}/impacts", {"option": o["Wait"], "constituency": "X"},
                   content_type="application/json").status_code == 404
    assert [x["id"] for x in api.get("/api/decisions").json()] == []
    assert not Ballot.objects.filter(decision=decision).exists()
