"""The roof's pages: home, "Our power" (/power/) and "Leaders" (/leaders/).

Thin views over the areas' queries and services and the compositions in ``queries``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Select
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from broadfront import clock
from broadfront.exceptions import BroadfrontError, PermissionDeniedError
from broadfront.web.accountability import charts as acc_charts
from broadfront.web.accountability import figures as fig
from broadfront.web.accountability import queries as acc_queries
from broadfront.web.accountability import services as acc_services
from broadfront.web.accountability.models import Event
from broadfront.web.common.charts import bar
from broadfront.web.common.forms import add_service_error, error_status
from broadfront.web.common.lookups import get_visible
from broadfront.web.common.tenancy import ROLE_ORGANIZER
from broadfront.web.common.views import page_query, paginate
from broadfront.web.dataio.models import ImportJob
from broadfront.web.organizations import queries as org_queries
from broadfront.web.organizations import services
from broadfront.web.organizations.models import Person
from broadfront.web.scenarios.models import Scenario
from broadfront.web.site import charts, forms, ladder, queries


class PlainSelect(Select):
    """A ``<select>`` written in one pass: the same HTML as Django's, without rendering a
    template per option (an organization's whole list of people is hundreds of options)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs or {})
        head = format_html("<select name=\"{}\"{}>", name, flatatt(final))
        options = []
        for group_name, choices, _ in self.optgroups(name, [], attrs):
            assert not group_name, "option groups are not used here"
            for option in choices:
                v = str(option["value"])
                options.append(format_html("<option value=\"{}\"{}>{}</option>", v,
                                           mark_safe(" selected") if v in chosen else "",
                                           option["label"]))
        return mark_safe(head + "".join(options) + "</select>")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home dashboard: our organization and our coalition at a glance.

    Besides the dashboard's figures, it names the latest import the user may see and how many
    scenarios their organizations keep, so every area has a way in from home.
    """
    data = queries.dashboard(request.user, clock.now())
    stages = [s for s in data.stages]
    context: dict[str, Any] = {
        "d": data,
        "stage_chart": bar([s.label for s in stages], [s.count for s in stages], horizontal=True,
                           hover="%{x} people", text=[str(s.count) for s in stages],
                           height=260, label="Bar chart of how many of our people stand at "
                           "each ladder stage: " + ", ".join(f"{s.label} {s.count}"
                                                               for s in stages))
        if data.organizations else None,
    }
    context["last_import"] = ImportJob.objects.visible_to(request.user) \
        .select_related("organization").first()
    context["n_scenarios"] = Scenario.objects.visible_to(request.user).count()
    return render(request, "site/home.html", context)


def _power_context(request: HttpRequest, slug: str | None) -> dict[str, object]:
    org = org_queries.get_power_org_for_user(request.user, slug)
    p = queries.power_figures(request.user, org, clock.now())
    return {"p": p}


@login_required
def power(request: HttpRequest) -> HttpResponse:
    data = queries.power_overview(request.user, clock.now())
    context: dict[str, object] = {
        "d": data,
        "stage_chart": fig.memo_chart("stages", data.stages,
                                      lambda: charts.stage_bars(data.stages))
        if data.organizations else None,
    }
    if data.organizations:
        context.update(_power_context(request, request.GET.get("org") or None))
        p = context["p"]
        months, by_unit = p.months, p.delivered_by_unit  # type: ignore[attr-defined]
        context["delivery_chart"] = (fig.memo_chart(
            "deliveries", (months, by_unit),
            lambda: acc_charts.stacked_by_month(months, by_unit)) if by_unit else None)
    return render(request, "site/power.html", context)


@login_required
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """The one-page power report: aggregates an ally may read, printable on one page."""
    context = _power_context(request, slug)
    context["now"] = clock.now()
    return render(request, "site/report.html", context)


@login_required
def people(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "name")
    sort = sort if sort in org_queries.PEOPLE_SORTS else "name"
    page = paginate(request, org_queries.people(request.user, search, sort), per_page=50)
    stages = org_queries.current_stages(request.user)
    rows = [(p, stages.get(p.pk)) for p in page.object_list]
    template = ("site/_people_table.html" if request.headers.get("HX-Request") == "true"
                else "site/people.html")
    return render(request, template, {"page": page, "rows": rows, "q": search, "sort": sort,
                                      "extra": f"sort={sort}" if sort != "name" else "",
                                      "sort_links": {k: page_query(request, sort=k, page=None)
                                                     for k in org_queries.PEOPLE_SORTS},
                                      "stage_labels": dict(org_queries.LadderStage.choices),
                                      "can_add": bool(org_queries.own_org_ids(request.user,
                                                                          ROLE_ORGANIZER))})


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person, request.user, pk, what="person", queryset=Person.objects
                         .visible_to(request.user).select_related("owner", "division"))
    context: dict[str, object] = {"d": queries.person_detail(request.user, person),
                                  "can_edit": services.may_edit_person(request.user, person)}
    if person.owner_id is not None:
        now = clock.now()
        owner = person.owner
        assert owner is not None
        act = ladder.activities(owner, now, [person.pk]).get(person.pk, ladder.Activity())
        d = context["d"]
        is_member = any(m.end_date is None or m.end_date >= now.date()
                        for m in d.memberships)  # type: ignore[attr-defined]
        nxt, ok, why = ladder.next_step(d.stage, act, is_member, now)  # type: ignore
        context.update({"act": act, "next_stage": ladder.STAGE_LABELS.get(nxt or "", ""),
                        "ready": ok, "why": why})
    return render(request, "site/person.html", context)


def _person_form(request: HttpRequest, person: Person | None) -> HttpResponse:
    """Add (``person`` None) or edit a person: the form, then the service, then the page."""
    form = forms.PersonForm(request.user, request.POST or None, person=person)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if person is None:
                    saved = services.do_create_person(
                        request.user, form.cleaned_data["organization"], **form.person_values())
                else:
                    saved = services.do_update_person(request.user, person.pk,
                                                      **form.person_values())
            except BroadfrontError as exc:
                add_service_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, f"{saved} added to {saved.owner}." if person is None
                                 else f"{saved}'s record saved.")
                return redirect("power:person", saved.pk)
        else:
            status = 400
    return render(request, "site/person_form.html",
                  {"form": form, "person": person}, status=status)


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    if not org_queries.own_org_ids(request.user, ROLE_ORGANIZER):
        raise PermissionDeniedError("you need the organizer role in one of your organizations "
                                    "to add people")
    return _person_form(request, None)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_form(request, services.get_person_to_edit(request.user, pk))


@login_required
def events(request: HttpRequest) -> HttpResponse:
    qs = acc_queries.visible_events(request.user).order_by("-starts_at", "-id")
    scope = request.GET.get("scope", "ours")
    if scope != "coalition":
        qs = qs.filter(organization_id__in=org_queries.own_org_ids(request.user))
    page = paginate(request, qs, per_page=40)
    page.object_list = acc_queries.with_counts(list(page.object_list))  # counts for this page only
    return render(request, "site/events.html",
                  {"page": page, "scope": scope, "now": clock.now()})


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    form = forms.EventForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                e = acc_services.do_create_event(
                    request.user, organization=d["organization"], name=d["name"],
                    starts_at=d["starts_at"], kind=d["kind"], campaign=d["campaign"])
            except BroadfrontError as exc:
                add_service_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, "Event recorded. Add RSVPs on its page.")
                return redirect("power:event", e.pk)
        else:
            status = 400
    return render(request, "site/event_form.html", {"form": form}, status=status)


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    """RSVPs, the expected turnout with its P10-P90 range and, afterwards, the actual."""
    event = get_visible(Event, request.user, pk, what="event",
                        queryset=acc_queries.events_with_counts(request.user))
    recorders = acc_services.attendance_recorders(request.user, event)
    ours = event.organization_id in org_queries.own_org_ids(request.user)
    if request.method == "POST":  # refused by the service's rule (403), before the form
        recorders = acc_services.require_attendance_recorder(request.user, event)
    form = forms.AttendanceForm(request.user, request.POST or None)
    person_field: Any = form.fields["person"]  # only people this event takes
    person_field.queryset = person_field.queryset.filter(owner_id__in=recorders)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                acc_services.do_record_attendance(
                    request.user, event, form.cleaned_data["person"],
                    status=form.cleaned_data["status"], attended=form.attended_value())
            except BroadfrontError as exc:
                add_service_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, "Attendance recorded.")
                return redirect("power:event", pk)
        else:
            status = 400
    form.fields["person"].widget = PlainSelect()
    now = clock.now()
    forecast = fig.event_forecast(event, now)
    chart = None
    if forecast.forecast is not None:
        f, actual = forecast.forecast, forecast.actual
        chart = fig.memo_chart("turnout", (f.pmf.tolist(), f.p10, f.p90, actual),
                               lambda: acc_charts.turnout_chart(f.pmf, f.p10, f.p90, actual))
    return render(request, "site/event.html", {
        "event": event, "attendance": acc_queries.event_attendance(request.user, event),
        "ours": ours, "can_record": bool(recorders), "forecast": forecast, "chart": chart, "form": form,
        "past": event.starts_at < now,
    }, status=status)


@login_required
def leaders(request: HttpRequest) -> HttpResponse:
    data = org_queries.leaders_overview(request.user)
    context: dict[str, object] = {
        "d": data, "chart": charts.ladder_pipeline(data.reached, data.current),
        "criteria": [(ladder.STAGE_LABELS[a], ladder.STAGE_LABELS[b], text)
                     for a, b, text in ladder.CRITERIA],
    }
    if org_queries.own_org_ids(request.user):
        org = ladder.require_own_org(request.user, request.GET.get("org") or None)
        now = clock.now()
        ends, series = ladder.pipeline_over_time(org, today=now.date())
        context.update({
            "org": org,
            "ready": [(ladder.STAGE_LABELS[s], people) for s, people in
                      ladder.ready_for_next_step(org, now).items()],
            "history_chart": charts.pipeline_history(ends, series),
        })
    return render(request, "site/leaders.html", context)


@login_required
def stage(request: HttpRequest, stage: str) -> HttpResponse:
    label = org_queries.stage_label(stage)
    page = paginate(request, org_queries.people_at_stage(request.user, stage), per_page=50)
    return render(request, "site/stage.html", {"page": page, "label": label})
