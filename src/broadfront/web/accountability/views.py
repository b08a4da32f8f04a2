"""Pages of the "Coalition and accountability" area: thin views over ``queries`` and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from broadfront import clock
from broadfront.exceptions import BroadfrontError, NotFoundError
from broadfront.web.accountability import charts, forms, queries, services
from broadfront.web.accountability.models import Commitment, Contribution
from broadfront.web.campaigns.services import get_campaign_for_user
from broadfront.web.common.forms import add_service_error, error_status
from broadfront.web.common.lookups import get_visible
from broadfront.web.common.views import paginate


@login_required
def coalition(request: HttpRequest) -> HttpResponse:
    data = queries.coalition_overview(request.user, clock.now())
    from broadfront.web.accountability.figures import memo_chart

    tables = [(t, memo_chart("status", [(p.organization.name, sorted(p.tally.counts.items()))
                                        for p in t.partners],
                             lambda t=t: charts.partner_status_chart(t.partners)))
              for t in data.tables]
    return render(request, "accountability/coalition.html", {"d": data, "tables": tables})


@login_required
def table(request: HttpRequest, slug: str) -> HttpResponse:
    """The coalition table: every partner's scorecard and what each is best at."""
    coalition = queries.get_table_for_user(request.user, slug)
    view = queries.table_view(request.user, coalition, clock.now())
    from broadfront.web.accountability import figures as fig

    kept_series = [(r.organization.name, [q for q, _, _ in r.card.trend],
                    [k / n if n else None for _, n, k in r.card.trend])
                   for r in view.rows if r.card.trend]

    show = fig.org_show_up([r.organization.pk for r in view.rows], clock.now())
    show_series = [(r.organization.name, [m for m, _, _ in show.months.get(r.organization.pk, [])],
                    [k / n if n else None for _, n, k in show.months.get(r.organization.pk, [])])
                   for r in view.rows if show.months.get(r.organization.pk)]
    return render(request, "accountability/table.html", {
        "v": view,
        "kept_chart": fig.memo_chart("trend", kept_series,
                                     lambda: charts.scorecard_trend(kept_series))
        if kept_series else None,
        "show_chart": fig.memo_chart("trend", show_series,
                                     lambda: charts.scorecard_trend(show_series))
        if show_series else None,
    })


@login_required
def partner(request: HttpRequest, pk: int) -> HttpResponse:
    org = queries.get_partner_for_user(request.user, pk)
    now = clock.now()
    card, data, table = queries.partner_scorecard(request.user, org, now)
    from broadfront.web.accountability import figures as fig

    ids = sorted(data.scorecards)
    months = fig.org_show_up(ids, now).months.get(org.pk, [])
    kept = [(org.name, [q for q, _, _ in card.trend],
             [k / n if n else None for _, n, k in card.trend])]
    shown = [(org.name, [m for m, _, _ in months], [k / n if n else None for _, n, k in months])]
    kept_chart = (fig.memo_chart("trend", kept, lambda: charts.scorecard_trend(kept))
                  if card.trend else None)
    show_chart = (fig.memo_chart("trend", shown, lambda: charts.scorecard_trend(shown))
                  if months else None)
    return render(request, "accountability/partner.html", {
        "d": queries.partner_detail(request.user, org, now), "card": card, "table": table,
        "kept_chart": kept_chart, "show_chart": show_chart,
    })


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    partner = request.GET.get("partner", "")
    rows = queries.commitment_list(request.user, clock.now(), status=status, partner=partner)
    page = paginate(request, rows, per_page=50)
    extra = "&".join(f"{k}={v}" for k, v in (("status", status), ("partner", partner)) if v)
    return render(request, "accountability/commitments.html", {
        "page": page, "status": status, "partner": partner, "extra": extra,
        "statuses": [(s, queries.STATUS_LABELS[s]) for s in queries.STATUS_ORDER],
    })


@login_required
def commitment_new(request: HttpRequest) -> HttpResponse:
    """Record a commitment of one of the user's organizations (organizers)."""
    form = forms.CommitmentForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                c = services.do_create_commitment(
                    request.user, partner=d["partner"], unit=d["unit"], quantity=d["quantity"],
                    due_date=d["due_date"], made_on=d["made_on"], campaign=d["campaign"],
                    coalition=d["coalition"], note=d["note"])
            except BroadfrontError as exc:
                add_service_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, "Commitment recorded. Its status is computed from "
                                          "the deliveries you record against it.")
                return redirect("coalition:commitment", c.pk)
        else:
            status = 400
    return render(request, "accountability/commitment_form.html", {"form": form},
                  status=status)


@login_required
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    """A commitment, its deliveries and computed status; organizers record a delivery here."""
    found = get_visible(Commitment, request.user, pk, what="commitment")
    row = queries.commitment_row(request.user, found, clock.now())
    from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids

    can_record = row.commitment.partner_id in own_org_ids(request.user, ROLE_ORGANIZER)
    form = forms.DeliveryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_record_delivery(request.user, row.commitment, **form.cleaned_data)
            except BroadfrontError as exc:
                add_service_error(form, exc)
                status = error_status(exc)
            else:
                messages.success(request, "Delivery recorded.")
                return redirect("coalition:commitment", pk)
        else:
            status = 400
    return render(request, "accountability/commitment.html",
                  {"r": row, "form": form, "can_record": can_record}, status=status)


@login_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.contributions(request.user), per_page=50)
    return render(request, "accountability/contributions.html", {"page": page})


@login_required
def credit(request: HttpRequest, slug: str) -> HttpResponse:
    """Credit for a campaign's wins: each partner's share, its range and its evidence."""
    campaign = get_campaign_for_user(request.user, slug)  # the error middleware gives the 404
    return render(request, "accountability/credit.html", {
        "c": queries.campaign_credit(request.user, campaign), "form": forms.ReviewForm()})


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator verifies or disputes a contribution (do_review_contribution)."""
    item = get_visible(Contribution, request.user, pk, what="contribution",
                       queryset=Contribution.objects.visible_to(request.user)
                       .select_related("campaign"))
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose verify or dispute.")
        return redirect("coalition:credit", item.campaign.slug)
    try:
        services.do_review_contribution(request.user, item, form.cleaned_data["status"],
                                        form.cleaned_data["note"])
    except NotFoundError:
        raise  # the error middleware answers with the 404 page
    except BroadfrontError as exc:
        return render(request, "accountability/credit.html", {
            "c": queries.campaign_credit(request.user, item.campaign), "form": form,
            "error": str(exc)}, status=error_status(exc))
    messages.success(request, f"{item.organization} marked {form.cleaned_data['status']}.")
    return redirect("coalition:credit", item.campaign.slug)
