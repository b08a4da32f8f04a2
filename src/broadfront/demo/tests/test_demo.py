"""The demo coalition loads, is shaped like the panel's story, and is reproducible by seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import Any

import numpy as np
import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db import models

from broadfront.demo import DEMO_AS_OF, DEMO_LOGINS, DEMO_PASSWORD, load_demo, resolve_scale
from broadfront.exceptions import ConflictError, ValidationError
from broadfront.web.accountability.models import (
    Attendance,
    Commitment,
    CommitmentStatus,
    Contribution,
    Delivery,
    Event,
    compute_status,
)
from broadfront.web.campaigns.models import Campaign, Candidate, Recruit, Squad, Target
from broadfront.web.common.models import AuditEntry
from broadfront.web.decisions.models import Ballot, Decision, Impact, Option, Review
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
    Coalition,
    CoalitionCoordinator,
    CoalitionMembership,
    Curation,
    Division,
    LeadershipStep,
    Membership,
    Organization,
    OrganizationRole,
    Person,
)
from broadfront.web.scenarios.models import Scenario, ScenarioSweep

DEMO_MODELS: list[type[models.Model]] = [
    Division, Organization, Coalition, CoalitionMembership, User, OrganizationRole,
    CoalitionCoordinator, Person, Membership, LeadershipStep, Campaign, Target, Squad, Recruit,
    Candidate, Event, Attendance, Commitment, Delivery, Contribution, Issue, Stance,
    Relationship, Body, VotingRule, Seat, Motion, Vote, Decision, Option, Impact, Ballot, Review,
    Scenario, ScenarioSweep, Curation,
]
# Set by the database clock, not by the seed.
VOLATILE = {"created_at", "cast_at", "last_login", "granted_at"}


def fingerprint(relative_to: dt.date | None = None) -> str:
    """A digest of every demo row, with ids replaced by each row's rank within its table.

    Two loads with the same seed write rows in the same order, so their ranks agree even
    when the database hands out different ids. With ``relative_to``, every date becomes its
    distance in days from that day and every time its distance in seconds from its midnight
    (UTC), so two loads laid out around different days can be compared as stories; a motion's
    identifier, which carries the year it falls in, is left out then.
    """
    midnight = (dt.datetime(relative_to.year, relative_to.month, relative_to.day, tzinfo=dt.UTC)
                if relative_to is not None else None)
    ranks: dict[type[models.Model], dict[Any, int]] = {}
    for model in DEMO_MODELS:
        pks = model._default_manager.order_by("pk").values_list("pk", flat=True)
        ranks[model] = {pk: i for i, pk in enumerate(pks)}
    digest = hashlib.sha256()
    for model in DEMO_MODELS:
        fields = [f for f in model._meta.concrete_fields if f.name not in VOLATILE
                  and not (relative_to is not None and model is Motion
                           and f.name == "identifier")]
        names = [f.attname for f in fields]
        for row in model._default_manager.order_by("pk").values_list(*names):
            out = []
            for f, value in zip(fields, row, strict=True):
                if f.primary_key:
                    value = ranks[model][value]
                elif f.is_relation and value is not None:
                    value = ranks[f.related_model][value]
                elif model is Ballot and f.name == "ranking":
                    value = [ranks[Option][pk] for pk in value]
                elif midnight is not None and isinstance(value, dt.datetime):
                    value = (value - midnight).total_seconds()
                elif relative_to is not None and isinstance(value, dt.date):
                    value = (value - relative_to).days
                out.append(value)
            digest.update(json.dumps(out, default=str, sort_keys=True).encode())
    return digest.hexdigest()


@pytest.fixture
def demo(db: Any, fixed_clock: dt.datetime) -> Any:
    """The small demo laid out around its story's own day, with the clock on that day."""
    assert fixed_clock.date() == DEMO_AS_OF
    return load_demo("small", seed=0)


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


# ---------------------------------------------------------------- loading


