"""What a decision is counted from: ballots, quorums, the rules' names and limits, and the
checks every input passes before :func:`broadfront.analysis.tradeoffs.rules.tally_ballots`
counts it (each error names the parameter and the bad value).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from broadfront.analysis._validation import check_count
from broadfront.exceptions import ValidationError

__all__ = [
    "COMBINES",
    "COUNT_LABELS",
    "HARD_MAX_BALLOTS",
    "HARD_MAX_OPTIONS",
    "MAX_BALLOTS",
    "MAX_OPTIONS",
    "MAX_RANKED_WORK",
    "POSITIONS",
    "ROLES",
    "RULES",
    "Ballot",
    "Quorum",
    "check_sizes",
]

ROLES = ("member", "leader")
#: Most options of one decision (soft limit).
MAX_OPTIONS = 100
#: Most options when limits are lifted.
HARD_MAX_OPTIONS = 1_000
#: Most ballots of one decision (soft limit: counting 100,000 choices takes about a second).
MAX_BALLOTS = 100_000
#: Most ballots when limits are lifted.
HARD_MAX_BALLOTS = 1_000_000
#: Most ranked ballots x options^2 under instant-runoff and condorcet, counted by
#: pref_voting at about 5 microseconds per unit (soft limit: about two minutes).
MAX_RANKED_WORK = 20_000_000
_RANKED = ("instant-runoff", "condorcet")
RULES = ("consent", "majority", "supermajority", "approval", "score", "instant-runoff",
         "condorcet")
COMBINES = ("both", "weighted", "pooled")
#: What ``Tally.counts`` holds under each rule.
COUNT_LABELS = {"consent": "agree", "majority": "votes", "supermajority": "votes",
                "approval": "approvals", "score": "total scores",
                "instant-runoff": "first preferences", "condorcet": "head-to-head wins"}
POSITIONS = ("agree", "abstain", "object", "block")


@dataclass(frozen=True)
class Ballot:
    """One person's ballot. Which field is read depends on the rule.

    Attributes
    ----------
    role : {"member", "leader"}
    voter : str, optional
        An id; a voter's ballot is counted once (under consent, once per option).
    ranking : tuple of str, optional
        ``instant-runoff`` and ``condorcet``: options best first; options left out rank below
        those ranked; an empty ranking is a blank ballot.
    approve : tuple of str, optional
        ``approval``: the options approved (possibly none).
    choice : str, optional
        ``majority`` and ``supermajority``: the option chosen; ``None`` abstains.
    scores : mapping of str to float, optional
        ``score``: option -> score; an option left out gets the lowest score.
    position : {"agree", "abstain", "object", "block"}, optional
        ``consent``: the position taken on ``option``.
    option : str, optional
        ``consent``: the option the position is about (needed when there are several).
    reason : str, optional
        Why; kept with recorded objections and blocks.
    """

    role: str = "member"
    voter: str | None = None
    ranking: tuple[str, ...] | None = None
    approve: tuple[str, ...] | None = None
    choice: str | None = None
    scores: Mapping[str, float] | None = None
    position: str | None = None
    option: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Quorum:
    """How many ballots a group must cast for its tally to count.

    The requirement is ``max(minimum, ceil(fraction * eligible))``.
    """

    minimum: int = 0
    eligible: int | None = None
    fraction: float | None = None

    @property
    def required(self) -> int:
        """The number of ballots required."""
        need = self.minimum
        if self.fraction is not None and self.eligible is not None:
            need = max(need, math.ceil(Fraction(str(self.fraction)) * self.eligible))
        return need



def _num(value: Fraction) -> float:
    return int(value) if value.denominator == 1 else float(value)


def _frac(value: float) -> Fraction:
    return Fraction(value) if isinstance(value, int) else Fraction(str(value))


# ---------------------------------------------------------------------------- validation


def check_sizes(n_options: int, n_ballots: int, rule: str, *, lift_limits: bool = False) -> None:
    """Check the numbers of options and ballots (and the work of a ranked count) before counting.

    Raises
    ------
    ValidationError
        More than ``MAX_OPTIONS`` options or ``MAX_BALLOTS`` ballots (``HARD_MAX_*`` when
        ``lift_limits``), or ranked ballots x options^2 above ``MAX_RANKED_WORK``.

    Examples
    --------
    >>> check_sizes(3, 10, "condorcet")
    >>> check_sizes(100_000, 10, "majority")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: options: the number of options must be between 1 and 100, got 100000
    """
    lift = {"lift_limits": lift_limits}
    try:
        check_count(n_options, "options", MAX_OPTIONS, hard=HARD_MAX_OPTIONS,
                    what="the number of options", **lift)
    except ValidationError as exc:
        raise ValidationError(exc.message, parameter="options", location="options") from None
    try:
        check_count(n_ballots, "ballots", MAX_BALLOTS, minimum=0, hard=HARD_MAX_BALLOTS,
                    what="the number of ballots", **lift)
    except ValidationError as exc:
        raise ValidationError(exc.message, parameter="ballots", location="ballots") from None
    work = n_ballots * n_options**2
    if rule in _RANKED and not lift_limits and work > MAX_RANKED_WORK:
        raise ValidationError(
            f"{rule} counts ballots x options^2 = {n_ballots:,} x {n_options}^2; at most "
            f"{MAX_RANKED_WORK:,} (fewer options or ballots, or lift the limits)",
            parameter="ballots", location="ballots")


def _check_options(options: Sequence[str]) -> tuple[str, ...]:
    if isinstance(options, str):
        raise ValidationError(f"options must be a list of names, got the string {options!r}",
                              parameter="options")
    opts = tuple(options)
    if not opts:
        raise ValidationError("options must name at least one option, got none",
                              parameter="options", location="options")
    seen: set[str] = set()
    for k, o in enumerate(opts):
        if not isinstance(o, str) or not o.strip():
            raise ValidationError(f"must be a non-empty string, got {o!r}",
                                  parameter="options", location=f"options[{k}]")
        if o in seen:
            raise ValidationError(f"option {o!r} appears twice", parameter="options",
                                  location=f"options[{k}]")
        seen.add(o)
    return opts


def _check_threshold(threshold: float | str | None, rule: str) -> Fraction | None:
    if threshold is None:
        return Fraction(2, 3) if rule == "supermajority" else None
    if rule != "supermajority":
        raise ValidationError(f"threshold applies to the supermajority rule only, not {rule!r}",
                              parameter="threshold")
    try:
        if isinstance(threshold, bool):
            raise ValueError
        value = Fraction(threshold) if isinstance(threshold, str | int) \
            else Fraction(str(threshold))
    except (ValueError, ZeroDivisionError, TypeError):
        raise ValidationError(f"threshold must be a number or a fraction such as '2/3', "
                              f"got {threshold!r}", parameter="threshold") from None
    if not Fraction(1, 2) < value <= 1:
        raise ValidationError(f"threshold must be more than 1/2 and at most 1, got {threshold!r}",
                              parameter="threshold")
    return value


def _check_score_range(score_range: tuple[float, float]) -> tuple[Fraction, Fraction]:
    try:
        lo, hi = score_range
        flo, fhi = _frac(lo), _frac(hi)
        if isinstance(lo, bool) or isinstance(hi, bool):
            raise ValueError
    except (ValueError, TypeError):
        raise ValidationError(f"score_range must be two numbers, got {score_range!r}",
                              parameter="score_range") from None
    if not flo < fhi:
        raise ValidationError(f"score_range must run from low to high, got {score_range!r}",
                              parameter="score_range")
    return flo, fhi


def _check_role_weights(role_weights: Mapping[str, float] | None) -> dict[str, Fraction]:
    if role_weights is None:
        return {r: Fraction(1, 2) for r in ROLES}
    out = {}
    for key in role_weights:
        if key not in ROLES:
            raise ValidationError(f"role_weights keys must be {' or '.join(ROLES)}, got {key!r}",
                                  parameter="role_weights")
    for r in ROLES:
        value = role_weights.get(r, 0)
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or value < 0):
            raise ValidationError(f"role_weights[{r!r}] must be a number >= 0, got {value!r}",
                                  parameter="role_weights")
        out[r] = _frac(value)
    if sum(out.values()) == 0:
        raise ValidationError("role_weights must not all be zero", parameter="role_weights")
    return out


def _check_quorum(quorum: Mapping[str, Quorum | int] | None) -> dict[str, Quorum]:
    out = {r: Quorum() for r in ROLES}
    for key, value in (quorum or {}).items():
        if key not in ROLES:
            raise ValidationError(f"quorum keys must be {' or '.join(ROLES)}, got {key!r}",
                                  parameter="quorum")
        q = Quorum(minimum=value) if isinstance(value, int) and not isinstance(value, bool) \
            else value
        if not isinstance(q, Quorum):
            raise ValidationError(f"quorum[{key!r}] must be a Quorum or a number of ballots, "
                                  f"got {value!r}", parameter="quorum")
        if q.minimum < 0:
            raise ValidationError(f"quorum[{key!r}] minimum must be >= 0, got {q.minimum}",
                                  parameter="quorum")
        if (q.fraction is None) != (q.eligible is None):
            raise ValidationError(f"quorum[{key!r}] needs both eligible and fraction, or neither",
                                  parameter="quorum")
        if q.fraction is not None and not 0 <= q.fraction <= 1:
            raise ValidationError(f"quorum[{key!r}] fraction must be between 0 and 1, "
                                  f"got {q.fraction!r}", parameter="quorum")
        if q.eligible is not None and q.eligible < 0:
            raise ValidationError(f"quorum[{key!r}] eligible must be >= 0, got {q.eligible!r}",
                                  parameter="quorum")
        out[key] = q
    return out


_FIELD = {"instant-runoff": "ranking", "condorcet": "ranking", "approval": "approve",
          "majority": "choice", "supermajority": "choice", "score": "scores",
          "consent": "position"}


def _check_ballots(options: tuple[str, ...], ballots: list[Ballot], rule: str,
                   lo: Fraction, hi: Fraction) -> None:
    known = set(options)
    seen: dict[Any, int] = {}
    need = _FIELD[rule]

    def bad(i: int, name: str, message: str) -> ValidationError:
        return ValidationError(message, parameter="ballots", location=f"ballots[{i}].{name}")

    def check_option(i: int, name: str, o: Any) -> None:
        if o not in known:
            raise bad(i, name, f"unknown option {o!r} (options are {', '.join(options)})")

    for i, b in enumerate(ballots):
        if not isinstance(b, Ballot):
            raise ValidationError(f"must be a Ballot, got {type(b).__name__}",
                                  parameter="ballots", location=f"ballots[{i}]")
        if b.role not in ROLES:
            raise bad(i, "role", f"role must be {' or '.join(ROLES)}, got {b.role!r}")
        if need == "ranking" or need == "approve":
            listed = getattr(b, need)
            if listed is None:
                raise bad(i, need, f"a {rule} ballot needs '{need}'")
            if isinstance(listed, str):
                raise bad(i, need, f"{need} must be a list of options, got {listed!r}")
            for o in listed:
                check_option(i, need, o)
            dup = [o for k, o in enumerate(listed) if o in listed[:k]]
            if dup:
                raise bad(i, need, f"{need} lists {dup[0]!r} more than once")
        elif need == "choice":
            if b.choice is not None:
                check_option(i, "choice", b.choice)
        elif need == "scores":
            if b.scores is None:
                raise bad(i, "scores", "a score ballot needs 'scores'")
            for o, value in b.scores.items():
                check_option(i, "scores", o)
                if (isinstance(value, bool) or not isinstance(value, int | float)
                        or not math.isfinite(value) or not lo <= _frac(value) <= hi):
                    raise bad(i, "scores", f"score for {o!r} must lie between {_num(lo)} and "
                                           f"{_num(hi)}, got {value!r}")
        else:
            if b.position not in POSITIONS:
                raise bad(i, "position",
                          f"position must be one of {', '.join(POSITIONS)}, got {b.position!r}")
            if b.option is None and len(options) > 1:
                raise bad(i, "option", "a consent ballot must name its option when there are "
                                       "several options")
            if b.option is not None:
                check_option(i, "option", b.option)
        if b.voter is not None:
            key = (b.voter, b.option or options[0]) if rule == "consent" else b.voter
            if key in seen:
                raise bad(i, "voter", f"voter {b.voter!r} already voted in ballots[{seen[key]}]"
                          + (f" on option {key[1]!r}" if rule == "consent" else "")
                          + "; a ballot is counted once")
            seen[key] = i
