"""Credit for wins: each partner's share of a win under a transparent rule, with its evidence.

The rule (documented in docs/reliability.md): every contribution to an outcome is recorded
with a partner, a unit, an amount, a status (``verified``, ``claimed`` or ``disputed``) and
its evidence. A contribution counts ``amount * weight[status]`` (by default verified 1,
claimed 1/2, disputed 0). Within a unit a partner's credit is its counted amount over the
unit's counted total; its share of the win is the average of its unit credits, weighted by
``unit_weights`` (equal by default), over the units where anything counts. For one unit this
is the Shapley value of the additive game whose worth is the counted amount (Shapley 1953):
in an additive game every player's value is its own stand-alone worth. Pending claims make the
share uncertain, so each share comes with the range over every way the claims could be settled:
``share_low`` counts the partner's own unverified contributions at 0 and everyone else's as
if verified; ``share_high`` the reverse (each bound averages over the units where anything
counts in that settlement).

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the Theory of Games
II*, Annals of Mathematics Studies 28, Princeton University Press, 307-317.
DOI 10.1515/9781400881970-018.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from broadfront.analysis.reliability._arrays import as_float, as_labels, factorize
from broadfront.exceptions import ValidationError

CONTRIBUTION_STATUSES = ("verified", "claimed", "disputed")
DEFAULT_WEIGHTS: Mapping[str, float] = {"verified": 1.0, "claimed": 0.5, "disputed": 0.0}


@dataclass(frozen=True)
class CreditShare:
    """One partner's credit for a win.

    Attributes
    ----------
    partner : str
    share : float
        Share of the win under the rule (shares add up to 1 when anything counts).
    share_low, share_high : float
        Range of the share over every way pending (claimed or disputed) contributions could
        be settled.
    verified, claimed, disputed : int
        Number of contributions of each status.
    amounts : tuple of (unit, verified, claimed, disputed) tuples
        Amounts per unit and status.
    evidence : tuple of str
        ``"<status> <unit> <amount>: <evidence>"`` for every contribution, verified first.
    """

    partner: str
    share: float
    share_low: float
    share_high: float
    verified: int
    claimed: int
    disputed: int
    amounts: tuple[tuple[str, float, float, float], ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class CreditResult:
    """Shares of every partner, sorted by share (largest first), and the rule applied.

    Attributes
    ----------
    shares : tuple of CreditShare
    weights : tuple of (status, weight) pairs
    unit_weights : tuple of (unit, weight) pairs
        Weight of each unit that counted in ``share``.
    rule : str
        The rule in plain words.
    """

    shares: tuple[CreditShare, ...]
    weights: tuple[tuple[str, float], ...]
    unit_weights: tuple[tuple[str, float], ...]
    rule: str


def credit_for_win(
    partners: Sequence[str] | np.ndarray,
    amounts: Sequence[float] | np.ndarray,
    statuses: Sequence[str] | np.ndarray,
    units: Sequence[str] | np.ndarray | None = None,
    evidence: Sequence[str] | None = None,
    *,
    weights: Mapping[str, float] | None = None,
    unit_weights: Mapping[str, float] | None = None,
) -> CreditResult:
    """Share each partner's credit for a win from its recorded contributions.

    Partner ``p``'s credit in unit ``u`` is ``c_pu / C_u`` where ``c_pu = sum amount *
    weight[status]`` over its contributions in ``u`` and ``C_u = sum_p c_pu``; its share is
    ``sum_u W_u c_pu / C_u / sum_u W_u`` over units with ``C_u > 0``. The range
    ``[share_low, share_high]`` settles pending contributions against, then for, the partner.

    Parameters
    ----------
    partners : array_like of str
        Partner of each contribution.
    amounts : array_like of float
        Size of each contribution (doors, dollars, members, ...; >= 0).
    statuses : array_like of str
        ``"verified"``, ``"claimed"`` or ``"disputed"``.
    units : array_like of str, optional
        Unit of each contribution (one unit, ``"contribution"``, when omitted).
    evidence : sequence of str, optional
        Evidence of each contribution (a link, a sign-in sheet, a witness).
    weights : mapping, optional
        Weight of each status in [0, 1] (default verified 1, claimed 0.5, disputed 0); a
        pending status may not weigh more than ``verified``.
    unit_weights : mapping, optional
        Weight of each unit (default 1 each); units absent from it weigh 1.

    Returns
    -------
    CreditResult

    Raises
    ------
    ValidationError
        On an unknown status, a weight outside [0, 1], a negative amount or mismatched lengths.

    References
    ----------
    Shapley, L. S. (1953). A value for n-person games. In *Contributions to the Theory of Games
    II*, Annals of Mathematics Studies 28, 307-317. DOI 10.1515/9781400881970-018.

    Examples
    --------
    Faith's 30 verified doors count 30, the Union's 20 claimed doors count 10, so Faith has
    3/4; if the Union's claim were verified Faith would have 3/5, if dropped all of it:

    >>> r = credit_for_win(["Faith", "Union"], [30, 20], ["verified", "claimed"])
    >>> [(s.partner, s.share, s.share_low, s.share_high) for s in r.shares]
    [('Faith', 0.75, 0.6, 1.0), ('Union', 0.25, 0.0, 0.4)]
    """
    partner_l = as_labels(partners, "partners").astype(str)
    size = partner_l.shape[0]
    amount = as_float(amounts, "amounts", size)
    status_l = as_labels(statuses, "statuses").astype(str)
    if status_l.shape != (size,):
        raise ValidationError(f"statuses must have length {size}", parameter="statuses")
    unknown = ~np.isin(status_l, CONTRIBUTION_STATUSES)
    if np.any(unknown):
        raise ValidationError(
            f"status must be one of {', '.join(CONTRIBUTION_STATUSES)}, got "
            f"{status_l[int(np.argmax(unknown))]!r}", parameter="statuses")
    unit_l = (np.full(size, "contribution") if units is None
              else as_labels(units, "units").astype(str))
    if unit_l.shape != (size,):
        raise ValidationError(f"units must have length {size}", parameter="units")
    ev = [""] * size if evidence is None else [str(e) for e in evidence]
    if len(ev) != size:
        raise ValidationError(f"evidence must have length {size}", parameter="evidence")
    w = _check_weights(weights)

    p_uniq, p_code = factorize(partner_l)
    u_uniq, u_code = factorize(unit_l)
    s_code = np.select([status_l == s for s in CONTRIBUTION_STATUSES], [0, 1, 2])
    n_p, n_u = p_uniq.size, u_uniq.size
    table = np.zeros((n_p, n_u, 3))  # amounts by partner, unit, status
    np.add.at(table, (p_code, u_code, s_code), amount)
    status_w = np.array([w[s] for s in CONTRIBUTION_STATUSES])
    counted = table @ status_w  # (partner, unit)
    total = counted.sum(axis=0)
    uw = np.array([_unit_weight(unit_weights, str(u)) for u in u_uniq])

    share = _average(counted, total, uw)
    wv = w["verified"]
    verified = table[:, :, 0] * wv
    pending = (table[:, :, 1] + table[:, :, 2]) * wv  # a pending contribution, if confirmed
    verified_total = verified.sum(axis=0)
    low = _average_scenario(verified, verified_total + pending.sum(axis=0) - pending, uw)
    high = _average_scenario(verified + pending, verified_total + pending, uw)

    counts = np.zeros((n_p, 3), dtype=np.int64)
    np.add.at(counts, (p_code, s_code), 1)
    order = np.lexsort((np.arange(size), s_code, p_code))
    evidence_by: list[list[str]] = [[] for _ in range(n_p)]
    for j in order.tolist():  # contributions to one win: a short list
        text = f"{status_l[j]} {unit_l[j]} {amount[j]:g}"
        evidence_by[p_code[j]].append(f"{text}: {ev[j]}" if ev[j] else text)
    shares = [
        CreditShare(
            partner=str(p_uniq[i]), share=float(share[i]), share_low=float(low[i]),
            share_high=float(high[i]), verified=int(counts[i, 0]), claimed=int(counts[i, 1]),
            disputed=int(counts[i, 2]),
            amounts=tuple((str(u_uniq[u]), float(table[i, u, 0]), float(table[i, u, 1]),
                           float(table[i, u, 2])) for u in range(n_u) if table[i, u].sum() > 0),
            evidence=tuple(evidence_by[i]),
        )
        for i in range(n_p)
    ]
    shares.sort(key=lambda s: (-s.share, s.partner))
    rule = (
        "Each contribution counts its amount times the weight of its status ("
        + ", ".join(f"{s} {w[s]:g}" for s in CONTRIBUTION_STATUSES)
        + "). In each unit a partner's credit is its counted amount over the unit's counted "
        "total; its share is the weighted average over units where anything counts. The range "
        "settles pending (claimed, disputed) contributions against, then for, the partner."
    )
    return CreditResult(
        shares=tuple(shares),
        weights=tuple((s, w[s]) for s in CONTRIBUTION_STATUSES),
        unit_weights=tuple((str(u), float(x)) for u, x, t in zip(u_uniq, uw, total, strict=True)
                           if t > 0),
        rule=rule,
    )


# ----------------------------------------------------------------------------- private steps


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS)
    if weights is not None:
        for key, value in weights.items():
            if key not in CONTRIBUTION_STATUSES:
                raise ValidationError(f"weights has an unknown status {key!r}",
                                      parameter="weights")
            if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
                raise ValidationError(f"weight of {key!r} must lie in [0, 1], got {value!r}",
                                      parameter="weights")
            w[key] = float(value)
    for key in ("claimed", "disputed"):
        if w[key] > w["verified"]:
            raise ValidationError(
                f"weight of {key!r} ({w[key]:g}) must not exceed the weight of 'verified' "
                f"({w['verified']:g})", parameter="weights")
    return w


def _unit_weight(unit_weights: Mapping[str, float] | None, unit: str) -> float:
    if unit_weights is None or unit not in unit_weights:
        return 1.0
    value = unit_weights[unit]
    if not isinstance(value, int | float) or not np.isfinite(value) or value < 0:
        raise ValidationError(f"unit weight of {unit!r} must be >= 0, got {value!r}",
                              parameter="unit_weights")
    return float(value)


def _average(counted: np.ndarray, total: np.ndarray, uw: np.ndarray) -> np.ndarray:
    live = (total > 0) & (uw > 0)
    if not np.any(live):
        return np.zeros(counted.shape[0])
    per_unit = counted[:, live] / total[live]
    return (per_unit @ uw[live]) / uw[live].sum()


def _average_scenario(num: np.ndarray, den: np.ndarray, uw: np.ndarray) -> np.ndarray:
    """Per partner, the unit-weighted mean of num/den over the units live (den > 0) for it."""
    live = (den > 1e-300) & (uw > 0)
    per_unit = np.where(live, num / np.where(live, den, 1.0), 0.0)
    weight = live * uw
    total = weight.sum(axis=1)
    return np.where(total > 0, (per_unit * weight).sum(axis=1) / np.where(total > 0, total, 1.0),
                    0.0)
