"""What the demo's story says: its campaigns, commitments, power map, motions, decisions and
scenarios, as names, dates and numbers.

Who the story is about (the core organizations, public figures, logins and the story's key
days) is in :mod:`broadfront.demo.cast`; the pools of invented names in
:mod:`broadfront.demo.names`. The stages that turn all three into rows, with their random
draws, are in :mod:`broadfront.demo.areas`; the writing machinery (batches, the as-of date
shift) in :mod:`broadfront.demo.builder`. Every date here is on the story's own calendar,
around :data:`~broadfront.demo.cast.DEMO_AS_OF`; a load moves them all together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from broadfront.demo import cast
from broadfront.web.organizations.models import LadderStage

# ---------------------------------------------------------------- the calendar

#: Day 0 of the story's day numbers (the stages draw days as whole numbers from here).
EPOCH = dt.date(2018, 1, 1)


def day_of(offset: int) -> dt.date:
    """The story's day ``offset`` days after :data:`EPOCH`.

    >>> day_of(31)
    datetime.date(2018, 2, 1)
    """
    return EPOCH + dt.timedelta(days=int(offset))


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    """``day`` at ``hour`` o'clock, UTC."""
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def _gl(gained: float, lost: float) -> dict[str, float]:
    """One constituency's line of a decision review: what it gained and what it lost."""
    return {"gained": float(gained), "lost": float(lost)}


# ---------------------------------------------------------------- people and places

LADDER = [stage.value for stage in LadderStage]
SQUAD_LEADER = LADDER.index(LadderStage.SQUAD_LEADER.value)
CHAPTER_LEADER = LADDER.index(LadderStage.CHAPTER_LEADER.value)

#: The coalition tables and when their members joined.
FORWARD_DESCRIPTION = ("The progressive and left partners of Riverland: aligning our forces, "
                       "with a shared power analysis.")
TOGETHER_DESCRIPTION = ("The broad front against the right, with centrist allies: the state "
                        "party leadership and the Democratic Club.")
FORWARD_JOINED = dt.date(2024, 3, 1)
TOGETHER_JOINED = dt.date(2025, 1, 15)
#: When the demo logins joined (at 9:00).
USERS_JOINED = dt.date(2026, 1, 5)


def ballot_usernames() -> list[str]:
    """The logins of the members who cast the demo's ballots (no password: they never sign in).

    >>> ballot_usernames()[:2]
    ['northside-member-01', 'northside-member-02']
    """
    return [f"{key}-member-{i:02d}" for key, n in cast.BALLOT_MEMBERS.items()
            for i in range(1, n + 1)]


def postal_code(county: int, precinct: int) -> str:
    """The fictional ZIP code of precinct number ``precinct`` (from 1) of county ``county``.

    Riverland's codes are five digits: ``580`` plus the county's index (its first three,
    as a US ZIP's sectional center), then two digits shared by three neighbouring precincts
    (wrapping after 300). No randomness, so the demo's random streams are untouched.

    >>> postal_code(0, 1), postal_code(0, 4), postal_code(2, 301)
    ('58000', '58001', '58200')
    """
    return f"{580 + county:03d}{((precinct - 1) // 3) % 100:02d}"


# ---------------------------------------------------------------- campaigns and events

#: The coalition's campaigns: key, name, kind, lead organization, where ("state" or "city"),
#: start, end, goal: Faith's caucus bloc, the mayoral primary and general, two issues.
CAMPAIGNS: tuple[tuple[str, str, str, str, str, dt.date, dt.date, str], ...] = (
    ("caucus", "Ten Percent for Riverland", "caucus_bloc", "faith", "state",
     cast.BLOC_CAMPAIGN_START, cast.CAUCUS_NIGHT,
     "Build a bloc of 10% of the attendees of every precinct caucus, held together "
     "through the state convention, to decide the party's endorsement for governor."),
    ("primary", "Imani Calloway for Mayor: primary", "electoral", "fed", "city",
     dt.date(2026, 3, 1), cast.PRIMARY_DAY,
     "Win the Democratic primary for Mayor of Riverton against the incumbent."),
    ("general", "Imani Calloway for Mayor", "electoral", "fed", "city",
     cast.PRIMARY_DAY + dt.timedelta(days=1), cast.GENERAL_DAY,
     "Win the general election against the incumbent's write-in campaign and the "
     "Republican candidate."),
    ("tenants", "Tenant protections ordinance", "issue", "tenants", "city",
     dt.date(2026, 1, 10), dt.date(2026, 10, 20),
     "Just-cause eviction and a rent stabilization board in Riverton."),
    ("wage", "A living wage for Riverton", "issue", "hwp", "city",
     dt.date(2026, 6, 1), dt.date(2027, 6, 30),
     "A citywide minimum wage for hotel, airport and food service workers."),
)

