"""Pages of the "Bloc building" area: thin views over ``queries``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from broadfront.web.campaigns import charts, queries
from broadfront.web.common.views import paginate


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    rows = queries.campaign_progress(request.user)
    blocs = [r for r in rows if r.goal]
    return render(request, "campaigns/campaigns.html", {
        "rows": rows, "chart": charts.progress_chart(blocs) if blocs else None,
        "squads": queries.squads(request.user).order_by("-n_recruits", "name")[:10],
    })


def _targets_context(request: HttpRequest, campaign: object) -> dict[str, object]:
    sort = request.GET.get("sort", "precinct")
    if sort not in queries.SORTS:
        sort = "precinct"
    desc = request.GET.get("dir") == "desc"
    search = request.GET.get("q", "").strip()
    page = paginate(request, queries.targets(request.user, campaign, sort, desc, search), 25)  # type: ignore[arg-type]
    columns = [("precinct", "Precinct", ""), ("attendance", "Expected at caucus", "num"),
               ("goal", "Goal", "num"), ("recruited", "Committed", "num"),
               ("ours", "Ours", "num"), ("gap", "Still needed", "num")]
    extra = f"sort={sort}&dir={'desc' if desc else 'asc'}"
    return {"campaign": campaign, "page": page, "sort": sort, "desc": desc, "q": search,
            "columns": columns, "extra": extra}


@login_required
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    c = queries.get_campaign_for_user(request.user, slug)
    context = _targets_context(request, c)
    context["d"] = queries.campaign_detail(request.user, c, timezone.localdate())
    return render(request, "campaigns/campaign.html", context)


@login_required
def target_table(request: HttpRequest, slug: str) -> HttpResponse:
    """The sortable precinct table alone (HTMX swaps it in place; also a plain page)."""
    c = queries.get_campaign_for_user(request.user, slug)
    return render(request, "campaigns/_targets.html", _targets_context(request, c))


@login_required
def squad(request: HttpRequest, pk: int) -> HttpResponse:
    s = queries.get_squad_for_user(request.user, pk)
    return render(request, "campaigns/squad.html",
                  {"squad": s, "recruits": queries.squad_recruits(request.user, s)})
