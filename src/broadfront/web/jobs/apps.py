from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "broadfront.web.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
