"""The leadership ladder: what each person has done, who is ready for the next step, the pipeline.

Person-level: every function here takes one organization the user belongs to and reads only
that organization's people (callers check membership with :func:`require_own_org`).

The criteria for the next step are written down once, in :data:`CRITERIA` (shown on the
Leaders page and in docs/user-guide.md). They are deliberately simple so an organizer can check
them by hand:

- supporter -> member: has a current membership in the organization;
- member -> active member: attended at least 3 events in the last 90 days, and at least 60%
  of the times they said yes in those 90 days (attendance taken) they came;
- active member -> squad leader: attended at least 6 events in the last 180 days with at
  least 70% show-up, and brought at least 2 people who came (RSVPs "invited by" them);
- squad leader -> chapter leader: leads a squad formed at least 90 days ago whose people
  (its recruits) said yes at least 10 times in the last 180 days and came at least 60% of the
  time;
- chapter leader -> delegate -> candidate: chosen by the members (an election or a
  nomination), never computed; nobody is listed as "ready" for these steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Q

from broadfront import clock
from broadfront.exceptions import NotFoundError
from broadfront.web.accountability.models import Attendance
from broadfront.web.campaigns.models import Recruit, Squad
from broadfront.web.common.tenancy import is_site_operator, own_org_ids
from broadfront.web.organizations.models import (
    LADDER_ORDER,
    LadderStage,
    LeadershipStep,
    Membership,
    Organization,
    Person,
)

ACTIVE_EVENTS, ACTIVE_DAYS, ACTIVE_SHOW_UP = 3, 90, 0.6
LEADER_EVENTS, LEADER_DAYS, LEADER_SHOW_UP, LEADER_BROUGHT = 6, 180, 0.7, 2
CHAPTER_SQUAD_AGE, CHAPTER_RSVPS, CHAPTER_SHOW_UP = 90, 10, 0.6

CRITERIA: list[tuple[str, str, str]] = [
    ("supporter", "member", "has a current membership in the organization"),
    ("member", "active_member",
     f"attended at least {ACTIVE_EVENTS} events in the last {ACTIVE_DAYS} days, and came at "
     f"least {ACTIVE_SHOW_UP:.0%} of the times they said yes in those days"),
    ("active_member", "squad_leader",
     f"attended at least {LEADER_EVENTS} events in the last {LEADER_DAYS} days with at least "
     f"{LEADER_SHOW_UP:.0%} show-up, and brought at least {LEADER_BROUGHT} people who came"),
    ("squad_leader", "chapter_leader",
     f"leads a squad formed at least {CHAPTER_SQUAD_AGE} days ago whose people said yes at "
     f"least {CHAPTER_RSVPS} times in the last {LEADER_DAYS} days and came at least "
     f"{CHAPTER_SHOW_UP:.0%} of the time"),
    ("chapter_leader", "delegate", "chosen by the members (an election): not computed"),
    ("delegate", "candidate", "nominated by the members: not computed"),
]
STAGE_LABELS = {s.value: str(s.label) for s in LadderStage}


def require_own_org(user: Any, slug: str | None) -> Organization:
    """One of the user's own organizations (by slug, or the first); NotFoundError for any other."""
    qs = Organization.objects.all() if is_site_operator(user) else Organization.objects.filter(
        id__in=own_org_ids(user))
    org = (qs.filter(slug=slug) if slug else qs.order_by("name")).first()
    if org is None:
        raise NotFoundError(f"organization {slug!r} of yours not found" if slug else "no organization of yours")
    return org


def _window(now: dt.datetime, days: int) -> Q:
    return Q(event__starts_at__gte=now - dt.timedelta(days=days), event__starts_at__lt=now)


@dataclass
class Activity:
    """What one person has done (counts over their history and the recent windows)."""

    attended: int = 0
    said_yes: int = 0  # with attendance taken, past events
    came: int = 0
    attended_90: int = 0
    yes_90: int = 0
    came_90: int = 0
    attended_180: int = 0
    yes_180: int = 0
    came_180: int = 0
    brought_180: int = 0
    commitments: int = 0  # caucus commitments (recruitments) resolved
    kept: int = 0
    squads: list[dict[str, Any]] = field(default_factory=list)

    @property
    def show_up(self) -> float | None:
        return self.came / self.said_yes if self.said_yes else None


