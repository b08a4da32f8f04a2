"""The impact matrix: who bears the downside of each option, and who gets the upside.

A decision's options are crossed with the constituencies it touches (our members, a partner's
members, a neighborhood, staff, the coalition, an opponent). Each cell holds an *upside* (a gain
of some size that happens with some likelihood) and a *downside* (a loss of some size, with its
own likelihood). The engine turns the matrix into:

* the expected net effect of each option for each constituency,
  ``upside * p_upside - downside * p_downside``, and its (optionally weighted) total;
* for each option, the constituency bearing the largest expected downside and the one getting
  the largest expected upside;
* the options that are *dominated*: another option is at least as good for every constituency
  and strictly better for one (Pareto dominance on expected net effects);
* two distribution-sensitive summaries beside the plain total, so that a cost falling on one
  constituency is not averaged away: the worst-off constituency's expected net effect (the
  maximin, or Rawlsian, view) and a prioritarian score with a documented inequality-aversion
  parameter.

The prioritarian score transforms each constituency's expected net effect ``x`` with the
exponential (Kolm-Pollak) function, which is defined for losses as well as gains::

    g(x) = (s / eps) * (1 - exp(-eps * x / s)),        g(x) = x when eps = 0,

and adds them up: ``score = sum_c w_c * g(x_c)``. ``eps`` (``inequality_aversion``) is
dimensionless; ``s`` (``scale``) is by default the largest absolute expected net effect in the
matrix, so the score is in the same units as the total. With ``eps = 1`` a loss of size ``s``
weighs ``e = 2.72`` times as much as a gain of size ``s``; ``eps = 0`` gives the plain total.
Because ``g(0) = 0``, a constituency an option leaves untouched adds nothing, and because ``s``
scales with the impacts, multiplying every size by ``k > 0`` multiplies the score by ``k``.
Atkinson's index is the better-known inequality-averse measure, but it needs positive levels
of well-being; net effects of a decision are changes and are often negative, which is why the
translation-invariant Kolm-Pollak family is used here.

References
----------
.. [1] Kolm, S.-C. "Unequal inequalities I." Journal of Economic Theory 12(3), 416-442, 1976.
   doi:10.1016/0022-0531(76)90037-5
.. [2] Pollak, R. A. "Additive utility functions and linear Engel curves." Review of Economic
   Studies 38(4), 401-414, 1971. doi:10.2307/2296686
.. [3] Parfit, D. "Equality and priority." Ratio 10(3), 202-221, 1997.
   doi:10.1111/1467-9329.00040
.. [4] Rawls, J. A Theory of Justice. Harvard University Press, 1971 (the maximin view).
.. [5] Atkinson, A. B. "On the measurement of inequality." Journal of Economic Theory 2(3),
   244-263, 1970. doi:10.1016/0022-0531(70)90039-6
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from broadfront.exceptions import ValidationError

__all__ = [
    "HARD_MAX_CONSTITUENCIES",
    "MAX_CONSTITUENCIES",
    "ImpactCell",
    "ImpactSummary",
    "OptionImpact",
    "impact_arrays",
    "prioritarian_transform",
    "summarize_impacts",
]

#: Most constituencies of an impact matrix (soft limit; dominance compares every pair of
#: options over every constituency).
MAX_CONSTITUENCIES = 100
#: Most constituencies when limits are lifted.
HARD_MAX_CONSTITUENCIES = 10_000


@dataclass(frozen=True)
class ImpactCell:
    """One cell of the impact matrix: an option's upside and downside for one constituency.

    Sizes are non-negative and on the decision's common scale (a downside of size 2 is a loss
    of 2); likelihoods are probabilities in [0, 1].
    """

    option: str
    constituency: str
    upside: float = 0.0
    upside_likelihood: float = 0.0
    downside: float = 0.0
    downside_likelihood: float = 0.0


@dataclass(frozen=True)
class OptionImpact:
    """What one option does, summed up and broken down by constituency.

    Attributes
    ----------
    option : str
    expected_net : float
        Weighted total of the constituencies' expected net effects (the plain total).
    expected_upside, expected_downside : float
        Weighted totals of expected gains and expected losses (both non-negative).
    worst_off : tuple of str
        The affected constituencies with the lowest expected net effect (several when tied;
        empty when the decision touches no constituency).
    worst_off_net : float or None
        Their expected net effect (the maximin value).
    largest_downside : tuple of str
        The constituencies bearing the largest expected downside (empty when no downside).
    largest_expected_downside : float
    largest_upside : tuple of str
        The constituencies getting the largest expected upside (empty when no upside).
    largest_expected_upside : float
    prioritarian_score : float
        Sum of weighted Kolm-Pollak transforms of the expected net effects (see the module).
    dominated_by : tuple of str
        Options at least as good for every constituency and strictly better for one.
    """

    option: str
    expected_net: float
    expected_upside: float
    expected_downside: float
    worst_off: tuple[str, ...]
    worst_off_net: float | None
    largest_downside: tuple[str, ...]
    largest_expected_downside: float
    largest_upside: tuple[str, ...]
    largest_expected_upside: float
    prioritarian_score: float
    dominated_by: tuple[str, ...]


@dataclass(frozen=True)
class ImpactSummary:
    """The impact matrix summarized (see :func:`summarize_impacts`).

    Attributes
    ----------
    options, constituencies : tuple of str
    weights : numpy.ndarray
        Constituency weights used in the totals and the prioritarian score.
    expected_upside, expected_downside, expected_net : numpy.ndarray
        Option x constituency matrices (read-only) of ``size * likelihood`` and their difference.
    by_option : tuple of OptionImpact
        One summary per option, in the order of ``options``.
    dominated : tuple of str
        Options dominated by another option for every constituency.
    affected : tuple of str
        Constituencies with a non-zero expected upside or downside under some option.
    inequality_aversion : float
    scale : float
        The scale ``s`` of the prioritarian transform.
    """

    options: tuple[str, ...]
    constituencies: tuple[str, ...]
    weights: np.ndarray
    expected_upside: np.ndarray
    expected_downside: np.ndarray
    expected_net: np.ndarray
    by_option: tuple[OptionImpact, ...]
    dominated: tuple[str, ...]
    affected: tuple[str, ...]
    inequality_aversion: float
    scale: float

    def option(self, name: str) -> OptionImpact:
        """The summary of option ``name``."""
        for row in self.by_option:
            if row.option == name:
                return row
        raise ValidationError(f"option must be one of {list(self.options)}, got {name!r}",
                              parameter="option")


def prioritarian_transform(
    x: ArrayLike, *, inequality_aversion: float = 1.0, scale: float = 1.0
) -> np.ndarray:
    r"""Kolm-Pollak (exponential) prioritarian transform of expected net effects.

    .. math::

        g(x) = \frac{s}{\varepsilon}\left(1 - e^{-\varepsilon x / s}\right), \qquad
        g(x) = x \text{ when } \varepsilon = 0.

    ``g`` is increasing and concave, ``g(0) = 0``, and ``g(-s) / g(s) = -e^{\varepsilon}``: a
    loss of size ``s`` weighs ``e^eps`` times as much as a gain of the same size.

    Parameters
    ----------
    x : array_like
        Expected net effects (gains positive, losses negative).
    inequality_aversion : float, default 1.0
        The dimensionless aversion ``eps >= 0``; 0 gives the identity (the plain total).
    scale : float, default 1.0
        The scale ``s > 0`` in the units of ``x``.

    Returns
    -------
    numpy.ndarray
        ``g(x)``, same shape as ``x``.

    Raises
    ------
    ValidationError
        If ``inequality_aversion`` is negative or not finite, or ``scale`` is not positive.

    References
    ----------
    .. [1] Kolm, S.-C. "Unequal inequalities I." Journal of Economic Theory 12(3), 416-442,
       1976. doi:10.1016/0022-0531(76)90037-5
    .. [2] Parfit, D. "Equality and priority." Ratio 10(3), 202-221, 1997.
       doi:10.1111/1467-9329.00040

    Examples
    --------
    A gain of 1 counts 1 - 1/e = 0.632, a loss of 1 counts -(e - 1) = -1.718:

    >>> prioritarian_transform([1.0, 0.0, -1.0]).round(3).tolist()
    [0.632, 0.0, -1.718]
    >>> prioritarian_transform([1.0, -1.0], inequality_aversion=0).tolist()
    [1.0, -1.0]
    """
    eps = _check_aversion(inequality_aversion)
    if not isinstance(scale, int | float) or not math.isfinite(scale) or scale <= 0:
        raise ValidationError(f"scale must be a positive number, got {scale!r}", parameter="scale")
    arr = np.asarray(x, dtype=float)
    if eps == 0.0:
        return arr.copy()
    return (scale / eps) * -np.expm1(-eps * arr / scale)


def impact_arrays(
    options: Sequence[str],
    constituencies: Sequence[str],
    cells: Iterable[ImpactCell],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Arrange impact cells into the four option x constituency arrays.

    Cells that are absent mean "no impact" (all zero).

    Parameters
    ----------
    options, constituencies : sequence of str
        Row and column labels.
    cells : iterable of ImpactCell
        At most one cell per (option, constituency).

    Returns
    -------
    tuple of numpy.ndarray
        ``(upside, upside_likelihood, downside, downside_likelihood)``, each of shape
        ``(len(options), len(constituencies))``.

    Raises
    ------
    ValidationError
        If a cell names an unknown option or constituency, or a pair appears twice
        (``parameter`` is ``"cells"``, ``location`` is ``cells[i]``).

    References
    ----------
    See the module docstring: the matrix is the input of the Kolm-Pollak prioritarian
    score (Kolm 1976) and of the maximin and Pareto summaries.

    Examples
    --------
    >>> up, pu, down, pd = impact_arrays(["A", "B"], ["staff"],
    ...     [ImpactCell("B", "staff", upside=2, upside_likelihood=0.5)])
    >>> up.tolist(), pu.tolist(), down.tolist()
    ([[0.0], [2.0]], [[0.0], [0.5]], [[0.0], [0.0]])
    """
    opt_index = {name: i for i, name in enumerate(options)}
    con_index = {name: j for j, name in enumerate(constituencies)}
    shape = (len(options), len(constituencies))
    arrays = [np.zeros(shape) for _ in range(4)]
    seen: dict[tuple[int, int], int] = {}
    for k, cell in enumerate(cells):
        where = f"cells[{k}]"
        if cell.option not in opt_index:
            raise ValidationError(
                f"unknown option {cell.option!r} (options are {', '.join(options)})",
                parameter="cells", location=f"{where}.option")
        if cell.constituency not in con_index:
            raise ValidationError(
                f"unknown constituency {cell.constituency!r} "
                f"(constituencies are {', '.join(constituencies)})",
                parameter="cells", location=f"{where}.constituency")
        key = (opt_index[cell.option], con_index[cell.constituency])
        if key in seen:
            raise ValidationError(
                f"option {cell.option!r} and constituency {cell.constituency!r} already have "
                f"an impact in cells[{seen[key]}]", parameter="cells", location=where)
        seen[key] = k
        values = (cell.upside, cell.upside_likelihood, cell.downside, cell.downside_likelihood)
        for arr, value in zip(arrays, values, strict=True):
            arr[key] = value
    return arrays[0], arrays[1], arrays[2], arrays[3]


