"""Precinct targets for a caucus bloc, campaign progress, and the chance of reaching each target.

Targets: the bloc wants a share (10% by default) of each precinct caucus, so its target
there is ``ceil(share x expected attendance)``, computed exactly. Expected attendance
defaults to a share of the party's vote (about 1% in a non-presidential year).

Forecast: by caucus night a precinct's attendees from the bloc are
``Binomial(committed, p) + Y`` where ``p`` is the show-up rate (RSVP -> attended) and
``Y`` counts future recruits who show up: recruits arrive at ``pace`` per week for the
weeks left (Poisson, or negative binomial when the pace itself is uncertain) and each
shows up with probability ``p``; thinning keeps ``Y`` Poisson (negative binomial with the
same dispersion). The probability of reaching the target is then exact, a finite sum,
with no simulation.

Documented defaults (all overridable):

- :data:`DEFAULT_SHOW_UP_RATE` = 0.5: about half of the people who sign up for a free
  event come. Organizers of free events report no-show rates near 50% (AJ Events blog,
  "RSVP etiquette", 14 November 2013; InterNations, "An open letter to Ghost RSVP'ers",
  around 50% turn-up without reminders).
- :data:`DEFAULT_CAUCUS_TURNOUT` = 0.01: statewide caucus attendance in a
  non-presidential year is about 1% of the party's vote. This is a cautious planning
  figure: Minnesota DFL caucus night drew about 22,500 people in 2010 and about 30,000 in
  2018 (Star Tribune, 7 February 2018), i.e. 2-3% of the roughly 0.9-1.0 million votes
  for the party's candidate for governor.
- :data:`DEFAULT_BLOC_SHARE` = 10%: the bloc share from the campaign that inspired this
  module.

References
----------
Johnson, N. L., Kemp, A. W. and Kotz, S., *Univariate Discrete Distributions*, 3rd ed.,
Wiley, 2005 (binomial thinning of Poisson and negative binomial counts).
DOI 10.1002/0471715816.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import stats

from broadfront.analysis._validation import (
    check_nonnegative,
    check_probabilities,
    check_probability,
)
from broadfront.exceptions import ValidationError

DEFAULT_SHOW_UP_RATE = 0.5
"""About half of sign-ups show up to a free event (see the module docstring)."""

DEFAULT_CAUCUS_TURNOUT = 0.01
"""Caucus attendance in a non-presidential year, as a share of the party's vote."""

DEFAULT_BLOC_SHARE = Fraction(1, 10)
"""The bloc's target share of each caucus."""

STATUSES = ("on track", "at risk", "behind")
"""Status labels, from best to worst."""


def expected_attendance(
    party_vote: np.ndarray, turnout_rate: float = DEFAULT_CAUCUS_TURNOUT
) -> np.ndarray:
    """Expected caucus attendance per precinct: ``turnout_rate x party vote``.

    Parameters
    ----------
    party_vote : array of float
        The party's (average) vote in each precinct.
    turnout_rate : float, default 0.01
        Attendance as a share of the party vote (about 1% in a non-presidential year).

    Returns
    -------
    numpy.ndarray of float
        Expected attendance.

    Raises
    ------
    ValidationError
        For negative votes or a rate outside [0, 1].

    References
    ----------
    See the module docstring (Star Tribune, 7 February 2018).

    Examples
    --------
    >>> expected_attendance([2500, 800]).tolist()
    [25.0, 8.0]
    """
    votes = check_nonnegative(party_vote, "party_vote")
    rate = check_probability(turnout_rate, "turnout_rate")
    return votes * rate


def precinct_targets(
    attendance: np.ndarray, share: float | Fraction = DEFAULT_BLOC_SHARE
) -> np.ndarray:
    """Bloc members needed at each caucus: ``ceil(share x expected attendance)``, exactly.

    The share and the attendance are read as exact decimals, so 10% of 30 is 3, not 4.

    Parameters
    ----------
    attendance : array of float
        Expected attendance per precinct (>= 0).
    share : float or Fraction, default 1/10
        Target share of the caucus, in (0, 1].

    Returns
    -------
    numpy.ndarray of int64
        The targets.

    Raises
    ------
    ValidationError
        For negative attendance or a share outside (0, 1].

    References
    ----------
    See the module docstring.

    Examples
    --------
    >>> precinct_targets([30, 25, 8.0, 0]).tolist()
    [3, 3, 1, 0]
    """
    from broadfront.analysis.caucus._common import as_fraction, ceil_frac

    att = check_nonnegative(attendance, "attendance")
    s = as_fraction(share, "share")
    if not 0 < s <= 1:
        raise ValidationError(f"share must be in (0, 1], got {share!r}", parameter="share")
    flat = [ceil_frac(s * Fraction(repr(float(a)))) for a in att.ravel()]
    return np.asarray(flat, dtype=np.int64).reshape(att.shape)


