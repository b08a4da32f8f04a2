"""Races decided by constituencies: vectorized, chunked Monte Carlo of turnout and vote shares.

For draw ``r``, division ``d`` and candidate ``c`` the share weight is
``a_rdc = m_dc * exp(g_rc + h_r,G(d),c) * (1 + e_rdc)``: ``m_dc`` the expected share, ``g``
a race-wide swing per candidate (normal, sd ``swing_sd``), ``h`` a swing shared by the
divisions of one group (normal, sd ``group_swing_sd``) and ``e`` independent division noise
(uniform with sd ``share_sd``; with thousands of divisions only its variance matters for the
totals, and uniforms are five times cheaper to draw than normals). Shares are
``s_rdc = a_rdc / sum_c a_rdc``. Turnout is ``clip(T_d + tau_r + nu_rd, 0, 1)`` with a
race-wide normal swing ``tau`` and uniform division noise ``nu``. Counted votes are
``N_d * turnout * s_rdc * counted_c`` (a write-in keeps only ``counted`` of its intended
votes). Under plurality the candidate with the most votes summed over divisions wins;
under ``instant_runoff`` and ``top_two`` the summed totals are counted round by round by
:func:`broadfront.analysis.scenarios.runoff.tabulate` (transfers the same in every
division). The vote model is the
uniform/proportional swing model with regional components used in election forecasting
(Butler and Stokes, *Political Change in Britain*, Macmillan, 1969; Gelman and King, "A
unified method of evaluating electoral systems and redistricting plans", *American Journal
of Political Science* 38(2), 1994, doi:10.2307/2111417).

Shocks happen once per draw with their probability: a capture moves ``fraction`` of one
candidate's share to another in the selected divisions (the division's total share weight
is unchanged), a turnout shock multiplies turnout by ``1 + change``. Draws are processed in
chunks of about :data:`CHUNK_CELLS` division cells, so memory stays bounded however many
draws and divisions there are. Each chunk's cells are evaluated for every shock set in one
fused loop compiled with numba (Lam, Pitrou and Seibert, "Numba: a LLVM-based Python JIT
compiler", LLVM-HPC 2015, doi:10.1145/2833157.2833162); :func:`reference_totals` computes
the same totals with plain numpy arrays and the tests check that both agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from broadfront.exceptions import ValidationError

from .model import Race, Shock, check_race_rule
from .runoff import draw_transfers, tabulate, transfer_matrix

__all__ = ["prepare_race", "reference_totals"]  # the rest: internal steps

#: division cells (draws x divisions) per chunk
CHUNK_CELLS = 1 << 19
_SQRT12 = float(np.sqrt(12.0))
_INV16 = 1.0 / 65536.0


def _uniform(x: np.ndarray) -> np.ndarray:
    return (x + 0.5) * _INV16


@dataclass(frozen=True)
class PreparedRace:
    """A race turned into arrays."""

    candidates: tuple[str, ...]
    divisions: tuple[str, ...]
    us: int
    voters: np.ndarray  # (D,)
    turnout: np.ndarray  # (D,)
    shares: np.ndarray  # (C, D)
    counted: np.ndarray  # (C,)
    group_index: np.ndarray  # (D,), -1 outside groups
    n_groups: int
    group_slices: tuple[tuple[int, int], ...]  # columns of each group (sorted), then ungrouped
    share_half_width: np.ndarray  # (D,) sqrt(12) * share_sd
    turnout_half_width: np.ndarray  # (D,)
    swing_sd: float
    group_swing_sd: float
    turnout_swing_sd: float
    shock_kind: tuple[str, ...]
    shock_p: np.ndarray
    shock_mask: np.ndarray  # (S, D) bool
    shock_source: np.ndarray  # (S,) candidate index (captures)
    shock_to: np.ndarray  # (S,)
    shock_amount: np.ndarray  # (S,) fraction or change
    labels: tuple[str, ...]
    expected_turnout: float
    rule: str = "plurality"
    transfers: np.ndarray | None = None  # (C, C) shares T[i, j]; None under plurality
    transfer_sd: float = 0.0


def prepare_race(race: Race, shocks: Sequence[Shock] = ()) -> PreparedRace:
    """Turn a :class:`Race` and its shocks into arrays.

    Parameters
    ----------
    race : Race
    shocks : sequence of Shock
        ``capture`` and ``turnout`` shocks.

    Returns
    -------
    PreparedRace

    Raises
    ------
    ValidationError
        If a shock is not a race shock or names an unknown candidate, division or group,
        or the rule or transfers are invalid.

    Examples
    --------
    >>> from broadfront.analysis.scenarios import Candidate, Division, Race
    >>> r = Race((Candidate("Us"), Candidate("Them")),
    ...          (Division("d1", 1000, 0.5, (("Us", 0.6), ("Them", 0.4))),), "Us")
    >>> prepare_race(r).expected_turnout
    500.0
    """
    check_race_rule(race)
    cands = tuple(c.name for c in race.candidates)
    # divisions sorted by group so that each group is one contiguous slice of columns
    ordered = sorted(race.divisions, key=lambda d: (d.group is None, d.group or ""))
    race = dataclasses.replace(race, divisions=tuple(ordered))
    divs = tuple(d.name for d in race.divisions)
    n_d, n_c = len(divs), len(cands)
    shares = np.zeros((n_c, n_d))
    for j, d in enumerate(race.divisions):
        for cname, v in d.shares:
            shares[cands.index(cname), j] = v
    groups = sorted({d.group for d in race.divisions if d.group is not None})
    gidx = np.array([groups.index(d.group) if d.group is not None else -1 for d in race.divisions])
    share_sd = np.array(
        [race.share_sd if d.share_sd is None else d.share_sd for d in race.divisions]
    )
    turnout_sd = np.array(
        [race.turnout_sd if d.turnout_sd is None else d.turnout_sd for d in race.divisions]
    )
    if np.any(share_sd * _SQRT12 / 2 >= 1):
        raise ValidationError("share_sd must be below 0.577", parameter="share_sd")
    n_s = len(shocks)
    mask = np.zeros((n_s, n_d), dtype=bool)
    src = np.zeros(n_s, dtype=int)
    to = np.zeros(n_s, dtype=int)
    amount = np.zeros(n_s)
    group_names = [d.group for d in race.divisions]
    for k, s in enumerate(shocks):
        if s.kind not in ("capture", "turnout"):
            raise ValidationError(
                f"a {s.kind} shock applies to bodies, not races", parameter=f"shocks[{k}].kind"
            )
        sel = np.zeros(n_d, dtype=bool)
        if s.divisions:
            for name in s.divisions:
                if name not in divs:
                    raise ValidationError(
                        f"{name!r} is not a division", parameter=f"shocks[{k}].divisions"
                    )
                sel[divs.index(name)] = True
        if s.group is not None:
            gsel = np.array([g == s.group for g in group_names])
            if not gsel.any():
                raise ValidationError(
                    f"no division in group {s.group!r}", parameter=f"shocks[{k}].group"
                )
            sel |= gsel
        if not s.divisions and s.group is None:
            sel[:] = True
        mask[k] = sel
        if s.kind == "capture":
            source = s.source or race.our_candidate
            if source not in cands or s.to not in cands:
                raise ValidationError(
                    "capture names an unknown candidate", parameter=f"shocks[{k}].to"
                )
            src[k], to[k], amount[k] = cands.index(source), cands.index(s.to), s.fraction
        else:
            amount[k] = s.change
    voters = np.array([d.voters for d in race.divisions], dtype=float)
    turnout = np.array([d.turnout for d in race.divisions], dtype=float)
    slices = []
    for gi in [*range(len(groups)), -1]:
        cols = np.flatnonzero(gidx == gi)
        slices.append((int(cols[0]), int(cols[-1]) + 1) if cols.size else (0, 0))
    return PreparedRace(
        cands,
        divs,
        cands.index(race.our_candidate),
        voters,
        turnout,
        shares,
        np.array([c.counted for c in race.candidates], dtype=float),
        gidx,
        len(groups),
        tuple(slices),
        share_sd * _SQRT12,
        turnout_sd * _SQRT12,
        race.swing_sd,
        race.group_swing_sd,
        race.turnout_swing_sd,
        tuple(s.kind for s in shocks),
        np.array([s.probability for s in shocks], dtype=float),
        mask,
        src,
        to,
        amount,
        tuple(s.describe() for s in shocks),
        float(voters @ turnout),
        race.rule,
        None if race.rule == "plurality" else transfer_matrix(cands, race.transfers),
        race.transfer_sd,
    )


def race_chunk_size(pr: PreparedRace) -> int:
    """Draws per chunk so that one chunk holds about :data:`CHUNK_CELLS` division cells."""
    return max(1, CHUNK_CELLS // len(pr.divisions))


@dataclass(frozen=True)
class RaceChunk:
    """The random part of one chunk of draws, shared by every shock set evaluated on it."""

    noise: np.ndarray  # (C, m, D) uint16: uniform (x + 1/2) / 2**16 for the share noise
    turnout_noise: np.ndarray  # (m, D) uint16: the same for the turnout noise
    factor: np.ndarray  # (m, G + 1, C) exp(race swing + group swing); column G: no group
    tau: np.ndarray  # (m,) race-wide turnout swing
    occurred: np.ndarray  # (m, S) bool


def draw_chunk(
    pr: PreparedRace,
    base_rng: np.random.Generator,
    shock_rngs: Sequence[np.random.Generator],
    m: int,
) -> RaceChunk:
    """Draw swings, division noise and shock occurrences for ``m`` draws.

    Division noise is stored as 16-bit integers ``x``, read as the uniform
    ``(x + 1/2) / 2**16`` (mean 1/2, variance 1/12 to within 4e-10; 2 bytes a cell and
    cheaper to draw than floats); everything computed from it is float64.
    """
    n_c, n_d = pr.shares.shape
    g = base_rng.standard_normal((m, n_c)) * pr.swing_sd
    h = base_rng.standard_normal((m, max(pr.n_groups, 1), n_c)) * pr.group_swing_sd
    tau = base_rng.standard_normal(m) * pr.turnout_swing_sd
    noise = base_rng.integers(0, 1 << 16, (n_c, m, n_d), dtype=np.uint16)
    turnout_noise = base_rng.integers(0, 1 << 16, (m, n_d), dtype=np.uint16)
    factor = np.empty((m, pr.n_groups + 1, n_c))
    factor[:, : pr.n_groups, :] = np.exp(g[:, None, :] + h[:, : pr.n_groups, :])
    factor[:, pr.n_groups, :] = np.exp(g)
    occurred = np.empty((m, len(shock_rngs)), dtype=bool)
    for k, r in enumerate(shock_rngs):
        occurred[:, k] = r.random(m) < pr.shock_p[k]
    return RaceChunk(noise, turnout_noise, factor, tau, occurred)


def _coefficients(
    pr: PreparedRace,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(slope, intercept, turnout_slope, turnout_intercept, group_column)``.

    Share weight before swings: ``u * slope + intercept = m_dc (1 + half_width (u - 1/2))``;
    turnout before clipping: ``nu * turnout_slope + turnout_intercept + tau``.
    """
    slope = pr.share_half_width * pr.shares
    intercept = (1.0 - 0.5 * pr.share_half_width) * pr.shares
    t_slope = pr.turnout_half_width
    t_intercept = pr.turnout - 0.5 * pr.turnout_half_width
    gcol = np.where(pr.group_index >= 0, pr.group_index, pr.n_groups).astype(np.int64)
    return slope, intercept, t_slope, t_intercept, gcol


