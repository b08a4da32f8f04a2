"""Background tasks of the scenarios app (run by ``broadfront worker``)."""

from __future__ import annotations

from broadfront.web.jobs.models import Job
from broadfront.web.jobs.runner import job_task


@job_task()
def run_scenario(job: Job, run_pk: int) -> None:
    """Compute a stored pending run (see :func:`broadfront.web.scenarios.services.start_run`).

    Running it twice is harmless: the same stored spec, seed and draws give the same result.
    """
    from broadfront.web.scenarios.services import execute_run

    execute_run(run_pk)


@job_task()
def run_sweep_chunk(job: Job, sweep_pk: int, start: int, stop: int) -> None:
    """Compute one chunk of a sweep (see :func:`broadfront.web.scenarios.sweeps.do_start_sweep`).

    Running it twice is harmless: the chunk's points are the same and replace themselves.
    """
    from broadfront.web.scenarios.sweeps import run_chunk

    run_chunk(sweep_pk, start, stop)
