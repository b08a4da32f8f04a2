"""Pages of the "Scenarios" area: thin views over ``queries``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadfront.web.scenarios import charts, queries


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    return render(request, "scenarios/scenarios.html",
                  {"scenarios": queries.scenarios(request.user)})


@login_required
def scenario(request: HttpRequest, pk: int) -> HttpResponse:
    s = queries.get_scenario_for_user(request.user, pk)
    d = queries.scenario_detail(request.user, s)
    return render(request, "scenarios/scenario.html",
                  {"d": d, "chart": charts.runs_chart(d.runs) if d.runs else None})


@login_required
def run(request: HttpRequest, pk: int) -> HttpResponse:
    r = queries.get_run_for_user(request.user, pk)
    return render(request, "scenarios/run.html",
                  {"run": r, "rows": queries.run_result_rows(r)})
