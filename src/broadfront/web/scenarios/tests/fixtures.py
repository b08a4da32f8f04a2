"""A small council and a small race for the scenario tests, on top of the ``world`` personas.

The Riverton council has three seats: Alma (2 votes, Progressive), Bruno and the mayor
(1 vote each; the mayor sits in the Centrist bloc), and decides by a quota of 3 votes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from broadfront import clock
from broadfront.web.campaigns.models import Campaign, Candidate
from broadfront.web.landscape.models import Body, Issue, Seat, Stance, VotingRule
from broadfront.web.organizations.models import Division, Person


@dataclass
class Council:
    body: Body
    issue: Issue
    alma: Person
    bruno: Person
    race: Campaign


def build_council(w: Any) -> Council:
    today = clock.today()
    body = Body.objects.create(name="Riverton City Council", slug="riverton", kind="council")
    VotingRule.objects.create(body=body, kind="quota", quota=3)
    alma = Person.objects.create(given_name="Alma", family_name="Reyes", public_role="Council")
    bruno = Person.objects.create(given_name="Bruno", family_name="Stahl", public_role="Council")
    Seat.objects.create(body=body, label="Seat 1", holder=alma, weight=2, bloc="Progressive")
    Seat.objects.create(body=body, label="Seat 2", holder=bruno, weight=1)
    Seat.objects.create(body=body, label="Seat 3", holder=w.mayor, weight=1, bloc="Centrist")
    Seat.objects.create(body=body, label="Seat 4", holder=bruno, weight=5,
                        end_date=dt.date(2020, 1, 1))  # an ended seat does not vote
    issue = Issue.objects.create(name="Tenant protections", slug="tenants")
    Stance.objects.create(issue=issue, person=alma, score=0, recorded_by=w.northside,
                          assessed_on=today - dt.timedelta(days=100))
    Stance.objects.create(issue=issue, person=alma, score=1, recorded_by=w.northside,
                          assessed_on=today - dt.timedelta(days=10))
    Stance.objects.create(issue=issue, person=w.mayor, score=-1, recorded_by=w.faith,
                          assessed_on=today - dt.timedelta(days=5))
    # Westfield's own assessment of Bruno is not shared with Northside: it must not be used.
    Stance.objects.create(issue=issue, person=bruno, score=3, recorded_by=w.westfield,
                          assessed_on=today)
    city = Division.objects.create(ocd_id="ocd-division/country:us/place:riverton",
                                   name="Riverton", level="city")
    Division.objects.create(ocd_id="ocd-division/country:us/place:riverton/ward:1",
                                    name="Ward 1", level="ward", parent=city,
                                    expected_attendance=200)
    Division.objects.create(ocd_id="ocd-division/country:us/place:riverton/ward:2",
                                    name="Ward 2", level="ward", parent=city,
                                    expected_attendance=150)
    race = Campaign.objects.create(name="Reyes for Mayor", slug="reyes-for-mayor",
                                   kind="electoral", lead_organization=w.northside,
                                   division=city, start_date=today, end_date=today)
    Candidate.objects.create(campaign=race, person=alma, is_ours=True)
    Candidate.objects.create(campaign=race, person=w.mayor, is_write_in=True)
    return Council(body, issue, alma, bruno, race)


INDEPENDENT = {
    "body": {"quota": 3, "members": [
        {"name": "A", "weight": 2, "p_with_us": 0.5},
        {"name": "B", "weight": 1, "p_with_us": 0.5},
        {"name": "C", "weight": 1, "p_with_us": 0.5},
    ]},
}

BLOCS = {
    "body": {"rule": "majority", "blocs": {"centre": 0.8}, "members": [
        {"name": "A", "stance": 3}, {"name": "B", "stance": 2},
        {"name": "C", "stance": 0, "bloc": "centre"}, {"name": "D", "stance": -1, "bloc": "centre"},
        {"name": "E", "stance": -3},
    ]},
    "shocks": [{"kind": "bloc_shift", "bloc": "centre", "steps": -2, "probability": 0.5}],
}
