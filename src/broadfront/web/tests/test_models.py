"""Database constraints hold even when code bypasses the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from broadfront.web.accountability.models import Commitment, Delivery
from broadfront.web.common.models import AuditEntry
from broadfront.web.landscape.models import Issue, Stance
from broadfront.web.organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db


def _violates(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_stance_must_lie_between_minus_three_and_plus_three(world, today):
    issue = Issue.objects.create(name="Tenant protections", slug="tenants")
    ok = dict(issue=issue, organization=world.faith, recorded_by=world.northside,
              assessed_on=today)
    assert not _violates(lambda: Stance.objects.create(score=3, **ok))
    assert _violates(lambda: Stance.objects.create(score=4, **ok))
    assert _violates(lambda: Stance.objects.create(score=-4, **ok))


def test_stance_names_exactly_one_actor(world, today):
    issue = Issue.objects.create(name="Living wage", slug="wage")
    assert _violates(lambda: Stance.objects.create(
        issue=issue, score=1, assessed_on=today, recorded_by=world.northside))
    assert _violates(lambda: Stance.objects.create(
        issue=issue, score=1, assessed_on=today, recorded_by=world.northside,
        organization=world.faith, person=world.mayor))


def test_quantities_are_not_negative(world, today):
    assert _violates(lambda: Commitment.objects.create(
        partner=world.faith, unit="doors", quantity=-5, made_on=today, due_date=today))
    c = Commitment.objects.create(partner=world.faith, unit="doors", quantity=5, made_on=today,
                                  due_date=today)
    assert _violates(lambda: Delivery.objects.create(commitment=c, quantity=-1,
                                                     delivered_on=today))


def test_end_comes_after_start(world, today):
    assert _violates(lambda: Membership.objects.create(
        person=world.ana_person, organization=world.northside, start_date=today,
        end_date=today - dt.timedelta(days=1)))
    assert _violates(lambda: Commitment.objects.create(
        partner=world.faith, unit="doors", quantity=5, made_on=today,
        due_date=today - dt.timedelta(days=1)))


def test_natural_keys_are_unique(world):
    assert _violates(lambda: Organization.objects.create(name="Again", slug="northside"))


def test_audit_log_is_append_only(world):
    entry = AuditEntry.objects.create(action="create", model="x")
    entry.summary = "rewritten"
    with pytest.raises(Exception, match="append-only"):
        entry.save()
    with pytest.raises(Exception, match="append-only"):
        entry.delete()
