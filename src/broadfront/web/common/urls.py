"""The web app's pages: login and logout, the home dashboard and every area under its prefix.

The areas and their prefixes are listed once in :mod:`broadfront.web.common.context`.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from broadfront.web.common import views
from broadfront.web.landscape import urls as landscape_urls
from broadfront.web.organizations import urls as organizations_urls

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("assets/plotly.min.js", views.plotly_js, name="plotly-js"),
    path("power/", include((organizations_urls.power_patterns, "power"))),
    path("coalition/", include(("broadfront.web.accountability.urls", "coalition"))),
    path("landscape/", include((landscape_urls.landscape_patterns, "landscape"))),
    path("blocs/", include(("broadfront.web.campaigns.urls", "blocs"))),
    path("bodies/", include(("broadfront.web.bodies.urls", "bodies"))),
    path("scenarios/", include(("broadfront.web.scenarios.urls", "scenarios"))),
    path("decisions/", include(("broadfront.web.decisions.urls", "decisions"))),
    path("leaders/", include((organizations_urls.leaders_patterns, "leaders"))),
    path("data/", include("broadfront.web.dataio.urls")),
]