#: The kinds of an organization's ordinary events, and the window they fall in.
EVENT_KINDS = ["meeting", "training", "canvass", "phonebank", "action", "hearing"]
EVENTS_FROM = dt.date(2026, 1, 5)
EVENTS_UNTIL = dt.date(2027, 1, 30)


# ---------------------------------------------------------------- commitments

#: The units a partner of each kind commits to (others: doors and calls).
UNITS_BY_KIND: dict[str, list[str]] = {
    "faith": ["members", "voters", "calls"],
    "political": ["doors", "voters", "calls", "dollars"],
    "union": ["doors", "members", "dollars", "endorsements"],
    "advocacy": ["calls", "doors", "members"],
    "chapter": ["doors", "calls", "members", "voters"],
    "federation": ["dollars", "endorsements", "doors", "voters"],
}


#: The smallest and largest quantity of one commitment, by unit.
UNIT_RANGES: dict[str, tuple[int, int]] = {
    "doors": (500, 5000), "calls": (300, 3000), "members": (20, 200),
    "voters": (100, 1500), "dollars": (1000, 25000), "endorsements": (1, 3),
}


#: The campaigns commitments are made to, drawn in this order.
COMMITMENT_CAMPAIGNS: list[str] = ["general", "tenants", "caucus", "wage", "primary"]


#: Contributions to two wins: campaign, organization, unit, quantity, status, evidence.
CONTRIBUTIONS: list[tuple[str, str, str, int, str, str]] = [
    ("primary", "hwp", "voters", 1850, "verified",
     "Turned out hotel and airport workers; matched against the voter file."),
    ("primary", "faith", "voters", 1200, "verified", "Congregation turnout drives."),
    ("primary", "northside", "doors", 6400, "verified", "Canvass tallies."),
    ("primary", "eastbank", "doors", 3100, "claimed", "Tallies still being gathered."),
    ("primary", "climate", "voters", 2500, "disputed",
     "Claims more voters than its logged contacts can support."),
    ("primary", "local7", "dollars", 40000, "verified", "Independent expenditure."),
    ("tenants", "tenants", "members", 420, "verified", "Packed three council hearings."),
    ("tenants", "fed", "calls", 5200, "verified", "Calls to the swing council member."),
    ("tenants", "faith", "members", 260, "claimed", "Clergy testimony at the hearing."),
    ("tenants", "northside", "members", 180, "verified", "Hearing turnout."),
]


#: The two wins the contributions count toward.
OUTCOMES: dict[str, str] = {"primary": "Imani Calloway wins the mayoral primary",
                            "tenants": "Tenant protections ordinance passes 5-4"}


# ---------------------------------------------------------------- landscape

#: The two days the table assessed every stance (a year apart).
STANCE_DAYS = (dt.date(2025, 6, 1), dt.date(2026, 6, 1))
#: The issues on which the drifting centrist (``cast.DRIFTER``) moves away from us.
DRIFT_ISSUES = ("living-wage", "tenant-protections", "police-budget", "public-transit")

