"""Ideal points from roll calls: the binary IRT model fitted by the EM algorithm.

The model (Clinton, Jackman and Rivers 2004) places member :math:`i` at
:math:`x_i \\in \\mathbb{R}^d` and gives vote :math:`j` an intercept :math:`\\alpha_j` and a
discrimination :math:`\\beta_j \\in \\mathbb{R}^d`:

.. math::

    y^*_{ij} = \\alpha_j + \\beta_j^\\top x_i + \\varepsilon_{ij}, \\quad
    \\varepsilon_{ij} \\sim N(0, 1), \\quad y_{ij} = 1[y^*_{ij} > 0].

Priors :math:`x_i \\sim N(0, I_d)` and :math:`(\\alpha_j, \\beta_j) \\sim N(0, 25 I_{d+1})`.
Imai, Lo and Olmsted (2016) find the posterior mode with an EM algorithm whose steps are
all closed form: the E-step replaces each latent utility by its truncated-normal mean,

.. math::

    E[y^*_{ij}] = m_{ij} + \\frac{\\phi(m_{ij})}{\\Phi(m_{ij})} \\text{ (yes)}, \\quad
    m_{ij} - \\frac{\\phi(m_{ij})}{1 - \\Phi(m_{ij})} \\text{ (no)}, \\quad
    m_{ij} \\text{ (missing)},

with :math:`m_{ij} = \\alpha_j + \\beta_j^\\top x_i`, and the M-step is two ridge
regressions (members given votes, votes given members). Missing votes are ignorable: their
latent utility is imputed at its mean, so every regression shares one design matrix and each
step is a handful of dense matrix products.

Identification: positions are centred and scaled to unit variance (for two dimensions also
rotated to their principal axes), and the sign of each dimension is fixed by an anchor
member placed on the positive side. Uncertainty comes from the parametric bootstrap the
paper recommends (simulate votes from the fitted model with the observed missing pattern,
refit, align the replicate to the estimate).

References
----------
Imai, K., Lo, J. and Olmsted, J. (2016). Fast Estimation of Ideal Points with Massive Data.
American Political Science Review 110(4), 631-656. doi:10.1017/S000305541600037X.

Clinton, J., Jackman, S. and Rivers, D. (2004). The Statistical Analysis of Roll Call Data.
American Political Science Review 98(2), 355-370. doi:10.1017/S0003055404001194.

Poole, K. T. (2005). Spatial Models of Parliamentary Voting. Cambridge University Press
(the 2.5% lopsidedness rule and the APRE and GMP fit statistics).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import log_ndtr

from broadfront.analysis._validation import as_rng, check_count, check_positive_int
from broadfront.exceptions import ValidationError

__all__ = [
    "HARD_MAX_BOOT",
    "HARD_MAX_VOTE_CELLS",
    "MAX_BOOT",
    "MAX_BOOT_CELLS",
    "MAX_VOTE_CELLS",
    "AnchorDistances",
    "IdealPoints",
    "anchor_distances",
    "fit_ideal_points",
    "prepare_votes",
]

#: Most bootstrap replicates (soft limit: each refits the model; 100 take under a minute on
#: one Senate, 1,000 under ten).
MAX_BOOT = 1_000
#: Most bootstrap replicates when limits are lifted.
HARD_MAX_BOOT = 100_000
#: Most bootstrap positions kept (replicates x members x dimensions, 8 bytes each: 1 GiB);
#: memory safety, never lifted.
MAX_BOOT_CELLS = 2**27
#: Most cells (members x votes) of a roll-call matrix (soft limit: 30 times a Senate term).
MAX_VOTE_CELLS = 2_000_000
#: Most cells when limits are lifted (memory safety: the fit keeps a few copies).
HARD_MAX_VOTE_CELLS = 50_000_000

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_ITEM_PRIOR_VARIANCE = 25.0


@dataclass(frozen=True, eq=False)
class IdealPoints:
    """Positions of members estimated from their recorded votes.

    Attributes
    ----------
    members : tuple of str
        Members that were scaled, in input order (members with too few votes are left out).
    positions : ndarray, shape (n_members, dims)
        Estimated ideal points (mean 0, variance 1 per dimension; the anchor is positive).
    lower, upper : ndarray or None, shape (n_members, dims)
        Bootstrap percentile interval at ``level`` (None without bootstrap).
    standard_errors : ndarray or None, shape (n_members, dims)
        Bootstrap standard deviation of each position (None without bootstrap).
    level : float
        Coverage of the interval.
    alpha : ndarray, shape (n_votes_used,)
        Vote intercepts.
    beta : ndarray, shape (n_votes_used, dims)
        Vote discriminations (positive: members on the positive side vote yes).
    vote_ids : tuple of str
        Votes used, in input order.
    dropped_votes : tuple of str
        Votes left out as unanimous or lopsided (minority share below ``lop``).
    dropped_members : tuple of str
        Members left out with fewer than ``min_votes`` votes on the votes used.
    correct_classification : float
        Share of cast votes on the votes used that the model predicts correctly.
    apre : float
        Aggregate proportional reduction in error against voting with the majority.
    gmp : float
        Geometric mean probability of the observed votes.
    dims : int
        Number of dimensions.
    anchor : tuple of str
        Anchor member of each dimension whose sign was fixed by an anchor.
    iterations : int
        EM iterations of the point estimate.
    converged : bool
        Whether the point estimate met the convergence tolerance.
    n_boot : int
        Bootstrap replicates.
    bootstrap : ndarray or None, shape (n_boot, n_members, dims)
        Aligned bootstrap replicates of the positions.
    """

    members: tuple[str, ...]
    positions: np.ndarray
    lower: np.ndarray | None
    upper: np.ndarray | None
    standard_errors: np.ndarray | None
    level: float
    alpha: np.ndarray
    beta: np.ndarray
    vote_ids: tuple[str, ...]
    dropped_votes: tuple[str, ...]
    dropped_members: tuple[str, ...]
    correct_classification: float
    apre: float
    gmp: float
    dims: int
    anchor: tuple[str, ...]
    iterations: int
    converged: bool
    n_boot: int
    bootstrap: np.ndarray | None = field(default=None, repr=False)

    @property
    def votes_used(self) -> int:
        """Number of votes that entered the fit."""
        return len(self.vote_ids)

    @property
    def ideal_points(self) -> dict[str, float | tuple[float, ...]]:
        """Member -> position (a float in one dimension, a tuple in more)."""
        if self.dims == 1:
            return {m: float(p) for m, p in zip(self.members, self.positions[:, 0], strict=True)}
        return {m: tuple(float(v) for v in p) for m, p in zip(self.members, self.positions, strict=True)}

    def index(self, member: str) -> int:
        """Row of ``member`` in :attr:`positions`; raises ValidationError when absent."""
        try:
            return self.members.index(member)
        except ValueError:
            raise ValidationError(
                f"member {member!r} is not among the scaled members", parameter="member"
            ) from None


@dataclass(frozen=True, eq=False)
class AnchorDistances:
    """Distance of every member from one anchor member.

    Attributes
    ----------
    anchor : str
        The anchor member.
    members : tuple of str
        Members, in the order of the fit.
    distances : ndarray, shape (n_members,)
        Euclidean distance of each member's position from the anchor's.
    lower, upper : ndarray or None
        Bootstrap percentile interval of each distance (None without bootstrap).
    """

    anchor: str
    members: tuple[str, ...]
    distances: np.ndarray
    lower: np.ndarray | None
    upper: np.ndarray | None

    def as_dict(self) -> dict[str, float]:
        """Member -> distance."""
        return {m: float(d) for m, d in zip(self.members, self.distances, strict=True)}


def prepare_votes(
    votes: Sequence[Sequence[float | None]] | np.ndarray,
    *,
    lop: float = 0.025,
    min_votes: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Choose the votes and members that enter a fit.

    Rule: a vote is dropped when fewer than ``lop`` of the members who cast it were on the
    losing (minority) side, or when nobody cast it; unanimous votes carry no information
    about positions and near-unanimous ones mostly measure noise (Poole 2005 uses 2.5%,
    the W-NOMINATE default). Then a member is dropped when fewer than ``min_votes`` of
    the remaining votes were cast by them.

    Parameters
    ----------
    votes : array-like, shape (n_members, n_votes)
        1 yes, 0 no, NaN (or None) missing.
    lop : float
        Minimum minority share of a kept vote, in [0, 0.5).
    min_votes : int
        Minimum number of cast votes of a kept member, >= 1.

    Returns
    -------
    matrix : ndarray of float
        The votes as a float matrix (NaN missing).
    keep_members : ndarray of bool, shape (n_members,)
    keep_votes : ndarray of bool, shape (n_votes,)

    Raises
    ------
    ValidationError
        If a value is not 0, 1 or missing, or ``lop``/``min_votes`` is out of range.

    References
    ----------
    Poole, K. T. (2005). Spatial Models of Parliamentary Voting. Cambridge University Press.

    Examples
    --------
    The first vote is unanimous, the second splits 2 to 1:

    >>> _, members, kept = prepare_votes([[1, 1], [1, 0], [1, 1]])
    >>> kept.tolist(), members.tolist()
    ([False, True], [True, True, True])
    """
    matrix = _as_vote_matrix(votes)
    if not isinstance(lop, int | float) or not 0.0 <= lop < 0.5:
        raise ValidationError(f"lop must be in [0, 0.5), got {lop!r}", parameter="lop")
    if not isinstance(min_votes, int | np.integer) or min_votes < 1:
        raise ValidationError(f"min_votes must be an integer >= 1, got {min_votes!r}", parameter="min_votes")
    cast = ~np.isnan(matrix)
    yes = np.where(cast, matrix, 0.0).sum(axis=0)
    n_cast = cast.sum(axis=0)
    minority = np.minimum(yes, n_cast - yes)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_cast > 0, minority / np.maximum(n_cast, 1), 0.0)
    keep_votes = (n_cast > 0) & (minority > 0) & (share >= lop)
    keep_members = cast[:, keep_votes].sum(axis=1) >= min_votes
    return matrix, keep_members, keep_votes