def show_up_rate_from_history(
    rsvps: np.ndarray,
    attended: np.ndarray,
    *,
    prior_rate: float = DEFAULT_SHOW_UP_RATE,
    prior_strength: float = 10.0,
) -> np.ndarray:
    """Show-up rate estimated from past RSVPs, shrunk toward the default rate.

    The posterior mean of a Beta prior with mean ``prior_rate`` worth ``prior_strength``
    sign-ups: ``(attended + prior_rate x m) / (rsvps + m)``. With no history it returns
    the prior rate.

    Parameters
    ----------
    rsvps : array of int
        Past sign-ups (per precinct or per recruiter).
    attended : array of int
        How many of them came (<= ``rsvps``).
    prior_rate : float, default 0.5
        Rate assumed without history.
    prior_strength : float, default 10
        Weight of the prior, in sign-ups.

    Returns
    -------
    numpy.ndarray of float
        Estimated show-up rates.

    Raises
    ------
    ValidationError
        If ``attended`` exceeds ``rsvps`` or a value is negative.

    References
    ----------
    Gelman, A. et al., *Bayesian Data Analysis*, 3rd ed., CRC Press, 2013, section 2.4
    (beta-binomial model). DOI 10.1201/b16018.

    Examples
    --------
    >>> show_up_rate_from_history([0, 10, 40], [0, 9, 12]).round(3).tolist()
    [0.5, 0.7, 0.34]
    """
    r = check_nonnegative(rsvps, "rsvps")
    a = check_nonnegative(attended, "attended")
    if r.shape != a.shape or np.any(a > r):
        raise ValidationError("attended must match rsvps in shape and never exceed it", parameter="attended")
    p0 = check_probability(prior_rate, "prior_rate")
    if not prior_strength > 0:
        raise ValidationError(f"prior_strength must be positive, got {prior_strength!r}", parameter="prior_strength")
    return (a + p0 * prior_strength) / (r + prior_strength)


@dataclass(frozen=True)
class TargetForecast:
    """Per-precinct targets, expected turnout from the bloc and the chance to reach the target.

    Attributes
    ----------
    target : numpy.ndarray of int
        Bloc members needed at each caucus.
    committed : numpy.ndarray of int
        Recruits committed so far.
    expected_recruits : numpy.ndarray of float
        Committed plus expected future recruits by caucus night.
    expected_attendees : numpy.ndarray of float
        Expected bloc members at each caucus.
    probability : numpy.ndarray of float
        Probability of reaching the target.
    status : tuple of str
        ``"on track"`` (probability >= ``on_track``), ``"at risk"`` (>= ``at_risk``) or
        ``"behind"``.
    expected_precincts_reaching : float
        Expected number of precincts reaching their target (sum of probabilities).
    sd_precincts_reaching : float
        Its standard deviation, precincts taken as independent.
    """

    target: np.ndarray
    committed: np.ndarray
    expected_recruits: np.ndarray
    expected_attendees: np.ndarray
    probability: np.ndarray
    status: tuple[str, ...]
    expected_precincts_reaching: float
    sd_precincts_reaching: float


