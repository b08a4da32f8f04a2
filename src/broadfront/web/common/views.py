"""The floor's pages and page helpers: the locked-out sign-in, Plotly's script, pagination.

Logging in and out use Django's own auth views (see ``urls.py``). Every page needs a login;
the views stay thin: read the request, call one query function, render. The home page is the
roof's (:mod:`broadfront.web.site.views`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly
from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page:
    """One page of ``items`` from the ``page`` query parameter (bad numbers give the last page)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def page_query(request: HttpRequest, **changes: Any) -> str:
    """The current query string with ``changes`` applied (for sort and page links)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict[str, Any] | None = None) -> HttpResponse:
    """The sign-in page with the lock's message (django-axes calls this, ``AXES_LOCKOUT_CALLABLE``).

    Answered with status 429 (Too Many Requests); the message says how long the lock lasts
    and who can lift it, never whether the password was right.
    """
    from django.conf import settings
    from django.contrib.auth.forms import AuthenticationForm

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username")})
    return render(request, "registration/login.html", {
        "form": form, "next": request.POST.get("next", "") or request.GET.get("next", ""),
        "locked_out": locked_out_message(minutes)}, status=429)


def locked_out_message(minutes: int) -> str:
    """What a locked-out sign-in is told."""
    return (f"Too many failed sign-ins; try again in {minutes} minutes or ask a site operator "
            "to unlock your account.")


@require_safe
def plotly_js(request: HttpRequest) -> FileResponse:
    """Plotly's JavaScript, served from the installed plotly package (never from a CDN)."""
    response = FileResponse(PLOTLY_JS.open("rb"), content_type="text/javascript")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
