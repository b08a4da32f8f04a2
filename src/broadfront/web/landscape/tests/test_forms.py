"""Recording stances and relationships from the web forms."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape.models import Relationship, Stance

# These tests write dates of late 2026 (assessed, formed, committed, closes): they live on
# the suite's fixed clock (27 Nov 2026) so the dates stay in the past or future they mean.
pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


def test_ana_records_a_stance_and_lands_on_the_issue(client: Any, scene: Scene) -> None:
    w = scene.world
    client.force_login(w.ana)
    response = client.post("/landscape/stances/new/", {
        "issue": scene.issue.slug, "actor": f"o:{w.westfield.pk}", "score": "-3",
        "assessed_on": "2026-11-20", "evidence": "Bankrolled the recall."})
    assert response.status_code == 302 and response["Location"] == (
        f"/landscape/issues/{scene.issue.slug}/")
    assert list(Stance.objects.filter(organization=w.westfield).order_by("assessed_on")
                .values_list("score", flat=True)) == [-2, -3]


def test_a_future_date_is_shown_next_to_its_field(client: Any, scene: Scene) -> None:
    w = scene.world
    client.force_login(w.ana)
    response = client.post("/landscape/stances/new/", {
        "issue": scene.issue.slug, "actor": f"o:{w.westfield.pk}", "score": "1",
        "assessed_on": "2999-01-01", "evidence": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["assessed_on"] == [
        "assessed_on cannot be in the future, got 2999-01-01"]


def test_the_actor_list_offers_no_partners_members(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.ana)
    html = client.get("/landscape/stances/new/").content.decode()
    assert "Byron Mayorson" in html and "Faithmember" not in html


def test_ana_records_a_relationship(client: Any, scene: Scene) -> None:
    w = scene.world
    client.force_login(w.ana)
    response = client.post("/landscape/relationships/new/", {
        "source_actor": f"o:{w.northside.pk}", "kind": "allied_with",
        "target_actor": f"o:{w.faith.pk}", "start_date": "2024-01-01", "strength": "3",
        "source": "Coalition charter"})
    assert response.status_code == 302
    assert Relationship.objects.filter(kind="allied_with", strength=3).count() == 1
    same = client.post("/landscape/relationships/new/", {
        "source_actor": f"o:{w.faith.pk}", "kind": "knows", "target_actor": f"o:{w.faith.pk}",
        "strength": "1", "source": "x"})
    assert same.status_code == 400 and "target_actor" in same.context["form"].errors


def test_a_viewer_is_refused(client: Any, scene: Scene) -> None:
    w = scene.world
    client.force_login(w.ben)
    response = client.post("/landscape/stances/new/", {
        "issue": scene.issue.slug, "actor": f"o:{w.westfield.pk}", "score": "1",
        "assessed_on": "2026-11-20", "evidence": "x"})
    assert response.status_code == 403
