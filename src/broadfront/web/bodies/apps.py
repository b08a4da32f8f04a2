from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "broadfront.web.bodies"
    label = "bodies"
    verbose_name = "Bodies and power"
