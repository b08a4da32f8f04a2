"""Divisions, organizations, logins, people and the leadership ladder of the demo."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from broadfront.demo import cast, names, story
from broadfront.demo.builder import Builder, Org, batched, slug, split
from broadfront.demo.cast import DEMO_AS_OF, DEMO_LOGINS, DEMO_PASSWORD
from broadfront.demo.story import EPOCH, LADDER, SQUAD_LEADER, at, day_of
from broadfront.web.organizations.models import (
    Coalition,
    CoalitionCoordinator,
    CoalitionMembership,
    Division,
    LeadershipStep,
    Membership,
    Organization,
    OrganizationRole,
    Person,
)


def divisions(demo: Builder) -> None:
    """The state, its counties, the city, districts and precincts (party vote, caucus turnout)."""
    rng = demo.rng["divisions"]
    size = demo.size
    state_ocd = names.STATE_OCD_ID
    per_county = split(size.precincts, size.counties)
    counties: list[tuple[str, list[list[tuple[int, int]]]]] = []
    for ci, n_prec in enumerate(per_county):
        code = names.COUNTIES[ci]
        per_district = split(n_prec, size.districts_per_county)
        districts = []
        for nd in per_district:
            votes = np.clip(rng.lognormal(math.log(900), 0.5, nd), 150, 8000).astype(int)
            factor = rng.uniform(0.7, 1.4, nd)
            att = np.maximum(3, np.round(votes * 0.01 * factor)).astype(int)
            districts.append(list(zip(votes.tolist(), att.tolist(), strict=True)))
        counties.append((code, districts))
    total_votes = sum(v for _, ds in counties for d in ds for v, _ in d)
    total_att = sum(a for _, ds in counties for d in ds for _, a in d)
    state = Division(ocd_id=state_ocd, name=f"State of {names.STATE_NAME}", level="state",
                     party_vote=total_votes, expected_attendance=total_att)
    demo.bulk([state])
    demo.state = state
    county_objs = [
        Division(
            ocd_id=f"{state_ocd}/county:{code}", name=f"{code.title()} County",
            level="county", parent=state,
            party_vote=sum(v for d in ds for v, _ in d),
            expected_attendance=sum(a for d in ds for _, a in d),
        )
        for code, ds in counties
    ]
    demo.bulk(county_objs)
    demo.counties = county_objs
    ash = county_objs[0]
    city_votes = int(round(ash.party_vote * 0.6))
    demo.city = Division(ocd_id=names.CITY_OCD_ID, name=f"City of {names.CITY_NAME}",
                         level="city", parent=ash, party_vote=city_votes,
                         expected_attendance=int(round(ash.expected_attendance * 0.6)))
    demo.bulk([demo.city])
    district_objs = []
    for (code, ds), county in zip(counties, county_objs, strict=True):
        for di, d in enumerate(ds, start=1):
            district_objs.append(Division(
                ocd_id=f"{state_ocd}/county:{code}/district:{di}",
                name=f"{code.title()} County District {di}", level="district",
                parent=county, party_vote=sum(v for v, _ in d),
                expected_attendance=sum(a for _, a in d),
            ))
    demo.bulk(district_objs)
    precincts: list[Division] = []
    county_of: list[int] = []
    postal: list[str] = []
    k = 0
    for ci, (code, ds) in enumerate(counties):
        number = 0
        for d in ds:
            parent = district_objs[k]
            k += 1
            for n_votes, n_att in d:
                number += 1
                precincts.append(Division(
                    ocd_id=f"{state_ocd}/county:{code}/precinct:{number}",
                    name=f"{code.title()} Precinct {number}", level="precinct",
                    parent=parent, party_vote=n_votes, expected_attendance=n_att,
                ))
                county_of.append(ci)
                postal.append(story.postal_code(ci, number))
    demo.tick("divisions", 0, len(precincts))
    done = 0
    for start in range(0, len(precincts), demo.batch):
        chunk = precincts[start:start + demo.batch]
        demo.bulk(chunk)
        done += len(chunk)
        demo.tick("divisions", done, len(precincts))
    demo.precinct_pk = np.array([p.pk for p in precincts], dtype=np.int64)
    demo.precinct_att = np.array([p.expected_attendance for p in precincts], dtype=np.int64)
    demo.precinct_name = [p.name for p in precincts]
    demo.precinct_county = np.array(county_of, dtype=np.int64)
    demo.precinct_postal = np.array(postal)


def organizations(demo: Builder) -> None:
    """The core cast and the extra organizations of the scale, and the two coalition tables."""
    rng = demo.rng["organizations"]
    specs: list[tuple[str, str, str, int, int, float, float, str, str | None, str, str,
                      str | None]] = []
    for s in cast.CORE_ORGS:
        specs.append((s.key, s.name, s.kind, s.spectrum, s.influence, s.people_weight,
                      s.show_up, s.reliability, s.table, s.interests, s.home, s.parent))
    extra = demo.size.extra_organizations
    n_ch = min(len(names.CHAPTERS) - 2, round(extra * 0.4))
    n_pa = min(len(names.EXTRA_PARTNERS), round(extra * 0.25))
    n_co = min(len(names.EXTRA_CONGREGATIONS), round(extra * 0.2))
    n_ne = min(len(names.EXTRA_NEUTRALS), extra - n_ch - n_pa - n_co)
    short = extra - (n_ch + n_pa + n_co + n_ne)
    n_ch = min(len(names.CHAPTERS) - 2, n_ch + max(0, short))
    reliabilities = ("reliable", "mixed", "late", "breaks", "over", "mixed")
    for i, chapter in enumerate(names.CHAPTERS[2:2 + n_ch]):
        specs.append((f"chapter-{i}", f"{chapter} Chapter", "chapter", 3, 1,
                      float(rng.uniform(0.02, 0.05)), float(rng.uniform(0.4, 0.7)),
                      reliabilities[int(rng.integers(len(reliabilities)))], "partner",
                      f"Members in and around {chapter}.", f"county:{(i + 2)}", "fed"))
    for i, (nm, kind, spec) in enumerate(names.EXTRA_PARTNERS[:n_pa]):
        specs.append((f"partner-{i}", nm, kind, spec, int(rng.integers(1, 4)),
                      float(rng.uniform(0.02, 0.05)), float(rng.uniform(0.4, 0.7)),
                      reliabilities[int(rng.integers(len(reliabilities)))], "partner",
                      "A partner at the Riverland Forward table.", "anywhere", None))
    for i, nm in enumerate(names.EXTRA_CONGREGATIONS[:n_co]):
        specs.append((f"congregation-{i}", nm, "faith", 2, 1,
                      float(rng.uniform(0.01, 0.03)), float(rng.uniform(0.5, 0.7)),
                      "reliable", None, "A member congregation of Faith in Riverland.",
                      f"county:{i}", None))
    for i, (nm, kind, spec) in enumerate(names.EXTRA_NEUTRALS[:n_ne]):
        specs.append((f"neutral-{i}", nm, kind, spec, int(rng.integers(1, 5)),
                      float(rng.uniform(0.005, 0.02)), float(rng.uniform(0.4, 0.6)),
                      "mixed", None, "Another actor in Riverland politics.", "anywhere",
                      None))
    objs = []
    for key, nm, kind, spec, infl, _w, show, rel, table, interests, home, _p in specs:
        o = Org(key, nm, kind, spec, show, rel, table, home)
        demo.orgs.append(o)
        demo.org_by_key[key] = o
        objs.append(Organization(
            name=nm, slug=slug(nm), kind=kind, spectrum_position=spec, influence=infl,
            interests=interests,
            division=demo.city if home == "city" else demo.state,
        ))
    weights = np.array([s[5] for s in specs])
    counts = _people_per_org(demo, weights)
    for obj, n in zip(objs, counts, strict=True):
        obj.base_size = int(n * 3)
    demo.bulk(objs)
    for o, obj in zip(demo.orgs, objs, strict=True):
        o.pk = obj.pk
    demo.people_counts = counts
    # parents (chapters of the federation)
    fed_pk = demo.org_by_key["fed"].pk
    for spec_row, obj in zip(specs, objs, strict=True):
        if spec_row[11] == "fed":
            obj.parent_id = fed_pk
    Organization.objects.filter(
        id__in=[obj.pk for s, obj in zip(specs, objs, strict=True) if s[11] == "fed"]
    ).update(parent_id=fed_pk)
    # the coalition tables
    forward = Coalition(name=cast.COALITION_NAME, slug=cast.COALITION_SLUG,
                        description=story.FORWARD_DESCRIPTION)
    together = Coalition(name=cast.BROAD_FRONT_NAME, slug=cast.BROAD_FRONT_SLUG,
                         description=story.TOGETHER_DESCRIPTION)
    demo.bulk([forward, together])
    demo.coalitions = {"forward": forward, "together": together}
    members = []
    joined = story.FORWARD_JOINED
    for o in demo.orgs:
        if o.table is not None:
            members.append(CoalitionMembership(coalition=forward, organization_id=o.pk,
                                               joined_on=joined, role=o.table))
    broad = [s.key for s in cast.CORE_ORGS if s.broad_front]
    for key in broad:
        members.append(CoalitionMembership(
            coalition=together, organization_id=demo.org_by_key[key].pk,
            joined_on=story.TOGETHER_JOINED,
            role="anchor" if key == "party" else "partner",
        ))
    demo.bulk(members)
    demo.tick("organizations", len(demo.orgs), len(demo.orgs))


def _people_per_org(demo: Builder, weights: np.ndarray) -> list[int]:
    """Split the scale's people among organizations by weight, at least 12 each."""
    total = demo.size.people
    minimum = 12
    share = weights / weights.sum()
    raw = np.maximum(minimum, np.floor(share * total)).astype(int)
    diff = total - int(raw.sum())
    order = np.argsort(-share, kind="stable")
    i = 0
    while diff != 0:
        j = order[i % len(order)]
        if diff > 0:
            raw[j] += 1
            diff -= 1
        elif raw[j] > minimum:
            raw[j] -= 1
            diff += 1
        i += 1
    return [int(x) for x in raw]


