"""Reviews: what a decision really gained and lost, against what was expected, and for whom.

After a decision, a review records for every constituency what it actually gained and lost.
Against the chosen option's impact cells this gives, per constituency, the error
``actual net - expected net``: negative when the expectation was too rosy. Over many reviews
the calibration report answers "were our expectations too rosy, and for whom?": the mean error
per constituency with a Student t interval, and, for the upsides and downsides that were
foreseen, how often they happened against the likelihood given (calibration in the large) and
the Brier score of those likelihoods.

References
----------
.. [1] Brier, G. W. "Verification of forecasts expressed in terms of probability." Monthly
   Weather Review 78(1), 1-3, 1950. doi:10.1175/1520-0493(1950)078<0001:VOFEIT>2.0.CO;2
.. [2] Flyvbjerg, B. "From Nobel Prize to project management: getting risks right." Project
   Management Journal 37(3), 5-15, 2006. doi:10.1177/875697280603700302 (optimism bias and
   reference-class forecasting).
.. [3] Student. "The probable error of a mean." Biometrika 6(1), 1-25, 1908.
   doi:10.2307/2331554
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from broadfront.analysis.tradeoffs.impacts import ImpactCell
from broadfront.exceptions import ValidationError

__all__ = [
    "CalibrationReport",
    "ConstituencyCalibration",
    "ConstituencyReview",
    "DecisionReview",
    "Outcome",
    "calibrate",
    "review_outcome",
]


@dataclass(frozen=True)
class Outcome:
    """What one constituency actually gained and lost after the decision (sizes >= 0)."""

    constituency: str
    gained: float = 0.0
    lost: float = 0.0


@dataclass(frozen=True)
class ConstituencyReview:
    """Expected against actual for one constituency.

    ``error = actual_net - expected_net``; negative means the expectation was too rosy.
    ``upside_likelihood`` and ``downside_likelihood`` are the likelihoods given beforehand
    (``None`` when no upside, or no downside, was foreseen: size 0); ``upside_happened`` and
    ``downside_happened`` say whether a gain, or a loss, was recorded.
    """

    constituency: str
    expected_upside: float
    expected_downside: float
    expected_net: float
    actual_upside: float
    actual_downside: float
    actual_net: float
    error: float
    upside_likelihood: float | None
    downside_likelihood: float | None
    upside_happened: bool
    downside_happened: bool


@dataclass(frozen=True)
class DecisionReview:
    """A review of one decision: one row per constituency and the totals.

    ``too_rosy_for`` lists the constituencies whose error is the most negative (empty when no
    error is negative).
    """

    decision: str | None
    option: str
    constituencies: tuple[ConstituencyReview, ...]
    expected_net: float
    actual_net: float
    error: float
    too_rosy_for: tuple[str, ...]


@dataclass(frozen=True)
class ConstituencyCalibration:
    """How well one constituency's impacts were foreseen over many reviews.

    Attributes
    ----------
    constituency : str
        A name, or ``"all"`` for every row pooled.
    reviews : int
        Reviews with a row for this constituency.
    mean_expected, mean_actual : float
        Mean expected and actual net effects.
    mean_error : float
        Mean of ``actual - expected``: negative when we were too rosy.
    mean_absolute_error : float
    error_interval : tuple of float or None
        Student t interval for the mean error at the report's confidence (None with fewer than
        two reviews).
    verdict : str
        ``too rosy`` (the interval lies below 0), ``too gloomy`` (above 0), ``no clear bias``,
        or ``too few reviews``.
    upside_predicted, upside_observed : float or None
        Over the foreseen upsides: mean likelihood given, and share that happened.
    downside_predicted, downside_observed : float or None
        The same for foreseen downsides.
    brier : float or None
        Mean squared difference between likelihood given and what happened (0 is perfect,
        0.25 is what always saying 1/2 earns), over foreseen upsides and downsides.
    """

    constituency: str
    reviews: int
    mean_expected: float
    mean_actual: float
    mean_error: float
    mean_absolute_error: float
    error_interval: tuple[float, float] | None
    verdict: str
    upside_predicted: float | None
    upside_observed: float | None
    downside_predicted: float | None
    downside_observed: float | None
    brier: float | None


@dataclass(frozen=True)
class CalibrationReport:
    """Calibration by constituency (sorted by mean error, rosiest first) and overall."""

    by_constituency: tuple[ConstituencyCalibration, ...]
    overall: ConstituencyCalibration
    too_rosy_for: tuple[str, ...]
    confidence: float


def review_outcome(
    expected: Sequence[ImpactCell],
    actual: Sequence[Outcome],
    *,
    decision: str | None = None,
) -> DecisionReview:
    """Compare a chosen option's expected impacts with what each constituency really got.

    For constituency ``c`` with upside ``U`` (likelihood ``p``), downside ``D`` (likelihood
    ``q``), and actual gain ``G`` and loss ``L``: expected net ``Up - Dq``, actual net
    ``G - L``, error ``(G - L) - (Up - Dq)``. A constituency in ``actual`` without an
    expected cell was not foreseen: its expected impact is 0, so a surprise loss shows as a
    negative error.

    Parameters
    ----------
    expected : sequence of ImpactCell
        The chosen option's cells, all for the same option, one per constituency.
    actual : sequence of Outcome
        One outcome per constituency; every expected constituency must have one.
    decision : str, optional
        An id or title carried into the result.

    Returns
    -------
    DecisionReview

    Raises
    ------
    ValidationError
        If the cells are for several options, a constituency repeats, an expected
        constituency has no outcome, or a size or likelihood is out of range.

    References
    ----------
    .. [1] Flyvbjerg, B. "From Nobel Prize to project management: getting risks right."
       Project Management Journal 37(3), 5-15, 2006. doi:10.1177/875697280603700302

    Examples
    --------
    We expected members to gain 4 with likelihood 0.5 (+2) and the neighborhood to lose 2
    with likelihood 0.5 (-1). Members gained 1; the neighborhood lost 3.

    >>> r = review_outcome(
    ...     [ImpactCell("march", "members", upside=4, upside_likelihood=0.5),
    ...      ImpactCell("march", "neighborhood", downside=2, downside_likelihood=0.5)],
    ...     [Outcome("members", gained=1), Outcome("neighborhood", lost=3)])
    >>> [(c.constituency, c.expected_net, c.actual_net, c.error) for c in r.constituencies]
    [('members', 2.0, 1.0, -1.0), ('neighborhood', -1.0, -3.0, -2.0)]
    >>> r.error, r.too_rosy_for
    (-3.0, ('neighborhood',))
    """
    cells = list(expected)
    options = {c.option for c in cells}
    if len(options) > 1:
        raise ValidationError(f"expected cells must be for one option, got {sorted(options)}",
                              parameter="expected")
    option = options.pop() if options else ""
    by_con: dict[str, ImpactCell] = {}
    for k, cell in enumerate(cells):
        if cell.constituency in by_con:
            raise ValidationError(f"constituency {cell.constituency!r} appears twice",
                                  parameter="expected", location=f"expected[{k}]")
        for name in ("upside", "downside"):
            _size(getattr(cell, name), f"expected[{k}].{name}")
        for name in ("upside_likelihood", "downside_likelihood"):
            value = getattr(cell, name)
            if not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ValidationError(f"must be a likelihood between 0 and 1, got {value!r}",
                                      parameter="expected", location=f"expected[{k}].{name}")
        by_con[cell.constituency] = cell
    outcomes: dict[str, Outcome] = {}
    for k, out in enumerate(actual):
        if out.constituency in outcomes:
            raise ValidationError(f"constituency {out.constituency!r} appears twice",
                                  parameter="actual", location=f"actual[{k}]")
        _size(out.gained, f"actual[{k}].gained")
        _size(out.lost, f"actual[{k}].lost")
        outcomes[out.constituency] = out
    missing = [c for c in by_con if c not in outcomes]
    if missing:
        raise ValidationError(f"no actual outcome recorded for {', '.join(map(repr, missing))}",
                              parameter="actual")
    names = list(by_con) + [c for c in outcomes if c not in by_con]
    rows = []
    for name in names:
        cell = by_con.get(name, ImpactCell(option, name))
        out = outcomes[name]
        eu = float(cell.upside) * float(cell.upside_likelihood)
        ed = float(cell.downside) * float(cell.downside_likelihood)
        au, ad = float(out.gained), float(out.lost)
        rows.append(ConstituencyReview(
            constituency=name,
            expected_upside=eu,
            expected_downside=ed,
            expected_net=eu - ed,
            actual_upside=au,
            actual_downside=ad,
            actual_net=au - ad,
            error=(au - ad) - (eu - ed),
            upside_likelihood=float(cell.upside_likelihood) if cell.upside > 0 else None,
            downside_likelihood=float(cell.downside_likelihood) if cell.downside > 0 else None,
            upside_happened=au > 0,
            downside_happened=ad > 0,
        ))
    worst = min((r.error for r in rows), default=0.0)
    rosy = tuple(r.constituency for r in rows if r.error < 0 and r.error == worst)
    exp_total = sum(r.expected_net for r in rows)
    act_total = sum(r.actual_net for r in rows)
    return DecisionReview(decision=decision, option=option, constituencies=tuple(rows),
                          expected_net=exp_total, actual_net=act_total,
                          error=act_total - exp_total, too_rosy_for=rosy)


def calibrate(reviews: Sequence[DecisionReview], *, confidence: float = 0.95) -> CalibrationReport:
    r"""Calibration of expectations over many reviewed decisions, by constituency.

    For each constituency, over the reviews that have a row for it: the mean error
    :math:`\bar e = \frac1n\sum (\text{actual} - \text{expected})` with the Student t interval
    :math:`\bar e \pm t_{n-1} s / \sqrt n`; the verdict is *too rosy* when the whole interval
    lies below 0 and *too gloomy* when it lies above. For the upsides and downsides foreseen
    (size > 0), the mean likelihood given is set beside the share that happened, and the
    Brier score :math:`\frac1m\sum (p - o)^2` measures the likelihoods [1]_.

    Parameters
    ----------
    reviews : sequence of DecisionReview
        From :func:`review_outcome`; constituencies are matched by name.
    confidence : float, default 0.95
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    CalibrationReport

    Raises
    ------
    ValidationError
        If ``confidence`` is not in (0, 1) or ``reviews`` is empty.

    References
    ----------
    .. [1] Brier, G. W. "Verification of forecasts expressed in terms of probability."
       Monthly Weather Review 78(1), 1-3, 1950.
       doi:10.1175/1520-0493(1950)078<0001:VOFEIT>2.0.CO;2
    .. [2] Student. "The probable error of a mean." Biometrika 6(1), 1-25, 1908.
       doi:10.2307/2331554

    Examples
    --------
    Three decisions; each time we expected the neighborhood to come out at 0 and it lost
    1, 2 and 3, while members came out as expected:

    >>> reviews = [review_outcome(
    ...     [ImpactCell("x", "members", upside=2, upside_likelihood=1.0),
    ...      ImpactCell("x", "neighborhood")],
    ...     [Outcome("members", gained=2), Outcome("neighborhood", lost=k)]) for k in (1, 2, 3)]
    >>> report = calibrate(reviews)
    >>> hood = report.by_constituency[0]
    >>> hood.constituency, hood.mean_error, hood.verdict
    ('neighborhood', -2.0, 'no clear bias')
    >>> [round(v, 2) for v in hood.error_interval]
    [-4.48, 0.48]

    The 95% interval (t = 4.303 with 2 degrees of freedom, s = 1: -2 +- 4.303 / sqrt 3)
    still holds 0, so three reviews cannot yet say we were too rosy; at 80% (t = 1.886) the
    interval is -2 +- 1.09 and they can:

    >>> calibrate(reviews, confidence=0.8).by_constituency[0].verdict
    'too rosy'
    >>> report.too_rosy_for, report.by_constituency[1].verdict
    ((), 'no clear bias')
    """
    if (isinstance(confidence, bool) or not isinstance(confidence, int | float)
            or not 0 < confidence < 1):
        raise ValidationError(f"confidence must lie strictly between 0 and 1, got {confidence!r}",
                              parameter="confidence")
    reviews = list(reviews)
    if not reviews:
        raise ValidationError("reviews must hold at least one review, got none",
                              parameter="reviews")
    rows: dict[str, list[ConstituencyReview]] = {}
    for k, review in enumerate(reviews):
        if not isinstance(review, DecisionReview):
            raise ValidationError(f"must be a DecisionReview, got {type(review).__name__}",
                                  parameter="reviews", location=f"reviews[{k}]")
        for row in review.constituencies:
            rows.setdefault(row.constituency, []).append(row)
    if not rows:
        raise ValidationError("the reviews hold no constituency outcomes to calibrate",
                              parameter="reviews")
    per = [_calibration(name, rs, confidence) for name, rs in rows.items()]
    per.sort(key=lambda c: (c.mean_error, c.constituency))
    overall = _calibration("all", [r for rs in rows.values() for r in rs], confidence)
    return CalibrationReport(
        by_constituency=tuple(per),
        overall=overall,
        too_rosy_for=tuple(c.constituency for c in per if c.verdict == "too rosy"),
        confidence=float(confidence),
    )


def _calibration(name: str, rows: list[ConstituencyReview],
                 confidence: float) -> ConstituencyCalibration:
    n = len(rows)
    errors = [r.error for r in rows]
    mean = math.fsum(errors) / n
    interval: tuple[float, float] | None = None
    if n >= 2:
        from scipy.stats import t as student_t

        sd = math.sqrt(math.fsum((e - mean) ** 2 for e in errors) / (n - 1))
        half = float(student_t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
        interval = (mean - half, mean + half)
        if interval[1] < 0:
            verdict = "too rosy"
        elif interval[0] > 0:
            verdict = "too gloomy"
        else:
            verdict = "no clear bias"
    else:
        verdict = "too few reviews"
    ups = [(r.upside_likelihood, r.upside_happened) for r in rows
           if r.upside_likelihood is not None]
    downs = [(r.downside_likelihood, r.downside_happened) for r in rows
             if r.downside_likelihood is not None]
    events = ups + downs
    return ConstituencyCalibration(
        constituency=name,
        reviews=n,
        mean_expected=math.fsum(r.expected_net for r in rows) / n,
        mean_actual=math.fsum(r.actual_net for r in rows) / n,
        mean_error=mean,
        mean_absolute_error=math.fsum(abs(e) for e in errors) / n,
        error_interval=interval,
        verdict=verdict,
        upside_predicted=_mean([p for p, _ in ups]),
        upside_observed=_mean([float(h) for _, h in ups]),
        downside_predicted=_mean([p for p, _ in downs]),
        downside_observed=_mean([float(h) for _, h in downs]),
        brier=_mean([(p - float(h)) ** 2 for p, h in events]),
    )


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _size(value: float, where: str) -> None:
    if (isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
            or value < 0):
        raise ValidationError(f"must be a finite size >= 0, got {value!r}",
                              parameter=where.split("[")[0], location=where)