_PowerTie = tuple[str, tuple[str, str], tuple[str, str], dt.date, int, str, dt.date | None]
#: The named ties of the power map, in the order they are recorded: kind, from, to (``("o",
#: organization key)`` or ``("p", public figure key)``), since, strength (1 to 3), source
#: (empty: the coalition's research) and the day a tie that ended ended.
POWER_MAP: tuple[_PowerTie, ...] = (
    *(("allied_with", ("o", a), ("o", b), dt.date(2024, 3, 1), 3, "", None)
      for a, b in (("fed", "faith"), ("fed", "hwp"), ("fed", "tenants"), ("fed", "climate"),
                   ("hwp", "local7"), ("faith", "tenants"), ("party", "demclub"))),
    ("funds", ("o", "local7"), ("o", "hwp"), dt.date(2021, 1, 1), 3,
     "Union annual report.", None),
    ("allied_with", ("o", "fed"), ("o", "party"), dt.date(2025, 1, 15), 2,
     "Riverland Together table.", None),
    ("funds", ("o", "westfield"), ("o", "pac"), dt.date(2026, 8, 1), 3,
     "State campaign finance filings.", None),
    ("opposes", ("o", "pac"), ("o", "fed"), dt.date(2026, 8, 15), 3,
     "Mailers attacking the nominee as a dangerous leftist.", None),
    ("endorses", ("o", "demclub"), ("p", "nominee"), dt.date(2026, 9, 16), 2,
     "Club statement after the primary.", dt.date(2026, 9, 30)),
    ("endorses", ("o", "demclub"), ("p", "mayor"), cast.WRITE_IN_LAUNCH + dt.timedelta(2), 3,
     "Club vote to back the write-in: a betrayal of the primary.", None),
    ("endorses", ("o", "pac"), ("p", "mayor"), dt.date(2026, 10, 12), 3,
     "PAC spending filed for the write-in.", None),
    ("allied_with", ("p", "mayor"), ("o", "westfield"), dt.date(2014, 1, 1), 3, "", None),
    ("endorses", ("o", "party"), ("p", "nominee"), dt.date(2026, 9, 20), 1,
     "A lukewarm statement from the party chair.", None),
    ("leads", ("p", "chair"), ("o", "party"), dt.date(2023, 4, 1), 3, "", None),
    ("knows", ("p", "senator"), ("p", "chair"), dt.date(2015, 1, 1), 3, "", None),
    ("knows", ("p", "senator"), ("p", "mayor"), dt.date(2012, 1, 1), 2, "", None),
    ("endorses", ("o", "fed"), ("p", "nominee"), dt.date(2026, 4, 2), 3, "", None),
    ("endorses", ("o", "hwp"), ("p", "nominee"), dt.date(2026, 4, 9), 3, "", None),
)


# ---------------------------------------------------------------- bodies and votes

COUNCIL_SLUG = "riverton-city-council"
CONVENTION_SLUG = "riverland-democratic-state-convention"
COUNCIL_DESCRIPTION = ("Nine members; a one-seat progressive majority (5-4) since the last "
                       "election, a centrist bloc of three (two close to the mayor) and one "
                       "conservative.")
CONVENTION_DESCRIPTION = ("Delegates elected through the precinct caucuses; endorsing a "
                          "candidate for governor takes 60%.")
#: When the council members took their seats, and the convention's delegates theirs.
COUNCIL_SEATED = dt.date(2024, 1, 1)
DELEGATES_SEATED = dt.date(2027, 2, 3)
#: The window of the council's forty recorded motions.
MOTIONS_FROM = dt.date(2025, 1, 15)
MOTIONS_UNTIL = dt.date(2026, 11, 20)

#: The state convention's delegate blocs: label, organization, bloc, delegates.
CONVENTION_BLOCS: list[tuple[str, str | None, str, int]] = [
    ("Faith in Riverland bloc", "faith", "progressive", 105),
    ("Federation chapters", "fed", "progressive", 180),
    ("Hospitality Workers Power and labor", "hwp", "progressive", 150),
    ("Tenant and climate delegates", "tenants", "progressive", 60),
    ("Party leadership", "party", "centrist", 210),
    ("Senator Fairweather's allies", None, "centrist", 140),
    ("Rural moderates", None, "centrist", 95),
    ("Uncommitted", None, "uncommitted", 60),
]

#: The council's motions by issue, taken in turn.
MOTION_TITLES: dict[str, list[str]] = {
    "tenant-protections": ["Just-cause eviction ordinance", "Right to counsel for tenants",
                           "Rent stabilization board", "Code enforcement funding"],
    "police-budget": ["Move crisis calls to a civilian response team",
                      "Police overtime budget increase", "Youth programs from police "
                      "budget", "Body camera policy"],
    "living-wage": ["Living wage for hotel and airport workers", "Wage theft office",
                    "Tip credit repeal", "Hospitality worker retention"],
    "climate-jobs": ["Public buildings retrofit with union labor", "Gas hookup ban",
                     "Green jobs training fund"],
    "public-transit": ["Fare-free bus pilot", "Bus frequency on the east side",
                       "Parking minimum repeal"],
    "immigrant-rights": ["Welcoming city ordinance", "Legal defense fund",
                         "Municipal ID cards"],
}


