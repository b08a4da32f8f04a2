"""Votes in a body under correlated defections: exact dynamic programming and Monte Carlo.

Model (a one-factor Gaussian copula). Member ``i`` of bloc ``b`` with cohesion ``rho_b``
votes with us when ``Phi(sqrt(rho_b) S_b + sqrt(1 - rho_b) E_i) < p_i``, where ``S_b`` (the
bloc's shared latent shift) and ``E_i`` are independent standard normals and ``Phi`` is the
normal distribution function. Each member keeps exactly the probability ``p_i`` of voting
with us, while members of one bloc defect together: ``rho = 0`` gives independent coin
flips, ``rho = 1`` a bloc that moves as one. This is the factor copula used for correlated
defaults: Vasicek, "Loan portfolio value", *Risk* 15(12), 2002; Li, "On default
correlation: a copula function approach", *Journal of Fixed Income* 9(4), 2000,
doi:10.3905/jfi.2000.319253.

Shocks are random events drawn once per draw (one uniform per shock): a bloc shift moves
every member of the bloc at once (``slope * steps`` on the log-odds of the stance link),
a defection sets a member's probability to 0.

Exact answers. When every member is independent (no bloc, or cohesion 0) or in a bloc of
cohesion 1, the yes weight is a sum of independent discrete variables; its distribution
(a weighted Poisson-binomial) follows by dynamic programming over integer weights
(Barlow and Heidtmann, "Computing k-out-of-n system reliability", *IEEE Transactions on
Reliability* R-33(4), 1984, doi:10.1109/TR.1984.5221843; Hong, "On computing the
distribution function for the Poisson binomial distribution", *Computational Statistics &
Data Analysis* 59, 2013, doi:10.1016/j.csda.2012.10.006), averaged over the ``2^k``
patterns of the ``k`` random shocks.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.special import expit, ndtri

from broadfront.analysis._validation import check_nonnegative, check_probabilities
from broadfront.exceptions import TooLargeError, ValidationError

from .model import Body, Member, Rule, Shock

__all__ = ["exact_body", "hold_probability_exact", "prepare_body"]  # the rest: internal steps

#: exact computation budget: grid cells times unit steps (about a second of numpy work)
EXACT_BUDGET = 50_000_000
#: at most this many random shocks are enumerated exactly (2**k patterns)
MAX_EXACT_SHOCKS = 10
#: Monte Carlo chunk: draws times members per chunk
CHUNK_CELLS = 1 << 21
#: at most this many shocks may touch one member in a simulation (2**k thresholds each)
MAX_SHOCKS_PER_MEMBER = 16
#: subsets tried by the exhaustive "what would it take" search before going greedy
SEARCH_BUDGET = 400
_TOL = 1e-9


# --------------------------------------------------------------------------- prepared body


@dataclass(frozen=True)
class PreparedBody:
    """A body turned into arrays: weights, base log-odds, bloc indices, thresholds, shocks."""

    names: tuple[str, ...]
    weights: np.ndarray
    p_base: np.ndarray
    cohesion: np.ndarray
    bloc_index: np.ndarray  # -1 for members outside any bloc
    n_blocs: int
    weight_needed: float
    weight_strict: bool
    count_needed: float
    count_strict: bool
    uses_count: bool
    shift_logit: np.ndarray  # (n_shocks, n): log-odds added when the shock happens
    defects: np.ndarray  # (n_shocks, n) bool: members set to vote against us
    shock_p: np.ndarray  # (n_shocks,)
    labels: tuple[str, ...]
    slope: float


def prepare_body(body: Body, shocks: Sequence[Shock] = ()) -> PreparedBody:
    """Turn a :class:`Body` and its shocks into the arrays the computations use.

    Parameters
    ----------
    body : Body
        The body (members, rule, blocs, stance link).
    shocks : sequence of Shock
        ``bloc_shift``, ``member_shift`` and ``member_defects`` shocks.

    Returns
    -------
    PreparedBody

    Raises
    ------
    ValidationError
        If a shock is not a body shock or names an unknown bloc or member.

    Examples
    --------
    >>> from broadfront.analysis.scenarios import Body, Member, Rule
    >>> pb = prepare_body(Body((Member("A", 3, 0.5), Member("B", 2, 1.0)), Rule("quota", 4)))
    >>> pb.weight_needed, pb.weights.tolist()
    (4.0, [3.0, 2.0])
    """
    names = tuple(m.name for m in body.members)
    weights = np.array([m.weight for m in body.members], dtype=float)
    p_base = np.array([m.probability(body.link) for m in body.members], dtype=float)
    blocs = sorted({m.bloc for m in body.members if m.bloc is not None})
    bloc_index = np.array(
        [blocs.index(m.bloc) if m.bloc is not None else -1 for m in body.members], dtype=int
    )
    cohesion = np.array([body.cohesion(m.bloc) for m in body.members], dtype=float)
    wq, ws, cq, cs = body.rule.thresholds(tuple(weights.tolist()))
    n = len(names)
    shift = np.zeros((len(shocks), n))
    defects = np.zeros((len(shocks), n), dtype=bool)
    for k, s in enumerate(shocks):
        if s.kind == "bloc_shift":
            members = [i for i, m in enumerate(body.members) if m.bloc == s.bloc]
            if not members:
                raise ValidationError(
                    f"no member belongs to bloc {s.bloc!r}", parameter=f"shocks[{k}].bloc"
                )
            shift[k, members] = body.link.slope * s.steps
        elif s.kind in ("member_shift", "member_defects"):
            if s.member not in names:
                raise ValidationError(
                    f"{s.member!r} is not a member", parameter=f"shocks[{k}].member"
                )
            i = names.index(s.member)
            if s.kind == "member_shift":
                shift[k, i] = body.link.slope * s.steps
            else:
                defects[k, i] = True
        else:
            raise ValidationError(
                f"a {s.kind} shock applies to races, not bodies", parameter=f"shocks[{k}].kind"
            )
    return PreparedBody(
        names,
        weights,
        p_base,
        cohesion,
        bloc_index,
        len(blocs),
        wq,
        ws,
        cq,
        cs,
        body.rule.kind == "double_majority",
        shift,
        defects,
        np.array([s.probability for s in shocks], dtype=float),
        tuple(s.describe() for s in shocks),
        body.link.slope,
    )


def _meets(x: np.ndarray, needed: float, strict: bool) -> np.ndarray:
    if strict:
        return x > needed + _TOL
    return x >= needed - _TOL


def holds(pb: PreparedBody, yes_weight: np.ndarray, yes_count: np.ndarray | None) -> np.ndarray:
    """Whether the rule is met for given yes weights (and yes counts for a double majority)."""
    ok = _meets(yes_weight, pb.weight_needed, pb.weight_strict)
    if pb.uses_count:
        assert yes_count is not None
        ok &= _meets(yes_count, pb.count_needed, pb.count_strict)
    return ok


def shocked_probabilities(pb: PreparedBody, pattern: Sequence[bool] | np.ndarray) -> np.ndarray:
    """Members' probabilities of voting with us when the shocks flagged in ``pattern`` happen."""
    pattern = np.asarray(pattern, dtype=bool)
    p = pb.p_base.copy()
    if pattern.any():
        shift = pb.shift_logit[pattern].sum(axis=0)
        moved = (shift != 0) & (p > 0) & (p < 1)
        with np.errstate(divide="ignore"):
            p[moved] = expit(np.log(p[moved]) - np.log1p(-p[moved]) + shift[moved])
        p[pb.defects[pattern].any(axis=0)] = 0.0
    return p


