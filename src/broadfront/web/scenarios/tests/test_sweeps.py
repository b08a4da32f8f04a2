"""Sweeps from the web: split into background jobs, gathered, the same on any number of
workers, visible to the scenario's organization only."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.analysis import scenarios as engine
from broadfront.analysis.scenarios.sweep import run_sweep
from broadfront.exceptions import PermissionDeniedError, ValidationError
from broadfront.web.jobs.models import Job
from broadfront.web.scenarios import services, sweeps
from broadfront.web.scenarios.models import ScenarioSweep
from broadfront.web.scenarios.tests.fixtures import BLOCS
from broadfront.worker import Worker

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _scenario(world: Any) -> Any:
    return services.do_save_scenario(world.ana, organization=world.northside, name="blocs",
                                     spec=BLOCS)


def test_a_sweep_gives_the_engines_numbers_and_names_what_breaks_it(world: Any) -> None:
    s = _scenario(world)
    sweep = sweeps.do_start_sweep(world.ana, s, draws=2000, seed=5)
    assert sweep.status == ScenarioSweep.Status.DONE  # immediate jobs in the test suite
    expected = run_sweep(engine.Scenario.from_dict(s.spec), draws=2000, seed=5)
    assert sweep.result == expected.to_dict()
    assert sweep.total == len(expected.points) and sweep.chunks == min(8, sweep.total)
    assert Job.objects.filter(kind="scenario-sweep").count() == sweep.chunks


@pytest.mark.django_db(transaction=True)
def test_the_same_sweep_on_one_chunk_or_three_with_a_real_worker_gives_the_same_numbers(
        world: Any, settings: Any) -> None:
    settings.TASKS = DATABASE
    s = _scenario(world)
    one = sweeps.do_start_sweep(world.ana, s, draws=1500, seed=9, chunks=1)
    three = sweeps.do_start_sweep(world.ana, s, draws=1500, seed=9, chunks=3)
    assert one.status == three.status == ScenarioSweep.Status.RUNNING
    assert sweeps.sweep_view(three).done == 0
    # three chunks count once against the organization's limit of jobs at once
    assert Job.objects.filter(organization=world.northside, counted=True).count() == 2
    Worker(queues=["default"], batch=True, ident="w-sweep").run()
    one.refresh_from_db()
    three.refresh_from_db()
    assert one.status == three.status == ScenarioSweep.Status.DONE
    assert one.result == three.result and one.result["base"]["index"] == 0


def test_only_organizers_of_the_scenario_may_sweep_and_see_it(world: Any, client: Any) -> None:
    s = _scenario(world)
    with pytest.raises(PermissionDeniedError):
        sweeps.do_start_sweep(world.ben, s)
    with pytest.raises(ValidationError) as err:
        sweeps.do_start_sweep(world.ana, s, draws=10**9)
    assert err.value.parameter == "draws"
    assert not ScenarioSweep.objects.exists()
    client.force_login(world.ana)
    page = client.post(f"/scenarios/{s.pk}/sweep/", {"draws": "1000", "seed": "2"})
    sweep = ScenarioSweep.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/scenarios/sweeps/{sweep.pk}/"
    shown = client.get(page["Location"]).content.decode()
    assert "What breaks it" in shown and "chance we hold" in shown
    assert "votes against us" in shown
    client.force_login(world.omar)
    assert client.get(f"/scenarios/sweeps/{sweep.pk}/").status_code == 404
    assert client.post(f"/scenarios/{s.pk}/sweep/", {"draws": "1000"}).status_code == 404
    assert ScenarioSweep.objects.count() == 1
