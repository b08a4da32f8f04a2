"""REST API of "Bodies and power": POST /api/power (the CLI's JSON) and a stored body's power."""

from __future__ import annotations

import json
from typing import Any

import pytest

from broadfront.web.landscape.models import Body


def post(client: Any, data: Any) -> Any:
    raw = data if isinstance(data, str) else json.dumps(data)
    return client.post("/api/power", raw, content_type="application/json")


@pytest.fixture
def ana(client: Any, world: Any) -> Any:
    client.force_login(world.ana)
    return client


def test_power_of_three_seats_3_2_2_with_quota_4(ana: Any) -> None:
    r = post(ana, {"names": ["A", "B", "C"], "weights": [3, 2, 2], "quota": 4})
    assert r.status_code == 200
    out = r.json()
    assert out["players"] == ["A", "B", "C"] and out["weights"] == [3, 2, 2]
    assert out["banzhaf_swings"] == [2, 2, 2]
    assert out["banzhaf"] == pytest.approx([1 / 3] * 3)
    assert out["banzhaf_absolute"] == pytest.approx([0.5] * 3)  # 2 swings of 4 coalitions
    assert out["shapley_shubik"] == pytest.approx([1 / 3] * 3)
    assert out["method"] == "exact" and out["methods"] == {"banzhaf": "exact",
                                                           "shapley_shubik": "exact"}


def test_power_matches_the_cli_json_for_a_double_majority(ana: Any, tmp_path: Any) -> None:
    """The documented example of docs/power.md: 3 of 4 members and 65% of the population."""
    from typer.testing import CliRunner

    from broadfront.cli.main import app

    game = {"names": ["North", "South", "East", "West"], "weights": [1, 1, 1, 1], "quota": 3,
            "conditions": [{"weights": [420, 310, 150, 120], "quota_fraction": 0.65}]}
    path = tmp_path / "double.json"
    path.write_text(json.dumps(game))
    cli = CliRunner().invoke(app, ["power", str(path), "--index", "holler", "--index",
                                   "coleman", "--json"])
    assert cli.exit_code == 0, cli.output
    api = post(ana, {**game, "index": ["holler", "coleman"]}).json()
    assert api == json.loads(cli.output)
    assert api["banzhaf_swings"] == [4, 2, 2, 2] and api["coleman"]["act"] == 0.25


def test_sampling_reports_its_samples_and_standard_errors(ana: Any) -> None:
    out = post(ana, {"weights": [3, 2, 2], "quota": 4, "method": "sample", "samples": 2000,
                     "seed": 1}).json()
    assert out["method"] == "sample" and out["samples"] == 2000
    assert len(out["standard_errors"]["shapley_shubik"]) == 3
    again = post(ana, {"weights": [3, 2, 2], "quota": 4, "method": "sample", "samples": 2000,
                       "seed": 1}).json()
    assert again["shapley_shubik"] == out["shapley_shubik"]  # same seed, same estimate


@pytest.mark.parametrize(("data", "field"), [
    ({"weights": [1, 2, 3], "quota": 7}, "quota"),
    ({"weights": [1, 2, 3]}, "quota"),
    ({"weights": [1, -2, 3], "quota": 2}, "weights"),
    ({"weights": [], "quota": 2}, "weights"),
    ({"weights": [1, 2], "quota_fraction": 0}, "quota_fraction"),
    ({"weights": [1, 2], "quota": "half"}, "quota"),
    ({"weights": [1, 2], "quota": 2, "names": ["a", "a"]}, "names"),
    ({"weights": [1, 2], "quota": 2, "conditions": {"weights": [1]}}, "conditions"),
    ({"weights": [1, 2], "quota": 2, "conditions": [{"weights": [1, 1], "quota": 3}]},
     "conditions[0].quota"),
    ({"weights": [1, 2], "quota": 2, "index": ["gini"]}, "index"),
    ({"weights": [1, 2], "quota": 2, "method": "guess"}, "method"),
    ({"weights": [1, 2], "quota": 2, "samples": 0}, "samples"),
    ({"weights": [1, 2], "quota": 2, "seed": -1}, "seed"),
    ([1, 2, 3], "weights"),
])
def test_bad_input_answers_400_naming_the_field(ana: Any, data: Any, field: str) -> None:
    r = post(ana, data)
    assert r.status_code == 400, r.json()
    assert r.json()["field"] == field and r.json()["code"] == "invalid"


def test_a_body_that_is_not_json_answers_400(ana: Any) -> None:
    r = post(ana, "{weights: [1, 2]")
    assert r.status_code == 400 and r.json()["field"] == "body"


def test_an_exact_computation_beyond_reach_answers_422_too_large(ana: Any) -> None:
    """25 players with weights that are no short decimals: exact would enumerate 2^25."""
    weights = [1 / (k + 3) for k in range(25)]
    r = post(ana, {"weights": weights, "quota_fraction": 0.5, "method": "exact"})
    assert r.status_code == 422 and r.json()["code"] == "too_large"
    auto = post(ana, {"weights": weights, "quota_fraction": 0.5, "samples": 1000, "seed": 0})
    assert auto.status_code == 200 and auto.json()["method"] == "sample"


def test_the_api_needs_a_login_or_a_token(client: Any, world: Any) -> None:
    assert post(client, {"weights": [1], "quota": 1}).status_code == 401


def test_a_stored_body_answers_its_power_and_pivotal_members(ana: Any, null_body: Body) -> None:
    out = ana.get(f"/api/bodies/{null_body.slug}/power").json()
    assert [m["banzhaf_swings"] for m in out["members"]] == [2, 2, 0]
    assert out["no_power"] == ["C MemberNull"] and out["veto"] == ["A MemberNull",
                                                                  "B MemberNull"]
    assert out["pivotal"] == ["A MemberNull", "B MemberNull"]
    assert out["rule"]["kind"] == "quota" and out["rule"]["quota"] == 6
    assert out["method"] == "exact" and out["majority"] is None


def test_a_stored_body_answers_the_robustness_of_our_majority(ana: Any, council: Any) -> None:
    body, issue = council
    mj = ana.get(f"/api/bodies/{body.slug}/power?issue={issue.slug}").json()["majority"]
    assert mj["winning"] and (mj["size"], mj["count"]) == (2, 15) and mj["weight"] == 6
    assert [n[0] for n in mj["members"]] == list("ABCDEF")


def test_an_outsider_reads_the_public_body_with_its_own_stances_only(client: Any, world: Any,
                                                                     council: Any) -> None:
    body, issue = council
    client.force_login(world.omar)
    mj = client.get(f"/api/bodies/{body.slug}/power?issue={issue.slug}").json()["majority"]
    assert [n[0] for n in mj["members"]] == ["I"] and not mj["winning"]


def test_unknown_bodies_and_issues_answer_4xx_json(ana: Any, council: Any) -> None:
    body, _ = council
    missing = ana.get("/api/bodies/nope/power")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    bad = ana.get(f"/api/bodies/{body.slug}/power?issue=nope")
    assert bad.status_code == 400 and bad.json()["field"] == "issue"
    method = ana.get(f"/api/bodies/{body.slug}/power?method=guess")
    assert method.status_code == 400 and method.json()["field"] == "method"
