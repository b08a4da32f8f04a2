"""Who is moving on a body: members' positions measured from their recorded votes.

Yes is 1, no is 0; abstentions and absences are missing. Positions come from
:func:`broadfront.analysis.spectrum.fit_ideal_points` (the EM estimator of Imai, Lo and
Olmsted 2016) with the sign fixed by the anchor member the user picks (placed on the
positive side), 95% intervals from a parametric bootstrap with a fixed seed (so the page
shows the same figures every time), and each member's distance from the anchor. Movement:
one fit per calendar year, linked through the members who sat in both
(:func:`broadfront.analysis.spectrum.fit_periods`); a member is flagged when the change
exceeds 1.96 standard errors.

Votes are public records; a voter is named only when the user may see that person.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from django.core.cache import cache

from broadfront.analysis.spectrum import (
    AnchorDistances,
    IdealPoints,
    Realignment,
    anchor_distances,
    fit_ideal_points,
    fit_periods,
)
from broadfront.exceptions import BroadfrontError, ValidationError
from broadfront.web.landscape.models import Body, Motion, Seat, Vote
from broadfront.web.landscape.queries import person_name_for

CACHE_SECONDS = 3600
SEED = 0
N_BOOT = 50
N_BOOT_PERIODS = 30


_T = TypeVar("_T")


def _cached(kind: str, y: np.ndarray, keys: list[str], extra: tuple[Any, ...],
            compute: Callable[[], _T]) -> _T:
    """Engine results keyed by the exact votes and options (votes are public records, and
    names are attached after, so one cached fit serves every user)."""
    digest = hashlib.sha256(np.ascontiguousarray(y).tobytes() + repr((keys, extra)).encode())
    key = f"landscape:{kind}:{digest.hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found  # type: ignore[no-any-return]


@dataclass(frozen=True)
class MemberRow:
    pk: int
    name: str
    visible: bool
    bloc: str
    votes_cast: int
    position: float | None
    lower: float | None
    upper: float | None
    distance: float | None
    distance_lower: float | None
    distance_upper: float | None
    is_anchor: bool


@dataclass(frozen=True)
class MoveRow:
    name: str
    pk: int
    from_period: str
    to_period: str
    before: float
    after: float
    change: float
    standard_error: float
    moved: bool


@dataclass(frozen=True)
class BodyAlignment:
    """The fit, the members (by position) and the movement between years."""

    body: Body
    members: list[MemberRow]
    candidates: list[tuple[int, str]]  # members the user may pick as anchor
    anchor: int | None
    anchor_name: str | None
    fit: IdealPoints | None
    distances: AnchorDistances | None
    n_motions: int
    error: str | None
    realignment: Realignment | None
    moves: list[MoveRow]
    period_error: str | None

    @property
    def movers(self) -> list[MoveRow]:
        return [m for m in self.moves if m.moved]


def vote_matrix(body: Body) -> tuple[np.ndarray, list[int], list[Motion]]:
    """Members (voter pks) x motions: 1 yes, 0 no, NaN abstain/absent/not voting."""
    motions = list(Motion.objects.filter(body=body).order_by("date", "identifier"))
    col = {m.pk: j for j, m in enumerate(motions)}
    votes = list(Vote.objects.filter(motion__body=body).values_list("voter_id", "motion_id",
                                                                     "option"))
    voters = sorted({v for v, _m, _o in votes})
    row = {v: i for i, v in enumerate(voters)}
    y = np.full((len(voters), len(motions)), np.nan)
    for voter, motion, option in votes:
        if option in ("yes", "no"):
            y[row[voter], col[motion]] = 1.0 if option == "yes" else 0.0
    return y, voters, motions


def body_alignment(user: Any, body: Body, anchor: int | None = None, *,
                   n_boot: int = N_BOOT, seed: int = SEED) -> BodyAlignment:
    """Members' positions from recorded votes, distance from ``anchor`` and movement by year."""
    y, voters, motions = vote_matrix(body)
    visible = person_name_for(user, voters)
    names = {v: visible.get(v, f"Private member {i + 1}") for i, v in enumerate(voters)}
    blocs = dict(Seat.objects.filter(body=body, holder_id__in=voters)
                 .values_list("holder_id", "bloc"))
    candidates = sorted(((v, names[v]) for v in voters if v in visible), key=lambda t: t[1])
    if anchor is not None and anchor not in visible:
        raise ValidationError(f"anchor {anchor} is not a member of {body.name} you can see",
                              parameter="anchor")
    keys = [str(v) for v in voters]
    fit = distances = None
    error = None
    if voters and motions:
        try:
            ids = [m.identifier for m in motions]
            fit = _cached("fit", y, keys, (ids, anchor, n_boot, seed), lambda: fit_ideal_points(
                y, keys, vote_ids=ids, anchor=str(anchor) if anchor is not None else None,
                n_boot=n_boot, rng=seed))
            if anchor is not None and str(anchor) in fit.members:
                distances = anchor_distances(fit, str(anchor))
        except BroadfrontError as exc:
            error = str(exc)
    else:
        error = "No recorded votes yet."
    rows = []
    idx = {m: i for i, m in enumerate(fit.members)} if fit else {}
    didx = {m: i for i, m in enumerate(distances.members)} if distances else {}
    for i, v in enumerate(voters):
        k = idx.get(str(v))
        d = didx.get(str(v))
        rows.append(MemberRow(
            pk=v, name=names[v], visible=v in visible, bloc=blocs.get(v, "") or "",
            votes_cast=int((~np.isnan(y[i])).sum()),
            position=float(fit.positions[k, 0]) if fit and k is not None else None,
            lower=float(fit.lower[k, 0]) if fit and k is not None and fit.lower is not None else None,
            upper=float(fit.upper[k, 0]) if fit and k is not None and fit.upper is not None else None,
            distance=float(distances.distances[d]) if distances and d is not None else None,
            distance_lower=(float(distances.lower[d]) if distances and d is not None
                            and distances.lower is not None else None),
            distance_upper=(float(distances.upper[d]) if distances and d is not None
                            and distances.upper is not None else None),
            is_anchor=v == anchor,
        ))
    rows.sort(key=lambda r: (r.position is None, -(r.position or 0.0), r.name))
    realignment, moves, period_error = _by_year(y, keys, motions, anchor, names, seed)
    return BodyAlignment(body, rows, candidates, anchor,
                         names.get(anchor) if anchor is not None else None, fit, distances,
                         len(motions), error, realignment, moves, period_error)


