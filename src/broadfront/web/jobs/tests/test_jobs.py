"""Background jobs: queued on the database, run once by a worker, recovered when a worker is
lost, stopped when they run too long, limited per organization, and reported in words."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from broadfront import clock
from broadfront.exceptions import ConflictError
from broadfront.web.jobs import runner
from broadfront.web.jobs.models import Job, WorkerBeat
from broadfront.web.jobs.runner import job_task, recover_lost, state, submit
from broadfront.worker import Worker

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

#: What the test tasks saw, in this process.
CALLS: list[tuple[str, int]] = []


@job_task()
def remember(job: Job, value: int) -> None:
    CALLS.append(("remember", value))


@job_task()
def sleepy(job: Job, seconds: float) -> None:
    time.sleep(seconds)


@pytest.fixture
def on_database(settings: Any) -> Any:
    """Jobs wait in the database for a worker (the default outside the test suite)."""
    settings.TASKS = DATABASE
    CALLS.clear()
    return settings


def test_with_the_immediate_backend_a_job_runs_as_it_is_submitted(world: Any) -> None:
    CALLS.clear()
    job = submit(remember, 7, kind="test", organization=world.northside, actor=world.ana)
    assert CALLS == [("remember", 7)]
    assert job.status == Job.Status.DONE and job.attempts == 1
    assert job.created_by == world.ana and job.organization_id == world.northside.pk


def test_a_queued_job_waits_for_a_worker_and_says_how_many_are_ahead(
        world: Any, on_database: Any) -> None:
    first = submit(remember, 1, kind="test", organization=world.northside)
    second = submit(remember, 2, kind="test", organization=world.faith)
    mine = submit(remember, 3, kind="test", organization=world.northside)
    assert CALLS == [] and DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 3
    assert state(first).ahead == 0 and state(mine).ahead == 2
    assert "no worker is running" in state(mine).words
    runner.beat("w-1", host="here", pid=1)
    assert state(mine).words == "queued, 2 ahead of yours"
    assert state(first).words == "queued, next in line"
    assert second.task_id and DBTaskResult.objects.filter(id=second.task_id).exists()


def test_an_organization_has_at_most_three_jobs_at_once_and_a_refusal_writes_nothing(
        world: Any, on_database: Any) -> None:
    for value in range(3):
        submit(remember, value, kind="test", organization=world.northside)
    with pytest.raises(ConflictError) as err:
        submit(remember, 99, kind="test", organization=world.northside)
    assert err.value.code == "too_many_jobs" and "at most 3 at once" in str(err.value)
    assert Job.objects.count() == 3 and DBTaskResult.objects.count() == 3
    submit(remember, 4, kind="test", organization=world.faith)  # another organization may
    Job.objects.filter(organization=world.northside).update(status=Job.Status.DONE)
    submit(remember, 5, kind="test", organization=world.northside)  # one finished: room again


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_each_queued_job_once_and_signs_off(world: Any, on_database: Any) -> None:
    jobs = [submit(remember, v, kind="test", organization=None) for v in (10, 11, 12)]
    first = Worker(queues=["default"], batch=True, ident="w-first")
    first.run()
    second = Worker(queues=["default"], batch=True, ident="w-second")
    second.run()  # nothing left for it
    assert sorted(v for _, v in CALLS) == [10, 11, 12]
    for job in jobs:
        job.refresh_from_db()
        assert job.status == Job.Status.DONE and job.worker_id == "w-first"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL}
    assert not WorkerBeat.objects.exists()  # a worker that stops cleanly signs off


@pytest.mark.django_db(transaction=True)
def test_a_job_that_runs_too_long_is_stopped_and_failed_with_the_reason(
        world: Any, on_database: Any) -> None:
    job = submit(sleepy, 30, kind="test", organization=world.northside)
    started = time.monotonic()
    Worker(queues=["default"], batch=True, ident="w-slow", max_seconds=1).run()
    assert time.monotonic() - started < 20
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "stopped after" in job.error and "the longest a job may run" in job.error
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.FAILED


def _lost_running_job(world: Any, worker: str, attempts: int, now: dt.datetime) -> Job:
    job = submit(remember, 1, kind="test", organization=world.northside)
    DBTaskResult.objects.filter(id=job.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=now - dt.timedelta(minutes=5),
        worker_ids=[f"w-{k}" for k in range(attempts - 1)] + [worker])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker_id=worker,
                                         attempts=attempts,
                                         started_at=now - dt.timedelta(minutes=5))
    WorkerBeat.objects.create(worker_id=worker, started_at=now - dt.timedelta(minutes=6),
                              last_seen=now - dt.timedelta(minutes=2))
    return job


def test_a_job_whose_worker_was_lost_runs_again_once_then_fails_with_the_reason(
        world: Any, on_database: Any) -> None:
    now = clock.now()
    job = _lost_running_job(world, "w-dead", 1, now)
    report = recover_lost(now)
    assert report.retried == (job.pk,) and report.failed == ()
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "stopped before it finished" in job.error
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.READY
    assert "running it again (attempt 2 of 2)" in state(job).error

    again = _lost_running_job(world, "w-dead-again", 2, now)
    report = recover_lost(now)
    assert report.failed == (again.pk,)
    again.refresh_from_db()
    assert again.status == Job.Status.FAILED and "start it again" in again.error
    task_row = DBTaskResult.objects.get(id=again.task_id)
    assert task_row.status == TaskResultStatus.FAILED
    assert task_row.exception_class_path.endswith("WorkerLost")


def test_a_job_whose_worker_still_beats_is_left_alone(world: Any, on_database: Any) -> None:
    now = clock.now()
    job = _lost_running_job(world, "w-alive", 1, now)
    runner.beat("w-alive")
    assert recover_lost(clock.now()) == runner.Recovery((), ())
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_healthz_says_what_is_wrong(client: Any, db: Any, settings: Any) -> None:
    page = client.get("/healthz")
    assert page.status_code == 200
    assert page.json()["database"] == "ok" and page.json()["migrations"] == "ok"
    settings.TASKS = DATABASE
    page = client.get("/healthz")
    assert page.status_code == 503
    assert page.json()["workers"] == 0 and "no worker seen" in page.json()["workers_problem"]
    runner.beat("w-1")
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_scenario_run_started_from_the_page_waits_in_the_queue_then_a_worker_runs_it(
        world: Any, on_database: Any) -> None:
    from broadfront.web.scenarios import services
    from broadfront.web.scenarios.tests.fixtures import INDEPENDENT

    scenario = services.do_save_scenario(world.ana, organization=world.northside,
                                         name="queued", spec={**INDEPENDENT, "draws": 2000})
    runs = [services.start_run(world.ana, scenario, seed=s) for s in (1, 2)]
    status = services.run_status(runs[1])
    assert status.status == "queued"
    assert "no worker is running" in status.words  # nobody has started a worker yet
    runner.beat("w-1")
    assert services.run_status(runs[1]).words == "queued, 1 ahead of yours"
    with pytest.raises(ConflictError):  # a third is fine, a fourth is one too many
        for s in (3, 4):
            services.start_run(world.ana, scenario, seed=s)
    assert scenario.runs.count() == 3  # the refused run left nothing behind
    Worker(queues=["default"], batch=True, ident="w-1").run()
    for run in runs:
        run.refresh_from_db()
        assert services.run_status(run).status == "done"
    assert runs[0].result["inputs"] and 0.0 <= runs[0].p_hold <= 1.0
    # the same seed gives the same result when computed in the foreground
    again = services.do_run_scenario(world.ana, scenario, seed=1)
    assert again.p_hold == runs[0].p_hold


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or "postgres"
    return f"postgresql://{user}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_process_loses_no_job(world: Any, on_database: Any) -> None:
    """A real `broadfront worker` process is killed mid-job; the job runs again elsewhere."""
    import os
    import signal
    import subprocess
    import sys

    on_database.BROADFRONT_JOB_LEASE_SECONDS = 10
    job = submit(sleepy, 2.0, kind="test", organization=world.northside)
    env = {**os.environ, "BROADFRONT_JOB_LEASE_SECONDS": "10",
           "DATABASE_URL": _database_url()}
    env.pop("BROADFRONT_TEST_CLOCK_SHIFT_DAYS", None)
    process = subprocess.Popen([sys.executable, "-m", "broadfront.cli.main", "worker"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == Job.Status.RUNNING:
                break
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.1)
        assert job.status == Job.Status.RUNNING, "the worker process never took the job"
        lost = job.worker_id
        assert lost and WorkerBeat.objects.filter(worker_id=lost).exists()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        if process.stdout:
            process.stdout.close()
    # Within the lease nothing happens; after it, the next worker's heartbeat retries the job.
    # (Times count from the dead worker's last sign of life, its last beat or the job's start:
    # the worker process ran on the machine's clock, which the suite may have moved here.)
    job.refresh_from_db()
    last_seen = max(WorkerBeat.objects.get(worker_id=lost).last_seen, job.started_at)
    assert recover_lost(last_seen + dt.timedelta(seconds=9)) == runner.Recovery((), ())
    assert recover_lost(last_seen + dt.timedelta(seconds=11)).retried == (job.pk,)
    Worker(queues=["default"], batch=True, ident="w-rescuer").run()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2 and job.worker_id == "w-rescuer"
    assert DBTaskResult.objects.get(id=job.task_id).worker_ids == [lost, "w-rescuer"]


@pytest.mark.django_db(transaction=True)
def test_an_import_in_the_background_is_a_job_a_worker_runs(world: Any, on_database: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from broadfront.web.dataio.models import ImportJob
    from broadfront.web.dataio.services import start_upload
    from broadfront.web.organizations.models import Person

    on_database.BROADFRONT_IMPORT_IN_BACKGROUND = True
    upload = start_upload(world.ana, world.northside,
                          SimpleUploadedFile("people.csv", b"given_name,email\nZed,zed@example.org\n"),
                          format="csv", kind="people")
    assert upload.status != ImportJob.Status.DONE
    job = Job.objects.get(kind="import")
    assert job.organization_id == world.northside.pk and job.status == Job.Status.QUEUED
    Worker(queues=["default"], batch=True, ident="w-import").run()
    upload.refresh_from_db()
    job.refresh_from_db()
    assert upload.status == ImportJob.Status.DONE and job.status == Job.Status.DONE
    assert Person.objects.filter(given_name="Zed", owner=world.northside).exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_outlives_a_database_outage(world: Any, on_database: Any,
                                             monkeypatch: Any) -> None:
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResultQuerySet

    from broadfront import worker as worker_module

    monkeypatch.setattr(worker_module, "RECONNECT_SECONDS", 0.05)
    real = DBTaskResultQuerySet.get_locked
    outages = [OperationalError("server closed the connection unexpectedly")] * 2

    def flaky(self: Any) -> Any:
        if outages:
            raise outages.pop()
        return real(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", flaky)
    job = submit(remember, 42, kind="test", organization=world.northside)
    Worker(queues=["default"], batch=True, ident="w-patient").run()
    job.refresh_from_db()
    assert not outages and job.status == Job.Status.DONE and ("remember", 42) in CALLS
