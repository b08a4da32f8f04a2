"""How a race is counted: the rule and the transfers through the service, the pages and the API.

Riverton's mayoral race gets a third candidate, Bruno Stahl. Byron Mayorson leads on first
choices (42% intended, 95% of it counted as a write-in: 39.9%) over Alma Reyes (ours, 38%);
Bruno's 20% mostly rank Alma next. Under plurality Alma usually loses; under ranked-choice
voting or a top-two runoff Bruno is out first and 90% of his voters (18 points) carry her.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from broadfront.exceptions import PermissionDeniedError, ValidationError
from broadfront.web.campaigns.models import Candidate
from broadfront.web.common.models import AuditEntry
from broadfront.web.scenarios import services
from broadfront.web.scenarios.models import Scenario
from broadfront.web.scenarios.tests.fixtures import Council, build_council

SHARES = {"Alma Reyes": 0.38, "Byron Mayorson": 0.42, "Bruno Stahl": 0.20}
TRANSFERS = {"Bruno Stahl": {"Alma Reyes": 0.9, "Byron Mayorson": 0.05}}


@pytest.fixture(autouse=True)
def _runs_inline(settings: Any) -> None:
    settings.BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND = False


@pytest.fixture
def council(world: Any) -> Council:
    c = build_council(world)
    Candidate.objects.create(campaign=c.race, person=c.bruno)
    return c


def race_scenario(world: Any, council: Council, rule: str = "plurality",
                  **kw: Any) -> Scenario:
    built = services.spec_from_race(world.ana, council.race, shares=SHARES, rule=rule, **kw)
    return services.do_save_scenario(world.ana, organization=world.northside, name=rule,
                                     spec=built.spec, race=council.race, seed=4, draws=4000)


# --------------------------------------------------------------------------- services


def test_the_rule_and_transfers_go_into_the_spec_and_decide_the_race(
        world: Any, council: Council) -> None:
    plural = race_scenario(world, council)
    assert "rule" not in plural.spec["race"] and "transfers" not in plural.spec["race"]
    rcv = race_scenario(world, council, "instant_runoff", transfers=TRANSFERS)
    assert rcv.spec["race"]["rule"] == "instant_runoff"
    assert rcv.spec["race"]["transfers"] == TRANSFERS
    lost = services.do_run_scenario(world.ana, plural)
    won = services.do_run_scenario(world.ana, rcv)
    assert lost.p_hold < 0.5 < 0.95 < won.p_hold
    assert "runoff" not in lost.result
    assert won.result["runoff"]["rule"] == "instant_runoff"
    assert won.result["runoff"]["p_more_rounds"] > 0.95
    assert services.runoff_words(lost.result) == ""
    assert services.runoff_words(won.result).startswith(
        "Counted by ranked-choice voting (instant runoff): the count goes to more than one "
        "round in ")


def test_without_transfers_the_builder_says_eliminated_votes_exhaust(
        world: Any, council: Council) -> None:
    built = services.spec_from_race(world.ana, council.race, shares=SHARES, rule="top_two")
    assert built.spec["race"]["rule"] == "top_two"
    assert any("rank nobody else" in n for n in built.notes)
    with pytest.raises(ValidationError) as err:
        services.spec_from_race(world.ana, council.race, rule="borda")
    assert err.value.parameter == "rule"


def test_setting_the_rule_saves_through_the_engine_and_a_bad_share_saves_nothing(
        world: Any, council: Council) -> None:
    s = race_scenario(world, council)
    services.do_set_race_rule(world.ana, s, rule="top_two", transfers=TRANSFERS,
                              transfer_sd=0.1)
    s.refresh_from_db()
    assert (s.spec["race"]["rule"], s.spec["race"]["transfers"], s.spec["race"]["transfer_sd"]) \
        == ("top_two", TRANSFERS, 0.1)
    before = (json.dumps(s.spec), AuditEntry.objects.count())
    for transfers, sd, field in (
        ({"Bruno Stahl": {"Alma Reyes": 0.9, "Byron Mayorson": 0.2}}, 0.0,
         "spec.race.transfers.Bruno Stahl"),
        ({"Bruno Stahl": {"Nobody": 0.5}}, 0.0, "spec.race.transfers.Bruno Stahl.Nobody"),
        ({"Bruno Stahl": {"Alma Reyes": -0.1}}, 0.0, "spec.race.transfers.Bruno Stahl.Alma Reyes"),
        (TRANSFERS, 0.7, "spec.race.transfer_sd"),
    ):
        with pytest.raises(ValidationError) as err:
            services.do_set_race_rule(world.ana, s, rule="instant_runoff", transfers=transfers,
                                      transfer_sd=sd)
        assert err.value.parameter == field
    s.refresh_from_db()
    assert (json.dumps(s.spec), AuditEntry.objects.count()) == before
    services.do_set_race_rule(world.ana, s, rule="plurality", transfers={})
    s.refresh_from_db()
    assert not {"rule", "transfers", "transfer_sd"} & set(s.spec["race"])


def test_only_organizers_set_the_rule_and_only_of_a_race(world: Any, council: Council) -> None:
    s = race_scenario(world, council)
    with pytest.raises(PermissionDeniedError):
        services.do_set_race_rule(world.ben, s, rule="top_two", transfers={})
    body = services.do_save_scenario(
        world.ana, organization=world.northside, name="body",
        spec={"body": {"quota": 1, "members": [{"name": "A", "p_with_us": 0.5}]}})
    with pytest.raises(ValidationError) as err:
        services.do_set_race_rule(world.ana, body, rule="top_two", transfers={})
    assert err.value.parameter == "rule"


# --------------------------------------------------------------------------- pages


def test_ana_chooses_ranked_choice_in_the_builder_and_sets_the_transfer_table(
        client: Any, world: Any, council: Council) -> None:
    client.force_login(world.ana)
    pks = {str(c.person): c.pk for c in council.race.candidates.select_related("person")}
    response = client.post("/scenarios/new/", {
        "organization": "northside", "name": "RCV mayor", "source": "race",
        "race": council.race.slug, "rule": "instant_runoff", "turnout": "50",
        **{f"share_{pks[n]}": str(100 * v) for n, v in SHARES.items()},
        "draws": "3000", "seed": "2"})
    s = Scenario.objects.get(name="RCV mayor")
    assert response.status_code == 302 and s.spec["race"]["rule"] == "instant_runoff"
    page = client.get(f"/scenarios/{s.pk}/")
    d = page.context["d"]
    html = page.content.decode()
    assert d.race_rule == "instant_runoff" and "Ranked-choice voting (instant runoff): until" in html
    # candidates in the race's order: Alma (0), Byron (1), Bruno (2); no box on the diagonal
    assert [src for _, src, _ in d.transfers] == ["Alma Reyes", "Byron Mayorson", "Bruno Stahl"]
    assert 'name="t_2_0"' in html and 'name="t_2_2"' not in html
    response = client.post(f"/scenarios/{s.pk}/counting/", {
        "rule": "instant_runoff", "t_2_0": "90", "t_2_1": "5", "t_0_1": "", "transfer_sd": "0"})
    assert response.status_code == 302 and response.url.endswith("#counting")
    s.refresh_from_db()
    assert s.spec["race"]["transfers"] == {"Bruno Stahl": {"Alma Reyes": 0.9,
                                                           "Byron Mayorson": 0.05}}
    page = client.get(f"/scenarios/{s.pk}/").content.decode()
    assert 'name="t_2_0"' in page and 'value="90"' in page
    run = client.post(f"/scenarios/{s.pk}/run/", {"draws": "3000", "seed": "2", "target": "80"},
                      HTTP_HX_REQUEST="true")
    rv = run.context["rv"]
    assert rv.runoff.startswith("Counted by ranked-choice voting (instant runoff)")
    assert "our candidate has" in run.content.decode() and rv.run.p_hold > 0.95


def test_a_bad_transfer_is_named_and_nothing_is_saved(client: Any, world: Any,
                                                      council: Council) -> None:
    client.force_login(world.ana)
    s = race_scenario(world, council, "top_two", transfers=TRANSFERS)
    response = client.post(f"/scenarios/{s.pk}/counting/", {
        "rule": "top_two", "t_2_0": "90", "t_2_1": "20"})
    assert response.status_code == 400
    assert ("spec.race.transfers.Bruno Stahl: shares of &#x27;Bruno Stahl&#x27; add up to 1.1, "
            "more than 1") in response.content.decode()
    response = client.post(f"/scenarios/{s.pk}/counting/", {"rule": "top_two", "t_2_0": "lots"})
    assert response.status_code == 400 and "t_2_0 must be a percentage" in \
        response.content.decode()
    s.refresh_from_db()
    assert s.spec["race"]["transfers"] == TRANSFERS


def test_ben_a_viewer_sees_the_rule_but_cannot_change_it(client: Any, world: Any,
                                                         council: Council) -> None:
    s = race_scenario(world, council, "top_two", transfers=TRANSFERS)
    client.force_login(world.ben)
    page = client.get(f"/scenarios/{s.pk}/").content.decode()
    assert "Top-two runoff: a candidate" in page and "Bruno Stahl → Alma Reyes: 90%" in page
    assert 'name="t_2_0"' not in page
    assert client.post(f"/scenarios/{s.pk}/counting/", {"rule": "plurality"}).status_code == 403
    s.refresh_from_db()
    assert s.spec["race"]["rule"] == "top_two"


# --------------------------------------------------------------------------- API


def test_the_api_builds_a_top_two_race_and_its_run_reports_the_runoff(
        client: Any, world: Any, council: Council) -> None:
    client.force_login(world.ana)
    created = client.post("/api/scenarios", json.dumps({
        "organization": "northside", "name": "Top two", "race": council.race.slug,
        "shares": SHARES, "rule": "top_two", "transfers": TRANSFERS, "seed": 1, "draws": 2000}),
        content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["spec"]["race"]["rule"] == "top_two"
    run = client.post(f"/api/scenarios/{created.json()['id']}/run", "{}",
                      content_type="application/json").json()
    assert run["result"]["runoff"]["rule"] == "top_two" and run["p_hold"] > 0.95
    bad = client.post("/api/scenarios", json.dumps({
        "organization": "northside", "name": "Bad", "race": council.race.slug,
        "rule": "instant_runoff", "transfers": {"Bruno Stahl": {"Alma Reyes": 2}}}),
        content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "spec.race.transfers.Bruno Stahl"
