"""Pages of sweeps: start one from a scenario, watch it fill in, read what breaks it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from broadfront.exceptions import BroadfrontError, PermissionDeniedError
from broadfront.web.scenarios import services, sweeps


@login_required
@require_POST
def sweep_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a sweep of the scenario; its page shows the chunks filling in."""
    s = services.get_scenario_for_user(request.user, pk)
    kinds = [k for k in request.POST.getlist("kinds") if k] or None
    try:
        sweep = sweeps.do_start_sweep(request.user, s, draws=request.POST.get("draws"),
                                   seed=request.POST.get("seed"), kinds=kinds)
    except PermissionDeniedError:
        raise  # the site's 403 page: a hidden button is not a permission
    except BroadfrontError as exc:
        messages.error(request, f"The sweep did not start: {exc}")
        return redirect(reverse("scenarios:scenario", args=[s.pk]) + "#sweep")
    return redirect(reverse("scenarios:sweep", args=[sweep.pk]))


@login_required
def sweep(request: HttpRequest, pk: int) -> HttpResponse:
    sv = sweeps.sweep_view(sweeps.get_sweep_for_user(request.user, pk))
    template = ("scenarios/_sweep_panel.html" if request.headers.get("HX-Request")
                else "scenarios/sweep.html")
    return render(request, template, {"sv": sv})
