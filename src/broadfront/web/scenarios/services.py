"""Use cases of blowback and realignment scenarios: save, change, run (the writes).

Scenarios are saved only once :meth:`Scenario.from_dict` accepts them (errors name the field
as ``spec.<path>``; nothing is half-saved), and every run is stored with its seed, draws,
inputs and results so that a saved scenario reproduces exactly. The module is cut by seam:

- :mod:`~broadfront.web.scenarios.specs`: scenario files built from stored bodies and races,
  shocks, and the one check of a file (``validate_spec``);
- :mod:`~broadfront.web.scenarios.words`: plain-language sentences (counting rules, runoffs,
  "what would it take");
- :mod:`~broadfront.web.scenarios.runs`: computing a stored run, its status, reproducing and
  comparing runs;
- this module: the lookups and every ``do_*`` write (with :func:`start_run`, which stores a
  run and queues it as a background job).

Services take typed values: the pages' forms (:mod:`~broadfront.web.scenarios.forms`) and
the API's schemas parse what was typed; the bounds (draws, seed, fractions) are decided here.
The names of the three seams are re-exported, so ``from broadfront.web.scenarios.services
import spec_from_body`` keeps working.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from broadfront.analysis import scenarios as engine
from broadfront.analysis.scenarios import DEFAULT_DRAWS, MAX_WEB_DRAWS
from broadfront.exceptions import NotFoundError, ValidationError
from broadfront.web.common import audit, permissions
from broadfront.web.common.services import validated_save
from broadfront.web.landscape.models import Body
from broadfront.web.organizations.models import Organization
from broadfront.web.scenarios._checks import fraction_in, whole_in
from broadfront.web.scenarios.models import Scenario, ScenarioRun
from broadfront.web.scenarios.runs import (
    STALE_AFTER,
    Comparison,
    RunStatus,
    compare_runs,
    execute_run,
    latest_finished_run,
    reproduce,
    run_status,
    stored_result,
)
from broadfront.web.scenarios.specs import (
    SHOCK_KINDS,
    BuiltSpec,
    build_shock,
    current_seats,
    engine_rule,
    latest_stances,
    member_names,
    race_divisions,
    spec_from_body,
    spec_from_race,
    validate_spec,
)
from broadfront.web.scenarios.words import (
    RACE_RULE_WORDS,
    race_rule_sentence,
    runoff_words,
    what_it_takes_words,
)

__all__ = [
    "METHODS", "RACE_RULE_WORDS", "SHOCK_KINDS", "STALE_AFTER", "BuiltSpec", "Comparison",
    "RunInputs", "RunStatus", "build_shock", "compare_runs", "current_seats",
    "do_add_shock", "do_copy_scenario", "do_delete_scenario", "do_remove_shock",
    "do_run_scenario", "do_save_scenario", "do_set_probabilities", "do_set_race_rule",
    "engine_rule", "execute_run", "get_run_for_user", "get_scenario_for_user",
    "latest_finished_run", "latest_stances", "member_names", "race_divisions",
    "race_rule_sentence", "reproduce", "run_status", "runoff_words", "spec_from_body",
    "spec_from_race", "start_run", "stored_result", "validate_spec", "what_it_takes_words",
]

METHODS = ("auto", "exact", "monte-carlo")


# --- reads --------------------------------------------------------------------------------------

def get_scenario_for_user(user: Any, pk: int) -> Scenario:
    """The scenario if one of ``user``'s organizations drew it up; NotFoundError otherwise."""
    scenario = Scenario.objects.visible_to(user).select_related(
        "organization", "body", "race").filter(pk=pk).first()
    if scenario is None:
        raise NotFoundError(f"scenario {pk} not found")
    return scenario


def get_run_for_user(user: Any, pk: int) -> ScenarioRun:
    run = ScenarioRun.objects.visible_to(user).select_related(
        "scenario", "scenario__organization").filter(pk=pk).first()
    if run is None:
        raise NotFoundError(f"scenario run {pk} not found")
    return run


# --- saving --------------------------------------------------------------------------------------

