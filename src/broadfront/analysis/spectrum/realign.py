"""Who is moving: ideal points per period on one scale, and agreement with anchors.

Each period (a term, a year, a window of votes) is scaled on its own with
:func:`~broadfront.analysis.spectrum.ideal.fit_ideal_points`; the scales are then linked
through the members who serve in consecutive periods ("bridges"), as in IRT test equating:
period :math:`t`'s positions are mapped to period :math:`t-1`'s linked scale by the affine
map :math:`x \\mapsto a + b x` fitted by least squares on the bridges, refitted once
without bridges whose residual exceeds three robust standard deviations (1.4826 x MAD), so
that a few movers do not drag the scale. The first period's scale is the common one.

A member **moved** between two consecutive periods when the change of linked position
exceeds ``z`` times its bootstrap standard error
:math:`\\sqrt{(b_t\\,se_t)^2 + se_{t-1}^2}` (uncertainty of the link itself is ignored).

Agreement rates are the share of votes, among those both cast in a window, on which a
member voted the same way as an anchor member (a mayor, a caucus leader).

References
----------
Kolen, M. J. and Brennan, R. L. (2014). Test Equating, Scaling, and Linking, 3rd ed.
Springer. doi:10.1007/978-1-4939-0317-7 (linking through common items or persons).

Imai, K., Lo, J. and Olmsted, J. (2016). Fast Estimation of Ideal Points with Massive Data.
American Political Science Review 110(4), 631-656. doi:10.1017/S000305541600037X.

Poole, K. T. and Rosenthal, H. (1997). Congress: A Political-Economic History of Roll Call
Voting. Oxford University Press (bridging legislators across Congresses).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from broadfront.analysis._validation import as_rng, check_positive_int
from broadfront.analysis.spectrum.ideal import (
    IdealPoints,
    _as_vote_matrix,
    _check_names,
    fit_ideal_points,
)
from broadfront.exceptions import ValidationError

__all__ = [
    "Agreement",
    "Move",
    "PeriodLink",
    "Realignment",
    "agreement_rates",
    "fit_periods",
    "link_periods",
]


@dataclass(frozen=True)
class PeriodLink:
    """The affine map ``intercept + slope * x`` from ``period``'s scale to the common one."""

    period: str
    intercept: float
    slope: float
    bridges: int


@dataclass(frozen=True)
class Move:
    """One member's change of linked position between two consecutive periods they served in."""

    member: str
    from_period: str
    to_period: str
    before: float
    after: float
    change: float
    standard_error: float
    moved: bool


@dataclass(frozen=True, eq=False)
class Realignment:
    """Positions of every member in every period on one scale.

    Attributes
    ----------
    periods : tuple of str
        Periods in order.
    members : tuple of str
        Every member scaled in at least one period (order of first appearance).
    positions : ndarray, shape (n_periods, n_members)
        Linked positions (NaN where the member was not scaled in that period).
    standard_errors : ndarray, shape (n_periods, n_members)
        Bootstrap standard errors on the linked scale (NaN where absent).
    links : tuple of PeriodLink
        One per period (the first is the identity).
    moves : tuple of Move
        Every consecutive pair of periods for every member who served in both.
    fits : tuple of IdealPoints
        The per-period fits.
    """

    periods: tuple[str, ...]
    members: tuple[str, ...]
    positions: np.ndarray
    standard_errors: np.ndarray
    links: tuple[PeriodLink, ...]
    moves: tuple[Move, ...]
    fits: tuple[IdealPoints, ...]

    @property
    def movers(self) -> tuple[Move, ...]:
        """The moves flagged as beyond their interval."""
        return tuple(m for m in self.moves if m.moved)


@dataclass(frozen=True, eq=False)
class Agreement:
    """Rolling agreement of every member with each anchor.

    Attributes
    ----------
    members, anchors : tuple of str
    windows : tuple of (str, str)
        First and last vote of each window.
    rates : ndarray, shape (n_windows, n_members, n_anchors)
        Share of common votes on which the member voted as the anchor (NaN: none in common).
    counts : ndarray of int, same shape
        Number of votes both cast in the window.
    """

    members: tuple[str, ...]
    anchors: tuple[str, ...]
    windows: tuple[tuple[str, str], ...]
    rates: np.ndarray
    counts: np.ndarray


