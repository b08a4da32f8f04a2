"""Read-side use cases for the "Scenarios" pages: stored scenarios, their inputs and runs.

Scenarios belong to the organization that drew them up (``Scenario.objects.visible_to``);
a partner's scenario is a 404.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils.safestring import SafeString

from broadfront.analysis import scenarios as engine
from broadfront.exceptions import ValidationError
from broadfront.web.campaigns.models import Campaign
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.landscape.models import Body, Issue
from broadfront.web.scenarios import charts, services
from broadfront.web.scenarios.models import Scenario, ScenarioRun


def scenarios(user: Any) -> QuerySet[Scenario]:
    """Our organizations' scenarios with how many runs each has and when it last ran."""
    return Scenario.objects.visible_to(user).select_related("organization", "body", "race") \
        .annotate(n_runs=Count("runs", distinct=True), last_run=Max("runs__computed_at"))


def can_edit(user: Any, scenario: Scenario) -> bool:
    return bool(getattr(user, "is_superuser", False)) or \
        scenario.organization_id in own_org_ids(user, ROLE_ORGANIZER)


def shocks(spec: Any) -> list[str]:
    """The shocks of a scenario spec in plain words (their label, else the engine's words;
    shapes the engine does not know are shown as stored)."""
    items = spec.get("shocks", []) if isinstance(spec, dict) else []
    out = []
    for s in items if isinstance(items, list) else []:
        if isinstance(s, dict):
            if s.get("label"):
                out.append(str(s["label"]))
                continue
            kind = str(s.get("kind") or s.get("type") or "shock").replace("_", " ")
            rest = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s.items()
                             if k not in ("kind", "type"))
            out.append(f"{kind.capitalize()}: {rest}" if rest else kind.capitalize())
        else:
            out.append(str(s))
    return out


@dataclass
class MemberRow:
    name: str
    weight: float
    bloc: str
    p_with_us: float
    source: str
    direct: bool


@dataclass
class DivisionRow:
    name: str
    group: str
    voters: float
    turnout: float
    shares: list[tuple[str, float]]

    @property
    def expected(self) -> float:
        """Expected votes cast: eligible voters times the turnout rate."""
        return self.voters * self.turnout


@dataclass
class ScenarioDetail:
    scenario: Scenario
    shocks: list[str]
    spec_json: str
    runs: list[ScenarioRun]
    parsed: engine.Scenario | None = None
    spec_error: str = ""
    kind: str = ""
    rule: str = ""
    members: list[MemberRow] = field(default_factory=list)
    blocs: list[tuple[str, float]] = field(default_factory=list)
    divisions: list[DivisionRow] = field(default_factory=list)
    candidates: list[tuple[str, str]] = field(default_factory=list)
    our_candidate: str = ""
    race_rule: str = ""
    race_rule_sentence: str = ""
    # the transfer table: for each candidate, (index, other, percent or None) per column
    transfers: list[tuple[int, str, list[tuple[int, str, float | None]]]] = field(
        default_factory=list)
    transfer_sd_points: float = 0.0
    groups: list[str] = field(default_factory=list)
    can_edit: bool = False
    latest: ScenarioRun | None = None
    sweeps: list[Any] = field(default_factory=list)


def rule_words(rule: engine.Rule, total: float) -> str:
    """The body's voting rule in words."""
    if rule.kind == "majority":
        return f"a majority: more than half of the {total:g} votes"
    if rule.kind == "supermajority":
        f = 2 / 3 if rule.fraction is None else rule.fraction
        return f"a supermajority: at least {f:.0%} of the {total:g} votes ({f * total:g})"
    if rule.kind == "quota":
        return f"a quota: at least {rule.quota:g} of the {total:g} votes"
    return "a double majority of the votes and of the members"


