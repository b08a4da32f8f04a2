from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "broadfront.web.scenarios"
    label = "scenarios"
    verbose_name = "Blowback and realignment scenarios"