def link_periods(
    fits: Sequence[IdealPoints],
    periods: Sequence[str],
    *,
    z: float = 1.96,
    min_bridges: int = 3,
) -> Realignment:
    """Put one-dimensional fits of consecutive periods on one scale and flag movers.

    See the module docstring for the linking and the movement rule.

    Parameters
    ----------
    fits : sequence of IdealPoints
        One-dimensional fits, one per period, in time order, with bootstrap replicates
        (``n_boot >= 2``).
    periods : sequence of str
        Period labels, one per fit.
    z : float
        Multiple of the standard error a change must exceed to count as a move.
    min_bridges : int
        Fewest members two consecutive periods must share (>= 2).

    Returns
    -------
    Realignment

    Raises
    ------
    ValidationError
        If the lengths differ, a fit has more than one dimension or no bootstrap, or two
        consecutive periods share fewer than ``min_bridges`` members.

    References
    ----------
    Kolen, M. J. and Brennan, R. L. (2014). Test Equating, Scaling, and Linking, 3rd ed.
    Springer. doi:10.1007/978-1-4939-0317-7.

    Examples
    --------
    Eight members in a line (rank r votes yes on "left" vote k when r < k and on "right"
    vote k when r >= k); in the second term Cy (rank 2) votes exactly like Gus (rank 6):

    >>> t1 = [[int(r < k) for k in range(1, 8)] + [int(r >= k) for k in range(2, 7)]
    ...       for r in range(8)]
    >>> t2 = [row[:] for row in t1]
    >>> t2[2] = t1[6][:]
    >>> names = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal"]
    >>> fits = [fit_ideal_points(v, names, anchor="Hal", n_boot=30, rng=1) for v in (t1, t2)]
    >>> r = link_periods(fits, ["2021", "2022"])
    >>> [m.member for m in r.movers]
    ['Cy']
    """
    labels = _check_names(periods, "periods")
    if len(labels) != len(fits) or not fits:
        raise ValidationError(
            f"periods has {len(labels)} labels for {len(fits)} fits", parameter="periods"
        )
    if not isinstance(min_bridges, int) or min_bridges < 2:
        raise ValidationError(f"min_bridges must be an integer >= 2, got {min_bridges!r}", parameter="min_bridges")
    if not isinstance(z, int | float) or not z > 0:
        raise ValidationError(f"z must be positive, got {z!r}", parameter="z")
    for label, fit in zip(labels, fits, strict=True):
        if fit.dims != 1:
            raise ValidationError(f"fit of period {label!r} has {fit.dims} dimensions; linking needs 1", parameter="fits")
        if fit.standard_errors is None or fit.n_boot < 2:
            raise ValidationError(
                f"fit of period {label!r} has no bootstrap; fit with n_boot >= 2", parameter="fits"
            )
    members: list[str] = []
    seen: set[str] = set()
    for fit in fits:
        for m in fit.members:
            if m not in seen:
                seen.add(m)
                members.append(m)
    col = {m: k for k, m in enumerate(members)}
    positions = np.full((len(fits), len(members)), np.nan)
    ses = np.full_like(positions, np.nan)
    links = []
    for t, (label, fit) in enumerate(zip(labels, fits, strict=True)):
        cols = [col[m] for m in fit.members]
        x = fit.positions[:, 0]
        assert fit.standard_errors is not None  # checked above
        se = fit.standard_errors[:, 0]
        if t == 0:
            a, b, n_bridges = 0.0, 1.0, 0
        else:
            prev = positions[t - 1, cols]
            shared = ~np.isnan(prev)
            n_bridges = int(shared.sum())
            if n_bridges < min_bridges:
                raise ValidationError(
                    f"periods {labels[t - 1]!r} and {label!r} share {n_bridges} members; "
                    f"linking needs at least {min_bridges}",
                    parameter="fits",
                )
            a, b = _robust_line(x[shared], prev[shared])
        positions[t, cols] = a + b * x
        ses[t, cols] = abs(b) * se
        links.append(PeriodLink(label, float(a), float(b), n_bridges))
    moves = []
    for t in range(1, len(fits)):
        for m in members:
            k = col[m]
            before, after = positions[t - 1, k], positions[t, k]
            if np.isnan(before) or np.isnan(after):
                continue
            se_change = float(np.hypot(ses[t - 1, k], ses[t, k]))
            change = float(after - before)
            moves.append(
                Move(m, labels[t - 1], labels[t], float(before), float(after), change, se_change,
                     bool(abs(change) > z * se_change))
            )
    return Realignment(labels, tuple(members), positions, ses, tuple(links), tuple(moves), tuple(fits))


