"""Issues, stances that move, and the power map."""

from __future__ import annotations

import datetime as dt

import numpy as np

from broadfront.demo import cast, names, story
from broadfront.demo.builder import Builder
from broadfront.demo.story import CHAPTER_LEADER, SQUAD_LEADER, day_of
from broadfront.web.landscape.models import (
    Issue,
    Relationship,
    Stance,
)


def landscape(demo: Builder) -> None:
    """Issues, stances that move over time, and the power map."""
    rng = demo.rng["landscape"]
    issues = [Issue(name=nm, slug=slug, description=desc) for slug, nm, desc in names.ISSUES]
    demo.bulk(issues)
    demo.issues = {i.slug: i for i in issues}
    k = demo.org_by_key
    fed = k["fed"].pk
    dates = list(story.STANCE_DAYS)
    stances: list[Stance] = []

    def stance(issue: str, score: float, day: dt.date, *, org: int | None = None,
               person: int | None = None, by: int = fed, evidence: str = "") -> None:
        stances.append(Stance(
            issue=demo.issues[issue], organization_id=org, person_id=person,
            score=int(np.clip(round(score), -3, 3)), assessed_on=day,
            evidence=evidence or "Assessment at the Riverland Forward strategy table.",
            recorded_by_id=by,
        ))

    movers = {("demclub", "living-wage"), ("demclub", "tenant-protections")}
    for o in demo.orgs:
        for slug, _, _ in names.ISSUES:
            if (o.key, slug) in movers:
                continue
            base = o.spectrum + rng.normal(0, 0.6)
            for day in dates:
                stance(slug, base + rng.normal(0, 0.4), day, org=o.pk)
    # the Democratic Club moves away after endorsing the write-in
    for slug in ("living-wage", "tenant-protections"):
        for day, score in ((dates[0], 1), (dates[1], 0), (dt.date(2026, 10, 5), -2)):
            stance(slug, score, day, org=k["demclub"].pk,
                   evidence="Endorsed the incumbent's write-in; now attacks the nominee's "
                   "platform." if score == -2 else "")
    # council members on every issue, from their ideal points; the mover moves
    for given_name, family_name, _bloc, x in cast.COUNCIL:
        full = f"{given_name} {family_name}"
        pk = demo.public[f"council:{full}"].pk
        for slug, _, _ in names.ISSUES:
            if full == cast.MOVER and slug == "tenant-protections":
                for day, score in ((dates[0], -1), (dates[1], 0), (dt.date(2026, 10, 1), 2)):
                    stance(slug, score, day, person=pk,
                           evidence="Met with tenants from her ward three times; voted for "
                           "the ordinance." if score == 2 else "")
                continue
            if full == cast.DRIFTER and slug in story.DRIFT_ISSUES:
                # an ally on these issues in 2025; follows the mayor after the primary
                for day, score in ((dt.date(2025, 3, 1), 1), (dates[0], 1), (dates[1], 0),
                                   (dt.date(2026, 10, 5), -1)):
                    stance(slug, score, day, person=pk,
                           evidence="Campaigned for the mayor's write-in; now calls the "
                           "platform unaffordable." if score < 0 else "")
                continue
            for day in dates:
                stance(slug, 1.8 * x + rng.normal(0, 0.5), day, person=pk)
    p = demo.public
    for key, score in (("mayor", -1), ("nominee", 3), ("conservative", -3), ("senator", 0),
                       ("chair", 0)):
        for slug, _, _ in names.ISSUES:
            stance(slug, score + rng.normal(0, 0.5), dates[1], person=p[key].pk)
    # Faith's own assessments of its squad leaders (private: only Faith sees them)
    for org_key in ("faith", "northside", "westfield", "hwp"):
        o = k[org_key]
        leaders = o.people[demo.p_level[o.people] >= SQUAD_LEADER][:25]
        for i in leaders:
            stance("living-wage" if org_key != "westfield" else "tenant-protections",
                   (-2 if org_key == "westfield" else 2) + rng.normal(0, 0.7), dates[1],
                   person=int(demo.p_pk[i]), by=o.pk,
                   evidence="One-to-one conversation.")
    demo.bulk(stances)
    # the power map
    rels: list[Relationship] = []

    def rel(kind: str, src: tuple[str, int], dst: tuple[str, int], start: dt.date | None,
            by: int = fed, strength: int = 2, source: str = "", end: dt.date | None = None
            ) -> None:
        rels.append(Relationship(
            kind=kind,
            source_organization_id=src[1] if src[0] == "o" else None,
            source_person_id=src[1] if src[0] == "p" else None,
            target_organization_id=dst[1] if dst[0] == "o" else None,
            target_person_id=dst[1] if dst[0] == "p" else None,
            start_date=start, end_date=end, strength=strength, recorded_by_id=by,
            source=source or "Coalition research, shared at the table.",
        ))

    def org(key: str) -> tuple[str, int]:
        return ("o", k[key].pk)

    def pub(key: str) -> tuple[str, int]:
        return ("p", p[key].pk)

    for o in demo.orgs:
        if o.kind == "chapter":
            rel("member_of", ("o", o.pk), org("fed"), dt.date(2019, 5, 1), strength=3)
        elif o.key.startswith("congregation-"):
            rel("member_of", ("o", o.pk), org("faith"), dt.date(2020, 2, 1), strength=3)
        elif o.key.startswith("partner-"):
            rel("allied_with", ("o", o.pk), org("fed"), dt.date(2024, 3, 1))
        elif o.key.startswith("neutral-") and o.spectrum <= -2:
            rel("allied_with", ("o", o.pk), org("westfield"), dt.date(2023, 1, 1))
    def named(ref: tuple[str, str]) -> tuple[str, int]:
        return org(ref[1]) if ref[0] == "o" else pub(ref[1])

    for kind, src, dst, start, strength, source, until in story.POWER_MAP:
        rel(kind, named(src), named(dst), start, strength=strength, source=source, end=until)
    for given_name, family_name, bloc, _x in cast.COUNCIL:
        full = f"{given_name} {family_name}"
        member = ("p", p[f"council:{full}"].pk)
        if bloc == "progressive":
            rel("allied_with", member, org("fed"), dt.date(2024, 1, 1))
        elif full in cast.MAYOR_CLOSE:
            rel("allied_with", member, pub("mayor"), dt.date(2020, 1, 1), strength=3)
        elif bloc == "conservative":
            rel("allied_with", member, org("westfield"), dt.date(2022, 1, 1), strength=3)
        else:
            rel("knows", member, org("tenants"), dt.date(2026, 5, 1), strength=1)
    # private person-level ties: leaders lead their organization and know each other
    for o in demo.orgs:
        leaders = o.people[demo.p_level[o.people] >= CHAPTER_LEADER]
        for j, i in enumerate(leaders):
            rel("leads", ("p", int(demo.p_pk[i])), ("o", o.pk), day_of(int(demo.p_joined[i])),
                by=o.pk, strength=2, source="Our own records.")
            if j:
                rel("knows", ("p", int(demo.p_pk[i])), ("p", int(demo.p_pk[leaders[j - 1]])),
                    None, by=o.pk, strength=int(rng.integers(1, 4)),
                    source="Our own records.")
    demo.bulk_stream("landscape", [rels[i:i + demo.batch]
                                    for i in range(0, len(rels), demo.batch)], len(rels))