@pytest.mark.django_db
def test_small_demo_loads_the_panels_cast(demo: Any) -> None:
    assert demo.scale == "small"
    assert demo.people == Person.objects.count() >= 1500
    assert demo.precincts == Division.objects.filter(level="precinct").count() == 60
    assert demo.organizations == Organization.objects.count() >= 8
    for name in ("Riverland Federation", "Northside Chapter", "Eastbank Chapter",
                 "Faith in Riverland", "Hospitality Workers Power", "Riverland Tenants Union",
                 "Riverland Climate Action", "Riverland Democratic Party",
                 "Riverton Democratic Club", "Westfield Business Alliance",
                 "Riverland Prosperity PAC"):
        assert Organization.objects.filter(name=name).exists(), name
    assert org("Northside Chapter").parent == org("Riverland Federation")
    table = Coalition.objects.get(name="Riverland Forward")
    at_table = set(table.members.values_list("name", flat=True))
    assert {"Faith in Riverland", "Hospitality Workers Power", "Northside Chapter"} <= at_table
    assert "Westfield Business Alliance" not in at_table
    assert demo.counts["organizations.Person"] == demo.people
    assert set(demo.logins) == set(DEMO_LOGINS)


@pytest.mark.django_db
def test_divisions_form_a_state_county_district_precinct_tree(demo: Any) -> None:
    state = Division.objects.get(level="state")
    assert state.ocd_id == "ocd-division/country:us/state:rl"
    precinct = Division.objects.filter(level="precinct").first()
    assert precinct is not None
    assert precinct.ocd_id.startswith("ocd-division/country:us/state:rl/county:")
    assert "/precinct:" in precinct.ocd_id
    assert precinct.parent.level == "district"
    assert precinct.parent.parent.level == "county"
    assert precinct.parent.parent.parent == state
    for p in Division.objects.filter(level="precinct"):
        assert p.expected_attendance >= 3
        assert 0.005 <= p.expected_attendance / p.party_vote <= 0.02 or p.expected_attendance == 3
    assert state.party_vote == sum(
        Division.objects.filter(level="precinct").values_list("party_vote", flat=True)
    )


@pytest.mark.django_db
def test_people_have_the_fictional_postal_code_of_their_precinct(demo: Any) -> None:
    from collections import defaultdict

    from broadfront.formats.records import normalize_postal_code

    codes_of: dict[str, set[str]] = defaultdict(set)
    county_prefix: dict[str, set[str]] = defaultdict(set)
    members = Person.objects.filter(owner__isnull=False).select_related("division__parent__parent")
    for person in members:
        code = person.postal_code
        assert len(code) == 5 and code.isdigit() and normalize_postal_code(code) == code
        assert person.division.level == "precinct"
        codes_of[person.division.ocd_id].add(code)
        county_prefix[person.division.parent.parent.ocd_id].add(code[:3])
    assert all(len(codes) == 1 for codes in codes_of.values())  # one code per precinct
    assert all(len(prefixes) == 1 for prefixes in county_prefix.values())  # per county
    assert len({c for codes in codes_of.values() for c in codes}) > 10  # and many codes
    assert not Person.objects.filter(owner__isnull=True).exclude(postal_code="").exists()


@pytest.mark.django_db
def test_every_precinct_target_is_ten_percent_of_expected_attendance_rounded_up(
    demo: Any,
) -> None:
    campaign = Campaign.objects.get(kind="caucus_bloc")
    assert campaign.lead_organization == org("Faith in Riverland")
    assert float(campaign.target_share) == 0.1
    targets = Target.objects.filter(campaign=campaign).select_related("division")
    assert targets.count() == 60
    for t in targets:
        assert t.expected_attendance == t.division.expected_attendance
        assert t.goal == math.ceil(0.1 * t.expected_attendance) == Target.goal_for(
            t.expected_attendance, 0.1)


@pytest.mark.django_db
def test_faith_has_squads_with_leaders_in_many_precincts_and_recruits(demo: Any) -> None:
    faith = org("Faith in Riverland")
    squads = Squad.objects.filter(organization=faith)
    assert squads.count() >= 30
    for s in squads.select_related("leader"):
        assert s.leader is not None and s.leader.owner_id == faith.pk
        assert s.leader.division_id == s.division_id
        assert LeadershipStep.objects.filter(person=s.leader, stage="squad_leader").exists()
    recruits = Recruit.objects.filter(organization=faith)
    assert recruits.count() > 0
    assert all(r.person.owner_id == faith.pk for r in recruits.select_related("person"))


