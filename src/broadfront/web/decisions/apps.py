from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "broadfront.web.decisions"
    label = "decisions"
    verbose_name = "Decisions, options, impacts, ballots and reviews"
