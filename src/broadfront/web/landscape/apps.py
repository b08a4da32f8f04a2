from django.apps import AppConfig


class LandscapeConfig(AppConfig):
    name = "broadfront.web.landscape"
    label = "landscape"
    verbose_name = "Landscape: stances, relationships, bodies and votes"