def fit_ideal_points(
    votes: Sequence[Sequence[float | None]] | np.ndarray,
    members: Sequence[str],
    *,
    vote_ids: Sequence[str] | None = None,
    dims: int = 1,
    anchor: str | Sequence[str] | None = None,
    lop: float = 0.025,
    min_votes: int = 1,
    n_boot: int = 0,
    level: float = 0.95,
    rng: int | np.random.Generator | None = None,
    tol: float = 1e-6,
    max_iter: int = 2000,
    lift_limits: bool = False,
) -> IdealPoints:
    """Estimate members' ideal points from yes/no votes (EM for the binary IRT model).

    Fits the model in the module docstring by the EM algorithm of Imai, Lo and Olmsted
    (2016) after dropping lopsided votes and sparse members (:func:`prepare_votes`), then
    normalizes positions to mean 0 and variance 1 per dimension (two dimensions are rotated
    to their principal axes, the first carrying the most variance) and fixes signs with
    the anchors. Iteration stops when every parameter block correlates with its previous
    value above ``1 - tol`` (the emIRT criterion).

    Parameters
    ----------
    votes : array-like, shape (n_members, n_votes)
        1 yes, 0 no, NaN or None missing.
    members : sequence of str
        Member names (unique), one per row.
    vote_ids : sequence of str, optional
        Vote names, one per column (default "1", "2", ...).
    dims : int
        1 or 2 dimensions.
    anchor : str or sequence of str, optional
        Member placed on the positive side of dimension 1 (a sequence: one per dimension).
        Without an anchor, a dimension's sign puts the first scaled member on the
        non-negative side.
    lop : float
        Votes whose minority share is below ``lop`` are dropped (default 2.5%).
    min_votes : int
        Members with fewer cast votes on the kept votes are dropped.
    n_boot : int
        Parametric bootstrap replicates (0: no intervals).
    level : float
        Coverage of the bootstrap percentile intervals.
    rng : int or numpy.random.Generator, optional
        Source of randomness for the bootstrap.
    tol : float
        Convergence tolerance on 1 - correlation between iterations.
    max_iter : int
        Maximum EM iterations per fit.
    lift_limits : bool
        Accept up to ``HARD_MAX_BOOT`` replicates and ``HARD_MAX_VOTE_CELLS`` matrix cells
        instead of the soft limits ``MAX_BOOT`` and ``MAX_VOTE_CELLS`` (``MAX_BOOT_CELLS``
        is never lifted).

    Returns
    -------
    IdealPoints

    Raises
    ------
    ValidationError
        For malformed votes, duplicate or unknown members, an anchor that was dropped,
        too few members or votes left, or out-of-range options.

    References
    ----------
    Imai, K., Lo, J. and Olmsted, J. (2016). Fast Estimation of Ideal Points with Massive
    Data. American Political Science Review 110(4), 631-656. doi:10.1017/S000305541600037X.

    Examples
    --------
    Two blocs vote against each other; Cy sides with Ann and Bo on three votes of five:

    >>> votes = [[1, 1, 0, 1, 1], [1, 1, 0, 0, 1], [1, 0, 1, 1, 0], [0, 0, 1, 0, 0],
    ...          [0, 0, 1, 0, 0]]
    >>> fit = fit_ideal_points(votes, ["Ann", "Bo", "Cy", "Di", "Ed"], anchor="Di")
    >>> [float(round(x, 1)) for x in fit.positions[:, 0]]
    [-1.3, -1.0, 0.1, 1.1, 1.1]
    >>> fit.votes_used, fit.correct_classification
    (5, 0.92)
    """
    member_names = _check_names(members, "members")
    shape = np.shape(votes)  # type: ignore[arg-type]
    if len(shape) == 2:
        check_count(shape[0] * shape[1], "votes", MAX_VOTE_CELLS, minimum=0,
                    hard=HARD_MAX_VOTE_CELLS, lift_limits=lift_limits,
                    what="the roll-call matrix (members x votes)")
    matrix, keep_members, keep_votes = prepare_votes(votes, lop=lop, min_votes=min_votes)
    if matrix.shape[0] != len(member_names):
        raise ValidationError(
            f"members has {len(member_names)} names but votes has {matrix.shape[0]} rows",
            parameter="members",
        )
    if vote_ids is None:
        vote_names = tuple(str(j + 1) for j in range(matrix.shape[1]))
    else:
        vote_names = _check_names(vote_ids, "vote_ids")
        if len(vote_names) != matrix.shape[1]:
            raise ValidationError(
                f"vote_ids has {len(vote_names)} names but votes has {matrix.shape[1]} columns",
                parameter="vote_ids",
            )
    if dims not in (1, 2):
        raise ValidationError(f"dims must be 1 or 2, got {dims!r}", parameter="dims")
    check_count(n_boot, "n_boot", MAX_BOOT, minimum=0, hard=HARD_MAX_BOOT, lift_limits=lift_limits)
    if n_boot * matrix.shape[0] * dims > MAX_BOOT_CELLS:
        raise ValidationError(
            f"n_boot x members x dims must be at most {MAX_BOOT_CELLS:,} (1 GiB of positions), "
            f"got {n_boot:,} x {matrix.shape[0]:,} x {dims}", parameter="n_boot")
    if not isinstance(level, int | float) or not 0.0 < level < 1.0:
        raise ValidationError(f"level must be in (0, 1), got {level!r}", parameter="level")
    max_iter = check_positive_int(max_iter, "max_iter")
    if not isinstance(tol, int | float) or not tol > 0:
        raise ValidationError(f"tol must be positive, got {tol!r}", parameter="tol")
    anchors = _check_anchor(anchor, dims, member_names)

    kept_members = tuple(m for m, k in zip(member_names, keep_members, strict=True) if k)
    for a in anchors:
        if a is not None and a not in kept_members:
            raise ValidationError(
                f"anchor {a!r} cast fewer than min_votes={min_votes} of the votes used",
                parameter="anchor",
            )
    y = matrix[np.ix_(keep_members, keep_votes)]
    if y.shape[0] < dims + 2 or y.shape[1] < 1:
        raise ValidationError(
            f"too little to scale: {y.shape[0]} members and {y.shape[1]} votes remain after "
            f"dropping lopsided votes (lop={lop}) and sparse members (min_votes={min_votes})",
            parameter="votes",
        )
    anchor_rows = [None if a is None else kept_members.index(a) for a in anchors]

    x0 = _svd_start(y, dims)
    x, alpha, beta, iterations, converged = _em(y, x0, tol=tol, max_iter=max_iter)
    x, alpha, beta = _normalize(x, alpha, beta, anchor_rows)

    boot = None
    lower = upper = ses = None
    if n_boot:
        generator = as_rng(rng)
        boot = _parametric_bootstrap(y, x, alpha, beta, n_boot, generator, tol, max_iter)
        tail = (1.0 - level) / 2.0
        lower = np.quantile(boot, tail, axis=0)
        upper = np.quantile(boot, 1.0 - tail, axis=0)
        ses = boot.std(axis=0, ddof=1) if n_boot > 1 else np.zeros_like(x)

    cc, apre, gmp = _fit_statistics(y, x, alpha, beta)
    return IdealPoints(
        members=kept_members,
        positions=x,
        lower=lower,
        upper=upper,
        standard_errors=ses,
        level=float(level),
        alpha=alpha,
        beta=beta,
        vote_ids=tuple(v for v, k in zip(vote_names, keep_votes, strict=True) if k),
        dropped_votes=tuple(v for v, k in zip(vote_names, keep_votes, strict=True) if not k),
        dropped_members=tuple(m for m, k in zip(member_names, keep_members, strict=True) if not k),
        correct_classification=cc,
        apre=apre,
        gmp=gmp,
        dims=dims,
        anchor=tuple(a for a in anchors if a is not None),
        iterations=iterations,
        converged=converged,
        n_boot=int(n_boot),
        bootstrap=boot,
    )


