from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "broadfront.web.common"
    label = "common"
    verbose_name = "Common: audit log and tenancy"
