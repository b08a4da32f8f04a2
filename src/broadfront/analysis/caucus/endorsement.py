"""Endorsement at a convention: the threshold, ballots with drop-off, and a bloc's leverage.

A party convention endorses a candidate who reaches a supermajority of the votes cast
(60% in the Minnesota DFL). The number of votes needed is computed exactly,
``ceil(threshold x votes cast)``. :func:`run_endorsement` plays out successive ballots
with drop-off rules and a "no endorsement" option; :func:`bloc_leverage` says whether a
disciplined bloc can block an endorsement alone, how many more delegates would make it a
veto player, and its Banzhaf and Shapley-Shubik power in the convention seen as a
weighted voting game (computed by :mod:`broadfront.analysis.power`).

References
----------
Minnesota DFL, *Constitution and Bylaws*, Article IV (endorsement requires 60% of the
votes cast), and the *2018-2019 Official Call*.

Banzhaf, J. F., "Weighted Voting Doesn't Work: A Mathematical Analysis", *Rutgers Law
Review* 19, 317-343, 1965.

Shapley, L. S. and Shubik, M., "A Method for Evaluating the Distribution of Power in a
Committee System", *American Political Science Review* 48(3), 787-792, 1954.
DOI 10.2307/1951053.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from broadfront.analysis._validation import check_positive_int
from broadfront.analysis.caucus._common import as_fraction, ceil_frac, check_counts, floor_frac
from broadfront.analysis.caucus.limits import MAX_BALLOTS, within
from broadfront.exceptions import ValidationError

DEFAULT_THRESHOLD = Fraction(3, 5)
"""60%: the Minnesota DFL's endorsement threshold."""

NO_ENDORSEMENT = "No endorsement"
"""The default name of the "no endorsement" option on the ballot."""


def check_threshold(threshold: float | Fraction | str) -> Fraction:
    """The endorsement threshold as an exact Fraction in (0, 1].

    Floats are read as their decimal ``repr`` (``0.6`` is exactly 3/5), so the votes a
    candidate needs never move by a float's binary rounding.

    Parameters
    ----------
    threshold : float, Fraction or str
        Share of the votes cast a candidate needs.

    Returns
    -------
    Fraction
        The threshold, exactly.

    Raises
    ------
    ValidationError
        If ``threshold`` is not a finite number in (0, 1].

    References
    ----------
    Minnesota DFL, *Constitution and Bylaws*, Article IV (endorsement requires 60% of the
    votes cast).

    Examples
    --------
    >>> check_threshold(0.6), check_threshold("2/3")
    (Fraction(3, 5), Fraction(2, 3))
    """
    t = as_fraction(threshold, "threshold")
    if not 0 < t <= 1:
        raise ValidationError(
            f"threshold must be in (0, 1], got {threshold!r}", parameter="threshold"
        )
    return t


def votes_needed(votes_cast: int, threshold: float | Fraction | str = DEFAULT_THRESHOLD) -> int:
    """Votes a candidate needs to be endorsed: ``ceil(threshold x votes_cast)``, exactly.

    The threshold is read as an exact decimal (``0.6`` is 3/5), so a float's binary
    rounding can never add or remove a vote.

    Parameters
    ----------
    votes_cast : int
        Valid votes cast (>= 0).
    threshold : float, Fraction or str, default 3/5
        Share of the votes cast needed, in (0, 1].

    Returns
    -------
    int
        The votes needed.

    Raises
    ------
    ValidationError
        If ``votes_cast`` is negative or not whole, or ``threshold`` is outside (0, 1].

    References
    ----------
    Minnesota DFL, *Constitution and Bylaws*, Article IV (60% endorsement).

    Examples
    --------
    >>> votes_needed(1000)
    600
    >>> votes_needed(1001)   # 600.6 rounds up
    601
    >>> votes_needed(100, 0.07)  # exactly 7; in floats 0.07 x 100 = 7.000000000000001
    7
    """
    t = check_threshold(threshold)
    if isinstance(votes_cast, bool) or not isinstance(votes_cast, int) or votes_cast < 0:
        raise ValidationError(
            f"votes_cast must be a non-negative whole number, got {votes_cast!r}",
            parameter="votes_cast",
        )
    return ceil_frac(t * votes_cast)


@dataclass(frozen=True)
class DropRule:
    """A drop-off rule applied after every ballot from ``from_ballot`` on.

    Attributes
    ----------
    from_ballot : int
        First ballot after which the rule applies.
    below_share : float
        Candidates with fewer than this share of the votes cast are dropped.
    drop_lowest : bool
        Also drop the candidate with the fewest votes.
    """

    from_ballot: int = 1
    below_share: float = 0.0
    drop_lowest: bool = False