def _by_year(y: np.ndarray, keys: list[str], motions: list[Motion], anchor: int | None,
             names: dict[int, str], seed: int
             ) -> tuple[Realignment | None, list[MoveRow], str | None]:
    periods = [str(m.date.year) for m in motions]
    if len(set(periods)) < 2:
        return None, [], "All recorded votes fall in one year: nothing to compare yet."
    try:
        r = _cached("periods", y, keys, (periods, anchor, N_BOOT_PERIODS, seed),
                    lambda: fit_periods(y, keys, periods,
                                        anchor=str(anchor) if anchor is not None else None,
                                        n_boot=N_BOOT_PERIODS, rng=seed))
    except BroadfrontError as exc:
        return None, [], str(exc)
    moves = [MoveRow(names[int(m.member)], int(m.member), m.from_period, m.to_period, m.before,
                     m.after, m.change, m.standard_error, m.moved) for m in r.moves]
    moves.sort(key=lambda m: (not m.moved, -abs(m.change)))
    return r, moves, None


def drift_alerts(user: Any, body: Body, allies: set[int]) -> list[tuple[MoveRow, str]]:
    """Members on our side whose votes moved away from us beyond their interval.

    The anchor is the ally with the most votes cast (placed on the positive side), so a
    negative change is a move away from our allies.
    """
    y, voters, _motions = vote_matrix(body)
    ours = [v for v in voters if v in allies]
    if not ours:
        return []
    counts = {v: int((~np.isnan(y[i])).sum()) for i, v in enumerate(voters)}
    anchor = max(ours, key=lambda v: (counts[v], -v))
    a = body_alignment(user, body, anchor, n_boot=20)
    return [(m, a.body.name) for m in a.movers if m.change < 0 and m.before > 0]


def bodies_with_votes() -> list[Body]:
    """Bodies with at least one recorded motion (public records)."""
    return list(Body.objects.filter(motions__isnull=False).distinct().order_by("name"))


def all_drift_alerts(user: Any) -> list[tuple[MoveRow, str]]:
    """:func:`drift_alerts` over every body with recorded votes; allies are the people ever
    assessed at +1 or more in the stances the user may see."""
    from broadfront.web.landscape.queries import actor_positions

    _positions, allies = actor_positions(user)
    people = {int(k[2:]) for k in allies if k.startswith("p:")}
    out: list[tuple[MoveRow, str]] = []
    for body in bodies_with_votes():
        out.extend(drift_alerts(user, body, people))
    return out