def summarize_impacts(
    options: Sequence[str],
    constituencies: Sequence[str],
    upside: ArrayLike,
    upside_likelihood: ArrayLike,
    downside: ArrayLike,
    downside_likelihood: ArrayLike,
    *,
    weights: Sequence[float] | None = None,
    inequality_aversion: float = 1.0,
    scale: float | None = None,
) -> ImpactSummary:
    r"""Summarize an options x constituencies impact matrix.

    For option ``i`` and constituency ``c`` the expected upside is ``U_ic * p_ic``, the expected
    downside ``D_ic * q_ic`` and the expected net effect ``x_ic = U_ic p_ic - D_ic q_ic``
    (upside and downside are separate events; their likelihoods need not add up to 1).
    With constituency weights ``w`` (default 1 each):

    * plain total: ``sum_c w_c x_ic``;
    * worst-off: ``min_c x_ic`` over the *affected* constituencies (those with a non-zero
      expected upside or downside under some option; a constituency that no option touches is
      not a party to the decision);
    * prioritarian score: ``sum_c w_c g(x_ic)`` with the Kolm-Pollak transform ``g`` of
      :func:`prioritarian_transform`;
    * option ``j`` dominates option ``i`` when ``x_jc >= x_ic`` for every constituency and
      ``x_jc > x_ic`` for one (compared with a relative tolerance of 1e-9).

    Parameters
    ----------
    options : sequence of str
        Option names, distinct (the rows).
    constituencies : sequence of str
        Constituency names, distinct (the columns).
    upside, downside : array_like, shape (n_options, n_constituencies)
        Sizes of the possible gain and loss, finite and >= 0.
    upside_likelihood, downside_likelihood : array_like, same shape
        Their likelihoods, in [0, 1].
    weights : sequence of float, optional
        One non-negative weight per constituency (for example its size, or how much the
        organization answers to it); default 1 each. Weights enter the totals and the
        prioritarian score, not the worst-off view.
    inequality_aversion : float, default 1.0
        ``eps >= 0`` of the prioritarian transform; 0 makes the score equal the plain total.
    scale : float, optional
        ``s > 0`` of the transform; default the largest absolute expected net effect in the
        matrix (1 when all are zero).

    Returns
    -------
    ImpactSummary

    Raises
    ------
    ValidationError
        If names repeat, shapes disagree, a size is negative or not finite, a likelihood lies
        outside [0, 1] (the message names the array and the cell), or a weight is negative.

    References
    ----------
    .. [1] Kolm, S.-C. "Unequal inequalities I." Journal of Economic Theory 12(3), 416-442,
       1976. doi:10.1016/0022-0531(76)90037-5
    .. [2] Parfit, D. "Equality and priority." Ratio 10(3), 202-221, 1997.
       doi:10.1111/1467-9329.00040
    .. [3] Rawls, J. A Theory of Justice. Harvard University Press, 1971.

    Examples
    --------
    Two options, two constituencies. Option A gains our members 4 with likelihood 0.5 (+2) and
    costs the neighborhood 3 with likelihood 0.5 (-1.5); option B gains each 1 for sure.

    >>> s = summarize_impacts(["A", "B"], ["members", "neighborhood"],
    ...     upside=[[4, 0], [1, 1]], upside_likelihood=[[0.5, 0], [1, 1]],
    ...     downside=[[0, 3], [0, 0]], downside_likelihood=[[0, 0.5], [0, 0]])
    >>> s.expected_net.tolist()
    [[2.0, -1.5], [1.0, 1.0]]
    >>> a, b = s.by_option
    >>> a.expected_net, b.expected_net
    (0.5, 2.0)
    >>> a.worst_off, a.worst_off_net, a.largest_downside, a.largest_upside
    (('neighborhood',), -1.5, ('neighborhood',), ('members',))
    >>> s.dominated
    ()

    The plain totals favour B by 1.5; the prioritarian score (scale s = 2, the largest
    absolute effect) widens the gap, since A's loss weighs more than its gain:
    2(1 - e^-1) + 2(1 - e^0.75) = 1.264 - 2.234 for A, 2 * 2(1 - e^-0.5) for B.

    >>> round(a.prioritarian_score, 3), round(b.prioritarian_score, 3)
    (-0.97, 1.574)
    """
    opts = _check_names(options, "options")
    cons = _check_names(constituencies, "constituencies")
    shape = (len(opts), len(cons))
    up = _check_matrix(upside, "upside", shape, opts, cons, probability=False)
    pu = _check_matrix(upside_likelihood, "upside_likelihood", shape, opts, cons, probability=True)
    down = _check_matrix(downside, "downside", shape, opts, cons, probability=False)
    pd = _check_matrix(downside_likelihood, "downside_likelihood", shape, opts, cons,
                       probability=True)
    if weights is None:
        w = np.ones(len(cons))
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != (len(cons),):
            raise ValidationError(
                f"weights must have one value per constituency ({len(cons)}), got {w.shape}",
                parameter="weights")
        bad = ~np.isfinite(w) | (w < 0)
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise ValidationError(
                f"weights must be finite and >= 0, got {float(w[j])!r} for {cons[j]!r}",
                parameter="weights")
    eps = _check_aversion(inequality_aversion)

    eu = up * pu
    ed = down * pd
    net = eu - ed
    if scale is None:
        biggest = float(np.abs(net).max()) if net.size else 0.0
        s = biggest if biggest > 0 else 1.0
    else:
        s = float(scale)
    g = prioritarian_transform(net, inequality_aversion=eps, scale=s)

    affected_mask = ((eu != 0) | (ed != 0)).any(axis=0) if net.size else np.zeros(len(cons), bool)
    tol = 1e-9 * max(1.0, float(np.abs(net).max()) if net.size else 0.0)
    dominated_by = _dominance(net, tol)

    rows = []
    for i, name in enumerate(opts):
        if affected_mask.any():
            worst_value = float(net[i, affected_mask].min())
            worst = tuple(cons[j] for j in range(len(cons))
                          if affected_mask[j] and net[i, j] <= worst_value + tol)
            worst_net: float | None = worst_value
        else:
            worst, worst_net = (), None
        rows.append(OptionImpact(
            option=name,
            expected_net=float(w @ net[i]),
            expected_upside=float(w @ eu[i]),
            expected_downside=float(w @ ed[i]),
            worst_off=worst,
            worst_off_net=worst_net,
            largest_downside=_argmax_names(ed[i], cons, tol),
            largest_expected_downside=float(ed[i].max()) if len(cons) else 0.0,
            largest_upside=_argmax_names(eu[i], cons, tol),
            largest_expected_upside=float(eu[i].max()) if len(cons) else 0.0,
            prioritarian_score=float(w @ g[i]),
            dominated_by=tuple(opts[k] for k in dominated_by[i]),
        ))
    for arr in (w, eu, ed, net):
        arr.setflags(write=False)
    return ImpactSummary(
        options=opts,
        constituencies=cons,
        weights=w,
        expected_upside=eu,
        expected_downside=ed,
        expected_net=net,
        by_option=tuple(rows),
        dominated=tuple(r.option for r in rows if r.dominated_by),
        affected=tuple(c for c, hit in zip(cons, affected_mask, strict=True) if hit),
        inequality_aversion=eps,
        scale=s,
    )


