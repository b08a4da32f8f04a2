from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "broadfront.web.accountability"
    label = "accountability"
    verbose_name = "Accountability: events, attendance, commitments, deliveries"

    def ready(self) -> None:
        # Keeps the attendance summary exact when a single RSVP is saved.
        from broadfront.web.accountability import summary  # noqa: F401
