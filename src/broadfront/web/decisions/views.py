"""Pages of the "Decisions" area: thin views over ``queries``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from broadfront.web.decisions import charts, queries


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    return render(request, "decisions/decisions.html",
                  {"d": queries.decisions_overview(request.user, timezone.localdate())})


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    d = queries.get_decision_for_user(request.user, pk)
    detail = queries.decision_detail(request.user, d, timezone.now())
    has_impacts = any(o.impacts.all() for o in detail.options)
    return render(request, "decisions/decision.html", {
        "d": detail, "chart": charts.impacts_chart(detail.options) if has_impacts else None,
    })
