"""How big the demo is: people, precincts, counties and organizations for a scale.

Pure arithmetic, no Django: :func:`resolve_scale` turns ``"small"``, ``"medium"``,
``"large"`` or a number of people into a :class:`DemoSize`.
"""

from __future__ import annotations

from dataclasses import dataclass

from broadfront.demo import names
from broadfront.exceptions import ValidationError

#: Organizations every demo has, whatever its scale (see ``generator.CORE_ORGS``).
CORE_ORG_COUNT = 12
MIN_PEOPLE = 300
MAX_PEOPLE = 5_000_000
_MAX_EXTRA_ORGS = (
    len(names.CHAPTERS) - 2
    + len(names.EXTRA_PARTNERS)
    + len(names.EXTRA_CONGREGATIONS)
    + len(names.EXTRA_NEUTRALS)
)


@dataclass(frozen=True)
class DemoSize:
    """The size of a demo coalition.

    Attributes
    ----------
    name : str
        ``"small"``, ``"medium"``, ``"large"`` or ``"N people"``.
    people : int
        Person-level records owned by organizations (public figures come on top).
    precincts : int
        Precincts of Riverland.
    counties : int
        Counties (each split into ``districts_per_county`` districts).
    districts_per_county : int
        Districts in every county.
    organizations : int
        Organizations in all (at least ``CORE_ORG_COUNT``).
    """

    name: str
    people: int
    precincts: int
    counties: int
    districts_per_county: int
    organizations: int

    @property
    def extra_organizations(self) -> int:
        """Organizations beyond the core cast of the panel's story."""
        return self.organizations - CORE_ORG_COUNT


PRESETS: dict[str, tuple[int, int, int]] = {
    # name: (people, precincts, organizations)
    "small": (1_500, 60, CORE_ORG_COUNT),
    "medium": (30_000, 800, 20),
    "large": (200_000, 4_000, 52),
}


def resolve_scale(scale: str | int) -> DemoSize:
    """Turn a scale name or a number of people into a :class:`DemoSize`.

    Named scales are presets. A number ``N`` of people gives ``max(12, round(N / 50))``
    precincts and ``12 + round(40 * N / 200000)`` organizations (capped by the name lists).

    Parameters
    ----------
    scale : str or int
        ``"small"``, ``"medium"``, ``"large"``, a number of people, or a string of digits.

    Returns
    -------
    DemoSize
        The resolved size.

    Raises
    ------
    ValidationError
        If ``scale`` is another word, or a number outside 300..5,000,000.

    Examples
    --------
    >>> resolve_scale("small").precincts
    60
    >>> s = resolve_scale(10_000)
    >>> (s.people, s.precincts, s.organizations)
    (10000, 200, 14)
    """
    if isinstance(scale, bool):
        raise ValidationError(f"scale must be small, medium, large or a number of people, "
                              f"got {scale!r}", parameter="scale")
    if isinstance(scale, str):
        key = scale.strip().lower()
        if key in PRESETS:
            people, precincts, orgs = PRESETS[key]
            return _shape(key, people, precincts, orgs)
        if key.replace("_", "").isdigit():
            scale = int(key.replace("_", ""))
        else:
            raise ValidationError(
                f"scale must be small, medium, large or a number of people, got {scale!r}",
                parameter="scale",
            )
    if not isinstance(scale, int):
        raise ValidationError(f"scale must be small, medium, large or a number of people, "
                              f"got {scale!r}", parameter="scale")
    if not MIN_PEOPLE <= scale <= MAX_PEOPLE:
        raise ValidationError(
            f"scale must be between {MIN_PEOPLE:,} and {MAX_PEOPLE:,} people, got {scale:,}",
            parameter="scale",
        )
    precincts = max(12, round(scale / 50))
    orgs = min(CORE_ORG_COUNT + round(40 * scale / 200_000), CORE_ORG_COUNT + _MAX_EXTRA_ORGS)
    return _shape(f"{scale} people", scale, precincts, orgs)


def _shape(name: str, people: int, precincts: int, orgs: int) -> DemoSize:
    counties = min(max(3, round(precincts / 100)), len(names.COUNTIES))
    per_county = precincts / counties
    districts = max(2, round(per_county / 20))
    districts = min(districts, max(1, int(per_county)))
    return DemoSize(name, people, precincts, counties, districts, orgs)
