from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "broadfront.web.site"
    label = "site"
    verbose_name = "Site: home, the root URLconf and the pages that compose several areas"