def scenario_detail(user: Any, scenario: Scenario) -> ScenarioDetail:
    runs = list(ScenarioRun.objects.visible_to(user).filter(scenario=scenario)
                .order_by("-computed_at", "-pk"))
    d = ScenarioDetail(
        scenario=scenario,
        shocks=shocks(scenario.spec),
        spec_json=json.dumps(scenario.spec, indent=2),
        runs=runs,
        can_edit=can_edit(user, scenario),
        latest=runs[0] if runs else None,
        sweeps=list(scenario.sweeps.order_by("-created_at", "-pk")[:5]),
    )
    try:
        parsed, _ = services.validate_spec(scenario.spec, name=scenario.name,
                                           seed=scenario.seed, draws=scenario.draws)
    except ValidationError as exc:
        d.spec_error = str(exc)
        return d
    d.parsed = parsed
    d.shocks = [s.describe() for s in parsed.shocks]
    if parsed.body is not None:
        b = parsed.body
        d.kind = "body"
        d.rule = rule_words(b.rule, sum(m.weight for m in b.members))
        d.members = [MemberRow(m.name, m.weight, m.bloc or "", m.probability(b.link),
                               "set directly" if m.p_with_us is not None
                               else f"stance {m.stance:+g}", m.p_with_us is not None)
                     for m in b.members]
        names = sorted({m.bloc for m in b.members if m.bloc})
        d.blocs = [(n, b.cohesion(n)) for n in names]
    elif parsed.race is not None:
        r = parsed.race
        d.kind = "race"
        d.our_candidate = r.our_candidate
        d.candidates = [(c.name, (f" (write-in, {c.counted:.0%} of votes counted)"
                                  if c.write_in else "")) for c in r.candidates]
        d.divisions = [DivisionRow(v.name, v.group or "", v.voters, v.turnout, list(v.shares))
                       for v in r.divisions]
        d.groups = sorted({v.group for v in r.divisions if v.group})
        d.race_rule = r.rule
        d.race_rule_sentence = services.race_rule_sentence(r.rule)
        given = {src: dict(row) for src, row in r.transfers}
        names = [c.name for c in r.candidates]
        d.transfers = [(i, src, [(j, dst, (round(100 * given[src][dst], 4)
                                            if dst in given.get(src, {}) else None))
                                 for j, dst in enumerate(names)])
                       for i, src in enumerate(names)]
        d.transfer_sd_points = round(100 * r.transfer_sd, 4)
    return d


@dataclass
class ShockRow:
    shock: str
    alone: float
    marginal: float

    @property
    def alone_points(self) -> str:
        """Points of the chance of holding lost when this is the only shock (signed)."""
        return f"{-100 * self.alone:+.0f} pts"

    @property
    def prevented_points(self) -> str:
        """Points won back (or lost, if negative) by preventing this shock alone."""
        return f"{100 * self.marginal:+.0f} pts"


@dataclass
class RunView:
    """A run's result ready for the page: numbers in words and charts."""

    run: ScenarioRun
    status: services.RunStatus
    result: dict[str, Any]
    headline: str = ""
    precision: str = ""
    without: str = ""
    margin_words: str = ""
    margin_chart: SafeString | None = None
    fragile: list[tuple[str, float]] = field(default_factory=list)
    fragile_chart: SafeString | None = None
    fragile_what: str = "members"
    shocks: list[ShockRow] = field(default_factory=list)
    what_it_takes: str = ""
    runoff: str = ""
    legacy_rows: list[tuple[str, str]] = field(default_factory=list)