# ---------------------------------------------------------------- decisions

def decisions() -> list[dict[str, Any]]:
    """The questions the demo's organizations decided or are deciding, freshly built.

    Two open (Northside's after the Democratic Club's betrayal, HWP's ranked demand),
    Faith's closed bloc question with its review, then :func:`northside_history`.
    """
    specs: list[dict[str, Any]] = [
        dict(
            org="northside",
            question="Do we keep working with the Riverton Democratic Club after it "
            "endorsed the mayor's write-in?",
            context="The Club endorsed our nominee after the primary, then switched to the "
            "incumbent's write-in two weeks later. Feel it first; decide after the "
            "cooling-off period.",
            rule="majority", combine="both", triggered_by="betrayal", state="open",
            opened=at(dt.date(2026, 11, 25), 19), closes=at(dt.date(2026, 12, 2), 21),
            options=[
                ("Break publicly with the Club", "A public statement and no joint work."),
                ("Keep the tenant work, end joint electoral work",
                 "Work issue by issue; no shared slate."),
                ("Carry on as before", "Treat it as a one-off."),
            ],
            impacts=[
                # option index, constituency, up, p_up, down, p_down
                (0, "Northside members", 6, 0.7, 2, 0.3),
                (0, "Tenants in the north side", 2, 0.4, 6, 0.5),
                (0, "Swing council members", 1, 0.2, 7, 0.6),
                (1, "Northside members", 4, 0.6, 2, 0.3),
                (1, "Tenants in the north side", 6, 0.6, 2, 0.3),
                (1, "Swing council members", 4, 0.5, 3, 0.4),
                (2, "Northside members", 1, 0.3, 7, 0.7),
                (2, "Tenants in the north side", 5, 0.5, 1, 0.2),
                (2, "Swing council members", 5, 0.6, 1, 0.2),
            ],
            voters=["ana", "ben"] + [f"northside-member-{i:02d}" for i in range(1, 9)],
        ),
        dict(
            org="faith",
            question="Hold our bloc for our own candidate for governor, or trade it to the "
            "party leadership's candidate for budget commitments?",
            context="The bloc reached 10% of caucus attendees in the last cycle. The party "
            "leadership offers a seat in budget negotiations.",
            rule="majority", combine="both", triggered_by="", state="closed",
            opened=at(dt.date(2026, 3, 1), 19), closes=at(dt.date(2026, 3, 15), 21),
            options=[
                ("Hold the bloc together", "Vote as one at the convention."),
                ("Trade the bloc for budget commitments", "Back the leadership's candidate."),
            ],
            impacts=[
                (0, "Congregations", 7, 0.6, 3, 0.4),
                (0, "Low-income families", 5, 0.5, 4, 0.4),
                (1, "Congregations", 2, 0.5, 5, 0.5),
                (1, "Low-income families", 6, 0.6, 2, 0.3),
            ],
            voters=["grace"] + [f"faith-member-{i:02d}" for i in range(1, 11)],
        ),
        dict(
            org="hwp",
            question="Which demand leads our living wage push this spring?",
            context="Members and the union's leaders rank the options together.",
            rule="instant-runoff", combine="both", triggered_by="", state="open",
            opened=at(dt.date(2026, 11, 20), 18), closes=at(dt.date(2026, 12, 15), 18),
            options=[
                ("Airport workers first", ""),
                ("All hotel workers", ""),
                ("Citywide minimum wage", ""),
            ],
            impacts=[
                (0, "Airport workers", 8, 0.6, 1, 0.2),
                (1, "Hotel housekeepers", 8, 0.5, 2, 0.3),
                (2, "All low-wage workers", 6, 0.3, 3, 0.5),
            ],
            voters=["hector"] + [f"hwp-member-{i:02d}" for i in range(1, 7)],
        ),
    ]
    specs[1].update(
        outcome=0, review_due=dt.date(2026, 9, 1),
        reviews=[(dt.date(2026, 9, 10),
                  "We held the bloc. We lost the budget seat this year, but the party now "
                  "counts our delegates; two congregations joined.",
                  {"Congregations": _gl(5, 0), "Low-income families": _gl(1, 3)})],
    )
    specs.extend(northside_history())
    return specs


