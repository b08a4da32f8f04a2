"""Use cases of shared decisions: create, cast a ballot, tally, close (with cooling-off), review.

The tally and the impact summary come from :mod:`broadfront.analysis.tradeoffs`; this module
turns stored rows into its plain inputs and enforces, on the server, the cooling-off period of
a decision triggered by a betrayal, a broken commitment or a shock.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from broadfront import clock
from broadfront.analysis import tradeoffs
from broadfront.exceptions import ConflictError, NotFoundError, ValidationError
from broadfront.web.common import audit, permissions
from broadfront.web.common.services import validated_save
from broadfront.web.decisions.models import Ballot, Decision, Impact, Option, Review
from broadfront.web.organizations.models import Organization

if TYPE_CHECKING:
    from broadfront.web.common.tenancy import UserLike

TRIGGER_QUESTION = (
    "This decision was triggered by {trigger}. Are we deciding on the trigger, or on the "
    "trade-offs? It cannot close before {ends:%A %d %B, %H:%M} so that we can sit with it first."
)


# --- reads ------------------------------------------------------------------------------------

def get_decision_for_user(user: UserLike, pk: int) -> Decision:
    """One of our organizations' decisions; a partner's (or unknown) decision is not found."""
    decision = (Decision.objects.visible_to(user).select_related("organization", "outcome")
                .filter(pk=pk).first())
    if decision is None:
        raise NotFoundError(f"decision {pk} not found")
    return decision


def cooling_off_message(decision: Decision, now: dt.datetime | None = None) -> str | None:
    """The question shown while a triggered decision is cooling off; None otherwise."""
    ends = decision.cooling_off_ends()
    now = now or clock.now()
    if ends is None or now >= ends or decision.state == Decision.State.CLOSED:
        return None
    return TRIGGER_QUESTION.format(
        trigger=decision.get_triggered_by_display().lower(), ends=timezone.localtime(ends)
    )


def impact_summary(decision: Decision) -> tradeoffs.ImpactSummary | None:
    """Expected upside, downside and net effect per option and constituency."""
    options = list(decision.options.all())
    impacts = list(Impact.objects.filter(option__decision=decision).select_related("option"))
    if not options or not impacts:
        return None
    constituencies = sorted({i.constituency for i in impacts})
    cells = [
        tradeoffs.ImpactCell(
            option=i.option.label, constituency=i.constituency, upside=float(i.upside),
            upside_likelihood=float(i.upside_likelihood), downside=float(i.downside),
            downside_likelihood=float(i.downside_likelihood),
        )
        for i in impacts
    ]
    labels = [o.label for o in options]
    arrays = tradeoffs.impact_arrays(labels, constituencies, cells)
    return tradeoffs.summarize_impacts(labels, constituencies, *arrays)


def engine_ballots(decision: Decision) -> list[tradeoffs.Ballot]:
    """The stored ballots in the engine's form (options by label)."""
    labels = {str(o.pk): o.label for o in decision.options.all()}

    def label(pk: Any) -> str:
        return labels.get(str(pk), f"unknown option {pk}")

    result: list[tradeoffs.Ballot] = []
    for b in decision.ballots.select_related("choice").order_by("pk"):
        voter = str(b.voter_id)
        if decision.rule == Decision.Rule.CONSENT:
            for option_pk, position in (b.positions or {}).items():
                result.append(tradeoffs.Ballot(role=b.role, voter=voter, position=position,
                                               option=label(option_pk), reason=b.reason or None))
            continue
        result.append(tradeoffs.Ballot(
            role=b.role,
            voter=voter,
            ranking=tuple(label(pk) for pk in b.ranking) if b.ranking else None,
            approve=tuple(label(pk) for pk in b.approve) if b.approve is not None else None,
            choice=b.choice.label if b.choice else None,
            scores={label(k): float(v) for k, v in b.scores.items()} if b.scores else None,
            reason=b.reason or None,
        ))
    return result


def tally(decision: Decision) -> tradeoffs.DecisionResult:
    """Count the ballots under the decision's rule, members and leaders apart and combined."""
    options = [o.label for o in decision.options.all()]
    rule = decision.rule
    threshold = None
    if rule == Decision.Rule.SUPERMAJORITY:
        threshold = float(decision.supermajority)
    combine = {"both": "both", "weighted": "weighted", "members": "pooled"}[decision.combine]
    role_weights = None
    if combine == "weighted":
        lw = float(decision.leader_weight)
        role_weights = {"member": 1 - lw, "leader": lw}
    quorum = {"member": decision.quorum} if decision.quorum else None
    ballots = engine_ballots(decision)
    if decision.combine == Decision.Combine.MEMBERS:
        ballots = [b for b in ballots if b.role == "member"]
    return tradeoffs.tally_ballots(options, ballots, rule, threshold=threshold, combine=combine,
                                   role_weights=role_weights, quorum=quorum)