def activities(org: Organization, now: dt.datetime,
               person_ids: list[int] | None = None) -> dict[int, Activity]:
    """Activity of the organization's people, by a handful of grouped queries."""
    base = Attendance.objects.filter(person__owner=org, event__starts_at__lt=now)
    if person_ids is not None:
        base = base.filter(person_id__in=person_ids)
    taken = Q(status=Attendance.Status.ACCEPTED, attended__isnull=False)
    came = Q(attended=True)
    w90, w180 = _window(now, ACTIVE_DAYS), _window(now, LEADER_DAYS)
    out: dict[int, Activity] = {}
    for row in base.values("person_id").annotate(
        a=Count("id", filter=came), y=Count("id", filter=taken),
        c=Count("id", filter=taken & came),
        a90=Count("id", filter=came & w90), y90=Count("id", filter=taken & w90),
        c90=Count("id", filter=taken & came & w90),
        a180=Count("id", filter=came & w180), y180=Count("id", filter=taken & w180),
        c180=Count("id", filter=taken & came & w180),
    ).values_list("person_id", "a", "y", "c", "a90", "y90", "c90", "a180", "y180", "c180"):
        out[row[0]] = Activity(*row[1:])
    brought = Attendance.objects.filter(invited_by__owner=org, attended=True).filter(w180)
    if person_ids is not None:
        brought = brought.filter(invited_by_id__in=person_ids)
    for pid, n in brought.values("invited_by_id").annotate(n=Count("id")).values_list(
            "invited_by_id", "n"):
        out.setdefault(pid, Activity()).brought_180 = n
    recruits = Recruit.objects.filter(organization=org).exclude(status=Recruit.Status.COMMITTED)
    if person_ids is not None:
        recruits = recruits.filter(person_id__in=person_ids)
    for pid, n, k in recruits.values("person_id").annotate(
        n=Count("id"), k=Count("id", filter=Q(status=Recruit.Status.ATTENDED))
    ).values_list("person_id", "n", "k"):
        act = out.setdefault(pid, Activity())
        act.commitments, act.kept = n, k
    for sq in squad_records(org, now, person_ids):
        out.setdefault(sq["leader_id"], Activity()).squads.append(sq)
    return out


