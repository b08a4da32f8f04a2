"""Pages of the "Bloc building" area: thin views over ``queries`` and ``services``."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from broadfront import clock
from broadfront.analysis.caucus import RULES
from broadfront.exceptions import (
    BroadfrontError,
    ValidationError,
)
from broadfront.web.campaigns import charts, forms, queries, services
from broadfront.web.campaigns.models import CaucusResult, Recruit, Squad, Target
from broadfront.web.common.forms import add_service_error, error_status
from broadfront.web.common.lookups import get_visible
from broadfront.web.common.tenancy import own_org_ids
from broadfront.web.common.views import paginate

CALCULATOR_ROWS = 8
"""Subcaucus rows on the caucus-night calculator."""

RULE_LABELS = {"dfl": "DFL walking subcaucus", "iowa": "Iowa Democratic Party",
               "fair-reflection": "Fair reflection (15%)"}


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    rows = queries.campaign_progress(request.user)
    blocs = [r for r in rows if r.goal]
    return render(request, "campaigns/campaigns.html", {
        "rows": rows, "chart": charts.progress_chart(blocs) if blocs else None,
        "squads": queries.squads(request.user).order_by("-n_recruits", "name")[:10],
        "in_an_organization": bool(own_org_ids(request.user)),
    })


# (sort key, heading, CSS classes): on a phone only the precinct, what is still needed and the
# chance stay.
COLUMNS = [("precinct", "Precinct", ""), ("attendance", "Expected at caucus", "num hide-phone"),
           ("goal", "Goal", "num hide-phone"), ("recruited", "Committed", "num hide-phone"),
           ("ours", "Ours", "num hide-phone"), ("gap", "Still needed", "num"),
           ("probability", "Chance by caucus night", "num")]


def _targets_context(request: HttpRequest, campaign: Any,
                     forecast: queries.CampaignForecast | None = None) -> dict[str, Any]:
    sort = request.GET.get("sort", "precinct")
    if sort not in queries.ROW_SORTS:
        sort = "precinct"
    desc = request.GET.get("dir") == "desc"
    search = request.GET.get("q", "").strip()
    forecast = forecast or queries.campaign_forecast(request.user, campaign, clock.today())
    page = paginate(request, queries.sorted_rows(forecast.rows, sort, desc, search), 25)
    extra = f"sort={sort}&dir={'desc' if desc else 'asc'}"
    return {"campaign": campaign, "page": page, "sort": sort, "desc": desc, "q": search,
            "columns": COLUMNS, "extra": extra, "f": forecast}


@login_required
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign dashboard: progress, the forecast in words, the chart and the table."""
    c = services.get_campaign_for_user(request.user, slug)
    today = clock.today()
    forecast = queries.campaign_forecast(request.user, c, today)
    context = _targets_context(request, c, forecast)
    context["d"] = queries.campaign_detail(request.user, c, today)
    context["in_an_organization"] = bool(own_org_ids(request.user))
    context["chart"] = charts.forecast_chart(forecast) if forecast.rows else None
    return render(request, "campaigns/campaign.html", context)


@login_required
def target_table(request: HttpRequest, slug: str) -> HttpResponse:
    """The sortable precinct table alone (HTMX swaps it in place; also a plain page)."""
    c = services.get_campaign_for_user(request.user, slug)
    return render(request, "campaigns/_targets.html", _targets_context(request, c))


@login_required
def squad(request: HttpRequest, pk: int) -> HttpResponse:
    s = services.get_squad_for_user(request.user, pk)
    return render(request, "campaigns/squad.html",
                  {"squad": s, "recruits": queries.squad_recruits(request.user, s)})


# --- the precinct page and the caucus-night calculator -----------------------------------------


def _target_or_404(user: Any, campaign: Any, division_id: int) -> Target:
    return get_visible(Target, user, what="precinct", campaign=campaign, division_id=division_id,
                       queryset=Target.objects.visible_to(user).select_related("division"))


