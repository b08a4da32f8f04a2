"""Run a scenario: probability of holding, margin, fragility, damaging shocks, what it takes.

Every shock set (none, all, each alone, all but each) is evaluated on the same random draws
(common random numbers), so differences between them are not blurred by sampling noise
(Glasserman, *Monte Carlo Methods in Financial Engineering*, Springer, 2004, sec. 4.2,
doi:10.1007/978-0-387-21617-1). Each shock's occurrence comes from its own random stream
(``numpy.random.Generator.spawn``), so adding a shock never changes the other draws.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from broadfront.analysis._validation import as_rng, check_count, check_probability
from broadfront.exceptions import ValidationError

from .body import (
    PreparedBody,
    exact_body,
    exact_supported,
    flip_counts,
    holds,
    latent_draws,
    prepare_body,
    smallest_persuasion,
    vote_thresholds,
    votes_under,
    yes_totals,
)
from .body import chunk_size as body_chunk_size
from .model import (
    HARD_MAX_CANDIDATES,
    HARD_MAX_DIVISIONS,
    HARD_MAX_MEMBERS,
    HARD_MAX_SHOCKS,
    MAX_CANDIDATES,
    MAX_DIVISIONS,
    MAX_MEMBERS,
    MAX_SHOCKS,
    Scenario,
)
from .race import (
    PreparedRace,
    draw_chunk,
    evaluate_sets,
    prepare_race,
    race_chunk_size,
    race_count,
    race_outcome,
    race_transfer_draws,
)
from .results import (
    MarginDistribution,
    RunoffSummary,
    ScenarioResult,
    ShockDamage,
    WhatItTakes,
)

__all__ = ["FIRST_LOOK_DRAWS", "HARD_MAX_DRAWS", "MAX_DRAWS", "MAX_DRAW_CELLS", "MAX_WEB_DRAWS",
           "run_scenario"]

Method = Literal["auto", "exact", "monte-carlo"]
QUANTILE_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
#: draws kept for the Monte Carlo "what would it take" search in a body
WIT_CELLS = 20_000_000
WIT_DRAWS = 200_000
#: Most Monte Carlo draws (soft limit; the benchmarks run 1,000,000).
MAX_DRAWS = 10_000_000
#: Most draws when limits are lifted (draws are chunked, so memory stays bounded).
HARD_MAX_DRAWS = 100_000_000
#: Most draws a run asked for on the web (page or API), tighter than ``MAX_DRAWS`` on purpose:
#: the web cannot lift limits, a run there holds a shared background worker (or, with
#: ``do_run_scenario``, the request itself) and is bounded by no time budget, and 2,000,000
#: draws already give a margin of error under 0.1 point.
MAX_WEB_DRAWS = 2_000_000
#: Draws the new-scenario page proposes (a saved file or the API default to the model's
#: ``DEFAULT_DRAWS``, 100,000): a first answer in a second or two, within 0.4 point.
FIRST_LOOK_DRAWS = 20_000
#: Most cells simulated: draws x members (or divisions) x shock sets evaluated (2 k + 2 with
#: k shocks, 2 without the sensitivity analysis); about 4e9 take a few minutes (soft limit).
MAX_DRAW_CELLS = 4_000_000_000


def run_scenario(
    scenario: Scenario,
    *,
    draws: int | None = None,
    rng: int | np.random.Generator | None = None,
    method: Method = "auto",
    target: float | None = None,
    sensitivity: bool = True,
    progress: Callable[[int, int], None] | None = None,
    lift_limits: bool = False,
) -> ScenarioResult:
    """Simulate (or compute exactly) whether we hold a vote or a race under a scenario's shocks.

    For a body, ``p_hold = P(rule met by the members voting with us)`` under the
    Gaussian-copula bloc model of :mod:`broadfront.analysis.scenarios.body`; for a race,
    ``p_hold = P(our counted votes exceed every opponent's)`` under the swing model of
    :mod:`broadfront.analysis.scenarios.race` (final-round votes for an ``instant_runoff`` or
    ``top_two`` race, counted by :mod:`broadfront.analysis.scenarios.runoff`; its
    ``runoff`` summary gives the chance of more than one round and our final-round share).
    ``method="auto"`` computes a body exactly when members are independent or in fully
    cohesive blocs and the weight grid is small, and simulates otherwise. Reported alongside: the margin distribution, each member's (or
    division's) flip share, every shock's damage (alone and marginal) and the smallest
    change reaching ``target``.

    Parameters
    ----------
    scenario : Scenario
        The body or race and its shocks.
    draws : int, optional
        Monte Carlo draws (default ``scenario.draws``); ignored when exact.
    rng : int or numpy.random.Generator, optional
        Seed or generator (default ``scenario.seed``; fresh entropy when both are None).
    method : {"auto", "exact", "monte-carlo"}
        Force a method; ``"exact"`` raises when it does not apply.
    target : float, optional
        Probability of holding to reach in "what would it take" (default ``scenario.target``).
    sensitivity : bool
        Rank the shocks by damage (evaluates ``2 k + 2`` shock sets on the same draws for
        ``k`` shocks); when false ``damaging_shocks`` is empty and only the scenario with
        and without its shocks is evaluated.
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk of Monte Carlo draws.
    lift_limits : bool
        Accept up to the ``HARD_MAX_*`` sizes (draws, members, divisions, candidates, shocks)
        and any total work instead of the soft limits ``MAX_DRAWS``, ``MAX_MEMBERS``,
        ``MAX_DIVISIONS``, ``MAX_CANDIDATES``, ``MAX_SHOCKS`` and ``MAX_DRAW_CELLS``.

    Returns
    -------
    ScenarioResult

    Raises
    ------
    ValidationError
        For a bad ``draws``, ``target`` or ``method``, a scenario without exactly one body or
        race, or ``method="exact"`` where no exact method applies.

    References
    ----------
    Li, D. X., "On default correlation: a copula function approach", Journal of Fixed
    Income 9(4), 43-54, 2000, doi:10.3905/jfi.2000.319253. Barlow, R. E. and Heidtmann,
    K. D., "Computing k-out-of-n system reliability", IEEE Transactions on Reliability
    R-33(4), 1984, doi:10.1109/TR.1984.5221843.

    Examples
    --------
    Weights 3, 2, 2 and quota 4; A and B certain, C with us half of the time: we always hold
    (A and B reach 5), C never flips the outcome, and A and B each flip all of it.

    >>> s = Scenario.from_dict({"body": {"quota": 4, "members": [
    ...     {"name": "A", "weight": 3, "p_with_us": 1}, {"name": "B", "weight": 2, "p_with_us": 1},
    ...     {"name": "C", "weight": 2, "p_with_us": 0.5}]}})
    >>> r = run_scenario(s)
    >>> r.method, r.p_hold, r.p_hold_se
    ('exact', 1.0, 0.0)
    >>> r.fragile
    {'A': 0.5, 'B': 0.5, 'C': 0.0}

    A's defection with probability 0.4 costs 0.4 * P(B and C both yes fails) = 0.4 * 0.5:

    >>> s2 = Scenario.from_dict({**s.to_dict(),
    ...                          "shocks": [{"kind": "member_defects", "member": "A",
    ...                                      "probability": 0.4}]})
    >>> r2 = run_scenario(s2)
    >>> round(r2.p_hold, 12), round(r2.damaging_shocks[0].alone, 12)
    (0.8, 0.2)
    """
    n_draws = check_count(
        scenario.draws if draws is None else draws, "draws", MAX_DRAWS, hard=HARD_MAX_DRAWS,
        lift_limits=lift_limits, what="draws" if draws is not None else "the scenario's draws",
    )
    _check_size(scenario, n_draws, sensitivity, lift_limits)
    tgt = check_probability(scenario.target if target is None else target, "target")
    if method not in ("auto", "exact", "monte-carlo"):
        raise ValidationError(
            f"method must be 'auto', 'exact' or 'monte-carlo', got {method!r}", parameter="method"
        )
    if (scenario.body is None) == (scenario.race is None):
        raise ValidationError(
            "a scenario needs exactly one of a body or a race", parameter="scenario"
        )
    seed_in = scenario.seed if rng is None else rng
    seed = int(seed_in) if isinstance(seed_in, int | np.integer) else None
    generator = as_rng(seed_in)
    if scenario.body is not None:
        pb = prepare_body(scenario.body, scenario.shocks)
        use_exact = method == "exact" or (method == "auto" and exact_supported(pb))
        if use_exact:
            if not exact_supported(pb):
                raise ValidationError(
                    "no exact method here: blocs with cohesion strictly between 0 and 1, too "
                    "many random shocks, or a weight grid over budget",
                    parameter="method",
                )
            return _body_exact(scenario, pb, tgt, seed, sensitivity)
        streams = _streams(generator, 1 + len(scenario.shocks))
        return _body_monte_carlo(scenario, pb, n_draws, streams, tgt, seed, sensitivity, progress)
    assert scenario.race is not None
    if method == "exact":
        raise ValidationError("races have no exact method; use monte-carlo", parameter="method")
    pr = prepare_race(scenario.race, scenario.shocks)
    # the last stream draws the transfer shares; the others are those of a plurality race
    streams = _streams(generator, 2 + len(scenario.shocks))
    return _race_monte_carlo(scenario, pr, n_draws, streams, tgt, seed, sensitivity, progress)


def _check_size(scenario: Scenario, draws: int, sensitivity: bool, lift_limits: bool) -> None:
    """Check the scenario's members, divisions, candidates and shocks, and the total work."""
    lift = {"lift_limits": lift_limits}
    units = 0
    if scenario.body is not None:
        units = check_count(len(scenario.body.members), "body.members", MAX_MEMBERS,
                            hard=HARD_MAX_MEMBERS, what="the number of members", **lift)
    if scenario.race is not None:
        units = check_count(len(scenario.race.divisions), "race.divisions", MAX_DIVISIONS,
                            hard=HARD_MAX_DIVISIONS, what="the number of divisions", **lift)
        check_count(len(scenario.race.candidates), "race.candidates", MAX_CANDIDATES, minimum=2,
                    hard=HARD_MAX_CANDIDATES, what="the number of candidates", **lift)
    k = check_count(len(scenario.shocks), "shocks", MAX_SHOCKS, minimum=0, hard=HARD_MAX_SHOCKS,
                    what="the number of shocks", **lift)
    if scenario.body is None and scenario.race is None:
        return
    cells = draws * units * (2 * k + 2 if sensitivity else 2)
    if not lift_limits and cells > MAX_DRAW_CELLS:
        raise ValidationError(
            f"draws x {'members' if scenario.body is not None else 'divisions'} x shock sets "
            f"must be at most {MAX_DRAW_CELLS:,}, got {draws:,} x {units:,} x "
            f"{cells // (draws * units)} (fewer draws, or lift the limits)",
            parameter="draws",
        )


def _streams(generator: np.random.Generator, n: int) -> list[np.random.Generator]:
    try:
        return generator.spawn(n)
    except (TypeError, AttributeError, ValueError):  # a generator without a seed sequence
        root = np.random.SeedSequence(int(generator.integers(0, 2**63)))
        return [np.random.default_rng(s) for s in root.spawn(n)]


def _shock_sets(n: int, sensitivity: bool = True) -> list[np.ndarray]:
    """Sets evaluated: none, all, then (for sensitivity) each shock alone, then all but each."""
    sets = [np.zeros(n, dtype=bool), np.ones(n, dtype=bool)]
    if not sensitivity:
        return sets
    for k in range(n):
        alone = np.zeros(n, dtype=bool)
        alone[k] = True
        sets.append(alone)
    for k in range(n):
        but = np.ones(n, dtype=bool)
        but[k] = False
        sets.append(but)
    return sets


def _damages(labels: Sequence[str], p_sets: Sequence[float]) -> tuple[ShockDamage, ...]:
    n = len(labels)
    if len(p_sets) < 2 + 2 * n:
        return ()
    p_none, p_all = p_sets[0], p_sets[1]
    out = [
        ShockDamage(k, labels[k], _clean(p_none - p_sets[2 + k]), _clean(p_sets[2 + n + k] - p_all))
        for k in range(n)
    ]
    return tuple(sorted(out, key=lambda d: (-d.alone, -d.marginal, d.index)))


def _clean(x: float) -> float:
    return 0.0 if abs(x) < 1e-13 else float(x)


def _quantiles(values: np.ndarray, probs: np.ndarray) -> tuple[tuple[float, float], ...]:
    cdf = np.cumsum(probs)
    out = []
    for q in QUANTILE_LEVELS:
        idx = int(np.searchsorted(cdf, q - 1e-12))
        out.append((q, float(values[min(idx, len(values) - 1)])))
    return tuple(out)


def _discrete_margin(values: np.ndarray, probs: np.ndarray, unit: str) -> MarginDistribution:
    keep = probs > 1e-15
    values, probs = values[keep], probs[keep] / probs[keep].sum()
    return MarginDistribution(
        unit,
        tuple(float(v) for v in values),
        tuple(float(p) for p in probs),
        float(values @ probs),
        _quantiles(values, probs),
        False,
    )


# --------------------------------------------------------------------------- bodies


def _body_exact(
    scenario: Scenario, pb: PreparedBody, target: float, seed: int | None, sensitivity: bool
) -> ScenarioResult:
    main = exact_body(pb)
    n_s = len(pb.shock_p)
    if n_s == 0:
        p_sets = [main.p_hold, main.p_hold]
    else:
        p_sets = [
            main.p_hold if s.all() else exact_body(pb, s, with_flips=False).p_hold
            for s in _shock_sets(n_s, sensitivity)
        ]
    values = np.arange(len(main.weight_pmf)) / main.scale - pb.weight_needed
    margin = _discrete_margin(values, main.weight_pmf, "weight")
    candidates = _persuadable(pb)

    def evaluate(chosen: tuple[int, ...]) -> float:
        return exact_body(pb, persuaded=chosen, with_flips=False).p_hold

    wit = _body_wit(pb, evaluate, target, candidates, main.p_hold)
    return ScenarioResult(
        scenario.name,
        "body",
        "exact",
        0,
        seed,
        main.p_hold,
        0.0,
        p_sets[0],
        margin,
        _ranked(pb.names, main.flips),
        _damages(pb.labels, p_sets),
        wit,
    )


def _persuadable(pb: PreparedBody) -> list[int]:
    hit = np.asarray(pb.defects.any(axis=0), dtype=bool)
    return [i for i in range(len(pb.names)) if pb.p_base[i] < 1 or hit[i]]


def _body_wit(
    pb: PreparedBody,
    evaluate: Callable[[tuple[int, ...]], float],
    target: float,
    candidates: list[int],
    p_now: float,
) -> WhatItTakes:
    distance = (1.0 - pb.p_base).tolist()
    chosen, p_after, ok, how = smallest_persuasion(evaluate, target, candidates, p_now, distance)
    return WhatItTakes(target, ok, float(p_after), tuple(pb.names[i] for i in chosen), search=how)


def _ranked(names: Sequence[str], values: np.ndarray) -> dict[str, float]:
    order = sorted(range(len(names)), key=lambda i: (-values[i], i))
    return {names[i]: _clean(float(values[i])) for i in order}


def _body_monte_carlo(
    scenario: Scenario,
    pb: PreparedBody,
    draws: int,
    streams: list[np.random.Generator],
    target: float,
    seed: int | None,
    sensitivity: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ScenarioResult:
    n = len(pb.names)
    n_s = len(pb.shock_p)
    sets = _shock_sets(n_s, sensitivity) if n_s else [np.zeros(0, dtype=bool)]
    hold_counts = np.zeros(len(sets))
    flips = np.zeros(n)
    total_w = float(pb.weights.sum())
    # margin histogram: exact integer grid when weights are small integers, else 200 bins
    integer = bool(np.all(pb.weights == np.rint(pb.weights))) and total_w <= 100_000
    n_bins = int(total_w) + 1 if integer else 200
    hist = np.zeros(n_bins)
    margin_sum = 0.0
    keep = min(draws, max(10_000, min(WIT_DRAWS, WIT_CELLS // max(n, 1))))
    kept_votes: list[np.ndarray] = []
    kept = 0
    m_chunk = body_chunk_size(n)
    base_thresholds = vote_thresholds(pb, pb.p_base)
    done = 0
    while done < draws:
        m = min(m_chunk, draws - done)
        lat = latent_draws(pb, streams[0], m)
        occurred = np.empty((m, n_s), dtype=bool)
        for k in range(n_s):
            occurred[:, k] = streams[1 + k].random(m) < pb.shock_p[k]
        base_votes = lat < base_thresholds
        for j, active in enumerate(sets):
            votes = votes_under(pb, lat, base_votes, occurred, active)
            yes_w, yes_c = yes_totals(pb, votes)
            hold = holds(pb, yes_w, yes_c)
            hold_counts[j] += hold.sum()
            if j == (1 if n_s else 0):
                flips += flip_counts(pb, votes, yes_w, yes_c, hold)
                margin_sum += float(yes_w.sum())
                if integer:
                    hist += np.bincount(np.rint(yes_w).astype(np.int64), minlength=n_bins)[:n_bins]
                else:
                    hist += np.histogram(yes_w, bins=n_bins, range=(0.0, total_w))[0]
                if kept < keep:
                    take = min(m, keep - kept)
                    kept_votes.append(votes[:take].copy())
                    kept += take
        done += m
        if progress is not None:
            progress(done, draws)
    p_sets = _hold_by_set(hold_counts, draws)
    if integer:
        values = np.arange(n_bins, dtype=float) - pb.weight_needed
        margin = _discrete_margin(values, hist / draws, "weight")
    else:
        edges = np.linspace(0.0, total_w, n_bins + 1)
        centres = (edges[:-1] + edges[1:]) / 2 - pb.weight_needed
        probs = hist / draws
        nz = probs > 0
        margin = MarginDistribution(
            "weight",
            tuple(centres[nz].tolist()),
            tuple(probs[nz].tolist()),
            margin_sum / draws - pb.weight_needed,
            _quantiles(centres[nz], probs[nz]),
            True,
        )
    votes_k = np.concatenate(kept_votes)
    yes_w_k, yes_c_k = yes_totals(pb, votes_k)
    missing_w = (~votes_k) * pb.weights

    def evaluate(chosen: tuple[int, ...]) -> float:
        idx = list(chosen)
        w = yes_w_k + missing_w[:, idx].sum(axis=1)
        c = None if yes_c_k is None else yes_c_k + (~votes_k[:, idx]).sum(axis=1)
        return float(holds(pb, w, c).mean())

    p_now_k = float(holds(pb, yes_w_k, yes_c_k).mean())
    candidates = [i for i in _persuadable(pb) if not votes_k[:, i].all()]
    wit = _body_wit(pb, evaluate, target, candidates, p_now_k)
    return _monte_carlo_result(
        scenario,
        "body",
        draws,
        seed,
        p_sets,
        margin,
        _ranked(pb.names, flips / draws),
        _damages(pb.labels, p_sets),
        wit,
    )


# --------------------------------------------------------------------------- races


def _race_monte_carlo(
    scenario: Scenario,
    pr: PreparedRace,
    draws: int,
    streams: list[np.random.Generator],
    target: float,
    seed: int | None,
    sensitivity: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ScenarioResult:
    n_s = len(pr.shock_p)
    sets = _shock_sets(n_s, sensitivity) if n_s else [np.zeros(0, dtype=bool)]
    main_j = 1 if n_s else 0
    hold_counts = np.zeros(len(sets))
    flips = np.zeros(len(pr.divisions))
    deficits = np.empty(draws)
    margins = np.empty(draws)
    m_chunk = race_chunk_size(pr)
    set_matrix = np.array(sets, dtype=bool).reshape(len(sets), n_s)
    counted_in_rounds = pr.rule != "plurality"
    more_rounds = 0
    final_shares = np.empty(draws if counted_in_rounds else 0)
    done = 0
    while done < draws:
        m = min(m_chunk, draws - done)
        chunk = draw_chunk(pr, streams[0], streams[1 : 1 + n_s], m)
        all_totals, ours = evaluate_sets(pr, chunk, set_matrix, main_j)
        assert ours is not None
        transfers = race_transfer_draws(pr, streams[-1], m)
        for j in range(len(sets)):
            if counted_in_rounds:
                hold, deficit, margin, rounds, share = race_count(pr, all_totals[j], transfers)
                if j == main_j:
                    more_rounds += int((rounds > 1).sum())
                    final_shares[done : done + m] = share
            else:
                hold, deficit, margin = race_outcome(pr, all_totals[j])
            hold_counts[j] += hold.sum()
            if j == main_j:
                deficits[done : done + m] = deficit
                margins[done : done + m] = margin
                flips += ((ours >= -deficit[:, None]) & hold[:, None]).sum(axis=0)
        done += m
        if progress is not None:
            progress(done, draws)
    p_sets = _hold_by_set(hold_counts, draws)
    p_hold = p_sets[1]
    counts, edges = np.histogram(margins, bins=100)
    centres = (edges[:-1] + edges[1:]) / 2
    probs = counts / draws
    nz = probs > 0
    qs = tuple((q, float(np.quantile(margins, q))) for q in QUANTILE_LEVELS)
    margin_dist = MarginDistribution(
        "share of counted votes",
        tuple(centres[nz].tolist()),
        tuple(probs[nz].tolist()),
        float(margins.mean()),
        qs,
        True,
    )
    if p_hold >= target:
        wit = WhatItTakes(target, True, float(p_hold), search="none needed")
    else:
        k = max(1, math.ceil(target * draws))
        kth = float(np.partition(deficits, k - 1)[k - 1])
        needed = math.floor(kth) + 1.0 if kth >= 0 else 0.0
        after = float(np.mean(deficits < needed))
        wit = WhatItTakes(
            target,
            after >= target,
            after,
            votes_needed=needed,
            turnout_added=needed / pr.expected_turnout if pr.expected_turnout > 0 else None,
            search="quantile",
        )
    result = _monte_carlo_result(
        scenario,
        "race",
        draws,
        seed,
        p_sets,
        margin_dist,
        _ranked(pr.divisions, flips / draws),
        _damages(pr.labels, p_sets),
        wit,
    )
    if not counted_in_rounds:
        return result
    runoff = RunoffSummary(
        pr.rule,
        more_rounds / draws,
        float(final_shares.mean()),
        tuple((q, float(np.quantile(final_shares, q))) for q in QUANTILE_LEVELS),
    )
    return dataclasses.replace(result, runoff=runoff)


def _hold_by_set(hold_counts: np.ndarray, draws: int) -> list[float]:
    """P(hold) under each shock set; with no shocks the one set stands for both
    "no shocks" and "as drawn", so ``[p_none, p_all, ...]`` always has both."""
    p_sets = (hold_counts / draws).tolist()
    return [p_sets[0], p_sets[0]] if len(p_sets) == 1 else p_sets


def _monte_carlo_result(
    scenario: Scenario,
    kind: str,
    draws: int,
    seed: int | None,
    p_sets: list[float],
    margin: MarginDistribution,
    fragile: dict[str, float],
    damaging: tuple[ShockDamage, ...],
    wit: WhatItTakes,
) -> ScenarioResult:
    p_hold = p_sets[1]
    return ScenarioResult(
        scenario.name,
        kind,
        "monte-carlo",
        draws,
        seed,
        float(p_hold),
        math.sqrt(p_hold * (1 - p_hold) / draws),
        float(p_sets[0]),
        margin,
        fragile,
        damaging,
        wit,
    )
