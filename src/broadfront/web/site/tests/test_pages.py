"""Our power and Leaders pages: our people, ladder, show-up rate and deliveries."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


def test_our_power_counts_our_people_show_up_and_deliveries(ana: Any, scene: Scene) -> None:
    d = ana.get("/power/").context["d"]
    assert d.people == 2 and d.active_members == 2
    assert (d.show_up.said_yes, d.show_up.came, d.show_up.rate) == (2, 1, 0.5)
    # Northside promised 1000 calls (all delivered) and 50 voters (none yet).
    assert {t.unit: int(t.quantity) for t in d.promised} == {"calls": 1000, "voters": 50}
    assert {t.unit: int(t.quantity) for t in d.delivered} == {"calls": 1000}
    assert [e.name for e in d.upcoming_events] == ["Caucus Night Prep"]
    assert [e.name for e in d.recent_events] == ["Tenant Rights Training"]


def test_the_people_list_shows_our_people_with_their_stage(ana: Any, scene: Scene) -> None:
    response = ana.get("/power/people/")
    assert [(p.given_name, stage) for p, stage in response.context["rows"]] == [
        ("Dolores", "active_member"), ("Marta", "squad_leader")]
    assert "Squad leader" in response.content.decode()


def test_searching_people_with_htmx_returns_only_the_table(ana: Any, scene: Scene) -> None:
    response = ana.get("/power/people/?q=marta", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Marta" in html and "Dolores" not in html


def test_people_are_found_by_postal_code_prefix_and_sorted_by_it(ana: Any, scene: Scene) -> None:
    dolores = next(p for p, _ in ana.get("/power/people/").context["rows"]
                   if p.given_name == "Dolores")
    type(dolores).objects.filter(pk=dolores.pk).update(postal_code="55407")
    type(dolores).objects.filter(pk=scene.marta.pk).update(postal_code="55104")

    def names(url: str) -> list[str]:
        return [p.given_name for p, _ in ana.get(url).context["rows"]]

    assert names("/power/people/?q=554") == ["Dolores"]  # a prefix, not anywhere
    assert names("/power/people/?q=55") == ["Dolores", "Marta"]
    assert names("/power/people/?q=104") == []
    assert names("/power/people/?sort=postal_code") == ["Marta", "Dolores"]
    assert names("/power/people/?sort=name") == ["Dolores", "Marta"]
    assert names("/power/people/?sort=nonsense") == ["Dolores", "Marta"]
    html = ana.get("/power/people/?sort=postal_code", HTTP_HX_REQUEST="true").content.decode()
    assert "55104" in html and "55407" in html
    assert 'aria-sort="ascending"><a href="?sort=postal_code"' in html
    page = ana.get("/power/people/?sort=postal_code").content.decode()
    assert '<input type="hidden" name="sort" value="postal_code">' in page  # search keeps it


def test_another_organization_never_sees_our_people_in_the_list(client: Any, scene: Scene) -> None:
    from broadfront.web.organizations.models import Person

    Person.objects.filter(pk=scene.marta.pk).update(postal_code="55104")
    client.force_login(scene.world.omar)
    for url in ("/power/people/?q=551", "/power/people/?sort=postal_code"):
        html = client.get(url).content.decode()
        assert "Marta" not in html and "55104" not in html


def test_a_person_page_shows_memberships_steps_and_attendance(ana: Any, scene: Scene) -> None:
    d = ana.get(f"/power/people/{scene.marta.pk}/").context["d"]
    assert [s.stage for s in d.steps] == ["member", "squad_leader"]
    assert d.stage == "squad_leader"
    assert [a.event.name for a in d.attendances] == ["Tenant Rights Training"]
    assert (d.show_up.said_yes, d.show_up.came) == (1, 0)


def test_a_public_figure_is_visible_to_everyone(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/power/people/{scene.world.mayor.pk}/")
    assert response.status_code == 200
    assert "Mayor of Riverton" in response.content.decode()


def test_our_event_lists_who_rsvped(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/power/events/{scene.training.pk}/")
    assert [a.person.given_name for a in response.context["attendance"]] == ["Dolores", "Marta"]
    assert response.context["event"].yes_and_came == 1


def test_the_events_list_shows_ours_or_the_whole_coalition(ana: Any, scene: Scene) -> None:
    ours = [e.name for e in ana.get("/power/events/").context["page"].object_list]
    table = [e.name for e in ana.get("/power/events/?scope=coalition").context["page"].object_list]
    assert sorted(ours) == ["Caucus Night Prep", "Tenant Rights Training"]
    assert sorted(table) == ["Caucus Night Prep", "Interfaith Vigil", "Tenant Rights Training"]


def test_the_leaders_page_shows_the_pipeline_of_our_people_only(ana: Any, scene: Scene) -> None:
    response = ana.get("/leaders/")
    d = response.context["d"]
    reached = {s.stage: s.count for s in d.reached}
    current = {s.stage: s.count for s in d.current}
    # Dolores (active member) and Marta (squad leader) have both reached "active member";
    # only Marta reached "squad leader"; Ezra (Faith, chapter leader) is not ours.
    assert reached["supporter"] == reached["member"] == reached["active_member"] == 2
    assert reached["squad_leader"] == 1 and reached["chapter_leader"] == 0
    assert current == {"supporter": 0, "member": 0, "active_member": 1, "squad_leader": 1,
                       "chapter_leader": 0, "delegate": 0, "candidate": 0}
    assert "plotly-graph-div" in response.content.decode()


def test_a_stage_page_lists_the_people_standing_there(ana: Any, scene: Scene) -> None:
    page = ana.get("/leaders/stage/squad_leader/").context["page"]
    assert [p.given_name for p in page.object_list] == ["Marta"]
    assert ana.get("/leaders/stage/emperor/").status_code == 404
