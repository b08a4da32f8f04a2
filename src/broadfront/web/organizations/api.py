"""API endpoints: organizations, coalitions and people (people of the user's own orgs only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from broadfront.web.common.lookups import get_visible
from broadfront.web.common.tenancy import own_org_ids, partner_org_ids
from broadfront.web.limits import Limit, Offset, page
from broadfront.web.organizations import services
from broadfront.web.organizations.models import Coalition, Organization, Person

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    spectrum_position: int
    influence: int
    base_size: int
    interests: str
    parent_id: int | None
    is_mine: bool
    is_partner: bool


class CoalitionOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    members: list[str]


class PersonOut(Schema):
    id: int
    organization: str | None
    given_name: str
    family_name: str
    email: str
    phone: str
    postal_code: str
    division: str | None
    public_role: str


class PersonIn(Schema):
    organization: str
    given_name: str
    family_name: str = ""
    email: str = ""
    phone: str = ""
    postal_code: str = ""


def _org_out(org: Organization, user: Any) -> dict[str, Any]:
    return {
        "id": org.pk, "name": org.name, "slug": org.slug, "kind": org.kind,
        "spectrum_position": org.spectrum_position, "influence": org.influence,
        "base_size": org.base_size, "interests": org.interests, "parent_id": org.parent_id,
        "is_mine": org.pk in own_org_ids(user), "is_partner": org.pk in partner_org_ids(user),
    }


def _person_out(p: Person, user: Any) -> dict[str, Any]:
    return {
        "id": p.pk, "organization": p.owner.slug if p.owner else None,
        "given_name": p.given_name, "family_name": p.family_name, "email": p.email,
        "phone": p.phone, "postal_code": services.postal_code_for_user(user, p),
        "division": p.division.ocd_id if p.division else None,
        "public_role": p.public_role,
    }


@router.get("/organizations", response=list[OrganizationOut])
def list_organizations(request: HttpRequest, kind: str | None = None) -> list[dict[str, Any]]:
    qs = Organization.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return [_org_out(o, request.user) for o in qs]


@router.get("/organizations/{slug}", response=OrganizationOut)
def get_organization(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _org_out(services.get_organization_for_user(request.user, slug), request.user)


@router.get("/coalitions", response=list[CoalitionOut])
def list_coalitions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": c.pk, "name": c.name, "slug": c.slug, "description": c.description,
         "members": [m.slug for m in c.members.all()]}
        for c in Coalition.objects.prefetch_related("members")
    ]


@router.get("/coalitions/{slug}", response=CoalitionOut)
def get_coalition(request: HttpRequest, slug: str) -> dict[str, Any]:
    c = services.get_coalition_for_user(request.user, slug)
    return {"id": c.pk, "name": c.name, "slug": c.slug, "description": c.description,
            "members": [m.slug for m in c.members.all()]}


@router.get("/people", response=list[PersonOut])
def list_people(request: HttpRequest, organization: str | None = None, limit: Limit = 100,
                offset: Offset = 0) -> list[dict[str, Any]]:
    """People of the user's own organizations (and public figures); never a partner's."""
    org = services.get_organization_for_user(request.user, organization) if organization else None
    qs = services.people_for_user(request.user, org).select_related("owner", "division")
    return [_person_out(p, request.user) for p in qs[page(limit, offset)]]


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _person_out(get_visible(Person, request.user, person_id, what="person"), request.user)


@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    org = services.get_organization_for_user(request.user, payload.organization)
    data = payload.dict()
    data.pop("organization")
    person = services.do_create_person(request.user, org, **data)
    return Status(201, _person_out(person, request.user))
