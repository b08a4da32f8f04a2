"""Alerts: allies whose stance dropped, whose votes drifted, or who gained ties to the
opposition, from what the user's tables recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront import clock
from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape.models import Body, Motion, Relationship, Stance, Vote
from broadfront.web.organizations.models import Person


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def _alerts(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client.get("/landscape/alerts/")


def test_an_ally_whose_stance_dropped_is_flagged(client: Any, scene: Scene) -> None:
    w = scene.world
    Stance.objects.create(issue=scene.issue, organization=w.faith, score=1,
                          recorded_by=w.northside, assessed_on=clock.today(),
                          evidence="Skipped the hearing.")
    drops = _alerts(client, w.ana).context["drops"]
    assert [d.text for d in drops] == [
        "Faith in Riverland dropped from +3 (active ally) to +1 (leaning ally) on Tenant "
        "protections. Evidence: Skipped the hearing."]
    assert _alerts(client, w.omar).context["drops"] == []  # not at our table


def test_a_new_tie_between_an_ally_and_an_opponent_is_flagged(client: Any, scene: Scene) -> None:
    w = scene.world
    start = clock.today() - dt.timedelta(days=30)
    Relationship.objects.create(kind="allied_with", source_organization=w.faith,
                                target_organization=w.westfield, recorded_by=w.northside,
                                start_date=start, source="Joint press conference")
    Relationship.objects.create(kind="opposes", source_organization=w.faith,
                                target_organization=w.westfield, recorded_by=w.northside,
                                start_date=start)
    (tie,) = _alerts(client, w.ana).context["ties"]
    assert tie.actor == "Faith in Riverland" and tie.date == start
    assert "Westfield Business Alliance stands at -2.0 on average" in tie.text


def test_an_ally_whose_votes_drifted_away_is_flagged(client: Any, scene: Scene) -> None:
    # Eight members in a line; Ann and Cy are assessed as allies. In 2026 Cy votes like Gus,
    # at the far end of the line from Ann.
    w = scene.world
    names = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal"]
    people = [Person.objects.create(given_name=n, family_name="Line") for n in names]
    for p, score in ((people[0], 3), (people[2], 2)):
        Stance.objects.create(issue=scene.issue, person=p, score=score, recorded_by=w.northside,
                              assessed_on=dt.date(2025, 1, 10), evidence="Voted with us.")
    body = Body.objects.create(name="Line council", slug="line", kind="council")
    year1 = [[int(r < k) for k in range(1, 8)] + [int(r >= k) for k in range(2, 7)]
             for r in range(8)]
    year2 = [row[:] for row in year1]
    year2[2] = year1[6][:]
    for year, matrix in ((2025, year1), (2026, year2)):
        for j in range(len(matrix[0])):
            m = Motion.objects.create(body=body, identifier=f"{year}-{j}", title="x",
                                      date=dt.date(year, 3, 1) + dt.timedelta(days=j))
            Vote.objects.bulk_create([Vote(motion=m, voter=p, option="yes" if row[j] else "no")
                                      for p, row in zip(people, matrix, strict=True)])
    drifts = _alerts(client, w.ana).context["drifts"]
    assert [(m.name, body_name) for m, body_name in drifts] == [("Cy Line", "Line council")]
    html = _alerts(client, w.ana).content.decode()
    assert "Cy Line (Line council) moved from" in html
