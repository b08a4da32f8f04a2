"""Pages of the "Bodies and power" area: thin views over ``queries`` and ``services``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from broadfront.exceptions import BroadfrontError
from broadfront.web.bodies import charts, queries, services
from broadfront.web.bodies.forms import WhatIfForm
from broadfront.web.common.lookups import get_visible
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.landscape.models import Body, Issue, Motion
from broadfront.web.scenarios import queries as scenario_queries


def _htmx(request: HttpRequest) -> bool:
    """Whether HTMX made the request (set by django-htmx's middleware)."""
    return bool(getattr(request, "htmx", False))


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "bodies/bodies.html", {"bodies": queries.bodies(request.user)})


def _issue(request: HttpRequest, body: Body, raw: str | None) -> Issue | None:
    """The issue chosen on the page (``?issue=``), ``none`` for none, else the body's default."""
    if raw == "none":
        return None
    if raw:
        return get_visible(Issue, request.user, slug=raw, what="issue")
    return services.default_issue(body)


def _power_chart(report: services.PowerReport) -> Any:
    return charts.power_chart([(m.member.name, m.weight_share, m.banzhaf, m.shapley_shubik)
                               for m in report.members])


def _page(request: HttpRequest, body: Body, *, status: int = 200, **extra: Any) -> HttpResponse:
    d = queries.body_detail(request.user, body)
    issue = _issue(request, body, request.GET.get("issue") or request.POST.get("issue"))
    ctx: dict[str, Any] = {
        "d": d, "chart": charts.seats_chart(d.blocs) if d.blocs else None,
        "issue": issue, "issues": Issue.objects.visible_to(request.user).order_by("name"),
        "scenarios": list(scenario_queries.scenarios(request.user).filter(body=body)
                          .order_by("name")),
        "can_simulate": bool(own_org_ids(request.user, ROLE_ORGANIZER)),
    }
    try:
        report = services.body_power(request.user, body, issue=issue)
        ctx["power"] = report
        ctx["power_chart"] = _power_chart(report)
        if body.kind == Body.Kind.CONVENTION:
            ctx["discipline"] = services.disciplined_bloc(
                services.members_of(request.user, body), report.rule, request.GET.get("bloc"))
        ctx["wf"] = _whatif_context(request, body, issue, {})
    except BroadfrontError as exc:
        ctx["power_error"] = str(exc)
    if "wf_override" in extra:
        ctx["wf"] = extra.pop("wf_override")
    ctx.update(extra)
    return render(request, "bodies/body.html", ctx, status=status)


def _whatif_context(request: HttpRequest, body: Body, issue: Issue | None,
                    data: Mapping[str, Any]) -> dict[str, Any]:
    """The what-if panel's context: the form (current values) and, after a change, the result.

    ``data`` is what was posted (empty: the body as stored); the form parses it and the
    service recomputes (either may refuse, naming the field).
    """
    changes = WhatIfForm(services.members_of(request.user, body), data).changes()
    w = services.what_if(request.user, body, changes, issue=issue)
    rows = []
    base = w.baseline.by_key()
    for m, p in zip(w.members, w.report.members, strict=True):
        rows.append({"m": m, "p": p, "side": w.sides[m.key], "w_value": f"{m.weight.normalize():f}",
                     "field": f"w_{m.seat_id}",
                     "before": base[m.key], "delta": w.delta(m.key)})
    blocs = sorted({m.bloc or "No bloc" for m in w.members})
    return {"w": w, "rows": rows, "blocs": blocs, "issue": issue,
            "chart": _power_chart(w.report) if w.changes else None,
            "kinds": [(k, str(label)) for k, label in services.VotingRule.Kind.choices],
            "rule": w.rule.kind,
            "threshold_pct": (w.rule.threshold * 100).normalize() if w.rule.threshold else "",
            "quota": w.rule.quota.normalize() if w.rule.quota else ""}


def _keep_posted(wf: dict[str, Any], posted: Any) -> None:
    """Show what the user typed (not the stored values) when the form had an error."""
    for row in wf["rows"]:
        sid = row["m"].seat_id
        row["w_value"] = posted.get(f"w_{sid}", row["w_value"])
        if posted.get(f"side_{sid}") in services.SIDES:
            row["side"] = posted[f"side_{sid}"]
    for key in ("rule", "threshold_pct", "quota"):
        field = {"threshold_pct": "threshold"}.get(key, key)
        if field in posted:
            wf[key] = posted[field]


@login_required
def body(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_visible(Body, request.user, slug=slug, what="body")
    return _page(request, body)


@login_required
@require_POST
def what_if(request: HttpRequest, slug: str) -> HttpResponse:
    """Recompute the body's power with the what-if form's changes (nothing is stored)."""
    body = get_visible(Body, request.user, slug=slug, what="body")
    issue = _issue(request, body, request.POST.get("issue"))
    data: dict[str, Any] = {} if "reset" in request.POST else request.POST.dict()
    try:
        wf = _whatif_context(request, body, issue, data)
    except BroadfrontError as exc:
        wf = _whatif_context(request, body, issue, {})
        _keep_posted(wf, request.POST)
        wf.update(error=str(exc), error_field=getattr(exc, "parameter", None))
        if _htmx(request):  # HTMX swaps 200 responses only: the form shows the error in place
            return render(request, "bodies/_whatif.html", {"wf": wf, "body": body})
        return _page(request, body, status=exc.http_status, wf_override=wf)
    if _htmx(request):
        return render(request, "bodies/_whatif.html", {"wf": wf, "body": body})
    return _page(request, body, wf_override=wf)


@login_required
def motion(request: HttpRequest, pk: int) -> HttpResponse:
    motion = get_visible(Motion, request.user, pk, what="motion", queryset=Motion.objects
                         .visible_to(request.user).select_related("body", "issue"))
    return render(request, "bodies/motion.html",
                  {"motion": motion, "votes": queries.motion_votes(request.user, motion)})
