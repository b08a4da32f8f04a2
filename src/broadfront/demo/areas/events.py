"""Events with RSVPs and attendance, and the gatherings the ladder's criteria read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np

from broadfront.demo import cast, story
from broadfront.demo.builder import Builder
from broadfront.demo.cast import DEMO_AS_OF
from broadfront.demo.story import EPOCH, LADDER, at, day_of
from broadfront.web.accountability.models import (
    Attendance,
    Event,
)


def events(demo: Builder) -> None:
    """Every organization's ordinary events with RSVPs, show-ups and who brought whom."""
    rng = demo.rng["events"]
    first = (story.EVENTS_FROM - EPOCH).days
    last = (story.EVENTS_UNTIL - EPOCH).days
    today = DEMO_AS_OF
    events: list[Event] = []
    invitees: list[np.ndarray] = []
    rates: list[float] = []
    for o in demo.orgs:
        n_people = len(o.people)
        n_events = int(np.clip(round(n_people / 150), 3, 40))
        for j in range(n_events):
            kind = story.EVENT_KINDS[int(rng.integers(len(story.EVENT_KINDS)))]
            day = day_of(int(rng.integers(first, last)))
            campaign = None
            if o.key == "faith":
                campaign = demo.campaigns["caucus"]
            elif o.table is not None and kind in ("canvass", "phonebank"):
                campaign = demo.campaigns["general"]
            starts = at(day, int(rng.integers(10, 20)))
            events.append(Event(
                organization_id=o.pk, name=f"{o.name}: {kind} #{j + 1}", kind=kind,
                starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                coalition=demo.coalitions["forward"] if o.table and rng.random() < 0.3
                else None,
                campaign=campaign,
                division_id=int(demo.precinct_pk[demo.p_precinct[o.people[0]]])
                if n_people else None,
            ))
            k = min(n_people, int(rng.integers(12, 90)))
            invitees.append(rng.choice(o.people, k, replace=False) if k
                            else o.people[:0])
            rates.append(o.show_up)
    demo.bulk(events)
    statuses = np.array(["accepted", "tentative", "declined", "needs action"])
    status_p = [0.6, 0.15, 0.1, 0.15]
    total = int(sum(len(x) for x in invitees))
    demo.tick("events", 0, total)

    person_pk = demo.p_pk

    def rows() -> Iterable[tuple[Any, ...]]:
        for ev, people, rate in zip(events, invitees, rates, strict=True):
            past = ev.starts_at.date() < today
            st = rng.choice(len(statuses), len(people), p=status_p)
            shows = np.zeros(len(people), dtype=bool)
            if past:
                # exactly round(rate x n) of those who said yes show up (a maybe: 40% of
                # that rate); a few who said no or never answered come anyway
                for code, p_show in ((0, rate), (1, rate * 0.4)):
                    idx = np.flatnonzero(st == code)
                    n_show = int(round(p_show * len(idx)))
                    shows[rng.choice(idx, n_show, replace=False)] = True
                stray = (st >= 2) & (rng.random(len(people)) < 0.04)
                shows |= stray
            # people bring people: about one RSVP in eight came through another invitee
            # of the same event (same organization) who said yes
            pks = person_pk[people]
            inviter: list[int | None] = [None] * len(people)
            yes = np.flatnonzero(st == 0)
            if len(yes) > 1:
                brought = rng.random(len(people)) < 0.12
                pick = yes[rng.integers(len(yes), size=len(people))]
                for i in np.flatnonzero(brought & (pick != np.arange(len(people)))).tolist():
                    inviter[i] = int(pks[pick[i]])
            for person, s, show, by in zip(pks.tolist(), st.tolist(), shows.tolist(),
                                           inviter, strict=True):
                yield (ev.pk, person, status_names[s], show if past else None, by)

    status_names = [str(x) for x in statuses]
    demo.rows("events", Attendance,
               ["event_id", "person_id", "status", "attended", "invited_by_id"], rows(),
               total)


