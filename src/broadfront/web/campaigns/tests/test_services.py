"""Bloc-building services: who may write what, and what partners may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront import clock
from broadfront.exceptions import ConflictError, PermissionDeniedError, ValidationError
from broadfront.web.campaigns import services
from broadfront.web.campaigns.models import CaucusResult, Recruit, Squad, Target
from broadfront.web.common.models import AuditEntry
from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.organizations.models import Division, Person


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def test_the_lead_organizer_sets_targets_from_expected_attendance(scene: Scene) -> None:
    w = scene.world
    state = scene.p1.parent
    p3 = Division.objects.create(ocd_id=state.ocd_id + "/precinct:3", name="Precinct 3",
                                 level="precinct", parent=state, party_vote=2540)
    scene.campaign.division = state
    scene.campaign.save()
    assert services.do_set_targets(w.ana, scene.campaign, share="0.15") == 3
    goals = dict(Target.objects.filter(campaign=scene.campaign)
                 .values_list("division__name", "goal"))
    # ceil(0.15 x 200) = 30, ceil(0.15 x 150) = ceil(22.5) = 23, and precinct 3 has no
    # recorded attendance: 1% of 2,540 votes = 25.4 -> 25 people, ceil(0.15 x 25) = 4.
    assert goals == {"Precinct 1": 30, "Precinct 2": 23, "Precinct 3": 4}
    assert Target.objects.get(division=p3).expected_attendance == 25
    assert AuditEntry.objects.filter(model="campaigns.Campaign", action="update").exists()


def test_only_the_lead_organizations_organizers_set_targets(scene: Scene) -> None:
    for user in (scene.world.grace, scene.world.ben, scene.world.omar):
        with pytest.raises(PermissionDeniedError):
            services.do_set_targets(user, scene.campaign)


def test_a_share_outside_zero_to_one_is_refused_naming_the_field(scene: Scene) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_set_targets(scene.world.ana, scene.campaign, share="1.5")
    assert exc.value.parameter == "share"


def test_an_organizer_forms_a_squad_with_one_of_her_own_people_as_leader(scene: Scene) -> None:
    w = scene.world
    squad = services.do_form_squad(w.grace, scene.campaign, organization=w.faith,
                                   division=scene.p2, name="Faith Squad Beta",
                                   leader=w.grace_person)
    assert (squad.organization, squad.leader, squad.division) == (w.faith, w.grace_person,
                                                                 scene.p2)
    assert AuditEntry.objects.filter(model="campaigns.Squad", object_id=str(squad.pk)).exists()


def test_a_squad_leader_must_belong_to_the_squads_organization(scene: Scene) -> None:
    w = scene.world
    with pytest.raises(ValidationError) as exc:
        services.do_form_squad(w.grace, scene.campaign, organization=w.faith, division=scene.p2,
                               name="Borrowed leader", leader=w.ana_person)
    assert exc.value.parameter == "leader"


def test_nobody_forms_squads_for_another_organization(scene: Scene) -> None:
    w = scene.world
    with pytest.raises(PermissionDeniedError):
        services.do_form_squad(w.ana, scene.campaign, organization=w.faith, division=scene.p2,
                               name="Not ours")
    with pytest.raises(PermissionDeniedError):
        services.do_form_squad(w.ben, scene.campaign, organization=w.northside,
                               division=scene.p2, name="Viewer's squad")


def test_recording_a_recruit_files_it_under_the_persons_organization(scene: Scene) -> None:
    w = scene.world
    ruth = Person.objects.create(owner=w.faith, given_name="Ruth", division=scene.p1)
    recruit = services.do_record_recruit(w.grace, scene.campaign, person=ruth,
                                         squad=scene.faith_squad)
    assert (recruit.organization, recruit.division, recruit.committed_on) == (
        w.faith, scene.p1, clock.today())
    with pytest.raises(ConflictError):
        services.do_record_recruit(w.grace, scene.campaign, person=ruth)


def test_nobody_records_another_organizations_people(scene: Scene) -> None:
    w = scene.world
    ruth = Person.objects.create(owner=w.faith, given_name="Ruth", division=scene.p1)
    with pytest.raises(PermissionDeniedError):
        services.do_record_recruit(w.ana, scene.campaign, person=ruth)
    with pytest.raises(ValidationError) as exc:
        services.do_record_recruit(w.ana, scene.campaign, person=w.mayor)
    assert exc.value.parameter == "person"


def test_a_recruit_cannot_join_a_squad_of_another_precinct(scene: Scene) -> None:
    w = scene.world
    ruth = Person.objects.create(owner=w.faith, given_name="Ruth")
    with pytest.raises(ValidationError) as exc:
        services.do_record_recruit(w.grace, scene.campaign, person=ruth, division=scene.p2,
                                   squad=scene.faith_squad)
    assert exc.value.parameter == "squad"


def test_a_commitment_date_in_the_future_is_refused(scene: Scene) -> None:
    w = scene.world
    ruth = Person.objects.create(owner=w.faith, given_name="Ruth", division=scene.p1)
    with pytest.raises(ValidationError) as exc:
        services.do_record_recruit(w.grace, scene.campaign, person=ruth,
                                   committed_on=clock.today() + dt.timedelta(days=1))
    assert exc.value.parameter == "committed_on"


def test_a_recruit_is_marked_attended_by_its_own_organization_only(scene: Scene) -> None:
    w = scene.world
    ezra = Recruit.objects.get(person=w.grace_person)
    with pytest.raises(PermissionDeniedError):
        services.do_set_recruit_status(w.ana, ezra, "attended")
    assert services.do_set_recruit_status(w.grace, ezra, "attended").status == "attended"


def test_squads_and_recruits_of_another_organization_are_never_visible(scene: Scene) -> None:
    w = scene.world
    assert list(Squad.objects.visible_to(w.ana).values_list("name", flat=True)) == [
        "Precinct 1 Squad"]
    assert {r.person.given_name for r in Recruit.objects.visible_to(w.grace)} == {"Ezra"}
    assert not Squad.objects.visible_to(w.omar).exists()
    assert not Recruit.objects.visible_to(w.cora).exists()


def test_caucus_night_delegates_are_computed_by_the_dfl_rule(scene: Scene) -> None:
    result = services.do_record_caucus_result(
        scene.world.ana, scene.campaign, division=scene.p1,
        groups={"A": 40, "B": 25, "C": 20, "D": 9, "E": 6}, delegates=5, our_subcaucus="C")
    # DFL Official Call: viability 100 / 5 = 20, divisor 85 / 5 = 17; C's 20 / 17 = 1.18 -> 1.
    assert (result.attendees, result.delegates, result.delegates_won) == (100, 5, 1)
    entry = AuditEntry.objects.get(model="campaigns.CaucusResult")
    assert entry.changes["allocation"] == {"A": 2, "B": 2, "C": 1, "D": 0, "E": 0}


def test_recording_caucus_night_again_replaces_the_precincts_result(scene: Scene) -> None:
    args = {"division": scene.p1, "delegates": 5, "our_subcaucus": "C"}
    services.do_record_caucus_result(scene.world.ana, scene.campaign,
                                     groups={"A": 40, "B": 25, "C": 20}, **args)
    services.do_record_caucus_result(scene.world.grace, scene.campaign,
                                     groups={"A": 40, "B": 25, "C": 35}, **args)
    # 100 people, divisor 20: A 2, B 1.25 -> 1, C 1.75 -> 2 (largest remainder).
    assert list(CaucusResult.objects.values_list("delegates_won", flat=True)) == [2]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"groups": {"A": 40, "C": -1}, "delegates": 5, "our_subcaucus": "C"}, "groups"),
    ({"groups": {"A": 40, "C": 20}, "delegates": 0, "our_subcaucus": "C"}, "delegates"),
    ({"groups": {"A": 40, "C": 20}, "delegates": 5, "our_subcaucus": "Z"}, "our_subcaucus"),
    ({"groups": {"A": 40, "C": 20}, "delegates": 5, "our_subcaucus": "C", "rule": "borda"},
     "rule"),
    ({"groups": {"A": 40, "C": 20}, "delegates": 5, "our_subcaucus": "C", "attendees": 10},
     "attendees"),
])
def test_bad_caucus_night_input_names_the_field(scene: Scene, kwargs: dict[str, Any],
                                                field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_record_caucus_result(scene.world.ana, scene.campaign, division=scene.p1,
                                         **kwargs)
    assert exc.value.parameter == field


def test_an_outsider_cannot_record_caucus_results(scene: Scene) -> None:
    with pytest.raises(PermissionDeniedError):
        services.do_record_caucus_result(scene.world.omar, scene.campaign, division=scene.p1,
                                         groups={"A": 3}, delegates=1, our_subcaucus="A")


def test_squads_and_recruits_work_only_in_the_campaigns_precincts(scene: Scene) -> None:
    w = scene.world
    elsewhere = Division.objects.create(ocd_id="ocd-division/country:us/state:rl/precinct:far",
                                        name="Far precinct", level="precinct")
    with pytest.raises(ValidationError) as exc:
        services.do_form_squad(w.grace, scene.campaign, organization=w.faith, division=elsewhere,
                               name="Off the map")
    assert exc.value.parameter == "division"
    with pytest.raises(ValidationError) as exc:
        services.do_record_recruit(w.grace, scene.campaign, person=w.grace_person,
                                   division=elsewhere)
    assert exc.value.parameter == "division"
    assert not Squad.objects.filter(name="Off the map").exists()
    assert not Recruit.objects.filter(division=elsewhere).exists()
