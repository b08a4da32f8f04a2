"""Imports, exports and upload jobs of people, events, attendance, templates and Popolo.

:mod:`~.imports` (:func:`do_import`: check the whole source, then write it in one
transaction), :mod:`~.templates` (the template and Popolo row handlers, through the one write
rule), :mod:`~.exports` (:func:`do_export`, :func:`popolo_document`) and :mod:`~.uploads`
(:func:`start_upload`, :func:`run_job`, :func:`job_progress`). The names below are the public
ones; import them from here.
"""

from __future__ import annotations

from broadfront.web.dataio.services.exports import (
    EXPORT_KINDS,
    ExportResult,
    do_export,
    export_log,
    popolo_document,
)
from broadfront.web.dataio.services.imports import (
    BATCH,
    FORMATS,
    OSDI_IMPORT_KINDS,
    ImportReport,
    Progress,
    do_import,
)
from broadfront.web.dataio.services.templates import MAX_CHANGES_LISTED
from broadfront.web.dataio.services.uploads import (
    UPLOAD_PREFIX,
    job_progress,
    run_job,
    start_upload,
)

__all__ = [
    "BATCH",
    "EXPORT_KINDS",
    "FORMATS",
    "MAX_CHANGES_LISTED",
    "OSDI_IMPORT_KINDS",
    "UPLOAD_PREFIX",
    "ExportResult",
    "ImportReport",
    "Progress",
    "do_export",
    "do_import",
    "export_log",
    "job_progress",
    "popolo_document",
    "run_job",
    "start_upload",
]