def northside_history() -> list[dict[str, Any]]:
    """Northside's decided questions of the last two years, with impacts and reviews.

    Five constituencies each time: our members, a partner's members (the Tenants Union's),
    the neighborhood, the chapter's staff and the coalition. The reviews are set so that
    the neighborhood always came out about 2.4 below what we expected (too rosy), while
    for everyone else the errors go both ways. Each review records what a constituency
    gained and what it lost, apart (``_gl``): a year after the rent strike the neighbors
    gained from the settlement's repairs and lost as the block's rents rose.
    """
    m, t, n, st, c = ("Northside members", "Tenants Union members", "North side neighbors",
                      "Chapter staff", "Riverland Forward coalition")
    voters = ["ana", "ben"] + [f"northside-member-{i:02d}"
                               for i in range(1, cast.BALLOT_MEMBERS["northside"] + 1)]
    base = dict(org="northside", rule="majority", combine="both", triggered_by="",
                state="closed", voters=voters)
    return [
        dict(
            base,
            question="Do we join the Tenants Union's rent strike at the Harbor View "
            "buildings, or support it with petitions and hearings only?",
            context="The Tenants Union asked its partners to put members on the picket "
            "lines. Staff would carry the legal follow-up.",
            opened=at(dt.date(2025, 1, 13), 19), closes=at(dt.date(2025, 1, 27), 21),
            options=[("Join the rent strike with our members", ""),
                     ("Petitions and hearing turnout only", "")],
            impacts=[
                (0, m, 6, 0.6, 2, 0.4), (0, t, 8, 0.6, 3, 0.4), (0, n, 5, 0.6, 2, 0.3),
                (0, st, 1, 0.5, 4, 0.5), (0, c, 4, 0.5, 1, 0.3),
                (1, m, 2, 0.5, 1, 0.2), (1, t, 3, 0.5, 2, 0.4), (1, n, 2, 0.4, 1, 0.2),
                (1, st, 1, 0.6, 1, 0.2), (1, c, 2, 0.5, 1, 0.3),
            ],
            lean=[0.75, 0.25], outcome=0, review_due=dt.date(2025, 7, 15),
            reviews=[
                (dt.date(2025, 7, 15), "Six months on: repairs started in one building; "
                 "the landlord's lawyers kept staff busy.",
                 {m: _gl(3, 1), t: _gl(3, 0), n: _gl(0, 0), st: _gl(0, 2), c: _gl(1, 0)}),
                (dt.date(2025, 12, 2), "A year on: a settlement for the tenants, but the "
                 "rest of the block saw rents rise; neighbors blamed the strike.",
                 {m: _gl(3, 0), t: _gl(4, 0), n: _gl(2, 2), st: _gl(1, 2), c: _gl(2, 0)}),
            ],
        ),
        dict(
            base,
            question="Do we hire a second paid organizer, or keep the money for "
            "member-led campaigns?",
            context="Dues grew after the rent strike; the budget allows one of the two.",
            opened=at(dt.date(2025, 4, 7), 19), closes=at(dt.date(2025, 4, 21), 21),
            options=[("Hire a second organizer", ""), ("Fund member-led campaigns", "")],
            impacts=[
                (0, m, 5, 0.7, 2, 0.3), (0, t, 2, 0.5, 0, 0), (0, n, 4, 0.5, 1, 0.2),
                (0, st, 6, 0.8, 2, 0.3), (0, c, 3, 0.5, 1, 0.2),
                (1, m, 4, 0.6, 2, 0.4), (1, t, 1, 0.5, 0, 0), (1, n, 3, 0.5, 1, 0.3),
                (1, st, 0, 0, 3, 0.6), (1, c, 2, 0.5, 1, 0.3),
            ],
            lean=[0.65, 0.35], outcome=0, review_due=dt.date(2025, 11, 1),
            reviews=[
                (dt.date(2025, 11, 10), "The new organizer spent most of the year on "
                 "intake; fewer members led actions, and the block club folded.",
                 {m: _gl(2, 1), t: _gl(1, 0), n: _gl(0, 1), st: _gl(2, 0), c: _gl(1, 0)}),
            ],
        ),
        dict(
            base,
            question="Do we endorse Imani Calloway for mayor now, or wait and endorse "
            "together with the Riverland Forward table?",
            context="Members are eager; the table asked partners to endorse as one.",
            opened=at(dt.date(2026, 2, 2), 19), closes=at(dt.date(2026, 2, 16), 21),
            options=[("Endorse now, on our own", ""),
                     ("Wait and endorse with the table", "")],
            impacts=[
                (0, m, 5, 0.6, 1, 0.3), (0, t, 2, 0.5, 1, 0.3), (0, n, 3, 0.5, 1, 0.3),
                (0, st, 1, 0.5, 2, 0.4), (0, c, 1, 0.4, 5, 0.5),
                (1, m, 3, 0.6, 2, 0.4), (1, t, 3, 0.6, 1, 0.3), (1, n, 4, 0.5, 1, 0.3),
                (1, st, 1, 0.5, 1, 0.3), (1, c, 6, 0.7, 1, 0.2),
            ],
            lean=[0.3, 0.7], outcome=1, review_due=dt.date(2026, 5, 15),
            reviews=[
                (dt.date(2026, 5, 15), "The joint endorsement landed well at the table; "
                 "members grumbled about the wait.",
                 {m: _gl(1, 1), t: _gl(1, 0), n: _gl(0, 0), st: _gl(0, 0), c: _gl(3, 0)}),
                (dt.date(2026, 10, 1), "After the primary win: members proud, the table "
                 "stronger than ever, the neighborhood barely noticed.",
                 {m: _gl(2, 0), t: _gl(2, 0), n: _gl(0, 0.5), st: _gl(1.5, 0.5),
                  c: _gl(2.5, 0)}),
            ],
        ),
        dict(
            base,
            question="Where does our summer canvass go: the tenant ordinance or the "
            "mayoral primary?",
            context="Both peak in the same months; we have about 40 canvassers.",
            opened=at(dt.date(2026, 5, 4), 19), closes=at(dt.date(2026, 5, 18), 21),
            options=[("The tenant ordinance first", ""), ("The primary first", ""),
                     ("Split the canvass evenly", "")],
            impacts=[
                (0, m, 4, 0.6, 1, 0.3), (0, t, 7, 0.6, 1, 0.3), (0, n, 6, 0.6, 1, 0.2),
                (0, st, 2, 0.5, 2, 0.4), (0, c, 3, 0.5, 2, 0.4),
                (1, m, 4, 0.6, 1, 0.3), (1, t, 2, 0.4, 3, 0.5), (1, n, 3, 0.5, 1, 0.3),
                (1, st, 2, 0.5, 2, 0.4), (1, c, 5, 0.6, 1, 0.3),
                (2, m, 3, 0.5, 1, 0.3), (2, t, 4, 0.5, 2, 0.3), (2, n, 4, 0.5, 1, 0.3),
                (2, st, 1, 0.5, 3, 0.5), (2, c, 3, 0.5, 1, 0.3),
            ],
            lean=[0.6, 0.25, 0.15], outcome=0, review_due=dt.date(2026, 10, 20),
            reviews=[
                (dt.date(2026, 10, 26), "The ordinance passed 5-4. Evictions slowed, but "
                 "the neighbors we canvassed expected rent relief the ordinance does not "
                 "give; the partners felt we skipped the primary.",
                 {m: _gl(2.5, 0), t: _gl(4, 0), n: _gl(2, 1), st: _gl(0.5, 1),
                  c: _gl(1, 1)}),
            ],
        ),
        dict(
            base,
            question="Do we join the coalition's phone bank for the general election, or "
            "canvass our own precincts?",
            context="The table wants every partner's volunteers on one phone bank.",
            opened=at(dt.date(2026, 9, 21), 19), closes=at(dt.date(2026, 10, 3), 21),
            options=[("Join the coalition phone bank", ""),
                     ("Canvass our own precincts", "")],
            impacts=[
                (0, m, 2, 0.5, 1, 0.3), (0, t, 1, 0.5, 0, 0), (0, n, 1, 0.4, 0, 0),
                (0, st, 1, 0.5, 1, 0.3), (0, c, 5, 0.6, 1, 0.2),
                (1, m, 4, 0.6, 1, 0.3), (1, t, 2, 0.5, 1, 0.2), (1, n, 4, 0.5, 1, 0.2),
                (1, st, 2, 0.5, 1, 0.3), (1, c, 2, 0.5, 2, 0.4),
            ],
            lean=[0.35, 0.65], outcome=1, review_due=dt.date(2026, 12, 10),
        ),
    ]


