"""The data pages: upload a file (checked first, all or nothing), watch it, read the report."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from broadfront.exceptions import BroadfrontError
from broadfront.formats.csvfiles import CSV_FORMATS
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.dataio import api, services
from broadfront.web.dataio.models import ImportJob
from broadfront.web.organizations.models import Organization

# What a file holds, in an organizer's words (the same kinds serve CSV and OSDI files).
KIND_WORDS = {
    "people": "People (our CSV template or an OSDI page)",
    "events": "Events",
    "attendance": "Attendance: who said yes and who came",
    "action_network": "An Action Network people export (CSV)",
    "mobilize": "A Mobilize attendance export (CSV)",
    "organizations": "Organizations: partners, allies, opponents",
    "divisions": "Divisions: wards, precincts, districts",
    "targets": "Precinct targets of a campaign",
    "commitments": "Commitments partners made",
    "deliveries": "Deliveries against commitments",
    "stances": "Stances on issues",
    "relationships": "Relationships between actors",
    "rollcalls": "Roll-call votes of a body",
}
KIND_CHOICES = [(k, KIND_WORDS.get(k, k)) for k in dict.fromkeys(
    ["people", "events", "attendance", *CSV_FORMATS])]


class UploadForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Import into",
        help_text="People and attendance you import belong to this organization only.")
    format = forms.ChoiceField(
        label="File format",
        choices=[("csv", "CSV (a spreadsheet, Action Network, Mobilize)"),
                 ("osdi", "OSDI JSON page (Action Network, Action Builder)"),
                 ("popolo", "Popolo JSON (a council's seats and votes)")],
        help_text="A spreadsheet saved as CSV is the usual choice.")
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="people", label="What the file holds",
                             help_text="Ignored for Popolo files, which say what they hold.")
    file = forms.FileField(label="File")
    dry_run = forms.BooleanField(required=False, initial=True,
                                 label="Dry run: show what would change, write nothing",
                                 help_text="Untick to save for real once the dry run looks "
                                           "right.")

    def __init__(self, user, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = Organization.objects.filter(
            pk__in=own_org_ids(user, ROLE_ORGANIZER)).order_by("name")
        if organization.queryset.count() == 1:  # one organization: nothing to choose
            organization.initial = organization.queryset.first()
            organization.empty_label = None


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.user, request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.start_upload(request.user, data["organization"], data["file"],
                                        format=data["format"], kind=data["kind"],
                                        dry_run=data["dry_run"])
        except BroadfrontError as exc:
            error = str(exc)
        else:
            return redirect("dataio:job", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).select_related("organization")[:10]
    organizations = form.fields["organization"].queryset  # type: ignore[attr-defined]
    return render(request, "dataio/upload.html", {"form": form, "error": error, "jobs": jobs,
                                                  "can_import": organizations.exists(),
                                                  "export_org": organizations.first(),
                                                  "nav_current": "data"},
                  status=400 if error else 200)


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    job = ImportJob.objects.visible_to(request.user).select_related("organization") \
        .filter(pk=pk).first()
    if job is None:
        raise Http404("import not found")
    return job


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(request, "dataio/job.html", {"job": job, "progress": services.job_progress(job),
                                               "nav_current": "data"})


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(request, "dataio/_progress.html",
                  {"job": job, "progress": services.job_progress(job)})


@login_required
def export(request: HttpRequest) -> FileResponse:
    org = request.GET.get("organization", "")
    try:
        return api.export(request, org, request.GET.get("format", "csv"),
                          request.GET.get("kind", "people"))
    except BroadfrontError as exc:
        raise Http404(str(exc)) from exc
