"""Background tasks of the data app (run by ``broadfront worker``)."""

from __future__ import annotations

from broadfront.web.jobs.models import Job
from broadfront.web.jobs.runner import job_task


@job_task()
def import_file(job: Job, import_job_pk: int, path: str) -> None:
    """Run a stored import job (see :func:`broadfront.web.dataio.services.start_upload`).

    Running it again after a lost worker is harmless: an import is one transaction, so the
    lost attempt wrote nothing.
    """
    from broadfront.web.dataio.services import run_job

    run_job(import_job_pk, path)
