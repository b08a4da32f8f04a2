"""The floor's pages: signing in and out, two-step sign-in, and the site's static assets.

Included without a prefix by the root URLconf (:mod:`broadfront.web.site.urls`), which mounts
the home page and every area under its prefix.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from broadfront.web.common import two_factor_views, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", two_factor_views.code, name="two-factor-code"),
    path("account/two-factor/", two_factor_views.setup, name="two-factor"),
    path("assets/plotly.min.js", views.plotly_js, name="plotly-js"),
]