# --------------------------------------------------------------------------- exact


def exact_supported(pb: PreparedBody) -> bool:
    """True when the exact method applies: cohesions are 0 or 1, few random shocks, small grid."""
    if np.any((pb.cohesion > 0) & (pb.cohesion < 1)):
        return False
    if int(np.sum((pb.shock_p > 0) & (pb.shock_p < 1))) > MAX_EXACT_SHOCKS:
        return False
    try:
        _grid(pb)
    except TooLargeError:
        return False
    return True


def _integer_scale(weights: np.ndarray) -> int:
    scale = 1
    for w in weights.tolist():
        frac = Fraction(w).limit_denominator(1000)
        if abs(float(frac) - w) > 1e-12 * max(1.0, abs(w)):
            raise TooLargeError("weights are not rational with a small denominator")
        scale = scale * frac.denominator // math.gcd(scale, frac.denominator)
        if scale > 1000:
            raise TooLargeError("weights need too fine a grid for the exact method")
    return scale


@dataclass(frozen=True)
class _Grid:
    scale: int
    iw: np.ndarray  # integer weights
    n_w: int  # weight cells
    n_c: int  # count cells (1 when the count does not matter)
    win: np.ndarray  # (n_w, n_c) bool


def _grid(pb: PreparedBody) -> _Grid:
    scale = _integer_scale(pb.weights)
    iw = np.rint(pb.weights * scale).astype(np.int64)
    n_w = int(iw.sum()) + 1
    n_c = len(iw) + 1 if pb.uses_count else 1
    n_units = len(iw)
    if n_w * n_c * n_units * max(n_units, 1) > EXACT_BUDGET:
        raise TooLargeError(
            f"exact computation over {n_w} x {n_c} cells for {n_units} members exceeds the budget"
        )
    yes_w = np.arange(n_w) / scale
    yes_c = np.arange(n_c, dtype=float)
    win = holds(pb, yes_w[:, None] + 0 * yes_c[None, :], yes_c[None, :] + 0 * yes_w[:, None])
    return _Grid(scale, iw, n_w, n_c, win)


