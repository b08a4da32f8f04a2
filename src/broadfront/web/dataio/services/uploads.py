"""Upload jobs: the upload page and the API save a file, record an :class:`ImportJob` and run
it (now, or as a background job), deleting the file when the import finishes or fails.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from broadfront import clock
from broadfront.exceptions import (
    InputFileError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from broadfront.web.common.services import require_role
from broadfront.web.common.tenancy import ROLE_ORGANIZER
from broadfront.web.dataio.services.imports import FORMATS, do_import, import_kind
from broadfront.web.organizations.models import Organization

if TYPE_CHECKING:
    from broadfront.web.common.tenancy import UserLike

#: Uploaded files wait in a temporary folder named with this prefix; :func:`run_job` deletes
#: the folder when the import finishes or fails.
UPLOAD_PREFIX = "broadfront-upload-"


def start_upload(actor: UserLike, organization: Organization, upload: Any, *, format: str,
                 kind: str, dry_run: bool = False) -> Any:
    """Save an uploaded file, create its :class:`ImportJob` and run it.

    The upload is checked and imported exactly as the CLI does. With the setting
    ``BROADFRONT_IMPORT_IN_BACKGROUND = True`` (sensible on PostgreSQL) the job is a
    background job (:mod:`broadfront.web.jobs`, run by ``broadfront worker``, which must see
    the same temporary folder) and the job page polls its progress; by default it runs before
    this returns (SQLite allows one writer at a time).
    """
    from django.conf import settings

    from broadfront.web.dataio.models import ImportJob

    require_role(actor, organization.pk, ROLE_ORGANIZER)
    if format not in FORMATS:
        raise ValidationError(f"format must be one of {', '.join(FORMATS)}, got {format!r}",
                              parameter="format")
    import_kind(format, kind)
    name = Path(getattr(upload, "name", "upload") or "upload").name
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    path = folder / name
    try:
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job = ImportJob.objects.create(organization=organization, user_id=actor.pk, format=format,
                                       kind=kind, source_name=name[:300], dry_run=dry_run)
    except BaseException:
        _discard_upload(str(path))
        raise
    if settings.BROADFRONT_IMPORT_IN_BACKGROUND:
        from broadfront.web.dataio.tasks import import_file
        from broadfront.web.jobs.runner import submit

        try:
            submit(import_file, job.pk, str(path), kind="import", organization=organization,
                   actor=actor, label=f"import of {name}"[:200])
        except BaseException:
            _discard_upload(str(path))
            raise
    else:
        run_job(job.pk, str(path))
    job.refresh_from_db()
    return job


def run_job(job_pk: int, path: str, token: str | None = None) -> None:
    """Run a stored :class:`ImportJob`, recording progress in the cache and the report."""
    from django.core.cache import cache

    from broadfront.web.dataio.models import ImportJob

    try:
        job = ImportJob.objects.select_related("organization", "user").get(pk=job_pk)
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status"])

        def progress(stage: str, done: int) -> None:
            cache.set(f"dataio-job-{job_pk}", {"stage": stage, "done": done}, 3600)

        try:
            report = do_import(job.user, job.organization, path, format=job.format,
                               kind=job.kind, dry_run=job.dry_run, token=token,
                               progress=progress)
        except (InputFileError, ValidationError, NotFoundError, PermissionDeniedError) as exc:
            job.status, job.error = ImportJob.Status.FAILED, str(exc)
        except Exception as exc:  # a bug, not a bad file: still tell the user, keep it honest
            job.status, job.error = ImportJob.Status.FAILED, f"unexpected error: {exc}"
        else:
            job.status, job.report = (ImportJob.Status.DONE,
                                      json.loads(json.dumps(report.as_dict())))
        job.finished_at = clock.now()
        job.save(update_fields=["status", "error", "report", "finished_at"])
    finally:
        _discard_upload(path)


def _discard_upload(path: str) -> None:
    """Delete an uploaded file once its import finished or failed (and its own temp folder)."""
    import shutil

    file = Path(path)
    if file.parent.name.startswith(UPLOAD_PREFIX) and \
            file.parent.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(file.parent, ignore_errors=True)
    else:
        file.unlink(missing_ok=True)


def job_progress(job: Any) -> dict[str, Any]:
    """The stage and records done of a running job (from the cache)."""
    from django.core.cache import cache

    return cache.get(f"dataio-job-{job.pk}") or {"stage": "waiting", "done": 0}