# --- writes -----------------------------------------------------------------------------------

@transaction.atomic
def do_create_decision(actor: UserLike, *, organization: Organization, question: str,
                       options: list[str], rule: str = "consent", context: str = "",
                       triggered_by: str = "", combine: str = "both", quorum: int = 0,
                       closes_at: dt.datetime | None = None,
                       review_due: dt.date | None = None,
                       leader_weight: Any = None, supermajority: Any = None,
                       descriptions: list[str] | None = None) -> Decision:
    """Open a decision with its options (``leader_weight`` and ``supermajority`` in 0..1).

    ``descriptions``, when given, holds one description per option (blank for none).
    """
    permissions.require_write(actor, Decision(organization=organization), permissions.CREATE)
    if rule not in Decision.Rule.values:
        raise ValidationError(f"rule must be one of {', '.join(Decision.Rule.values)}, got {rule!r}",
                              parameter="rule")
    if len(set(options)) != len(options) or not options:
        raise ValidationError("options must be one or more distinct labels", parameter="options")
    if descriptions is not None and len(descriptions) != len(options):
        raise ValidationError(f"descriptions must hold one text per option ({len(options)}), "
                              f"got {len(descriptions)}", parameter="descriptions")
    fractions: dict[str, Decimal] = {}
    for name, raw in (("leader_weight", leader_weight), ("supermajority", supermajority)):
        if raw is None or raw == "":
            continue
        try:
            value = Decimal(str(raw))
        except Exception as exc:
            raise ValidationError(f"{name} must be a number, got {raw!r}", parameter=name) from exc
        if not Decimal(0) <= value <= Decimal(1):
            raise ValidationError(f"{name} must be between 0 and 1, got {value}", parameter=name)
        fractions[name] = value.quantize(Decimal("0.001"))
    if "supermajority" in fractions and fractions["supermajority"] <= Decimal("0.5"):
        raise ValidationError(f"supermajority must be more than one half, got "
                              f"{fractions['supermajority']}", parameter="supermajority")
    decision = validated_save(Decision(
        organization=organization, question=question, context=context, rule=rule,
        triggered_by=triggered_by, combine=combine, quorum=quorum, opened_at=clock.now(),
        closes_at=closes_at, review_due=review_due, **fractions,
    ))
    for k, label in enumerate(options):
        description = descriptions[k] if descriptions is not None else ""
        validated_save(Option(decision=decision, label=label, description=description))
    audit.record(actor, "create", decision, changes={"options": options, "rule": rule,
                                                    "triggered_by": triggered_by})
    return decision


@transaction.atomic
def do_set_impact(actor: UserLike, option: Option, constituency: str, *, upside: Any = 0,
                  upside_likelihood: Any = 0, downside: Any = 0,
                  downside_likelihood: Any = 0, note: str = "") -> Impact:
    """Set the upside and downside of one option for one constituency."""
    decision = option.decision
    permissions.require_write(
        actor, Impact.objects.filter(option=option, constituency=constituency.strip()).first()
        or Impact(option=option, constituency=constituency.strip()))
    if decision.state == Decision.State.CLOSED:
        raise ConflictError("this decision is closed; record what happened in a review instead")
    values = {}
    for name, raw in (("upside", upside), ("upside_likelihood", upside_likelihood),
                      ("downside", downside), ("downside_likelihood", downside_likelihood)):
        try:
            values[name] = Decimal(str(raw))
        except Exception as exc:
            raise ValidationError(f"{name} must be a number, got {raw!r}", parameter=name) from exc
    for name in ("upside_likelihood", "downside_likelihood"):
        if not Decimal(0) <= values[name] <= Decimal(1):
            raise ValidationError(f"{name} must be between 0 and 1, got {values[name]}",
                                  parameter=name)
    if not constituency.strip():
        raise ValidationError("constituency must not be empty", parameter="constituency")
    impact, _ = Impact.objects.get_or_create(option=option, constituency=constituency.strip())
    for name, value in values.items():
        setattr(impact, name, value)
    impact.note = note
    validated_save(impact)
    audit.record(actor, "set", impact, organization=decision.organization_id, changes=values)
    return impact