def evaluate_sets(
    pr: PreparedRace, chunk: RaceChunk, sets: np.ndarray, main: int = -1
) -> tuple[np.ndarray, np.ndarray | None]:
    """Counted vote totals, shape ``(n_sets, m, C)``, for each row of ``sets`` (active shocks).

    One compiled pass over the division cells evaluates every shock set, so several sets
    cost little more than one. When ``main >= 0`` our counted votes per division under
    ``sets[main]`` are returned too (``(m, D)`` float32), for the fragility ranking.
    """
    slope, intercept, t_slope, t_intercept, _ = _coefficients(pr)
    n_c, m, n_d = chunk.noise.shape
    totals = np.zeros((len(sets), m, n_c))
    ours = np.zeros((m, n_d) if main >= 0 else (0, 0), dtype=np.float32)
    kinds = np.array([0 if k == "turnout" else 1 for k in pr.shock_kind], dtype=np.int64)
    bounds = np.array(pr.group_slices, dtype=np.int64).reshape(-1, 2)
    _kernel(
        chunk.noise,
        chunk.turnout_noise,
        chunk.factor,
        chunk.tau,
        slope,
        intercept,
        t_slope,
        t_intercept,
        bounds,
        pr.voters,
        pr.counted,
        chunk.occurred,
        kinds,
        pr.shock_mask.astype(np.float64),
        pr.shock_source.astype(np.int64),
        pr.shock_to.astype(np.int64),
        pr.shock_amount,
        np.ascontiguousarray(sets, dtype=np.bool_).reshape(len(sets), len(pr.shock_kind)),
        totals,
        pr.us,
        main,
        ours,
    )
    return totals, (ours if main >= 0 else None)