@functools.lru_cache(maxsize=1)
def _password_hash() -> str:
    # One PBKDF2 hash with a fixed salt: every demo login shares the password, and the same
    # seed writes the same row (a random salt would not).
    return make_password(DEMO_PASSWORD, salt="broadfrontdemo")


def users(demo: Builder) -> None:
    """The demo logins and the members who cast ballots, with their roles."""
    password = _password_hash()
    joined = at(story.USERS_JOINED, 9)
    objs = []
    for login in DEMO_LOGINS:
        objs.append(User(
            username=login.username, email=f"{login.username}@example.org",
            password=password, first_name=login.username.title(),
            is_superuser=login.username == "admin", is_staff=login.username == "admin",
            date_joined=joined,
        ))
    for username in story.ballot_usernames():
        objs.append(User(username=username, email=f"{username}@example.org",
                         password="!demo-member-no-login", date_joined=joined))
    demo.bulk(objs)
    demo.users = {u.username: u for u in objs}
    roles = []
    for username, (org_key, role) in cast.LOGIN_ROLES.items():
        if org_key is not None:
            roles.append(OrganizationRole(user=demo.users[username],
                                          organization_id=demo.org_by_key[org_key].pk,
                                          role=role))
    for username in story.ballot_usernames():
        org_key = username.split("-member-")[0]
        roles.append(OrganizationRole(user=demo.users[username],
                                      organization_id=demo.org_by_key[org_key].pk,
                                      role="viewer"))
    demo.bulk(roles)
    demo.bulk([CoalitionCoordinator(user=demo.users["cora"],
                                     coalition=demo.coalitions["forward"])])
    demo.tick("users", len(objs), len(objs))


