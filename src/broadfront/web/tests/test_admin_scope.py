"""The admin shows staff who are not superusers nothing private of another organization, and
every change made in it is on the record (issue 13, H3 and M4).

Omar organizes Westfield and is made staff. For every model registered in the admin, his
changelist holds no Northside-private row and the change page of a Northside-private object
is refused or empty. A Northside-private object is one Northside owns that Omar may not read
through the tenancy managers (every row of a model without one: options, impacts, tallies,
roles, coalition seats).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from broadfront.web.common.admin_base import ScopedAdmin, owner_organization_id
from broadfront.web.common.tests.factories import Scene, build_scene

#: The models the red-team pass found open to any staff account: each must have a private
#: Northside row in the scene, so their tests cannot pass on an empty table.
LEAKED = {"decisions.Option", "decisions.Impact", "accountability.AttendanceTally",
          "organizations.OrganizationRole", "organizations.CoalitionMembership"}


@pytest.fixture
def scene(world: Any) -> Scene:
    from broadfront.web.organizations.services import do_create_person

    scene = build_scene(world)
    do_create_person(world.ana, world.northside, given_name="Audited", family_name="Secret")
    return scene


@pytest.fixture
def staff_omar(client: Any, world: Any) -> Any:
    world.omar.is_staff = True
    world.omar.save()
    client.force_login(world.omar)
    return client


def _private_to_northside(model: Any, world: Any) -> list[Any]:
    """Rows Northside owns that Omar may not read through the model's tenancy manager."""
    manager = model._default_manager
    visible: set[Any] = set()
    if hasattr(manager, "visible_to"):
        visible = set(manager.visible_to(world.omar).values_list("pk", flat=True))
    return [o for o in model._base_manager.all()
            if owner_organization_id(o) == world.northside.pk and o.pk not in visible]


def _registry() -> list[tuple[str, Any, Any]]:
    return sorted(((m._meta.label, m, a) for m, a in admin.site._registry.items()),
                  key=lambda t: t[0])


REGISTERED = [label for label, _, _ in _registry()]


def _admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("label", REGISTERED)
def test_a_staff_outsider_reads_no_northside_private_row_in_any_changelist(
        staff_omar: Any, scene: Scene, label: str) -> None:
    model, model_admin = next((m, a) for lbl, m, a in _registry() if lbl == label)
    secret = _private_to_northside(model, scene.world)
    response = staff_omar.get(_admin_url(model, "changelist"))
    if not isinstance(model_admin, ScopedAdmin):  # Django's own (users, groups, lockouts)
        assert response.status_code == 403
        return
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
        assert shown.isdisjoint(o.pk for o in secret)
    for obj in secret[:3]:
        page = staff_omar.get(_admin_url(model, "change", obj.pk))
        assert page.status_code in (302, 403, 404)
        if page.status_code == 302:  # "does not exist", back to the index
            assert page.url == reverse("admin:index")
        assert "adminform" not in (page.context or {})


def test_the_models_found_leaking_each_hold_a_northside_private_row(scene: Scene) -> None:
    from django.apps import apps

    for label in LEAKED:
        assert _private_to_northside(apps.get_model(label), scene.world), label


def test_the_issue_reproduction_an_option_of_a_private_question_is_not_shown(
        staff_omar: Any, scene: Scene) -> None:
    option = scene.decision.options.first()
    page = staff_omar.get(f"/admin/decisions/option/{option.pk}/change/")
    assert page.status_code in (302, 403, 404)
    assert scene.decision.question not in page.content.decode()
    listing = staff_omar.get("/admin/decisions/option/").content.decode()
    assert option.label not in listing


def test_a_model_without_a_scope_is_hidden_from_staff(world: Any, scene: Scene) -> None:
    from django.test import RequestFactory

    from broadfront.web.decisions.models import Option

    class Unscoped(ScopedAdmin):  # what a new registration without a scope gets
        pass

    request = RequestFactory().get("/admin/decisions/option/")
    world.omar.is_staff = True
    request.user = world.omar
    unscoped = Unscoped(Option, admin.site)
    assert not unscoped.has_module_permission(request)
    assert not unscoped.has_view_permission(request)
    assert not unscoped.get_queryset(request).exists()
    assert isinstance(admin.site._registry[Option], ScopedAdmin)
    assert admin.site._registry[Option].is_scoped()


def test_staff_still_read_their_own_organizations_options(client: Any, scene: Scene) -> None:
    ana = scene.world.ana
    ana.is_staff = True
    ana.save()
    client.force_login(ana)
    listing = client.get("/admin/decisions/option/")
    assert listing.status_code == 200
    assert "Stay out" in listing.content.decode()


