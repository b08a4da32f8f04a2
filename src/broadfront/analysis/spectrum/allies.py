"""The spectrum of allies: actors by stance on an issue, weighted by influence.

Organizers place every actor on a spectrum from active opposition to active allies and
work to move each one a single step toward them, because campaigns are rarely won by
converting opponents but by shifting the whole spectrum (Lakey; Training for Change). This
module uses Broadfront's seven stance levels (-3 active opposition, -2 passive opposition,
-1 leaning against, 0 neutral, +1 leaning ally, +2 passive ally, +3 active ally) grouped
into the five classic bands, and scores the landscape by weighted support

.. math::

    S = \\sum_a w_a \\, v(s_a),

where :math:`w_a \\ge 0` is actor :math:`a`'s influence, :math:`s_a` its stance and
:math:`v` a value per stance level (by default :math:`v(s) = s`). Moving actor :math:`a` one
step toward us adds :math:`w_a (v(s_a + 1) - v(s_a))`; the suggestions rank actors by that
gain.

References
----------
Lakey, G. (2011). Spectrum of Allies. Beautiful Trouble: A Toolbox for Revolution,
OR Books. https://beautifultrouble.org/toolbox/tool/spectrum-of-allies

Training for Change. Spectrum of Allies (tool sheet).
https://www.trainingforchange.org/training_tools/spectrum-of-allies/
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from broadfront.exceptions import ValidationError

__all__ = [
    "BANDS",
    "STANCE_LABELS",
    "Band",
    "Spectrum",
    "StepSuggestion",
    "spectrum_of_allies",
]

STANCE_LABELS: dict[int, str] = {
    -3: "active opposition",
    -2: "passive opposition",
    -1: "leaning against",
    0: "neutral",
    1: "leaning ally",
    2: "passive ally",
    3: "active ally",
}

#: The five bands of the classic chart and the stance levels each holds.
BANDS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("active opposition", (-3,)),
    ("passive opposition", (-2, -1)),
    ("neutral", (0,)),
    ("passive allies", (1, 2)),
    ("active allies", (3,)),
)


@dataclass(frozen=True)
class Band:
    """One band of the chart: its stance levels, actors (by influence, largest first) and total influence."""

    name: str
    stances: tuple[int, ...]
    actors: tuple[str, ...]
    influence: float


@dataclass(frozen=True)
class StepSuggestion:
    """Moving ``actor`` from ``stance`` to ``new_stance`` adds ``gain`` weighted support."""

    actor: str
    stance: int
    new_stance: int
    influence: float
    gain: float


@dataclass(frozen=True)
class Spectrum:
    """The spectrum of allies for one issue.

    Attributes
    ----------
    stances : dict of str to int
        Actor -> stance (-3..+3).
    influence : dict of str to float
        Actor -> influence weight.
    bands : tuple of Band
        The five bands from active opposition to active allies.
    weighted_support : float
        :math:`\\sum_a w_a v(s_a)`.
    total_influence : float
        :math:`\\sum_a w_a`.
    suggestions : tuple of StepSuggestion
        Every actor not yet an active ally, moved one step, ranked by gain (largest first;
        ties: the actor closer to us first, then by name).
    """

    stances: dict[str, int]
    influence: dict[str, float]
    bands: tuple[Band, ...]
    weighted_support: float
    total_influence: float
    suggestions: tuple[StepSuggestion, ...]


def spectrum_of_allies(
    stances: Mapping[str, int],
    influence: Mapping[str, float] | None = None,
    *,
    stance_values: Mapping[int, float] | None = None,
) -> Spectrum:
    """Group actors into the five bands and rank the "move one step" suggestions.

    Parameters
    ----------
    stances : mapping of str to int
        Actor -> stance, an integer from -3 (active opposition) to +3 (active ally).
    influence : mapping of str to float, optional
        Actor -> influence (finite, >= 0). Actors missing from it weigh 1; default all 1.
    stance_values : mapping of int to float, optional
        Value :math:`v(s)` of each stance level (all seven levels, non-decreasing); default
        :math:`v(s) = s`. For example, to count only allies use 0 for levels <= 0.

    Returns
    -------
    Spectrum

    Raises
    ------
    ValidationError
        If a stance is not an integer in -3..3, an influence is negative or not finite,
        influence names an unknown actor, or ``stance_values`` is incomplete or decreasing.

    References
    ----------
    Lakey, G. (2011). Spectrum of Allies. Beautiful Trouble, OR Books.

    Examples
    --------
    The union (influence 5) is neutral, the paper (3) a passive ally, the chamber (4) in
    active opposition. Moving the union one step adds 5:

    >>> s = spectrum_of_allies({"union": 0, "paper": 2, "chamber": -3},
    ...                        {"union": 5, "paper": 3, "chamber": 4})
    >>> s.weighted_support
    -6.0
    >>> [(x.actor, x.new_stance, x.gain) for x in s.suggestions]
    [('union', 1, 5.0), ('chamber', -2, 4.0), ('paper', 3, 3.0)]
    >>> [(b.name, b.actors) for b in s.bands if b.actors]
    [('active opposition', ('chamber',)), ('neutral', ('union',)), ('passive allies', ('paper',))]
    """
    checked: dict[str, int] = {}
    for actor, stance in stances.items():
        if isinstance(stance, bool) or not isinstance(stance, int) or not -3 <= stance <= 3:
            raise ValidationError(
                f"stance of {actor!r} must be an integer from -3 to 3, got {stance!r}",
                parameter="stances",
            )
        checked[str(actor)] = int(stance)
    weights: dict[str, float] = {a: 1.0 for a in checked}
    for actor, w in (influence or {}).items():
        if str(actor) not in checked:
            raise ValidationError(f"influence names {actor!r}, who has no stance", parameter="influence")
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise ValidationError(
                f"influence of {actor!r} must be finite and >= 0, got {w!r}", parameter="influence"
            )
        weights[str(actor)] = float(w)
    values = _check_values(stance_values)

    bands = []
    for name, levels in BANDS:
        members = sorted((a for a, s in checked.items() if s in levels), key=lambda a: (-weights[a], a))
        bands.append(Band(name, levels, tuple(members), float(sum(weights[a] for a in members))))
    support = float(sum(weights[a] * values[s] for a, s in checked.items()))
    suggestions = [
        StepSuggestion(a, s, s + 1, weights[a], weights[a] * (values[s + 1] - values[s]))
        for a, s in checked.items()
        if s < 3
    ]
    suggestions.sort(key=lambda x: (-x.gain, -x.stance, x.actor))
    return Spectrum(
        stances=checked,
        influence=weights,
        bands=tuple(bands),
        weighted_support=support,
        total_influence=float(sum(weights.values())),
        suggestions=tuple(suggestions),
    )


def _check_values(stance_values: Mapping[int, float] | None) -> dict[int, float]:
    if stance_values is None:
        return {s: float(s) for s in range(-3, 4)}
    missing = [s for s in range(-3, 4) if s not in stance_values]
    if missing:
        raise ValidationError(
            f"stance_values must give a value for every level -3..3; missing {missing}",
            parameter="stance_values",
        )
    values = {s: float(stance_values[s]) for s in range(-3, 4)}
    for s in range(-3, 3):
        if not math.isfinite(values[s]) or values[s + 1] < values[s]:
            raise ValidationError(
                f"stance_values must be finite and non-decreasing; v({s})={values[s]} and "
                f"v({s + 1})={values[s + 1]}",
                parameter="stance_values",
            )
    return values