# ---------------------------------------------------------------- scenarios

#: How likely a council member of each bloc votes with us.
P_WITH_US: dict[str, float] = {"progressive": 0.92, "centrist": 0.35, "conservative": 0.05}

#: Riverton's wards for the write-in scenario: name, voters, turnout, shares of the
#: nominee, the mayor and the Republican, group.
WARDS: list[tuple[str, int, float, tuple[float, float, float], str]] = [
    ("Ward 1 (north side)", 21000, 0.38, (0.62, 0.23, 0.15), "renters"),
    ("Ward 2 (east bank)", 19000, 0.35, (0.58, 0.27, 0.15), "renters"),
    ("Ward 3 (downtown)", 15000, 0.42, (0.45, 0.38, 0.17), "downtown"),
    ("Ward 4 (hills)", 17000, 0.52, (0.30, 0.42, 0.28), "homeowners"),
    ("Ward 5 (westfield)", 16000, 0.55, (0.25, 0.40, 0.35), "homeowners"),
    ("Ward 6 (airport)", 18000, 0.33, (0.57, 0.28, 0.15), "renters"),
]

#: Draws of the demo's saved scenarios.
SCENARIO_DRAWS = 20000


#: Draws per variant of the stored sweep of the council scenario.
SWEEP_DRAWS = 2_000