@transaction.atomic
def do_save_scenario(actor: Any, *, organization: Organization, name: str, spec: Any,
                     description: str = "", body: Body | None = None, race: Any = None,
                     seed: int | None = None, draws: int | None = None,
                     scenario: Scenario | None = None) -> Scenario:
    """Create (or, with ``scenario``, update) a scenario after the engine accepts its spec.

    ``seed`` and ``draws`` default to the spec's (else 0 and 100,000) and are written into the
    stored spec, so the spec alone reruns the scenario exactly (``broadfront simulate``).
    Errors name the field (``name``, ``seed``, ``draws``, ``spec.body.members[2].weight``...);
    nothing is saved when one is raised.
    """
    if scenario is not None:
        organization = scenario.organization
    permissions.require_write(actor, scenario if scenario is not None
                              else Scenario(organization=organization))
    name = (name or "").strip()
    if not name:
        raise ValidationError("name must not be empty", parameter="name")
    if isinstance(spec, Mapping):
        # a scenario file's own seed and draws are JSON values: checked as such below
        if seed is None:
            seed = spec.get("seed", scenario.seed if scenario else 0)
        if draws is None:
            draws = spec.get("draws", scenario.draws if scenario else DEFAULT_DRAWS)
    seed_v = whole_in(0 if seed is None else seed, "seed", 0, 2**63 - 1)
    draws_v = whole_in(DEFAULT_DRAWS if draws is None else draws, "draws", 1, MAX_WEB_DRAWS)
    parsed, normalised = validate_spec(spec, name=name, seed=seed_v, draws=draws_v)
    if body is not None and race is not None:
        raise ValidationError("a scenario is about a body or a race, not both", parameter="race")
    if body is not None and parsed.body is None:
        raise ValidationError("spec: the scenario describes a race, but a body was chosen",
                              parameter="spec")
    if race is not None and parsed.race is None:
        raise ValidationError("spec: the scenario describes a body, but a race was chosen",
                              parameter="spec")
    if race is not None and getattr(race, "kind", None) != "electoral":
        raise ValidationError(f"{race} is not an electoral campaign", parameter="race")
    creating = scenario is None
    clash = Scenario.objects.filter(organization=organization, name=name)
    if scenario is not None:
        clash = clash.exclude(pk=scenario.pk)
    if clash.exists():
        raise ValidationError(f"name: {organization} already has a scenario called {name!r}",
                              parameter="name")
    if scenario is None:
        scenario = Scenario(organization=organization, created_by=actor
                            if getattr(actor, "is_authenticated", False) else None)
    before = {"name": scenario.name, "spec": scenario.spec} if not creating else {}
    scenario.name = name
    scenario.description = description.strip() if description is not None else ""
    scenario.spec = normalised
    scenario.seed = seed_v
    scenario.draws = draws_v
    if creating or body is not None or race is not None:
        scenario.body = body
        scenario.race = race
    if scenario.body_id is not None and parsed.body is None:
        scenario.body = None
    if scenario.race_id is not None and parsed.race is None:
        scenario.race = None
    validated_save(scenario, exclude=["created_by"])
    audit.record(actor, "create" if creating else "update", scenario,
                 organization=scenario.organization,
                 changes={"name": name, "shocks": len(parsed.shocks), "seed": seed_v,
                          "draws": draws_v, **({"before": before} if before else {})},
                 summary=f"scenario {name}")
    return scenario


def do_add_shock(actor: Any, scenario: Scenario, shock: Mapping[str, Any]) -> Scenario:
    """Append a shock (validated by the engine against the scenario's body or race)."""
    permissions.require_write(actor, scenario, permissions.CHANGE)
    spec = dict(scenario.spec)
    spec["shocks"] = [*spec.get("shocks", []), dict(shock)]
    return do_save_scenario(actor, organization=scenario.organization, name=scenario.name,
                            spec=spec, description=scenario.description, seed=scenario.seed,
                            draws=scenario.draws, scenario=scenario)


def do_remove_shock(actor: Any, scenario: Scenario, index: int) -> Scenario:
    """Remove the shock at ``index`` (0-based)."""
    permissions.require_write(actor, scenario, permissions.CHANGE)
    shocks = list(scenario.spec.get("shocks", []))
    if not 0 <= index < len(shocks):
        raise ValidationError(f"index: no shock number {index + 1}", parameter="index")
    del shocks[index]
    spec = {**scenario.spec, "shocks": shocks}
    return do_save_scenario(actor, organization=scenario.organization, name=scenario.name,
                            spec=spec, description=scenario.description, seed=scenario.seed,
                            draws=scenario.draws, scenario=scenario)


