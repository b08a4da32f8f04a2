"""Scenarios (named sets of shocks applied to a body or a race) and their stored results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from broadfront.analysis.scenarios import DEFAULT_DRAWS
from broadfront.web.campaigns.models import Campaign
from broadfront.web.common.tenancy import own_org_ids, scoped_manager
from broadfront.web.landscape.models import Body
from broadfront.web.organizations.models import Organization


class Scenario(models.Model):
    """A named scenario: the body or race, the shocks, the seed and number of draws."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="scenarios"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenarios"
    )
    race = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenarios"
    )
    spec = models.JSONField(default=dict, help_text="The scenario file (see docs/scenarios.md).")
    seed = models.PositiveBigIntegerField(default=0)
    draws = models.PositiveIntegerField(default=DEFAULT_DRAWS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(lambda user: Q(organization_id__in=own_org_ids(user)))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="scenario_name_unique"),
            models.CheckConstraint(condition=Q(draws__gt=0), name="scenario_draws_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioRun(models.Model):
    """A stored run: inputs, seed and results, so a saved scenario reproduces exactly."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="runs")
    computed_at = models.DateTimeField(auto_now_add=True)
    seed = models.PositiveBigIntegerField()
    draws = models.PositiveIntegerField()
    spec = models.JSONField(default=dict)
    method = models.CharField(max_length=20)
    p_hold = models.FloatField()
    p_hold_se = models.FloatField(default=0)
    result = models.JSONField(default=dict)

    objects = scoped_manager(lambda user: Q(scenario__organization_id__in=own_org_ids(user)))

    class Meta:
        ordering = ["-computed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(p_hold__gte=0) & Q(p_hold__lte=1), name="scenario_p_hold_0_1"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario} run of {self.computed_at:%Y-%m-%d %H:%M}"


class ScenarioSweep(models.Model):
    """A sweep of a scenario: which shocks, members or divisions break what we hold.

    Its variants are computed in chunks by background jobs (any number of workers) and
    gathered here; each variant's random stream depends only on the seed and its index, so
    the result does not depend on how many workers shared the work.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="sweeps")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    seed = models.PositiveBigIntegerField()
    draws = models.PositiveIntegerField()
    kinds = models.JSONField(default=list)
    spec = models.JSONField(default=dict)
    total = models.PositiveIntegerField()
    chunks = models.PositiveIntegerField()
    points = models.JSONField(default=dict, help_text='{"index": point, ...} as chunks finish')
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict)

    objects = scoped_manager(lambda user: Q(scenario__organization_id__in=own_org_ids(user)))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scenario} sweep of {self.created_at:%Y-%m-%d %H:%M}"
