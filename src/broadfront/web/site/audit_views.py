"""The audit log page of an organization, for its admins (``/power/audit/<slug>/``).

It lists what the organization's users did and what anyone did to its records: an import by
another organization that changed one of its records, a curator's change to a body it
curates, a site operator's edit in the admin (entries whose ``subject_organization`` is it).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadfront.exceptions import NotFoundError
from broadfront.web.common import audit
from broadfront.web.common.views import paginate
from broadfront.web.organizations.models import Organization


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise NotFoundError(f"organization {slug!r} not found")
    entries = audit.entries_for_admins(request.user, organization)
    page = paginate(request, entries, per_page=50)
    return render(request, "site/audit.html",
                  {"organization": organization, "page": page})
