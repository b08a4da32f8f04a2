"""The root URLconf: the admin, the REST API, the floor's pages and every area under its prefix.

One rule (docs/architecture.md, "Layers of the web app"): each area of the navigation
(:data:`broadfront.web.common.context.AREAS`) has one prefix, mounted here once, and is served
by one app: the feature app whose models the area is about, or this app when the area's pages
compose several feature apps ("Our power", "Leaders").
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from broadfront.web.api import api
from broadfront.web.jobs.health import healthz
from broadfront.web.landscape import urls as landscape_urls
from broadfront.web.site import audit_views, views

power_patterns = [
    path("", views.power, name="index"),
    path("report/<slug:slug>/", views.report, name="report"),
    path("audit/<slug:slug>/", audit_views.audit_log, name="audit"),
    path("events/new/", views.event_new, name="event-new"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event, name="event"),
]

leaders_patterns = [
    path("", views.leaders, name="index"),
    path("stage/<str:stage>/", views.stage, name="stage"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", views.home, name="home"),
    path("", include("broadfront.web.common.urls")),
    path("power/", include((power_patterns, "power"))),
    path("coalition/", include(("broadfront.web.accountability.urls", "coalition"))),
    path("landscape/", include((landscape_urls.landscape_patterns, "landscape"))),
    path("blocs/", include(("broadfront.web.campaigns.urls", "blocs"))),
    path("bodies/", include(("broadfront.web.bodies.urls", "bodies"))),
    path("scenarios/", include(("broadfront.web.scenarios.urls", "scenarios"))),
    path("decisions/", include(("broadfront.web.decisions.urls", "decisions"))),
    path("leaders/", include((leaders_patterns, "leaders"))),
    path("data/", include("broadfront.web.dataio.urls")),
]