def gatherings(demo: Builder) -> None:
    """Core groups, squad meetings and practice caucuses, with RSVPs and who brought whom.

    Northside, Faith and HWP each have a core group (members, active members and leaders)
    meeting every two weeks; its regulars bring guests from the organization's people.
    Every squad of Faith's caucus-bloc campaign meets every six weeks (the leader
    and the recruits who had committed by then), and each county held a practice caucus
    where the recruits marked "attended" came. This is what the ladder's criteria
    (attendance, people brought, squad show-up, kept caucus commitments) read.
    """
    rng = demo.rng["gatherings"]
    today = (DEMO_AS_OF - EPOCH).days
    k = demo.org_by_key
    caucus = demo.campaigns["caucus"]
    events: list[Event] = []
    invites: list[list[tuple[int, int, bool | None, int]]] = []  # person, status, came, by
    # core groups: every two weeks from a year ago to two months ahead
    for key in cast.CORE_GROUP_ORGS:
        o = k[key]
        people = o.people
        level = demo.p_level[people]
        groups = []
        for lo, hi, n in ((1, 1, 8), (2, 2, 8), (3, len(LADDER), 6)):
            pool = people[(level >= lo) & (level <= hi)]
            take = min(n, len(pool))
            groups.append(rng.choice(pool, take, replace=False) if take else pool[:0])
        core = np.concatenate(groups)
        if not len(core):
            continue
        n = len(core)
        p_yes = rng.uniform(0.6, 0.95, n)
        p_come = rng.uniform(0.3, 1.0, n)
        p_bring = rng.choice(np.array([0.0, 0.0, 0.1, 0.3]), n)
        guests = np.setdiff1d(people, core)
        division = int(demo.precinct_pk[demo.p_precinct[people[0]]])
        for j, day in enumerate(range(today - 364, today + 57, 14)):
            kind = "meeting" if j % 2 == 0 else "training"
            starts = at(day_of(day), 18)
            events.append(Event(
                organization_id=o.pk, name=f"{o.name}: core group {kind} #{j + 1}",
                kind=kind, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                division_id=division,
            ))
            past = day < today
            said_yes = rng.random(n) < p_yes
            other = rng.choice(np.array([1, 2, 3]), n, p=[0.3, 0.2, 0.5])
            codes = np.where(said_yes, 0, other)
            showed = said_yes & (rng.random(n) < p_come)
            rows: list[tuple[int, int, bool | None, int]] = [
                (int(core[i]), int(codes[i]), bool(showed[i]) if past else None, -1)
                for i in range(n)
            ]
            if past and len(guests):
                seen = set()
                for i in np.flatnonzero(showed & (rng.random(n) < p_bring)).tolist():
                    guest = int(guests[rng.integers(len(guests))])
                    if guest not in seen:
                        seen.add(guest)
                        rows.append((guest, 0, bool(rng.random() < 0.75), int(core[i])))
            invites.append(rows)
    # squad meetings: every six weeks over the last 200 days and the next six weeks
    by_squad: dict[int, list[tuple[int, int, str]]] = {}
    for person, _pi, j, day, status in demo.recruit_plan:
        if j >= 0:
            by_squad.setdefault(j, []).append((person, day, status))
    faith = k["faith"]
    for j, squad in enumerate(demo.squads):
        assert squad.formed_on is not None
        formed = (squad.formed_on - EPOCH).days
        quality = float(demo.squad_quality[j])
        leader = demo.squad_leader[j]
        start = max(formed + 7, today - 200) + int(rng.integers(0, 42))
        for n_ev, day in enumerate(range(start, today + 43, 42)):
            kind = "meeting" if n_ev % 3 else "training"
            starts = at(day_of(day), 19)
            events.append(Event(
                organization_id=faith.pk, campaign=caucus, kind=kind,
                name=f"{squad.name}: {kind} #{n_ev + 1}", starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2), division_id=squad.division_id,
            ))
            past = day < today
            rows = [(leader, 0, bool(rng.random() < 0.95) if past else None, -1)]
            for person, committed, status in by_squad.get(j, []):
                if committed > day or person == leader:
                    continue
                if status == "dropped":
                    rows.append((person, 2, False if past else None, -1))
                    continue
                yes = rng.random() < 0.7
                came = yes and rng.random() < quality
                rows.append((person, 0 if yes else 3, came if past else None, -1))
            invites.append(rows)
    # practice caucuses, one per county: the recruits marked "attended" came
    practice = (cast.PRACTICE_CAUCUS_DAY - EPOCH).days
    by_county: dict[int, list[tuple[int, str]]] = {}
    for person, pi, _j, day, status in demo.recruit_plan:
        if day < practice:
            by_county.setdefault(int(demo.precinct_county[pi]), []).append((person, status))
    for ci in sorted(by_county):
        county = demo.counties[ci]
        starts = at(cast.PRACTICE_CAUCUS_DAY, 10)
        events.append(Event(
            organization_id=faith.pk, campaign=caucus, kind="caucus",
            name=f"Practice caucus: {county.name}", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3), division_id=county.pk,
        ))
        rows = []
        for person, status in by_county[ci]:
            if status == "attended":
                rows.append((person, 0, True, -1))
            elif status == "dropped":
                rows.append((person, 2, False, -1))
            else:
                rows.append((person, 0 if rng.random() < 0.5 else 3, False, -1))
        invites.append(rows)
    demo.bulk(events)
    statuses = ["accepted", "tentative", "declined", "needs action"]
    person_pk = demo.p_pk.tolist()
    total = sum(len(rows) for rows in invites)
    demo.tick("gatherings", 0, total)

    def attendance() -> Iterable[tuple[Any, ...]]:
        for ev, rows in zip(events, invites, strict=True):
            for person, status, came, by in rows:
                yield (ev.pk, person_pk[person], statuses[status], came,
                       person_pk[by] if by >= 0 else None)

    demo.rows("gatherings", Attendance,
               ["event_id", "person_id", "status", "attended", "invited_by_id"],
               attendance(), total)