@numba.njit(cache=True, nogil=True, fastmath={"reassoc", "contract", "arcp"})
def _kernel(  # pragma: no cover - compiled; checked against reference_totals in the tests
    noise,
    turnout_noise,
    factor,
    tau,
    slope,
    intercept,
    t_slope,
    t_intercept,
    bounds,
    voters,
    counted,
    occurred,
    kinds,
    mask,
    source,
    to,
    amount,
    sets,
    totals,
    us,
    main,
    ours,
):
    n_c, m, n_d = noise.shape
    n_sets, n_s = sets.shape
    n_groups = bounds.shape[0] - 1  # last row: divisions outside any group
    a = np.empty((n_c, n_d))
    a2 = np.empty((n_c, n_d))
    t = np.empty(n_d)
    t2 = np.empty(n_d)
    pw = np.empty(n_d)
    for r in range(m):
        # share weights a[c, d] and turnout t[d] before shocks, one group slice at a time
        for gi in range(n_groups + 1):
            lo, hi = bounds[gi, 0], bounds[gi, 1]
            for c in range(n_c):
                f = factor[r, gi, c]
                for d in range(lo, hi):
                    u = (noise[c, r, d] + 0.5) * _INV16
                    a[c, d] = (u * slope[c, d] + intercept[c, d]) * f
        for d in range(n_d):
            pw[d] = 0.0
        for c in range(n_c):
            for d in range(n_d):
                pw[d] += a[c, d]
        for d in range(n_d):
            pw[d] = voters[d] / pw[d] if pw[d] > 0 else 0.0
            x = (turnout_noise[r, d] + 0.5) * _INV16 * t_slope[d] + t_intercept[d] + tau[r]
            t[d] = min(max(x, 0.0), 1.0)
        for j in range(n_sets):
            shocked = False
            for k in range(n_s):
                if sets[j, k] and occurred[r, k]:
                    if not shocked:
                        a2[:, :] = a
                        t2[:] = t
                        shocked = True
                    if kinds[k] == 0:
                        g = amount[k]
                        for d in range(n_d):
                            t2[d] = min(max(t2[d] * (1.0 + g * mask[k, d]), 0.0), 1.0)
                    else:
                        s, q, g = source[k], to[k], amount[k]
                        for d in range(n_d):
                            moved = a2[s, d] * (g * mask[k, d])
                            a2[s, d] -= moved
                            a2[q, d] += moved
            aa = a2 if shocked else a
            tt = t2 if shocked else t
            for c in range(n_c):
                acc = 0.0
                for d in range(n_d):
                    acc += aa[c, d] * pw[d] * tt[d]
                totals[j, r, c] = acc * counted[c]
            if j == main:
                for d in range(n_d):
                    ours[r, d] = aa[us, d] * pw[d] * tt[d] * counted[us]


