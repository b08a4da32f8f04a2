"""URL configuration: the admin, the REST API and each area's pages."""

from django.contrib import admin
from django.urls import include, path

from broadfront.web.api import api
from broadfront.web.jobs.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("broadfront.web.common.urls")),
]
