"""The one write rule (``broadfront.web.common.permissions``), record by record and role by role.

Ana organizes Northside (which curates the Riverton council), Ben views it, Nadia is its
admin, Grace organizes Faith (a partner), Omar organizes Westfield (an opponent), Olga runs
the site.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront.web.common.permissions import (
    WriteRefusedError,
    group_of,
    may_write,
    require_write,
    subject_organization_ids,
)


@pytest.fixture
def records(world: Any) -> dict[str, Any]:
    from broadfront.web.accountability.models import Commitment
    from broadfront.web.dataio.tests.attacks import make_admin, make_operator
    from broadfront.web.landscape.models import Body, Motion, Seat, Vote
    from broadfront.web.organizations.models import Curation, Division

    make_admin(world)
    make_operator()
    city = Division.objects.create(ocd_id="ocd-division/x:riverton", name="Riverton",
                                   level="city")
    ward = Division.objects.create(ocd_id="ocd-division/x:riverton/ward:1", name="Ward 1",
                                   level="ward", parent=city)
    elsewhere = Division.objects.create(ocd_id="ocd-division/x:lakeside", name="Lakeside",
                                        level="city")
    council = Body.objects.create(name="Riverton council", slug="council", kind="council",
                                  division=city)
    board = Body.objects.create(name="Lakeside board", slug="board", kind="board",
                                division=elsewhere)
    seat = Seat.objects.create(body=council, label="Ward 1", holder=world.mayor)
    motion = Motion.objects.create(body=council, identifier="m1", title="M",
                                   date=dt.date(2026, 3, 1))
    vote = Vote.objects.create(motion=motion, voter=world.mayor, option="yes")
    Curation.objects.create(organization=world.northside, division=city)
    commitment = Commitment.objects.create(partner=world.northside, unit="doors", quantity=5,
                                           made_on=dt.date(2026, 1, 1),
                                           due_date=dt.date(2026, 2, 1))
    return {"northside person": world.ana_person, "faith person": world.grace_person,
            "public figure": world.mayor, "northside": world.northside,
            "westfield": world.westfield, "commitment": commitment, "city": city,
            "ward": ward, "elsewhere": elsewhere, "council": council, "board": board,
            "seat": seat, "vote": vote}


def _user(world: Any, name: str) -> Any:
    from django.contrib.auth.models import User

    return User.objects.get(username=name)


#: record, then who may change it among ana, ben, nadia, grace, omar, olga (an admin is an
#: organizer too)
TABLE = [
    ("northside person", {"ana", "nadia", "olga"}),
    ("faith person", {"grace", "olga"}),
    ("commitment", {"ana", "nadia", "olga"}),
    ("northside", {"nadia", "olga"}),
    ("westfield", {"olga"}),
    ("city", {"ana", "nadia", "olga"}),           # Northside curates the city ...
    ("ward", {"ana", "nadia", "olga"}),           # ... and so its wards
    ("elsewhere", {"olga"}),
    ("council", {"ana", "nadia", "olga"}),        # a body seated in the curated city
    ("seat", {"ana", "nadia", "olga"}),
    ("vote", {"ana", "nadia", "olga"}),
    ("public figure", {"ana", "nadia", "olga"}),  # holds a seat on the council
    ("board", {"olga"}),
]
USERS = ["ana", "ben", "nadia", "grace", "omar", "olga"]


@pytest.mark.parametrize(("record", "allowed"), TABLE)
def test_who_may_change_each_record(world, records, record, allowed):
    obj = records[record]
    assert {u for u in USERS if may_write(_user(world, u), obj)} == allowed


def test_deleting_an_organization_is_for_site_operators_only(world, records):
    nadia, olga = _user(world, "nadia"), _user(world, "olga")
    assert not may_write(nadia, world.northside, "delete")
    assert may_write(olga, world.northside, "delete")


def test_a_new_record_is_checked_with_the_fields_it_will_have(world, records):
    from broadfront.web.landscape.models import Seat
    from broadfront.web.organizations.models import Division, Organization

    ana, omar = _user(world, "ana"), _user(world, "omar")
    assert may_write(ana, Seat(body=records["council"], label="Ward 9"))
    assert not may_write(ana, Seat(body=records["board"], label="Ward 9"))
    assert may_write(ana, Division(ocd_id="x/new", name="New", level="ward",
                                   parent=records["ward"]))
    assert not may_write(ana, Division(ocd_id="x/top", name="Top", level="state"))
    assert may_write(omar, Organization(name="River PAC", slug="river-pac"))
    assert not may_write(omar, Organization(name="Fake", slug="fake", parent=world.northside))


def test_moving_a_seat_needs_both_bodies(world, records):
    seat = records["seat"]
    seat.body = records["board"]
    assert not may_write(_user(world, "ana"), seat)


def test_signed_out_users_and_the_audit_log(world, records):
    from django.contrib.auth.models import AnonymousUser

    from broadfront.web.common import audit

    assert not may_write(AnonymousUser(), records["northside person"])
    entry = audit.record(world.ana, "create", world.ana_person)
    assert not may_write(_user(world, "olga"), entry)


def test_require_write_names_the_record_and_the_parameter(world, records):
    with pytest.raises(WriteRefusedError) as info:
        require_write(world.omar, records["vote"], parameter="option")
    assert info.value.parameter == "option"
    assert str(info.value) == ("you may not change vote 'Byron Mayorson yes on m1': it is a "
                               "shared public record; only site operators or an organization "
                               "curating it may")


def test_whose_record_it_is(world, records):
    assert subject_organization_ids(records["commitment"]) == [world.northside.pk]
    assert subject_organization_ids(records["vote"]) == [world.northside.pk]
    assert subject_organization_ids(records["board"]) == []
    assert subject_organization_ids(world.westfield) == [world.westfield.pk]


def test_every_model_has_a_rule_or_is_for_site_operators():
    from django.apps import apps

    ours = [m for m in apps.get_models() if m.__module__.startswith("broadfront.")]
    groups = {m._meta.label_lower: group_of(m._meta.label) for m in ours}
    assert groups["landscape.seat"] == "shared"
    assert groups["organizations.curation"] == "operator"
    assert groups["common.apitoken"] == "personal"  # its own user, or a site operator
