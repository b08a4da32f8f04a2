"""Pages of the "Scenarios" area: the list, the builder, runs with progress, the comparison.

Thin views: what was typed is parsed by ``forms`` into typed values, reads go through
``queries``, writes through ``services`` (the same services as the API). HTMX swaps the shock list, the per-kind shock form and the run panel in place; without
JavaScript every form still works by a full page load.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from broadfront.analysis.scenarios import FIRST_LOOK_DRAWS, MAX_WEB_DRAWS
from broadfront.exceptions import BroadfrontError, NotFoundError
from broadfront.web.scenarios import charts, queries, services
from broadfront.web.scenarios.forms import (
    CountingForm,
    MembersForm,
    NewScenarioForm,
    RunForm,
    ShockForm,
    SpecForm,
)
from broadfront.web.scenarios.models import Scenario

SHOCK_CHOICES = {
    "body": [("bloc_shift", "A bloc moves along the spectrum"),
             ("member_defects", "A member defects"),
             ("member_shift", "A member moves along the spectrum")],
    "race": [("capture", "The opposition captures part of a base"),
             ("turnout", "Turnout changes")],
}


def _htmx(request: HttpRequest) -> bool:
    """Whether HTMX made the request (set by django-htmx's middleware)."""
    return bool(getattr(request, "htmx", False))


def _error(exc: BroadfrontError) -> dict[str, str]:
    return {"field": getattr(exc, "parameter", None) or "", "message": str(exc)}


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    items = list(queries.scenarios(request.user))
    return render(request, "scenarios/scenarios.html", {
        "scenarios": items,
        "can_create": bool(queries.new_scenario_choices(request.user).organizations),
    })


# --- a new scenario ---------------------------------------------------------------------------

def _new_from_form(request: HttpRequest, choices: queries.NewScenarioChoices) -> Scenario:
    form = NewScenarioForm(choices, request.POST)
    d = form.parsed()
    name = d["name"]
    if d["source"] == "body":
        built = services.spec_from_body(request.user, d["body"], issue=d["issue"],
                                        cohesion=d["cohesion"], name=name or None)
        body, race = d["body"], None
    else:
        built = services.spec_from_race(request.user, d["race"], shares=form.shares(),
                                        turnout=d["turnout"], name=name or None,
                                        rule=d["rule"])
        body, race = None, d["race"]
    return services.do_save_scenario(
        request.user, organization=d["organization"], name=name or built.spec["name"],
        spec=built.spec,
        description=d["description"] + ("\n\n" + "\n".join(built.notes) if built.notes else ""),
        body=body, race=race, seed=d["seed"], draws=d["draws"])


@login_required
@require_http_methods(["GET", "POST"])
def scenario_new(request: HttpRequest) -> HttpResponse:
    choices = queries.new_scenario_choices(request.user)
    if not choices.organizations:
        raise NotFoundError("no organization of yours draws up scenarios")
    error = None
    status = 200
    if request.method == "POST":
        try:
            s = _new_from_form(request, choices)
        except BroadfrontError as exc:
            error, status = _error(exc), exc.http_status
        else:
            messages.success(request, "Scenario saved. Add the shocks that worry you, then run it.")
            return redirect(reverse("scenarios:scenario", args=[s.pk]))
    return render(request, "scenarios/new.html", {
        # A GET may prefill the form (``?body=<slug>`` from a body's page).
        "c": choices, "form": request.POST if request.method == "POST" else request.GET,
        "error": error, "first_look_draws": FIRST_LOOK_DRAWS, "max_draws": MAX_WEB_DRAWS,
        "race_fields": _race_fields(request.POST.get("race") or "", choices),
    }, status=status)


def _race_fields(slug: str, choices: queries.NewScenarioChoices) -> list[dict[str, Any]]:
    race = next((c for c in choices.races if c.slug == slug), None)
    if race is None:
        return []
    cands = list(race.candidates.select_related("person").order_by("pk"))
    even = round(100 / len(cands), 1) if cands else 0
    return [{"pk": c.pk, "name": str(c.person), "ours": c.is_ours, "write_in": c.is_write_in,
             "value": even} for c in cands]


@login_required
def race_fields(request: HttpRequest) -> HttpResponse:
    """HTMX: the expected-share inputs for the candidates of the chosen race."""
    choices = queries.new_scenario_choices(request.user)
    return render(request, "scenarios/_race_fields.html",
                  {"race_fields": _race_fields(request.GET.get("race") or "", choices),
                   "form": {}})


# --- the builder ------------------------------------------------------------------------------

def _page(request: HttpRequest, s: Scenario, *, status: int = 200, **extra: Any) -> HttpResponse:
    d = queries.scenario_detail(request.user, s)
    finished = [r for r in d.runs if services.run_status(r).status == "done"]
    latest = queries.run_view(d.latest) if d.latest is not None else None
    return render(request, "scenarios/scenario.html", {
        "d": d, "rv": latest, "shock_kinds": SHOCK_CHOICES.get(d.kind, []),
        "chart": charts.runs_chart(finished) if len(finished) > 1 else None,
        "others": [o for o in queries.scenarios(request.user) if o.pk != s.pk],
        "max_draws": MAX_WEB_DRAWS, **extra,
    }, status=status)


@login_required
def scenario(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, services.get_scenario_for_user(request.user, pk))


@login_required
def shock_form(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the fields for one kind of shock, with the scenario's blocs, members, groups."""
    s = services.get_scenario_for_user(request.user, pk)
    d = queries.scenario_detail(request.user, s)
    return render(request, "scenarios/_shock_form.html",
                  {"d": d, "kind": request.GET.get("kind") or "", "form": {}})


def _shocks_partial(request: HttpRequest, s: Scenario, **extra: Any) -> HttpResponse:
    d = queries.scenario_detail(request.user, s)
    return render(request, "scenarios/_shocks.html",
                  {"d": d, "shock_kinds": SHOCK_CHOICES.get(d.kind, []), **extra})


@login_required
@require_POST
def add_shock(request: HttpRequest, pk: int) -> HttpResponse:
    s = services.get_scenario_for_user(request.user, pk)
    try:
        s = services.do_add_shock(
            request.user, s, services.build_shock(**ShockForm(request.POST).shock()))
    except BroadfrontError as exc:
        if _htmx(request):
            return _shocks_partial(request, s, shock_error=_error(exc),
                                   kind=request.POST.get("kind"), form=request.POST)
        return _page(request, s, status=exc.http_status, shock_error=_error(exc),
                     kind=request.POST.get("kind"), form=request.POST)
    if _htmx(request):
        return _shocks_partial(request, s, added=True)
    messages.success(request, "Shock added.")
    return redirect(reverse("scenarios:scenario", args=[s.pk]) + "#shocks")


@login_required
@require_POST
def remove_shock(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    s = services.get_scenario_for_user(request.user, pk)
    try:
        s = services.do_remove_shock(request.user, s, index)
    except BroadfrontError as exc:
        if _htmx(request):
            return _shocks_partial(request, s, shock_error=_error(exc))
        return _page(request, s, status=exc.http_status, shock_error=_error(exc))
    if _htmx(request):
        return _shocks_partial(request, s)
    return redirect(reverse("scenarios:scenario", args=[s.pk]) + "#shocks")


@login_required
@require_POST
def set_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Set members' chances directly (blank: back to their stance)."""
    s = services.get_scenario_for_user(request.user, pk)
    d = queries.scenario_detail(request.user, s)
    try:
        chances = MembersForm(d.members, request.POST).chances()
        if chances:
            services.do_set_probabilities(request.user, s, chances)
    except BroadfrontError as exc:
        return _page(request, s, status=exc.http_status, members_error=_error(exc))
    messages.success(request, "Members' chances saved.")
    return redirect(reverse("scenarios:scenario", args=[s.pk]) + "#members")


@login_required
@require_POST
def set_rule(request: HttpRequest, pk: int) -> HttpResponse:
    """Set how a race is counted: the rule, the transfer table (%), its uncertainty (points)."""
    s = services.get_scenario_for_user(request.user, pk)
    d = queries.scenario_detail(request.user, s)
    data = request.POST
    try:
        counting = CountingForm([n for n, _ in d.candidates], data).counting()
        services.do_set_race_rule(request.user, s, **counting)
    except BroadfrontError as exc:
        s = services.get_scenario_for_user(request.user, pk)
        return _page(request, s, status=exc.http_status, rule_error=_error(exc), form=data)
    messages.success(request, "Counting rule saved.")
    return redirect(reverse("scenarios:scenario", args=[s.pk]) + "#counting")


@login_required
@require_POST
def edit_spec(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the scenario file as edited (name, description, seed, draws, the JSON)."""
    s = services.get_scenario_for_user(request.user, pk)
    data = request.POST
    try:
        f = SpecForm(data).parsed()
        services.do_save_scenario(
            request.user, organization=s.organization, name=f["name"], spec=f["spec"],
            description=f["description"], seed=f["seed"], draws=f["draws"], scenario=s)
    except BroadfrontError as exc:
        s = services.get_scenario_for_user(request.user, pk)  # as stored: nothing half-saved
        return _page(request, s, status=exc.http_status, spec_error=_error(exc), form=data)
    messages.success(request, "Scenario saved.")
    return redirect(reverse("scenarios:scenario", args=[s.pk]))


@login_required
@require_POST
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    s = services.get_scenario_for_user(request.user, pk)
    try:
        new = services.do_copy_scenario(request.user, s,
                                        (request.POST.get("name") or "").strip())
    except BroadfrontError as exc:
        return _page(request, s, status=exc.http_status, copy_error=_error(exc))
    messages.success(request, f"Saved a copy as {new.name}: change it and compare.")
    return redirect(reverse("scenarios:scenario", args=[new.pk]))


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    s = services.get_scenario_for_user(request.user, pk)
    try:
        services.do_delete_scenario(request.user, s)
    except BroadfrontError as exc:
        return _page(request, s, status=exc.http_status, copy_error=_error(exc))
    messages.success(request, f"Deleted the scenario {s.name}.")
    return redirect(reverse("scenarios:index"))


# --- runs -------------------------------------------------------------------------------------

@login_required
@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a run in the background; the run panel polls its status every second."""
    s = services.get_scenario_for_user(request.user, pk)
    data = request.POST
    try:
        run = services.start_run(request.user, s, **RunForm(data).parsed())
    except BroadfrontError as exc:
        if _htmx(request):
            return render(request, "scenarios/_run.html", {"run_error": _error(exc)})
        return _page(request, s, status=exc.http_status, run_error=_error(exc))
    if _htmx(request):
        return render(request, "scenarios/_run.html", {"rv": queries.run_view(run)})
    return redirect(reverse("scenarios:run", args=[run.pk]))


@login_required
def run(request: HttpRequest, pk: int) -> HttpResponse:
    r = services.get_run_for_user(request.user, pk)
    return render(request, "scenarios/run.html", {
        "run": r, "rv": queries.run_view(r), "spec_json": json.dumps(r.spec, indent=2)})


@login_required
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The run panel (polled every second while the run is going)."""
    r = services.get_run_for_user(request.user, pk)
    return render(request, "scenarios/_run.html", {"rv": queries.run_view(r)})


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    ids = []
    for raw in request.GET.getlist("s"):
        if raw.isdigit():
            ids.append(int(raw))
    rows = queries.comparison(request.user, ids)
    return render(request, "scenarios/compare.html", {
        "rows": rows, "all": list(queries.scenarios(request.user)), "chosen": set(ids)})

