"""Submit, run, watch and recover background jobs: the one job runner.

Long work (a scenario run, an import) is a task on Django's task API (the ``django-tasks``
backport of ``django.tasks``, DEP 14). The default backend is ``django_tasks_db``: tasks are
rows in the database, so the demo needs no other server, and any number of ``broadfront
worker`` processes on any number of machines share one PostgreSQL database (a worker claims
a task with ``SELECT ... FOR UPDATE SKIP LOCKED``, so each runs once). The test suite uses
the immediate backend (a task runs as it is submitted) unless a test asks for the database.

Beside each task a :class:`~broadfront.web.jobs.models.Job` row says who asked, for which
organization, and where the job stands in words. Workers beat every
:data:`HEARTBEAT_SECONDS`; a running job whose worker has not been seen for the lease
(:func:`lease`) is retried once, then failed with the reason (:func:`recover_lost`). A job
running longer than :func:`max_run_seconds` is stopped and failed with that reason. An
organization has at most :func:`max_jobs_per_organization` jobs queued or running at once.

References
----------
C. Smith, "DEP 14: Background workers", Django Enhancement Proposals, 2024.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django_tasks import TaskContext, task

from broadfront import clock
from broadfront.exceptions import BroadfrontError, ConflictError
from broadfront.web.jobs.models import Job, WorkerBeat

log = logging.getLogger(__name__)

#: Seconds between two heartbeats of a worker.
HEARTBEAT_SECONDS = 5.0
#: Attempts of a job whose worker is lost before it is failed (the first run included).
MAX_ATTEMPTS = 2

_F = TypeVar("_F", bound=Callable[..., Any])


class JobTimeout(Exception):  # noqa: N818 - the name says what happened
    """Raised inside a job that ran longer than the maximum run time."""


class WorkerLost(Exception):  # noqa: N818
    """Recorded on a task whose worker stopped (killed, machine lost) before it finished."""


def lease() -> dt.timedelta:
    """How long a worker may go unseen before its running jobs are taken as lost."""
    return dt.timedelta(seconds=settings.BROADFRONT_JOB_LEASE_SECONDS)


def max_run_seconds() -> int:
    """The longest a job may run before it is stopped and failed."""
    return int(settings.BROADFRONT_JOB_MAX_SECONDS)


def max_jobs_per_organization() -> int:
    """How many jobs one organization may have queued or running at once."""
    return int(settings.BROADFRONT_JOBS_PER_ORGANIZATION)


def uses_workers() -> bool:
    """True when tasks wait for a worker (the database backend), false when they run at once."""
    backend = str(getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", ""))
    return not backend.endswith("ImmediateBackend")


# --- defining and submitting ---------------------------------------------------------------


def job_task(*, queue_name: str = "default") -> Callable[[_F], Any]:
    """Make ``f(job, *args)`` a task that keeps its :class:`Job` row up to date.

    The task is called with the job's id; it marks the job running (with the worker and the
    attempt), calls ``f`` with the job, and marks it done, or failed with the reason. A job
    already done is not run again, so a retried task is harmless.
    """

    def decorate(f: _F) -> Any:
        @functools.wraps(f)
        def wrapper(context: TaskContext, job_id: int, *args: Any, **kwargs: Any) -> None:
            job = Job.objects.filter(pk=job_id).first()
            if job is None or job.status in (Job.Status.DONE, Job.Status.FAILED):
                return  # deleted meanwhile, or finished by an earlier attempt
            workers = list(getattr(context.task_result, "worker_ids", []) or [])
            Job.objects.filter(pk=job_id).update(
                status=Job.Status.RUNNING, started_at=clock.now(),
                worker_id=(workers[-1] if workers else "")[:64],
                attempts=max(1, int(getattr(context, "attempt", 1) or 1)))
            job.refresh_from_db()
            try:
                f(job, *args, **kwargs)
            except JobTimeout:
                _finish(job_id, Job.Status.FAILED,
                        f"stopped after {max_run_seconds():,} s, the longest a job may run")
                raise
            except BroadfrontError as exc:
                _finish(job_id, Job.Status.FAILED, str(exc))
            except Exception as exc:
                log.exception("job %s (%s) failed", job_id, job.kind)
                _finish(job_id, Job.Status.FAILED, f"unexpected error: {exc}")
                raise
            else:
                _finish(job_id, Job.Status.DONE, "")

        # The task is found again by its module path: it takes the wrapped function's name,
        # but its own signature (context first), which the task API checks.
        del wrapper.__wrapped__  # type: ignore[attr-defined]
        return task(takes_context=True, queue_name=queue_name)(wrapper)

    return decorate


def _finish(job_id: int, status: str, error: str) -> None:
    Job.objects.filter(pk=job_id).update(status=status, error=error[:2000],
                                         finished_at=clock.now())


def submit(job_task_: Any, *args: Any, kind: str, organization: Any = None, actor: Any = None,
           label: str = "", counted: bool = True) -> Job:
    """Queue a job of ``organization`` and return its row.

    ``counted=False`` queues a job that does not count against the organization's limit:
    the second and later chunks of one piece of work (a sweep) whose first chunk counted.

    Raises
    ------
    ConflictError
        If the organization already has :func:`max_jobs_per_organization` jobs queued or
        running (code ``too_many_jobs``).
    """
    org_id = getattr(organization, "pk", organization)
    limit = max_jobs_per_organization()
    with transaction.atomic():
        if org_id is not None and counted:
            active = Job.objects.select_for_update().filter(
                organization_id=org_id, counted=True,
                status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
            count = len(list(active.values_list("pk", flat=True)))
            if count >= limit:
                raise ConflictError(
                    f"{count} jobs of this organization are already queued or running (at "
                    f"most {limit} at once); start this one when one of them has finished",
                    code="too_many_jobs")
        user = actor if getattr(actor, "is_authenticated", False) else None
        job = Job.objects.create(kind=kind, label=label[:200], organization_id=org_id,
                                 created_by=user, created_at=clock.now(), counted=counted)
        result = job_task_.enqueue(job.pk, *args)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


# --- watching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobState:
    """Where a job stands, for a page: ``queued`` (with how many are ahead), ``running``,
    ``done`` or ``failed`` (with the reason), and whether any worker is running at all."""

    status: str
    ahead: int
    error: str
    attempts: int
    workers: int

    @property
    def words(self) -> str:
        if self.status == Job.Status.QUEUED:
            if self.workers == 0:
                return ("queued; no worker is running, so it waits until one starts "
                        "(a site operator starts one with `broadfront worker`)")
            if self.ahead:
                return f"queued, {self.ahead:,} ahead of yours"
            return "queued, next in line"
        if self.status == Job.Status.FAILED:
            return f"failed: {self.error}"
        return str(self.status)


def workers_seen(now: dt.datetime | None = None) -> int:
    """Workers that beat within the lease."""
    now = now or clock.now()
    return WorkerBeat.objects.filter(last_seen__gte=now - lease()).count()


def state(job: Job, now: dt.datetime | None = None) -> JobState:
    """Where ``job`` stands now."""
    job.refresh_from_db()
    ahead = 0
    if job.status == Job.Status.QUEUED:
        ahead = Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=job.created_at) \
            .count() + Job.objects.filter(status=Job.Status.QUEUED, created_at=job.created_at,
                                          pk__lt=job.pk).count()
    workers = workers_seen(now) if uses_workers() else 1
    return JobState(status=job.status, ahead=ahead, error=job.error, attempts=job.attempts,
                    workers=workers)


# --- recovering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover_lost` did: the jobs it queued again and the jobs it failed."""

    retried: tuple[int, ...]
    failed: tuple[int, ...]


