"""Pages of the "Coalition and accountability" area: thin views over ``queries``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from broadfront.web.accountability import charts, queries
from broadfront.web.common.views import paginate


@login_required
def coalition(request: HttpRequest) -> HttpResponse:
    data = queries.coalition_overview(request.user, timezone.now())
    tables = [(t, charts.partner_status_chart(t.partners)) for t in data.tables]
    return render(request, "accountability/coalition.html", {"d": data, "tables": tables})


@login_required
def partner(request: HttpRequest, pk: int) -> HttpResponse:
    org = queries.get_partner_for_user(request.user, pk)
    return render(request, "accountability/partner.html",
                  {"d": queries.partner_detail(request.user, org, timezone.now())})


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    partner = request.GET.get("partner", "")
    rows = queries.commitment_list(request.user, timezone.now(), status=status, partner=partner)
    page = paginate(request, rows, per_page=50)
    extra = "&".join(f"{k}={v}" for k, v in (("status", status), ("partner", partner)) if v)
    return render(request, "accountability/commitments.html", {
        "page": page, "status": status, "partner": partner, "extra": extra,
        "statuses": [(s, queries.STATUS_LABELS[s]) for s in queries.STATUS_ORDER],
    })


@login_required
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    row = queries.get_commitment_for_user(request.user, pk, timezone.now())
    return render(request, "accountability/commitment.html", {"r": row})


@login_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.contributions(request.user), per_page=50)
    return render(request, "accountability/contributions.html", {"page": page})
