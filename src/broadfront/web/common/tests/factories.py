"""A small, hand-checkable scene on top of the ``world`` personas, for the page tests.

Northside (Ana's chapter) and Faith in Riverland sit at the Riverland Forward table; Westfield
sits at no table with them. Every figure a page test checks can be worked out from here:

- Northside people: Dolores (member since last year, active member on the ladder) and Marta
  (squad leader); Faith's person Ezra is a chapter leader of Faith.
- A past Northside training: Dolores and Marta said yes, only Dolores came (show-up 50%).
  An upcoming Northside caucus prep: Dolores said yes. A past Faith vigil: Ezra said yes and
  came. A Westfield event nobody else may see.
- Commitments: Faith 500 doors, all delivered on time (kept); Faith 100 members, 40
  delivered (partly kept); Northside 1000 calls delivered late (kept late); Northside 50 voters
  due next month (open); Westfield 999 dollars with nothing delivered (broken, but invisible).
- A caucus-bloc campaign with targets in precincts 1 (goal 20) and 2 (goal 15); recruits
  Dolores (Northside, P1), Marta (Northside, P2) and Ezra (Faith, P1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from broadfront import clock


@dataclass
class Scene:
    world: Any
    marta: Any
    training: Any
    prep: Any
    vigil: Any
    west_event: Any
    campaign: Any
    squad: Any
    faith_squad: Any
    faith_kept: Any
    faith_partly: Any
    ours_late: Any
    ours_open: Any
    west_broken: Any
    issue: Any
    body: Any
    motion: Any
    decision: Any
    closed_decision: Any
    faith_decision: Any
    scenario: Any
    run: Any
    faith_scenario: Any
    p1: Any
    p2: Any


def build_scene(w: Any) -> Scene:
    from broadfront.web.accountability.models import (
        Attendance,
        Commitment,
        Contribution,
        Delivery,
        Event,
    )
    from broadfront.web.campaigns.models import Campaign, Recruit, Squad, Target
    from broadfront.web.decisions.models import Ballot, Decision, Impact, Option
    from broadfront.web.landscape.models import (
        Body,
        Issue,
        Motion,
        Relationship,
        Seat,
        Stance,
        Vote,
        VotingRule,
    )
    from broadfront.web.organizations.models import (
        Division,
        LeadershipStep,
        Membership,
        Person,
    )
    from broadfront.web.scenarios.models import Scenario, ScenarioRun

    now = clock.now()
    today = clock.today()
    year_ago = today - dt.timedelta(days=365)

    state = Division.objects.create(ocd_id="ocd-division/country:us/state:rv", name="Riverland",
                                    level="state")
    p1 = Division.objects.create(ocd_id="ocd-division/country:us/state:rv/precinct:1",
                                 name="Precinct 1", level="precinct", parent=state,
                                 expected_attendance=200)
    p2 = Division.objects.create(ocd_id="ocd-division/country:us/state:rv/precinct:2",
                                 name="Precinct 2", level="precinct", parent=state,
                                 expected_attendance=150)

    dolores, ezra = w.ana_person, w.grace_person
    marta = Person.objects.create(owner=w.northside, given_name="Marta", family_name="Squadleader",
                                  division=p1)
    for person, org in ((dolores, w.northside), (marta, w.northside), (ezra, w.faith)):
        Membership.objects.create(person=person, organization=org, start_date=year_ago)
    for person, org, stages in (
        (dolores, w.northside, ["supporter", "member", "active_member"]),
        (marta, w.northside, ["member", "squad_leader"]),
        (ezra, w.faith, ["member", "chapter_leader"]),
    ):
        for i, stage in enumerate(stages):
            LeadershipStep.objects.create(person=person, organization=org, stage=stage,
                                          date=year_ago + dt.timedelta(days=30 * i))

    campaign = Campaign.objects.create(
        name="Caucus Bloc 2026", slug="caucus-bloc-2026", kind="caucus_bloc",
        lead_organization=w.northside, coalition=w.coalition, start_date=year_ago,
        end_date=today + dt.timedelta(days=90), target_share=Decimal("0.10"),
        goal="Ten percent of every precinct caucus.",
    )
    Target.objects.create(campaign=campaign, division=p1, expected_attendance=200, goal=20)
    Target.objects.create(campaign=campaign, division=p2, expected_attendance=150, goal=15)
    squad = Squad.objects.create(campaign=campaign, organization=w.northside, division=p1,
                                 name="Precinct 1 Squad", leader=marta)
    faith_squad = Squad.objects.create(campaign=campaign, organization=w.faith, division=p1,
                                       name="Faith Squad Alpha", leader=ezra)
    Recruit.objects.create(campaign=campaign, organization=w.northside, person=dolores,
                           division=p1, squad=squad, committed_on=today)
    Recruit.objects.create(campaign=campaign, organization=w.northside, person=marta,
                           division=p2, committed_on=today)
    Recruit.objects.create(campaign=campaign, organization=w.faith, person=ezra, division=p1,
                           squad=faith_squad, committed_on=today)

    def event(org: Any, name: str, days: int, kind: str = "meeting") -> Any:
        return Event.objects.create(organization=org, coalition=w.coalition, name=name,
                                    kind=kind, starts_at=now + dt.timedelta(days=days),
                                    campaign=campaign)

    training = event(w.northside, "Tenant Rights Training", -10, "training")
    prep = event(w.northside, "Caucus Night Prep", 7)
    vigil = event(w.faith, "Interfaith Vigil", -5, "action")
    west_event = event(w.westfield, "Westfield Donor Breakfast", 3)
    Attendance.objects.create(event=training, person=dolores, status="accepted", attended=True)
    Attendance.objects.create(event=training, person=marta, status="accepted", attended=False)
    Attendance.objects.create(event=prep, person=dolores, status="accepted")
    Attendance.objects.create(event=vigil, person=ezra, status="accepted", attended=True)
    Attendance.objects.create(event=west_event, person=w.omar_person, status="accepted")

    def commitment(org: Any, unit: str, qty: int, due_days: int, deliveries: list[tuple[int, int]],
                   note: str = "") -> Any:
        c = Commitment.objects.create(partner=org, campaign=campaign, coalition=w.coalition,
                                      unit=unit, quantity=qty, note=note,
                                      made_on=today - dt.timedelta(days=60),
                                      due_date=today + dt.timedelta(days=due_days))
        for q, d in deliveries:
            Delivery.objects.create(commitment=c, quantity=q,
                                    delivered_on=today + dt.timedelta(days=d))
        return c

    faith_kept = commitment(w.faith, "doors", 500, -20, [(300, -30), (200, -21)],
                            "Doors in the east precincts")
    faith_partly = commitment(w.faith, "members", 100, -5, [(40, -6)])
    ours_late = commitment(w.northside, "calls", 1000, -15, [(600, -20), (400, -3)])
    ours_open = commitment(w.northside, "voters", 50, 30, [])
    west_broken = Commitment.objects.create(partner=w.westfield, unit="dollars", quantity=999,
                                            made_on=year_ago, due_date=year_ago)
    Contribution.objects.create(organization=w.faith, campaign=campaign,
                                outcome="Tenant ordinance passed", status="verified",
                                unit="doors", quantity=500)

    issue = Issue.objects.create(name="Tenant protections", slug="tenant-protections",
                                 description="Rent stabilization and just-cause eviction.")
    Stance.objects.create(issue=issue, organization=w.westfield, score=-2, recorded_by=w.northside,
                          assessed_on=today - dt.timedelta(days=40))
    Stance.objects.create(issue=issue, organization=w.faith, score=3, recorded_by=w.northside,
                          assessed_on=today - dt.timedelta(days=40))
    Stance.objects.create(issue=issue, person=w.mayor, score=0, recorded_by=w.faith,
                          assessed_on=today - dt.timedelta(days=90))
    Stance.objects.create(issue=issue, person=w.mayor, score=1, recorded_by=w.faith,
                          assessed_on=today - dt.timedelta(days=10))
    Stance.objects.create(issue=issue, person=ezra, score=3, recorded_by=w.faith,
                          assessed_on=today - dt.timedelta(days=10))
    Relationship.objects.create(kind="funds", source_organization=w.westfield,
                                target_person=w.mayor, recorded_by=w.northside,
                                source="Campaign finance filings")
    Relationship.objects.create(kind="knows", source_person=ezra, target_person=w.mayor,
                                recorded_by=w.faith)

    body = Body.objects.create(name="Riverton City Council", slug="riverton-council",
                               kind="council")
    VotingRule.objects.create(body=body, kind="simple_majority", threshold=Decimal("0.5"))
    members = [w.mayor] + [Person.objects.create(given_name=g, family_name="Council",
                                                 public_role="Council member")
                           for g in ("Alma", "Bruno")]
    for i, (p, bloc) in enumerate(zip(members, ["Centrist", "Progressive", "Progressive"],
                                      strict=True)):
        Seat.objects.create(body=body, label=f"Ward {i + 1}", holder=p, bloc=bloc)
    motion = Motion.objects.create(body=body, identifier="2026-14", title="Just-cause eviction",
                                   date=today - dt.timedelta(days=12), issue=issue, result="pass")
    for p, opt in zip(members, ["no", "yes", "yes"], strict=True):
        Vote.objects.create(motion=motion, voter=p, option=opt)

    decision = Decision.objects.create(
        organization=w.northside, coalition=w.coalition, question="Endorse the write-in mayor?",
        rule="majority", triggered_by="betrayal", state="open", opened_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(days=3),
    )
    yes = Option.objects.create(decision=decision, label="Endorse")
    no = Option.objects.create(decision=decision, label="Stay out")
    Impact.objects.create(option=yes, constituency="Tenants", upside=8, upside_likelihood=0.6,
                          downside=2, downside_likelihood=0.3)
    Impact.objects.create(option=no, constituency="Tenants", upside=1, upside_likelihood=0.9,
                          downside=5, downside_likelihood=0.5)
    Ballot.objects.create(decision=decision, voter=w.ana, role="leader", choice=yes)
    Ballot.objects.create(decision=decision, voter=w.ben, role="member", choice=no,
                          positions={str(yes.pk): "block", str(no.pk): "agree"})
    closed = Decision.objects.create(
        organization=w.northside, question="Join the budget coalition?", state="closed",
        opened_at=now - dt.timedelta(days=60), closed_at=now - dt.timedelta(days=50),
        review_due=today + dt.timedelta(days=5),
    )
    faith_decision = Decision.objects.create(organization=w.faith, question="Faith-only question",
                                             opened_at=now)

    scenario = Scenario.objects.create(
        organization=w.northside, name="Centrists defect", body=body, seed=7, draws=1000,
        spec={"shocks": [{"kind": "ally_defects", "who": "Centrist bloc", "probability": 0.3}]},
    )
    run = ScenarioRun.objects.create(scenario=scenario, seed=7, draws=1000, method="monte_carlo",
                                     p_hold=0.72, p_hold_se=0.014, result={"pivotal": "Ward 1"})
    faith_scenario = Scenario.objects.create(organization=w.faith, name="Faith private plan")
    return Scene(w, marta, training, prep, vigil, west_event, campaign, squad, faith_squad,
                 faith_kept, faith_partly, ours_late, ours_open, west_broken, issue, body, motion,
                 decision, closed, faith_decision, scenario, run, faith_scenario, p1, p2)


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client