@pytest.mark.django_db
def test_the_council_has_nine_seats_and_a_one_seat_progressive_majority(demo: Any) -> None:
    council = Body.objects.get(name="Riverton City Council")
    seats = Seat.objects.filter(body=council).select_related("holder")
    assert seats.count() == 9
    blocs = [s.bloc for s in seats]
    assert blocs.count("progressive") == 5
    assert blocs.count("centrist") == 3
    assert blocs.count("conservative") == 1
    assert all(s.holder is not None and s.holder.owner_id is None for s in seats)
    assert VotingRule.objects.get(body=council).kind == "simple_majority"
    assert Motion.objects.filter(body=council).count() == 40
    assert Vote.objects.filter(motion__body=council).count() == 40 * 9
    final = Motion.objects.get(body=council, title__startswith="Tenant protections ordinance")
    yes = Vote.objects.filter(motion=final, option="yes").count()
    assert (yes, final.result) == (5, "pass")


@pytest.mark.django_db
def test_recorded_council_votes_separate_the_progressive_bloc(demo: Any) -> None:
    # The first principal component of the yes/no matrix is the classical quick ideal-point
    # estimate (Poole, "Spatial Models of Parliamentary Voting", Cambridge UP, 2005, ch. 2):
    # the five most progressive scores must be exactly the progressive bloc.
    council = Body.objects.get(name="Riverton City Council")
    members = list(Seat.objects.filter(body=council).order_by("label"))
    index = {s.holder_id: i for i, s in enumerate(members)}
    motions = list(Motion.objects.filter(body=council).order_by("date", "identifier"))
    matrix = np.full((len(members), len(motions)), 0.5)
    for j, motion in enumerate(motions):
        for vote in Vote.objects.filter(motion=motion):
            if vote.option in ("yes", "no"):
                matrix[index[vote.voter_id], j] = 1.0 if vote.option == "yes" else 0.0
    centered = matrix - matrix.mean(axis=0)
    u, _, _ = np.linalg.svd(centered, full_matrices=False)
    score = u[:, 0]
    progressive = [i for i, s in enumerate(members) if s.bloc == "progressive"]
    if score[progressive].mean() < 0:
        score = -score
    top_five = set(np.argsort(-score)[:5].tolist())
    assert top_five == set(progressive)
    conservative = next(i for i, s in enumerate(members) if s.bloc == "conservative")
    assert score[conservative] == score.min()


@pytest.mark.django_db
def test_the_convention_endorses_with_sixty_percent(demo: Any) -> None:
    convention = Body.objects.get(kind="convention")
    rule = VotingRule.objects.get(body=convention)
    assert float(rule.threshold) == 0.6
    seats = Seat.objects.filter(body=convention)
    assert seats.filter(holder_organization=org("Faith in Riverland")).exists()
    total = sum(float(s.weight) for s in seats)
    progressive = sum(float(s.weight) for s in seats if s.bloc == "progressive")
    assert progressive / total < 0.6  # the left alone cannot endorse


@pytest.mark.django_db
def test_the_defeated_incumbent_runs_a_write_in(demo: Any) -> None:
    general = Campaign.objects.get(name="Imani Calloway for Mayor")
    write_in = Candidate.objects.get(campaign=general, is_write_in=True)
    ours = Candidate.objects.get(campaign=general, is_ours=True)
    assert write_in.person.public_role.startswith("Mayor of Riverton")
    assert write_in.person.owner_id is None
    primary = Campaign.objects.get(name__endswith="primary")
    assert Candidate.objects.filter(campaign=primary, person=write_in.person,
                                    is_write_in=False).exists()
    assert Candidate.objects.filter(campaign=primary, person=ours.person, is_ours=True).exists()


# ---------------------------------------------------------------- accountability


def _delivery_ratio(name: str) -> float:
    promised = delivered = 0.0
    for c in Commitment.objects.filter(partner=org(name), due_date__lt=DEMO_AS_OF):
        promised += float(c.quantity)
        delivered += float(c.delivered())
    return delivered / promised


def _statuses(name: str) -> list[str]:
    out = []
    for c in Commitment.objects.filter(partner=org(name), due_date__lt=DEMO_AS_OF):
        rows = list(c.deliveries.values_list("quantity", "delivered_on"))
        out.append(compute_status(c.quantity, c.due_date, rows, DEMO_AS_OF))
    return out


