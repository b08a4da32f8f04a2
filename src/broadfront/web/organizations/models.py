"""Organizations, coalitions, people, memberships, roles, divisions and the leadership ladder."""

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

STANCE_MIN, STANCE_MAX = -3, 3


class Division(models.Model):
    """A geographic unit in a hierarchy (state, county, district, precinct).

    Named by its Open Civic Data division id where one exists. Public: everyone sees divisions.
    """

    objects = public_manager()

    class Level(models.TextChoices):
        COUNTRY = "country", "Country"
        STATE = "state", "State"
        COUNTY = "county", "County"
        DISTRICT = "district", "District"
        CITY = "city", "City"
        WARD = "ward", "Ward"
        PRECINCT = "precinct", "Precinct"

    ocd_id = models.CharField("Open Civic Data id", max_length=255, unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    party_vote = models.PositiveIntegerField(
        default=0, help_text="Votes for the party at the last comparable election."
    )
    expected_attendance = models.PositiveIntegerField(
        default=0, help_text="Expected caucus attendance or turnout."
    )

    class Meta:
        ordering = ["ocd_id"]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """Any organized actor: ours, a partner, a party, union, faith group, business, opponent."""

    objects = public_manager()

    class Kind(models.TextChoices):
        FEDERATION = "federation", "Federation of chapters"
        CHAPTER = "chapter", "Local chapter"
        FAITH = "faith", "Faith-based organizing group"
        UNION = "union", "Union"
        POLITICAL = "political", "Independent political organization"
        ADVOCACY = "advocacy", "Advocacy group"
        PARTY = "party", "Party or party body"
        OFFICE = "office", "Elected office or government"
        BUSINESS = "business", "Business or business group"
        MEDIA = "media", "Media"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="chapters",
        help_text="The federation a chapter belongs to.",
    )
    spectrum_position = models.SmallIntegerField(
        default=0, help_text="-3 active opposition ... +3 active ally (overall)."
    )
    influence = models.PositiveSmallIntegerField(default=1, help_text="0 none ... 5 decisive.")
    base_size = models.PositiveIntegerField(default=0, help_text="Members or base it can move.")
    interests = models.TextField(blank=True, help_text="Why it is involved.")
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(spectrum_position__gte=STANCE_MIN) & Q(spectrum_position__lte=STANCE_MAX),
                name="organization_spectrum_in_range",
            ),
            models.CheckConstraint(condition=Q(influence__lte=5), name="organization_influence_0_5"),
        ]

    def __str__(self) -> str:
        return self.name


class Coalition(models.Model):
    """A table of partner organizations working together."""

    objects = public_manager()

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    members: models.ManyToManyField[Organization, CoalitionMembership] = models.ManyToManyField(
        Organization, through="CoalitionMembership", related_name="coalitions"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoalitionMembership(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    joined_on = models.DateField(null=True, blank=True)
    role = models.CharField(max_length=100, blank=True, help_text="Anchor, partner, ally, ...")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "organization"], name="coalition_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} at {self.coalition}"


class OrganizationRole(models.Model):
    """A user's role in an organization: viewer, organizer or admin."""

    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer"
        ORGANIZER = "organizer", "Organizer"
        ADMIN = "admin", "Admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_roles"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="org_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.organization}"


class CoalitionCoordinator(models.Model):
    """A user who coordinates a coalition table (sees its aggregates)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinates"
    )
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="coordinators")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "coalition"], name="coordinator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} coordinates {self.coalition}"


def _person_scope(user: Any) -> Q:
    return Q(owner_id__in=own_org_ids(user)) | Q(owner__isnull=True)


class Person(models.Model):
    """A person. Private to the owning organization; public figures have no owner.

    Elected officials, candidates and other public figures are stored without an owner and
    are visible to everyone; every other person belongs to exactly one organization.
    """

    owner = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="people",
        help_text="The organization whose record this is; empty for a public figure.",
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    postal_code = models.CharField(
        max_length=20, blank=True, default="",
        help_text="Upper case, single spaces: letters, digits, spaces and hyphens.",
    )
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    identifiers = models.JSONField(default=list, blank=True, help_text='["system:id", ...]')
    public_role = models.CharField(max_length=200, blank=True, help_text="For public figures.")
    influence = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="0 none ... 5 decisive; empty: 3 for a seat holder, 1 for anyone else.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(_person_scope)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["owner", "email"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__isnull=True) | Q(influence__lte=5),
                name="person_influence_0_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def is_public(self) -> bool:
        return self.owner_id is None


def _membership_scope(user: Any) -> Q:
    return Q(person__owner_id__in=own_org_ids(user)) | Q(person__owner__isnull=True)


class Membership(models.Model):
    """A person's membership in an organization, with role and dates."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=100, blank=True, default="member")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = scoped_manager(_membership_scope)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="membership_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "organization", "start_date"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.organization}"


class LadderStage(models.TextChoices):
    """Stages of the leadership ladder, in order."""

    SUPPORTER = "supporter", "Supporter"
    MEMBER = "member", "Member"
    ACTIVE_MEMBER = "active_member", "Active member"
    SQUAD_LEADER = "squad_leader", "Squad leader"
    CHAPTER_LEADER = "chapter_leader", "Chapter leader"
    DELEGATE = "delegate", "Delegate"
    CANDIDATE = "candidate", "Candidate"


LADDER_ORDER = {stage.value: i for i, stage in enumerate(LadderStage)}


def _own_org_scope(field: str) -> Any:
    def scope(user: Any) -> Q:
        return Q(**{f"{field}__in": own_org_ids(user)})

    return scope


class LeadershipStep(models.Model):
    """A dated step of a person up the leadership ladder of an organization."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ladder_steps")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="ladder_steps"
    )
    stage = models.CharField(max_length=20, choices=LadderStage.choices)
    date = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    objects = scoped_manager(_own_org_scope("organization_id"))

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "stage"], name="ladder_step_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "stage"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_stage_display()} on {self.date}"


def partner_scope(field: str) -> Any:
    """Scope for aggregate records: the user's organizations and their coalition partners."""

    def scope(user: Any) -> Q:
        return Q(**{f"{field}__in": partner_org_ids(user)})

    return scope


def own_scope(field: str) -> Any:
    """Scope for person-level records: the user's own organizations only."""
    return _own_org_scope(field)


class Curation(models.Model):
    """A grant by a site operator: ``organization`` may write the public records of one body
    or one division.

    Divisions, bodies, seats, voting rules, motions, recorded votes and public figures are
    shared by every organization; only site operators and curating organizations change them
    (the rule is :mod:`broadfront.web.common.permissions`). A division's curation covers its
    descendants and the bodies seated in them; a body's covers its seats, voting rules,
    motions and votes. Exactly one of ``body`` and ``division`` is set.
    """

    objects = public_manager()

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="curations"
    )
    body = models.ForeignKey(
        "landscape.Body", null=True, blank=True, on_delete=models.CASCADE,
        related_name="curations",
    )
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.CASCADE, related_name="curations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(body__isnull=False) & Q(division__isnull=True))
                | (Q(body__isnull=True) & Q(division__isnull=False)),
                name="curation_body_or_division",
            ),
            models.UniqueConstraint(fields=["organization", "body"], name="curation_body_unique"),
            models.UniqueConstraint(fields=["organization", "division"],
                                    name="curation_division_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} curates {self.body or self.division}"