def fit_periods(
    votes: Sequence[Sequence[float | None]] | np.ndarray,
    members: Sequence[str],
    vote_periods: Sequence[str],
    *,
    anchor: str | None = None,
    lop: float = 0.025,
    min_votes: int = 1,
    n_boot: int = 50,
    z: float = 1.96,
    min_bridges: int = 3,
    rng: int | np.random.Generator | None = None,
) -> Realignment:
    """Fit one-dimensional ideal points per period and link them (:func:`link_periods`).

    Parameters
    ----------
    votes : array-like, shape (n_members, n_votes)
        1 yes, 0 no, NaN or None missing (members not serving in a period are missing there).
    members : sequence of str
        One name per row.
    vote_periods : sequence of str
        The period of each vote column; periods are taken in order of first appearance.
    anchor : str, optional
        Member on the positive side in every period that scales them.
    lop, min_votes : float, int
        As in :func:`~broadfront.analysis.spectrum.ideal.fit_ideal_points`.
    n_boot : int
        Bootstrap replicates per period (>= 2).
    z, min_bridges : float, int
        As in :func:`link_periods`.
    rng : int or numpy.random.Generator, optional
        Source of randomness for the bootstraps.

    Returns
    -------
    Realignment

    Raises
    ------
    ValidationError
        If ``vote_periods`` does not match the columns, or as the fits and the linking raise.

    References
    ----------
    Imai, K., Lo, J. and Olmsted, J. (2016). Fast Estimation of Ideal Points with Massive
    Data. American Political Science Review 110(4), 631-656. doi:10.1017/S000305541600037X.

    Examples
    --------
    >>> votes = [[1, 1, 0, 1, 1, 0], [1, 1, 0, 1, 0, 0], [1, 0, 1, 0, 1, 1],
    ...          [0, 0, 1, 0, 0, 1], [0, 0, 1, 1, 0, 1]]
    >>> r = fit_periods(votes, ["Ann", "Bo", "Cy", "Di", "Ed"], ["t1"] * 3 + ["t2"] * 3,
    ...                 anchor="Di", n_boot=20, rng=0)
    >>> r.periods, r.positions.shape
    (('t1', 't2'), (2, 5))
    """
    matrix = _as_vote_matrix(votes)
    labels = [str(p) for p in vote_periods]
    if len(labels) != matrix.shape[1]:
        raise ValidationError(
            f"vote_periods has {len(labels)} labels for {matrix.shape[1]} vote columns",
            parameter="vote_periods",
        )
    names = _check_names(members, "members")
    order = list(dict.fromkeys(labels))
    generator = as_rng(rng)
    fits = []
    for period in order:
        cols = [j for j, p in enumerate(labels) if p == period]
        sub = matrix[:, cols]
        serving = ~np.all(np.isnan(sub), axis=1)
        period_members = [m for m, s in zip(names, serving, strict=True) if s]
        period_anchor = anchor if anchor in period_members else None
        fits.append(
            fit_ideal_points(sub[serving], period_members, anchor=period_anchor, lop=lop,
                             min_votes=min_votes, n_boot=n_boot, rng=generator)
        )
    return link_periods(fits, order, z=z, min_bridges=min_bridges)


