"""Use cases for organizations, coalitions, people, memberships, users and the ladder.

Writes are ``do_*`` functions: they check the actor's role, validate, write in one
transaction and append to the audit log. Reads are ``get_<thing>_for_user`` helpers that go
through the organization-scoped querysets and raise :class:`NotFoundError` for rows the user
may not see (so another organization's person is indistinguishable from a missing one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from broadfront.exceptions import ConflictError, NotFoundError, ValidationError
from broadfront.formats.records import normalize_postal_code
from broadfront.web.common import audit, permissions
from broadfront.web.common.lookups import get_visible
from broadfront.web.common.services import (
    check_password_strength,
    validated_save,
)
from broadfront.web.common.tenancy import (
    ROLE_ORGANIZER,
    forget,
    is_site_operator,
    own_org_ids,
)
from broadfront.web.organizations import signals
from broadfront.web.organizations.models import (
    Coalition,
    LadderStage,
    LeadershipStep,
    Organization,
    OrganizationRole,
    Person,
)

PERSON_FIELDS = ["given_name", "family_name", "email", "phone", "postal_code", "division",
                 "identifiers"]


# --- reads ------------------------------------------------------------------------------------

def get_organization_for_user(user: Any, slug_or_pk: str | int) -> Organization:
    """Organizations are public actors: any signed-in user may read one."""
    if not getattr(user, "is_authenticated", False):
        raise NotFoundError("organization not found")
    qs = Organization.objects.all()
    org = (qs.filter(pk=slug_or_pk) if isinstance(slug_or_pk, int) or str(slug_or_pk).isdigit()
           else qs.filter(slug=slug_or_pk)).first()
    if org is None:
        raise NotFoundError(f"organization {slug_or_pk!r} not found")
    return org


def get_coalition_for_user(user: Any, slug_or_pk: str | int) -> Coalition:
    if not getattr(user, "is_authenticated", False):
        raise NotFoundError("coalition not found")
    qs = Coalition.objects.all()
    coalition = (qs.filter(pk=slug_or_pk) if str(slug_or_pk).isdigit()
                 else qs.filter(slug=slug_or_pk)).first()
    if coalition is None:
        raise NotFoundError(f"coalition {slug_or_pk!r} not found")
    return coalition


def postal_code_for_user(user: Any, person: Person) -> str:
    """``person``'s postal code if ``user`` works for the owning organization, else ``""``.

    Where someone lives is person-level data: only users of the owning organization (and site
    operators) see it. A public figure has no owning organization, so only site operators see
    theirs, although the rest of a public figure's record is public.
    """
    if is_site_operator(user) or (person.owner_id is not None
                                  and person.owner_id in own_org_ids(user)):
        return person.postal_code
    return ""


def people_for_user(user: Any, organization: Organization | None = None) -> Any:
    """People the user may see (their organizations' people and public figures)."""
    qs = Person.objects.visible_to(user)
    if organization is not None:
        qs = qs.filter(owner=organization)
    return qs


# --- writes -----------------------------------------------------------------------------------

@transaction.atomic
def do_create_person(actor: Any, organization: Organization, **fields: Any) -> Person:
    """Add a person to ``organization`` (organizer role needed)."""
    permissions.require_write(actor, Person(owner=organization), permissions.CREATE)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(f"unknown person field(s): {', '.join(sorted(unknown))}",
                              parameter=sorted(unknown)[0])
    _normalize_person_fields(fields)
    person = validated_save(Person(owner=organization, **fields))
    audit.record(actor, "create", person, organization=organization,
                 changes={k: fields[k] for k in fields if k != "identifiers"})
    return person


@transaction.atomic
def get_person_to_edit(actor: Any, person_pk: int) -> Person:
    """The person ``pk`` if ``actor`` may edit them: :class:`NotFoundError` when not visible, or
    a public figure for anyone but a site operator; :class:`PermissionDeniedError` for a
    viewer of the person's organization."""
    person = get_visible(Person, actor, person_pk, what="person")
    if person.owner_id is None and not is_site_operator(actor):
        raise NotFoundError(f"person {person_pk} not found")
    permissions.require_write(actor, person, permissions.CHANGE)
    return person


def may_edit_person(actor: Any, person: Person) -> bool:
    """Whether :func:`get_person_to_edit` lets ``actor`` edit ``person`` (for showing links)."""
    if is_site_operator(actor):
        return True
    return person.owner_id is not None and person.owner_id in own_org_ids(actor, ROLE_ORGANIZER)


def do_update_person(actor: Any, person_pk: int, **fields: Any) -> Person:
    person = get_person_to_edit(actor, person_pk)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(f"unknown person field(s): {', '.join(sorted(unknown))}",
                              parameter=sorted(unknown)[0])
    _normalize_person_fields(fields)
    before = {k: getattr(person, k) for k in fields}
    for key, value in fields.items():
        setattr(person, key, value)
    validated_save(person)
    audit.record(actor, "update", person, changes={"before": before, "after": fields})
    return person


def _normalize_person_fields(fields: dict[str, Any]) -> None:
    """Normalize ``fields`` in place before a person is written (the postal code, so far).

    The postal code is trimmed, upper-cased and its inner whitespace collapsed; more than 20
    characters, or a character other than a letter, digit, space or hyphen, is a
    :class:`ValidationError` naming ``postal_code``.
    """
    if "postal_code" in fields:
        fields["postal_code"] = normalize_postal_code(fields["postal_code"], "postal_code")


@transaction.atomic
def do_delete_person(actor: Any, person_pk: int) -> None:
    person = get_visible(Person, actor, person_pk, what="person")
    permissions.require_write(actor, person, permissions.DELETE)
    audit.record(actor, "delete", person)
    owner_id = person.owner_id
    person.delete()
    # Their RSVPs went with them: apps above (accountability's summary) recount on this.
    signals.person_deleted.send(sender=Person, organization_id=owner_id)


@transaction.atomic
def do_record_ladder_step(actor: Any, person: Person, stage: str, date: dt.date,
                          note: str = "") -> LeadershipStep:
    """Record that ``person`` reached ``stage`` of their organization's ladder on ``date``."""
    if stage not in LadderStage.values:
        raise ValidationError(
            f"stage must be one of {', '.join(LadderStage.values)}, got {stage!r}",
            parameter="stage",
        )
    if person.owner_id is None:
        raise ValidationError("public figures have no leadership ladder", parameter="person")
    step = LeadershipStep(person=person, organization_id=person.owner_id, stage=stage,
                          date=date, note=note)
    permissions.require_write(actor, step, permissions.CREATE)
    validated_save(step)
    audit.record(actor, "create", step, organization=person.owner_id)
    return step


@transaction.atomic
def do_create_user(actor: Any, *, username: str, password: str, email: str = "",
                   organization: Organization | None = None, role: str = "viewer",
                   superuser: bool = False) -> User:
    """Create a login, optionally with a role in an organization."""
    if role not in OrganizationRole.Role.values:
        raise ValidationError(
            f"role must be one of {', '.join(OrganizationRole.Role.values)}, got {role!r}",
            parameter="role",
        )
    if actor is not None:  # None: the command line, run by whoever runs the site
        # An organization's admins add logins to it: the rule is the one for the new role row.
        # A login with no organization, or a superuser, is a new user: site operators only.
        permissions.require_write(
            actor, OrganizationRole(organization=organization, role=role)
            if organization is not None and not superuser
            else User(username=username, is_superuser=superuser), permissions.CREATE)
    if not username or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise ValidationError(f"username must be letters, digits, '.', '-' or '_', got {username!r}",
                              parameter="username")
    check_password_strength(password, User(username=username, email=email))
    if User.objects.filter(username=username).exists():
        raise ConflictError(f"a user named {username!r} already exists")
    if superuser:
        user = User.objects.create_superuser(username, email, password)
    else:
        user = User.objects.create_user(username, email, password)
    if organization is not None:
        OrganizationRole.objects.create(user=user, organization=organization, role=role)
        forget(user)
    audit.record(actor, "create", user, organization=organization,
                 changes={"role": role if organization else None, "superuser": superuser})
    return user