def _check_ballot(decision: Decision, option_ids: set[str], *, ranking: list[int] | None,
                  approve: list[int] | None, choice: int | None,
                  scores: dict[str, float] | None, positions: dict[str, str] | None) -> None:
    rule = decision.rule
    needed = {
        "instant-runoff": ("ranking", ranking), "condorcet": ("ranking", ranking),
        "approval": ("approve", approve), "majority": ("choice", choice),
        "supermajority": ("choice", choice), "score": ("scores", scores),
        "consent": ("positions", positions),
    }[rule]
    if needed[1] is None:
        raise ValidationError(f"a {rule} ballot needs '{needed[0]}'", parameter=needed[0])
    for field, ids in (("ranking", ranking or []), ("approve", approve or []),
                       ("scores", list((scores or {}).keys())),
                       ("positions", list((positions or {}).keys()))):
        for pk in ids:
            if str(pk) not in option_ids:
                raise ValidationError(f"{field} names an option of another decision: {pk}",
                                      parameter=field)
    if ranking and len(set(ranking)) != len(ranking):
        raise ValidationError("ranking lists an option twice", parameter="ranking")
    if choice is not None and str(choice) not in option_ids:
        raise ValidationError(f"choice is not an option of this decision: {choice}",
                              parameter="choice")
    for pos in (positions or {}).values():
        if pos not in Ballot.Position.values:
            raise ValidationError(
                f"position must be one of {', '.join(Ballot.Position.values)}, got {pos!r}",
                parameter="positions",
            )


@transaction.atomic
def do_cast_ballot(actor: UserLike, decision: Decision, *, role: str = "member",
                   ranking: list[int] | None = None, approve: list[int] | None = None,
                   choice: int | None = None, scores: dict[str, float] | None = None,
                   positions: dict[str, str] | None = None, reason: str = "") -> Ballot:
    """Cast (or replace) the actor's ballot; one ballot per voter and decision.

    Leaders' ballots need the organizer role; members' ballots need any role.
    """
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    voter_id: Any = getattr(actor, "pk", None)
    ballot = (Ballot.objects.filter(decision=decision, voter_id=voter_id).first()
              or Ballot(decision=decision, voter_id=voter_id))
    ballot.role = role  # a leader's ballot needs an organizer: a row of the rule
    permissions.require_write(actor, ballot)
    if role not in Ballot.Role.values:
        raise ValidationError(f"role must be member or leader, got {role!r}", parameter="role")
    if decision.state != Decision.State.OPEN:
        raise ConflictError("this decision is not open for ballots")
    option_ids = {str(pk) for pk in decision.options.values_list("pk", flat=True)}
    _check_ballot(decision, option_ids, ranking=ranking, approve=approve, choice=choice,
                  scores=scores, positions=positions)
    ballot, created = Ballot.objects.update_or_create(
        decision=decision, voter=actor,
        defaults={
            "role": role, "ranking": ranking or [], "approve": approve or [],
            "choice_id": choice, "scores": {str(k): v for k, v in (scores or {}).items()},
            "positions": {str(k): v for k, v in (positions or {}).items()}, "reason": reason,
        },
    )
    audit.record(actor, "cast" if created else "recast", ballot,
                 organization=decision.organization_id, summary=f"ballot on {decision}")
    return ballot


@transaction.atomic
def do_close_decision(actor: UserLike, decision: Decision,
                      now: dt.datetime | None = None) -> Decision:
    """Close the decision and record the outcome; refused while cooling off."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    permissions.require_write(actor, decision, permissions.CHANGE)
    if decision.state == Decision.State.CLOSED:
        raise ConflictError("this decision is already closed")
    now = now or clock.now()
    ends = decision.cooling_off_ends()
    if ends is not None and now < ends:
        raise ConflictError(
            f"this decision was triggered by {decision.get_triggered_by_display().lower()} and "
            f"cannot close before {ends:%Y-%m-%d %H:%M} UTC (cooling-off period)",
            code="cooling_off",
        )
    result = tally(decision)
    decision.outcome = decision.options.filter(label=result.winner).first() if result.winner else None
    decision.state = Decision.State.CLOSED
    decision.closed_at = now
    decision.save(update_fields=["outcome", "state", "closed_at"])
    audit.record(actor, "close", decision,
                 changes={"winner": result.winner, "outcome": result.combined.outcome})
    return decision


REVIEW_FIELDS = ("gained", "lost")


@dataclass(frozen=True)
class ReviewProblem:
    """One bad value of a review: the constituency, the field (``gained``, ``lost`` or ``""``
    for the constituency itself) and what is wrong, in words."""

    constituency: str
    field: str
    message: str


class ReviewValidationError(ValidationError):
    """A review with one or more bad values; ``problems`` lists every one of them."""

    def __init__(self, problems: list[ReviewProblem]) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        where = f"actual.{first.constituency}" + (f".{first.field}" if first.field else "")
        super().__init__("; ".join(p.message for p in problems), parameter=where)


def _review_size(constituency: str, field: str, raw: Any) -> tuple[float | None, str | None]:
    """A gained or lost size: a finite number >= 0 (numbers or numeric text)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None, f"{constituency}: {field} must be a number, got {raw!r}"
    try:
        value = float(raw)
    except ValueError:
        return None, f"{constituency}: {field} must be a number, got {raw!r}"
    if not math.isfinite(value):
        return None, f"{constituency}: {field} must be a finite number, got {raw!r}"
    if value < 0:
        other = "lost" if field == "gained" else "gained"
        return None, (f"{constituency}: {field} must not be negative, got {raw!r} (a size >= 0; "
                      f"record the other direction under {other})")
    return value, None