def calculator_input(data: QueryDict) -> dict[str, Any]:
    """Read the calculator form: rows ``name_i``/``count_i``, ``ours`` (a row), the rest."""
    groups: dict[str, str] = {}
    ours = ""
    for i in range(CALCULATOR_ROWS):
        name = data.get(f"name_{i}", "").strip()
        count = data.get(f"count_{i}", "").strip()
        if not name and not count:
            continue
        if not name:
            raise ValidationError(f"row {i + 1}: give the subcaucus a name", parameter="groups")
        groups[name] = count or "0"
        if data.get("ours") == str(i):
            ours = name
    if not groups:
        raise ValidationError("enter at least one subcaucus and its members", parameter="groups")
    return {"groups": groups, "delegates": data.get("delegates", ""),
            "rule": data.get("rule", "dfl"), "attendees": data.get("attendees", "").strip(),
            "seed": data.get("seed", "").strip(), "ours": ours}


def _form_rows(data: QueryDict | None, stored: CaucusResult | None, goal: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if data is not None and any(k.startswith("name_") for k in data):
        for i in range(CALCULATOR_ROWS):
            rows.append({"i": i, "name": data.get(f"name_{i}", ""),
                         "count": data.get(f"count_{i}", ""), "ours": data.get("ours") == str(i)})
        return rows
    preset: list[tuple[str, Any]] = []
    ours_name = ""
    if stored is not None:
        preset = list(stored.subcaucuses.items())
        ours_name = stored.our_subcaucus
    else:
        preset = [("Our bloc", goal)]
        ours_name = "Our bloc"
    for i in range(CALCULATOR_ROWS):
        name, count = preset[i] if i < len(preset) else ("", "")
        rows.append({"i": i, "name": name, "count": count, "ours": bool(name) and name == ours_name})
    return rows


def _calculate(data: QueryDict) -> dict[str, Any]:
    """Allocation and the "what if" moves for the form, or the error naming the field."""
    try:
        inp = calculator_input(data)
        calc = services.calculate_caucus(inp["groups"], inp["delegates"], rule=inp["rule"],
                                         attendees=inp["attendees"], seed=inp["seed"],
                                         bloc=inp["ours"] or None)
    except ValidationError as exc:
        return {"error": str(exc), "error_field": exc.parameter}
    result, counts, moves = calc.result, calc.counts, calc.what_if
    table = [{"name": n, "members": counts[n], "viable": result.viable[n],
              "quota": float(result.quota.get(n, 0)), "delegates": d, "ours": n == inp["ours"]}
             for n, d in result.allocation.items()]
    return {"result": result, "rows": table, "whatif": moves, "ours": inp["ours"],
            "rule_label": RULE_LABELS[result.rule],
            "divisor": None if result.divisor is None else f"{float(result.divisor):.3f}"}


def _people_context(request: HttpRequest, c: Any, target: Target,
                    squad_form: Any = None, recruit_form: Any = None) -> dict[str, Any]:
    """Target progress, our squads and recruits here, and the forms (organizers only)."""
    division_id = target.division_id
    forecast = queries.campaign_forecast(request.user, c, clock.today(),
                                         division_id=division_id)
    organizer = forms.can_organize(request.user)
    return {
        "campaign": c, "target": target, "division": target.division,
        "row": forecast.rows[0] if forecast.rows else None, "f": forecast,
        "squads": list(Squad.objects.visible_to(request.user)
                       .filter(campaign=c, division_id=division_id)
                       .select_related("leader", "organization")),
        "recruits": list(Recruit.objects.visible_to(request.user)
                         .filter(campaign=c, division_id=division_id)
                         .select_related("person", "squad")
                         .order_by("person__family_name", "person__given_name")),
        "can_organize": organizer,
        "squad_form": (squad_form or forms.SquadForm(request.user, target.division,
                                                     auto_id="squad_%s")) if organizer else None,
        "recruit_form": (recruit_form or forms.RecruitForm(request.user, c, target.division,
                                                           auto_id="recruit_%s"))
        if organizer else None,
        "statuses": Recruit.Status.choices,
    }


@login_required
def precinct(request: HttpRequest, slug: str, division_id: int, *,
             squad_form: Any = None, recruit_form: Any = None, status: int = 200) -> HttpResponse:
    """One precinct: target and forecast, our squads and recruits, the caucus calculator."""
    c = services.get_campaign_for_user(request.user, slug)
    target = _target_or_404(request.user, c, division_id)
    stored = CaucusResult.objects.visible_to(request.user).filter(
        campaign=c, division_id=division_id).first()
    data = request.GET if "delegates" in request.GET else None
    context = _people_context(request, c, target, squad_form, recruit_form)
    calc = _calculate(data) if data is not None else None
    if calc is not None and "error" in calc and status == 200:
        status = 400
    context.update({
        "stored": stored, "rules": [(r, RULE_LABELS[r]) for r in RULES],
        "form_rows": _form_rows(data, stored, target.goal),
        "form": data or {"delegates": stored.delegates if stored else "",
                         "rule": stored.rule if stored else "dfl",
                         "attendees": "", "seed": ""},
        "calc": calc,
    })
    return render(request, "campaigns/precinct.html", context, status=status)


@login_required
@require_POST
def squad_new(request: HttpRequest, slug: str, division_id: int) -> HttpResponse:
    """Form a squad of one of the user's organizations in this precinct (organizers)."""
    c = services.get_campaign_for_user(request.user, slug)
    target = _target_or_404(request.user, c, division_id)
    form = forms.SquadForm(request.user, target.division, request.POST, auto_id="squad_%s")
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        try:
            s = services.do_form_squad(request.user, c, organization=d["organization"],
                                       division=target.division, name=d["name"],
                                       leader=d["leader"], formed_on=d["formed_on"])
        except BroadfrontError as exc:
            add_service_error(form, exc)
            status = error_status(exc)
        else:
            messages.success(request, f"Squad {s.name} formed in {target.division}"
                                      f"{f', led by {s.leader}' if s.leader else ''}.")
            return redirect("blocs:precinct", slug=c.slug, division_id=division_id)
    elif not forms.can_organize(request.user):
        status = 403
    return precinct(request, slug, division_id, squad_form=form, status=status)


def _recruits_response(request: HttpRequest, c: Any, target: Target, status: int = 200,
                       recruit_form: Any = None, notice: str = "",
                       error: str = "") -> HttpResponse:
    """The recruits card and (out of band) the progress figures, for HTMX."""
    return render(request, "campaigns/_recruits.html",
                  {**_people_context(request, c, target, recruit_form=recruit_form),
                   "oob": True, "notice": notice, "error": error}, status=status)


@login_required
@require_POST
def recruit_new(request: HttpRequest, slug: str, division_id: int) -> HttpResponse:
    """Record that one of our people committed to come (HTMX: the card updates in place)."""
    c = services.get_campaign_for_user(request.user, slug)
    target = _target_or_404(request.user, c, division_id)
    form = forms.RecruitForm(request.user, c, target.division, request.POST, auto_id="recruit_%s")
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        try:
            r = services.do_record_recruit(request.user, c, person=d["person"],
                                           division=target.division, squad=d["squad"],
                                           committed_on=d["committed_on"])
        except BroadfrontError as exc:
            add_service_error(form, exc)
            status = error_status(exc)
        else:
            notice = f"{r.person} has committed to come to the caucus."
            if request.htmx:  # type: ignore[attr-defined]
                return _recruits_response(request, c, target, notice=notice)
            messages.success(request, notice)
            return redirect("blocs:precinct", slug=c.slug, division_id=division_id)
    elif not forms.can_organize(request.user):
        status = 403
    if request.htmx:  # type: ignore[attr-defined]
        return _recruits_response(request, c, target, status, recruit_form=form)
    return precinct(request, slug, division_id, recruit_form=form, status=status)


@login_required
@require_POST
def recruit_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Mark one of our recruits committed, attended or dropped (after caucus night)."""
    c = services.get_campaign_for_user(request.user, slug)
    recruit = get_visible(Recruit, request.user, pk, what="recruit", campaign=c)
    target = _target_or_404(request.user, c, recruit.division_id)
    status, notice, error = 200, "", ""
    try:
        services.do_set_recruit_status(request.user, recruit, request.POST.get("status", ""))
    except BroadfrontError as exc:
        error, status = f"Not changed: {exc}", error_status(exc)
    else:
        notice = f"{recruit.person}: {recruit.get_status_display().lower()}."
    if request.htmx:  # type: ignore[attr-defined]
        return _recruits_response(request, c, target, status, notice=notice, error=error)
    if error:
        messages.error(request, error)
        return precinct(request, slug, recruit.division_id, status=status)
    messages.success(request, notice)
    return redirect("blocs:precinct", slug=c.slug, division_id=recruit.division_id)


@login_required
def campaign_squads(request: HttpRequest, slug: str) -> HttpResponse:
    """Our squads in the campaign: precinct, leader, recruits committed, attended, dropped."""
    c = services.get_campaign_for_user(request.user, slug)
    rows = (Squad.objects.visible_to(request.user).filter(campaign=c)
            .select_related("division", "leader", "organization")
            .annotate(committed=Count("recruits", filter=Q(recruits__status="committed")),
                      attended=Count("recruits", filter=Q(recruits__status="attended")),
                      dropped=Count("recruits", filter=Q(recruits__status="dropped"))))
    ordered = sorted(rows, key=lambda s: (queries._natural(s.division.name), s.name))
    page = paginate(request, ordered, 50)
    forecast = queries.campaign_forecast(request.user, c, clock.today())
    return render(request, "campaigns/squads.html", {
        "campaign": c, "page": page, "f": forecast,
        "in_an_organization": bool(own_org_ids(request.user)),
        "several_organizations": len(own_org_ids(request.user)) > 1,
        "can_organize": forms.can_organize(request.user),
        "without": [r for r in queries.sorted_rows(forecast.rows, "probability", False)
                    if not r.squads][:10],
    })


@login_required
def calculate(request: HttpRequest, slug: str, division_id: int) -> HttpResponse:
    """The calculator's result alone (HTMX); without HTMX, the precinct page with the result."""
    c = services.get_campaign_for_user(request.user, slug)
    _target_or_404(request.user, c, division_id)
    if not request.htmx:  # type: ignore[attr-defined]
        return precinct(request, slug, division_id)
    calc = _calculate(request.GET)
    return render(request, "campaigns/_calculator_result.html",
                  {"calc": calc, "campaign": c, "division_id": division_id},
                  status=400 if "error" in calc else 200)


@login_required
@require_POST
def save_result(request: HttpRequest, slug: str, division_id: int) -> HttpResponse:
    """Save caucus night's result for the precinct (the service computes delegates won)."""
    c = services.get_campaign_for_user(request.user, slug)
    target = _target_or_404(request.user, c, division_id)
    try:
        inp = calculator_input(request.POST)
        if not inp["ours"]:
            raise ValidationError("mark which subcaucus is ours", parameter="our_subcaucus")
        result = services.do_record_caucus_result(
            request.user, c, division=target.division, groups=inp["groups"],
            delegates=inp["delegates"], our_subcaucus=inp["ours"], rule=inp["rule"],
            attendees=inp["attendees"], seed=inp["seed"])
    except BroadfrontError as exc:
        messages.error(request, f"Not saved: {exc}")
    else:
        messages.success(request, f"Saved: {result.delegates_won} of {result.delegates} "
                                  f"delegates for {result.our_subcaucus} in {target.division}.")
    return redirect("blocs:precinct", slug=c.slug, division_id=division_id)


# --- the convention ----------------------------------------------------------------------------


def _int_param(request: HttpRequest, name: str, default: int, lo: int, hi: int) -> int:
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return default
    return min(hi, max(lo, value))


@login_required
def convention(request: HttpRequest, slug: str) -> HttpResponse:
    """Our bloc's delegates through the levels and what it can do at the endorsement."""
    c = services.get_campaign_for_user(request.user, slug)
    forecast = queries.campaign_forecast(request.user, c, clock.today())
    seed = _int_param(request, "seed", queries.CONVENTION_SEED, 0, 2**31 - 1)
    draws = _int_param(request, "draws", queries.CONVENTION_DRAWS, 100, 10_000)
    outlook = None
    if any(r.attendance for r in forecast.rows):
        # The simulation is deterministic given its inputs: cache it on them (10 minutes).
        body = queries.convention_body(c)
        roster = ([(s.label, str(s.weight), s.bloc, s.holder_organization_id)
                   for s in body.seats.all()] + [str(r.threshold) for r in body.rules.all()]
                  if body else [])
        fingerprint = hashlib.sha256(repr((
            c.lead_organization_id, str(c.target_share), roster,
            [(r.division_id, r.attendance, round(r.expected, 6)) for r in forecast.rows],
            sorted(c.targets.filter(delegates__isnull=False).values_list("division_id",
                                                                         "delegates")),
        )).encode()).hexdigest()[:16]
        key = f"blocs:convention:{c.pk}:{seed}:{draws}:{fingerprint}"
        outlook = cache.get(key)
        if outlook is None:
            outlook = queries.convention_outlook(request.user, c, forecast, seed=seed,
                                                 draws=draws)
            cache.set(key, outlook, 600)
    return render(request, "campaigns/convention.html", {
        "campaign": c, "f": forecast, "o": outlook,
        "chart": charts.levels_chart(outlook) if outlook else None,
    })