def squad_records(org: Organization, now: dt.datetime,
                  leader_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Squads with a leader and how their people showed up in the last 180 days."""
    squads = Squad.objects.filter(organization=org, leader__isnull=False)
    if leader_ids is not None:
        squads = squads.filter(leader_id__in=leader_ids)
    rows = list(squads.values_list("id", "name", "leader_id", "formed_on"))
    if not rows:
        return []
    counts = {sid: (n, k) for sid, n, k in Attendance.objects.filter(
        status=Attendance.Status.ACCEPTED, attended__isnull=False,
        person__recruitments__squad_id__in=[r[0] for r in rows],
    ).filter(_window(now, LEADER_DAYS)).values("person__recruitments__squad_id").annotate(
        n=Count("id"), k=Count("id", filter=Q(attended=True))
    ).values_list("person__recruitments__squad_id", "n", "k")}
    members = dict(Recruit.objects.filter(squad_id__in=[r[0] for r in rows]).values(
        "squad_id").annotate(n=Count("id")).values_list("squad_id", "n"))
    out = []
    for sid, name, leader, formed in rows:
        n, k = counts.get(sid, (0, 0))
        out.append({"id": sid, "name": name, "leader_id": leader, "formed_on": formed,
                    "people": members.get(sid, 0), "said_yes": n, "came": k,
                    "show_up": k / n if n else None})
    return out


def _stages(org: Organization) -> dict[int, str]:
    best: dict[int, str] = {}
    for pid, stage in LeadershipStep.objects.filter(organization=org).values_list(
            "person_id", "stage"):
        if pid not in best or LADDER_ORDER[stage] > LADDER_ORDER[best[pid]]:
            best[pid] = stage
    return best


def next_step(stage: str | None, act: Activity, is_member: bool, now: dt.datetime
              ) -> tuple[str | None, bool, str]:
    """(next stage, ready?, why in words) for a person at ``stage`` with ``act``."""
    stage = stage or "supporter"
    if stage == "supporter":
        return "member", is_member, ("has a current membership" if is_member
                                     else "no current membership yet")
    if stage == "member":
        rate = act.came_90 / act.yes_90 if act.yes_90 else 0.0
        ok = act.attended_90 >= ACTIVE_EVENTS and rate >= ACTIVE_SHOW_UP
        return "active_member", ok, (f"attended {act.attended_90} events in {ACTIVE_DAYS} days, "
                                     f"came {act.came_90} of {act.yes_90} times they said yes")
    if stage == "active_member":
        rate = act.came_180 / act.yes_180 if act.yes_180 else 0.0
        ok = (act.attended_180 >= LEADER_EVENTS and rate >= LEADER_SHOW_UP
              and act.brought_180 >= LEADER_BROUGHT)
        return "squad_leader", ok, (
            f"attended {act.attended_180} events in {LEADER_DAYS} days, came {act.came_180} of "
            f"{act.yes_180} times, brought {act.brought_180} people who came")
    if stage == "squad_leader":
        cutoff = (now - dt.timedelta(days=CHAPTER_SQUAD_AGE)).date()
        good = [s for s in act.squads if s["formed_on"] is not None and s["formed_on"] <= cutoff
                and s["said_yes"] >= CHAPTER_RSVPS and s["came"] >= CHAPTER_SHOW_UP * s["said_yes"]]
        why = "; ".join(f"{s['name']}: {s['came']} of {s['said_yes']} came" for s in act.squads)
        return "chapter_leader", bool(good), why or "leads no squad yet"
    nxt = {"chapter_leader": "delegate", "delegate": "candidate"}.get(stage)
    return nxt, False, "chosen by the members, not computed"


@dataclass
class Candidate:
    person: Person
    stage: str
    next_stage: str
    why: str


def ready_for_next_step(org: Organization, now: dt.datetime) -> dict[str, list[Candidate]]:
    """People ready for their next step, grouped by that step (ladder order)."""
    stages = _stages(org)
    today = now.date()
    members = set(Membership.objects.filter(organization=org).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today)).values_list("person_id", flat=True))
    acts = activities(org, now)
    ready: dict[int, tuple[str, str, str]] = {}
    people_ids = set(stages) | members | set(acts)
    for pid in people_ids:
        stage = stages.get(pid, "supporter")
        nxt, ok, why = next_step(stage, acts.get(pid, Activity()), pid in members, now)
        if ok and nxt:
            ready[pid] = (stage, nxt, why)
    persons = Person.objects.filter(owner=org, id__in=list(ready)).order_by(
        "family_name", "given_name")
    out: dict[str, list[Candidate]] = {}
    for p in persons:
        stage, nxt, why = ready[p.pk]
        out.setdefault(nxt, []).append(Candidate(p, stage, nxt, why))
    return {s.value: out[s.value] for s in LadderStage if s.value in out}


def pipeline_over_time(org: Organization, months: int = 24, today: dt.date | None = None
                       ) -> tuple[list[dt.date], dict[str, list[int]]]:
    """How many people had reached each stage (or beyond) at the end of each month."""
    today = today or clock.today()
    rows = list(LeadershipStep.objects.filter(organization=org).values_list(
        "person_id", "stage", "date"))
    ends = []
    y, m = today.year, today.month
    for _ in range(months):
        ends.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    ends = sorted(ends)
    cut = np.array([d.isoformat() for d in ends], dtype="datetime64[D]") + np.timedelta64(31, "D")
    cut = cut.astype("datetime64[M]").astype("datetime64[D]")  # first day of the next month
    out: dict[str, list[int]] = {}
    if not rows:
        return ends, {s.value: [0] * len(ends) for s in LadderStage}
    person = np.array([r[0] for r in rows])
    rank = np.array([LADDER_ORDER[r[1]] for r in rows])
    day = np.array([r[2] for r in rows], dtype="datetime64[D]")
    uniq, code = np.unique(person, return_inverse=True)
    never = np.datetime64("9999-12-31")
    for stage in LadderStage:
        first = np.full(uniq.size, never, dtype="datetime64[D]")
        mask = rank >= LADDER_ORDER[stage.value]
        np.minimum.at(first, code[mask], day[mask])
        first.sort()
        out[stage.value] = np.searchsorted(first, cut, side="left").tolist()
    return ends, out
