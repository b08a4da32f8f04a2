"""Pages of the "Bodies and power" area: thin views over ``queries``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadfront.web.bodies import charts, queries


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "bodies/bodies.html", {"bodies": queries.bodies(request.user)})


@login_required
def body(request: HttpRequest, slug: str) -> HttpResponse:
    body = queries.get_body_for_user(request.user, slug)
    d = queries.body_detail(request.user, body)
    return render(request, "bodies/body.html",
                  {"d": d, "chart": charts.seats_chart(d.blocs) if d.blocs else None})


@login_required
def motion(request: HttpRequest, pk: int) -> HttpResponse:
    motion = queries.get_motion_for_user(request.user, pk)
    return render(request, "bodies/motion.html",
                  {"motion": motion, "votes": queries.motion_votes(request.user, motion)})