@pytest.mark.django_db
def test_partners_differ_in_how_they_keep_commitments(demo: Any) -> None:
    assert _delivery_ratio("Hospitality Workers Power") > 1.0
    assert _delivery_ratio("Riverland Climate Action") < 0.7
    hwp, climate = _statuses("Hospitality Workers Power"), _statuses("Riverland Climate Action")
    assert hwp.count(CommitmentStatus.BROKEN) == 0
    assert climate.count(CommitmentStatus.KEPT) < len(climate) / 2
    units = set(Commitment.objects.values_list("unit", flat=True))
    assert {"doors", "calls", "members", "voters", "dollars", "endorsements"} <= units
    statuses = set(Contribution.objects.values_list("status", flat=True))
    assert statuses == {"claimed", "verified", "disputed"}


@pytest.mark.django_db
def test_show_up_rates_vary_by_organization(demo: Any) -> None:
    rates = {}
    for name in ("Faith in Riverland", "Riverland Climate Action", "Northside Chapter"):
        said_yes = Attendance.objects.filter(event__organization=org(name), status="accepted",
                                             attended__isnull=False)
        rates[name] = said_yes.filter(attended=True).count() / said_yes.count()
    assert all(0.3 <= r <= 0.8 for r in rates.values()), rates
    assert rates["Faith in Riverland"] > rates["Riverland Climate Action"]
    assert Event.objects.filter(starts_at__date__gt=DEMO_AS_OF).exists()
    assert not Attendance.objects.filter(event__starts_at__date__gt=DEMO_AS_OF,
                                         attended__isnull=False).exists()


# ---------------------------------------------------------------- landscape, decisions


@pytest.mark.django_db
def test_stances_are_dated_and_someone_is_moving(demo: Any) -> None:
    mover = Person.objects.get(given_name="Gus", family_name="Haverford")
    scores = list(Stance.objects.filter(person=mover, issue__slug="tenant-protections")
                  .order_by("assessed_on").values_list("score", flat=True))
    assert len(scores) >= 3 and scores == sorted(scores) and scores[-1] > scores[0]
    club = list(Stance.objects.filter(organization=org("Riverton Democratic Club"),
                                      issue__slug="living-wage")
                .order_by("assessed_on").values_list("score", flat=True))
    assert club[-1] < club[0]
    assert Relationship.objects.filter(kind="endorses", source_organization=org(
        "Riverton Democratic Club"), target_person__family_name="Hartigan").exists()
    assert Relationship.objects.filter(kind="funds").exists()
    assert Relationship.objects.filter(kind="opposes").exists()


@pytest.mark.django_db
def test_decisions_have_trade_offs_ballots_and_a_review(demo: Any) -> None:
    betrayal = Decision.objects.get(triggered_by="betrayal")
    assert betrayal.organization == org("Northside Chapter")
    assert betrayal.cooling_off_ends() is not None
    assert Option.objects.filter(decision=betrayal).count() == 3
    constituencies = set(Impact.objects.filter(option__decision=betrayal)
                         .values_list("constituency", flat=True))
    assert len(constituencies) >= 3
    assert Ballot.objects.filter(decision=betrayal).exists()
    assert betrayal.state == "open" and betrayal.outcome is None
    closed = Decision.objects.get(state="closed", organization=org("Faith in Riverland"))
    assert closed.outcome is not None
    assert Review.objects.filter(decision=closed).exists()
    ranked = Decision.objects.get(rule="instant-runoff")
    for ballot in Ballot.objects.filter(decision=ranked):
        assert sorted(ballot.ranking) == sorted(
            Option.objects.filter(decision=ranked).values_list("pk", flat=True))


