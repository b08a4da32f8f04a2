"""The precinct page's forms: form a squad, record a recruit, mark recruits after caucus night.

In the scene, precinct 1's goal is 20 and two people have committed there (Dolores of
Northside, Ezra of Faith); Marta (Northside) committed in precinct 2. Here Nina, a new
Northside member living in precinct 1, is recruited by Ana.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront import clock
from broadfront.web.campaigns.models import Recruit, Squad
from broadfront.web.common.models import AuditEntry
from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.organizations.models import Person

# These tests write dates of late 2026 (assessed, formed, committed, closes): they live on
# the suite's fixed clock (27 Nov 2026) so the dates stay in the past or future they mean.
pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def nina(scene: Scene) -> Person:
    return Person.objects.create(owner=scene.world.northside, given_name="Nina",
                                 family_name="Newmember", division=scene.p1)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def _url(scene: Scene, tail: str = "") -> str:
    return f"/blocs/{scene.campaign.slug}/precincts/{scene.p1.pk}/{tail}"


def _dolores(scene: Scene) -> Recruit:
    return Recruit.objects.get(person=scene.world.ana_person)


# --- forming a squad -------------------------------------------------------------------------


def test_an_organizer_forms_a_squad_with_a_leader_from_the_page(ana: Any, scene: Scene,
                                                                nina: Person) -> None:
    response = ana.post(_url(scene, "squads/"), {
        "name": "Elm Street Squad", "organization": scene.world.northside.pk,
        "leader": nina.pk, "formed_on": "2026-01-15"})
    assert response.status_code == 302
    squad = Squad.objects.get(name="Elm Street Squad")
    assert (squad.division, squad.leader, squad.formed_on) == (scene.p1, nina,
                                                               dt.date(2026, 1, 15))
    page = ana.get(_url(scene))
    assert [s.name for s in page.context["squads"]] == ["Elm Street Squad", "Precinct 1 Squad"]
    assert page.context["row"].squads == 3  # ours two, Faith's one: a count across partners


def test_a_squad_without_a_name_is_refused_next_to_the_name(ana: Any, scene: Scene) -> None:
    response = ana.post(_url(scene, "squads/"), {"name": "  ",
                                                 "organization": scene.world.northside.pk})
    assert response.status_code == 400
    assert "name" in response.context["squad_form"].errors
    assert 'id="squad-name-errors"' in response.content.decode()
    assert Squad.objects.count() == 2


def test_a_squad_with_the_same_name_is_a_conflict_shown_above_the_form(ana: Any,
                                                                      scene: Scene) -> None:
    response = ana.post(_url(scene, "squads/"), {"name": "Precinct 1 Squad",
                                                 "organization": scene.world.northside.pk})
    assert response.status_code == 409
    assert "already has a squad named" in " ".join(
        response.context["squad_form"].non_field_errors())


def test_another_organizations_person_cannot_lead_our_squad(ana: Any, scene: Scene) -> None:
    response = ana.post(_url(scene, "squads/"), {
        "name": "Sneaky", "organization": scene.world.northside.pk,
        "leader": scene.world.grace_person.pk})
    assert response.status_code == 400
    assert "leader" in response.context["squad_form"].errors
    assert not Squad.objects.filter(name="Sneaky").exists()


def test_an_organizer_cannot_form_a_squad_for_another_organization(ana: Any,
                                                                   scene: Scene) -> None:
    response = ana.post(_url(scene, "squads/"), {"name": "Faith Beta",
                                                 "organization": scene.world.faith.pk})
    assert response.status_code == 400
    assert "organization" in response.context["squad_form"].errors
    assert not Squad.objects.filter(name="Faith Beta").exists()


# --- the pickers: our own people only --------------------------------------------------------


def test_the_pickers_offer_only_our_own_people(ana: Any, scene: Scene, nina: Person) -> None:
    page = ana.get(_url(scene))
    leaders = [str(p) for p in page.context["squad_form"].fields["leader"].queryset]
    # Precinct 1's Northside people first (Marta, Nina), then Dolores (no precinct recorded);
    # never Faith's Ezra nor Westfield's Felix.
    assert leaders == ["Nina Newmember", "Marta Squadleader", "Dolores Northmember"]
    people = [str(p) for p in page.context["recruit_form"].fields["person"].queryset]
    assert people == ["Nina Newmember"]  # Marta and Dolores have already committed
    squads = [s.name for s in page.context["recruit_form"].fields["squad"].queryset]
    assert squads == ["Precinct 1 Squad"]
    html = page.content.decode()
    assert "Ezra" not in html and "Felix" not in html


def test_grace_sees_faiths_people_and_squad_only(client: Any, scene: Scene,
                                                 nina: Person) -> None:
    client.force_login(scene.world.grace)
    page = client.get(_url(scene))
    assert [s.name for s in page.context["squads"]] == ["Faith Squad Alpha"]
    assert [r.person.given_name for r in page.context["recruits"]] == ["Ezra"]
    assert list(page.context["squad_form"].fields["leader"].queryset) == [
        scene.world.grace_person]
    html = page.content.decode()
    assert "Nina" not in html and "Dolores" not in html and "Precinct 1 Squad" not in html


# --- recording a recruit ---------------------------------------------------------------------


def test_a_recruit_added_in_place_updates_the_target_progress(ana: Any, scene: Scene,
                                                              nina: Person) -> None:
    before = ana.get(_url(scene)).context["row"]
    assert (before.goal, before.recruited, before.ours) == (20, 2, 1)
    response = ana.post(_url(scene, "recruits/"),
                        {"person": nina.pk, "squad": scene.squad.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'hx-swap-oob="true"' in html
    assert "Nina Newmember has committed to come to the caucus." in html
    row = response.context["row"]
    assert (row.goal, row.recruited, row.ours) == (20, 3, 2)
    recruit = Recruit.objects.get(person=nina)
    assert (recruit.division, recruit.squad, recruit.organization, recruit.committed_on) == (
        scene.p1, scene.squad, scene.world.northside, clock.today())
    assert AuditEntry.objects.filter(model="campaigns.Recruit",
                                     object_id=str(recruit.pk)).exists()
    # the campaign dashboard counts her too: 35 needed, 4 committed
    progress = ana.get(f"/blocs/{scene.campaign.slug}/").context["d"].progress
    assert (progress.goal, progress.recruited, progress.ours) == (35, 4, 3)


def test_without_htmx_a_recruit_is_recorded_and_the_page_reloads(ana: Any, scene: Scene,
                                                                 nina: Person) -> None:
    response = ana.post(_url(scene, "recruits/"), {"person": nina.pk,
                                                   "committed_on": "2026-01-10"})
    assert response.status_code == 302
    assert Recruit.objects.get(person=nina).committed_on == dt.date(2026, 1, 10)


def test_another_organizations_person_cannot_be_recorded(ana: Any, scene: Scene) -> None:
    felix = scene.world.omar_person
    response = ana.post(_url(scene, "recruits/"), {"person": felix.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "person" in response.context["recruit_form"].errors
    assert 'id="recruit-person-errors"' in response.content.decode()
    assert not Recruit.objects.filter(person=felix).exists()


def test_a_recruit_in_a_partners_squad_is_refused_next_to_the_squad(ana: Any, scene: Scene,
                                                                   nina: Person) -> None:
    response = ana.post(_url(scene, "recruits/"), {"person": nina.pk,
                                                   "squad": scene.faith_squad.pk})
    assert response.status_code == 400
    assert "squad" in response.context["recruit_form"].errors
    assert not Recruit.objects.filter(person=nina).exists()


def test_a_commitment_dated_in_the_future_is_refused_next_to_the_date(ana: Any, scene: Scene,
                                                                     nina: Person) -> None:
    tomorrow = clock.today() + dt.timedelta(days=1)
    response = ana.post(_url(scene, "recruits/"), {"person": nina.pk,
                                                   "committed_on": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "is in the future" in response.context["recruit_form"].errors["committed_on"][0]
    assert not Recruit.objects.filter(person=nina).exists()


# --- viewers and outsiders -------------------------------------------------------------------


def test_a_viewer_sees_the_lists_but_no_forms_and_cannot_write(client: Any, scene: Scene,
                                                                nina: Person) -> None:
    client.force_login(scene.world.ben)
    page = client.get(_url(scene))
    assert [s.name for s in page.context["squads"]] == ["Precinct 1 Squad"]
    assert [r.person.given_name for r in page.context["recruits"]] == ["Dolores"]
    assert page.context["squad_form"] is None and page.context["recruit_form"] is None
    html = page.content.decode()
    assert "Form a squad" not in html and "Record a recruit" not in html
    assert client.post(_url(scene, "squads/"), {"name": "Ben's"}).status_code == 403
    assert client.post(_url(scene, "recruits/"), {"person": nina.pk}).status_code == 403
    dolores = _dolores(scene)
    status_url = f"/blocs/{scene.campaign.slug}/recruits/{dolores.pk}/status/"
    assert client.post(status_url, {"status": "dropped"}).status_code == 403
    assert not Squad.objects.filter(name="Ben's").exists()
    assert not Recruit.objects.filter(person=nina).exists()
    assert _dolores(scene).status == "committed"


def test_an_outsider_cannot_reach_the_forms(client: Any, scene: Scene, nina: Person) -> None:
    client.force_login(scene.world.omar)
    assert client.post(_url(scene, "recruits/"), {"person": nina.pk}).status_code == 404
    assert client.post(_url(scene, "squads/"), {"name": "W"}).status_code == 404
    assert Recruit.objects.count() == 3 and Squad.objects.count() == 2


# --- after caucus night ----------------------------------------------------------------------


def test_marking_recruits_attended_or_dropped_in_place(ana: Any, scene: Scene) -> None:
    dolores = _dolores(scene)
    url = f"/blocs/{scene.campaign.slug}/recruits/{dolores.pk}/status/"
    response = ana.post(url, {"status": "attended"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Dolores Northmember: attended." in response.content.decode()
    assert _dolores(scene).status == "attended"
    response = ana.post(url, {"status": "dropped"}, HTTP_HX_REQUEST="true")
    # a dropped recruit no longer counts: precinct 1 keeps Ezra only
    assert (response.context["row"].recruited, response.context["row"].ours) == (1, 0)
    assert ana.post(url, {"status": "maybe"}, HTTP_HX_REQUEST="true").status_code == 400
    assert _dolores(scene).status == "dropped"


def test_a_partner_cannot_mark_our_recruits(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    dolores = _dolores(scene)
    url = f"/blocs/{scene.campaign.slug}/recruits/{dolores.pk}/status/"
    assert client.post(url, {"status": "dropped"}).status_code == 404
    assert _dolores(scene).status == "committed"


# --- the campaign's squads ---------------------------------------------------------------------


def test_our_squads_page_lists_our_squads_with_their_recruits(ana: Any, scene: Scene) -> None:
    Recruit.objects.filter(person=scene.world.ana_person).update(status="attended")
    response = ana.get(f"/blocs/{scene.campaign.slug}/squads/")
    rows = [(s.name, s.division.name, str(s.leader), s.committed, s.attended, s.dropped)
            for s in response.context["page"].object_list]
    assert rows == [("Precinct 1 Squad", "Precinct 1", "Marta Squadleader", 0, 1, 0)]
    html = response.content.decode()
    assert "Faith Squad Alpha" not in html
    # precinct 2 has no squad of any partner: it is offered
    assert [r.name for r in response.context["without"]] == ["Precinct 2"]


def test_grace_sees_only_faiths_squads_on_the_squads_page(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.grace)
    response = client.get(f"/blocs/{scene.campaign.slug}/squads/")
    assert [s.name for s in response.context["page"].object_list] == ["Faith Squad Alpha"]
    assert "Precinct 1 Squad" not in response.content.decode()