def _check_names(names: Sequence[str], parameter: str) -> tuple[str, ...]:
    if isinstance(names, str):
        raise ValidationError(f"{parameter} must be a list of names, got the string {names!r}",
                              parameter=parameter)
    out = tuple(names)
    seen: set[str] = set()
    for k, name in enumerate(out):
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"{parameter}[{k}] must be a non-empty string, got {name!r}",
                                  parameter=parameter)
        if name in seen:
            raise ValidationError(f"{parameter} must be distinct, {name!r} appears twice",
                                  parameter=parameter)
        seen.add(name)
    return out


def _check_matrix(
    values: ArrayLike,
    parameter: str,
    shape: tuple[int, int],
    options: Sequence[str],
    constituencies: Sequence[str],
    *,
    probability: bool,
) -> np.ndarray:
    try:
        arr = np.array(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{parameter} must be a numeric matrix ({exc})",
                              parameter=parameter) from None
    if arr.shape != shape:
        raise ValidationError(
            f"{parameter} must have shape {shape} (options x constituencies), got {arr.shape}",
            parameter=parameter)
    if probability:
        bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
        rule = "must be a likelihood between 0 and 1"
    else:
        bad = ~np.isfinite(arr) | (arr < 0)
        rule = "must be a finite size >= 0"
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise ValidationError(
            f"{parameter} {rule}, got {float(arr[i, j])!r} for option {options[i]!r} and "
            f"constituency {constituencies[j]!r}", parameter=parameter)
    return arr


def _check_aversion(value: float) -> float:
    if (not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value)
            or value < 0):
        raise ValidationError(
            f"inequality_aversion must be a finite number >= 0, got {value!r}",
            parameter="inequality_aversion")
    return float(value)


def _argmax_names(values: np.ndarray, names: Sequence[str], tol: float) -> tuple[str, ...]:
    if values.size == 0:
        return ()
    top = float(values.max())
    if top <= 0:
        return ()
    return tuple(n for n, v in zip(names, values, strict=True) if v >= top - tol)


def _dominance(net: np.ndarray, tol: float) -> list[list[int]]:
    n = net.shape[0]
    out: list[list[int]] = [[] for _ in range(n)]
    if net.shape[1] == 0:
        return out
    for i in range(n):
        for j in range(n):
            if i != j and np.all(net[j] >= net[i] - tol) and np.any(net[j] > net[i] + tol):
                out[i].append(j)
    return out