@pytest.mark.parametrize("label", REGISTERED)
def test_every_changelist_opens_for_a_site_operator(client: Any, scene: Scene,
                                                    label: str) -> None:
    from django.contrib.auth.models import User

    model = next(m for lbl, m, _ in _registry() if lbl == label)
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 16))
    assert client.get(_admin_url(model, "changelist")).status_code == 200


# --- M4: the admin writes the audit log -------------------------------------------------------

@pytest.fixture
def operator(client: Any, world: Any) -> Any:
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 16))
    return client


def _entries(action: str) -> list[Any]:
    from broadfront.web.common.models import AuditEntry

    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_an_edit_in_the_admin_is_audited_for_the_owning_organization(
        operator: Any, world: Any) -> None:
    person = world.ana_person
    response = operator.post(f"/admin/organizations/person/{person.pk}/change/", {
        "owner": world.northside.pk, "given_name": "Dora", "family_name": person.family_name,
        "email": person.email, "phone": "", "postal_code": "", "identifiers": "[]",
        "public_role": "", "influence": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    (entry,) = _entries("admin update")
    assert entry.subject_organization_id == world.northside.pk
    assert (entry.model, entry.object_id) == ("organizations.Person", str(person.pk))
    assert entry.changes == {"given_name": ["Dolores", "Dora"]}
    assert entry.actor.username == "root"
    assert entry.organization_id is None  # a site operator of no organization


def test_an_operator_editing_another_organizations_record_acts_for_none_of_its_own(
        operator: Any, world: Any) -> None:
    from django.contrib.auth.models import User

    from broadfront.web.organizations.models import OrganizationRole

    root = User.objects.get(username="root")
    OrganizationRole.objects.create(user=root, organization=world.westfield, role="viewer")
    operator.post(f"/admin/organizations/person/{world.ana_person.pk}/delete/", {"post": "yes"})
    operator.post(f"/admin/organizations/person/{world.omar_person.pk}/delete/", {"post": "yes"})
    entries = {e.subject_organization_id: e.organization_id for e in _entries("admin delete")}
    assert entries == {world.northside.pk: None, world.westfield.pk: world.westfield.pk}


def test_a_creation_in_the_admin_is_audited(operator: Any, world: Any) -> None:
    response = operator.post("/admin/organizations/person/add/", {
        "owner": world.faith.pk, "given_name": "Added", "family_name": "Byadmin", "email": "",
        "phone": "", "postal_code": "", "identifiers": "[]", "public_role": "",
        "influence": ""})
    assert response.status_code == 302
    (entry,) = _entries("admin create")
    assert entry.subject_organization_id == world.faith.pk
    assert entry.changes["given_name"] == [None, "Added"]


def test_a_deletion_in_the_admin_keeps_the_record_before_it(operator: Any, world: Any) -> None:
    from broadfront.web.organizations.models import Person

    pk = world.omar_person.pk
    response = operator.post(f"/admin/organizations/person/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=pk).exists()
    (entry,) = _entries("admin delete")
    assert entry.subject_organization_id == world.westfield.pk
    assert entry.changes["before"]["family_name"] == "Bizmember"


def test_a_bulk_deletion_in_the_admin_writes_one_entry_per_record(
        operator: Any, world: Any) -> None:
    pks = [world.ana_person.pk, world.grace_person.pk]
    response = operator.post("/admin/organizations/person/", {
        "action": "delete_selected", "_selected_action": pks, "post": "yes"})
    assert response.status_code == 302
    entries = _entries("admin delete")
    assert sorted(int(e.object_id) for e in entries) == sorted(pks)
    assert {e.subject_organization_id for e in entries} == {world.northside.pk, world.faith.pk}


def test_an_organizations_admins_read_the_admin_entries_about_their_records(
        operator: Any, client: Any, world: Any) -> None:
    from django.test import Client

    from broadfront.web.organizations.models import OrganizationRole

    operator.post(f"/admin/organizations/person/{world.grace_person.pk}/delete/", {"post": "yes"})
    OrganizationRole.objects.filter(user=world.grace).update(role="admin")
    world.grace.is_staff = True
    world.grace.save()
    grace = Client()
    grace.force_login(world.grace)
    listing = grace.get("/admin/common/auditentry/")
    assert listing.status_code == 200
    shown = list(listing.context["cl"].queryset)
    assert [e.action for e in shown] == ["admin delete"]