DEFAULT_DROP_RULES: tuple[DropRule, ...] = (
    DropRule(from_ballot=1, below_share=0.05),
    DropRule(from_ballot=2, drop_lowest=True),
)
"""Illustrative drop-off rules (below 5% after the first ballot; the last candidate from the
second on). Every convention adopts its own rules: pass them explicitly."""


@dataclass(frozen=True)
class Ballot:
    """One ballot: the votes, what was needed, and who was dropped after it.

    Attributes
    ----------
    number : int
        1 for the first ballot.
    votes : dict of str to int
        Votes per option (candidates and the no-endorsement option).
    votes_cast : int
        Valid votes cast on this ballot.
    votes_needed : int
        ``ceil(threshold x votes_cast)``.
    dropped : tuple of str
        Candidates dropped after this ballot.
    """

    number: int
    votes: dict[str, int]
    votes_cast: int
    votes_needed: int
    dropped: tuple[str, ...]


@dataclass(frozen=True)
class EndorsementResult:
    """How the endorsement ended.

    Attributes
    ----------
    endorsed : str or None
        The endorsed candidate, or None for no endorsement.
    outcome : str
        ``"endorsed"``, ``"no endorsement chosen"`` (the option reached the threshold),
        ``"deadlock"`` (a ballot repeated unchanged) or ``"ballots exhausted"``.
    threshold : Fraction
        The endorsement threshold.
    ballots : tuple of Ballot
        Every ballot taken.
    """

    endorsed: str | None
    outcome: str
    threshold: Fraction
    ballots: tuple[Ballot, ...] = field(default_factory=tuple)


def run_endorsement(
    first_ballot: Mapping[str, int],
    *,
    threshold: float | Fraction | str = DEFAULT_THRESHOLD,
    max_ballots: int = 10,
    drop_rules: Sequence[DropRule] = DEFAULT_DROP_RULES,
    transfers: Mapping[str, Mapping[str, float]] | None = None,
    no_endorsement: str = NO_ENDORSEMENT,
) -> EndorsementResult:
    """Play out successive endorsement ballots with drop-off rules.

    On each ballot an option with at least ``votes_needed(votes cast)`` wins: a
    candidate is endorsed, or the no-endorsement option ends the contest. Otherwise the
    drop rules for that ballot remove candidates (never the no-endorsement option, never
    the last candidate) and their votes move by ``transfers``: ``transfers[c][d]`` is the
    share of ``c``'s voters who move to ``d``; shares naming a dropped option are
    re-spread, and the rest abstain. Without ``transfers`` a dropped candidate's voters
    split in proportion to the remaining options' votes. Split votes are whole numbers
    (largest remainders, ties to the option listed first). The contest ends without
    endorsement when a ballot would repeat unchanged or after ``max_ballots``.

    Parameters
    ----------
    first_ballot : mapping of str to int
        Votes per option on the first ballot; may include ``no_endorsement``.
    threshold : float, Fraction or str, default 3/5
        Share of the votes cast needed, in (0, 1].
    max_ballots : int, default 10
        Ballots before the convention gives up.
    drop_rules : sequence of DropRule
        Drop-off rules (default :data:`DEFAULT_DROP_RULES`, illustrative only).
    transfers : mapping, optional
        Where each candidate's voters go when the candidate is dropped.
    no_endorsement : str, default "No endorsement"
        Name of the no-endorsement option.

    Returns
    -------
    EndorsementResult
        The outcome and every ballot.

    Raises
    ------
    ValidationError
        For negative votes, a threshold outside (0, 1], ``max_ballots`` outside
        1..:data:`~broadfront.analysis.caucus.limits.MAX_BALLOTS` or transfer
        shares that are negative or sum above 1.

    References
    ----------
    Minnesota DFL, *Constitution and Bylaws*, Article IV; convention rules adopt the
    drop-off schedule.

    Examples
    --------
    1000 delegates; after the first ballot D (4%) is dropped and its 40 voters go to A:

    >>> r = run_endorsement({"A": 560, "B": 300, "C": 100, "D": 40},
    ...                     transfers={"D": {"A": 1.0}, "C": {"B": 1.0}})
    >>> [b.votes_needed for b in r.ballots], r.endorsed
    ([600, 600], 'A')
    """
    t = check_threshold(threshold)
    votes = check_counts(first_ballot, "first_ballot")
    max_ballots = within(check_positive_int(max_ballots, "max_ballots"), MAX_BALLOTS,
                         "max_ballots")
    rules = [_check_rule(r) for r in drop_rules]
    moves = _check_transfers(transfers or {})
    ballots: list[Ballot] = []
    previous: dict[str, int] | None = None
    for number in range(1, max_ballots + 1):
        cast = sum(votes.values())
        needed = ceil_frac(t * cast)
        leader = max(votes, key=lambda n: votes[n]) if votes else None
        if cast > 0 and leader is not None and votes[leader] >= needed:
            ballots.append(Ballot(number, dict(votes), cast, needed, ()))
            if leader == no_endorsement:
                return EndorsementResult(None, "no endorsement chosen", t, tuple(ballots))
            return EndorsementResult(leader, "endorsed", t, tuple(ballots))
        dropped = _apply_drops(votes, cast, number, rules, no_endorsement)
        ballots.append(Ballot(number, dict(votes), cast, needed, tuple(dropped)))
        if not dropped and votes == previous:
            return EndorsementResult(None, "deadlock", t, tuple(ballots))
        previous = dict(votes)
        votes = _transfer(votes, dropped, moves)
    return EndorsementResult(None, "ballots exhausted", t, tuple(ballots))


