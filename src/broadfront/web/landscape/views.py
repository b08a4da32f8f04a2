"""Pages of the "Landscape" area: thin views over ``queries``, ``mapping``, ``alignment``.

Writes go through :mod:`.services` (the same functions the REST API calls).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from broadfront import clock
from broadfront.exceptions import (
    BroadfrontError,
    ValidationError,
)
from broadfront.web.common.forms import add_service_error, error_status
from broadfront.web.common.lookups import get_visible
from broadfront.web.common.views import paginate
from broadfront.web.landscape import alignment, charts, forms, mapping, queries, services
from broadfront.web.landscape.models import Body, Relationship


@login_required
def landscape(request: HttpRequest) -> HttpResponse:
    issues, n_relationships, recent = queries.landscape_overview(request.user)
    return render(request, "landscape/landscape.html", {
        "issues": issues, "bands": [label for label, _ in queries.BANDS],
        "n_relationships": n_relationships, "recent": recent,
        "can_record": services.can_record(request.user),
        "bodies": alignment.bodies_with_votes(),
    })


@login_required
def issue(request: HttpRequest, slug: str) -> HttpResponse:
    issue = services.get_issue_for_user(request.user, slug)
    s = queries.issue_spectrum(request.user, issue)
    return render(request, "landscape/issue.html", {
        "issue": issue, "s": s, "actors": s.actors,
        "chart": charts.spectrum_chart(s.actors, s.influence),
        "motions": issue.motions.select_related("body").order_by("-date")[:10],
        "can_record": services.can_record(request.user),
    })


@login_required
def power_grid(request: HttpRequest, slug: str) -> HttpResponse:
    issue = services.get_issue_for_user(request.user, slug)
    s = queries.issue_spectrum(request.user, issue)
    return render(request, "landscape/grid.html", {
        "issue": issue, "s": s,
        "grid": charts.power_grid_chart(s.actors, s.influence) if s.actors else "",
    })


@login_required
def relationship_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    page = paginate(request, queries.relationships(request.user, kind).order_by("kind", "id"), 50)
    return render(request, "landscape/relationships.html", {
        "page": page, "kind": kind, "kinds": Relationship.Kind.choices,
        "extra": f"kind={kind}" if kind else "", "can_record": services.can_record(request.user),
    })


def _actor_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = services.get_actor_for_user(request.user, kind, pk)
    detail = queries.actor_detail(request.user, obj)
    return render(request, "landscape/actor.html", {
        "d": detail, "m": mapping.actor_map(request.user, obj, clock.today()),
        "can_record": services.can_record(request.user),
    })


@login_required
def actor(request: HttpRequest, pk: int) -> HttpResponse:
    return _actor_page(request, "organization", pk)


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    return _actor_page(request, "person", pk)


# --- the power map ----------------------------------------------------------------------------

def _filter(request: HttpRequest) -> mapping.MapFilter:
    return mapping.parse_filter(request.GET.getlist("type"), request.GET.get("on"),
                                request.GET.get("start"), request.GET.get("end"))


@login_required
def power_map(request: HttpRequest) -> HttpResponse:
    return render(request, "landscape/map.html", {
        "kinds": Relationship.Kind.choices, "today": clock.today(),
        "graph_url": reverse("landscape:graph-json"),
        "export_url": reverse("landscape:graph-export"),
    })


def _json_error(exc: BroadfrontError) -> JsonResponse:
    return JsonResponse({"code": exc.code, "message": str(exc),
                         "field": getattr(exc, "parameter", None)}, status=exc.http_status)


@login_required
def graph_json(request: HttpRequest) -> JsonResponse:
    try:
        return JsonResponse(mapping.graph_json(request.user, _filter(request)))
    except ValidationError as exc:
        return _json_error(exc)


@login_required
def graph_export(request: HttpRequest) -> HttpResponse:
    try:
        data = mapping.export_json(request.user, _filter(request))
    except ValidationError as exc:
        return _json_error(exc)
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    stamp = clock.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="power-map-{stamp}.json"'
    return response


# --- who is moving on a body ------------------------------------------------------------------

@login_required
def body_alignment(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_visible(Body, request.user, slug=slug, what="body")
    raw = request.GET.get("anchor", "")
    anchor = int(raw) if raw.isdigit() else None
    status = 200
    try:
        a = alignment.body_alignment(request.user, body, anchor)
    except ValidationError as exc:
        messages.error(request, str(exc))
        a = alignment.body_alignment(request.user, body, None)
        status = 400
    r = a.realignment
    movement = ""
    if r is not None:
        names = {str(m.pk): m.name for m in a.members}
        movement = charts.movement_chart(
            r.periods, [names.get(m, m) for m in r.members],
            [[float(x) for x in r.positions[:, j]] for j in range(len(r.members))],
            {m.name for m in a.movers})
    return render(request, "landscape/alignment.html", {
        "a": a, "chart": charts.alignment_chart(a.members, a.anchor_name) if a.fit else "",
        "movement": movement,
    }, status=status)


# --- alerts -----------------------------------------------------------------------------------

@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    return render(request, "landscape/alerts.html", {
        "drops": queries.stance_drops(request.user),
        "drifts": alignment.all_drift_alerts(request.user),
        "ties": queries.new_ties_to_opposition(request.user, today),
        "today": today,
    })


# --- forms ------------------------------------------------------------------------------------

@login_required
def stance_new(request: HttpRequest) -> HttpResponse:
    include = request.GET.get("actor", "")
    initial = {"actor": include, "issue": request.GET.get("issue", "")}
    form = forms.StanceForm(request.user, request.POST or None, include=include, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                org, person_ = forms.resolve_actor(request.user, d["actor"])
                stance = services.do_record_stance(
                    request.user, issue=d["issue"], organization=org, person=person_,
                    score=d["score"], assessed_on=d["assessed_on"], evidence=d["evidence"],
                    recorded_by=d.get("recorded_by"))
            except BroadfrontError as exc:
                add_service_error(form, exc, forms.FIELD_OF)
                status = error_status(exc)
            else:
                messages.success(request, f"Recorded: {stance.actor} at {stance.score:+d} "
                                          f"({stance.label}) on {stance.issue.name}. Earlier "
                                          "assessments stay in the history.")
                return redirect("landscape:issue", stance.issue.slug)
        else:
            status = 400
    return render(request, "landscape/stance_form.html", {"form": form}, status=status)


@login_required
def relationship_new(request: HttpRequest) -> HttpResponse:
    include = request.GET.get("actor", "")
    form = forms.RelationshipForm(request.user, request.POST or None, include=include,
                                  initial={"source_actor": include})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                src_org, src_person = forms.resolve_actor(request.user, d["source_actor"], "source_actor")
                dst_org, dst_person = forms.resolve_actor(request.user, d["target_actor"], "target_actor")
                rel = services.do_record_relationship(
                    request.user, kind=d["kind"], source=d["source"],
                    source_organization=src_org, source_person=src_person,
                    target_organization=dst_org, target_person=dst_person,
                    start_date=d["start_date"], end_date=d["end_date"], strength=d["strength"],
                    recorded_by=d.get("recorded_by"))
            except BroadfrontError as exc:
                add_service_error(form, exc, forms.FIELD_OF)
                status = error_status(exc)
            else:
                messages.success(request, f"Recorded: {rel}.")
                return redirect("landscape:relationships")
        else:
            status = 400
    return render(request, "landscape/relationship_form.html", {"form": form}, status=status)


