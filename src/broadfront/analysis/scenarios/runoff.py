"""Ranked-choice (instant runoff) and top-two runoff tabulation of per-draw vote totals.

A race's first-choice totals ``x`` (draws x candidates, summed over divisions) are counted
under the race's rule:

- ``plurality``: the candidate with the most votes wins (one round).
- ``instant_runoff``: each round, if a continuing candidate has more than half of the
  continuing votes (exhausted votes do not count), it wins; otherwise the candidate with the
  fewest votes is eliminated and its current votes move to the continuing candidates by the
  transfer shares. The count stops when a candidate has a majority or two remain. This is
  the round-by-round count of the Minneapolis rules (Minneapolis Code of Ordinances, Title 8.5,
  ch. 167, sec. 167.60, tabulation of single-seat
  elections; sec. 167.70 covers multiple seats) and of San Francisco (Charter, art. XIII,
  sec. 13.102, "Instant runoff elections"); New York City counts the same way (City Charter
  sec. 1057-g).
- ``top_two``: if a candidate has more than half of the first-round votes, it wins;
  otherwise the top two go to a runoff, which every other candidate's voters join by the
  transfer shares (or abstain: exhaust).

The transfer model
------------------
``T[i, j]`` is the share of candidate ``i``'s voters whose next preference is candidate
``j``; ``1 - sum_j T[i, j]`` exhaust (rank nobody else). The model is a Markov chain on the
candidates: a vote's next preference depends only on the candidate it currently sits with,
whether it was a first choice or a transfer, and **not on the division** (one matrix for the
whole race). A vote whose next preference is an already eliminated candidate follows that
candidate's shares in turn. With ``E`` the eliminated set and ``C`` the continuing set this is
an absorbing chain whose absorbing states are the continuing candidates and exhaustion, so
the votes of the eliminated candidates ``x_E`` arrive at the continuing candidates as
``x_E (I - T_EE)^-1 T_EC`` (the fundamental matrix ``(I - T_EE)^-1`` of Kemeny and Snell,
*Finite Markov Chains*, Van Nostrand, 1960, ch. III, sec. 3.3: absorption probabilities
``B = N R`` with ``N = (I - Q)^-1``). It is computed one
elimination at a time by Gaussian elimination of the eliminated state from the transfer
matrix (the chain "censored" to the continuing states, which gives the same absorption
probabilities): when ``k`` is eliminated its row, without the share that returns to ``k``
itself, is renormalised by ``1 / (1 - R[k, k])`` and every row gains ``R[i, k]`` times it.
Votes caught in a cycle of eliminated candidates that never reaches a continuing one exhaust.

Ties: every candidate tied for the fewest votes is eliminated in the same round (unless that
would eliminate every continuing candidate: then the count stops). Our candidate holds only
with strictly more final-round votes than every other candidate, so a tie for the win counts
as not holding, as under plurality. At the top-two cut, a tie for second place is resolved
against our candidate, and otherwise in the order the candidates are listed. Ties between
continuous vote totals have probability zero; they matter only in constructed examples.

Uncertainty in the transfers (``transfer_sd > 0``): per draw, each candidate's row of
shares, with its exhausted share as one more component, is drawn from a Dirichlet
distribution with that row as its mean and concentration ``kappa = 1 / (4 sd^2) - 1``, so a
share of 1/2 has standard deviation ``sd`` and a share ``p`` has ``2 sd sqrt(p (1 - p))``;
shares of 0 stay 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model import RACE_RULES as RULES

__all__ = ["RULES", "Tabulation", "draw_transfers", "tabulate", "transfer_matrix"]


@dataclass(frozen=True)
class Tabulation:
    """The count of each draw.

    ``final``: final-round votes per candidate (0 for the eliminated), shape ``(m, C)``;
    ``rounds``: rounds counted (1: decided on first choices); ``exhausted``: votes that
    ranked nobody still continuing by the final round.
    """

    final: np.ndarray
    rounds: np.ndarray
    exhausted: np.ndarray


def transfer_matrix(
    candidates: Sequence[str], transfers: Sequence[tuple[str, Sequence[tuple[str, float]]]]
) -> np.ndarray:
    """The ``(C, C)`` matrix ``T[i, j]``: share of ``i``'s voters whose next choice is ``j``.

    Examples
    --------
    >>> transfer_matrix(["A", "B", "C"], [("C", [("A", 0.6), ("B", 0.3)])]).tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.6, 0.3, 0.0]]
    """
    names = list(candidates)
    t = np.zeros((len(names), len(names)))
    for source, row in transfers:
        for target, share in row:
            t[names.index(source), names.index(target)] = share
    return t


def draw_transfers(t: np.ndarray, sd: float, rng: np.random.Generator, m: int) -> np.ndarray:
    """``m`` transfer matrices ``(m, C, C)`` drawn around ``t`` (Dirichlet, see the module).

    With ``sd == 0`` every draw is ``t``.

    Examples
    --------
    >>> t = np.array([[0.0, 0.5], [0.0, 0.0]])
    >>> d = draw_transfers(t, 0.1, np.random.default_rng(1), 20000)
    >>> round(float(d[:, 0, 1].mean()), 2), round(float(d[:, 0, 1].std()), 2), float(d[:, 1].max())
    (0.5, 0.1, 0.0)
    """
    n_c = t.shape[0]
    if sd <= 0:
        return np.broadcast_to(t, (m, n_c, n_c)).copy()
    kappa = 1.0 / (4.0 * sd * sd) - 1.0
    full = np.concatenate([t, np.clip(1.0 - t.sum(axis=1, keepdims=True), 0.0, 1.0)], axis=1)
    gam = rng.standard_gamma(np.broadcast_to(kappa * full, (m, n_c, n_c + 1)))
    sums = gam.sum(axis=2, keepdims=True)
    rows = np.divide(gam, sums, out=np.zeros_like(gam), where=sums > 0)
    return rows[:, :, :n_c]


def tabulate(totals: np.ndarray, transfers: np.ndarray, rule: str, us: int = -1) -> Tabulation:
    """Count first-choice ``totals`` ``(m, C)`` under ``rule``, vectorized over the draws.

    Parameters
    ----------
    totals : ndarray, shape (m, C)
        First-choice votes per draw and candidate.
    transfers : ndarray, shape (C, C) or (m, C, C)
        Transfer shares ``T[i, j]`` (rows sum to at most 1, zero diagonal), fixed or per draw.
    rule : {"plurality", "instant_runoff", "top_two"}
    us : int
        Our candidate's column: a tie with it at the top-two cut goes against it.

    Returns
    -------
    Tabulation

    References
    ----------
    Minneapolis Code of Ordinances, sec. 167.60 (tabulation of single-seat ranked-choice
    elections); San
    Francisco Charter, sec. 13.102; Kemeny, J. G. and Snell, J. L., *Finite Markov Chains*,
    Van Nostrand, 1960, ch. III (absorbing chains).

    Examples
    --------
    A 40, B 35, C 25; C's voters: 60% to B, 20% to A, 20% rank nobody else. C is eliminated,
    A 45, B 50 of 95 continuing votes: B wins in round 2.

    >>> t = transfer_matrix("ABC", [("C", [("B", 0.6), ("A", 0.2)])])
    >>> r = tabulate(np.array([[40.0, 35.0, 25.0]]), t, "instant_runoff")
    >>> r.final.round(6).tolist(), r.rounds.tolist(), r.exhausted.round(6).tolist()
    ([[45.0, 50.0, 0.0]], [2], [5.0])
    """
    x = np.array(totals, dtype=float)
    m, n_c = x.shape
    start = x.sum(axis=1)
    rounds = np.ones(m, dtype=np.int64)
    if rule == "plurality" or n_c < 2:
        return Tabulation(x, rounds, np.zeros(m))
    r = np.array(np.broadcast_to(transfers, (m, n_c, n_c)), dtype=float)
    cont = np.ones((m, n_c), dtype=bool)
    if rule == "top_two":
        runoff = x.max(axis=1) <= start / 2
        key_us = np.zeros(n_c)
        if us >= 0:
            key_us[us] = 1.0
        order = np.lexsort(
            (np.broadcast_to(np.arange(n_c), x.shape), np.broadcast_to(key_us, x.shape), -x),
            axis=1,
        )
        elim = np.zeros((m, n_c), dtype=bool)
        np.put_along_axis(elim, order[:, 2:], True, axis=1)
        elim &= runoff[:, None]
        _eliminate(x, r, cont, elim)
        rounds += runoff
    elif rule == "instant_runoff":
        for _ in range(n_c):
            votes = np.where(cont, x, 0.0)
            n_cont = cont.sum(axis=1)
            done = (votes.max(axis=1) > votes.sum(axis=1) / 2) | (n_cont <= 2)
            low = np.where(cont, x, np.inf).min(axis=1)
            elim = cont & (x <= low[:, None]) & ~done[:, None]
            elim &= (elim.sum(axis=1) < n_cont)[:, None]  # never eliminate everyone
            going = elim.any(axis=1)
            if not going.any():
                break
            rounds += going
            _eliminate(x, r, cont, elim)
    else:
        raise ValueError(f"unknown rule {rule!r}")
    final = np.where(cont, x, 0.0)
    return Tabulation(final, rounds, np.maximum(start - final.sum(axis=1), 0.0))


def _eliminate(x: np.ndarray, r: np.ndarray, cont: np.ndarray, elim: np.ndarray) -> None:
    """Eliminate ``elim`` (per draw) in place: move votes, censor the chain (see the module)."""
    n_c = x.shape[1]
    for k in range(n_c):
        idx = np.flatnonzero(elim[:, k])
        if idx.size == 0:
            continue
        row = r[idx, k, :].copy()
        back = row[:, k].copy()
        row[:, k] = 0.0
        keep = back < 1.0 - 1e-12
        scale = np.divide(1.0, 1.0 - back, out=np.zeros_like(back), where=keep)
        row *= scale[:, None]
        x[idx] += x[idx, k][:, None] * row
        x[idx, k] = 0.0
        cont[idx, k] = False
        col = r[idx, :, k]
        r[idx] += col[:, :, None] * row[:, None, :]
        r[idx, :, k] = 0.0