def people(demo: Builder) -> None:
    """Every organization's people (in bulk) and the public figures."""
    rng = demo.rng["people"]
    n_prec = len(demo.precinct_pk)
    city_prec = np.flatnonzero(demo.precinct_county == 0)
    owner = np.repeat(np.arange(len(demo.orgs)), demo.people_counts)
    total = len(owner)
    precinct = rng.integers(0, n_prec, total)
    start = 0
    for oi, (o, n) in enumerate(zip(demo.orgs, demo.people_counts, strict=True)):
        home: np.ndarray | None = None
        if o.home == "city":
            home = city_prec
        elif o.home.startswith("county:"):
            ci = int(o.home.split(":")[1]) % demo.size.counties
            home = np.flatnonzero(demo.precinct_county == ci)
        if home is not None and len(home):
            local = rng.random(n) < 0.75
            precinct[start:start + n][local] = home[rng.integers(0, len(home),
                                                                 int(local.sum()))]
        start += n
        assert owner[start - 1] == oi
    given = rng.integers(0, len(names.GIVEN_NAMES), total)
    family = rng.integers(0, len(names.FAMILY_NAMES), total)
    has_phone = rng.random(total) < 0.4
    # the ladder: 35% of people are tracked, at a stage drawn from a steep pyramid
    tracked = rng.random(total) < 0.35
    stage_p = np.array([0.30, 0.35, 0.20, 0.09, 0.035, 0.02, 0.005])
    level = np.where(tracked, rng.choice(len(stage_p), total, p=stage_p), -1)
    joined = rng.integers(0, (DEMO_AS_OF - EPOCH).days - 30, total)
    demo.p_owner = owner
    demo.p_precinct = precinct
    demo.p_level = level
    demo.p_joined = joined
    given_names = names.GIVEN_NAMES
    family_names = names.FAMILY_NAMES
    org_pk = np.array([o.pk for o in demo.orgs], dtype=np.int64)
    first_id = demo.first_free_id(Person) if demo.fast else 0
    created = at(DEMO_AS_OF, 0)  # the start of the story's day, moved like every date
    emails = [f"{given_names[g].lower()}.{family_names[f].lower()}"
              for g, f in zip(given.tolist(), family.tolist(), strict=True)]
    owner_pk = org_pk[owner].tolist()
    division_pk = demo.precinct_pk[precinct].tolist()
    postal = demo.precinct_postal[precinct].tolist()
    phones = has_phone.tolist()
    given_l, family_l = given.tolist(), family.tolist()

    def rows() -> Iterable[tuple[Any, ...]]:
        for i in range(total):
            yield (
                first_id + i, owner_pk[i], given_names[given_l[i]],
                family_names[family_l[i]], f"{emails[i]}.{i + 1}@example.org",
                f"+1-555-01{i % 100:02d}" if phones[i] else "", postal[i],
                division_pk[i], [], "", created,
            )

    columns = ["id", "owner_id", "given_name", "family_name", "email", "phone",
               "postal_code", "division_id", "identifiers", "public_role", "created_at"]
    demo.tick("people", 0, total)
    if demo.fast:
        demo.rows("people", Person, columns, rows(), total)
        demo.reset_sequence(Person)
        pks = np.arange(first_id, first_id + total, dtype=np.int64)
    else:
        pks = np.zeros(total, dtype=np.int64)
        done = 0
        for chunk in batched(rows(), demo.batch):
            objs = [Person(**dict(zip(columns[1:], row[1:], strict=True))) for row in chunk]
            demo.bulk(objs)
            pks[done:done + len(objs)] = [p.pk for p in objs]
            done += len(objs)
            demo.tick("people", done, total)
    demo.p_pk = pks
    for oi, o in enumerate(demo.orgs):
        o.people = np.flatnonzero(owner == oi)
    # public figures: council members, the mayor, candidates, the senator, the party chair
    public = []
    for given_name, family_name, bloc, _x in cast.COUNCIL:
        public.append((f"council:{given_name} {family_name}", Person(
            given_name=given_name, family_name=family_name,
            public_role=f"Riverton City Council member ({bloc})",
            division=demo.city, email=f"{given_name.lower()}@riverton.example.gov",
        )))
    for fig in cast.PUBLIC_FIGURES:
        public.append((fig.key, Person(given_name=fig.given, family_name=fig.family,
                                       public_role=fig.role, division=demo.state)))
    demo.bulk([p for _, p in public])
    demo.public = dict(public)