def recover_lost(now: dt.datetime | None = None) -> Recovery:
    """Retry or fail the running jobs whose worker has not been seen for the lease.

    A job whose worker is lost is queued again while it has had fewer than
    :data:`MAX_ATTEMPTS` attempts, and failed with the reason otherwise; its task in the
    queue follows (``READY`` again, or ``FAILED`` with :class:`WorkerLost`).
    """
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or clock.now()
    cutoff = now - lease()
    alive = set(WorkerBeat.objects.filter(last_seen__gte=cutoff)
                .values_list("worker_id", flat=True))
    retried: list[int] = []
    failed: list[int] = []
    with transaction.atomic():
        running = Job.objects.select_for_update(skip_locked=True).filter(
            status=Job.Status.RUNNING, started_at__lt=cutoff)
        for job in running:
            if job.worker_id in alive:
                continue
            task_row = DBTaskResult.objects.filter(id=job.task_id).first() \
                if job.task_id else None
            if job.attempts < MAX_ATTEMPTS:
                reason = (f"its worker {job.worker_id or '(unknown)'} stopped before it "
                          f"finished; running it again (attempt {job.attempts + 1} of "
                          f"{MAX_ATTEMPTS})")
                Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, error=reason,
                                                     worker_id="", started_at=None)
                if task_row is not None:
                    DBTaskResult.objects.filter(pk=task_row.pk).update(
                        status=TaskResultStatus.READY, started_at=None)
                retried.append(job.pk)
            else:
                reason = (f"its worker stopped before it finished ({job.attempts} attempts, "
                          "the most we make); start it again")
                Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=reason,
                                                     finished_at=now)
                if task_row is not None:
                    DBTaskResult.objects.filter(pk=task_row.pk).update(
                        status=TaskResultStatus.FAILED, finished_at=now,
                        exception_class_path=f"{__name__}.WorkerLost", traceback=reason)
                failed.append(job.pk)
    if retried or failed:
        log.warning("lost workers: retried jobs %s, failed jobs %s", retried, failed)
    return Recovery(tuple(retried), tuple(failed))


def beat(worker_id: str, *, host: str = "", pid: int = 0, queues: str = "") -> None:
    """Record that ``worker_id`` is alive now."""
    now = clock.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(last_seen=now)
    if not updated:
        WorkerBeat.objects.create(worker_id=worker_id, host=host[:200], pid=pid,
                                  queues=queues[:200], started_at=now, last_seen=now)


def forget_worker(worker_id: str) -> None:
    """A worker that stops cleanly says so (its beat row goes)."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()
