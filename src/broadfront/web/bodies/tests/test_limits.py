"""The what-if form refuses numbers out of range by name, never with a 500 (issue 13, M1)."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape.models import Seat


@pytest.fixture
def scene(world: Any) -> Scene:
    return build_scene(world)


@pytest.fixture
def ana(client: Any, scene: Scene) -> Any:
    client.force_login(scene.world.ana)
    return client


@pytest.mark.parametrize("weight", ["1e309", "9" * 400, "NaN", "-Infinity", "-1"])
def test_an_absurd_weight_in_the_what_if_form_is_refused_naming_the_seat(
        ana: Any, scene: Scene, weight: str) -> None:
    seat = Seat.objects.filter(body=scene.body).order_by("pk").first()
    response = ana.post(f"/bodies/{scene.body.slug}/what-if/", {f"w_{seat.pk}": weight})
    assert response.status_code == 400
    assert response.context["wf"]["error_field"] == f"w_{seat.pk}"
