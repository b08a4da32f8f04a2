"""Decisions made together by members and leaders, with trade-offs by constituency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from broadfront.web.common.tenancy import own_org_ids, scoped_manager
from broadfront.web.organizations.models import Coalition, Organization


class Decision(models.Model):
    """A question with options, decided under a rule by members and leaders."""

    class Rule(models.TextChoices):
        CONSENT = "consent", "Consent (any block stops it)"
        MAJORITY = "majority", "Majority"
        SUPERMAJORITY = "supermajority", "Supermajority"
        APPROVAL = "approval", "Approval"
        SCORE = "score", "Score"
        INSTANT_RUNOFF = "instant-runoff", "Ranked choice (instant runoff)"
        CONDORCET = "condorcet", "Ranked choice (Condorcet)"

    class Combine(models.TextChoices):
        BOTH = "both", "Members and leaders must both pass it"
        WEIGHTED = "weighted", "Weighted tally of members and leaders"
        MEMBERS = "members", "Members decide"

    class Trigger(models.TextChoices):
        NONE = "", "Not triggered"
        BETRAYAL = "betrayal", "A betrayal"
        BROKEN_COMMITMENT = "broken_commitment", "A broken commitment"
        SHOCK = "shock", "A shock"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for ballots"
        CLOSED = "closed", "Decided"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="decisions"
    )
    coalition = models.ForeignKey(
        Coalition, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    question = models.CharField(max_length=300)
    context = models.TextField(blank=True)
    rule = models.CharField(max_length=20, choices=Rule.choices, default=Rule.CONSENT)
    combine = models.CharField(max_length=20, choices=Combine.choices, default=Combine.BOTH)
    leader_weight = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.5"))
    supermajority = models.DecimalField(max_digits=4, decimal_places=3,
                                        default=Decimal("0.667"))
    quorum = models.PositiveIntegerField(default=0, help_text="Ballots needed for a result.")
    triggered_by = models.CharField(max_length=30, choices=Trigger.choices, blank=True, default="")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.ForeignKey(
        "Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_due = models.DateField(null=True, blank=True)

    objects = scoped_manager(lambda user: Q(organization_id__in=own_org_ids(user)))

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gte=F("opened_at")),
                name="decision_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=Q(leader_weight__gte=0) & Q(leader_weight__lte=1),
                name="decision_leader_weight_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def cooling_off_ends(self) -> dt.datetime | None:
        """When a triggered decision may close at the earliest; None if not triggered."""
        if not self.triggered_by:
            return None
        return self.opened_at + dt.timedelta(hours=settings.BROADFRONT_COOLING_OFF_HOURS)


class Option(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "label"], name="option_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Impact(models.Model):
    """For one option and one constituency: the upside and the downside, size and likelihood."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="impacts")
    constituency = models.CharField(max_length=200)
    upside = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    upside_likelihood = models.DecimalField(max_digits=4, decimal_places=3, default=0)
    downside = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    downside_likelihood = models.DecimalField(max_digits=4, decimal_places=3, default=0)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "constituency"], name="impact_unique"),
            models.CheckConstraint(
                condition=Q(upside__gte=0) & Q(downside__gte=0), name="impact_sizes_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(upside_likelihood__gte=0) & Q(upside_likelihood__lte=1)
                & Q(downside_likelihood__gte=0) & Q(downside_likelihood__lte=1),
                name="impact_likelihoods_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option} for {self.constituency}"


class Ballot(models.Model):
    """One voter's ballot: a choice, a ranking, approvals, scores or consent positions.

    Options are referred to by their ids: ``ranking`` and ``approve`` are lists of option ids,
    ``scores`` and ``positions`` map option ids (as strings) to a score or a consent position.
    """

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        LEADER = "leader", "Leader"

    class Position(models.TextChoices):
        AGREE = "agree", "Agree"
        ABSTAIN = "abstain", "Abstain"
        OBJECT = "object", "Object (but let it pass)"
        BLOCK = "block", "Block"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    choice = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ranking = models.JSONField(default=list, blank=True)
    approve = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    positions = models.JSONField(
        default=dict, blank=True, help_text='Consent: {"<option id>": "agree", ...}'
    )
    reason = models.TextField(blank=True)
    cast_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(lambda user: Q(decision__organization_id__in=own_org_ids(user)))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "voter"], name="ballot_once_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.voter} on {self.decision}"


def read_actual(actual: Any) -> dict[str, tuple[float, float]]:
    """A review's ``actual`` as ``{constituency: (gained, lost)}``, in either stored format.

    Reviews store ``{"Tenants": {"gained": 2, "lost": 3}}``. Reviews written before gains
    and losses were recorded apart hold one net number per constituency: a positive net reads
    as that much gained and nothing lost, a negative one as that much lost and nothing gained,
    and 0 as neither.
    """
    result: dict[str, tuple[float, float]] = {}
    for name, value in (actual or {}).items():
        if isinstance(value, dict):
            result[str(name)] = (float(value.get("gained") or 0), float(value.get("lost") or 0))
        else:
            net = float(value)
            result[str(name)] = (max(net, 0.0), max(-net, 0.0))
    return result


class Review(models.Model):
    """After the decision: what was really gained and lost, per constituency."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    summary = models.TextField(blank=True)
    actual = models.JSONField(
        default=dict, blank=True,
        help_text='{"constituency": {"gained": size, "lost": size}, ...} (older reviews: '
                  'one net number per constituency)',
    )

    objects = scoped_manager(lambda user: Q(decision__organization_id__in=own_org_ids(user)))

    class Meta:
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"Review of {self.decision} on {self.reviewed_on}"

    @property
    def gained_lost(self) -> dict[str, tuple[float, float]]:
        """``{constituency: (gained, lost)}``, old net-only reviews included (:func:`read_actual`)."""
        return read_actual(self.actual)
