"""Bodies and power pages: bodies, seats, weights, blocs, motions and votes."""

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


def test_the_bodies_list_counts_seats_and_recorded_votes(ana: Any, scene: Scene) -> None:
    (body,) = ana.get("/bodies/").context["bodies"]
    assert (body.n_seats, body.n_motions) == (3, 1)


def test_a_body_shows_seats_weights_blocs_and_motions(ana: Any, scene: Scene) -> None:
    response = ana.get(f"/bodies/{scene.body.slug}/")
    d = response.context["d"]
    assert int(d.total_weight) == 3
    assert [(b, int(w), n) for b, w, n in d.blocs] == [("Progressive", 2, 2), ("Centrist", 1, 1)]
    (motion,) = d.motions
    assert (motion.yes, motion.no, motion.other) == (2, 1, 0)
    assert [s.holder for s in d.seats] == ["Byron Mayorson", "Alma Council", "Bruno Council"]
    assert "Simple majority" in response.content.decode()


def test_a_motion_shows_how_each_member_voted(ana: Any, scene: Scene) -> None:
    votes = ana.get(f"/bodies/motions/{scene.motion.pk}/").context["votes"]
    assert [(v.voter, v.option, v.bloc) for v in votes] == [
        ("Alma Council", "yes", "Progressive"), ("Bruno Council", "yes", "Progressive"),
        ("Byron Mayorson", "no", "Centrist")]


def test_unknown_bodies_and_motions_are_not_found(ana: Any, scene: Scene) -> None:
    for url in ("/bodies/nope/", "/bodies/motions/99999/"):
        response = ana.get(url)
        assert response.status_code == 404, url
        assert "<h1>Nothing here</h1>" in response.content.decode(), url
    response = ana.post("/bodies/nope/what-if/", {})
    assert response.status_code == 404
    assert "<h1>Nothing here</h1>" in response.content.decode()


def test_a_body_with_recorded_votes_links_to_who_is_moving(ana: Any, scene: Scene) -> None:
    html = ana.get(f"/bodies/{scene.body.slug}/").content.decode()
    assert f'href="/landscape/bodies/{scene.body.slug}/alignment/"' in html
