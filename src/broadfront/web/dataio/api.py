"""API endpoints: upload an import (or a dry run), follow its progress, export records.

The lead mounts ``router`` on the project API at ``/api/``; paths start with ``/data/``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from broadfront.exceptions import NotFoundError
from broadfront.web.dataio import services
from broadfront.web.dataio.models import ImportJob
from broadfront.web.organizations.services import get_organization_for_user

router = Router(tags=["data"])


class ImportJobOut(Schema):
    id: int
    organization: str
    format: str
    kind: str
    source_name: str
    dry_run: bool
    status: str
    progress: dict[str, Any]
    report: dict[str, Any]
    error: str


def _job_out(job: ImportJob) -> dict[str, Any]:
    return {"id": job.pk, "organization": job.organization.slug, "format": job.format,
            "kind": job.kind, "source_name": job.source_name, "dry_run": job.dry_run,
            "status": job.status, "progress": services.job_progress(job), "report": job.report,
            "error": job.error}


@router.post("/data/imports", response={201: ImportJobOut})
def create_import(request: HttpRequest, file: UploadedFile = File(...),
                  organization: str = Form(...), format: str = Form(...),
                  kind: str = Form("people"), dry_run: bool = Form(False)) -> Any:
    """Upload a file and import it (validated first; nothing written on any error)."""
    org = get_organization_for_user(request.user, organization)
    job = services.start_upload(request.user, org, file, format=format, kind=kind,
                                dry_run=dry_run)
    return Status(201, _job_out(job))


@router.get("/data/imports/{job_id}", response=ImportJobOut)
def get_import(request: HttpRequest, job_id: int) -> dict[str, Any]:
    job = ImportJob.objects.visible_to(request.user).select_related("organization") \
        .filter(pk=job_id).first()
    if job is None:
        raise NotFoundError(f"import {job_id} not found")
    return _job_out(job)


@router.get("/data/exports")
def export(request: HttpRequest, organization: str, format: str = "csv",
           kind: str = "people") -> FileResponse:
    """Download an organization's people, events or attendance (CSV) or public bodies."""
    org = get_organization_for_user(request.user, organization)
    folder = Path(tempfile.mkdtemp(prefix="broadfront-export-"))
    suffix = "json" if format in ("popolo", "osdi") else "csv"
    if format == "osdi":
        result = services.do_export(request.user, org, folder / kind, format="osdi", kind=kind,
                                    per_page=10**9)
        path = Path(result.paths[0])
    else:
        path = folder / f"{org.slug}-{kind}.{suffix}"
        services.do_export(request.user, org, path, format=format, kind=kind)
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=f"{org.slug}-{kind if format != 'popolo' else 'bodies'}.{suffix}")