@pytest.mark.django_db
def test_northside_reviewed_its_decisions_and_was_too_rosy_for_the_neighbors(
    demo: Any,
) -> None:
    from broadfront.web.decisions.queries import calibration_record, reviews_due

    northside = org("Northside Chapter")
    closed = Decision.objects.filter(organization=northside, state="closed")
    assert closed.count() == 5 and not closed.filter(outcome__isnull=True).exists()
    members = set(User.objects.filter(org_roles__organization=northside)
                  .values_list("username", flat=True))
    voters = set(Ballot.objects.filter(decision__organization=northside)
                 .values_list("voter__username", flat=True))
    assert voters and voters <= members
    for d in closed:
        assert set(Impact.objects.filter(option=d.outcome).values_list(
            "constituency", flat=True)) == {
            "Northside members", "Tenants Union members", "North side neighbors",
            "Chapter staff", "Riverland Forward coalition"}
    days = sorted(Review.objects.filter(decision__organization=northside)
                  .values_list("reviewed_on", flat=True))
    assert len(days) == 6 and days[0].year == 2025 and days[-1] <= DEMO_AS_OF
    ana = User.objects.get(username="ana")
    record = calibration_record(ana, northside)
    assert len(record.reviewed) == 4  # the phone-bank decision is not reviewed yet
    assert record.report is not None
    # The neighbors came out 2.4, 2.8, 2.2 and 2.4 below what we expected: mean -2.45,
    # s = 0.25, 95% interval -2.45 +- 3.182 x 0.25 / 2 lies below zero.
    hood = next(c for c in record.report.by_constituency
                if c.constituency == "North side neighbors")
    assert hood.mean_error == pytest.approx(-2.45)
    assert record.report.too_rosy_for == ("North side neighbors",)
    # Reviews record gains and losses apart: a year after the rent strike the neighbors
    # gained from the repairs and lost as the block's rents rose (net 0).
    strike = Review.objects.get(decision__organization=northside,
                                reviewed_on=dt.date(2025, 12, 2))
    assert strike.actual["North side neighbors"] == {"gained": 2.0, "lost": 2.0}
    assert all(isinstance(v, dict) and set(v) == {"gained", "lost"}
               for r in Review.objects.all() for v in r.actual.values())
    # Four reviewed decisions of five constituencies: enough foreseen upsides and
    # downsides for the page to show the Brier score of Northside's likelihoods.
    assert record.overall is not None and record.overall.enough
    assert record.overall.events >= 30
    assert record.overall.brier == pytest.approx(record.report.overall.brier)
    assert [d.question for d in reviews_due(ana, DEMO_AS_OF)] == [
        "Do we join the coalition's phone bank for the general election, or canvass our own "
        "precincts?"]


@pytest.mark.django_db
def test_a_handful_of_northside_and_faith_people_are_ready_for_the_next_step(
    demo: Any,
) -> None:
    import datetime as dt

    from broadfront.web.site import ladder

    now = dt.datetime(DEMO_AS_OF.year, DEMO_AS_OF.month, DEMO_AS_OF.day, 12, tzinfo=dt.UTC)
    for name in ("Northside Chapter", "Faith in Riverland"):
        ready = ladder.ready_for_next_step(org(name), now)
        counts = {stage: len(people) for stage, people in ready.items()}
        assert 1 <= counts.get("member", 0) <= 5, (name, counts)
        assert 1 <= counts.get("active_member", 0) <= 10, (name, counts)
        assert 1 <= counts.get("squad_leader", 0) <= 5, (name, counts)
        for c in ready["squad_leader"]:
            assert "brought" in c.why and c.stage == "active_member"
    faith_chapter = ladder.ready_for_next_step(org("Faith in Riverland"), now)["chapter_leader"]
    assert 1 <= len(faith_chapter) <= 10
    assert all("squad" in c.why for c in faith_chapter)


@pytest.mark.django_db
def test_people_bring_people_within_their_own_organization(demo: Any) -> None:
    brought = Attendance.objects.filter(invited_by__isnull=False).select_related(
        "event", "person", "invited_by")
    total = Attendance.objects.count()
    assert 0.05 < brought.count() / total < 0.3
    assert all(a.person.owner_id == a.invited_by.owner_id == a.event.organization_id
               and a.person_id != a.invited_by_id for a in brought)


@pytest.mark.django_db
def test_squads_meet_and_recruits_who_came_to_a_practice_caucus_kept_their_commitment(
    demo: Any,
) -> None:
    import datetime as dt

    faith = org("Faith in Riverland")
    for squad in Squad.objects.filter(organization=faith):
        age = (DEMO_AS_OF - squad.formed_on).days
        assert 90 <= age <= 500, squad
        meetings = Event.objects.filter(name__startswith=f"{squad.name}:")
        assert meetings.exists() and all(
            e.campaign_id is not None and e.kind in ("meeting", "training") for e in meetings)
    squad_people = Attendance.objects.filter(
        event__name__contains=" squad: ", person__recruitments__squad__isnull=False)
    assert squad_people.filter(attended=True).exists()
    attended = Recruit.objects.filter(organization=faith, status="attended")
    assert 0 < attended.count() < Recruit.objects.filter(organization=faith).count()
    practice = Event.objects.filter(kind="caucus", organization=faith)
    assert practice.exists() and all(e.starts_at.date() < DEMO_AS_OF for e in practice)
    for r in attended:
        assert r.committed_on < dt.date(2026, 10, 17)
        assert Attendance.objects.filter(event__in=practice, person=r.person,
                                         attended=True).exists()