def agreement_rates(
    votes: Sequence[Sequence[float | None]] | np.ndarray,
    members: Sequence[str],
    anchors: Sequence[str],
    *,
    window: int,
    step: int = 1,
    vote_ids: Sequence[str] | None = None,
) -> Agreement:
    """Share of votes on which each member voted like each anchor, over rolling windows.

    For member :math:`i`, anchor :math:`a` and a window :math:`W` of consecutive vote
    columns, the rate is :math:`\\#\\{j \\in W: y_{ij} = y_{aj}\\} / \\#\\{j \\in W: y_{ij},
    y_{aj} \\text{ both cast}\\}`.

    Parameters
    ----------
    votes : array-like, shape (n_members, n_votes)
        1 yes, 0 no, NaN or None missing; columns in time order.
    members : sequence of str
        One name per row.
    anchors : sequence of str
        Anchor members.
    window : int
        Votes per window (1..n_votes).
    step : int
        Votes between the starts of consecutive windows (>= 1).
    vote_ids : sequence of str, optional
        Vote names (default "1", "2", ...).

    Returns
    -------
    Agreement

    Raises
    ------
    ValidationError
        For an unknown anchor, a window or step out of range, or malformed votes.

    References
    ----------
    Poole, K. T. (2005). Spatial Models of Parliamentary Voting. Cambridge University Press
    (agreement scores as the raw material of scaling).

    Examples
    --------
    >>> votes = [[1, 1, 0, 0], [1, 0, 0, None], [0, 1, 1, 1]]
    >>> a = agreement_rates(votes, ["Mayor", "Bo", "Cy"], ["Mayor"], window=2, step=2)
    >>> a.windows, a.rates[:, 1, 0].tolist(), a.counts[:, 1, 0].tolist()
    ((('1', '2'), ('3', '4')), [0.5, 1.0], [2, 1])
    """
    matrix = _as_vote_matrix(votes)
    names = _check_names(members, "members")
    if len(names) != matrix.shape[0]:
        raise ValidationError(
            f"members has {len(names)} names but votes has {matrix.shape[0]} rows", parameter="members"
        )
    anchor_names = _check_names(anchors, "anchors")
    for a in anchor_names:
        if a not in names:
            raise ValidationError(f"anchor {a!r} is not among the members", parameter="anchors")
    n_votes = matrix.shape[1]
    if not isinstance(window, int) or not 1 <= window <= n_votes:
        raise ValidationError(f"window must be an integer from 1 to {n_votes}, got {window!r}", parameter="window")
    step = check_positive_int(step, "step")
    ids = tuple(str(j + 1) for j in range(n_votes)) if vote_ids is None else _check_names(vote_ids, "vote_ids")
    if len(ids) != n_votes:
        raise ValidationError(f"vote_ids has {len(ids)} names for {n_votes} votes", parameter="vote_ids")
    starts = np.arange(0, n_votes - window + 1, step)
    cast = ~np.isnan(matrix)
    rates = np.full((len(starts), len(names), len(anchor_names)), np.nan)
    counts = np.zeros(rates.shape, dtype=int)
    for k, a in enumerate(anchor_names):
        row = names.index(a)
        both = cast & cast[row]
        same = both & (matrix == matrix[row])
        c_both = np.concatenate([np.zeros((len(names), 1), int), np.cumsum(both, axis=1)], axis=1)
        c_same = np.concatenate([np.zeros((len(names), 1), int), np.cumsum(same, axis=1)], axis=1)
        n_both = (c_both[:, starts + window] - c_both[:, starts]).T
        n_same = (c_same[:, starts + window] - c_same[:, starts]).T
        counts[:, :, k] = n_both
        with np.errstate(invalid="ignore", divide="ignore"):
            rates[:, :, k] = np.where(n_both > 0, n_same / np.maximum(n_both, 1), np.nan)
    windows = tuple((ids[s], ids[s + window - 1]) for s in starts)
    return Agreement(names, anchor_names, windows, rates, counts)


def _robust_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares line y = a + b x, refitted once without outliers beyond 3 robust SDs."""
    a, b = _line(x, y)
    resid = y - (a + b * x)
    scale = 1.4826 * np.median(np.abs(resid - np.median(resid)))
    if scale > 0:
        keep = np.abs(resid) <= 3.0 * scale
        if keep.sum() >= 2 and np.ptp(x[keep]) > 0:
            a, b = _line(x[keep], y[keep])
    return a, b


def _line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    if np.ptp(x) == 0:
        return float(np.mean(y) - np.mean(x)), 1.0
    b, a = np.polyfit(x, y, 1)
    return float(a), float(b)
