"""The fixed cast of the demo: organizations, public figures, logins and the story's dates.

The panel discussion (Convergence Magazine and The Forge, spring 2023) describes a federation
of local chapters, a faith-based group building a 10% caucus bloc, a hospitality workers'
political group, centrist allies who realign when progressives win, and a defeated incumbent
mayor running a write-in campaign against the progressive nominee. The demo retells that in
the fictional state of Riverland; every name here is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

DEMO_PASSWORD = "broadfront-demo"
#: The day the demo's story is written around. ``load_demo(as_of=D)`` moves every date and
#: time of the story by ``D - DEMO_AS_OF`` days (``as_of`` defaults to the clock's today), so
#: the demo reads as fresh on any day: the dates below are where things stand on this day.
DEMO_AS_OF = dt.date(2026, 11, 27)

PRIMARY_DAY = dt.date(2026, 9, 15)
GENERAL_DAY = dt.date(2026, 12, 8)
WRITE_IN_LAUNCH = dt.date(2026, 9, 29)
CAUCUS_NIGHT = dt.date(2027, 2, 2)
BLOC_CAMPAIGN_START = dt.date(2025, 8, 1)
CONVENTION_DAY = dt.date(2027, 5, 15)
ORDINANCE_DAY = dt.date(2026, 10, 14)
#: Faith's practice caucuses, one per county: the recruits who came count as kept commitments.
PRACTICE_CAUCUS_DAY = dt.date(2026, 10, 17)


@dataclass(frozen=True)
class OrgSpec:
    """One organization of the core cast."""

    key: str
    name: str
    kind: str
    spectrum: int
    influence: int
    people_weight: float
    show_up: float
    reliability: str
    table: str | None
    interests: str
    parent: str | None = None
    broad_front: bool = False
    home: str = "anywhere"


CORE_ORGS: tuple[OrgSpec, ...] = (
    OrgSpec("fed", "Riverland Federation", "federation", 3, 4, 0.04, 0.55, "reliable", "anchor",
            "An independent political organization building working-class power through local "
            "chapters; wants Riverland seen as worth investing in for the long haul.",
            broad_front=True),
    OrgSpec("northside", "Northside Chapter", "chapter", 3, 2, 0.10, 0.60, "mixed", "partner",
            "Tenants and service workers on the north side of Riverton.", parent="fed",
            home="city"),
    OrgSpec("eastbank", "Eastbank Chapter", "chapter", 3, 2, 0.08, 0.45, "late", "partner",
            "Riverside neighborhoods facing rising rents.", parent="fed", home="city"),
    OrgSpec("faith", "Faith in Riverland", "faith", 2, 4, 0.18, 0.70, "reliable", "partner",
            "Congregations organizing for a moral budget; building a bloc of 10% of precinct "
            "caucus attendees to influence the party's endorsement for governor.",
            broad_front=True),
    OrgSpec("hwp", "Hospitality Workers Power", "political", 3, 3, 0.12, 0.65, "over",
            "partner",
            "Independent voter engagement of hotel, airport and food service workers; grew out "
            "of Hospitality Workers Local 7. Makes major decisions together with the union.",
            broad_front=True, home="city"),
    OrgSpec("local7", "Hospitality Workers Local 7", "union", 2, 3, 0.12, 0.55, "reliable",
            "partner", "The hospitality workers' union: contracts, a living wage, the airport.",
            broad_front=True, home="city"),
    OrgSpec("tenants", "Riverland Tenants Union", "union", 3, 2, 0.08, 0.50, "mixed", "partner",
            "Tenant associations fighting evictions; led the tenant protections ordinance.",
            home="city"),
    OrgSpec("climate", "Riverland Climate Action", "advocacy", 3, 2, 0.06, 0.40, "breaks",
            "partner", "Climate jobs and transit; energetic, stretched thin."),
    OrgSpec("party", "Riverland Democratic Party", "party", 1, 5, 0.08, 0.45, "mixed", None,
            "The state party leadership: holding the governing majority; needs the left's "
            "volunteers, wary of its candidates.", broad_front=True),
    OrgSpec("demclub", "Riverton Democratic Club", "party", 0, 2, 0.03, 0.50, "mixed", None,
            "The city's establishment Democrats, close to the incumbent mayor.",
            broad_front=True, home="city"),
    OrgSpec("westfield", "Westfield Business Alliance", "business", -2, 4, 0.03, 0.60, "mixed",
            None, "Downtown developers and hotel owners; against rent rules and a living wage.",
            home="city"),
    OrgSpec("pac", "Riverland Prosperity PAC", "political", -3, 3, 0.01, 0.50, "mixed", None,
            "A right-wing political action committee funding attacks on progressive candidates."),
)


class PublicFigure(NamedTuple):
    """A public figure (a Person with no owner)."""

    key: str
    given: str
    family: str
    role: str


COUNCIL: tuple[tuple[str, str, str, float], ...] = (
    # (given, family, bloc, ideal point on the left (+) / right (-) axis)
    ("Halima", "Brightwell", "progressive", 1.6),
    ("Joaquin", "Redfern", "progressive", 1.4),
    ("Odette", "Nwosu", "progressive", 1.2),
    ("Kasper", "Lindqvist", "progressive", 1.0),
    ("Paloma", "Sandoval", "progressive", 0.8),
    ("Gus", "Haverford", "centrist", -0.1),
    ("Marisol", "Eastwick", "centrist", -0.45),
    ("Bram", "Kettering", "centrist", -0.6),
    ("Edda", "Thornbury", "conservative", -1.7),
)
#: Council members close to the mayor (they follow him when the center realigns).
MAYOR_CLOSE = ("Marisol Eastwick", "Bram Kettering")
#: The centrist council member who is moving toward us on tenant protections.
MOVER = "Gus Haverford"
#: The centrist council member drifting away from us (toward the mayor) through 2025-2026.
DRIFTER = "Marisol Eastwick"
#: Ideal point of the drifter in the votes of each year (she averages her cast position).
DRIFTER_POSITIONS = {2025: 0.5, 2026: -0.95}
#: Organizations with a core group meeting every two weeks (their organizers log in).
CORE_GROUP_ORGS = ("northside", "faith", "hwp")

PUBLIC_FIGURES: tuple[PublicFigure, ...] = (
    PublicFigure("mayor", "Desmond", "Hartigan", "Mayor of Riverton (lost the primary; "
                 "running a write-in campaign)"),
    PublicFigure("nominee", "Imani", "Calloway", "Democratic nominee for Mayor of Riverton"),
    PublicFigure("conservative", "Gideon", "Pemberton", "Republican candidate for Mayor of "
                 "Riverton"),
    PublicFigure("senator", "Lorna", "Fairweather", "U.S. Senator for Riverland (centrist)"),
    PublicFigure("chair", "Tomas", "Whitlock", "Chair of the Riverland Democratic Party"),
)


class DemoLogin(NamedTuple):
    """A demo login: who to sign in as and what they see."""

    username: str
    organization: str
    role: str
    sees: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("ana", "Northside Chapter", "organizer",
              "Northside's people, events, decisions and scenarios; aggregates of the Riverland "
              "Forward partners"),
    DemoLogin("ben", "Northside Chapter", "viewer",
              "the same as ana, read-only"),
    DemoLogin("grace", "Faith in Riverland", "organizer",
              "the caucus-bloc campaign with its squads and recruits; Faith's people"),
    DemoLogin("hector", "Hospitality Workers Power", "organizer",
              "HWP's people and decisions; the mayoral race; partner aggregates"),
    DemoLogin("cora", "Riverland Forward (coordinator)", "coordinator",
              "aggregates of every partner at the Riverland Forward table, no person-level "
              "records"),
    DemoLogin("omar", "Westfield Business Alliance", "organizer",
              "only Westfield's own records and public ones (an opponent at no table)"),
    DemoLogin("admin", "(site operator)", "superuser", "everything, including the admin"),
)

#: username -> (organization key or None, role)
LOGIN_ROLES: dict[str, tuple[str | None, str]] = {
    "ana": ("northside", "organizer"),
    "ben": ("northside", "viewer"),
    "grace": ("faith", "organizer"),
    "hector": ("hwp", "organizer"),
    "cora": (None, "coordinator"),
    "omar": ("westfield", "organizer"),
    "admin": (None, "superuser"),
}

#: Users who cast ballots in decisions but do not log in (unusable passwords).
BALLOT_MEMBERS: dict[str, int] = {"northside": 10, "faith": 10, "hwp": 6}

COALITION_NAME = "Riverland Forward"
COALITION_SLUG = "riverland-forward"
BROAD_FRONT_NAME = "Riverland Together"
BROAD_FRONT_SLUG = "riverland-together"
