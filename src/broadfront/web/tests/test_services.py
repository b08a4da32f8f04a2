"""Services validate, write in one transaction and leave an audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from broadfront.exceptions import ConflictError, ValidationError
from broadfront.web.accountability import services as acc
from broadfront.web.accountability.models import Commitment, compute_status
from broadfront.web.common.models import AuditEntry
from broadfront.web.organizations import services as org

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.mark.parametrize(
    ("deliveries", "today_offset", "expected"),
    [
        ([(D(10), 0)], 5, "kept"),
        ([(D(6), -1), (D(4), 0)], 5, "kept"),
        ([(D(6), 0), (D(4), 3)], 5, "kept_late"),
        ([(D(6), 0)], -1, "open"),
        ([(D(6), 0)], 5, "partly_kept"),
        ([], 5, "broken"),
        ([(D(12), 0)], 5, "kept"),
    ],
)
def test_commitment_status_is_computed_from_deliveries(deliveries, today_offset, expected):
    due = dt.date(2026, 6, 1)
    rows = [(q, due + dt.timedelta(days=d)) for q, d in deliveries]
    assert compute_status(D(10), due, rows, due + dt.timedelta(days=today_offset)) == expected


def test_creating_a_commitment_writes_an_audit_entry(world, today):
    c = acc.do_create_commitment(world.ana, partner=world.northside, unit="doors", quantity=250,
                                 due_date=today)
    entry = AuditEntry.objects.get(action="create", model="accountability.Commitment")
    assert entry.actor == world.ana
    assert entry.organization_id == world.northside.pk
    assert entry.object_id == str(c.pk)
    assert entry.changes["quantity"] == "250"


def test_bad_values_name_the_parameter_and_write_nothing(world, today):
    with pytest.raises(ValidationError) as err:
        acc.do_create_commitment(world.ana, partner=world.northside, unit="doors",
                                 quantity="lots", due_date=today)
    assert err.value.parameter == "quantity"
    with pytest.raises(ValidationError) as err:
        acc.do_create_commitment(world.ana, partner=world.northside, unit="doors", quantity=5,
                                 due_date=today, made_on=today + dt.timedelta(days=1))
    assert err.value.parameter == "due_date"
    assert not Commitment.objects.exists()
    assert not AuditEntry.objects.filter(model="accountability.Commitment").exists()


def test_person_validation_names_the_field(world):
    with pytest.raises(ValidationError) as err:
        org.do_create_person(world.ana, world.northside, given_name="Al", email="not-an-email")
    assert err.value.parameter == "email"


def test_ladder_steps_are_checked_and_recorded(world, today):
    step = org.do_record_ladder_step(world.ana, world.ana_person, "squad_leader", today)
    assert step.organization == world.northside
    with pytest.raises(ValidationError):
        org.do_record_ladder_step(world.ana, world.ana_person, "emperor", today)
    with pytest.raises(ValidationError):
        org.do_record_ladder_step(world.ana, world.mayor, "member", today)


def test_users_are_unique_and_roles_checked(world):
    with pytest.raises(ConflictError):
        org.do_create_user(None, username="ana", password="long-enough-pw")
    with pytest.raises(ValidationError) as err:
        org.do_create_user(None, username="zed", password="long-enough-pw", role="king")
    assert err.value.parameter == "role"
    user = org.do_create_user(None, username="zed", password="long-enough-pw",
                              organization=world.faith, role="organizer")
    assert org.people_for_user(user).count() == 2


def test_deliveries_and_contribution_review(world, today):
    from broadfront.web.campaigns.models import Campaign
    from broadfront.web.common.services import PermissionDeniedError

    campaign = Campaign.objects.create(
        name="Win Riverton", slug="win", kind="electoral", lead_organization=world.faith,
        coalition=world.coalition, start_date=today, end_date=today)
    c = acc.do_create_commitment(world.grace, partner=world.faith, unit="voters", quantity=100,
                                 due_date=today)
    acc.do_record_delivery(world.grace, c, quantity=60, delivered_on=today)
    assert c.delivered() == D(60)
    contribution = acc.do_claim_contribution(world.grace, organization=world.faith,
                                             campaign=campaign, outcome="Mayoral win",
                                             quantity=60)
    with pytest.raises(PermissionDeniedError):
        acc.do_review_contribution(world.grace, contribution, "verified")
    acc.do_review_contribution(world.cora, contribution, "verified", note="canvass logs")
    contribution.refresh_from_db()
    assert contribution.status == "verified"


def test_deleting_a_person_recounts_the_attendance_summary(world):
    from broadfront.web.accountability.models import AttendanceTally, Event

    event = acc.do_create_event(world.ana, organization=world.northside, name="Canvass",
                                starts_at=dt.datetime(2026, 10, 3, 10, tzinfo=dt.UTC))
    acc.do_record_attendance(world.ana, event, world.ana_person, attended=True)
    assert AttendanceTally.objects.filter(event=event).exists()
    org.do_delete_person(world.ana, world.ana_person.pk)
    assert not AttendanceTally.objects.filter(event=event, rsvps__gt=0).exists()
    assert Event.objects.filter(pk=event.pk).exists()
