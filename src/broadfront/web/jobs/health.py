"""``/healthz``: what a load balancer asks before sending requests to this process."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from broadfront.web.jobs import runner

#: Set once this process found every migration applied: the code it runs cannot gain new
#: migrations without a restart, so a load balancer's every-few-seconds check need not load
#: the migration graph again.
_migrations_applied: list[bool] = []


def health() -> tuple[bool, dict[str, Any]]:
    """Is the database reachable, are the migrations applied, has a worker beaten lately?

    Workers count only where jobs wait for them (the database task backend); a missing
    worker makes the answer unhealthy, since queued jobs would wait forever.
    """
    report: dict[str, Any] = {}
    healthy = True
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as exc:
        return False, {"database": f"unreachable: {exc.__class__.__name__}",
                       "migrations": "unknown", "workers": "unknown"}
    if _migrations_applied:
        report["migrations"] = "ok"
    else:
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            report["migrations"] = "ok" if not plan else f"{len(plan)} not applied"
            healthy &= not plan
            _migrations_applied.extend([True] if not plan else [])
        except Exception as exc:
            report["migrations"] = f"unknown: {exc.__class__.__name__}"
            healthy = False
    if runner.uses_workers():
        seen = runner.workers_seen()
        report["workers"] = seen
        if not seen:
            report["workers_problem"] = ("no worker seen in the last "
                                         f"{int(runner.lease().total_seconds())} s")
            healthy = False
    else:
        report["workers"] = "not needed (jobs run where they are submitted)"
    return healthy, report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health()
    return JsonResponse({"status": "ok" if healthy else "unhealthy", **report},
                        status=200 if healthy else 503)
