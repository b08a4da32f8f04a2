"""Pages of the "Our power" and "Leaders" areas: thin views over ``queries``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from broadfront.web.common.views import paginate
from broadfront.web.organizations import charts, queries


@login_required
def power(request: HttpRequest) -> HttpResponse:
    data = queries.power_overview(request.user, timezone.now())
    return render(request, "organizations/power.html", {
        "d": data,
        "stage_chart": charts.stage_bars(data.stages) if data.organizations else None,
    })


@login_required
def people(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = paginate(request, queries.people(request.user, search), per_page=50)
    stages = queries.current_stages(request.user)
    rows = [(p, stages.get(p.pk)) for p in page.object_list]
    template = ("organizations/_people_table.html" if request.headers.get("HX-Request") == "true"
                else "organizations/people.html")
    return render(request, template, {"page": page, "rows": rows, "q": search,
                                      "stage_labels": dict(queries.LadderStage.choices)})


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    person = queries.get_person_for_user(request.user, pk)
    return render(request, "organizations/person.html",
                  {"d": queries.person_detail(request.user, person)})


@login_required
def events(request: HttpRequest) -> HttpResponse:
    qs = queries.events_with_counts(request.user).order_by("-starts_at")
    scope = request.GET.get("scope", "ours")
    if scope != "coalition":
        qs = qs.filter(organization_id__in=queries.own_org_ids(request.user))
    page = paginate(request, qs, per_page=40)
    return render(request, "organizations/events.html",
                  {"page": page, "scope": scope, "now": timezone.now()})


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    event = queries.get_event_for_user(request.user, pk)
    return render(request, "organizations/event.html", {
        "event": event,
        "attendance": queries.event_attendance(request.user, event),
        "ours": event.organization_id in queries.own_org_ids(request.user),
    })


@login_required
def leaders(request: HttpRequest) -> HttpResponse:
    data = queries.leaders_overview(request.user)
    return render(request, "organizations/leaders.html", {
        "d": data,
        "chart": charts.ladder_pipeline(data.reached, data.current),
    })


@login_required
def stage(request: HttpRequest, stage: str) -> HttpResponse:
    label = queries.stage_label(stage)
    page = paginate(request, queries.people_at_stage(request.user, stage), per_page=50)
    return render(request, "organizations/stage.html", {"page": page, "label": label})