def reference_totals(pr: PreparedRace, chunk: RaceChunk, active: np.ndarray) -> np.ndarray:
    """Vote totals ``(m, C)`` by plain numpy array arithmetic (a readable reference for tests)."""
    slope, intercept, t_slope, t_intercept, gcol = _coefficients(pr)
    n_c = pr.shares.shape[0]
    fac = chunk.factor[:, gcol, :]  # (m, D, C)
    weights = np.stack(
        [(_uniform(chunk.noise[c]) * slope[c] + intercept[c]) * fac[:, :, c] for c in range(n_c)]
    )
    total = weights.sum(axis=0)
    turnout = np.clip(
        _uniform(chunk.turnout_noise) * t_slope + t_intercept + chunk.tau[:, None], 0.0, 1.0
    )
    for k in np.flatnonzero(active):
        cells = np.outer(chunk.occurred[:, k], pr.shock_mask[k])
        if pr.shock_kind[k] == "turnout":
            turnout = np.where(
                cells, np.clip(turnout * (1.0 + pr.shock_amount[k]), 0.0, 1.0), turnout
            )
        else:
            s, t = int(pr.shock_source[k]), int(pr.shock_to[k])
            moved = np.where(cells, weights[s] * pr.shock_amount[k], 0.0)
            weights[s] = weights[s] - moved
            weights[t] = weights[t] + moved
    per_weight = turnout * pr.voters / total
    return np.stack(
        [(weights[c] * per_weight).sum(axis=1) * pr.counted[c] for c in range(n_c)], axis=1
    )


