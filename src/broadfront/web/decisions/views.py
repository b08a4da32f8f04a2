"""Pages of the "Decisions" area: thin views over ``queries`` (reads) and ``services`` (writes).

Every write goes through a ``do_*`` service, which checks the role, validates with errors that
name the field, and enforces the cooling-off period of a triggered decision on the server: a
refused close is shown on the page with the service's reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from broadfront import clock
from broadfront.analysis import tradeoffs
from broadfront.exceptions import BroadfrontError, ValidationError
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.decisions import charts, queries, services
from broadfront.web.decisions.models import Ballot, Decision, Impact, Option
from broadfront.web.organizations.models import Organization

IMPACT_FIELDS = ("upside", "upside_likelihood", "downside", "downside_likelihood")


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    return render(request, "decisions/decisions.html", {
        "d": queries.decisions_overview(request.user, clock.today()),
        "can_create": bool(own_org_ids(request.user, ROLE_ORGANIZER)),
    })


# --- the decision page ---------------------------------------------------------------------------

def _summary_context(page: queries.DecisionPage) -> dict[str, Any]:
    summary = page.summary
    if summary is None:
        return {"summary": None, "rows": [], "chart": None}
    return {"summary": summary, "rows": queries.summary_rows(summary),
            "chart": charts.who_bears_what(summary)}


def _vote_form(page: queries.DecisionPage) -> dict[str, Any]:
    """The user's current ballot laid out for the form of the decision's rule."""
    b = page.my_ballot
    ranking = list(b.ranking) if b is not None else []
    options = page.detail.options
    slots = [(k, ranking[k - 1] if k <= len(ranking) else None)
             for k in range(1, len(options) + 1)]
    rows = [{
        "option": o,
        "approved": b is not None and o.pk in (b.approve or []),
        "chosen": b is not None and b.choice_id == o.pk,
        "score": "" if b is None else f"{(b.scores or {}).get(str(o.pk), ''):}",
        "position": "" if b is None else (b.positions or {}).get(str(o.pk), ""),
    } for o in options]
    return {"rank_slots": slots, "vote_rows": rows,
            "my_role": b.role if b is not None else ("leader" if page.can_lead else "member")}


def _page(request: HttpRequest, decision: Decision, *, status: int = 200,
          **extra: Any) -> HttpResponse:
    page = queries.decision_page(request.user, decision, clock.now())
    context = {"p": page, "d": page.detail, "positions": Ballot.Position.choices,
               "count_label": tradeoffs.COUNT_LABELS.get(decision.rule, "counts"),
               **_summary_context(page), **_vote_form(page), **extra}
    return render(request, "decisions/decision.html", context, status=status)


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, services.get_decision_for_user(request.user, pk))


@login_required
def impact_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The trade-offs panel alone (reloaded by HTMX after a cell of the grid changes)."""
    d = services.get_decision_for_user(request.user, pk)
    page = queries.decision_page(request.user, d, clock.now())
    return render(request, "decisions/_summary.html", {"p": page, **_summary_context(page)})


def _option(decision: Decision, raw: str | None) -> Option:
    option = Option.objects.filter(decision=decision, pk=raw).first() if raw and raw.isdigit() \
        else None
    if option is None:
        raise Http404("No such option")
    return option


