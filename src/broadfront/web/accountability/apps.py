from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "broadfront.web.accountability"
    label = "accountability"
    verbose_name = "Accountability: events, attendance, commitments, deliveries"