def anchor_distances(fit: IdealPoints, anchor: str) -> AnchorDistances:
    """Distance of every member's ideal point from an anchor member's.

    In a council with a centrist mayor, "votes with the mayor" measures distance, not side:
    :math:`d_i = \\lVert x_i - x_{anchor} \\rVert`. With bootstrap replicates, the interval
    of each distance is the percentile interval of the replicate distances (members are
    aligned as a whole, so the anchor's own uncertainty is included).

    Parameters
    ----------
    fit : IdealPoints
        A fit from :func:`fit_ideal_points`.
    anchor : str
        A scaled member.

    Returns
    -------
    AnchorDistances

    Raises
    ------
    ValidationError
        If ``anchor`` was not scaled.

    References
    ----------
    Imai, K., Lo, J. and Olmsted, J. (2016). Fast Estimation of Ideal Points with Massive
    Data. American Political Science Review 110(4), 631-656. doi:10.1017/S000305541600037X.

    Examples
    --------
    Cy sits between the blocs, a little closer to Di and Ed than to Ann:

    >>> votes = [[1, 1, 0, 1, 1], [1, 1, 0, 0, 1], [1, 0, 1, 1, 0], [0, 0, 1, 0, 0],
    ...          [0, 0, 1, 0, 0]]
    >>> fit = fit_ideal_points(votes, ["Ann", "Bo", "Cy", "Di", "Ed"], anchor="Di")
    >>> d = anchor_distances(fit, "Cy").as_dict()
    >>> d["Cy"], d["Ann"] > d["Bo"] > d["Di"] == d["Ed"]
    (0.0, True)
    """
    if not isinstance(anchor, str):
        raise ValidationError(f"anchor must be a member name, got {anchor!r}", parameter="anchor")
    try:
        row = fit.members.index(anchor)
    except ValueError:
        raise ValidationError(
            f"anchor {anchor!r} is not among the scaled members", parameter="anchor"
        ) from None
    distances = np.linalg.norm(fit.positions - fit.positions[row], axis=1)
    lower = upper = None
    if fit.bootstrap is not None:
        draws = np.linalg.norm(fit.bootstrap - fit.bootstrap[:, row : row + 1, :], axis=2)
        tail = (1.0 - fit.level) / 2.0
        lower = np.quantile(draws, tail, axis=0)
        upper = np.quantile(draws, 1.0 - tail, axis=0)
    return AnchorDistances(anchor, fit.members, distances, lower, upper)