def do_set_probabilities(actor: Any, scenario: Scenario,
                         chances: Mapping[str, float | None]) -> Scenario:
    """Set members' chances of voting with us directly (``None``: back to their stance)."""
    permissions.require_write(actor, scenario, permissions.CHANGE)
    body = dict(scenario.spec.get("body") or {})
    if not body:
        raise ValidationError("only a scenario about a body has members", parameter="spec")
    members = []
    names = {m.get("name") for m in body.get("members", [])}
    unknown = sorted(set(chances) - names)
    if unknown:
        raise ValidationError(f"{', '.join(map(str, unknown))} is not a member",
                              parameter="members")
    for m in body.get("members", []):
        m = dict(m)
        if m["name"] in chances:
            p = chances[m["name"]]
            if p is None:
                if "stance" not in m:
                    continue
                m.pop("p_with_us", None)
            else:
                m["p_with_us"] = fraction_in(p, f"members.{m['name']}")
                m.pop("stance", None)
        members.append(m)
    spec = {**scenario.spec, "body": {**body, "members": members}}
    return do_save_scenario(actor, organization=scenario.organization, name=scenario.name,
                            spec=spec, description=scenario.description, seed=scenario.seed,
                            draws=scenario.draws, scenario=scenario)


def do_copy_scenario(actor: Any, scenario: Scenario, name: str) -> Scenario:
    """Save a copy under a new name (to vary it and compare side by side)."""
    permissions.require_write(actor, Scenario(organization=scenario.organization),
                              permissions.CREATE)
    return do_save_scenario(actor, organization=scenario.organization, name=name,
                            spec=scenario.spec, description=scenario.description,
                            body=scenario.body, race=scenario.race, seed=scenario.seed,
                            draws=scenario.draws)


@transaction.atomic
def do_delete_scenario(actor: Any, scenario: Scenario) -> None:
    permissions.require_write(actor, scenario, permissions.DELETE)
    audit.record(actor, "delete", scenario, organization=scenario.organization,
                 summary=f"scenario {scenario.name}")
    scenario.delete()


# --- counting rule of a race ---------------------------------------------------------------------

def do_set_race_rule(actor: Any, scenario: Scenario, *, rule: str,
                     transfers: Mapping[str, Mapping[str, float]],
                     transfer_sd: float = 0.0) -> Scenario:
    """Set how a race is counted: ``rule``, the ``transfers`` between candidates
    (``{from: {to: share}}``, shares as fractions; zero shares are dropped) and their
    per-draw uncertainty ``transfer_sd``. The engine validates them; errors name the field
    (``spec.race.transfers.Kaplan.Quan``)."""
    permissions.require_write(actor, scenario, permissions.CHANGE)  # before any validation
    race = dict(scenario.spec.get("race") or {})
    if not race:
        raise ValidationError("only a scenario about a race has a counting rule",
                              parameter="rule")
    if rule not in RACE_RULE_WORDS:
        raise ValidationError(f"rule must be one of {', '.join(RACE_RULE_WORDS)}, got {rule!r}",
                              parameter="rule")
    for key in ("rule", "transfers", "transfer_sd"):
        race.pop(key, None)
    if rule != "plurality":
        race["rule"] = rule
    rows = {str(src): {str(dst): float(v) for dst, v in row.items() if v}
            for src, row in transfers.items()}
    rows = {src: row for src, row in rows.items() if row}
    if rows:
        race["transfers"] = rows
    if transfer_sd:
        race["transfer_sd"] = float(transfer_sd)
    spec = {**scenario.spec, "race": race}
    return do_save_scenario(actor, organization=scenario.organization, name=scenario.name,
                            spec=spec, description=scenario.description, seed=scenario.seed,
                            draws=scenario.draws, scenario=scenario)


# --- runs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunInputs:
    """What a run was asked for (stored in the run so it reproduces exactly)."""

    draws: int
    seed: int
    method: str
    target: float


