"""API endpoints of scenarios, scoped to the scenario's organization.

A scenario and its runs are visible to its own organization's users only: any other user gets
404. Creating a scenario (from a scenario file, or built from a stored body or race) and
running it go through the same services as the pages; a bad scenario file is a 400 whose
``field`` names the path (``spec.body.members[2].weight``) and saves nothing. ``POST
/scenarios/{id}/run`` stores the run and queues it as a background job (``broadfront
worker`` computes it); it answers with the stored run, whose ``status`` is ``queued``,
``running``, ``done`` or ``failed`` (``words`` says how many jobs are ahead); poll ``GET
/scenario-runs/{id}`` until it is done. A done run's ``result`` has the shape of ``broadfront
simulate --json``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import FiniteFloat

from broadfront.exceptions import NotFoundError, ValidationError
from broadfront.web.campaigns.models import Campaign
from broadfront.web.common.tenancy import own_org_ids
from broadfront.web.landscape.models import Body, Issue
from broadfront.web.limits import Limit, Offset, page
from broadfront.web.organizations.models import Organization
from broadfront.web.scenarios import queries, services
from broadfront.web.scenarios.models import Scenario, ScenarioRun

router = Router(tags=["scenarios"])


class ScenarioListOut(Schema):
    id: int
    organization: str
    name: str
    description: str
    kind: str
    body: str | None
    race: str | None
    seed: int
    draws: int
    shocks: list[str]
    created_at: dt.datetime
    runs: int
    last_p_hold: float | None


class ScenarioOut(ScenarioListOut):
    spec: dict[str, Any]
    spec_error: str


class ScenarioIn(Schema):
    organization: str
    name: str
    description: str = ""
    spec: dict[str, Any] | None = None
    body: str | None = None
    issue: str | None = None
    probabilities: dict[str, FiniteFloat] | None = None
    cohesion: FiniteFloat = 0.5
    race: str | None = None
    shares: dict[str, FiniteFloat] | None = None
    turnout: FiniteFloat = 0.5
    rule: str = "plurality"
    transfers: dict[str, dict[str, FiniteFloat]] | None = None
    transfer_sd: FiniteFloat = 0.0
    seed: int | None = None
    draws: int | None = None


class RunIn(Schema):
    draws: int | None = None
    seed: int | None = None
    method: str = "auto"
    target: FiniteFloat | None = None


class RunOut(Schema):
    id: int
    scenario: int
    computed_at: dt.datetime
    status: str
    done: int
    total: int
    error: str
    words: str = ""
    seed: int
    draws: int
    method: str
    p_hold: float | None
    p_hold_se: float | None
    spec: dict[str, Any]
    inputs: dict[str, Any]
    result: dict[str, Any]


def _kind(s: Scenario) -> str:
    spec = s.spec if isinstance(s.spec, dict) else {}
    return "body" if "body" in spec else "race" if "race" in spec else ""


def _list_out(s: Scenario) -> dict[str, Any]:
    runs = list(s.runs.order_by("-computed_at", "-pk"))
    done = next((r for r in runs if services.run_status(r).status == "done"), None)
    return {"id": s.pk, "organization": s.organization.slug, "name": s.name,
            "description": s.description, "kind": _kind(s),
            "body": s.body.slug if s.body else None, "race": s.race.slug if s.race else None,
            "seed": s.seed, "draws": s.draws, "shocks": queries.shocks(s.spec),
            "created_at": s.created_at, "runs": len(runs),
            "last_p_hold": done.p_hold if done else None}


def _detail(s: Scenario) -> dict[str, Any]:
    error = ""
    try:
        services.validate_spec(s.spec, name=s.name, seed=s.seed, draws=s.draws)
    except ValidationError as exc:
        error = str(exc)
    return {**_list_out(s), "spec": s.spec, "spec_error": error}


def _run_out(r: ScenarioRun) -> dict[str, Any]:
    st = services.run_status(r)
    done = st.status == "done"
    inputs = r.result.get("inputs", {}) if isinstance(r.result, dict) else {}
    return {"id": r.pk, "scenario": r.scenario_id, "computed_at": r.computed_at,
            "status": st.status, "done": st.done, "total": st.total, "error": st.error,
            "words": st.words,
            "seed": r.seed, "draws": r.draws, "method": r.method,
            "p_hold": r.p_hold if done else None, "p_hold_se": r.p_hold_se if done else None,
            "spec": r.spec, "inputs": inputs,
            "result": services.stored_result(r) if done else {}}


def _scenario(request: HttpRequest, scenario_id: int) -> Scenario:
    return services.get_scenario_for_user(request.user, scenario_id)


@router.get("/scenarios", response=list[ScenarioListOut])
def list_scenarios(request: HttpRequest, limit: Limit = 100,
                   offset: Offset = 0) -> list[dict[str, Any]]:
    qs = Scenario.objects.visible_to(request.user).select_related("organization", "body", "race")
    return [_list_out(s) for s in qs.order_by("name", "pk")[page(limit, offset)]]


@router.post("/scenarios", response={201: ScenarioOut})
def create_scenario(request: HttpRequest, payload: ScenarioIn) -> Status[dict[str, Any]]:
    """Save a scenario: give ``spec`` (a scenario file), or ``body`` (with an optional
    ``issue`` for the members' stances and ``probabilities`` set directly) or ``race`` (with
    expected ``shares`` and ``turnout``, and how it is counted: ``rule``, ``transfers``,
    ``transfer_sd``) to build one from the database."""
    org = Organization.objects.filter(slug=payload.organization,
                                      pk__in=own_org_ids(request.user)).first()
    if org is None:
        raise NotFoundError(f"organization {payload.organization!r} not found")
    body = race = None
    spec = payload.spec
    if payload.body:
        body = Body.objects.filter(slug=payload.body).first()
        if body is None:
            raise NotFoundError(f"body {payload.body!r} not found")
    if payload.race:
        race = Campaign.objects.visible_to(request.user).filter(slug=payload.race).first()
        if race is None:
            raise NotFoundError(f"race {payload.race!r} not found")
    if spec is None:
        if body is not None and race is None:
            issue = None
            if payload.issue:
                issue = Issue.objects.filter(slug=payload.issue).first()
                if issue is None:
                    raise NotFoundError(f"issue {payload.issue!r} not found")
            spec = services.spec_from_body(request.user, body, issue=issue,
                                           probabilities=payload.probabilities,
                                           cohesion=payload.cohesion, name=payload.name).spec
        elif race is not None and body is None:
            spec = services.spec_from_race(request.user, race, shares=payload.shares,
                                           turnout=payload.turnout, name=payload.name,
                                           rule=payload.rule, transfers=payload.transfers,
                                           transfer_sd=payload.transfer_sd).spec
        else:
            raise ValidationError("give a scenario file (spec), or one body or one race to "
                                  "build it from", parameter="spec")
    s = services.do_save_scenario(request.user, organization=org, name=payload.name,
                                  spec=spec, description=payload.description, body=body,
                                  race=race, seed=payload.seed, draws=payload.draws)
    return Status(201, _detail(s))


@router.get("/scenarios/{scenario_id}", response=ScenarioOut)
def get_scenario(request: HttpRequest, scenario_id: int) -> dict[str, Any]:
    return _detail(_scenario(request, scenario_id))


@router.post("/scenarios/{scenario_id}/run", response={201: RunOut})
def run_scenario(request: HttpRequest, scenario_id: int,
                 payload: RunIn) -> Status[dict[str, Any]]:
    """Queue a run of the scenario (``draws`` and ``seed`` default to the scenario's) and
    return the stored run; a fourth job of one organization while three wait is a 409."""
    s = _scenario(request, scenario_id)
    run = services.start_run(request.user, s, draws=payload.draws, seed=payload.seed,
                             method=payload.method, target=payload.target)
    return Status(201, _run_out(run))


@router.get("/scenarios/{scenario_id}/runs", response=list[RunOut])
def list_runs(request: HttpRequest, scenario_id: int) -> list[dict[str, Any]]:
    s = _scenario(request, scenario_id)
    return [_run_out(r) for r in ScenarioRun.objects.visible_to(request.user)
            .filter(scenario=s).order_by("-computed_at", "-pk")]


@router.get("/scenario-runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    """One run, with its status while it is still going (``done`` of ``total`` draws)."""
    return _run_out(services.get_run_for_user(request.user, run_id))
