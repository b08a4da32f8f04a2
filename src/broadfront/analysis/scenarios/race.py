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
votes). The candidate with the most votes summed over divisions wins. This is the
uniform/proportional swing model with regional components used in election forecasting
(Butler and Stokes, *Political Change in Britain*, Macmillan, 1969; Gelman and King, "A
unified method of evaluating electoral systems and redistricting plans", *American Journal
of Political Science* 38(2), 1994, doi:10.2307/2111417).

Shocks happen once per draw with their probability: a capture moves ``fraction`` of one
candidate's share to another in the selected divisions (the division's total share weight
is unchanged), a turnout shock multiplies turnout by ``1 + change``. Draws are processed in
chunks of about :data:`CHUNK_CELLS` division cells, so memory stays bounded however many
draws and divisions there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from broadfront.exceptions import ValidationError

from .model import Race, Shock

#: division cells (draws x divisions) per chunk
CHUNK_CELLS = 1 << 19
_SQRT12 = float(np.sqrt(12.0))


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
        If a shock is not a race shock or names an unknown candidate, division or group.

    Examples
    --------
    >>> from broadfront.analysis.scenarios import Candidate, Division, Race
    >>> r = Race((Candidate("Us"), Candidate("Them")),
    ...          (Division("d1", 1000, 0.5, (("Us", 0.6), ("Them", 0.4))),), "Us")
    >>> prepare_race(r).expected_turnout
    500.0
    """
    cands = tuple(c.name for c in race.candidates)
    # divisions sorted by group so that each group is one contiguous slice of columns
    ordered = sorted(race.divisions, key=lambda d: (d.group is None, d.group or ""))
    race = Race(
        race.candidates,
        tuple(ordered),
        race.our_candidate,
        race.swing_sd,
        race.group_swing_sd,
        race.share_sd,
        race.turnout_swing_sd,
        race.turnout_sd,
    )
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
    )


def race_chunk_size(pr: PreparedRace) -> int:
    """Draws per chunk so that one chunk holds about :data:`CHUNK_CELLS` division cells."""
    return max(1, CHUNK_CELLS // len(pr.divisions))


@dataclass
class RaceChunk:
    """The random part of one chunk of draws, shared by every shock set evaluated on it."""

    weights: np.ndarray  # (C, m, D) share weights a_rdc
    total_weight: np.ndarray  # (m, D) sum over candidates
    turnout: np.ndarray  # (m, D) before shocks
    occurred: np.ndarray  # (m, S) bool


def draw_chunk(
    pr: PreparedRace,
    base_rng: np.random.Generator,
    shock_rngs: Sequence[np.random.Generator],
    m: int,
) -> RaceChunk:
    """Draw swings, division noise, turnout and shock occurrences for ``m`` draws.

    Division cells are float32 (about 7 significant digits, ample for vote counts); the
    swings and the totals are float64.
    """
    n_c, n_d = pr.shares.shape
    g = base_rng.standard_normal((m, n_c)) * pr.swing_sd
    h = base_rng.standard_normal((m, max(pr.n_groups, 1), n_c)) * pr.group_swing_sd
    tau = base_rng.standard_normal(m) * pr.turnout_swing_sd
    weights = base_rng.random((n_c, m, n_d), dtype=np.float32)
    nu = base_rng.random((m, n_d), dtype=np.float32)
    for c in range(n_c):
        w = weights[c]
        # m_dc * (1 + half_width * (u - 1/2)) as one multiply and one add
        w *= (pr.share_half_width * pr.shares[c]).astype(np.float32)
        w += ((1.0 - 0.5 * pr.share_half_width) * pr.shares[c]).astype(np.float32)
        swing = np.exp(g[:, c])
        for gi, (a, b) in enumerate(pr.group_slices):
            if b <= a:
                continue
            factor = swing * np.exp(h[:, gi, c]) if gi < pr.n_groups else swing
            w[:, a:b] *= factor.astype(np.float32)[:, None]
    total = weights.sum(axis=0)
    nu *= pr.turnout_half_width.astype(np.float32)
    nu += (pr.turnout - 0.5 * pr.turnout_half_width).astype(np.float32)
    nu += tau.astype(np.float32)[:, None]
    np.clip(nu, 0.0, 1.0, out=nu)
    occurred = np.empty((m, len(shock_rngs)), dtype=bool)
    for k, r in enumerate(shock_rngs):
        occurred[:, k] = r.random(m) < pr.shock_p[k]
    return RaceChunk(weights, total, nu, occurred)


@dataclass
class RaceEval:
    """Counted votes per candidate and, when asked, our votes per division."""

    totals: np.ndarray  # (m, C)
    ours_by_division: np.ndarray | None  # (m, D)


def evaluate_chunk(
    pr: PreparedRace,
    chunk: RaceChunk,
    active: np.ndarray,
    *,
    by_division: bool = False,
    extra_votes: float = 0.0,
) -> RaceEval:
    """Counted vote totals for one chunk with the ``active`` shocks applied where they occurred."""
    n_c = pr.shares.shape[0]
    m, n_d = chunk.total_weight.shape
    act = np.flatnonzero(active)
    turnout = chunk.turnout
    captured: dict[int, np.ndarray] = {}
    for k in act:
        occ = chunk.occurred[:, k]
        if not occ.any():
            continue
        if pr.shock_kind[k] == "turnout":
            factor = np.where(occ, np.float32(1.0 + pr.shock_amount[k]), np.float32(1.0))[:, None]
            if turnout is chunk.turnout:
                turnout = turnout.copy()
            for a, b in _runs(pr.shock_mask[k]):
                block = turnout[:, a:b]
                block *= factor
                np.clip(block, 0.0, 1.0, out=block)
        else:
            s, t = int(pr.shock_source[k]), int(pr.shock_to[k])
            for c in (s, t):
                if c not in captured:
                    captured[c] = chunk.weights[c].copy()
            frac = np.where(occ, np.float32(pr.shock_amount[k]), np.float32(0.0))[:, None]
            for a, b in _runs(pr.shock_mask[k]):
                moved = captured[s][:, a:b] * frac
                captured[s][:, a:b] -= moved
                captured[t][:, a:b] += moved
    per_weight = turnout * pr.voters.astype(np.float32)
    per_weight /= chunk.total_weight  # votes per unit of share weight
    totals = np.empty((m, n_c))
    for c in range(n_c):
        a = captured.get(c, chunk.weights[c])
        totals[:, c] = np.einsum("md,md->m", a, per_weight) * pr.counted[c]
    totals[:, pr.us] += extra_votes
    ours = None
    if by_division:
        ours = captured.get(pr.us, chunk.weights[pr.us]) * per_weight * pr.counted[pr.us]
    return RaceEval(totals, ours)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Contiguous ``[start, stop)`` column ranges where ``mask`` is true."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def race_outcome(pr: PreparedRace, totals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(hold, deficit_votes, margin_share)``: we hold when our total beats every opponent's.

    ``deficit_votes`` is the best opponent's total minus ours (negative when we lead).
    """
    ours = totals[:, pr.us]
    others = np.delete(totals, pr.us, axis=1)
    best = others.max(axis=1)
    allv = totals.sum(axis=1)
    deficit = best - ours
    margin = np.divide(-deficit, allv, out=np.zeros_like(allv), where=allv > 0)
    return ours > best, deficit, margin
