"""The landscape: issues, stances, relationships, decision bodies, seats, motions and votes.

Bodies, seats, motions and recorded votes are public records, visible to everyone. Stances and
relationships are assessments made by one organization and shared with its coalition partners,
except those about a private person, which stay with that person's organization.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from broadfront.web.common.tenancy import (
    own_org_ids,
    partner_org_ids,
    public_manager,
    scoped_manager,
)
from broadfront.web.organizations.models import (
    STANCE_MAX,
    STANCE_MIN,
    Division,
    Organization,
    Person,
)


class Issue(models.Model):
    """An issue on which actors take stances (e.g. "Tenant protections")."""

    objects = public_manager()

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _assessment_scope(user: Any) -> Q:
    return Q(recorded_by_id__in=partner_org_ids(user)) & (
        Q(person__isnull=True)
        | Q(person__owner__isnull=True)
        | Q(person__owner_id__in=own_org_ids(user))
    )


def _one_actor(prefix: str, name: str) -> models.CheckConstraint:
    org, person = f"{prefix}organization", f"{prefix}person"
    return models.CheckConstraint(
        condition=(Q(**{f"{org}__isnull": False}) & Q(**{f"{person}__isnull": True}))
        | (Q(**{f"{org}__isnull": True}) & Q(**{f"{person}__isnull": False})),
        name=name,
    )


class Stance(models.Model):
    """An actor's position on the spectrum of allies for one issue, dated.

    -3 active opposition, -2 passive opposition, -1 leaning against, 0 neutral,
    +1 leaning ally, +2 passive ally, +3 active ally.
    """

    SCALE = {
        -3: "Active opposition",
        -2: "Passive opposition",
        -1: "Leaning against",
        0: "Neutral",
        1: "Leaning ally",
        2: "Passive ally",
        3: "Active ally",
    }

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="stances")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="stances"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="stances"
    )
    score = models.SmallIntegerField()
    assessed_on = models.DateField()
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+",
        help_text="The organization that made this assessment.",
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager(_assessment_scope)

    class Meta:
        ordering = ["-assessed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=STANCE_MIN) & Q(score__lte=STANCE_MAX),
                name="stance_score_in_range",
            ),
            _one_actor("", "stance_one_actor"),
        ]
        indexes = [models.Index(fields=["issue", "assessed_on"])]

    @property
    def actor(self) -> Organization | Person:
        return self.organization or self.person  # type: ignore[return-value]

    @property
    def label(self) -> str:
        return self.SCALE[self.score]

    def __str__(self) -> str:
        return f"{self.actor} on {self.issue}: {self.score:+d}"


class Relationship(models.Model):
    """A typed, dated, directed edge between two actors, with a source."""

    class Kind(models.TextChoices):
        MEMBER_OF = "member_of", "member of"
        LEADS = "leads", "leads"
        FUNDS = "funds", "funds"
        EMPLOYS = "employs", "employs"
        ENDORSES = "endorses", "endorses"
        ALLIED_WITH = "allied_with", "allied with"
        OPPOSES = "opposes", "opposes"
        FAMILY = "family", "family"
        KNOWS = "knows", "knows"
        SERVES_ON = "serves_on", "serves on"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="Where we learned this.")
    strength = models.PositiveSmallIntegerField(default=1)
    recorded_by = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            _one_actor("source_", "relationship_one_source"),
            _one_actor("target_", "relationship_one_target"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="relationship_end_after_start",
            ),
        ]

    objects = scoped_manager(
        lambda user: Q(recorded_by_id__in=partner_org_ids(user))
        & (Q(source_person__isnull=True) | Q(source_person__owner__isnull=True)
           | Q(source_person__owner_id__in=own_org_ids(user)))
        & (Q(target_person__isnull=True) | Q(target_person__owner__isnull=True)
           | Q(target_person__owner_id__in=own_org_ids(user)))
    )

    @property
    def source_actor(self) -> Organization | Person:
        return self.source_organization or self.source_person  # type: ignore[return-value]

    @property
    def target_actor(self) -> Organization | Person:
        return self.target_organization or self.target_person  # type: ignore[return-value]

    def __str__(self) -> str:
        return f"{self.source_actor} {self.get_kind_display()} {self.target_actor}"


class Body(models.Model):
    """A decision body: council, commission, convention, legislature, electorate."""

    objects = public_manager()

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        COMMISSION = "commission", "Commission"
        CONVENTION = "convention", "Convention"
        LEGISLATURE = "legislature", "Legislature"
        BOARD = "board", "Board"
        ELECTORATE = "electorate", "Electorate"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="bodies"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name


class VotingRule(models.Model):
    """How a body decides: a quota of weight, a share of the votes, or several conditions."""

    objects = public_manager()

    class Kind(models.TextChoices):
        SIMPLE_MAJORITY = "simple_majority", "Simple majority"
        SUPERMAJORITY = "supermajority", "Supermajority"
        QUOTA = "quota", "Quota of weight"
        DOUBLE_MAJORITY = "double_majority", "Double majority"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(max_length=100, default="default")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SIMPLE_MAJORITY)
    threshold = models.DecimalField(
        max_digits=6, decimal_places=5, null=True, blank=True,
        help_text="Share of the total weight needed (0.6 for 60%).",
    )
    quota = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="voting_rule_unique"),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | (Q(threshold__gt=0) & Q(threshold__lte=1)),
                name="voting_rule_threshold_0_1",
            ),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(quota__gt=0), name="voting_rule_quota_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.get_kind_display()}"


class Seat(models.Model):
    """A seat in a body with its holder (a public person or a bloc organization) and weight."""

    objects = public_manager()

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    label = models.CharField(max_length=100)
    holder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="seats"
    )
    holder_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="seats",
        help_text="For a bloc of delegates voting together.",
    )
    weight = models.DecimalField(max_digits=14, decimal_places=3, default=1)
    second_weight = models.DecimalField(
        max_digits=14, decimal_places=3, null=True, blank=True,
        help_text="Weight under a second condition (population in a double majority).",
    )
    bloc = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["body", "label"]
        constraints = [
            models.UniqueConstraint(fields=["body", "label"], name="seat_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="seat_weight_nonnegative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="seat_end_after_start",
            ),
        ]

    @property
    def holder_name(self) -> str:
        if self.holder_id:
            return str(self.holder)
        if self.holder_organization_id:
            return str(self.holder_organization)
        return self.label

    def __str__(self) -> str:
        return f"{self.body}: {self.label}"


class Motion(models.Model):
    """A question put to a body (Popolo Motion / VoteEvent)."""

    objects = public_manager()

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="motions")
    identifier = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    date = models.DateField()
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="motions"
    )
    result = models.CharField(max_length=20, blank=True, help_text="pass or fail")

    class Meta:
        ordering = ["date", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["body", "identifier"], name="motion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.title}"


class Vote(models.Model):
    """How one member voted on one motion (Popolo Vote)."""

    objects = public_manager()

    class Option(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        ABSTAIN = "abstain", "Abstain"
        ABSENT = "absent", "Absent"

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="votes")
    option = models.CharField(max_length=10, choices=Option.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["motion", "voter"], name="vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.voter} {self.option} on {self.motion.identifier}"