# ---------------------------------------------------------------------------- private steps


def _as_vote_matrix(votes: Sequence[Sequence[float | None]] | np.ndarray) -> np.ndarray:
    try:
        if isinstance(votes, np.ndarray):
            matrix = votes.astype(float)
        else:
            matrix = np.array(
                [[np.nan if v is None else v for v in row] for row in votes], dtype=float
            )
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"votes must be a rectangular table of 1, 0 and missing: {exc}", parameter="votes") from None
    if matrix.ndim != 2:
        raise ValidationError(f"votes must be a 2-D table, got {matrix.ndim} dimension(s)", parameter="votes")
    bad = ~np.isnan(matrix) & (matrix != 0.0) & (matrix != 1.0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValidationError(
            f"votes must hold 1 (yes), 0 (no) or missing; row {i + 1}, column {j + 1} holds {float(matrix[i, j])!r}",
            parameter="votes",
        )
    return matrix


def _check_names(names: Sequence[str], parameter: str) -> tuple[str, ...]:
    if isinstance(names, str):
        raise ValidationError(f"{parameter} must be a sequence of names, got a string", parameter=parameter)
    out = tuple(str(n) for n in names)
    seen: set[str] = set()
    for n in out:
        if n in seen:
            raise ValidationError(f"{parameter} must be unique; {n!r} appears twice", parameter=parameter)
        seen.add(n)
    return out


def _check_anchor(
    anchor: str | Sequence[str] | None, dims: int, members: tuple[str, ...]
) -> list[str | None]:
    if anchor is None:
        anchors: list[str | None] = [None] * dims
    elif isinstance(anchor, str):
        anchors = [anchor] + [None] * (dims - 1)
    else:
        anchors = [None if a is None else str(a) for a in anchor]
        if len(anchors) > dims:
            raise ValidationError(
                f"anchor names {len(anchors)} members for {dims} dimension(s)", parameter="anchor"
            )
        anchors += [None] * (dims - len(anchors))
    for a in anchors:
        if a is not None and a not in members:
            raise ValidationError(f"anchor {a!r} is not among the members", parameter="anchor")
    return anchors


def _svd_start(y: np.ndarray, dims: int) -> np.ndarray:
    """Starting positions: leading left singular vectors of the centred, imputed matrix."""
    signed = np.where(np.isnan(y), np.nan, 2.0 * y - 1.0)
    col_mean = np.nanmean(signed, axis=0)
    filled = np.where(np.isnan(signed), col_mean, signed) - col_mean
    u, s, _ = np.linalg.svd(filled, full_matrices=False)
    x = u[:, :dims] * s[:dims]
    sd = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def _estep(mean: np.ndarray, yes: np.ndarray, no: np.ndarray) -> np.ndarray:
    """Truncated-normal means of the latent utilities (inverse Mills ratios via log_ndtr)."""
    ystar = mean.copy()
    m = mean[yes]
    ystar[yes] = m + np.exp(-0.5 * m * m - _LOG_SQRT_2PI - log_ndtr(m))
    m = mean[no]
    ystar[no] = m - np.exp(-0.5 * m * m - _LOG_SQRT_2PI - log_ndtr(-m))
    return ystar


def _items_given_members(ystar: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n, d = x.shape
    design = np.hstack([np.ones((n, 1)), x])
    precision = design.T @ design + np.eye(d + 1) / _ITEM_PRIOR_VARIANCE
    coef = np.linalg.solve(precision, design.T @ ystar)
    return coef[0], coef[1:].T.copy()


def _members_given_items(ystar: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    d = beta.shape[1]
    precision = beta.T @ beta + np.eye(d)
    return np.linalg.solve(precision, beta.T @ (ystar - alpha).T).T


def _corr_gap(a: np.ndarray, b: np.ndarray) -> float:
    a = a.ravel()
    b = b.ravel()
    sa, sb = a.std(), b.std()
    if sa == 0 or sb == 0:
        return 0.0 if np.allclose(a, b) else 1.0
    return float(1.0 - np.corrcoef(a, b)[0, 1])


def _em(
    y: np.ndarray,
    x: np.ndarray,
    *,
    tol: float,
    max_iter: int,
    items: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, bool]:
    yes = y == 1.0
    no = y == 0.0
    if items is None:
        start = np.where(yes, 1.0, np.where(no, -1.0, 0.0))
        alpha, beta = _items_given_members(start, x)
    else:
        alpha, beta = items
    converged = False
    iteration = 0
    for iteration in range(1, max_iter + 1):  # noqa: B007
        ystar = _estep(alpha + x @ beta.T, yes, no)
        x_new = _members_given_items(ystar, alpha, beta)
        alpha_new, beta_new = _items_given_members(ystar, x_new)
        gap = max(_corr_gap(x, x_new), _corr_gap(alpha, alpha_new), _corr_gap(beta, beta_new))
        x, alpha, beta = x_new, alpha_new, beta_new
        if gap < tol:
            converged = True
            break
    return x, alpha, beta, iteration, converged


def _normalize(
    x: np.ndarray, alpha: np.ndarray, beta: np.ndarray, anchor_rows: Sequence[int | None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardize (and rotate to principal axes), keeping alpha + x @ beta.T unchanged."""
    mu = x.mean(axis=0)
    centred = x - mu
    if x.shape[1] == 1:
        rotation = np.eye(1)
    else:
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        rotation = vt.T
    scores = centred @ rotation
    sd = scores.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    z = scores / sd
    for k, row in enumerate(anchor_rows):
        pivot = z[row, k] if row is not None else z[0, k]
        if pivot < 0:
            z[:, k] = -z[:, k]
            sd[k] = -sd[k]
    # x = z @ T + mu with T = diag(sd) @ rotation.T; then x @ beta.T = z @ (beta @ T.T).T + mu @ beta.T
    transform = np.diag(sd) @ rotation.T
    return z, alpha + beta @ mu, beta @ transform.T


def _procrustes(replicate: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Rotate/reflect the standardized replicate onto the estimate (orthogonal Procrustes)."""
    u, _, vt = np.linalg.svd(replicate.T @ target)
    return replicate @ (u @ vt)


def _parametric_bootstrap(
    y: np.ndarray,
    x: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
    tol: float,
    max_iter: int,
) -> np.ndarray:
    missing = np.isnan(y)
    mean = alpha + x @ beta.T
    draws = np.empty((n_boot, *x.shape))
    for b in range(n_boot):
        simulated = (mean + rng.standard_normal(mean.shape) > 0).astype(float)
        simulated[missing] = np.nan
        xb, ab, bb, _, _ = _em(simulated, x.copy(), tol=tol, max_iter=max_iter, items=(alpha, beta))
        mu = xb.mean(axis=0)
        sd = xb.std(axis=0)
        zb = (xb - mu) / np.where(sd > 0, sd, 1.0)
        draws[b] = _procrustes(zb, x)
    return draws


def _fit_statistics(
    y: np.ndarray, x: np.ndarray, alpha: np.ndarray, beta: np.ndarray
) -> tuple[float, float, float]:
    cast = ~np.isnan(y)
    yes = y == 1.0
    mean = alpha + x @ beta.T
    predicted_yes = mean > 0
    correct = (predicted_yes == yes) & cast
    n_cast = cast.sum()
    errors = n_cast - correct.sum()
    n_yes = (yes & cast).sum(axis=0)
    minority = np.minimum(n_yes, cast.sum(axis=0) - n_yes).sum()
    apre = float((minority - errors) / minority) if minority else float("nan")
    log_p = np.where(yes, log_ndtr(mean), log_ndtr(-mean))
    gmp = float(np.exp(log_p[cast].mean()))
    return float(correct.sum() / n_cast), apre, gmp
