"""Runs of a saved scenario: computing a stored run, where it stands, reproducing, comparing.

Runs started from the web page are background jobs (:mod:`broadfront.web.jobs`, run by
``broadfront worker``) that write their progress into the run's ``result`` (``{"status":
"running", "done": k, "total": n}``) and the engine's result when done; :func:`run_status`
says too when a run waits in the queue or its worker was lost. Starting a run is a write:
``do_run_scenario`` and ``start_run`` in :mod:`broadfront.web.scenarios.services`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from broadfront import clock
from broadfront.analysis import scenarios as engine
from broadfront.exceptions import BroadfrontError
from broadfront.web.scenarios.models import Scenario, ScenarioRun
from broadfront.web.scenarios.words import what_it_takes_words

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(hours=1)
_BOOKKEEPING = ("status", "inputs", "seconds", "done", "total", "error")


def execute_run(run_pk: int, progress: Callable[[int, int], None] | None = None) -> ScenarioRun:
    """Run a stored pending run through the engine and store its result (or its failure)."""
    run = ScenarioRun.objects.get(pk=run_pk)
    inputs = dict(run.result.get("inputs", {}))
    started = time.monotonic()
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if progress is not None:
            progress(done, total)
        if now - last[0] >= 0.5 and done < total:
            last[0] = now
            ScenarioRun.objects.filter(pk=run_pk).update(
                result={"status": "running", "done": done, "total": total, "inputs": inputs})

    try:
        scenario = engine.Scenario.from_dict(run.spec)
        result = engine.run_scenario(scenario, draws=run.draws, rng=run.seed,
                                     method=inputs.get("method", "auto"),
                                     target=inputs.get("target"), progress=report)
    except BroadfrontError as exc:
        run.method, run.result = "failed", {"status": "failed", "error": str(exc),
                                            "inputs": inputs}
    except Exception as exc:  # a bug, not bad input: tell the user, keep the run honest
        log.exception("scenario run %s failed", run_pk)
        run.method, run.result = "failed", {"status": "failed",
                                            "error": f"unexpected error: {exc}", "inputs": inputs}
    else:
        run.method = result.method
        run.p_hold = min(1.0, max(0.0, result.p_hold))
        run.p_hold_se = result.p_hold_se
        run.result = {**result.to_dict(), "status": "done", "inputs": inputs,
                      "seconds": round(time.monotonic() - started, 3)}
    run.save(update_fields=["method", "p_hold", "p_hold_se", "result"])
    return run


# --- status --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunStatus:
    """Where a run stands: ``queued`` (``words`` says how many jobs are ahead), ``running``
    (with draws done of total), ``done``, ``failed`` or ``interrupted`` (a run from before
    background jobs, still running an hour later: the server restarted mid-run)."""

    status: str
    done: int
    total: int
    error: str
    words: str = ""

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def run_status(run: ScenarioRun, now: dt.datetime | None = None) -> RunStatus:
    result = run.result if isinstance(run.result, dict) else {}
    status = str(result.get("status") or ("done" if run.method not in ("pending", "failed")
                                          else "failed"))
    now = now or clock.now()
    job_id = result.get("job")
    if status == "running" and job_id is not None:
        from broadfront.web.jobs.models import Job
        from broadfront.web.jobs.runner import state

        job = Job.objects.filter(pk=job_id).first()
        if job is not None:
            js = state(job, now)
            total = int(result.get("total", run.draws) or 0)
            if js.status == Job.Status.QUEUED:
                return RunStatus("queued", 0, total, js.error, js.words)
            if js.status == Job.Status.FAILED:
                return RunStatus("failed", int(result.get("done", 0) or 0), total,
                                 f"the run did not finish: {js.error}")
            if js.status == Job.Status.DONE:  # the job ended without storing (run deleted?)
                run.refresh_from_db()
                result = run.result if isinstance(run.result, dict) else {}
                status = str(result.get("status") or "failed")
            # running: the run's own progress below
    elif status == "running" and run.computed_at and now - run.computed_at > STALE_AFTER:
        return RunStatus("interrupted", int(result.get("done", 0)),
                         int(result.get("total", run.draws)),
                         "the run stopped before it finished (the server restarted?); "
                         "run it again")
    if status == "done":
        return RunStatus("done", run.draws, run.draws, "")
    return RunStatus(status, int(result.get("done", 0) or 0),
                     int(result.get("total", run.draws) or 0), str(result.get("error", "")))


def stored_result(run: ScenarioRun) -> dict[str, Any]:
    """The engine's result as stored in the run (without the bookkeeping entries)."""
    result = run.result if isinstance(run.result, dict) else {}
    return {k: v for k, v in result.items() if k not in _BOOKKEEPING}


def reproduce(run: ScenarioRun) -> engine.ScenarioResult:
    """Recompute a stored run from its stored spec, seed, draws and inputs."""
    inputs = run.result.get("inputs", {}) if isinstance(run.result, dict) else {}
    return engine.run_scenario(engine.Scenario.from_dict(run.spec), draws=run.draws,
                               rng=run.seed, method=inputs.get("method", "auto"),
                               target=inputs.get("target"))


# --- comparing ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """One scenario's latest finished run, summarised for a side-by-side table."""

    scenario: Scenario
    run: ScenarioRun | None
    p_hold: float | None
    p_hold_se: float | None
    p_without: float | None
    method: str
    most_fragile: list[tuple[str, float]]
    worst_shock: str
    what_it_takes: str

    @property
    def plus_minus(self) -> str:
        """Twice the standard error, in points ("" when exact)."""
        return f"± {200 * self.p_hold_se:.1f} pts" if self.p_hold_se else ""


def latest_finished_run(scenario: Scenario) -> ScenarioRun | None:
    for run in scenario.runs.order_by("-computed_at", "-pk"):
        if run_status(run).status == "done":
            return run
    return None


def compare_runs(scenarios: Sequence[Scenario]) -> list[Comparison]:
    """Each scenario's latest finished run, for a side-by-side comparison."""
    rows = []
    for s in scenarios:
        run = latest_finished_run(s)
        if run is None:
            rows.append(Comparison(s, None, None, None, None, "not run yet", [], "", ""))
            continue
        r = stored_result(run)
        fragile = sorted(((str(k), float(v)) for k, v in (r.get("fragile") or {}).items()),
                         key=lambda kv: -kv[1])[:3]
        shocks = sorted(r.get("damaging_shocks") or [], key=lambda d: -float(d["marginal"]))
        worst = ""
        if shocks:
            worst = (f"{shocks[0]['shock']} (preventing it wins back "
                     f"{100 * float(shocks[0]['marginal']):.0f} points)")
        rows.append(Comparison(s, run, run.p_hold, run.p_hold_se,
                               float(r.get("p_hold_without_shocks", run.p_hold)), run.method,
                               fragile, worst, what_it_takes_words(r)))
    return rows
