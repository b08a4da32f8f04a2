"""The shell: logging in and out, the home dashboard's figures, Plotly served from the package."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.conftest import PASSWORD
from broadfront.web.common.tests.factories import Scene, build_scene


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def test_anonymous_visitors_are_sent_to_the_login_page(client: Any, scene: Scene) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_the_login_page_renders_without_any_outside_asset(client: Any, db: Any) -> None:
    response = client.get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in html and 'name="password"' in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_ana_logs_in_with_her_password_and_lands_on_the_dashboard(client: Any,
                                                                   scene: Scene) -> None:
    response = client.post("/login/", {"username": "ana", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Northside Chapter" in response.content.decode()


def test_a_wrong_password_shows_a_plain_error(client: Any, scene: Scene) -> None:
    response = client.post("/login/", {"username": "ana", "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_logging_out_ends_the_session(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_the_dashboard_shows_real_figures_for_ana(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    response = client.get("/")
    d = response.context["d"]
    # Dolores and Marta are Northside's current members.
    assert d.members == 2
    # Dolores (active member) and Marta (squad leader) count as active members and leaders.
    assert d.leaders == 2
    assert {s.stage: s.count for s in d.stages}["squad_leader"] == 1
    # Training: Dolores and Marta said yes, only Dolores came.
    assert (d.show_up.said_yes, d.show_up.came) == (2, 1)
    # Four commitments at the table: Westfield's broken one is not Ana's business.
    assert d.commitments.counts == {"kept": 1, "partly_kept": 1, "kept_late": 1, "open": 1}
    # Upcoming: the caucus prep (Dolores said yes, 50% show-up: expect 0 or 1) but never
    # Westfield's breakfast.
    names = [u.event.name for u in d.upcoming]
    assert names == ["Caucus Night Prep"]
    assert d.upcoming[0].said_yes == 1 and d.upcoming[0].expected == round(0.5)
    assert [x.question for x in d.open_decisions] == ["Endorse the write-in mayor?"]
    assert [x.question for x in d.reviews_due] == ["Join the budget coalition?"]
    bloc = d.blocs[0]
    assert (bloc.goal, bloc.recruited, bloc.ours, bloc.precincts) == (35, 3, 2, 2)
    html = response.content.decode()
    assert "Caucus Night Prep" in html and "Westfield Donor Breakfast" not in html
    assert "50%" in html


def test_the_coordinator_without_an_organization_sees_the_coalition(client: Any,
                                                                     scene: Scene) -> None:
    client.force_login(scene.world.cora)
    response = client.get("/")
    assert response.status_code == 200
    d = response.context["d"]
    assert d.organizations == [] and d.members == 0
    assert d.commitments.total == 4


def test_every_area_is_in_the_navigation(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    html = client.get("/").content.decode()
    for label, url in [("Our power", "/power/"), ("Coalition and accountability", "/coalition/"),
                       ("Landscape", "/landscape/"), ("Bloc building", "/blocs/"),
                       ("Bodies and power", "/bodies/"), ("Scenarios", "/scenarios/"),
                       ("Decisions", "/decisions/"), ("Leaders", "/leaders/")]:
        assert f'href="{url}"' in html and label in html


def test_plotly_is_served_from_the_installed_package_with_long_caching(client: Any,
                                                                       db: Any) -> None:
    response = client.get("/assets/plotly.min.js")
    assert response.status_code == 200
    assert "max-age=31536000" in response["Cache-Control"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert b"plotly" in body[:2000].lower()


def test_pages_load_htmx_from_our_own_static_files(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    html = client.get("/").content.decode()
    assert "/static/django_htmx/htmx" in html
    assert 'src="/assets/plotly.min.js"' in html


def test_an_unknown_page_is_a_friendly_404(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    response = client.get("/power/people/999999/")
    assert response.status_code == 404
    assert "Nothing here" in response.content.decode()
