"""Landscape API: issues with their spectrum, actors with paths, the power map, alignment.

Actor ids are ``o:<pk>`` (organization) or ``p:<pk>`` (person). Everything comes from the
same scoped querysets as the pages: assessments about a partner's private people never
appear, and a private person of another organization answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from broadfront import clock
from broadfront.exceptions import NotFoundError
from broadfront.web.common.lookups import get_visible
from broadfront.web.landscape import alignment, mapping, queries, services
from broadfront.web.landscape.forms import resolve_actor
from broadfront.web.landscape.models import Body, Relationship, Stance
from broadfront.web.organizations.models import Organization, Person

router = Router(tags=["landscape"])


class StanceIn(Schema):
    issue: str
    actor: str
    score: int
    assessed_on: dt.date
    evidence: str
    recorded_by: str | None = None


class RelationshipIn(Schema):
    kind: str
    source_actor: str
    target_actor: str
    source: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    strength: int = 1
    recorded_by: str | None = None


def _recorder(slug: str | None) -> Organization | None:
    if slug is None:
        return None
    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        raise NotFoundError(f"organization {slug!r} not found")
    return org


def _stance_out(s: Stance) -> dict[str, Any]:
    return {"id": s.pk, "issue": s.issue.slug,
            "actor": queries.actor_key(s.organization_id, s.person_id), "name": str(s.actor),
            "score": s.score, "label": s.label, "assessed_on": s.assessed_on.isoformat(),
            "evidence": s.evidence, "recorded_by": s.recorded_by.slug}


def _relationship_out(r: Relationship) -> dict[str, Any]:
    return {"id": r.pk, "kind": r.kind,
            "source": queries.actor_key(r.source_organization_id, r.source_person_id),
            "source_name": str(r.source_actor),
            "target": queries.actor_key(r.target_organization_id, r.target_person_id),
            "target_name": str(r.target_actor),
            "start_date": r.start_date.isoformat() if r.start_date else None,
            "end_date": r.end_date.isoformat() if r.end_date else None,
            "strength": r.strength, "source_text": r.source, "recorded_by": r.recorded_by.slug}


def _spectrum_out(s: queries.IssueSpectrum, *, with_actors: bool) -> dict[str, Any]:
    names = s.names
    out: dict[str, Any] = {
        "slug": s.issue.slug, "name": s.issue.name, "actors": len(s.actors),
        "weighted_support": s.spectrum.weighted_support,
        "total_influence": s.spectrum.total_influence,
        "bands": [{"name": b.name, "stances": list(b.stances), "influence": b.influence,
                   "actors": [{"id": a, "name": names[a]} for a in b.actors]}
                  for b in s.spectrum.bands],
        "suggestions": [{"actor": x.key, "name": x.name, "stance": x.stance,
                         "new_stance": x.new_stance, "influence": x.influence, "gain": x.gain,
                         "text": x.sentence} for x in s.suggestions],
    }
    if with_actors:
        out["stances"] = [{**_stance_out(a.stance), "previous": a.previous,
                           "influence": s.influence[a.key]} for a in s.actors]
    return out


@router.get("/landscape/issues")
def list_issues(request: HttpRequest) -> list[dict[str, Any]]:
    """Every issue with its spectrum of allies (bands, weighted support, one-step moves)."""
    from broadfront.web.landscape.models import Issue

    return [_spectrum_out(queries.issue_spectrum(request.user, i), with_actors=False)
            for i in Issue.objects.order_by("name")]


@router.get("/landscape/issues/{slug}")
def get_issue(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One issue's spectrum with every actor's latest stance, the one before and influence."""
    issue = services.get_issue_for_user(request.user, slug)
    return _spectrum_out(queries.issue_spectrum(request.user, issue), with_actors=True)


@router.get("/landscape/actors/{actor_id}")
def get_actor(request: HttpRequest, actor_id: str, k: int = 3) -> dict[str, Any]:
    """An actor's stance history, relationships, paths from our organization and standing."""
    org, person = resolve_actor(request.user, actor_id, "actor_id")
    obj: Organization | Person = org if org is not None else person  # type: ignore[assignment]
    d = queries.actor_detail(request.user, obj)
    m = mapping.actor_map(request.user, obj, clock.today(), k=max(1, min(k, 10)))
    st = m.standing
    return {
        "id": d.key, "name": str(obj), "kind": "organization" if org else "person",
        "stances": [_stance_out(s) for s in d.stances],
        "relationships": [_relationship_out(r) for r in d.relationships],
        "from": m.our_key, "as_of": m.as_of.isoformat(),
        "paths": [{"actors": [{"id": a, "name": n} for a, n, _u, _v in p.names],
                   "types": [list(step.types) for step in p.path.steps],
                   "hops": p.path.hops} for p in m.paths],
        "centrality": None if st is None else {
            "degree": st.degree, "betweenness": st.betweenness, "eigenvector": st.eigenvector,
            "pagerank": st.pagerank, "pagerank_rank": st.pagerank_rank,
            "betweenness_rank": st.betweenness_rank, "actors_on_map": st.n_actors},
        "broker": None if st is None or st.broker_score is None else {
            "score": st.broker_score, "share": st.broker_share, "pairs": st.broker_pairs},
    }