def forecast_targets(
    target: np.ndarray,
    committed: np.ndarray,
    weekly_pace: np.ndarray | float,
    weeks_left: float,
    *,
    show_up_rate: np.ndarray | float = DEFAULT_SHOW_UP_RATE,
    pace_dispersion: float | None = None,
    on_track: float = 0.8,
    at_risk: float = 0.5,
) -> TargetForecast:
    """Probability that each precinct reaches its target by caucus night.

    Attendees ``X = Binomial(committed, p) + Y`` with ``Y`` the future recruits who show
    up: ``Poisson(pace x weeks x p)``, or, with ``pace_dispersion = k``, negative binomial
    with that mean and variance ``mean + mean^2 / k`` (an uncertain pace). Then
    ``P(X >= target) = sum_j P(Binomial = j) P(Y >= target - j)``, computed exactly.

    Parameters
    ----------
    target : array of int
        Targets per precinct.
    committed : array of int
        Recruits committed so far per precinct.
    weekly_pace : float or array of float
        New recruits per week (recent pace).
    weeks_left : float
        Weeks until caucus night (>= 0).
    show_up_rate : float or array of float, default 0.5
        Probability that a recruit attends.
    pace_dispersion : float, optional
        Negative binomial dispersion ``k`` (> 0) of future recruits; None for Poisson.
    on_track, at_risk : float, default 0.8 and 0.5
        Probability cut-offs for the status labels.

    Returns
    -------
    TargetForecast
        Probabilities, expectations and statuses.

    Raises
    ------
    ValidationError
        For negative counts, rates outside [0, 1], shapes that do not match, or
        ``at_risk > on_track``.

    References
    ----------
    Johnson, Kemp and Kotz, *Univariate Discrete Distributions* (2005),
    DOI 10.1002/0471715816.

    Examples
    --------
    A target of 2 with 2 committed, no time left, each coming with probability 1/2:
    both must come, 1/4.

    >>> f = forecast_targets([2], [2], 0.0, 0.0)
    >>> float(f.probability[0]), f.status
    (0.25, ('behind',))
    """
    t = check_nonnegative(np.atleast_1d(target), "target").astype(np.int64)
    c = check_nonnegative(np.atleast_1d(committed), "committed").astype(np.int64)
    if t.ndim != 1 or c.shape != t.shape:
        raise ValidationError("committed must have one value per target", parameter="committed")
    n = t.size
    pace = np.broadcast_to(check_nonnegative(np.atleast_1d(weekly_pace), "weekly_pace"), (n,))
    weeks = float(check_nonnegative([weeks_left], "weeks_left")[0])
    p = np.broadcast_to(check_probabilities(np.atleast_1d(show_up_rate), "show_up_rate"), (n,))
    hi = check_probability(on_track, "on_track")
    lo = check_probability(at_risk, "at_risk")
    if lo > hi:
        raise ValidationError("at_risk must not exceed on_track", parameter="at_risk")
    if pace_dispersion is not None and not pace_dispersion > 0:
        raise ValidationError(
            f"pace_dispersion must be positive, got {pace_dispersion!r}", parameter="pace_dispersion"
        )

    mu = pace * weeks * p  # mean of future recruits who show up
    j = np.arange(int(c.max(initial=0)) + 1)
    pmf = stats.binom.pmf(j[None, :], c[:, None], p[:, None])  # (n, cmax+1), zero beyond c
    need = t[:, None] - j[None, :]  # Y must be >= need
    if pace_dispersion is None:
        tail = stats.poisson.sf(need - 1, mu[:, None])
    else:
        k = float(pace_dispersion)
        tail = stats.nbinom.sf(need - 1, k, k / (k + mu[:, None]))
    tail = np.where(need <= 0, 1.0, tail)
    prob = np.clip((pmf * tail).sum(axis=1), 0.0, 1.0)
    status = tuple(STATUSES[0] if q >= hi else STATUSES[1] if q >= lo else STATUSES[2] for q in prob)
    return TargetForecast(
        target=t,
        committed=c,
        expected_recruits=c + pace * weeks,
        expected_attendees=c * p + mu,
        probability=prob,
        status=status,
        expected_precincts_reaching=float(prob.sum()),
        sd_precincts_reaching=float(np.sqrt(np.sum(prob * (1 - prob)))),
    )


@dataclass(frozen=True)
class CampaignProgress:
    """Statewide progress of a bloc campaign.

    Attributes
    ----------
    precincts : int
        Precincts in the campaign.
    target_total : int
        Sum of the targets.
    committed_total : int
        Recruits committed so far.
    committed_share_of_target : float
        ``committed_total / target_total`` (0 when there is no target).
    precincts_with_squad : int
        Precincts with at least one squad.
    precincts_with_leader : int
        Precincts with at least one squad leader.
    precincts_committed_at_target : int
        Precincts whose committed recruits already reach the target.
    """

    precincts: int
    target_total: int
    committed_total: int
    committed_share_of_target: float
    precincts_with_squad: int
    precincts_with_leader: int
    precincts_committed_at_target: int


def campaign_progress(
    target: np.ndarray,
    committed: np.ndarray,
    squads: np.ndarray,
    squad_leaders: np.ndarray,
) -> CampaignProgress:
    """Summarize recruits committed, squads formed and squad leaders against the targets.

    Parameters
    ----------
    target, committed, squads, squad_leaders : array of int
        Per precinct: target, recruits committed, squads formed, squad leaders.

    Returns
    -------
    CampaignProgress
        Statewide totals and counts of precincts.

    Raises
    ------
    ValidationError
        For negative values or arrays of different lengths.

    References
    ----------
    Han, H., *How Organizations Develop Activists*, Oxford University Press, 2014
    (squads and leaders as the unit of organizing). DOI 10.1093/acprof:oso/9780199336760.001.0001.

    Examples
    --------
    >>> p = campaign_progress([3, 3, 1], [2, 4, 0], [1, 1, 0], [1, 0, 0])
    >>> p.committed_total, p.precincts_with_leader, p.precincts_committed_at_target
    (6, 1, 1)
    """
    arrays = [
        check_nonnegative(np.atleast_1d(a), name)
        for a, name in (
            (target, "target"),
            (committed, "committed"),
            (squads, "squads"),
            (squad_leaders, "squad_leaders"),
        )
    ]
    if len({a.shape for a in arrays}) != 1:
        raise ValidationError("target, committed, squads and squad_leaders must have one value per precinct", parameter="committed")
    t, c, s, lead = arrays
    tt = int(t.sum())
    return CampaignProgress(
        precincts=int(t.size),
        target_total=tt,
        committed_total=int(c.sum()),
        committed_share_of_target=float(c.sum() / tt) if tt else 0.0,
        precincts_with_squad=int(np.count_nonzero(s > 0)),
        precincts_with_leader=int(np.count_nonzero(lead > 0)),
        precincts_committed_at_target=int(np.count_nonzero(c >= t)),
    )
