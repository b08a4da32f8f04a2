"""Read-side use cases for the "Scenarios" pages: stored scenarios and their runs.

Scenarios belong to the organization that drew them up (``Scenario.objects.visible_to``);
a partner's scenario is a 404.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from broadfront.web.scenarios.models import Scenario, ScenarioRun


def scenarios(user: Any) -> QuerySet[Scenario]:
    """Our organizations' scenarios with how many runs each has and when it last ran."""
    return Scenario.objects.visible_to(user).select_related("organization", "body", "race") \
        .annotate(n_runs=Count("runs", distinct=True), last_run=Max("runs__computed_at"))


def get_scenario_for_user(user: Any, pk: int) -> Scenario:
    scenario = scenarios(user).filter(pk=pk).first()
    if scenario is None:
        raise Http404("No such scenario")
    return scenario


def shocks(spec: Any) -> list[str]:
    """The shocks of a scenario spec in plain words (as stored; unknown shapes are shown raw)."""
    items = spec.get("shocks", []) if isinstance(spec, dict) else []
    out = []
    for s in items if isinstance(items, list) else []:
        if isinstance(s, dict):
            kind = str(s.get("kind") or s.get("type") or "shock").replace("_", " ")
            rest = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s.items()
                             if k not in ("kind", "type"))
            out.append(f"{kind.capitalize()}: {rest}" if rest else kind.capitalize())
        else:
            out.append(str(s))
    return out


@dataclass
class ScenarioDetail:
    scenario: Scenario
    shocks: list[str]
    spec_json: str
    runs: list[ScenarioRun]


def scenario_detail(user: Any, scenario: Scenario) -> ScenarioDetail:
    return ScenarioDetail(
        scenario=scenario,
        shocks=shocks(scenario.spec),
        spec_json=json.dumps(scenario.spec, indent=2, sort_keys=True),
        runs=list(ScenarioRun.objects.visible_to(user).filter(scenario=scenario)),
    )


def get_run_for_user(user: Any, pk: int) -> ScenarioRun:
    run = ScenarioRun.objects.visible_to(user).select_related("scenario").filter(pk=pk).first()
    if run is None:
        raise Http404("No such run")
    return run


def run_result_rows(run: ScenarioRun) -> list[tuple[str, str]]:
    """The stored result's top-level entries as (name, value) for a table."""
    result = run.result if isinstance(run.result, dict) else {}
    rows = []
    for k, v in result.items():
        text = v if isinstance(v, str) else json.dumps(v, sort_keys=True)
        rows.append((str(k).replace("_", " "), text if len(text) < 300 else text[:297] + "..."))
    return rows
