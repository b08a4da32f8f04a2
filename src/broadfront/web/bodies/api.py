"""REST endpoints of "Bodies and power": power indices of any game, and of a stored body.

``POST /api/power`` takes the document of ``broadfront power GAME.json`` (plus ``index``,
``method``, ``samples`` and ``seed``) and answers the CLI's ``--json`` output.
``GET /api/bodies/{slug}/power`` answers the power of a stored body, its pivotal members and,
with ``?issue=``, the robustness of our majority on that issue (stances the caller may see).
Errors are JSON with a ``code`` and the ``field`` at fault (see :mod:`broadfront.web.api`).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import HttpRequest
from ninja import Router

from broadfront.cli.power import INDEX_NAMES, compute
from broadfront.exceptions import ValidationError
from broadfront.web.bodies import services
from broadfront.web.limits import parse_json

router = Router(tags=["bodies"])

METHODS = ("auto", "exact", "sample")

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


def jsonable(value: Any) -> Any:
    """Plain JSON values from numpy arrays, Fractions, Decimals and tuples."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Fraction | Decimal):
        return float(value)
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return jsonable(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _options(data: dict[str, Any]) -> tuple[list[str], str, int | None, int | None]:
    raw = data.get("index", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise ValidationError("index must be a list of index names", parameter="index")
    indices: list[str] = []
    for item in raw:
        key = str(item).strip().lower().replace("-", "_")
        if key not in INDEX_NAMES:
            raise ValidationError(f"index must be among {', '.join(INDEX_NAMES)}, got {item!r}",
                                  parameter="index")
        if key not in indices:
            indices.append(key)
    method = data.get("method", "auto")
    if method not in METHODS:
        raise ValidationError(f"method must be auto, exact or sample, got {method!r}",
                              parameter="method")
    samples = data.get("samples")
    if samples is not None and (not isinstance(samples, int) or isinstance(samples, bool)
                                or not 1 <= samples <= services.MAX_API_SAMPLES):
        raise ValidationError(f"samples must be a whole number from 1 to "
                              f"{services.MAX_API_SAMPLES}, got {samples!r}", parameter="samples")
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise ValidationError(f"seed must be a non-negative whole number, got {seed!r}",
                              parameter="seed")
    return indices, method, samples, seed


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
    game = services.game_from_json(data)
    indices, method, samples, seed = _options(data)
    return jsonable(compute(game, indices, method=method, samples=samples, seed=seed))


@router.get("/bodies/{slug}/power")
def body_power(request: HttpRequest, slug: str, issue: str | None = None,
               method: str = "auto") -> dict[str, Any]:
    """A stored body's power: indices per seat, pivotal and powerless members, veto players,
    and with ``?issue=<slug>`` our majority on that issue (stances of +1 or more the caller
    may see), whether it wins, its critical members and the smallest defections that break it.
    """
    if method not in METHODS:
        raise ValidationError(f"method must be auto, exact or sample, got {method!r}",
                              parameter="method")
    body = services.get_body_for_user(request.user, slug)
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
