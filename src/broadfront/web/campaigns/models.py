"""Campaigns (electoral, issue, caucus-bloc), targets per division, squads and recruits."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q

from broadfront.web.common.tenancy import (
    own_org_ids,
    partner_org_ids,
    public_manager,
    scoped_manager,
)
from broadfront.web.organizations.models import Coalition, Division, Organization, Person


def _campaign_scope(user: Any) -> Q:
    return Q(lead_organization_id__in=partner_org_ids(user)) | Q(
        coalition__members__id__in=own_org_ids(user)
    )


class Campaign(models.Model):
    """An electoral, issue or caucus-bloc effort with partners, dates and goals."""

    class Kind(models.TextChoices):
        ELECTORAL = "electoral", "Electoral"
        ISSUE = "issue", "Issue"
        CAUCUS_BLOC = "caucus_bloc", "Caucus bloc"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    lead_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="campaigns_led"
    )
    coalition = models.ForeignKey(
        Coalition, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns"
    )
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    goal = models.TextField(blank=True)
    target_share = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0.10"),
        help_text="Share of caucus attendees the bloc aims for (0.10 = 10%).",
    )

    objects = scoped_manager(_campaign_scope)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="campaign_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(target_share__gt=0) & Q(target_share__lte=1),
                name="campaign_target_share_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """The goal of a campaign in one division (e.g. 10% of expected caucus attendance)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="targets")
    expected_attendance = models.PositiveIntegerField(default=0)
    goal = models.PositiveIntegerField(default=0, help_text="People we need in the room.")
    delegates = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Delegates this precinct elects (from the party's call); empty: estimated.",
    )

    objects = scoped_manager(
        lambda user: Q(campaign__lead_organization_id__in=partner_org_ids(user))
        | Q(campaign__coalition__members__id__in=own_org_ids(user))
    )

    class Meta:
        ordering = ["division__ocd_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "division"], name="target_unique")
        ]

    @staticmethod
    def goal_for(expected_attendance: int, share: float) -> int:
        """ceil(share x expected attendance)."""
        return math.ceil(round(float(share) * expected_attendance, 9))

    def __str__(self) -> str:
        return f"{self.campaign}: {self.goal} in {self.division}"


class Squad(models.Model):
    """A team of an organization in a division, with its leader. Private to the organization."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="squads")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="squads")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="squads")
    name = models.CharField(max_length=200)
    leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="squads_led"
    )
    formed_on = models.DateField(null=True, blank=True)

    objects = scoped_manager(lambda user: Q(organization_id__in=own_org_ids(user)))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Recruit(models.Model):
    """A person committed to attend the caucus for a campaign. Private to the organization."""

    class Status(models.TextChoices):
        COMMITTED = "committed", "Committed"
        ATTENDED = "attended", "Attended"
        DROPPED = "dropped", "Dropped"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recruits")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="recruits"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="recruitments")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="recruits")
    squad = models.ForeignKey(
        Squad, null=True, blank=True, on_delete=models.SET_NULL, related_name="recruits"
    )
    committed_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMMITTED)

    objects = scoped_manager(lambda user: Q(organization_id__in=own_org_ids(user)))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="recruit_unique")
        ]
        indexes = [models.Index(fields=["campaign", "division"])]

    def __str__(self) -> str:
        return f"{self.person} for {self.campaign}"


class CaucusResult(models.Model):
    """What happened on caucus night in one precinct: subcaucus counts and delegates won."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="results")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="+")
    attendees = models.PositiveIntegerField()
    delegates = models.PositiveIntegerField()
    subcaucuses = models.JSONField(default=dict, help_text='{"name": members, ...}')
    our_subcaucus = models.CharField(max_length=100, blank=True)
    delegates_won = models.PositiveIntegerField(default=0)
    rule = models.CharField(max_length=30, default="dfl")

    objects = scoped_manager(
        lambda user: Q(campaign__lead_organization_id__in=partner_org_ids(user))
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "division"], name="caucus_result_unique"),
            models.CheckConstraint(
                condition=Q(delegates_won__lte=F("delegates")), name="caucus_won_le_delegates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: caucus result in {self.division}"


class Candidate(models.Model):
    """A candidate in an electoral campaign (a race), possibly a write-in."""

    objects = public_manager()

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="candidacies")
    party = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_write_in = models.BooleanField(default=False)
    is_ours = models.BooleanField(default=False, help_text="The candidate our coalition backs.")
    spectrum_position = models.SmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="candidate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person}{' (write-in)' if self.is_write_in else ''}"
