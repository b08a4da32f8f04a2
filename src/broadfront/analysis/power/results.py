"""The named results of the power indices (:mod:`.indices` re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = ["ColemanResult", "IndexResult"]


@dataclass(frozen=True)
class IndexResult:
    """One power index of every player.

    Attributes
    ----------
    index : str
        ``"banzhaf"``, ``"shapley_shubik"``, ``"holler"``, ``"deegan_packel"`` or ``"johnston"``.
    names : tuple of str
        Player names, in player order.
    values : numpy.ndarray
        The normalized index (sums to 1).
    method : str
        ``"exact"`` (exact integers or rationals, or a table with a stated ``error_bound``),
        ``"float"`` (scaled floating point with ``error_bound``) or ``"sample"`` (Monte Carlo).
    standard_errors : numpy.ndarray or None
        Standard errors of ``values`` when sampled.
    samples : int or None
        Number of Monte Carlo samples when sampled.
    swings : tuple of int or None
        Banzhaf only: exact number of coalitions of the other players that ``i`` turns from
        losing into winning.
    absolute : numpy.ndarray or None
        Banzhaf only: the absolute (Penrose) index, ``swings / 2^(n-1)``, the probability that
        ``i`` is decisive when all others vote independently with probability one half.
    error_bound : float or None
        A bound on the absolute error of ``values`` (and ``absolute``) due to floating point.
    exact_values : tuple of Fraction or None
        Exact rational values, when the game was small enough to enumerate.
    """

    index: str
    names: tuple[str, ...]
    values: np.ndarray
    method: str
    standard_errors: np.ndarray | None = None
    samples: int | None = None
    swings: tuple[int, ...] | None = None
    absolute: np.ndarray | None = None
    error_bound: float | None = None
    exact_values: tuple[Fraction, ...] | None = None

    def as_dict(self) -> dict[str, float]:
        """Player name to normalized value."""
        return {n: float(v) for n, v in zip(self.names, self.values, strict=True)}


@dataclass(frozen=True)
class ColemanResult:
    """Coleman's three measures.

    Attributes
    ----------
    names : tuple of str
    act : float
        Power of the collectivity to act: share of all ``2^n`` coalitions that win.
    prevent : numpy.ndarray
        Power of each member to prevent action: swings / number of winning coalitions.
    initiate : numpy.ndarray
        Power of each member to initiate action: swings / number of losing coalitions.
    winning : int or None
        Exact number of winning coalitions (None when sampled).
    method : str
        As in :class:`IndexResult`.
    standard_errors : numpy.ndarray or None
        Standard errors of ``prevent`` when sampled.
    samples : int or None
    """

    names: tuple[str, ...]
    act: float
    prevent: np.ndarray
    initiate: np.ndarray
    winning: int | None
    method: str
    standard_errors: np.ndarray | None = None
    samples: int | None = None