@login_required
@require_http_methods(["GET", "POST"])
def impact_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """One cell of the impact grid: GET shows it (``?edit=1``: as a form); POST saves it.

    With HTMX the response is the cell alone (after a save, ``HX-Trigger: impacts-changed``
    makes the trade-offs panel reload). Without it, a save returns to the decision page and
    an invalid value re-renders the page with the error beside the field (status 400).
    """
    d = services.get_decision_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else request.GET
    option = _option(d, data.get("option"))
    constituency = (data.get("constituency") or "").strip()
    impact = Impact.objects.filter(option=option, constituency=constituency).first()
    can_edit = d.state != Decision.State.CLOSED and \
        d.organization_id in own_org_ids(request.user, ROLE_ORGANIZER)
    context: dict[str, Any] = {"x": d, "option": option, "constituency": constituency,
                               "impact": impact, "can_edit": can_edit}
    if request.method == "GET":
        if data.get("edit") and can_edit:
            return render(request, "decisions/_cell_form.html",
                          {**context, "fields": cell_fields(_impact_values(impact)),
                           "note": impact.note if impact else ""})
        return render(request, "decisions/_cell.html", context)
    values = {name: (data.get(name) or "0").strip() for name in IMPACT_FIELDS}
    try:
        impact = services.do_set_impact(request.user, option, constituency,
                                        note=(data.get("note") or "").strip(), **values)
    except ValidationError as exc:
        error = {"field": exc.parameter or "", "message": str(exc)}
        fields = cell_fields(values, error["field"])
        note = data.get("note") or ""
        if _htmx(request):
            return render(request, "decisions/_cell_form.html",
                          {**context, "fields": fields, "note": note, "error": error})
        return _page(request, d, status=400, impact_error=error, impact_fields=fields,
                     impact_note=note, impact_option=option.pk,
                     impact_constituency=constituency)
    except BroadfrontError as exc:
        if _htmx(request):
            return render(request, "decisions/_cell_form.html", {
                **context, "fields": cell_fields(values), "note": data.get("note") or "",
                "error": {"field": "", "message": str(exc)}})
        messages.error(request, str(exc))
        return redirect(reverse("decisions:decision", args=[d.pk]))
    if _htmx(request):
        response = render(request, "decisions/_cell.html", {**context, "impact": impact})
        response["HX-Trigger"] = "impacts-changed"
        return response
    messages.success(request, f"Saved: {option.label} for {impact.constituency}.")
    return redirect(reverse("decisions:decision", args=[d.pk]) + "#impacts")


FIELD_LABELS = {"upside": ("Upside (size)", "any", None),
                "upside_likelihood": ("Likelihood of the upside (0 to 1)", "0.05", "1"),
                "downside": ("Downside (size)", "any", None),
                "downside_likelihood": ("Likelihood of the downside (0 to 1)", "0.05", "1")}


def cell_fields(values: dict[str, str], invalid: str = "") -> list[dict[str, Any]]:
    """The four inputs of a cell, with the one the error names marked invalid."""
    return [{"name": name, "label": label, "step": step, "max": top,
             "value": values.get(name, ""), "invalid": name == invalid}
            for name, (label, step, top) in FIELD_LABELS.items()]