@pytest.mark.django_db
def test_members_are_the_people_who_reached_the_member_step(demo: Any) -> None:
    members = set(Membership.objects.values_list("person_id", flat=True))
    stepped = set(LeadershipStep.objects.filter(stage="member").values_list("person_id",
                                                                           flat=True))
    assert stepped <= members
    new = members - stepped  # joined recently, step not recorded yet: a handful
    assert 0 < len(new) < 0.05 * len(members) + 10


@pytest.mark.django_db
def test_a_centrist_drifts_away_in_her_stances_and_her_votes(demo: Any) -> None:
    drifter = Person.objects.get(given_name="Marisol", family_name="Eastwick")
    scores = list(Stance.objects.filter(person=drifter, issue__slug="living-wage")
                  .order_by("assessed_on").values_list("score", flat=True))
    assert len(scores) == 4 and scores[0] >= 1 and scores == sorted(scores, reverse=True)
    assert scores[-1] < 0
    council = Body.objects.get(name="Riverton City Council")

    def yes_share(year: int) -> float:
        votes = Vote.objects.filter(motion__body=council, voter=drifter,
                                    motion__date__year=year, option__in=["yes", "no"])
        progressive_yes = votes.filter(motion__title__startswith="Adopt")
        return progressive_yes.filter(option="yes").count() / progressive_yes.count()

    assert yes_share(2025) > yes_share(2026) + 0.2


@pytest.mark.django_db
def test_leaders_climb_the_ladder_in_dated_steps(demo: Any) -> None:
    stages = set(LeadershipStep.objects.values_list("stage", flat=True))
    assert len(stages) >= 5
    person = LeadershipStep.objects.filter(stage="chapter_leader").first().person
    steps = list(LeadershipStep.objects.filter(person=person).order_by("date", "id"))
    assert [s.stage for s in steps][:3] == ["supporter", "member", "active_member"]
    assert all(a.date <= b.date <= DEMO_AS_OF for a, b in zip(steps, steps[1:], strict=False))


@pytest.mark.django_db
def test_the_two_scenarios_are_plain_json_the_scenario_engine_reads(demo: Any) -> None:
    body = Scenario.objects.get(body__isnull=False)
    race = Scenario.objects.get(race__isnull=False)
    assert body.spec["body"]["quota"] == 5
    assert len(body.spec["body"]["members"]) == 9
    assert {m["bloc"] for m in body.spec["body"]["members"]} == {
        "progressive", "centrist", "conservative"}
    assert any(c.get("write_in") for c in race.spec["race"]["candidates"])
    json.dumps(body.spec), json.dumps(race.spec)
    engine = pytest.importorskip("broadfront.analysis.scenarios.model")
    assert engine.Scenario.from_dict(body.spec).body is not None
    assert engine.Scenario.from_dict(race.spec).race is not None


# ---------------------------------------------------------------- logins and privacy


@pytest.mark.django_db
def test_every_demo_login_works_with_the_demo_password(demo: Any) -> None:
    for login in DEMO_LOGINS:
        assert authenticate(username=login.username, password=DEMO_PASSWORD) is not None
    assert OrganizationRole.objects.get(user__username="ana").role == "organizer"
    assert OrganizationRole.objects.get(user__username="ben").role == "viewer"
    assert OrganizationRole.objects.get(user__username="omar").organization == org(
        "Westfield Business Alliance")
    assert CoalitionCoordinator.objects.filter(user__username="cora",
                                               coalition__name="Riverland Forward").exists()
    assert User.objects.get(username="admin").is_superuser
    assert authenticate(username="northside-member-01", password=DEMO_PASSWORD) is None


