"""The power sections render on the demo's council and state party convention."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from broadfront.web.landscape.models import Body


@pytest.fixture
def demo(db: Any) -> None:
    from broadfront.demo import load_demo

    load_demo(scale="small", seed=0)


def test_the_demo_convention_shows_the_power_of_a_disciplined_bloc(client: Any,
                                                                   demo: None) -> None:
    client.force_login(User.objects.get(username="ana"))
    body = Body.objects.get(slug="riverland-democratic-state-convention")
    page = client.get(f"/bodies/{body.slug}/")
    assert page.status_code == 200
    p = page.context["power"]
    assert p.method == "exact" and "at least 60% of the 1,000 weight (600)" in p.rule_words
    assert sum(m.shapley_shubik for m in p.members) == pytest.approx(1)
    d = page.context["discipline"]
    assert d.member.name == "Faith in Riverland" and d.delegates == 105  # nearest to 10%
    assert "How much power a disciplined bloc holds" in page.content.decode()
    assert page.context["power"].majority is not None  # the issue of the latest motion
    hx = client.post(f"/bodies/{body.slug}/what-if/", {"move": "us|centrist"},
                     HTTP_HX_REQUEST="true")
    assert hx.status_code == 200 and hx.context["wf"]["w"].report.majority.winning


def test_the_demo_council_shows_power_and_our_majority(client: Any, demo: None) -> None:
    client.force_login(User.objects.get(username="grace"))
    body = Body.objects.get(slug="riverton-city-council")
    page = client.get(f"/bodies/{body.slug}/")
    p = page.context["power"]
    assert [m.swings for m in p.members] == [70] * 9  # nine equal seats: C(8,4) = 70 each
    assert p.majority is not None and p.majority.issue is not None
    api = client.get(f"/api/bodies/{body.slug}/power?issue={p.majority.issue.slug}")
    assert api.status_code == 200 and api.json()["majority"]["winning"] == p.majority.winning