def race_outcome(
    pr: PreparedRace, totals: np.ndarray, transfers: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(hold, deficit_votes, margin_share)``: we hold when our total beats every opponent's.

    ``deficit_votes`` is the best opponent's total minus ours (negative when we lead). Under
    ``instant_runoff`` and ``top_two`` the totals compared are the final-round totals of
    :func:`race_count` (``transfers``: per-draw transfer matrices, default the race's own);
    the margin stays a share of all counted first-round votes.
    """
    if pr.rule != "plurality":
        return race_count(pr, totals, transfers)[:3]
    ours = totals[:, pr.us]
    others = np.delete(totals, pr.us, axis=1)
    best = others.max(axis=1)
    allv = totals.sum(axis=1)
    deficit = best - ours
    margin = np.divide(-deficit, allv, out=np.zeros_like(allv), where=allv > 0)
    return ours > best, deficit, margin


def race_count(
    pr: PreparedRace, totals: np.ndarray, transfers: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(hold, deficit, margin, rounds, final_share)`` under the race's rule.

    ``final_share`` is our share of the final round's continuing votes (0 when we are
    eliminated). Ties for the win count as not holding.
    """
    t = pr.transfers if transfers is None else transfers
    if t is None:
        t = np.zeros((len(pr.candidates), len(pr.candidates)))
    tab = tabulate(totals, t, pr.rule, pr.us)
    final = tab.final
    ours = final[:, pr.us]
    best = np.delete(final, pr.us, axis=1).max(axis=1)
    allv = totals.sum(axis=1)
    deficit = best - ours
    margin = np.divide(-deficit, allv, out=np.zeros_like(allv), where=allv > 0)
    cont = final.sum(axis=1)
    share = np.divide(ours, cont, out=np.zeros_like(cont), where=cont > 0)
    return ours > best, deficit, margin, tab.rounds, share


def race_transfer_draws(pr: PreparedRace, rng: np.random.Generator, m: int) -> np.ndarray | None:
    """Per-draw transfer matrices ``(m, C, C)`` when ``transfer_sd > 0``, else None (fixed)."""
    if pr.rule == "plurality" or pr.transfers is None or pr.transfer_sd <= 0:
        return None
    return draw_transfers(pr.transfers, pr.transfer_sd, rng, m)