@pytest.mark.django_db
def test_each_login_organization_has_private_records_to_hide(demo: Any) -> None:
    for name in ("Northside Chapter", "Faith in Riverland", "Hospitality Workers Power",
                 "Westfield Business Alliance"):
        o = org(name)
        assert Person.objects.filter(owner=o).count() >= 12, name
        assert Membership.objects.filter(person__owner=o).exists(), name
        assert Attendance.objects.filter(person__owner=o).exists(), name
        assert LeadershipStep.objects.filter(organization=o).exists(), name
    for name in ("Northside Chapter", "Faith in Riverland", "Hospitality Workers Power"):
        assert Ballot.objects.filter(decision__organization=org(name)).exists(), name
    assert Stance.objects.filter(person__owner=org("Northside Chapter")).exists()
    assert Relationship.objects.filter(source_person__owner=org("Faith in Riverland")).exists()


@pytest.mark.django_db
def test_demo_users_see_only_their_own_people(demo: Any) -> None:
    ana = User.objects.get(username="ana")
    omar = User.objects.get(username="omar")
    northside, faith = org("Northside Chapter"), org("Faith in Riverland")
    seen = Person.objects.visible_to(ana)
    assert seen.filter(owner=northside).count() == Person.objects.filter(owner=northside).count()
    assert not seen.filter(owner=faith).exists()
    assert Commitment.objects.visible_to(ana).filter(partner=faith).exists()
    assert not Commitment.objects.visible_to(omar).exists()
    assert not Recruit.objects.visible_to(ana).exists()


@pytest.mark.django_db
def test_the_load_is_written_to_the_audit_log(demo: Any) -> None:
    entry = AuditEntry.objects.get(action="load-demo")
    assert entry.changes["seed"] == 0
    assert entry.changes["scale"] == "small"
    assert len(entry.changes["organizations"]) == demo.organizations


# ---------------------------------------------------------------- determinism, replace


@pytest.mark.django_db
def test_the_same_seed_writes_the_same_rows_and_another_seed_does_not(db: Any) -> None:
    day = dt.date(2026, 3, 2)
    load_demo("small", seed=7, as_of=day)
    first = fingerprint()
    summary = load_demo("small", seed=7, replace=True, as_of=day)
    assert summary.replaced
    assert fingerprint() == first
    load_demo("small", seed=8, replace=True, as_of=day)
    assert fingerprint() != first


@pytest.mark.django_db
def test_loaded_on_two_days_the_demo_tells_the_same_story_relative_to_each(db: Any) -> None:
    first_day, second_day = DEMO_AS_OF, dt.date(2027, 8, 19)  # 265 days on, across a new year
    summary = load_demo("small", seed=0, as_of=first_day)
    assert summary.as_of == first_day
    relative, absolute = fingerprint(first_day), fingerprint()
    general = Campaign.objects.get(slug="imani-calloway-for-mayor").end_date
    summary = load_demo("small", seed=0, as_of=second_day, replace=True)
    assert summary.as_of == second_day
    assert fingerprint(second_day) == relative
    assert fingerprint() != absolute
    moved = Campaign.objects.get(slug="imani-calloway-for-mayor").end_date
    assert (moved - second_day) == (general - first_day)
    assert Motion.objects.filter(identifier__startswith=f"RCC-{second_day.year}-").exists()


@pytest.mark.django_db
def test_by_default_the_demo_is_laid_out_around_today(db: Any, time_machine: Any) -> None:
    from broadfront.demo import loaded_as_of

    time_machine.move_to(dt.datetime(2031, 2, 3, 9, tzinfo=dt.UTC), tick=True)
    summary = load_demo("small", seed=0)
    assert summary.as_of == dt.date(2031, 2, 3) == loaded_as_of()
    open_now = Decision.objects.filter(closes_at__gt=dt.datetime(2031, 2, 3, 9, tzinfo=dt.UTC))
    assert open_now.exists()  # a decision is still open, as on the story's own day
    assert Event.objects.filter(starts_at__date__gt=dt.date(2031, 2, 3)).exists()
    assert not Attendance.objects.filter(event__starts_at__date__gt=dt.date(2031, 2, 3),
                                         attended=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [dt.date(1999, 12, 31), dt.date(2101, 1, 1),
                                   dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "2026-01-01"])
