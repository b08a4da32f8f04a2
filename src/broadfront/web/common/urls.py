"""The web app's pages: login and logout, the home dashboard and every area under its prefix.

The areas and their prefixes are listed once in :mod:`broadfront.web.common.context`.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from broadfront.web.accountability import urls as coalition_urls
from broadfront.web.campaigns import urls as blocs_urls
from broadfront.web.common import views
from broadfront.web.decisions import urls as decisions_urls
from broadfront.web.landscape import urls as landscape_urls
from broadfront.web.organizations import urls as organizations_urls
from broadfront.web.scenarios import urls as scenarios_urls

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
    path("coalition/", include((coalition_urls.urlpatterns, "coalition"))),
    path("landscape/", include((landscape_urls.landscape_patterns, "landscape"))),
    path("blocs/", include((blocs_urls.urlpatterns, "blocs"))),
    path("bodies/", include((landscape_urls.bodies_patterns, "bodies"))),
    path("scenarios/", include((scenarios_urls.urlpatterns, "scenarios"))),
    path("decisions/", include((decisions_urls.urlpatterns, "decisions"))),
    path("leaders/", include((organizations_urls.leaders_patterns, "leaders"))),
]
