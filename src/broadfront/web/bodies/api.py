"""REST endpoints of "Bodies and power": power indices of any game, and of a stored body.

``POST /api/power`` takes the document of ``broadfront power GAME.json`` (plus ``index``,
``method``, ``samples`` and ``seed``) and answers the CLI's ``--json`` output.
``GET /api/bodies/{slug}/power`` answers the power of a stored body, its pivotal members and,
with ``?issue=``, the robustness of our majority on that issue (stances the caller may see).
Errors are JSON with a ``code`` and the ``field`` at fault (see :mod:`broadfront.web.api`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from broadfront.analysis.power import (
    INDEX_NAMES,
    MAX_SERVED_PLAYERS,
    MAX_SERVED_SAMPLES,
    METHODS,
    check_method,
    game_from_dict,
    power_options,
    power_payload,
)
from broadfront.formats.plainjson import jsonable
from broadfront.web.bodies import services
from broadfront.web.common.lookups import get_visible
from broadfront.web.landscape.models import Body
from broadfront.web.limits import parse_json

router = Router(tags=["bodies"])

_GAME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["weights"],
    "properties": {
        "weights": {"type": "array", "items": {"type": "number"}},
        "quota": {"type": "number"},
        "quota_fraction": {"type": "number"},
        "names": {"type": "array", "items": {"type": "string"}},
        "conditions": {"type": "array", "items": {"type": "object"}},
        "index": {"type": "array", "items": {"type": "string", "enum": list(INDEX_NAMES)}},
        "method": {"type": "string", "enum": list(METHODS)},
        "samples": {"type": "integer"},
        "seed": {"type": "integer"},
    },
    "example": {"names": ["A", "B", "C"], "weights": [3, 2, 2], "quota": 4},
}


@router.post("/power", openapi_extra={"requestBody": {
    "content": {"application/json": {"schema": _GAME_SCHEMA}}, "required": True}})
def power(request: HttpRequest) -> dict[str, Any]:
    """Power indices of a weighted game: the same input and output as ``broadfront power --json``.

    The body holds ``weights`` and ``quota`` (or ``quota_fraction``), optional ``names`` and
    ``conditions`` (further ``{weights, quota}`` that must all hold), and optional ``index``
    (extra indices: holler, deegan_packel, johnston, coleman), ``method`` (auto, exact,
    sample), ``samples`` and ``seed``. A quota above the total answers 400 with
    ``field: "quota"``; an exact computation beyond reach answers 422 ``too_large``.
    """
    data = parse_json(request.body or b"null")
    game = game_from_dict(data, max_players=MAX_SERVED_PLAYERS)
    options = power_options(index=data.get("index", []), method=data.get("method", "auto"),
                            samples=data.get("samples"), seed=data.get("seed"),
                            max_samples=MAX_SERVED_SAMPLES, hard_max_samples=None)
    return jsonable(power_payload(game, options))


@router.get("/bodies/{slug}/power")
def body_power(request: HttpRequest, slug: str, issue: str | None = None,
               method: str = "auto") -> dict[str, Any]:
    """A stored body's power: indices per seat, pivotal and powerless members, veto players,
    and with ``?issue=<slug>`` our majority on that issue (stances of +1 or more the caller
    may see), whether it wins, its critical members and the smallest defections that break it.
    """
    check_method(method)
    body = get_visible(Body, request.user, slug=slug, what="body")
    chosen = services.get_issue(issue) if issue else None
    r = services.body_power(request.user, body, issue=chosen, method=method)
    out: dict[str, Any] = {
        "body": body.slug, "name": body.name, "kind": body.kind,
        "rule": {"kind": r.rule.kind, "threshold": r.rule.threshold, "quota": r.rule.quota,
                 "in_words": r.rule_words},
        "total_weight": r.total_weight, "method": r.method, "samples": r.samples,
        "members": [{
            "seat": m.member.key, "name": m.member.name, "bloc": m.member.bloc,
            "weight": m.member.weight, "weight_share": m.weight_share,
            "banzhaf": m.banzhaf, "banzhaf_swings": m.swings,
            "shapley_shubik": m.shapley_shubik,
            **({"standard_errors": {"banzhaf": m.banzhaf_se,
                                    "shapley_shubik": m.shapley_shubik_se}}
               if r.method == "sample" else {}),
        } for m in r.members],
        "no_power": list(r.no_power),
        "pivotal": [m.member.name for m in r.pivotal],
        "veto": list(r.veto),
        "majority": None,
    }
    if r.majority is not None:
        mj = r.majority
        out["majority"] = {
            "issue": mj.issue.slug if mj.issue else None, "members": list(mj.members),
            "weight": mj.weight, "winning": mj.winning, "size": mj.size, "count": mj.count,
            "example": list(mj.example), "critical": list(mj.critical),
            "completers": list(mj.completers), "shortfall": mj.shortfall,
        }
    return jsonable(out)