def test_an_as_of_day_out_of_range_or_not_a_date_is_refused(db: Any, as_of: Any) -> None:
    with pytest.raises(ValidationError) as err:
        load_demo("small", seed=0, as_of=as_of)
    assert err.value.parameter == "as_of"
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_loading_twice_without_replace_refuses_and_changes_nothing(demo: Any) -> None:
    people = Person.objects.count()
    with pytest.raises(ConflictError, match="already holds the demo.*replace=True"):
        load_demo("small", seed=1)
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_replace_deletes_the_previous_demo_first(demo: Any) -> None:
    load_demo(400, seed=3, replace=True)
    assert Organization.objects.filter(name="Faith in Riverland").count() == 1
    assert Person.objects.filter(owner__isnull=False).count() == 400
    assert Division.objects.filter(level="state").count() == 1
    assert User.objects.filter(username="ana").count() == 1
    assert Body.objects.count() == 2
    assert AuditEntry.objects.filter(action="load-demo").count() == 2


@pytest.mark.django_db
def test_a_user_outside_the_demo_with_a_demo_name_is_never_deleted(db: Any) -> None:
    User.objects.create_user("ana", "ana@example.org", "x" * 12)
    with pytest.raises(ConflictError, match="'ana' already exists"):
        load_demo("small")
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_progress_reports_every_stage_up_to_its_total(db: Any) -> None:
    calls: list[tuple[str, int, int]] = []
    load_demo(400, seed=0, progress=lambda stage, done, total: calls.append((stage, done,
                                                                            total)))
    stages = {c[0] for c in calls}
    assert {"divisions", "people", "ladder", "events", "scenarios"} <= stages
    assert all(0 <= done <= total for _, done, total in calls)
    people = [c for c in calls if c[0] == "people"]
    assert people[-1][1] == people[-1][2] == 400


# ---------------------------------------------------------------- scales (no database)


def test_named_scales_have_the_promised_sizes() -> None:
    large = resolve_scale("large")
    assert large.organizations >= 50
    assert large.precincts >= 4000
    assert large.people >= 200_000
    assert resolve_scale("medium").precincts == 800


def test_a_number_of_people_scales_precincts_and_organizations() -> None:
    small, big = resolve_scale(1_000), resolve_scale("100000")
    assert small.people == 1_000 and big.people == 100_000
    assert big.precincts > small.precincts and big.organizations > small.organizations


@pytest.mark.parametrize("bad", ["huge", 10, 10**9, True, 1.5])
def test_an_unusable_scale_is_refused_naming_the_parameter(bad: Any) -> None:
    with pytest.raises(ValidationError) as err:
        resolve_scale(bad)
    assert err.value.parameter == "scale"
    assert "scale" in str(err.value)


@pytest.mark.django_db
def test_a_negative_seed_is_refused(db: Any) -> None:
    with pytest.raises(ValidationError, match="seed"):
        load_demo("small", seed=-1)


@pytest.mark.django_db
def test_the_fast_insert_path_writes_what_plain_bulk_create_writes(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import broadfront.demo.generator as generator

    load_demo(400, seed=5)
    fast = fingerprint()
    monkeypatch.setattr(generator, "_FAST_INSERT", False)
    load_demo(400, seed=5, replace=True)
    assert fingerprint() == fast


@pytest.mark.django_db
def test_replace_leaves_records_outside_the_demo_alone(db: Any) -> None:
    other = Organization.objects.create(name="Lakeshore Mutual Aid", slug="lakeshore")
    neighbor = Person.objects.create(owner=other, given_name="Wren", family_name="Alder")
    load_demo(400, seed=1)
    Membership.objects.create(person=neighbor, organization=other)
    load_demo(400, seed=2, replace=True)
    assert Person.objects.filter(pk=neighbor.pk).exists()
    assert Membership.objects.filter(person=neighbor).count() == 1
    assert Organization.objects.filter(slug="lakeshore").exists()


@pytest.mark.django_db
def test_northside_curates_the_council_and_has_swept_its_majority(demo: Any) -> None:
    council = Body.objects.get(slug="riverton-city-council")
    assert Curation.objects.filter(organization=org("Northside Chapter"), body=council).exists()
    sweep = ScenarioSweep.objects.get(scenario__name="Does our 5-4 council majority hold?")
    assert sweep.status == "done" and sweep.total == len(sweep.result["points"]) == 12
    labels = [p["label"] for p in sweep.result["breaking"]]
    assert labels and all("votes against us" in x or x.startswith("for sure") for x in labels)
