"""Pages of the "Landscape" and "Bodies and power" areas: thin views over ``queries``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadfront.web.common.views import paginate
from broadfront.web.landscape import charts, queries
from broadfront.web.landscape.models import Relationship


@login_required
def landscape(request: HttpRequest) -> HttpResponse:
    issues, n_relationships, recent = queries.landscape_overview(request.user)
    return render(request, "landscape/landscape.html", {
        "issues": issues, "bands": [label for label, _ in queries.BANDS],
        "n_relationships": n_relationships, "recent": recent,
    })


@login_required
def issue(request: HttpRequest, slug: str) -> HttpResponse:
    issue = queries.get_issue_for_user(request.user, slug)
    actors = queries.latest_stances(request.user, issue)
    return render(request, "landscape/issue.html", {
        "issue": issue, "actors": actors, "chart": charts.spectrum_chart(actors),
        "motions": issue.motions.select_related("body").order_by("-date")[:10],
    })


@login_required
def relationship_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    page = paginate(request, queries.relationships(request.user, kind).order_by("kind", "id"), 50)
    return render(request, "landscape/relationships.html", {
        "page": page, "kind": kind, "kinds": Relationship.Kind.choices,
        "extra": f"kind={kind}" if kind else "",
    })


@login_required
def actor(request: HttpRequest, pk: int) -> HttpResponse:
    org = queries.get_actor_for_user(request.user, pk)
    return render(request, "landscape/actor.html", {"d": queries.actor_detail(request.user, org)})
