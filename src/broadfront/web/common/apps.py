from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "broadfront.web.common"
    label = "common"
    verbose_name = "Common: audit log and tenancy"

    def ready(self) -> None:
        from broadfront.web.common import checks  # noqa: F401  (registers the system checks)
