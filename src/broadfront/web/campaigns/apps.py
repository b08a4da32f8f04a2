from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "broadfront.web.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns, targets, squads and recruits"
