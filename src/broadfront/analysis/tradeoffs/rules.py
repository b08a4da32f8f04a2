"""Shared decision rules: how members and leaders decide together.

Rules (each documented on :func:`tally_ballots`):

``consent``
    Sociocratic consent: a proposal passes unless someone blocks it; objections are recorded
    with their reasons but do not stop it [1]_ (Loomio's positions: agree, abstain, object,
    block).
``majority`` / ``supermajority``
    More than half, or at least a stated share (two thirds by default), of the votes cast;
    blank ballots and abstentions are not votes cast [2]_.
``approval``
    Each voter approves any number of options; most approvals wins [3]_.
``score``
    Each voter scores options on a range (0 to 5 by default); the highest total wins [4]_.
``instant-runoff``
    Ranked choice: the option with the fewest first preferences is dropped and its ballots
    move on, until one option remains [5]_. Counted by ``pref_voting`` [6]_.
``condorcet``
    The option that beats every other in a head-to-head majority, if there is one; in a cycle
    (A beats B, B beats C, C beats A) there is none, and the Smith set (the smallest set of
    options that each beat every option outside it) is reported instead [5]_ [7]_. Counted by
    ``pref_voting`` [6]_.

Members and leaders are counted separately. Their tallies are combined with ``both`` (a
concurrent majority: each group that votes must reach the same winner), ``weighted`` (one
tally in which each group's ballots carry that group's share of the weight, however many
ballots it cast) or ``pooled`` (one person, one ballot). Each group may have a quorum: a
minimum number of ballots, or a share of its eligible voters. Abstentions and blank ballots
count towards quorum, as people present do under Robert's Rules [2]_.

References
----------
.. [1] Endenburg, G. Sociocracy: The Organization of Decision-Making. Eburon, 1998;
   Loomio Help, "Proposals: agree, abstain, disagree, block", https://help.loomio.com.
.. [2] Robert, H. M. et al. Robert's Rules of Order Newly Revised, 12th ed., PublicAffairs,
   2020, sections 1:6-1:7 (majority and two-thirds vote, votes cast) and 40 (quorum).
.. [3] Brams, S. J. and Fishburn, P. C. "Approval voting." American Political Science Review
   72(3), 831-847, 1978. doi:10.2307/1955105
.. [4] Smith, W. D. "Range voting." 2000, https://rangevoting.org/WarrenSmithPages/homepage/rangevote.pdf;
   Balinski, M. and Laraki, R. Majority Judgment. MIT Press, 2011 (on grading rules).
.. [5] Taylor, A. D. and Pacelli, A. M. Mathematics and Politics: Strategy, Voting, Power, and
   Proof, 2nd ed., Springer, 2008, chapter 1. doi:10.1007/978-0-387-77645-3
.. [6] Holliday, W. H. and Pacuit, E. pref_voting: The Preferential Voting Tools package for
   Python. Journal of Open Source Software 10(105), 7020, 2025. doi:10.21105/joss.07020
.. [7] Smith, J. H. "Aggregation of preferences with variable electorate." Econometrica 41(6),
   1027-1041, 1973. doi:10.2307/1914033
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from broadfront.analysis.tradeoffs.ballots import (
    COMBINES,
    COUNT_LABELS,
    HARD_MAX_BALLOTS,
    HARD_MAX_OPTIONS,
    MAX_BALLOTS,
    MAX_OPTIONS,
    MAX_RANKED_WORK,
    POSITIONS,
    ROLES,
    RULES,
    Ballot,
    Quorum,
    _check_ballots,
    _check_options,
    _check_quorum,
    _check_role_weights,
    _check_score_range,
    _check_threshold,
    _frac,
    _num,
    check_sizes,
)
from broadfront.exceptions import ValidationError

__all__ = [
    "COMBINES",
    "HARD_MAX_BALLOTS",
    "HARD_MAX_OPTIONS",
    "MAX_BALLOTS",
    "MAX_OPTIONS",
    "MAX_RANKED_WORK",
    "COUNT_LABELS",
    "POSITIONS",
    "ROLES",
    "RULES",
    "Ballot",
    "DecisionResult",
    "Objection",
    "Quorum",
    "Tally",
    "check_sizes",
    "tally_ballots",
]

_GROUP = {"member": "members", "leader": "leaders"}


@dataclass(frozen=True)
class Objection:
    """An objection or block recorded under consent (``ballot`` indexes the ballot list)."""

    ballot: int
    voter: str | None
    role: str
    option: str
    position: str
    reason: str | None


@dataclass(frozen=True)
class Tally:
    """The count of one group (``members``, ``leaders``) or of the combination (``combined``).

    Attributes
    ----------
    group : str
    rule : str
    ballots : int
        Ballots cast (including abstentions and blank ballots).
    quorum_required : int
    quorum_met : bool
    winner : str or None
    tied : tuple of str
        Options tied for the win when a tie leaves no winner.
    outcome : str
        One of ``winner``, ``no ballots``, ``quorum not met``, ``tie``, ``cycle``,
        ``no Condorcet winner``, ``no majority``, ``blocked``, ``groups disagree``,
        ``no winner in a group``.
    counts : dict
        What the rule counts per option: votes (majority), approvals, total scores,
        first preferences in the first round (instant-runoff), head-to-head wins (condorcet),
        agree positions (consent). Weighted tallies count shares of weight.
    eliminated : tuple of tuple of str
        Instant-runoff: the options dropped in each round, down to the last one standing
        against the winner (rounds go on past a majority, as in pref_voting).
    margins : dict
        Condorcet: ``margins[a][b]`` = weight preferring a to b minus weight preferring b to a.
    smith_set : tuple of str
        Condorcet: the Smith set (the winner alone when there is one).
    blocked : tuple of str
        Consent: options stopped by a block.
    objections : tuple of Objection
        Consent: every objection and block with its reason.
    """

    group: str
    rule: str
    ballots: int
    quorum_required: int
    quorum_met: bool
    winner: str | None
    tied: tuple[str, ...]
    outcome: str
    counts: dict[str, float] = field(default_factory=dict)
    eliminated: tuple[tuple[str, ...], ...] = ()
    margins: dict[str, dict[str, float]] = field(default_factory=dict)
    smith_set: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    objections: tuple[Objection, ...] = ()


@dataclass(frozen=True)
class DecisionResult:
    """Members' tally, leaders' tally, their combination and the winner (``combined.winner``)."""

    rule: str
    combine: str
    threshold: float | None
    role_weights: dict[str, float]
    members: Tally
    leaders: Tally
    combined: Tally
    winner: str | None


def tally_ballots(
    options: Sequence[str],
    ballots: Sequence[Ballot],
    rule: str,
    *,
    threshold: float | str | None = None,
    score_range: tuple[float, float] = (0, 5),
    combine: str = "both",
    role_weights: Mapping[str, float] | None = None,
    quorum: Mapping[str, Quorum | int] | None = None,
    lift_limits: bool = False,
) -> DecisionResult:
    r"""Count members' and leaders' ballots under a shared decision rule and combine them.

    Each group's ballots are tallied on their own under ``rule`` (see the module docstring for
    the rules). The combined result depends on ``combine``:

    * ``both``: every group that votes (casts a ballot or has a quorum) must meet its quorum
      and reach the same winner; otherwise there is no winner (``groups disagree``). Under
      ``consent`` an option blocked in one group is out for every group, so each group's
      choice is taken among the options nobody blocked (``blocked`` when none is left).
    * ``weighted``: one tally in which each ballot of group ``r`` weighs
      ``w_r / n_r`` (``n_r`` ballots cast by the group; weights of groups that cast none and
      have no quorum are left out and the rest renormalized), so each group carries its share
      of the decision however many turned out.
    * ``pooled``: one tally, each ballot weighing 1.

    Under ``consent`` a block stops an option whatever the combination; among options nobody
    blocked, the one with the most agree positions wins (fewer objections break a tie), so a
    single proposal passes unless it is blocked.

    Ties are not broken at random: a tie leaves no winner and lists the tied options.
    Instant runoff drops all options tied for fewest first preferences together (as
    ``pref_voting`` does without a tie-breaker).

    Parameters
    ----------
    options : sequence of str
        The options, distinct.
    ballots : sequence of Ballot
        Every ballot; each is checked (the error names ``ballots[i].field``).
    rule : str
        One of ``consent``, ``majority``, ``supermajority``, ``approval``, ``score``,
        ``instant-runoff``, ``condorcet``.
    threshold : float or str, optional
        ``supermajority`` only: the share of votes cast needed, in (1/2, 1], as a number or a
        fraction such as ``"2/3"`` (default 2/3; reached when share >= threshold).
    score_range : (float, float), default (0, 5)
        ``score`` only: the lowest and highest allowed scores.
    combine : {"both", "weighted", "pooled"}, default "both"
    role_weights : mapping, optional
        ``weighted`` only: ``{"member": w, "leader": w}``, non-negative (default equal).
    quorum : mapping, optional
        Per role (``member``, ``leader``): a :class:`Quorum` or a minimum number of ballots.
    lift_limits : bool
        Accept up to ``HARD_MAX_OPTIONS`` options and ``HARD_MAX_BALLOTS`` ballots and any
        ranked work instead of ``MAX_OPTIONS``, ``MAX_BALLOTS`` and ``MAX_RANKED_WORK``
        (see :func:`check_sizes`).

    Returns
    -------
    DecisionResult

    Raises
    ------
    ValidationError
        For too many options or ballots (:func:`check_sizes`), an unknown rule or
        combination, a bad threshold, weight or quorum, and for a bad
        ballot: an unknown role, option or position, a ranking that repeats an option, a score
        out of range, a missing field, a voter who votes twice (``location`` is
        ``ballots[i].field``).

    References
    ----------
    .. [1] Robert, H. M. et al. Robert's Rules of Order Newly Revised, 12th ed., 2020.
    .. [2] Taylor, A. D. and Pacelli, A. M. Mathematics and Politics, 2nd ed., Springer, 2008.
       doi:10.1007/978-0-387-77645-3
    .. [3] Holliday, W. H. and Pacuit, E. pref_voting. JOSS 10(105), 7020, 2025.
       doi:10.21105/joss.07020

    Examples
    --------
    Three members rank B, A, C and two rank A, C, B; leaders all put A first. Members'
    instant runoff elects B outright (3 of 5 first preferences); leaders elect A; under
    ``both`` nobody wins, under ``weighted`` with equal weights A wins (leaders' half plus
    members' 2/5 of the other half on the first round).

    >>> bs = ([Ballot("member", ranking=("B", "A", "C"))] * 3
    ...       + [Ballot("member", ranking=("A", "C", "B"))] * 2
    ...       + [Ballot("leader", ranking=("A", "B", "C"))] * 2)
    >>> r = tally_ballots(["A", "B", "C"], bs, "instant-runoff")
    >>> r.members.winner, r.leaders.winner, r.winner, r.combined.outcome
    ('B', 'A', None, 'groups disagree')
    >>> tally_ballots(["A", "B", "C"], bs, "instant-runoff", combine="weighted").winner
    'A'

    A block stops a proposal; an objection is recorded but does not:

    >>> bs = [Ballot(position="agree"), Ballot(position="object", reason="too soon")]
    >>> tally_ballots(["strike"], bs, "consent").winner
    'strike'
    >>> r = tally_ballots(["strike"], bs + [Ballot(position="block")], "consent")
    >>> r.winner, r.combined.outcome, [o.position for o in r.members.objections]
    (None, 'blocked', ['object', 'block'])
    """
    check_sizes(len(options), len(ballots), rule, lift_limits=lift_limits)
    opts = _check_options(options)
    if rule not in RULES:
        raise ValidationError(f"rule must be one of {', '.join(RULES)}, got {rule!r}",
                              parameter="rule")
    if combine not in COMBINES:
        raise ValidationError(f"combine must be one of {', '.join(COMBINES)}, got {combine!r}",
                              parameter="combine")
    thr = _check_threshold(threshold, rule)
    lo, hi = _check_score_range(score_range)
    weights = _check_role_weights(role_weights)
    quorums = _check_quorum(quorum)
    ballots = list(ballots)
    _check_ballots(opts, ballots, rule, lo, hi)

    ctx = _Rule(rule, opts, thr, lo)
    by_role = {role: [i for i, b in enumerate(ballots) if b.role == role] for role in ROLES}
    tallies: dict[str, Tally] = {}
    for role in ROLES:
        idx = by_role[role]
        tallies[role] = ctx.count(_GROUP[role], ballots, idx, [Fraction(1)] * len(idx),
                                  quorums[role].required)

    voting = [r for r in ROLES if by_role[r] or quorums[r].required > 0]
    total = len(ballots)
    if not voting:
        combined = _empty("combined", rule, 0, 0, True, "no ballots")
    elif any(not tallies[r].quorum_met for r in voting):
        combined = _empty("combined", rule, total, 0, False, "quorum not met")
    elif combine == "both":
        groups = [tallies[r] for r in voting]
        blocked_any = frozenset(o for t in groups for o in t.blocked)
        if rule == "consent" and blocked_any and len(voting) > 1:
            # a block stops an option for everyone: each group chooses among the rest
            apart = _Rule(rule, opts, thr, lo, blocked_any)
            groups = [apart.count(_GROUP[r], ballots, by_role[r], [Fraction(1)] * len(by_role[r]),
                                  quorums[r].required) for r in voting]
        combined = _combine_both(rule, groups, total)
    else:
        idx = [i for r in voting for i in by_role[r]]
        if combine == "pooled":
            w = [Fraction(1)] * len(idx)
        else:
            share = {r: weights[r] for r in voting if by_role[r]}
            norm = sum(share.values())
            if norm == 0:
                raise ValidationError("role_weights of the groups that voted are all zero",
                                      parameter="role_weights")
            w = [share[ballots[i].role] / norm / len(by_role[ballots[i].role]) for i in idx]
        combined = ctx.count("combined", ballots, idx, w, 0)
        combined = _replace_ballots(combined, total)
    return DecisionResult(
        rule=rule,
        combine=combine,
        threshold=float(thr) if thr is not None else None,
        role_weights={r: float(weights[r]) for r in ROLES},
        members=tallies["member"],
        leaders=tallies["leader"],
        combined=combined,
        winner=combined.winner,
    )


# ---------------------------------------------------------------------------- counting


class _Rule:
    """Counts one set of weighted ballots under one rule."""

    def __init__(self, rule: str, options: tuple[str, ...], threshold: Fraction | None,
                 score_min: Fraction, blocked_elsewhere: frozenset[str] = frozenset()) -> None:
        self.rule = rule
        self.options = options
        self.threshold = threshold
        self.score_min = score_min
        #: consent: options another group blocked, out of this count too (not listed as blocks)
        self.blocked_elsewhere = blocked_elsewhere

    def count(self, group: str, ballots: list[Ballot], idx: list[int], weights: list[Fraction],
              required: int) -> Tally:
        n = len(idx)
        met = n >= required
        if n == 0:
            return _empty(group, self.rule, 0, required, met,
                          "no ballots" if met else "quorum not met")
        method = getattr(self, "_" + self.rule.replace("-", "_"))
        tally: Tally = method(group, [ballots[i] for i in idx], idx, weights)
        fields = dict(tally.__dict__, quorum_required=required, quorum_met=met)
        if not met:
            fields.update(winner=None, tied=(), outcome="quorum not met")
        return Tally(**fields)

    def _base(self, group: str, n: int, winner: str | None, tied: tuple[str, ...],
              outcome: str, counts: Mapping[str, Fraction], **extra: Any) -> Tally:
        return Tally(group=group, rule=self.rule, ballots=n, quorum_required=0, quorum_met=True,
                     winner=winner, tied=tied, outcome=outcome,
                     counts={o: _num(counts[o]) for o in self.options}, **extra)

    def _top(self, group: str, n: int, counts: Mapping[str, Fraction], empty: str,
             **extra: Any) -> Tally:
        best = max(counts.values())
        if best <= 0:
            return self._base(group, n, None, (), empty, counts, **extra)
        top = tuple(o for o in self.options if counts[o] == best)
        if len(top) > 1:
            return self._base(group, n, None, top, "tie", counts, **extra)
        return self._base(group, n, top[0], (), "winner", counts, **extra)

    def _majority(self, group: str, ballots: list[Ballot], idx: list[int],
                  weights: list[Fraction]) -> Tally:
        counts = dict.fromkeys(self.options, Fraction(0))
        for b, w in zip(ballots, weights, strict=True):
            if b.choice is not None:
                counts[b.choice] += w
        cast = sum(counts.values(), Fraction(0))
        if cast == 0:
            return self._base(group, len(ballots), None, (), "no votes cast", counts)
        for o in self.options:
            share = counts[o] / cast
            passes = share >= self.threshold if self.threshold is not None else share > Fraction(1, 2)
            if passes:
                return self._base(group, len(ballots), o, (), "winner", counts)
        return self._base(group, len(ballots), None, (), "no majority", counts)

    _supermajority = _majority

    def _approval(self, group: str, ballots: list[Ballot], idx: list[int],
                  weights: list[Fraction]) -> Tally:
        counts = dict.fromkeys(self.options, Fraction(0))
        for b, w in zip(ballots, weights, strict=True):
            for o in b.approve or ():
                counts[o] += w
        return self._top(group, len(ballots), counts, "no approvals")

    def _score(self, group: str, ballots: list[Ballot], idx: list[int],
               weights: list[Fraction]) -> Tally:
        counts = dict.fromkeys(self.options, Fraction(0))
        for b, w in zip(ballots, weights, strict=True):
            given = b.scores or {}
            for o in self.options:
                counts[o] += w * (_frac(given[o]) if o in given else self.score_min)
        lowest = self.score_min * sum(weights, Fraction(0))
        shifted = {o: c - lowest for o, c in counts.items()}
        t = self._top(group, len(ballots), shifted, "no scores above the lowest")
        return Tally(**dict(t.__dict__, counts={o: _num(counts[o]) for o in self.options}))

    def _profile(self, ballots: list[Ballot], weights: list[Fraction]) -> Any:
        from pref_voting.profiles_with_ties import ProfileWithTies  # slow import: keep lazy

        pos = {o: k for k, o in enumerate(self.options)}
        grouped: dict[tuple[str, ...], Fraction] = {}  # identical rankings counted together
        for b, w in zip(ballots, weights, strict=True):
            key = tuple(b.ranking or ())
            grouped[key] = grouped.get(key, Fraction(0)) + w
        rankings = [{pos[o]: r + 1 for r, o in enumerate(key)} for key in grouped]
        profile = ProfileWithTies(rankings, rcounts=list(grouped.values()),
                                  candidates=list(range(len(self.options))))
        profile.use_extended_strict_preference()
        return profile

    def _instant_runoff(self, group: str, ballots: list[Ballot], idx: list[int],
                        weights: list[Fraction]) -> Tally:
        from pref_voting.iterative_methods import instant_runoff_with_explanation

        counts = dict.fromkeys(self.options, Fraction(0))
        for b, w in zip(ballots, weights, strict=True):
            if b.ranking:
                counts[b.ranking[0]] += w
        if not any(counts.values()):
            return self._base(group, len(ballots), None, (), "no votes cast", counts)
        winners, order = instant_runoff_with_explanation(self._profile(ballots, weights))
        names = tuple(self.options[k] for k in winners)
        eliminated = tuple(tuple(self.options[k] for k in step) for step in order
                           if not set(step) & set(winners))
        if len(names) == 1:
            return self._base(group, len(ballots), names[0], (), "winner", counts,
                              eliminated=eliminated)
        return self._base(group, len(ballots), None, names, "tie", counts,
                          eliminated=eliminated)

    def _condorcet(self, group: str, ballots: list[Ballot], idx: list[int],
                   weights: list[Fraction]) -> Tally:
        from pref_voting.c1_methods import top_cycle

        profile = self._profile(ballots, weights)
        k = len(self.options)
        margin = [[Fraction(profile.margin(a, b)) if a != b else Fraction(0) for b in range(k)]
                  for a in range(k)]
        margins = {self.options[a]: {self.options[b]: _num(margin[a][b])
                                     for b in range(k) if b != a} for a in range(k)}
        wins = {self.options[a]: Fraction(sum(1 for b in range(k) if margin[a][b] > 0))
                for a in range(k)}
        cw = profile.condorcet_winner()
        if not any(b.ranking for b in ballots):
            return self._base(group, len(ballots), None, (), "no votes cast", wins,
                              margins=margins)
        smith = tuple(self.options[c] for c in sorted(top_cycle(profile)))
        if cw is not None:
            return self._base(group, len(ballots), self.options[cw], (), "winner", wins,
                              margins=margins, smith_set=smith)
        members = [self.options.index(o) for o in smith]
        cyclic = any(margin[a][b] > 0 and margin[b][c] > 0 and margin[c][a] > 0
                     for a in members for b in members for c in members)
        return self._base(group, len(ballots), None, smith,
                          "cycle" if cyclic else "no Condorcet winner", wins,
                          margins=margins, smith_set=smith)

    def _consent(self, group: str, ballots: list[Ballot], idx: list[int],
                 weights: list[Fraction]) -> Tally:
        agree = dict.fromkeys(self.options, Fraction(0))
        objected = dict.fromkeys(self.options, Fraction(0))
        voted: set[str] = set()
        blocked: list[str] = []
        objections = []
        for i, b, w in zip(idx, ballots, weights, strict=True):
            option = b.option if b.option is not None else self.options[0]
            voted.add(option)
            if b.position == "agree":
                agree[option] += w
            elif b.position in ("object", "block"):
                objected[option] += w
                objections.append(Objection(i, b.voter, b.role, option, b.position or "",
                                            b.reason))
                if b.position == "block" and option not in blocked:
                    blocked.append(option)
        blocked_t = tuple(o for o in self.options if o in blocked)
        open_ = [o for o in self.options
                 if o in voted and o not in blocked and o not in self.blocked_elsewhere]
        extra = {"blocked": blocked_t, "objections": tuple(objections)}
        if not open_:
            return self._base(group, len(ballots), None, (), "blocked", agree, **extra)
        best = max((agree[o], -objected[o]) for o in open_)
        top = tuple(o for o in open_ if (agree[o], -objected[o]) == best)
        if len(top) > 1:
            return self._base(group, len(ballots), None, top, "tie", agree, **extra)
        return self._base(group, len(ballots), top[0], (), "winner", agree, **extra)


def _combine_both(rule: str, tallies: list[Tally], total: int) -> Tally:
    winners = {t.winner for t in tallies}
    blocked = tuple(sorted({o for t in tallies for o in t.blocked}))
    objections = tuple(sorted((o for t in tallies for o in t.objections), key=lambda o: o.ballot))
    if len(tallies) == 1:  # one group voted: its result is the result
        only = tallies[0]
        return Tally(group="combined", rule=rule, ballots=total, quorum_required=0,
                     quorum_met=True, winner=only.winner, tied=only.tied, outcome=only.outcome,
                     smith_set=only.smith_set, blocked=blocked, objections=objections)
    if None in winners:
        outcome = "blocked" if all(t.outcome == "blocked" for t in tallies if t.winner is None) \
            else "no winner in a group"
        winner = None
    elif len(winners) > 1:
        outcome, winner = "groups disagree", None
    else:
        outcome, winner = "winner", winners.pop()
    return Tally(group="combined", rule=rule, ballots=total, quorum_required=0, quorum_met=True,
                 winner=winner, tied=(), outcome=outcome, blocked=blocked,
                 objections=objections)


def _empty(group: str, rule: str, n: int, required: int, met: bool, outcome: str) -> Tally:
    return Tally(group=group, rule=rule, ballots=n, quorum_required=required, quorum_met=met,
                 winner=None, tied=(), outcome=outcome)


def _replace_ballots(tally: Tally, total: int) -> Tally:
    return Tally(**dict(tally.__dict__, ballots=total))