def _htmx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (django-htmx's ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


def _impact_values(impact: Impact | None) -> dict[str, str]:
    if impact is None:
        return {name: "" for name in (*IMPACT_FIELDS, "note")}
    return {**{name: f"{getattr(impact, name).normalize():f}" for name in IMPACT_FIELDS},
            "note": impact.note}


# --- the vote ------------------------------------------------------------------------------------

def ballot_from_form(decision: Decision, data: Any) -> dict[str, Any]:
    """The keyword arguments of ``do_cast_ballot`` for the decision's rule, from a web form.

    Ranked rules read ``rank_1``, ``rank_2``, ... (option ids, blank to stop); approval reads
    ``approve`` (checkboxes); majority rules read ``choice``; score reads ``score_<id>``;
    consent reads ``position_<id>`` for each option.
    """
    options = list(decision.options.values_list("pk", flat=True))
    rule = decision.rule
    if rule in (Decision.Rule.INSTANT_RUNOFF, Decision.Rule.CONDORCET):
        ranking: list[int] = []
        for k in range(1, len(options) + 1):
            raw = (data.get(f"rank_{k}") or "").strip()
            if raw:
                ranking.append(_int(raw, "ranking"))
        if not ranking:
            raise ValidationError("rank at least your first choice", parameter="ranking")
        return {"ranking": ranking}
    if rule == Decision.Rule.APPROVAL:
        return {"approve": [_int(raw, "approve") for raw in data.getlist("approve")]}
    if rule in (Decision.Rule.MAJORITY, Decision.Rule.SUPERMAJORITY):
        raw = (data.get("choice") or "").strip()
        if not raw:
            raise ValidationError("choose one option", parameter="choice")
        return {"choice": _int(raw, "choice")}
    if rule == Decision.Rule.SCORE:
        scores: dict[str, float] = {}
        for pk in options:
            raw = (data.get(f"score_{pk}") or "").strip()
            if raw:
                try:
                    scores[str(pk)] = float(raw)
                except ValueError as exc:
                    raise ValidationError(f"a score must be a number, got {raw!r}",
                                          parameter="scores") from exc
                if not 0 <= scores[str(pk)] <= 5:
                    raise ValidationError(f"a score must be between 0 and 5, got {raw}",
                                          parameter="scores")
        if not scores:
            raise ValidationError("score at least one option", parameter="scores")
        return {"scores": scores}
    positions = {str(pk): data.get(f"position_{pk}") for pk in options
                 if data.get(f"position_{pk}")}
    if not positions:
        raise ValidationError("give your position on at least one option", parameter="positions")
    return {"positions": positions}


def _int(raw: str, field: str) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise ValidationError(f"{field}: not an option: {raw!r}", parameter=field) from exc


@login_required
@require_POST
def cast_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    d = services.get_decision_for_user(request.user, pk)
    role = request.POST.get("role") or "member"
    try:
        kwargs = ballot_from_form(d, request.POST)
        services.do_cast_ballot(request.user, d, role=role,
                                reason=(request.POST.get("reason") or "").strip(), **kwargs)
    except BroadfrontError as exc:
        return _page(request, d, status=exc.http_status, ballot_error=str(exc))
    messages.success(request, "Your ballot is counted. You can change it while the vote is open.")
    return redirect(reverse("decisions:decision", args=[d.pk]) + "#result")


@login_required
@require_POST
def close_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the vote; refused (409, with the reason on the page) while cooling off."""
    d = services.get_decision_for_user(request.user, pk)
    try:
        closed = services.do_close_decision(request.user, d)
    except BroadfrontError as exc:
        return _page(request, d, status=exc.http_status, close_error=str(exc),
                     close_code=exc.code)
    outcome = closed.outcome.label if closed.outcome else None
    messages.success(request, f"Decided: {outcome}." if outcome else
                     "Closed without a winner under the rule.")
    return redirect(reverse("decisions:decision", args=[d.pk]))


# --- creating a decision -------------------------------------------------------------------------

def _date(raw: str, field: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError(f"{field} must be a date (YYYY-MM-DD), got {raw!r}",
                              parameter=field) from exc


def create_kwargs(data: Any, organizations: list[Organization]) -> dict[str, Any]:
    """The keyword arguments of ``do_create_decision`` from the "new decision" form."""
    slug = data.get("organization") or (organizations[0].slug if organizations else "")
    organization = next((o for o in organizations if o.slug == slug), None)
    if organization is None:
        raise ValidationError("choose one of your organizations", parameter="organization")
    options, descriptions = [], []
    for line in (data.get("options") or "").splitlines():
        label, _, description = line.partition(":")
        if label.strip():
            options.append(label.strip())
            descriptions.append(description.strip())
    if not options:
        raise ValidationError("list at least one option, one per line", parameter="options")
    raw_quorum = (data.get("quorum") or "0").strip() or "0"
    if not raw_quorum.isdigit():
        raise ValidationError(f"quorum must be a whole number of ballots, got {raw_quorum!r}",
                              parameter="quorum")
    closes = _date(data.get("closes_on") or "", "closes_on")
    return {
        "organization": organization,
        "question": (data.get("question") or "").strip(),
        "context": (data.get("context") or "").strip(),
        "options": options,
        "descriptions": descriptions,
        "rule": data.get("rule") or "consent",
        "combine": data.get("combine") or "both",
        "leader_weight": (data.get("leader_weight") or "").strip() or None,
        "supermajority": (data.get("supermajority") or "").strip() or None,
        "quorum": int(raw_quorum),
        "triggered_by": data.get("triggered_by") or "",
        "closes_at": timezone.make_aware(dt.datetime.combine(closes, dt.time(18)))
        if closes else None,
        "review_due": _date(data.get("review_due") or "", "review_due"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest) -> HttpResponse:
    organizations = list(Organization.objects.filter(
        pk__in=own_org_ids(request.user, ROLE_ORGANIZER)).order_by("name"))
    if not organizations:
        raise Http404("You organize no organization here")
    error: dict[str, str] | None = None
    status = 200
    if request.method == "POST":
        try:
            d = services.do_create_decision(request.user, **create_kwargs(request.POST,
                                                                          organizations))
        except BroadfrontError as exc:
            error = {"field": getattr(exc, "parameter", None) or "", "message": str(exc)}
            status = exc.http_status
        else:
            messages.success(request, "The decision is open. Add who gains and who pays below.")
            return redirect(reverse("decisions:decision", args=[d.pk]))
    return render(request, "decisions/new.html", {
        "organizations": organizations, "form": request.POST, "error": error,
        "rules": Decision.Rule.choices, "combines": Decision.Combine.choices,
        "triggers": Decision.Trigger.choices,
    }, status=status)


# --- reviews and calibration ---------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Expected against actual per constituency; organizers record a review here."""
    d = services.get_decision_for_user(request.user, pk)
    error: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        try:
            reviewed_on = _date(request.POST.get("reviewed_on") or "", "reviewed_on") \
                or clock.today()
            services.do_record_review(request.user, d, reviewed_on=reviewed_on,
                                      actual=_actual_from_form(request.POST),
                                      summary=(request.POST.get("summary") or "").strip())
        except services.ReviewValidationError as exc:
            error = {"field": "actual", "message": str(exc),
                     "problems": [p.message for p in exc.problems],
                     "bad": {(p.constituency, p.field) for p in exc.problems}}
            status = exc.http_status
        except BroadfrontError as exc:
            error = {"field": getattr(exc, "parameter", None) or "", "message": str(exc),
                     "problems": [str(exc)], "bad": set()}
            status = exc.http_status
        else:
            messages.success(request, "Review recorded.")
            return redirect(reverse("decisions:review", args=[d.pk]))
    page = queries.review_page(request.user, d)
    return render(request, "decisions/review.html", {
        "r": page, "x": d, "error": error, "form": request.POST,
        "rows": _review_form_rows(page.constituencies, request.POST, error),
        "today": clock.today(),
    }, status=status)


def _review_suffixes(data: Any) -> list[str]:
    """The ``<n>`` of every ``constituency_<n>`` field, in form order."""
    return [key.removeprefix("constituency_") for key in data
            if key.startswith("constituency_")]


def _actual_from_form(data: Any) -> dict[str, dict[str, str]]:
    """``gained_<n>`` and ``lost_<n>`` for ``constituency_<n>``, as typed (the service checks
    them). A line left blank is left out; one blank box of a filled line counts as 0."""
    actual: dict[str, dict[str, str]] = {}
    for n in _review_suffixes(data):
        name = (data.get("constituency_" + n) or "").strip()
        sizes = {f: (data.get(f"{f}_{n}") or "").strip() for f in services.REVIEW_FIELDS}
        given = {f: v for f, v in sizes.items() if v}
        if not given:
            continue
        if not name:
            raise ValidationError("give the unforeseen constituency a name, or clear its "
                                  "gained and lost", parameter="constituency_new")
        if name in actual:
            raise ValidationError(f"{name} appears twice in the review",
                                  parameter="constituency_new")
        actual[name] = given
    if not actual:
        raise ValidationError("record what at least one constituency gained or lost",
                              parameter="actual")
    return actual


def _review_form_rows(constituencies: list[str], data: Any,
                      error: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The review form's lines: each grid constituency, then one for a constituency nobody
    foresaw, keeping what was typed and marking the boxes an error names."""
    bad = error["bad"] if error else set()
    rows = []
    for n, name in [(str(k), c) for k, c in enumerate(constituencies, start=1)] + [("new", "")]:
        if n == "new":
            name = (data.get("constituency_new") or "").strip()
        row: dict[str, Any] = {"n": n, "name": name, "new": n == "new",
                               "name_bad": n == "new" and error is not None
                               and error["field"] == "constituency_new"}
        for f in services.REVIEW_FIELDS:
            row[f] = data.get(f"{f}_{n}", "")
            row[f + "_bad"] = (name, f) in bad or (bool(name) and (name, "") in bad)
        rows.append(row)
    return rows


@login_required
def calibration(request: HttpRequest) -> HttpResponse:
    """An organization's record: over its reviewed decisions, were we too rosy, and for whom?"""
    slug = request.GET.get("org")
    organization = None
    if slug:
        organization = Organization.objects.filter(
            slug=slug, pk__in=own_org_ids(request.user)).first()
        if organization is None:
            raise Http404("No such organization of yours")
    record = queries.calibration_record(request.user, organization)
    chart = charts.calibration_chart([
        (r.reviewed_on.isoformat(), r.decision.question,
         [(c.constituency, c.error) for c in r.comparison.constituencies])
        for r in record.reviewed
    ]) if record.reviewed else None
    return render(request, "decisions/calibration.html", {"c": record, "chart": chart})