def ladder(demo: Builder) -> None:
    """Memberships and the steps each tracked person took on the leadership ladder."""
    rng = demo.rng["ladder"]
    total = len(demo.p_pk)
    org_pk = np.array([o.pk for o in demo.orgs], dtype=np.int64)
    today = (DEMO_AS_OF - EPOCH).days
    gaps = rng.integers(20, 240, (total, len(LADDER)))

    person_pk = demo.p_pk.tolist()
    owner_pk = org_pk[demo.p_owner].tolist()
    level = demo.p_level.tolist()
    joined = demo.p_joined.tolist()

    # Members are the people who reached the "member" step, from that step's date. People
    # we only track as supporters, or not at all, are contacts without a membership,
    # except one supporter in ten who joined in the last two months and whose step is not
    # recorded yet (the ladder lists them as ready to become members).
    member_day = np.minimum(today, demo.p_joined + gaps[:, 1])
    new_member = (demo.p_level == 0) & (rng.random(total) < 0.10)
    recent = np.maximum(demo.p_joined, today - rng.integers(3, 60, total))
    member_day = np.where(new_member, recent, member_day).tolist()
    has_membership = np.flatnonzero((demo.p_level >= 1) | new_member).tolist()

    def memberships() -> Iterable[tuple[Any, ...]]:
        for i in has_membership:
            yield (person_pk[i], owner_pk[i],
                   "leader" if level[i] >= SQUAD_LEADER else "member",
                   day_of(member_day[i]), None)

    demo.rows("ladder", Membership,
               ["person_id", "organization_id", "role", "start_date", "end_date"],
               memberships(), len(has_membership))
    tracked = np.flatnonzero(demo.p_level >= 0).tolist()
    gap_rows = gaps.tolist()

    def steps() -> Iterable[tuple[Any, ...]]:
        for i in tracked:
            day = joined[i]
            for s in range(level[i] + 1):
                if s:
                    day = min(today, day + gap_rows[i][s])
                yield (person_pk[i], owner_pk[i], LADDER[s], day_of(day), "")

    n_steps = int((demo.p_level[demo.p_level >= 0] + 1).sum())
    demo.rows("ladder", LeadershipStep,
               ["person_id", "organization_id", "stage", "date", "note"], steps(), n_steps)
