"""Template context: the navigation of every area."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

AREAS = [
    ("home", "Home", "/"),
    ("power", "Our power", "/power/"),
    ("coalition", "Coalition and accountability", "/coalition/"),
    ("landscape", "Landscape", "/landscape/"),
    ("blocs", "Bloc building", "/blocs/"),
    ("bodies", "Bodies and power", "/bodies/"),
    ("scenarios", "Scenarios", "/scenarios/"),
    ("decisions", "Decisions", "/decisions/"),
    ("leaders", "Leaders", "/leaders/"),
    ("data", "Data in and out", "/data/"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    current = "home"
    for key, _label, url in AREAS[1:]:
        if path.startswith(url):
            current = key
    return {"nav_areas": AREAS, "nav_current": current}
