"""Events and attendance; commitments, deliveries and contributions of coalition partners.

A commitment's status is computed from its deliveries, never typed by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum

from broadfront import clock
from broadfront.web.campaigns.models import Campaign
from broadfront.web.common.tenancy import own_org_ids, partner_org_ids, scoped_manager
from broadfront.web.organizations.models import Coalition, Division, Organization, Person


class Event(models.Model):
    """An event an organization holds: a meeting, training, canvass, action or caucus night."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        TRAINING = "training", "Training"
        CANVASS = "canvass", "Canvass"
        PHONEBANK = "phonebank", "Phone bank"
        ACTION = "action", "Action"
        HEARING = "hearing", "Public hearing"
        CAUCUS = "caucus", "Caucus"
        CONVENTION = "convention", "Convention"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    coalition = models.ForeignKey(
        Coalition, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEETING)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    identifiers = models.JSONField(default=list, blank=True)

    objects = scoped_manager(lambda user: Q(organization_id__in=partner_org_ids(user)))

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["organization", "starts_at"])]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """A person's RSVP to an event and whether they showed up (OSDI status and attended).

    Person-level: visible only to the users of the person's organization.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Said yes"
        TENTATIVE = "tentative", "Said maybe"
        DECLINED = "declined", "Said no"
        NEEDS_ACTION = "needs action", "No answer"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    attended = models.BooleanField(null=True, blank=True, help_text="Unknown until after.")
    invited_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager(lambda user: Q(person__owner_id__in=own_org_ids(user)))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="attendance_unique")
        ]
        indexes = [
            models.Index(fields=["event", "status", "attended"]),
            # A person's history (forecasts): covering, so no table row is read.
            models.Index(fields=["person", "status", "attended", "event"],
                         name="attendance_person_history"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.event}: {self.status}"


class AttendanceTally(models.Model):
    """Counts of one event's RSVPs from the people of one organization (a summary).

    Kept by :func:`broadfront.web.accountability.summary.refresh_attendance_summary` (bulk
    loads and imports call it) and, for single rows, on every save of an :class:`Attendance`.
    Pages read show-up rates and event counts from here instead of grouping every RSVP.
    ``organization`` is the person's owner (null for people without one).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tallies")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rsvps = models.PositiveIntegerField(default=0)  # every answer
    said_yes = models.PositiveIntegerField(default=0)  # accepted
    said_maybe = models.PositiveIntegerField(default=0)  # tentative
    came = models.PositiveIntegerField(default=0)  # attended, whatever they answered
    taken = models.PositiveIntegerField(default=0)  # said yes, attendance taken
    yes_and_came = models.PositiveIntegerField(default=0)  # said yes and came

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "organization"], name="tally_unique")
        ]
        indexes = [
            models.Index(fields=["organization", "event", "taken", "yes_and_came"],
                         name="tally_org_event"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} at {self.event_id}: {self.said_yes} said yes"


class Unit(models.TextChoices):
    """What a commitment promises."""

    DOORS = "doors", "doors knocked"
    CALLS = "calls", "calls made"
    MEMBERS = "members", "members at an event"
    VOTERS = "voters", "voters turned out"
    DOLLARS = "dollars", "dollars"
    ENDORSEMENTS = "endorsements", "endorsements"
    COUNCIL_VOTES = "council_votes", "council votes"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Kept in full"
    KEPT_LATE = "kept_late", "Kept late"
    PARTLY_KEPT = "partly_kept", "Partly kept"
    BROKEN = "broken", "Broken"


class Commitment(models.Model):
    """A partner promises a quantity of a unit to a campaign by a due date."""

    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="commitments")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    coalition = models.ForeignKey(
        Coalition, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    made_on = models.DateField()
    due_date = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager(lambda user: Q(partner_id__in=partner_org_ids(user)))

    class Meta:
        ordering = ["-due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="commitment_quantity_positive"),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("made_on")), name="commitment_due_after_made"
            ),
        ]
        indexes = [models.Index(fields=["partner", "unit"]),
                   models.Index(fields=["partner", "due_date"], name="commitment_partner_due")]

    def __str__(self) -> str:
        return f"{self.partner}: {self.quantity:g} {self.get_unit_display()} by {self.due_date}"

    def delivered(self) -> Decimal:
        return self.deliveries.aggregate(total=Sum("quantity"))["total"] or Decimal(0)

    def status(self, today: dt.date | None = None) -> str:
        """Computed from deliveries: kept, kept late, partly kept, broken or open."""
        today = today or clock.today()
        rows = list(self.deliveries.values_list("quantity", "delivered_on"))
        return compute_status(self.quantity, self.due_date, rows, today)


def compute_status(
    promised: Decimal, due: dt.date, deliveries: list[tuple[Decimal, dt.date]], today: dt.date
) -> str:
    """The status of a commitment from its deliveries (quantity, date)."""
    on_time = sum((q for q, d in deliveries if d <= due), Decimal(0))
    total = sum((q for q, _ in deliveries), Decimal(0))
    if on_time >= promised:
        return CommitmentStatus.KEPT
    if total >= promised:
        return CommitmentStatus.KEPT_LATE
    if today <= due:
        return CommitmentStatus.OPEN
    if total > 0:
        return CommitmentStatus.PARTLY_KEPT
    return CommitmentStatus.BROKEN


class Delivery(models.Model):
    """What arrived against a commitment, when, with evidence."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="deliveries")
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    delivered_on = models.DateField()
    evidence = models.CharField(max_length=500, blank=True)

    objects = scoped_manager(lambda user: Q(commitment__partner_id__in=partner_org_ids(user)))

    class Meta:
        ordering = ["delivered_on", "id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["commitment", "delivered_on", "quantity"],
                                name="delivery_commitment_day")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="delivery_quantity_nonneg")
        ]

    def __str__(self) -> str:
        return f"{self.quantity:g} on {self.delivered_on}"


class Contribution(models.Model):
    """A partner's part in an outcome (a win), claimed and then verified or disputed."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed"
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contributions"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contributions")
    outcome = models.CharField(max_length=200, help_text="The win this contributed to.")
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.VOTERS)
    quantity = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CLAIMED)
    evidence = models.TextField(blank=True)

    objects = scoped_manager(lambda user: Q(organization_id__in=partner_org_ids(user)))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="contribution_quantity_nonneg"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} to {self.outcome} ({self.status})"