# a unit: list of states (probability, integer weight, count, member indices voting yes)
_Unit = list[tuple[float, int, int, tuple[int, ...]]]


def _units(pb: PreparedBody, grid: _Grid, p: np.ndarray) -> list[_Unit]:
    units: list[_Unit] = []
    for i in np.flatnonzero((pb.cohesion == 0) | (pb.bloc_index < 0)):
        units.append([(1.0 - p[i], 0, 0, ()), (p[i], int(grid.iw[i]), 1, (int(i),))])
    for b in range(pb.n_blocs):
        members = np.flatnonzero((pb.bloc_index == b) & (pb.cohesion == 1))
        if members.size == 0:
            continue
        # comonotone: one uniform U for the bloc; member i votes yes iff U < p_i
        order = members[np.argsort(-p[members], kind="stable")]
        ps = [1.0, *p[order].tolist(), 0.0]
        states: _Unit = []
        for k in range(len(order) + 1):
            prob = ps[k] - ps[k + 1]
            yes = tuple(int(i) for i in order[:k])
            states.append((prob, int(grid.iw[list(yes)].sum()) if yes else 0, len(yes), yes))
        units.append(states)
    return units


def _convolve(units: Sequence[_Unit], grid: _Grid, uses_count: bool) -> np.ndarray:
    dist = np.zeros((grid.n_w, grid.n_c))
    dist[0, 0] = 1.0
    for unit in units:
        new = np.zeros_like(dist)
        for prob, w, c, _ in unit:
            if prob <= 0:
                continue
            cc = c if uses_count else 0
            new[w:, cc:] += prob * dist[: grid.n_w - w, : grid.n_c - cc]
        dist = new
    return dist


@dataclass(frozen=True)
class ExactBody:
    """Exact outcome: P(hold), the yes-weight distribution and each member's flip share."""

    p_hold: float
    weight_pmf: np.ndarray  # over integer weights / scale
    scale: int
    flips: np.ndarray  # (n,) P(member votes yes, we hold, and would lose without them)


def _exact_pattern(pb: PreparedBody, grid: _Grid, p: np.ndarray, with_flips: bool) -> ExactBody:
    units = _units(pb, grid, p)
    dist = _convolve(units, grid, pb.uses_count)
    p_hold = float(dist[grid.win].sum())
    flips = np.zeros(len(pb.names))
    if with_flips:
        for u, unit in enumerate(units):
            others = _convolve(units[:u] + units[u + 1 :], grid, pb.uses_count)
            for prob, w, c, yes in unit:
                if prob <= 0 or not yes:
                    continue
                cc = c if pb.uses_count else 0
                win_here = grid.win[w:, cc:]
                shape = win_here.shape
                part = others[: shape[0], : shape[1]]
                for i in yes:
                    wi = int(grid.iw[i])
                    ci = 1 if pb.uses_count else 0
                    lose_without = ~grid.win[
                        w - wi : w - wi + shape[0], cc - ci : cc - ci + shape[1]
                    ]
                    flips[i] += prob * float(part[win_here & lose_without].sum())
    return ExactBody(p_hold, dist.sum(axis=1), grid.scale, flips)


