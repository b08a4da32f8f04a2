"""Coalition and accountability pages: partners, commitments with computed status, deliveries."""

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


def test_the_coalition_page_tallies_each_partners_promises(ana: Any, scene: Scene) -> None:
    response = ana.get("/coalition/")
    d = response.context["d"]
    assert d.tally.counts == {"kept": 1, "partly_kept": 1, "kept_late": 1, "open": 1}
    (table,) = d.tables
    partners = {p.organization.slug: p for p in table.partners}
    assert set(partners) == {"faith", "northside"}
    assert partners["faith"].tally.counts == {"kept": 1, "partly_kept": 1}
    assert partners["northside"].is_ours and not partners["faith"].is_ours
    # Faith's vigil: one said yes and came.
    assert (partners["faith"].events, partners["faith"].show_up.rate) == (1, 1.0)
    html = response.content.decode()
    assert "Riverland Forward" in html and "Westfield" not in html


def test_commitments_can_be_filtered_by_status_and_partner(ana: Any, scene: Scene) -> None:
    late = ana.get("/coalition/commitments/?status=kept_late").context["page"].object_list
    assert [r.commitment.pk for r in late] == [scene.ours_late.pk]
    ours = ana.get("/coalition/commitments/?partner=ours").context["page"].object_list
    assert {r.commitment.pk for r in ours} == {scene.ours_late.pk, scene.ours_open.pk}


def test_a_commitment_page_shows_deliveries_and_the_computed_status(ana: Any,
                                                                     scene: Scene) -> None:
    response = ana.get(f"/coalition/commitments/{scene.ours_late.pk}/")
    r = response.context["r"]
    assert (r.status, int(r.delivered), r.share) == ("kept_late", 1000, 100)
    html = response.content.decode()
    assert "Kept late" in html and "late" in html


def test_a_partly_kept_commitment_shows_the_share_delivered(ana: Any, scene: Scene) -> None:
    r = ana.get(f"/coalition/commitments/{scene.faith_partly.pk}/").context["r"]
    assert (r.status, r.share) == ("partly_kept", 40)


def test_contributions_list_partners_part_in_wins(ana: Any, scene: Scene) -> None:
    page = ana.get("/coalition/contributions/").context["page"]
    assert [(c.organization.slug, c.outcome) for c in page.object_list] == [
        ("faith", "Tenant ordinance passed")]


def test_the_coordinator_sees_every_partner_at_her_table(client: Any, scene: Scene) -> None:
    client.force_login(scene.world.cora)
    (table,) = client.get("/coalition/").context["d"].tables
    assert not any(p.is_ours for p in table.partners)
    assert client.get(f"/coalition/partners/{scene.world.northside.pk}/").status_code == 200