@dataclass(frozen=True)
class BlocLeverage:
    """What a disciplined bloc can do at the endorsement.

    Attributes
    ----------
    bloc : str
        The bloc's name.
    bloc_delegates : int
        Its delegates.
    total_delegates : int
        All delegates voting.
    votes_needed : int
        ``ceil(threshold x total_delegates)``.
    can_block_alone : bool
        True if all the other delegates together fall short of ``votes_needed``.
    can_endorse_alone : bool
        True if the bloc alone reaches ``votes_needed``.
    delegates_to_block : int
        More delegates (taken from the other camps, convention size fixed) the bloc
        needs to block alone; 0 if it already can.
    delegates_to_endorse_alone : int
        Likewise to endorse alone.
    camps_needing_bloc : tuple of str
        Other camps that fall short alone but reach the threshold with the bloc.
    banzhaf : float or None
        The bloc's normalized Banzhaf index in the weighted game (None if the power
        engine is unavailable).
    shapley_shubik : float or None
        The bloc's Shapley-Shubik index: the share of orderings in which it is pivotal.
    power_method : str or None
        How the power engine computed the indices.
    """

    bloc: str
    bloc_delegates: int
    total_delegates: int
    votes_needed: int
    can_block_alone: bool
    can_endorse_alone: bool
    delegates_to_block: int
    delegates_to_endorse_alone: int
    camps_needing_bloc: tuple[str, ...]
    banzhaf: float | None
    shapley_shubik: float | None
    power_method: str | None


def bloc_leverage(
    camps: Mapping[str, int],
    bloc: str,
    *,
    threshold: float | Fraction | str = DEFAULT_THRESHOLD,
    power: bool = True,
) -> BlocLeverage:
    """Can the bloc block an endorsement alone, and how much power does it hold?

    Every camp (a candidate's committed delegates, and the bloc) votes as one. With
    ``N`` delegates and ``V = ceil(threshold x N)`` votes needed, the bloc of ``b``
    blocks alone when ``N - b < V``; it needs ``max(0, N - b - V + 1)`` more delegates
    (taken from the others) to do so, and ``max(0, V - b)`` to endorse alone. Its
    Banzhaf and Shapley-Shubik indices come from the weighted game
    ``[V; camp sizes]`` via :mod:`broadfront.analysis.power`.

    Parameters
    ----------
    camps : mapping of str to int
        Delegates per camp, including the bloc.
    bloc : str
        The bloc's name in ``camps``.
    threshold : float, Fraction or str, default 3/5
        Endorsement threshold in (0, 1].
    power : bool, default True
        Compute the power indices (needs :mod:`broadfront.analysis.power`).

    Returns
    -------
    BlocLeverage
        Blocking, endorsing, the camps that need the bloc, and its power indices.

    Raises
    ------
    ValidationError
        If ``bloc`` is not a camp, a count is negative, no delegates vote or the
        threshold is outside (0, 1].

    References
    ----------
    Banzhaf (1965); Shapley and Shubik (1954), DOI 10.2307/1951053.

    Examples
    --------
    100 delegates, 60 needed. Our 45 can block (the other 55 fall short of 60), and
    either camp needs us to reach 60:

    >>> r = bloc_leverage({"Us": 45, "A": 30, "B": 25}, "Us", power=False)
    >>> r.votes_needed, r.can_block_alone, r.delegates_to_endorse_alone
    (60, True, 15)
    >>> r.camps_needing_bloc
    ('A', 'B')
    """
    t = check_threshold(threshold)
    counts = check_counts(camps, "camps")
    if bloc not in counts:
        raise ValidationError(f"bloc {bloc!r} is not one of the camps", parameter="bloc")
    total = sum(counts.values())
    if total == 0:
        raise ValidationError("camps must hold at least one delegate", parameter="camps")
    b = counts[bloc]
    needed = ceil_frac(t * total)
    others = total - b
    need_us = tuple(
        n for n, c in counts.items() if n != bloc and c < needed <= c + b
    )
    banzhaf_value = shapley_value = None
    method = None
    if power:
        banzhaf_value, shapley_value, method = _power_of(counts, bloc, needed)
    return BlocLeverage(
        bloc=bloc,
        bloc_delegates=b,
        total_delegates=total,
        votes_needed=needed,
        can_block_alone=others < needed,
        can_endorse_alone=b >= needed,
        delegates_to_block=max(0, others - needed + 1),
        delegates_to_endorse_alone=max(0, needed - b),
        camps_needing_bloc=need_us,
        banzhaf=banzhaf_value,
        shapley_shubik=shapley_value,
        power_method=method,
    )