def exact_body(
    pb: PreparedBody,
    active: Sequence[bool] | np.ndarray | None = None,
    *,
    persuaded: Sequence[int] = (),
    with_flips: bool = True,
) -> ExactBody:
    """Exact P(hold) averaged over the random shocks in ``active`` (all shocks by default).

    Parameters
    ----------
    pb : PreparedBody
        From :func:`prepare_body`; every cohesion must be 0 or 1.
    active : sequence of bool, optional
        Which shocks are in play.
    persuaded : sequence of int
        Members made certain to vote with us (overrides shocks).
    with_flips : bool
        Also compute each member's flip probability (costs one convolution per unit).

    Returns
    -------
    ExactBody

    Raises
    ------
    TooLargeError
        If the grid of weights exceeds :data:`EXACT_BUDGET` or weights are not rational.
    ValidationError
        If a bloc has a cohesion strictly between 0 and 1.

    Examples
    --------
    Weights 3, 2, 2, quota 4, each member with us half the time: we hold when any two vote
    with us, 4 of the 8 equally likely patterns.

    >>> from broadfront.analysis.scenarios import Body, Member, Rule
    >>> body = Body((Member("A", 3, 0.5), Member("B", 2, 0.5), Member("C", 2, 0.5)),
    ...             Rule("quota", 4))
    >>> exact_body(prepare_body(body)).p_hold
    0.5
    """
    if np.any((pb.cohesion > 0) & (pb.cohesion < 1)):
        raise ValidationError(
            "the exact method needs bloc cohesions of 0 or 1", parameter="cohesion"
        )
    grid = _grid(pb)
    n_s = len(pb.shock_p)
    act = np.ones(n_s, dtype=bool) if active is None else np.asarray(active, dtype=bool)
    sp = np.where(act, pb.shock_p, 0.0)
    random_k = np.flatnonzero((sp > 0) & (sp < 1))
    sure = sp >= 1
    if len(random_k) > MAX_EXACT_SHOCKS:
        raise TooLargeError(f"{len(random_k)} random shocks exceed {MAX_EXACT_SHOCKS} for exact")
    total_hold = 0.0
    pmf = np.zeros(grid.n_w)
    flips = np.zeros(len(pb.names))
    persuaded = list(persuaded)
    for bits in itertools.product((False, True), repeat=len(random_k)):
        pattern = sure.copy()
        weight = 1.0
        for k, on in zip(random_k, bits, strict=True):
            pattern[k] = on
            weight *= sp[k] if on else 1.0 - sp[k]
        if weight == 0:
            continue
        p = shocked_probabilities(pb, pattern)
        p[persuaded] = 1.0
        res = _exact_pattern(pb, grid, p, with_flips)
        total_hold += weight * res.p_hold
        pmf += weight * res.weight_pmf
        flips += weight * res.flips
    return ExactBody(float(min(1.0, max(0.0, total_hold))), pmf, grid.scale, flips)


def hold_probability_exact(
    weights: Sequence[float], probabilities: Sequence[float], quota: float
) -> float:
    """Exact probability that independent members' yes weight reaches ``quota``.

    ``P(sum_i w_i X_i >= quota)`` with independent ``X_i ~ Bernoulli(p_i)``: the weighted
    Poisson-binomial distribution computed by dynamic programming over integer weights.

    Parameters
    ----------
    weights : sequence of float
        Non-negative voting weights (integers or simple fractions).
    probabilities : sequence of float
        Each member's probability of voting with us, in [0, 1].
    quota : float
        Weight needed to hold.

    Returns
    -------
    float

    Raises
    ------
    ValidationError
        If lengths differ, a weight is negative or a probability lies outside [0, 1].
    TooLargeError
        If the weight grid is too large for the exact budget.

    References
    ----------
    Barlow, R. E. and Heidtmann, K. D., "Computing k-out-of-n system reliability", IEEE
    Transactions on Reliability R-33(4), 322-323, 1984, doi:10.1109/TR.1984.5221843.

    Examples
    --------
    Two of three fair coins: P = 1/2. A certain member of weight 2 and a 30% member of
    weight 1 against quota 3: P = 0.3.

    >>> hold_probability_exact([1, 1, 1], [0.5, 0.5, 0.5], 2)
    0.5
    >>> round(hold_probability_exact([2, 1], [1.0, 0.3], 3), 12)
    0.3
    """
    if len(weights) != len(probabilities):
        raise ValidationError(
            f"weights and probabilities differ in length ({len(weights)} vs {len(probabilities)})",
            parameter="probabilities",
        )
    check_nonnegative(weights, "weights")
    check_probabilities(probabilities, "probabilities")
    if not quota > 0:
        raise ValidationError(f"quota must be positive, got {quota!r}", parameter="quota")
    members = tuple(
        Member(f"m{i}", float(w), float(p))
        for i, (w, p) in enumerate(zip(weights, probabilities, strict=True))
    )
    pb = prepare_body(Body(members, Rule("quota", float(quota))))
    return exact_body(pb, with_flips=False).p_hold


