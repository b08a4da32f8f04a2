"""The project's URLs plus the data area at /data/, as the lead mounts it."""

from django.urls import include, path

from broadfront.web.urls import urlpatterns as project_patterns

urlpatterns = [path("data/", include("broadfront.web.dataio.urls")), *project_patterns]
