"""Every bloc-building page renders on the demo coalition, with figures that add up."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from broadfront.web.campaigns.models import Campaign, Recruit, Target


@pytest.fixture
def demo(db: Any) -> Campaign:
    from broadfront.demo import load_demo

    load_demo(scale="small", seed=0)
    return Campaign.objects.get(kind="caucus_bloc")


def test_grace_plans_runs_and_proves_the_demo_campaign(client: Any, demo: Campaign) -> None:
    client.force_login(User.objects.get(username="grace"))
    dash = client.get(f"/blocs/{demo.slug}/")
    f = dash.context["f"]
    assert f.precincts == Target.objects.filter(campaign=demo).count() == 60
    assert f.recruited_total == Recruit.objects.filter(campaign=demo).exclude(
        status="dropped").count()
    assert f.n_on_track + f.n_at_risk + f.n_behind == 60
    assert "precincts expected to reach their target" in dash.content.decode()
    first = f.rows[0]
    page = client.get(f"/blocs/{demo.slug}/precincts/{first.division_id}/")
    assert page.status_code == 200 and page.context["row"].goal == first.goal
    conv = client.get(f"/blocs/{demo.slug}/convention/")
    o = conv.context["o"]
    assert o.body.slug == "riverland-democratic-state-convention"
    assert float(o.threshold) == 0.6 and o.state_seats == 1000
    assert o.roster_leverage.bloc_delegates == 105  # Faith's seat on the demo roster
    assert o.seed == 2027 and o.draws == 1000
    assert "Banzhaf" in conv.content.decode()


def test_ana_sees_the_partners_campaign_as_counts_only(client: Any, demo: Campaign) -> None:
    client.force_login(User.objects.get(username="ana"))
    f = client.get(f"/blocs/{demo.slug}/").context["f"]
    assert f.recruited_total > 0 and f.ours_total == 0
    row = f.rows[0]
    page = client.get(f"/blocs/{demo.slug}/precincts/{row.division_id}/")
    assert page.context["recruits"] == [] and page.context["squads"] == []


def test_omar_cannot_open_the_campaign(client: Any, demo: Campaign) -> None:
    client.force_login(User.objects.get(username="omar"))
    assert client.get(f"/blocs/{demo.slug}/").status_code == 404
    assert client.get(f"/blocs/{demo.slug}/convention/").status_code == 404
    assert client.get(f"/api/campaigns/{demo.slug}/progress").status_code == 404