# --------------------------------------------------------------------------- Monte Carlo


def chunk_size(n_cells_per_draw: int) -> int:
    """Draws per chunk so that a chunk holds about :data:`CHUNK_CELLS` cells."""
    return max(256, CHUNK_CELLS // max(1, n_cells_per_draw))


def _copula_members(pb: PreparedBody) -> np.ndarray:
    """Members whose latent variable is normal (in a bloc with cohesion > 0)."""
    return (pb.bloc_index >= 0) & (pb.cohesion > 0)


def latent_draws(pb: PreparedBody, rng: np.random.Generator, m: int) -> np.ndarray:
    """Each member's latent variable for ``m`` draws (shape ``(m, n)``).

    Members outside blocs (or cohesion 0) get a uniform ``U_i``; bloc members get
    ``Z_i = sqrt(rho_b) S_b + sqrt(1 - rho_b) E_i``. A member votes with us when the latent
    variable is below :func:`vote_thresholds` (``p_i``, or ``Phi^-1(p_i)`` for ``Z_i``), which
    is the same event as ``Phi(Z_i) < p_i`` without evaluating ``Phi`` on every draw. The
    numbers drawn depend only on the body's structure, never on the probabilities, so
    raising a probability can only turn a draw's vote toward us.
    """
    n = len(pb.names)
    s = rng.standard_normal((m, pb.n_blocs)) if pb.n_blocs else np.zeros((m, 0))
    copula = _copula_members(pb)
    indep = ~copula
    partial = copula & (pb.cohesion < 1)
    full = copula & (pb.cohesion == 1)
    lat = np.empty((m, n))
    if indep.any():
        lat[:, indep] = rng.random((m, int(indep.sum())))
    if partial.any():
        rho = pb.cohesion[partial]
        e = rng.standard_normal((m, int(partial.sum())))
        lat[:, partial] = np.sqrt(rho) * s[:, pb.bloc_index[partial]] + np.sqrt(1.0 - rho) * e
    if full.any():
        lat[:, full] = s[:, pb.bloc_index[full]]
    return lat


def vote_thresholds(
    pb: PreparedBody, p: np.ndarray, members: np.ndarray | None = None
) -> np.ndarray:
    """Thresholds on the latent variables: ``p`` for independent members, ``Phi^-1(p)`` in blocs."""
    copula = _copula_members(pb) if members is None else _copula_members(pb)[members]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(copula, ndtri(np.clip(p, 0.0, 1.0)), p)


def _shifted(p0: float, shift: float) -> float:
    if p0 <= 0.0 or p0 >= 1.0 or shift == 0:
        return p0
    return float(expit(math.log(p0) - math.log1p(-p0) + shift))


def votes_under(
    pb: PreparedBody,
    lat: np.ndarray,
    base_votes: np.ndarray,
    occurred: np.ndarray,
    active: np.ndarray,
) -> np.ndarray:
    """Votes (``(m, n)`` bool) when the ``active`` shocks apply where they ``occurred``.

    For each member a shock touches, the few shock patterns that can occur are tabulated
    (``2^k`` thresholds for ``k`` shocks touching the member) and looked up per draw.
    """
    act = np.flatnonzero(active)
    if act.size == 0:
        return base_votes
    touched = np.flatnonzero((pb.shift_logit[act] != 0).any(axis=0) | pb.defects[act].any(axis=0))
    if touched.size == 0:
        return base_votes
    votes = base_votes.copy()
    for i in touched:
        aff = [int(k) for k in act if pb.shift_logit[k, i] != 0 or pb.defects[k, i]]
        if len(aff) > MAX_SHOCKS_PER_MEMBER:  # too many patterns to tabulate: per draw
            shift = occurred[:, aff].astype(float) @ pb.shift_logit[aff, i]
            p = np.array([_shifted(pb.p_base[i], 0.0)]).repeat(lat.shape[0])
            if 0.0 < pb.p_base[i] < 1.0:
                p = expit(math.log(pb.p_base[i]) - math.log1p(-pb.p_base[i]) + shift)
            p[(occurred[:, aff] & pb.defects[aff, i]).any(axis=1)] = 0.0
            votes[:, i] = lat[:, i] < vote_thresholds(pb, p, np.full(p.shape, i))
            continue
        code = np.zeros(lat.shape[0], dtype=np.int64)
        for j, k in enumerate(aff):
            code |= occurred[:, k].astype(np.int64) << j
        table = np.empty(1 << len(aff))
        for pattern in range(1 << len(aff)):
            on = [k for j, k in enumerate(aff) if pattern >> j & 1]
            if any(pb.defects[k, i] for k in on):
                table[pattern] = 0.0
            else:
                table[pattern] = _shifted(
                    pb.p_base[i], float(sum(pb.shift_logit[k, i] for k in on))
                )
        thresholds = vote_thresholds(pb, table, np.full(table.shape, i))
        votes[:, i] = lat[:, i] < thresholds[code]
    return votes


def yes_totals(pb: PreparedBody, votes: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Yes weight and (for a double majority) yes count per draw."""
    yes_w = votes @ pb.weights
    yes_c = votes.sum(axis=1).astype(float) if pb.uses_count else None
    return yes_w, yes_c


def flip_counts(
    pb: PreparedBody,
    votes: np.ndarray,
    yes_w: np.ndarray,
    yes_c: np.ndarray | None,
    hold: np.ndarray,
) -> np.ndarray:
    """Per member: number of draws where we hold, they vote yes, and we would lose without them."""
    lose_w = ~_meets(yes_w[:, None] - pb.weights[None, :], pb.weight_needed, pb.weight_strict)
    if pb.uses_count:
        assert yes_c is not None
        lose_w |= ~_meets(yes_c - 1.0, pb.count_needed, pb.count_strict)[:, None]
    return (lose_w & votes & hold[:, None]).sum(axis=0)


# --------------------------------------------------------------------------- what it takes


def smallest_persuasion(
    evaluate: Callable[[tuple[int, ...]], float],
    target: float,
    candidates: Sequence[int],
    p_now: float,
    distance: Sequence[float],
) -> tuple[tuple[int, ...], float, bool, str]:
    """Fewest members to persuade so that ``evaluate(set) >= target``.

    Tries every set of size 1, 2, ... while the number of sets stays within
    :data:`SEARCH_BUDGET`; among the smallest sets that reach the target it picks the one
    needing the least persuasion (smallest sum of ``distance``, e.g. ``1 - p``), then the
    highest probability. Past the budget it adds the member with the largest gain one at a
    time (greedy). Returns ``(members, p_hold_after, achieved, search)``.
    """
    if p_now >= target:
        return (), p_now, True, "none needed"
    cands = list(candidates)
    if not cands:
        return (), p_now, False, "exhaustive"
    tried = 0
    best_set: tuple[int, ...] = ()
    best_p = p_now
    for k in range(1, len(cands) + 1):
        count = math.comb(len(cands), k)
        if tried + count > SEARCH_BUDGET:
            break
        tried += count
        reached: list[tuple[float, float, tuple[int, ...]]] = []
        level_best: tuple[int, ...] = ()
        level_p = -1.0
        for combo in itertools.combinations(cands, k):
            val = evaluate(combo)
            if val >= target:
                reached.append((sum(distance[i] for i in combo), -val, combo))
            if val > level_p + 1e-15:
                level_best, level_p = combo, val
        if reached:
            cost, neg_val, combo = min(reached)
            return combo, -neg_val, True, "exhaustive"
        best_set, best_p = level_best, level_p
        if k == len(cands):
            return level_best, level_p, False, "exhaustive"
    # greedy continuation from the best set found so far
    chosen = list(best_set)
    current = best_p
    while current < target:
        rest = [i for i in cands if i not in chosen]
        if not rest:
            return tuple(chosen), current, False, "greedy"
        gains = [(evaluate(tuple(chosen + [i])), -idx, i) for idx, i in enumerate(rest)]
        val, _, pick = max(gains)
        chosen.append(pick)
        current = val
    return tuple(chosen), current, True, "greedy"