def run_view(run: ScenarioRun) -> RunView:
    status = services.run_status(run)
    result = services.stored_result(run)
    v = RunView(run, status, result)
    if status.status != "done":
        return v
    if "p_hold_without_shocks" not in result:  # stored before the engine existed
        v.legacy_rows = run_result_rows(run)
        v.headline = f"We hold in {run.p_hold:.0%} of outcomes."
        return v
    kind = result.get("kind", "body")
    p, se = float(result["p_hold"]), float(result["p_hold_se"])
    what = "votes" if kind == "body" else "elections"
    if result.get("method") == "exact":
        v.headline = f"We hold with a {p:.1%} chance."
        v.precision = ("Computed exactly (every combination of votes and shocks counted): "
                       "no sampling error.")
    else:
        draws = int(result.get("draws") or run.draws)
        v.headline = f"We hold in {p:.1%} of {draws:,} simulated {what}."
        v.precision = (f"Give or take {100 * 2 * se:.1f} points: the standard error of the "
                       f"simulation is {100 * se:.2f} points, so the true chance is very "
                       f"likely between {max(0.0, p - 2 * se):.1%} and {min(1.0, p + 2 * se):.1%}"
                       f" (seed {run.seed}: rerunning gives exactly the same numbers).")
    base = float(result["p_hold_without_shocks"])
    cost = base - p
    v.without = (f"Without the shocks we would hold {base:.0%} of the time; together they "
                 f"cost {100 * cost:.0f} points." if cost > 0.005 else
                 f"Without the shocks we would hold {base:.0%} of the time: the shocks barely "
                 "change it." if abs(cost) <= 0.005 else
                 f"Without the shocks we would hold only {base:.0%} of the time: on balance "
                 "the shocks help us.")
    margin = result.get("margin") or {}
    q = {round(float(a), 2): float(b) for a, b in margin.get("quantiles", [])}
    if q:
        if str(margin.get("unit", "")).startswith("share"):
            v.margin_words = (f"In the middle outcome our candidate leads by {q.get(0.5, 0):+.1%}"
                              f" of the counted votes; in the worst one in twenty, by "
                              f"{q.get(0.05, 0):+.1%}; in the best one in twenty, by "
                              f"{q.get(0.95, 0):+.1%} (negative: we trail).")
        else:
            v.margin_words = (f"In the middle outcome we have {q.get(0.5, 0):+g} votes more than "
                              f"we need; in the worst one in twenty, {q.get(0.05, 0):+g}; in the "
                              f"best one in twenty, {q.get(0.95, 0):+g} (negative: we lose).")
        v.margin_chart = charts.margin_chart(margin)
    fragile = {str(k): float(x) for k, x in (result.get("fragile") or {}).items()}
    v.fragile = sorted(fragile.items(), key=lambda kv: -kv[1])
    v.fragile_what = "members" if kind == "body" else "divisions"
    if v.fragile:
        v.fragile_chart = charts.fragile_chart(fragile)
    v.shocks = sorted((ShockRow(str(s["shock"]), float(s["alone"]), float(s["marginal"]))
                       for s in result.get("damaging_shocks") or []), key=lambda s: -s.marginal)
    v.what_it_takes = services.what_it_takes_words(result)
    v.runoff = services.runoff_words(result)
    return v


def run_result_rows(run: ScenarioRun) -> list[tuple[str, str]]:
    """The stored result's top-level entries as (name, value) for a table."""
    result = run.result if isinstance(run.result, dict) else {}
    rows = []
    for k, v in result.items():
        text = v if isinstance(v, str) else json.dumps(v, sort_keys=True)
        rows.append((str(k).replace("_", " "), text if len(text) < 300 else text[:297] + "..."))
    return rows


@dataclass
class NewScenarioChoices:
    organizations: list[Any]
    bodies: list[Body]
    issues: list[Issue]
    races: list[Campaign]


def new_scenario_choices(user: Any) -> NewScenarioChoices:
    from broadfront.web.organizations.models import Organization

    orgs = list(Organization.objects.filter(pk__in=own_org_ids(user, ROLE_ORGANIZER))
                .order_by("name"))
    bodies = list(Body.objects.filter(seats__isnull=False).distinct().order_by("name"))
    races = list(Campaign.objects.visible_to(user).filter(kind=Campaign.Kind.ELECTORAL)
                 .distinct().order_by("name"))
    return NewScenarioChoices(orgs, bodies, list(Issue.objects.order_by("name")), races)


def comparison(user: Any, ids: list[int]) -> list[services.Comparison]:
    chosen = list(scenarios(user).filter(pk__in=ids).order_by("name"))
    return services.compare_runs(chosen)
