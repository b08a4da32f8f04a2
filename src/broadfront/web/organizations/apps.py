from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "broadfront.web.organizations"
    label = "organizations"
    verbose_name = "Organizations, coalitions and people"