def _inputs(scenario: Scenario, parsed: engine.Scenario, draws: int | None,
            seed: int | None, method: str, target: float | None) -> RunInputs:
    if method not in METHODS:
        raise ValidationError(f"method must be one of {', '.join(METHODS)}, got {method!r}",
                              parameter="method")
    d = scenario.draws if draws is None else whole_in(draws, "draws", 1, MAX_WEB_DRAWS)
    s = scenario.seed if seed is None else whole_in(seed, "seed", 0, 2**63 - 1)
    t = parsed.target if target is None else fraction_in(target, "target")
    if not 0 < t < 1:
        raise ValidationError(f"target must be between 0 and 1 (exclusive), got {t:g}",
                              parameter="target")
    return RunInputs(d, s, method, t)


def _run_spec(scenario: Scenario) -> engine.Scenario:
    try:
        parsed, _ = validate_spec(scenario.spec, name=scenario.name, seed=scenario.seed,
                                  draws=scenario.draws)
    except ValidationError as exc:
        raise ValidationError(f"this scenario cannot run until its file is fixed: {exc}",
                              parameter=exc.parameter) from exc
    return parsed


@transaction.atomic
def _create_run(actor: Any, scenario: Scenario, inputs: RunInputs) -> ScenarioRun:
    permissions.require_write(actor, ScenarioRun(scenario=scenario), permissions.CREATE)
    parsed = _run_spec(scenario)
    run = ScenarioRun.objects.create(
        scenario=scenario, seed=inputs.seed, draws=inputs.draws, spec=parsed.to_dict(),
        method="pending", p_hold=0.0, p_hold_se=0.0,
        result={"status": "running", "done": 0, "total": inputs.draws,
                "inputs": {"method": inputs.method, "target": inputs.target}},
    )
    audit.record(actor, "run", run, organization=scenario.organization,
                 changes={"seed": inputs.seed, "draws": inputs.draws, "method": inputs.method},
                 summary=f"ran scenario {scenario.name}")
    return run


def do_run_scenario(actor: Any, scenario: Scenario, *, draws: int | None = None,
                    seed: int | None = None, method: str = "auto", target: float | None = None,
                    progress: Callable[[int, int], None] | None = None) -> ScenarioRun:
    """Run a saved scenario now and store the run (seed, draws, spec, inputs, results).

    ``draws`` and ``seed`` default to the scenario's; the same scenario, seed and draws give
    exactly the same stored result (see :func:`reproduce`).
    """
    parsed = _run_spec(scenario)
    inputs = _inputs(scenario, parsed, draws, seed, method, target)
    run = _create_run(actor, scenario, inputs)
    return execute_run(run.pk, progress)


def start_run(actor: Any, scenario: Scenario, *, draws: int | None = None,
              seed: int | None = None, method: str = "auto", target: float | None = None,
              background: bool | None = None) -> ScenarioRun:
    """Store a pending run and queue it as a background job (``broadfront worker`` runs it).

    The run's ``result`` holds ``{"status": "running", "done": k, "total": n, "job": id}``
    until the engine's result replaces it; :func:`run_status` says whether it is queued,
    running, done or failed. With ``background=False`` (or the setting
    ``BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND = False``) it runs before returning.

    Raises
    ------
    ConflictError
        If the organization already has as many jobs queued or running as it may (nothing is
        stored then).
    """
    from django.conf import settings

    from broadfront.web.jobs.runner import submit
    from broadfront.web.scenarios.tasks import run_scenario

    parsed = _run_spec(scenario)
    inputs = _inputs(scenario, parsed, draws, seed, method, target)
    if background is None:
        background = settings.BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND
    if not background:
        run = _create_run(actor, scenario, inputs)
        return execute_run(run.pk)
    with transaction.atomic():
        run = _create_run(actor, scenario, inputs)
        job = submit(run_scenario, run.pk, kind="scenario-run",
                     organization=scenario.organization_id, actor=actor,
                     label=f"{scenario.name} ({inputs.draws:,} draws)")
        ScenarioRun.objects.filter(pk=run.pk, method="pending").update(
            result={**run.result, "job": job.pk})
    run.refresh_from_db()
    return run
