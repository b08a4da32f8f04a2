"""Scenario services: specs from stored records, validated saves, reproducible runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront import clock
from broadfront.exceptions import NotFoundError, PermissionDeniedError, ValidationError
from broadfront.web.common.models import AuditEntry
from broadfront.web.scenarios import services
from broadfront.web.scenarios.models import Scenario, ScenarioRun
from broadfront.web.scenarios.tests.fixtures import BLOCS, INDEPENDENT, Council, build_council


@pytest.fixture
def council(world: Any) -> Council:
    return build_council(world)


def save(world: Any, spec: dict[str, Any], name: str = "test", **kw: Any) -> Scenario:
    return services.do_save_scenario(world.ana, organization=world.northside, name=name,
                                     spec=spec, **kw)


def test_a_body_spec_takes_seats_weights_blocs_rule_and_latest_visible_stances(
        world: Any, council: Council) -> None:
    built = services.spec_from_body(world.ana, council.body, issue=council.issue)
    assert built.spec["body"] == {
        "rule": {"kind": "quota", "quota": 3.0},
        "members": [
            {"name": "Alma Reyes", "weight": 2.0, "stance": 1, "bloc": "Progressive"},
            # Westfield's stance on Bruno is not shared with Northside: an even chance.
            {"name": "Bruno Stahl", "weight": 1.0, "p_with_us": 0.5},
            {"name": "Byron Mayorson", "weight": 1.0, "stance": -1, "bloc": "Centrist"},
        ],
        "blocs": {"Centrist": {"cohesion": 0.5}, "Progressive": {"cohesion": 0.5}},
    }
    assert built.notes[0] == ("Alma Reyes: leaning ally (+1) on Tenant protections as of "
                              f"{(clock.today() - dt.timedelta(days=10)):%d %b %Y}, "
                              "so 82% with us.")
    assert "No stance recorded on Tenant protections for Bruno Stahl" in built.notes[-1]


def test_a_member_chance_can_be_set_directly(world: Any, council: Council) -> None:
    built = services.spec_from_body(world.ana, council.body, issue=council.issue,
                                    probabilities={"Alma Reyes": 0.9})
    assert built.spec["body"]["members"][0] == {"name": "Alma Reyes", "weight": 2.0,
                                                "p_with_us": 0.9, "bloc": "Progressive"}
    with pytest.raises(ValidationError) as err:
        services.spec_from_body(world.ana, council.body, probabilities={"Nobody": 0.5})
    assert err.value.parameter == "probabilities"


def test_a_race_spec_takes_candidates_and_the_wards_of_its_city(
        world: Any, council: Council) -> None:
    built = services.spec_from_race(world.ana, council.race,
                                    shares={"Alma Reyes": 0.6, "Byron Mayorson": 0.4},
                                    turnout=0.5)
    race = built.spec["race"]
    assert race["our_candidate"] == "Alma Reyes"
    assert race["candidates"] == [{"name": "Alma Reyes"},
                                  {"name": "Byron Mayorson", "write_in": True, "counted": 0.95}]
    # 200 and 150 expected voters at a 50% turnout: 400 and 300 eligible.
    assert [(d["name"], d["voters"], d["turnout"]) for d in race["divisions"]] == [
        ("Ward 1", 400, 0.5), ("Ward 2", 300, 0.5)]
    assert race["divisions"][0]["shares"] == {"Alma Reyes": 0.6, "Byron Mayorson": 0.4}
    scenario = save(world, built.spec, race=council.race)
    run = services.do_run_scenario(world.ana, scenario, draws=2000)
    assert run.result["kind"] == "race" and 0.9 < run.p_hold <= 1


def test_independent_members_are_computed_exactly(world: Any) -> None:
    # Weights 2, 1, 1 with quota 3, each at 1/2: we hold when A and at least one of B, C
    # vote with us: 1/2 x 3/4 = 0.375.
    run = services.do_run_scenario(world.ana, save(world, INDEPENDENT))
    assert run.method == "exact"
    assert run.p_hold == pytest.approx(0.375)
    assert run.p_hold_se == 0
    assert run.result["fragile"]["A"] == pytest.approx(0.375)


def test_a_saved_scenario_reproduces_exactly_by_its_seed(world: Any) -> None:
    scenario = save(world, BLOCS, seed=11, draws=5000)
    first = services.do_run_scenario(world.ana, scenario)
    second = services.do_run_scenario(world.ana, scenario)
    assert first.method == "monte-carlo"
    assert (first.seed, first.draws) == (11, 5000)
    assert services.stored_result(first) == services.stored_result(second)
    assert services.reproduce(first).to_dict() == services.stored_result(first)
    other = services.do_run_scenario(world.ana, scenario, seed=12)
    assert other.p_hold != first.p_hold
    assert first.spec == scenario.spec and scenario.spec["seed"] == 11


def test_a_bad_spec_names_the_field_and_saves_nothing(world: Any) -> None:
    before = (Scenario.objects.count(), AuditEntry.objects.count())
    bad = {"body": {"quota": 3, "members": [{"name": "A", "p_with_us": 0.5},
                                            {"name": "B", "weight": -1, "p_with_us": 0.5}]}}
    with pytest.raises(ValidationError) as err:
        save(world, bad)
    assert err.value.parameter == "spec.body.members[1].weight"
    assert str(err.value) == "spec.body.members[1].weight: must be >= 0, got -1"
    assert (Scenario.objects.count(), AuditEntry.objects.count()) == before


def test_a_bad_update_leaves_the_stored_scenario_as_it_was(world: Any) -> None:
    scenario = save(world, INDEPENDENT)
    with pytest.raises(ValidationError) as err:
        services.do_add_shock(world.ana, scenario,
                              services.build_shock("bloc_shift", bloc="nobody", steps=-1))
    assert err.value.parameter == "spec.shocks[0].bloc"
    scenario.refresh_from_db()
    assert "shocks" not in scenario.spec


def test_shocks_are_added_in_plain_words_and_removed(world: Any) -> None:
    scenario = save(world, BLOCS)
    shock = services.build_shock("member_defects", member="B", probability=0.3)
    assert shock == {"kind": "member_defects", "probability": 0.3, "member": "B",
                     "label": "B defects with 30% chance"}
    scenario = services.do_add_shock(world.ana, scenario, shock)
    assert [s.get("label") for s in scenario.spec["shocks"]] == [None,
                                                                 "B defects with 30% chance"]
    scenario = services.do_remove_shock(world.ana, scenario, 0)
    assert [s["kind"] for s in scenario.spec["shocks"]] == ["member_defects"]


def test_members_chances_can_be_set_and_returned_to_their_stance(world: Any) -> None:
    scenario = save(world, BLOCS)
    scenario = services.do_set_probabilities(world.ana, scenario, {"C": 0.9})
    assert scenario.spec["body"]["members"][2] == {"name": "C", "weight": 1.0,
                                                   "p_with_us": 0.9, "bloc": "centre"}


def test_only_organizers_of_the_organization_save_or_run(world: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        services.do_save_scenario(world.ben, organization=world.northside, name="x",
                                  spec=INDEPENDENT)
    scenario = save(world, INDEPENDENT)
    with pytest.raises(PermissionDeniedError):
        services.do_run_scenario(world.grace, scenario)
    with pytest.raises(NotFoundError):
        services.get_scenario_for_user(world.grace, scenario.pk)
    assert ScenarioRun.objects.count() == 0


def test_two_scenarios_of_one_organization_cannot_share_a_name(world: Any) -> None:
    save(world, INDEPENDENT, name="same")
    with pytest.raises(ValidationError) as err:
        save(world, INDEPENDENT, name="same")
    assert err.value.parameter == "name"


def test_a_run_reports_progress_and_an_interrupted_run_says_so(world: Any) -> None:
    scenario = save(world, BLOCS, draws=3000)
    seen: list[tuple[int, int]] = []
    run = services.do_run_scenario(world.ana, scenario, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (3000, 3000)
    assert services.run_status(run).status == "done"
    stuck = ScenarioRun.objects.create(scenario=scenario, seed=0, draws=10, method="pending",
                                       p_hold=0, result={"status": "running", "done": 4,
                                                         "total": 10})
    assert services.run_status(stuck).status == "running"
    later = clock.now() + dt.timedelta(hours=2)
    assert services.run_status(stuck, now=later).status == "interrupted"


def test_comparison_takes_each_scenarios_latest_finished_run(world: Any) -> None:
    a = save(world, INDEPENDENT, name="a")
    b = save(world, BLOCS, name="b", draws=2000)
    services.do_run_scenario(world.ana, a)
    rows = services.compare_runs([a, b])
    assert rows[0].p_hold == pytest.approx(0.375)
    assert rows[0].most_fragile[0] == ("A", pytest.approx(0.375))
    assert rows[1].run is None and rows[1].method == "not run yet"
    assert rows[0].what_it_takes.startswith("Persuading")


def test_draws_default_to_the_engines_and_are_capped_once_for_the_web(world: Any) -> None:
    """One default (the engine's DEFAULT_DRAWS) and one web cap (MAX_WEB_DRAWS, beside the
    engine's MAX_DRAWS) for saving, for a spec's own draws and for a run."""
    from broadfront.analysis.scenarios import DEFAULT_DRAWS, MAX_DRAWS, MAX_WEB_DRAWS

    assert MAX_WEB_DRAWS < MAX_DRAWS
    assert save(world, INDEPENDENT).draws == DEFAULT_DRAWS == Scenario().draws
    over = MAX_WEB_DRAWS + 1
    for name, spec, draws in (("asked", INDEPENDENT, over),
                              ("in the file", {**INDEPENDENT, "draws": over}, None)):
        with pytest.raises(ValidationError) as err:
            save(world, spec, name=name, draws=draws)
        assert err.value.parameter == "draws" and f"{MAX_WEB_DRAWS:,}" in str(err.value)
    scenario = save(world, INDEPENDENT, name="runs")
    with pytest.raises(ValidationError) as err:
        services.do_run_scenario(world.ana, scenario, draws=over)
    assert err.value.parameter == "draws"
