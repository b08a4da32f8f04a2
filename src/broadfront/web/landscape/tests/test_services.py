"""Recording stances and relationships: history kept, errors naming fields, roles, privacy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront.exceptions import NotFoundError, PermissionDeniedError, ValidationError
from broadfront.web.common.models import AuditEntry
from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape import queries
from broadfront.web.landscape.models import Relationship, Stance
from broadfront.web.landscape.services import do_record_relationship, do_record_stance

# These tests write dates of late 2026 (assessed, formed, committed, closes): they live on
# the suite's fixed clock (27 Nov 2026) so the dates stay in the past or future they mean.
pytestmark = pytest.mark.usefixtures("fixed_clock")

DAY = dt.date(2026, 11, 1)


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def _stance(user: Any, scene: Scene, **kw: Any) -> Stance:
    args: dict[str, Any] = {"issue": scene.issue, "organization": scene.world.westfield,
                            "score": -1, "assessed_on": DAY, "evidence": "Testified at council."}
    args.update(kw)
    return do_record_stance(user, **args)


def test_a_new_stance_is_a_new_row_and_the_old_one_stays(scene: Scene) -> None:
    w = scene.world
    before = Stance.objects.filter(organization=w.westfield).count()
    s = _stance(w.ana, scene)
    assert Stance.objects.filter(organization=w.westfield).count() == before + 1
    assert s.recorded_by == w.northside and s.assessed_by == w.ana
    latest = {a.name: a for a in queries.latest_stances(w.ana, scene.issue)}
    westfield = latest["Westfield Business Alliance"]
    assert (westfield.stance.score, westfield.previous, westfield.moved) == (-1, -2, 1)


def test_recording_a_stance_is_audited_with_the_previous_score(scene: Scene) -> None:
    s = _stance(scene.world.ana, scene)
    entry = AuditEntry.objects.get(model="landscape.Stance", object_id=str(s.pk))
    assert entry.organization_id == scene.world.northside.pk
    assert entry.changes["score"] == -1 and entry.changes["previous"] == -2


@pytest.mark.parametrize(("change", "field"), [
    ({"score": 4}, "score"),
    ({"score": True}, "score"),
    ({"evidence": "  "}, "evidence"),
    ({"assessed_on": dt.date(2999, 1, 1)}, "assessed_on"),
    ({"person": "mayor"}, "actor"),
    ({"organization": None}, "actor"),
])
def test_a_bad_stance_is_refused_naming_the_field(scene: Scene, change: dict[str, Any],
                                                  field: str) -> None:
    if change.get("person") == "mayor":
        change["person"] = scene.world.mayor
    with pytest.raises(ValidationError) as exc:
        _stance(scene.world.ana, scene, **change)
    assert exc.value.parameter == field


def test_a_viewer_cannot_record_assessments(scene: Scene) -> None:
    with pytest.raises(PermissionDeniedError):
        _stance(scene.world.ben, scene)


def test_one_cannot_record_for_another_organization(scene: Scene) -> None:
    with pytest.raises(PermissionDeniedError):
        _stance(scene.world.ana, scene, recorded_by=scene.world.faith)


def test_a_partners_private_person_cannot_be_assessed_by_us(scene: Scene) -> None:
    with pytest.raises(NotFoundError):
        _stance(scene.world.ana, scene, organization=None, person=scene.world.grace_person)


def test_an_assessment_of_our_own_member_stays_with_us(scene: Scene) -> None:
    w = scene.world
    s = _stance(w.ana, scene, organization=None, person=w.ana_person, score=2)
    assert Stance.objects.visible_to(w.ana).filter(pk=s.pk).exists()
    assert Stance.objects.visible_to(w.ben).filter(pk=s.pk).exists()
    # Faith sits at our table but never sees our members; Westfield sees nothing of ours.
    assert not Stance.objects.visible_to(w.grace).filter(pk=s.pk).exists()
    assert not Stance.objects.visible_to(w.omar).filter(pk=s.pk).exists()
    assert s.pk not in {a.stance.pk for a in queries.latest_stances(w.grace, scene.issue)}


def test_a_relationship_is_recorded_with_type_dates_and_source(scene: Scene) -> None:
    w = scene.world
    r = do_record_relationship(w.ana, kind="endorses", source="Press release, 3 Oct",
                               source_organization=w.faith, target_person=w.mayor,
                               start_date=dt.date(2026, 10, 3), strength=2)
    assert (r.kind, r.recorded_by, r.start_date, r.strength) == (
        "endorses", w.northside, dt.date(2026, 10, 3), 2)
    assert AuditEntry.objects.filter(model="landscape.Relationship", object_id=str(r.pk)).exists()
    assert Relationship.objects.visible_to(w.grace).filter(pk=r.pk).exists()
    assert not Relationship.objects.visible_to(w.omar).filter(pk=r.pk).exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "hates"}, "kind"),
    ({"source": ""}, "source"),
    ({"strength": 9}, "strength"),
    ({"start_date": dt.date(2026, 5, 1), "end_date": dt.date(2026, 4, 1)}, "end_date"),
    ({"target_person": None, "target_organization": "faith"}, "target_actor"),
    ({"source_organization": None}, "source_actor"),
])
def test_a_bad_relationship_is_refused_naming_the_field(scene: Scene, change: dict[str, Any],
                                                        field: str) -> None:
    w = scene.world
    args: dict[str, Any] = {"kind": "knows", "source": "A conversation",
                            "source_organization": w.faith, "target_person": w.mayor}
    if change.get("target_organization") == "faith":
        change["target_organization"] = w.faith
    args.update(change)
    with pytest.raises(ValidationError) as exc:
        do_record_relationship(w.ana, **args)
    assert exc.value.parameter == field


def test_a_tie_to_a_partners_private_person_cannot_be_recorded(scene: Scene) -> None:
    w = scene.world
    with pytest.raises(NotFoundError):
        do_record_relationship(w.ana, kind="knows", source="Met at a vigil",
                               source_organization=w.northside, target_person=w.grace_person)


def test_a_recorded_influence_of_a_person_overrides_the_seat_rule(world: Any) -> None:
    from broadfront.web.landscape.queries import influence_of

    key = f"p:{world.mayor.pk}"
    assert influence_of([key]) == {key: 1.0}
    world.mayor.influence = 5
    world.mayor.save()
    assert influence_of([key]) == {key: 5.0}