@router.get("/landscape/power-map")
def get_power_map(request: HttpRequest, type: list[str] = Query([]),  # noqa: A002, B008
                  on: str | None = None, start: str | None = None,
                  end: str | None = None) -> dict[str, Any]:
    """Nodes and edges of the power map, filtered by relationship type and date."""
    return mapping.graph_json(request.user, mapping.parse_filter(type, on, start, end))


@router.get("/landscape/power-map/export")
def export_power_map(request: HttpRequest, type: list[str] = Query([]),  # noqa: A002, B008
                     on: str | None = None, start: str | None = None,
                     end: str | None = None) -> dict[str, Any]:
    """The map in the format ``broadfront paths MAP.json`` reads."""
    return mapping.export_json(request.user, mapping.parse_filter(type, on, start, end))


@router.get("/landscape/bodies/{slug}/alignment")
def get_alignment(request: HttpRequest, slug: str, anchor: int | None = None) -> dict[str, Any]:
    """Members' ideal points from recorded votes, distance from the anchor, movement by year."""
    body = get_visible(Body, request.user, slug=slug, what="body")
    a = alignment.body_alignment(request.user, body, anchor)
    fit = a.fit
    return {
        "body": body.slug, "anchor": f"p:{a.anchor}" if a.anchor is not None else None,
        "motions": a.n_motions, "error": a.error,
        "votes_used": len(fit.vote_ids) if fit else 0,
        "dropped_votes": list(fit.dropped_votes) if fit else [],
        "correct_classification": fit.correct_classification if fit else None,
        "members": [{"id": f"p:{m.pk}" if m.visible else None, "name": m.name, "bloc": m.bloc,
                     "position": m.position, "lower": m.lower, "upper": m.upper,
                     "distance": m.distance, "votes_cast": m.votes_cast} for m in a.members],
        "periods": list(a.realignment.periods) if a.realignment else [],
        "moves": [{"id": f"p:{m.pk}" if any(x.pk == m.pk and x.visible for x in a.members)
                   else None, "name": m.name, "from": m.from_period, "to": m.to_period,
                   "before": m.before, "after": m.after, "change": m.change,
                   "standard_error": m.standard_error, "moved": m.moved} for m in a.moves],
        "period_error": a.period_error,
    }


@router.post("/landscape/stances", response={201: dict})
def record_stance(request: HttpRequest, payload: StanceIn) -> Status:
    """Record a stance (a new row; earlier assessments are kept)."""
    issue = services.get_issue_for_user(request.user, payload.issue)
    org, person = resolve_actor(request.user, payload.actor)
    stance = services.do_record_stance(
        request.user, issue=issue, organization=org, person=person, score=payload.score,
        assessed_on=payload.assessed_on, evidence=payload.evidence,
        recorded_by=_recorder(payload.recorded_by))
    return Status(201, _stance_out(stance))


@router.post("/landscape/relationships", response={201: dict})
def record_relationship(request: HttpRequest, payload: RelationshipIn
                        ) -> Status:
    """Record a typed, dated, sourced relationship."""
    src_org, src_person = resolve_actor(request.user, payload.source_actor, "source_actor")
    dst_org, dst_person = resolve_actor(request.user, payload.target_actor, "target_actor")
    rel = services.do_record_relationship(
        request.user, kind=payload.kind, source=payload.source, source_organization=src_org,
        source_person=src_person, target_organization=dst_org, target_person=dst_person,
        start_date=payload.start_date, end_date=payload.end_date, strength=payload.strength,
        recorded_by=_recorder(payload.recorded_by))
    return Status(201, _relationship_out(rel))


@router.get("/landscape/alerts")
def get_alerts(request: HttpRequest) -> dict[str, Any]:
    """Allies whose stance dropped, whose votes drifted, or who gained ties to the opposition."""
    today = clock.today()

    def plain(a: queries.Alert) -> dict[str, Any]:
        return {"actor": a.key, "name": a.actor, "date": a.date.isoformat() if a.date else None,
                "text": a.text}

    return {
        "stance_drops": [plain(a) for a in queries.stance_drops(request.user)],
        "vote_drifts": [{"name": m.name, "body": body, "from": m.from_period, "to": m.to_period,
                         "change": m.change, "standard_error": m.standard_error}
                        for m, body in alignment.all_drift_alerts(request.user)],
        "new_ties_to_opposition": [plain(a) for a in
                                   queries.new_ties_to_opposition(request.user, today)],
    }
