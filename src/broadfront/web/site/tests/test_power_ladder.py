"""Our power (shrunk show-up, forecasts, the one-page report), events and the leadership ladder.

Scene (common/tests/factories.py): Northside's training 10 days ago, Dolores said yes and came,
Marta said yes and did not; Dolores said yes to the prep in 7 days. Marta leads the Precinct 1
Squad (recruit: Dolores).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront import clock
from broadfront.web.common.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def test_our_power_shows_a_shrunk_show_up_rate_with_its_interval(client: Any,
                                                                scene: Scene) -> None:
    response = login(client, scene.world.ana).get("/power/")
    p = response.context["p"]
    assert p.organization == scene.world.northside
    assert (p.show_up.said_yes, p.show_up.came) == (2, 1)
    assert p.show_up.low < p.show_up.rate < p.show_up.high
    assert [(label, r.said_yes, r.came) for label, r in p.by_kind] == [("Training", 2, 1)]
    assert [s["name"] for s in p.squads] == ["Precinct 1 Squad"]
    # The 1000 calls arrived 20 and 3 days before today: this month's or last month's bars.
    assert sum(p.delivered_by_unit["calls made"]) == 1000
    # The prep in 7 days has one RSVP: a forecast with its range.
    ((event, f),) = p.upcoming
    assert event == scene.prep and f.rsvps == 1 and f.forecast.p10 <= f.forecast.p90
    assert "One-page report" in response.content.decode()


def test_the_report_prints_on_one_page_and_names_nobody(client: Any, scene: Scene) -> None:
    response = login(client, scene.world.ana).get(f"/power/report/{scene.world.northside.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "@media print" in html and "@page" in html
    assert "Northside Chapter: what we can deliver" in html
    for name in ("Dolores", "Marta", "Precinct 1 Squad"):
        assert name not in html


def test_an_outsider_gets_no_power_page_or_summary(client: Any, scene: Scene) -> None:
    c = login(client, scene.world.omar)
    assert c.get(f"/power/report/{scene.world.northside.slug}/").status_code == 404
    assert c.get(f"/api/organizations/{scene.world.northside.slug}/power").status_code == 404


def test_the_power_summary_api_is_aggregates_for_a_partner(client: Any, scene: Scene) -> None:
    data = login(client, scene.world.grace).get(
        f"/api/organizations/{scene.world.northside.slug}/power").json()
    assert (data["people"], data["members"], data["squads"]) == (2, 2, 1)
    assert (data["show_up"]["said_yes"], data["show_up"]["came"]) == (2, 1)
    assert {s["stage"]: s["count"] for s in data["stages"]}["squad_leader"] == 1
    assert data["delivered_last_12_months"] == {"calls made": 1000.0}
    assert "Marta" not in str(data) and "Dolores" not in str(data)


def test_the_event_page_shows_rsvps_forecast_and_actual(client: Any, scene: Scene) -> None:
    c = login(client, scene.world.ana)
    response = c.get(f"/power/events/{scene.training.pk}/")
    f = response.context["forecast"]
    assert (f.rsvps, f.actual) == (2, 1)
    html = response.content.decode()
    assert "Actual: 1 came." in html and "P10-P90" in html


def test_recording_an_rsvp_from_the_event_page(client: Any, scene: Scene) -> None:
    from broadfront.web.accountability.models import Attendance

    c = login(client, scene.world.ana)
    url = f"/power/events/{scene.prep.pk}/"
    response = c.post(url, {"person": scene.marta.pk, "status": "accepted", "attended": ""})
    assert response.status_code == 302
    a = Attendance.objects.get(event=scene.prep, person=scene.marta)
    assert (a.status, a.attended) == ("accepted", None)
    bad = c.post(url, {"person": scene.world.grace_person.pk, "status": "maybe"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"person", "status"}


def test_recording_an_event_from_the_form(client: Any, scene: Scene) -> None:
    c = login(client, scene.world.ana)
    response = c.post("/power/events/new/", {
        "organization": scene.world.northside.pk, "name": "Door knock", "kind": "canvass",
        "starts_at": "2030-05-01T10:00"})
    assert response.status_code == 302
    missing = c.post("/power/events/new/", {"organization": scene.world.northside.pk})
    assert missing.status_code == 400
    assert {"name", "starts_at"} <= set(missing.context["form"].errors)


def _attend(org: Any, person: Any, days_ago: list[int], came: list[bool],
            invited_by: Any = None) -> None:
    from broadfront.web.accountability.models import Attendance, Event

    now = clock.now()
    for d, c in zip(days_ago, came, strict=True):
        e = Event.objects.create(organization=org, name=f"Meeting {d}",
                                 starts_at=now - dt.timedelta(days=d))
        Attendance.objects.create(event=e, person=person, status="accepted", attended=c,
                                  invited_by=invited_by)


def test_a_member_with_three_events_in_ninety_days_is_ready(scene: Scene) -> None:
    from broadfront.web.organizations.models import LeadershipStep, Person
    from broadfront.web.site import ladder

    w = scene.world
    now = clock.now()
    ready_p = Person.objects.create(owner=w.northside, given_name="Rosa")
    flaky = Person.objects.create(owner=w.northside, given_name="Flo")
    for p in (ready_p, flaky):
        LeadershipStep.objects.create(person=p, organization=w.northside, stage="member",
                                      date=now.date() - dt.timedelta(days=200))
    _attend(w.northside, ready_p, [5, 20, 40, 60, 120], [True, True, True, False, False])
    _attend(w.northside, flaky, [5, 20, 40, 60, 70], [True, True, True, False, False])
    acts = ladder.activities(w.northside, now)
    # Rosa: 3 attended, 3 of 4 yeses in 90 days (75%): ready. Flo: 3 of 5 = 60%: just ready.
    assert (acts[ready_p.pk].attended_90, acts[ready_p.pk].yes_90) == (3, 4)
    assert (acts[flaky.pk].attended_90, acts[flaky.pk].yes_90) == (3, 5)
    ready = ladder.ready_for_next_step(w.northside, now)
    names = [c.person.given_name for c in ready["active_member"]]
    assert names == ["Flo", "Rosa"]
    # One more missed meeting puts Flo at 3 of 6 (50%): below 60%, not ready any more.
    _attend(w.northside, flaky, [80], [False])
    ready = ladder.ready_for_next_step(w.northside, now)
    assert [c.person.given_name for c in ready["active_member"]] == ["Rosa"]


def test_an_active_member_who_brings_people_is_ready_to_lead_a_squad(scene: Scene) -> None:
    from broadfront.web.organizations.models import Person
    from broadfront.web.site import ladder

    w = scene.world
    now = clock.now()
    dolores = Person.objects.get(given_name="Dolores")  # active member in the scene
    _attend(w.northside, dolores, [3, 30, 60, 90, 120], [True] * 5)
    act = ladder.activities(w.northside, now)[dolores.pk]
    # 6 attended in 180 days (the training too), 6 of 6: but nobody brought yet.
    assert ladder.next_step("active_member", act, True, now)[:2] == ("squad_leader", False)
    friend = Person.objects.create(owner=w.northside, given_name="Friend")
    _attend(w.northside, friend, [3, 30], [True, True], invited_by=dolores)
    act = ladder.activities(w.northside, now)[dolores.pk]
    assert act.brought_180 == 2
    assert ladder.next_step("active_member", act, True, now)[:2] == ("squad_leader", True)


def test_a_squad_leader_whose_squad_shows_up_is_ready_for_chapter_leader(scene: Scene) -> None:
    from broadfront.web.campaigns.models import Squad
    from broadfront.web.organizations.models import Person
    from broadfront.web.site import ladder

    w = scene.world
    now = clock.now()
    Squad.objects.filter(pk=scene.squad.pk).update(formed_on=now.date() - dt.timedelta(days=120))
    dolores = Person.objects.get(given_name="Dolores")  # the squad's recruit
    act = ladder.activities(w.northside, now)[scene.marta.pk]
    assert [(s["said_yes"], s["came"]) for s in act.squads] == [(1, 1)]  # too few RSVPs
    assert ladder.next_step("squad_leader", act, True, now)[1] is False
    _attend(w.northside, dolores, list(range(12, 21)), [True] * 7 + [False] * 2)
    act = ladder.activities(w.northside, now)[scene.marta.pk]
    assert [(s["said_yes"], s["came"]) for s in act.squads] == [(10, 8)]
    assert ladder.next_step("squad_leader", act, True, now)[1] is True
    # Delegates are elected: never "ready" by computation.
    assert ladder.next_step("chapter_leader", act, True, now)[:2] == ("delegate", False)


def test_the_pipeline_over_time_counts_people_by_month_end(scene: Scene) -> None:
    from broadfront.web.organizations.models import LeadershipStep, Person
    from broadfront.web.site import ladder

    w = scene.world
    a = Person.objects.create(owner=w.northside, given_name="A")
    LeadershipStep.objects.create(person=a, organization=w.northside, stage="member",
                                  date=dt.date(2026, 1, 15))
    LeadershipStep.objects.create(person=a, organization=w.northside, stage="squad_leader",
                                  date=dt.date(2026, 3, 2))
    LeadershipStep.objects.filter(organization=w.northside).exclude(person=a).delete()
    months, series = ladder.pipeline_over_time(w.northside, months=4,
                                               today=dt.date(2026, 3, 20))
    assert months == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1),
                      dt.date(2026, 3, 1)]
    assert series["member"] == [0, 1, 1, 1]
    assert series["active_member"] == [0, 0, 0, 1]  # reached by going beyond it
    assert series["squad_leader"] == [0, 0, 0, 1]
    assert series["chapter_leader"] == [0, 0, 0, 0]


def test_the_leaders_page_writes_the_criteria_down(client: Any, scene: Scene) -> None:
    response = login(client, scene.world.ana).get("/leaders/")
    html = response.content.decode()
    assert "attended at least 3 events in the last 90 days" in html
    assert "The pipeline over time" in html


def test_a_person_page_shows_what_they_have_done(client: Any, scene: Scene) -> None:
    response = login(client, scene.world.ana).get(f"/power/people/{scene.marta.pk}/")
    act = response.context["act"]
    assert (act.attended, act.said_yes, act.came) == (0, 1, 0)
    assert [s["name"] for s in act.squads] == ["Precinct 1 Squad"]
    assert "Precinct 1 Squad" in response.content.decode()
    # A partner cannot open our people.
    assert login(client, scene.world.grace).get(
        f"/power/people/{scene.marta.pk}/").status_code == 404
