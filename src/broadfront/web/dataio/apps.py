from django.apps import AppConfig


class DataioConfig(AppConfig):
    name = "broadfront.web.dataio"
    label = "dataio"
    verbose_name = "Data in and out"
