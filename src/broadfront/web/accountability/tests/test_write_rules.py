"""Who may write attendance, commitments, events and contributions (issue 13, H2).

An event takes RSVPs from its own organization's people and, when it is shared with a
coalition, from the people of the organizations at that table; nobody else's. A record of an
organization counts towards a campaign only when the organization leads it or sits at its
table, and is filed under a coalition only when the organization sits there. Every refusal
writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront import clock
from broadfront.exceptions import NotFoundError, PermissionDeniedError


def _rows() -> tuple[int, ...]:
    from django.db.models import Sum

    from broadfront.web.accountability.models import Attendance, AttendanceTally
    from broadfront.web.common.models import AuditEntry

    tallies = AttendanceTally.objects.aggregate(
        yes=Sum("said_yes"), came=Sum("came"), rsvps=Sum("rsvps"))
    return (Attendance.objects.count(), AttendanceTally.objects.count(), tallies["yes"] or 0,
            tallies["came"] or 0, tallies["rsvps"] or 0, AuditEntry.objects.count())


def _event(world: Any, *, shared: bool, days: int = -3) -> Any:
    from broadfront.web.accountability.models import Event

    return Event.objects.create(
        organization=world.northside, coalition=world.coalition if shared else None,
        name="Northside house meeting" + (" (coalition)" if shared else ""),
        starts_at=clock.now() + dt.timedelta(days=days))


@pytest.fixture
def private_event(world: Any) -> Any:
    """A Northside event not shared with the coalition, with Dolores there."""
    from broadfront.web.accountability.models import Attendance

    event = _event(world, shared=False)
    Attendance.objects.create(event=event, person=world.ana_person, status="accepted",
                              attended=True)
    return event


@pytest.fixture
def shared_event(world: Any) -> Any:
    return _event(world, shared=True)


def _post(client: Any, user: Any, event: Any, person: Any) -> Any:
    client.force_login(user)
    return client.post(f"/power/events/{event.pk}/",
                       {"person": person.pk, "status": "accepted", "attended": "no"})


# --- the reproduction: forged RSVPs through the page ------------------------------------------

def test_a_partner_cannot_forge_attendance_at_another_organizations_event(
        client: Any, world: Any, private_event: Any) -> None:
    before = _rows()
    client.force_login(world.ana)
    interval = client.get(f"/power/events/{private_event.pk}/").context["forecast"]
    for _ in range(5):
        assert _post(client, world.grace, private_event, world.grace_person).status_code == 403
    assert _rows() == before
    client.force_login(world.ana)
    after = client.get(f"/power/events/{private_event.pk}/").context["forecast"]
    assert (after.rsvps, after.actual) == (interval.rsvps, interval.actual)


def test_an_outsider_posting_to_an_event_it_cannot_see_gets_404(
        client: Any, world: Any, private_event: Any) -> None:
    before = _rows()
    assert _post(client, world.omar, private_event, world.omar_person).status_code == 404
    assert _rows() == before


def test_a_viewer_cannot_record_attendance_at_its_own_organizations_event(
        client: Any, world: Any, private_event: Any) -> None:
    before = _rows()
    assert _post(client, world.ben, private_event, world.ana_person).status_code == 403
    assert _rows() == before


def test_a_partner_sees_the_partners_event_without_a_form(
        client: Any, world: Any, private_event: Any) -> None:
    client.force_login(world.grace)
    response = client.get(f"/power/events/{private_event.pk}/")
    assert response.status_code == 200
    assert "Record an RSVP" not in response.content.decode()


# --- the rule, in the service -----------------------------------------------------------------

@pytest.mark.parametrize(("who", "person", "error"), [
    ("grace", "grace_person", PermissionDeniedError),  # partner, event not shared
    ("omar", "omar_person", NotFoundError),  # outsider: the event is invisible
    ("ben", "ana_person", PermissionDeniedError),  # viewer
    ("grace", "ana_person", PermissionDeniedError),  # partner, someone else's person
])
def test_the_service_refuses_attendance_the_actor_may_not_write(
        world: Any, private_event: Any, who: str, person: str, error: type[Exception]) -> None:
    from broadfront.web.accountability.services import do_record_attendance

    before = _rows()
    with pytest.raises(error):
        do_record_attendance(getattr(world, who), private_event, getattr(world, person))
    assert _rows() == before


def test_an_event_shared_with_the_coalition_takes_a_partners_own_rsvps(
        client: Any, world: Any, shared_event: Any) -> None:
    from broadfront.web.accountability.models import Attendance

    client.force_login(world.grace)
    assert "Record an RSVP" in client.get(f"/power/events/{shared_event.pk}/").content.decode()
    response = _post(client, world.grace, shared_event, world.grace_person)
    assert response.status_code == 302
    assert Attendance.objects.filter(event=shared_event, person=world.grace_person).exists()


def test_an_outsider_cannot_record_at_a_coalition_event_of_a_table_it_does_not_sit_at(
        world: Any, shared_event: Any) -> None:
    from broadfront.web.accountability.services import do_record_attendance

    with pytest.raises(NotFoundError):
        do_record_attendance(world.omar, shared_event, world.omar_person)


def test_the_events_own_organizers_record_their_people(world: Any, private_event: Any) -> None:
    from broadfront.web.accountability.services import do_record_attendance

    row = do_record_attendance(world.ana, private_event, world.ana_person, status="tentative")
    assert (row.status, row.attended) == ("tentative", None)


# --- records attached to someone else's campaign or table (the sweep) -------------------------

@pytest.fixture
def northside_campaign(world: Any) -> Any:
    """A Northside campaign with no coalition: Faith sees it (a partner) but takes no part."""
    from broadfront.web.campaigns.models import Campaign

    today = clock.today()
    return Campaign.objects.create(name="Northside Alone", slug="northside-alone", kind="issue",
                                   lead_organization=world.northside, start_date=today,
                                   end_date=today + dt.timedelta(days=30))


@pytest.fixture
def other_table(world: Any) -> Any:
    from broadfront.web.organizations.models import Coalition, CoalitionMembership

    table = Coalition.objects.create(name="Northside and Westfield", slug="nw")
    CoalitionMembership.objects.create(coalition=table, organization=world.northside)
    return table


def _counts() -> tuple[int, ...]:
    from broadfront.web.accountability.models import Commitment, Contribution, Event
    from broadfront.web.campaigns.models import Recruit, Squad
    from broadfront.web.common.models import AuditEntry

    return tuple(m.objects.count() for m in (Commitment, Contribution, Event, Squad, Recruit,
                                             AuditEntry))


def test_a_partner_cannot_file_a_commitment_under_a_campaign_it_takes_no_part_in(
        world: Any, northside_campaign: Any) -> None:
    from broadfront.web.accountability.services import do_create_commitment

    before = _counts()
    with pytest.raises(PermissionDeniedError, match="campaign"):
        do_create_commitment(world.grace, partner=world.faith, unit="doors", quantity=10,
                             due_date=clock.today(), campaign=northside_campaign)
    assert _counts() == before


def test_a_partner_cannot_file_a_commitment_under_a_table_it_does_not_sit_at(
        world: Any, other_table: Any) -> None:
    from broadfront.web.accountability.services import do_create_commitment

    before = _counts()
    with pytest.raises(PermissionDeniedError, match="coalition"):
        do_create_commitment(world.grace, partner=world.faith, unit="doors", quantity=10,
                             due_date=clock.today(), coalition=other_table)
    assert _counts() == before


def test_a_partner_cannot_attach_its_event_to_a_campaign_it_takes_no_part_in(
        world: Any, northside_campaign: Any, other_table: Any) -> None:
    from broadfront.web.accountability.services import do_create_event

    before = _counts()
    with pytest.raises(PermissionDeniedError, match="campaign"):
        do_create_event(world.grace, organization=world.faith, name="Vigil",
                        starts_at=clock.now(), campaign=northside_campaign)
    with pytest.raises(PermissionDeniedError, match="coalition"):
        do_create_event(world.grace, organization=world.faith, name="Vigil",
                        starts_at=clock.now(), coalition=other_table)
    assert _counts() == before


def test_a_partner_cannot_claim_a_contribution_to_a_campaign_it_takes_no_part_in(
        world: Any, northside_campaign: Any) -> None:
    from broadfront.web.accountability.services import do_claim_contribution

    before = _counts()
    with pytest.raises(PermissionDeniedError, match="campaign"):
        do_claim_contribution(world.grace, organization=world.faith,
                              campaign=northside_campaign, outcome="We won it")
    assert _counts() == before


def test_a_partner_cannot_form_squads_or_record_recruits_in_a_campaign_it_takes_no_part_in(
        world: Any, northside_campaign: Any) -> None:
    from broadfront.web.campaigns.services import do_form_squad, do_record_recruit
    from broadfront.web.organizations.models import Division

    precinct = Division.objects.create(ocd_id="ocd-division/country:us/precinct:9",
                                       name="Precinct 9", level="precinct")
    before = _counts()
    with pytest.raises(PermissionDeniedError, match="campaign"):
        do_form_squad(world.grace, northside_campaign, organization=world.faith,
                      division=precinct, name="Faith in P9")
    with pytest.raises(PermissionDeniedError, match="campaign"):
        do_record_recruit(world.grace, northside_campaign, person=world.grace_person,
                          division=precinct)
    assert _counts() == before


def test_a_partner_at_the_campaigns_table_still_files_its_own_records(
        world: Any, northside_campaign: Any) -> None:
    from broadfront.web.accountability.services import do_create_commitment

    northside_campaign.coalition = world.coalition
    northside_campaign.save()
    c = do_create_commitment(world.grace, partner=world.faith, unit="doors", quantity=10,
                             due_date=clock.today(), campaign=northside_campaign,
                             coalition=world.coalition)
    assert c.campaign == northside_campaign
