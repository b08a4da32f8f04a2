"""Private numerics of the sampled power indices: Monte Carlo (see :mod:`.indices`).

Banzhaf and Coleman from uniform random coalitions (each player in or out with probability
one half), Shapley-Shubik from uniform random orderings, in chunks of about two million cells,
with the standard errors the results report (Leech 2003, cited in :mod:`.indices`).
"""

from __future__ import annotations

import numpy as np

from broadfront.analysis.power.games import Game
from broadfront.analysis.power.results import ColemanResult, IndexResult


def _chunk_rows(n: int) -> int:
    return max(1, 2_000_000 // max(n, 1))


def _condition_arrays(game: Game) -> tuple[np.ndarray, np.ndarray]:
    """Weights and quotas per condition; integer-valued (exact in float) when possible."""
    rows, quotas = [], []
    for c in game.conditions:
        form = c.integer_form()
        if form is not None and int(form[0].sum()) < 2**53:
            rows.append(form[0].astype(float))
            quotas.append(float(form[1]))
        else:
            rows.append(c.weights)
            quotas.append(c.quota)
    return np.vstack(rows), np.array(quotas)


def _swing_moments(
    game: Game, samples: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, float, float, int]:
    """Sums over sampled coalitions: Z_i (swing indicator), Z_i * Y, Y, Y^2, winning count."""
    W, Q = _condition_arrays(game)
    n = game.n
    sz = np.zeros(n)
    szy = np.zeros(n)
    sy = 0.0
    syy = 0.0
    wins = 0
    done = 0
    while done < samples:
        k = min(_chunk_rows(n), samples - done)
        X = rng.random((k, n)) < 0.5
        sums = X.astype(float) @ W.T  # (k, conditions)
        wins += int(np.all(sums >= Q, axis=1).sum())
        # others' weight for i = sums - x_i w_i ; swing: others lose, others + w_i win
        Z = np.ones((k, n), dtype=bool)
        lose_without = np.zeros((k, n), dtype=bool)
        for j in range(W.shape[0]):
            others = sums[:, j : j + 1] - X * W[j]
            Z &= others + W[j] >= Q[j]
            lose_without |= others < Q[j]
        Z &= lose_without
        Zf = Z.astype(float)
        Y = Zf.sum(axis=1)
        sz += Zf.sum(axis=0)
        szy += Zf.T @ Y
        sy += Y.sum()
        syy += float(Y @ Y)
        done += k
    return sz, szy, sy, syy, wins


def _banzhaf_sample(game: Game, samples: int, rng: np.random.Generator) -> IndexResult:
    sz, szy, sy, syy, _ = _swing_moments(game, samples, rng)
    K = samples
    absolute = sz / K
    se_abs = np.sqrt(absolute * (1 - absolute) / K)
    if sy > 0:
        r = sz / sy
        ez, ezy, ey, eyy = sz / K, szy / K, sy / K, syy / K
        var = (ez - 2 * r * ezy + r * r * eyy) / (ey * ey)
        se = np.sqrt(np.maximum(var, 0.0) / K)
        values = r
    else:
        values = np.zeros(game.n)
        se = np.zeros(game.n)
    del se_abs  # the standard errors reported are those of the normalized values
    return IndexResult(
        "banzhaf", game.names, values, "sample", standard_errors=se, samples=K, absolute=absolute
    )


def _coleman_sample(game: Game, samples: int, rng: np.random.Generator) -> ColemanResult:
    sz, _, _, _, wins = _swing_moments(game, samples, rng)
    K = samples
    act = wins / K
    beta = sz / K  # = 2 * swings / 2^n
    prevent = beta / 2 / act if act > 0 else np.zeros(game.n)
    initiate = beta / 2 / (1 - act) if act < 1 else np.zeros(game.n)
    se = np.sqrt(beta * (1 - beta) / K) / 2 / max(act, 1e-300)
    return ColemanResult(game.names, act, prevent, initiate, None, "sample", se, K)


def _shapley_sample(game: Game, samples: int, rng: np.random.Generator) -> IndexResult:
    W, Q = _condition_arrays(game)
    n = game.n
    counts = np.zeros(n)
    done = 0
    while done < samples:
        k = min(_chunk_rows(n), samples - done)
        perm = np.argsort(rng.random((k, n)), axis=1)
        first = np.zeros(k, dtype=np.int64)
        for j in range(W.shape[0]):
            cum = np.cumsum(W[j][perm], axis=1)
            reach = np.argmax(cum >= Q[j], axis=1)
            first = np.maximum(first, reach)
        pivots = perm[np.arange(k), first]
        counts += np.bincount(pivots, minlength=n)
        done += k
    values = counts / samples
    se = np.sqrt(values * (1 - values) / samples)
    return IndexResult(
        "shapley_shubik", game.names, values, "sample", standard_errors=se, samples=samples
    )