# --- private steps ----------------------------------------------------------------------


def _power_of(
    counts: dict[str, int], bloc: str, quota: int
) -> tuple[float | None, float | None, str | None]:
    """The bloc's Banzhaf and Shapley-Shubik indices from the power engine, if installed."""
    try:
        from broadfront.analysis.power import WeightedGame, banzhaf, shapley_shubik
    except ImportError:
        return None, None, None
    names = [n for n, c in counts.items() if c > 0 or n == bloc]
    game = WeightedGame([counts[n] for n in names], quota, names=names)
    bz = banzhaf(game)
    ss = shapley_shubik(game)
    i = list(bz.names).index(bloc)
    j = list(ss.names).index(bloc)
    return float(bz.values[i]), float(ss.values[j]), f"banzhaf: {bz.method}; shapley-shubik: {ss.method}"


def _check_rule(rule: DropRule) -> DropRule:
    if not isinstance(rule, DropRule):
        raise ValidationError(f"drop_rules must hold DropRule values, got {rule!r}", parameter="drop_rules")
    if rule.from_ballot < 1 or not 0 <= rule.below_share < 1:
        raise ValidationError(
            f"drop rule needs from_ballot >= 1 and below_share in [0, 1), got {rule!r}",
            parameter="drop_rules",
        )
    return rule


def _check_transfers(transfers: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, Fraction]]:
    out: dict[str, dict[str, Fraction]] = {}
    for src, shares in transfers.items():
        fr = {dst: as_fraction(s, "transfers") for dst, s in shares.items()}
        if any(v < 0 for v in fr.values()) or sum(fr.values()) > 1:
            raise ValidationError(
                f"transfers for {src!r} must be non-negative shares summing to at most 1",
                parameter="transfers",
            )
        out[str(src)] = fr
    return out


def _apply_drops(
    votes: dict[str, int], cast: int, number: int, rules: list[DropRule], no_endorsement: str
) -> list[str]:
    candidates = [n for n in votes if n != no_endorsement]
    drop: set[str] = set()
    for rule in rules:
        if number < rule.from_ballot:
            continue
        if rule.below_share > 0 and cast > 0:
            share = as_fraction(rule.below_share, "below_share")
            drop |= {n for n in candidates if votes[n] < share * cast}
        if rule.drop_lowest:
            remaining = [n for n in candidates if n not in drop]
            if len(remaining) > 1:
                drop.add(min(remaining, key=lambda n: votes[n]))
    kept = [n for n in candidates if n not in drop]
    if not kept and candidates:  # never drop the last candidate(s): keep the strongest
        best = max(candidates, key=lambda n: votes[n])
        drop.discard(best)
    return [n for n in candidates if n in drop]


def _transfer(
    votes: dict[str, int], dropped: list[str], moves: dict[str, dict[str, Fraction]]
) -> dict[str, int]:
    remaining = {n: v for n, v in votes.items() if n not in dropped}
    new = dict(remaining)
    for src in dropped:
        pool = votes[src]
        if pool == 0:
            continue
        if src in moves:
            shares = {d: s for d, s in moves[src].items() if d in remaining}
            lost = sum(s for d, s in moves[src].items() if d not in remaining)
            base = sum(remaining[d] for d in remaining)
            if lost and base:  # shares naming dropped options are re-spread proportionally
                for d in remaining:
                    shares[d] = shares.get(d, Fraction(0)) + lost * Fraction(remaining[d], base)
        else:
            base = sum(remaining.values())
            shares = {d: Fraction(remaining[d], base) for d in remaining} if base else {}
        exact = {d: pool * s for d, s in shares.items()}
        whole = {d: floor_frac(x) for d, x in exact.items()}
        target = floor_frac(sum(exact.values(), Fraction(0)))
        order = sorted(exact, key=lambda d: (-(exact[d] - whole[d]), list(remaining).index(d)))
        for d in order[: target - sum(whole.values())]:
            whole[d] += 1
        for d, x in whole.items():
            new[d] += x
    return new