def council_scenario(seed: int) -> dict[str, Any]:
    """Northside's scenario: does the 5-4 council majority hold (the spec, drawn from ``seed``)."""
    members = []
    for given_name, family_name, bloc, _x in cast.COUNCIL:
        full = f"{given_name} {family_name}"
        p = P_WITH_US[bloc]
        if full == cast.MOVER:
            p = 0.6
        elif full in cast.MAYOR_CLOSE:
            p = 0.2
        members.append({"name": full, "weight": 1, "p_with_us": p, "bloc": bloc})
    return {
        "name": "Does our 5-4 council majority hold?",
        "body": {"quota": 5, "members": members,
                 "blocs": {"progressive": 0.6, "centrist": 0.7}},
        "shocks": [
            {"kind": "bloc_shift", "bloc": "centrist", "steps": -1, "probability": 0.5,
             "label": "The centrists follow the mayor after the election"},
            {"kind": "member_defects", "member": cast.COUNCIL[4][0] + " " + cast.COUNCIL[4][1],
             "probability": 0.15,
             "label": "Westfield money peels off our least secure vote"},
        ],
        "seed": seed,
        "draws": SCENARIO_DRAWS,
    }


def write_in_scenario(seed: int) -> dict[str, Any]:
    """Northside's scenario: the write-in and the center realigning (the spec, from ``seed``)."""
    nominee = "Imani Calloway"
    mayor = "Desmond Hartigan"
    gop = "Gideon Pemberton"
    return {
        "name": "The write-in: does the center realign against our nominee?",
        "race": {
            "candidates": [
                {"name": nominee, "us": True},
                {"name": mayor, "write_in": True, "counted": 0.92},
                {"name": gop},
            ],
            "divisions": [
                {"name": nm, "voters": voters, "turnout": turnout,
                 "shares": {nominee: a, mayor: b, gop: c}, "group": group}
                for nm, voters, turnout, (a, b, c), group in WARDS
            ],
        },
        "shocks": [
            {"kind": "capture", "to": mayor, "from": gop, "fraction": 0.9,
             "probability": 0.6,
             "label": "Republican voters consolidate behind the write-in"},
            {"kind": "capture", "to": mayor, "fraction": 0.2,
             "probability": 0.4, "label": "Attack mailers capture part of our base"},
            {"kind": "turnout", "change": 0.1, "group": "renters", "probability": 0.5,
             "label": "Our field program lifts renter turnout"},
        ],
        "seed": seed,
        "draws": SCENARIO_DRAWS,
    }


COUNCIL_SCENARIO_DESCRIPTION = ("The council's one-seat majority under the blowback the "
                                "panel warned about.")
WRITE_IN_SCENARIO_DESCRIPTION = ("The defeated incumbent runs a write-in; the center and "
                                 "the right may consolidate behind him.")
