"""Use cases of sweeps: which shocks, members or divisions break what we hold.

The engine is :mod:`broadfront.analysis.scenarios.sweep`. :func:`do_start_sweep` stores a
sweep and splits its variants into chunks, each a background job
(:func:`broadfront.web.scenarios.tasks.run_sweep_chunk`) that any worker may take; each
chunk adds its points to the sweep, and the last one gathers them into the stored result.
Every variant's random stream depends only on the sweep's seed and the variant's index, so
the numbers are the same on 1 worker or 8.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from broadfront import clock
from broadfront.analysis import scenarios as engine
from broadfront.analysis.scenarios.sweep import (
    MAX_SWEEP_ITEMS,
    SweepPoint,
    gather,
    run_items,
    sweep_items,
)
from broadfront.exceptions import BroadfrontError, ValidationError
from broadfront.web.common import audit, permissions
from broadfront.web.scenarios._checks import whole_in
from broadfront.web.scenarios.models import Scenario, ScenarioSweep

#: Draws per variant: default, and the most a page may ask (a sweep runs every variant).
DEFAULT_SWEEP_DRAWS = 5_000
MAX_SWEEP_DRAWS = 100_000
#: How many chunks (background jobs) a sweep is split into, at most.
MAX_CHUNKS = 8


def do_start_sweep(actor: Any, scenario: Scenario, *, draws: Any = None, seed: Any = None,
                kinds: list[str] | None = None, chunks: Any = None) -> ScenarioSweep:
    """Store a sweep of ``scenario`` and queue its chunks as background jobs.

    Raises
    ------
    ValidationError
        If the scenario file does not parse, or ``draws`` (1..100,000 per variant), ``seed``,
        ``kinds`` or ``chunks`` (1..8) is out of range.
    ConflictError
        If the organization already has as many jobs queued or running as it may.
    """
    from broadfront.web.jobs.runner import submit
    from broadfront.web.scenarios.tasks import run_sweep_chunk

    permissions.require_write(actor, ScenarioSweep(scenario=scenario), permissions.CREATE)
    try:
        parsed = engine.Scenario.from_dict(scenario.spec)
    except ValidationError as exc:
        raise ValidationError(f"this scenario cannot be swept until its file is fixed: {exc}",
                              parameter=exc.parameter) from exc
    draws_v = whole_in(DEFAULT_SWEEP_DRAWS if draws in (None, "") else draws, "draws", 1,
                      MAX_SWEEP_DRAWS)
    seed_v = whole_in(scenario.seed if seed in (None, "") else seed, "seed", 0, 2**32 - 1)
    items = sweep_items(parsed, kinds=kinds)
    total = len(items)
    n_chunks = whole_in(min(MAX_CHUNKS, total) if chunks in (None, "") else chunks, "chunks",
                        1, MAX_CHUNKS)
    n_chunks = min(n_chunks, total)
    size = math.ceil(total / n_chunks)
    with transaction.atomic():
        sweep = ScenarioSweep.objects.create(
            scenario=scenario, created_at=clock.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            seed=seed_v, draws=draws_v, kinds=list(kinds or []), spec=parsed.to_dict(),
            total=total, chunks=n_chunks)
        audit.record(actor, "sweep", sweep, organization=scenario.organization,
                     changes={"draws": draws_v, "seed": seed_v, "variants": total,
                              "chunks": n_chunks},
                     summary=f"swept scenario {scenario.name}")
        for k, start in enumerate(range(0, total, size)):
            submit(run_sweep_chunk, sweep.pk, start, min(total, start + size),
                   kind="scenario-sweep", organization=scenario.organization_id, actor=actor,
                   label=f"{scenario.name}: variants {start + 1}-{min(total, start + size)}",
                   counted=k == 0)
    sweep.refresh_from_db()
    return sweep


def run_chunk(sweep_pk: int, start: int, stop: int) -> None:
    """Compute variants ``start..stop-1`` of a stored sweep and add them; gather at the end."""
    sweep = ScenarioSweep.objects.filter(pk=sweep_pk).first()
    if sweep is None or sweep.status != ScenarioSweep.Status.RUNNING:
        return
    try:
        parsed = engine.Scenario.from_dict(sweep.spec)
        points = run_items(parsed, range(start, stop), draws=sweep.draws, seed=sweep.seed,
                           kinds=sweep.kinds or None)
    except BroadfrontError as exc:
        ScenarioSweep.objects.filter(pk=sweep_pk).update(status=ScenarioSweep.Status.FAILED,
                                                         error=str(exc))
        return
    with transaction.atomic():
        sweep = ScenarioSweep.objects.select_for_update().get(pk=sweep_pk)
        merged = {**sweep.points, **{str(p.index): p.to_dict() for p in points}}
        sweep.points = merged
        fields = ["points"]
        if len(merged) == sweep.total and sweep.status == ScenarioSweep.Status.RUNNING:
            result = gather([SweepPoint.from_dict(v) for v in merged.values()])
            sweep.result = result.to_dict()
            sweep.status = ScenarioSweep.Status.DONE
            fields += ["result", "status"]
        sweep.save(update_fields=fields)


@dataclass(frozen=True)
class SweepView:
    """A sweep for its page: progress, and (when done) the base and what breaks it."""

    sweep: ScenarioSweep
    done: int
    percent: int
    base: dict[str, Any] | None
    breaking: list[dict[str, Any]]
    rest: list[dict[str, Any]]


def sweep_view(sweep: ScenarioSweep) -> SweepView:
    sweep.refresh_from_db()
    done = len(sweep.points)
    result = sweep.result if sweep.status == ScenarioSweep.Status.DONE else {}
    breaking = list(result.get("breaking", []))
    labels = {p["index"] for p in breaking}
    rest = sorted((p for p in result.get("points", [])[1:] if p["index"] not in labels),
                  key=lambda p: (p["p_hold"], p["index"]))
    return SweepView(sweep=sweep, done=done,
                     percent=int(100 * done / sweep.total) if sweep.total else 0,
                     base=result.get("base"), breaking=breaking, rest=rest)


def get_sweep_for_user(user: Any, pk: int) -> ScenarioSweep:
    from broadfront.exceptions import NotFoundError

    sweep = ScenarioSweep.objects.visible_to(user).select_related(
        "scenario", "scenario__organization").filter(pk=pk).first()
    if sweep is None:
        raise NotFoundError(f"sweep {pk} not found")
    return sweep


__all__ = ["DEFAULT_SWEEP_DRAWS", "MAX_CHUNKS", "MAX_SWEEP_DRAWS", "MAX_SWEEP_ITEMS",
           "SweepView", "do_start_sweep", "get_sweep_for_user", "run_chunk", "sweep_view"]
