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

KIND_CHOICES = [("people", "OSDI people"), ("events", "OSDI events"),
                ("attendance", "OSDI attendance")] + [(k, f"CSV: {k}") for k in CSV_FORMATS]


class UploadForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none())
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("osdi", "OSDI JSON page"),
                                        ("popolo", "Popolo JSON")])
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="people")
    file = forms.FileField()
    dry_run = forms.BooleanField(required=False, initial=True,
                                 label="Dry run: show what would change, write nothing")

    def __init__(self, user, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = Organization.objects.filter(
            pk__in=own_org_ids(user, ROLE_ORGANIZER))


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
    return render(request, "dataio/upload.html", {"form": form, "error": error, "jobs": jobs,
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
