"""Turn Broadfront's not-found and permission errors into the site's 404 and 403 pages.

Services raise :class:`NotFoundError` (a record the user may not see is indistinguishable
from a missing one) and :class:`PermissionDeniedError`; a page that lets one through shows the
friendly "Nothing here" or "not allowed" page instead of a server error. The REST API maps the
same errors itself (``web/api.py``), so it is left alone here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views import defaults

from broadfront.exceptions import NotFoundError, PermissionDeniedError


class BroadfrontErrorPages:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exc, NotFoundError):
            return defaults.page_not_found(request, Http404(str(exc)))
        if isinstance(exc, PermissionDeniedError):
            return defaults.permission_denied(request, PermissionDenied(str(exc)))
        return None
