"""Writes of the landscape: stances and relationships, recorded by one organization.

Every assessment is a new row: recording a stance never overwrites an earlier one, so the
history of how an actor moved stays on the record (the pages show the latest and the
change). ``recorded_by`` is always one of the user's own organizations (where they are at
least an organizer); an assessment about a private person can only be recorded by that
person's organization, and stays with it (see ``Stance.objects.visible_to``).

The page forms, the REST API and any command call these same functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from broadfront import clock
from broadfront.exceptions import NotFoundError, PermissionDeniedError, ValidationError
from broadfront.web.common import audit, permissions
from broadfront.web.common.services import require_role, validated_save
from broadfront.web.common.tenancy import ROLE_ORGANIZER, is_site_operator, own_org_ids
from broadfront.web.landscape.models import Issue, Relationship, Stance
from broadfront.web.organizations.models import STANCE_MAX, STANCE_MIN, Organization, Person

EVIDENCE_MAX = 2000
SOURCE_MAX = 500
STRENGTH_MAX = 5


# --- reads used by writes, the API and the pages ---------------------------------------------

def get_issue_for_user(user: Any, slug: str) -> Issue:
    """Issues are public records; NotFoundError for an unknown slug or an anonymous user."""
    if not getattr(user, "is_authenticated", False):
        raise NotFoundError("issue not found")
    issue = Issue.objects.filter(slug=slug).first()
    if issue is None:
        raise NotFoundError(f"issue {slug!r} not found")
    return issue


def get_actor_for_user(user: Any, kind: str, pk: int) -> Organization | Person:
    """An organization (public) or a person the user may see; NotFoundError otherwise.

    A partner's private person is indistinguishable from a missing one.
    """
    if not getattr(user, "is_authenticated", False):
        raise NotFoundError("actor not found")
    if kind in ("organization", "o"):
        org = Organization.objects.filter(pk=pk).first()
        if org is None:
            raise NotFoundError(f"organization {pk} not found")
        return org
    if kind in ("person", "p"):
        person = Person.objects.visible_to(user).filter(pk=pk).first()
        if person is None:
            raise NotFoundError(f"person {pk} not found")
        return person
    raise ValidationError(f"actor kind must be 'organization' or 'person', got {kind!r}",
                          parameter="kind")


def recording_organization(user: Any, recorded_by: Organization | int | None = None
                           ) -> Organization:
    """The organization an assessment is recorded for: one where the user is an organizer.

    With one such organization it is chosen; with several, ``recorded_by`` must name one.
    """
    mine = sorted(own_org_ids(user, ROLE_ORGANIZER))
    if recorded_by is None:
        if len(mine) == 1:
            return Organization.objects.get(pk=mine[0])
        if not mine:
            raise PermissionDeniedError(
                "you need the organizer role in an organization to record assessments")
        raise ValidationError("you organize for several organizations; say which one records "
                              "this (recorded_by)", parameter="recorded_by")
    org_pk = recorded_by.pk if isinstance(recorded_by, Organization) else int(recorded_by)
    require_role(user, org_pk, ROLE_ORGANIZER)
    return Organization.objects.get(pk=org_pk)


def _one_actor(user: Any, organization: Organization | None, person: Person | None,
               parameter: str) -> tuple[Organization | None, Person | None]:
    if (organization is None) == (person is None):
        raise ValidationError(f"{parameter}: give exactly one actor, an organization or a person",
                              parameter=parameter)
    if person is not None and not Person.objects.visible_to(user).filter(pk=person.pk).exists():
        raise NotFoundError(f"person {person.pk} not found")
    return organization, person


def _private_owner_check(person: Person | None, recorder: Organization, parameter: str) -> None:
    if person is not None and person.owner_id is not None and person.owner_id != recorder.pk:
        raise ValidationError(
            f"{parameter}: {person} is a private person of another of your organizations; "
            "only that organization can record assessments about them",
            parameter=parameter)


def _check_date(value: Any, parameter: str, *, required: bool) -> dt.date | None:
    if value is None:
        if required:
            raise ValidationError(f"{parameter} is required", parameter=parameter)
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(f"{parameter} must be a date, got {value!r}", parameter=parameter)
    if value > clock.today():
        raise ValidationError(f"{parameter} cannot be in the future, got {value.isoformat()}",
                              parameter=parameter)
    return value


# --- writes ---------------------------------------------------------------------------------

@transaction.atomic
def do_record_stance(
    user: Any,
    *,
    issue: Issue,
    score: int,
    assessed_on: dt.date,
    evidence: str,
    organization: Organization | None = None,
    person: Person | None = None,
    recorded_by: Organization | int | None = None,
) -> Stance:
    """Record an actor's stance on an issue as a new row (history is never overwritten).

    ``score`` runs from -3 (active opposition) to +3 (active ally); ``evidence`` says what
    the assessment rests on (a vote, a statement, a meeting).
    """
    recorder = recording_organization(user, recorded_by)
    permissions.require_write(user, Stance(recorded_by=recorder, issue=issue),
                              permissions.CREATE)
    organization, person = _one_actor(user, organization, person, "actor")
    _private_owner_check(person, recorder, "person")
    if isinstance(score, bool) or not isinstance(score, int) or not STANCE_MIN <= score <= STANCE_MAX:
        raise ValidationError(f"score must be an integer from {STANCE_MIN} to {STANCE_MAX}, "
                              f"got {score!r}", parameter="score")
    _check_date(assessed_on, "assessed_on", required=True)
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError("evidence is required: what is this assessment based on?",
                              parameter="evidence")
    if len(evidence) > EVIDENCE_MAX:
        raise ValidationError(f"evidence must be at most {EVIDENCE_MAX} characters, got "
                              f"{len(evidence)}", parameter="evidence")
    previous = (Stance.objects.visible_to(user)
                .filter(issue=issue, organization=organization, person=person)
                .order_by("-assessed_on", "-id").values_list("score", flat=True).first())
    stance = validated_save(Stance(
        issue=issue, organization=organization, person=person, score=score,
        assessed_on=assessed_on, evidence=evidence, recorded_by=recorder,
        assessed_by=user if getattr(user, "is_authenticated", False) else None,
    ))
    audit.record(user, "create", stance, organization=recorder,
                 changes={"issue": issue.slug, "organization": organization, "person": person,
                          "score": score, "previous": previous, "assessed_on": assessed_on})
    return stance


@transaction.atomic
def do_record_relationship(
    user: Any,
    *,
    kind: str,
    source: str,
    source_organization: Organization | None = None,
    source_person: Person | None = None,
    target_organization: Organization | None = None,
    target_person: Person | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    strength: int = 1,
    recorded_by: Organization | int | None = None,
) -> Relationship:
    """Record a typed, dated, sourced relationship from one actor to another (a new row).

    ``source`` says where we learned it (a filing, an article, a conversation).
    """
    recorder = recording_organization(user, recorded_by)
    permissions.require_write(user, Relationship(recorded_by=recorder, kind=kind),
                              permissions.CREATE)
    if kind not in Relationship.Kind.values:
        raise ValidationError(f"kind must be one of {', '.join(Relationship.Kind.values)}, "
                              f"got {kind!r}", parameter="kind")
    src_org, src_person = _one_actor(user, source_organization, source_person, "source_actor")
    dst_org, dst_person = _one_actor(user, target_organization, target_person, "target_actor")
    if (src_org is not None and src_org == dst_org) or (
            src_person is not None and src_person == dst_person):
        raise ValidationError("target_actor: an actor cannot have a relationship with itself",
                              parameter="target_actor")
    _private_owner_check(src_person, recorder, "source_actor")
    _private_owner_check(dst_person, recorder, "target_actor")
    _check_date(start_date, "start_date", required=False)
    if end_date is not None and (isinstance(end_date, dt.datetime)
                                 or not isinstance(end_date, dt.date)):
        raise ValidationError(f"end_date must be a date, got {end_date!r}", parameter="end_date")
    if start_date is not None and end_date is not None and end_date < start_date:
        raise ValidationError(f"end_date ({end_date.isoformat()}) is before start_date "
                              f"({start_date.isoformat()})", parameter="end_date")
    if isinstance(strength, bool) or not isinstance(strength, int) or not 1 <= strength <= STRENGTH_MAX:
        raise ValidationError(f"strength must be an integer from 1 to {STRENGTH_MAX}, got "
                              f"{strength!r}", parameter="strength")
    source = (source or "").strip()
    if not source:
        raise ValidationError("source is required: where did we learn this?", parameter="source")
    if len(source) > SOURCE_MAX:
        raise ValidationError(f"source must be at most {SOURCE_MAX} characters, got "
                              f"{len(source)}", parameter="source")
    rel = validated_save(Relationship(
        kind=kind, source_organization=src_org, source_person=src_person,
        target_organization=dst_org, target_person=dst_person, start_date=start_date,
        end_date=end_date, source=source, strength=strength, recorded_by=recorder,
    ))
    audit.record(user, "create", rel, organization=recorder,
                 changes={"kind": kind, "source_organization": src_org,
                          "source_person": src_person, "target_organization": dst_org,
                          "target_person": dst_person, "start_date": start_date,
                          "end_date": end_date, "strength": strength})
    return rel


def can_record(user: Any) -> bool:
    """Whether the user may record assessments (an organizer somewhere, or the operator)."""
    return is_site_operator(user) or bool(own_org_ids(user, ROLE_ORGANIZER))