def clean_review_actual(actual: Any) -> dict[str, dict[str, float]]:
    """Check a review's ``{constituency: {"gained": g, "lost": l}}`` and return it as floats.

    Both sizes are on the impact grid's scale and must be numbers >= 0; a missing one is 0,
    but each constituency needs at least one. Every problem is collected, so that the error
    names each constituency and field at once.

    Raises
    ------
    ReviewValidationError
        Naming every bad constituency and field.
    ValidationError
        If ``actual`` is not a mapping or is empty.
    """
    if not isinstance(actual, Mapping):
        raise ValidationError("actual must map each constituency to its gained and lost sizes, "
                              f"got {type(actual).__name__}", parameter="actual")
    if not actual:
        raise ValidationError("record what at least one constituency gained or lost",
                              parameter="actual")
    clean: dict[str, dict[str, float]] = {}
    problems: list[ReviewProblem] = []
    for key, entry in actual.items():
        name = str(key).strip()
        if not name:
            problems.append(ReviewProblem("", "", "a constituency needs a name"))
            continue
        if name in clean:
            problems.append(ReviewProblem(name, "", f"{name}: the constituency appears twice"))
            continue
        if not isinstance(entry, Mapping):
            problems.append(ReviewProblem(name, "", f"{name}: give what it gained and what it "
                                                    f"lost (two sizes >= 0), got {entry!r}"))
            continue
        unknown = sorted(str(k) for k in entry if k not in REVIEW_FIELDS)
        if unknown:
            problems.append(ReviewProblem(name, "", f"{name}: unknown field(s) "
                                                    f"{', '.join(unknown)} (use gained and lost)"))
            continue
        if not any(f in entry for f in REVIEW_FIELDS):
            problems.append(ReviewProblem(name, "", f"{name}: give gained, lost or both"))
            continue
        sizes: dict[str, float] = {}
        for field in REVIEW_FIELDS:
            value, message = _review_size(name, field, entry.get(field, 0))
            if message is not None:
                problems.append(ReviewProblem(name, field, message))
            elif value is not None:
                sizes[field] = value
        if len(sizes) == len(REVIEW_FIELDS):
            clean[name] = sizes
    if problems:
        raise ReviewValidationError(problems)
    return clean


@transaction.atomic
def do_record_review(actor: UserLike, decision: Decision, *, reviewed_on: dt.date,
                     actual: Mapping[str, Any], summary: str = "") -> Review:
    """Record what each constituency really gained and what it lost after the decision.

    ``actual`` maps each constituency to ``{"gained": g, "lost": l}`` (see
    :func:`clean_review_actual`). Nothing is written when any value is bad.
    """
    permissions.require_write(actor, Review(decision=decision), permissions.CREATE)
    clean = clean_review_actual(actual)
    review = validated_save(Review(decision=decision, reviewed_on=reviewed_on, actual=clean,
                                   summary=summary))
    audit.record(actor, "review", review, organization=decision.organization_id, changes=clean)
    return review


def reviews_due(user: UserLike, today: dt.date | None = None) -> list[Decision]:
    """Closed decisions whose review date has come and that have no review yet."""
    today = today or clock.today()
    return list(
        Decision.objects.visible_to(user)
        .filter(state=Decision.State.CLOSED, review_due__lte=today, reviews__isnull=True)
        .order_by("review_due")
    )
