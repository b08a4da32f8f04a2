"""A decision as one JSON document: options, impact matrix, rule and ballots, checked and run.

This is the format ``broadfront decide DECISION.json`` reads (documented in
``docs/decisions.md``); the web layer can accept the same document. The smallest form is::

    {"options": ["A", "B", "C"], "rule": "instant-runoff",
     "ballots": [{"role": "member", "ranking": ["B", "A", "C"]}]}

Every error names the place in the document, such as ``ballots[3].ranking`` or
``impacts[2].downside.likelihood``. The methods are those of
:mod:`broadfront.analysis.tradeoffs.impacts` (Kolm-Pollak prioritarian score, maximin, Pareto
dominance) and :mod:`broadfront.analysis.tradeoffs.rules` (consent, majority, approval, score,
instant runoff and Condorcet via pref_voting).

References
----------
.. [1] Kolm, S.-C. "Unequal inequalities I." Journal of Economic Theory 12(3), 416-442, 1976.
   doi:10.1016/0022-0531(76)90037-5
.. [2] Holliday, W. H. and Pacuit, E. pref_voting: The Preferential Voting Tools package for
   Python. Journal of Open Source Software 10(105), 7020, 2025. doi:10.21105/joss.07020
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from broadfront.analysis.tradeoffs.impacts import (
    HARD_MAX_CONSTITUENCIES,
    MAX_CONSTITUENCIES,
    ImpactCell,
    ImpactSummary,
    impact_arrays,
    summarize_impacts,
)
from broadfront.analysis.tradeoffs.rules import (
    COUNT_LABELS,
    Ballot,
    DecisionResult,
    Quorum,
    Tally,
    check_sizes,
    tally_ballots,
)
from broadfront.exceptions import ValidationError

__all__ = ["DecisionReport", "decide", "report_to_dict"]

_TOP_KEYS = {"id", "title", "question", "context", "notes", "options", "constituencies",
             "weights", "inequality_aversion", "scale", "impacts", "rule", "threshold",
             "score_range", "combine", "role_weights", "quorum", "ballots"}
_BALLOT_KEYS = {"role", "voter", "ranking", "approve", "choice", "scores", "position", "option",
                "reason"}
_IMPACT_KEYS = {"option", "constituency", "upside", "downside", "note"}


@dataclass(frozen=True)
class DecisionReport:
    """Everything ``decide`` works out for one decision document.

    ``impacts`` is None when the document has no impact matrix; ``result`` holds the members',
    leaders' and combined tallies; ``winner`` is ``result.winner``.
    """

    question: str | None
    options: tuple[str, ...]
    impacts: ImpactSummary | None
    result: DecisionResult
    winner: str | None


def decide(document: Mapping[str, Any], *, lift_limits: bool = False) -> DecisionReport:
    """Check a decision document, summarize its impact matrix and count its ballots.

    Parameters
    ----------
    document : mapping
        A parsed decision document (see ``docs/decisions.md``): ``options`` and ``rule`` are
        required; ``ballots``, ``impacts``, ``constituencies``, ``weights``,
        ``inequality_aversion``, ``scale``, ``threshold``, ``score_range``, ``combine``,
        ``role_weights``, ``quorum``, ``question`` and ``context`` are optional.
    lift_limits : bool
        Accept up to the ``HARD_MAX_*`` numbers of options, ballots and constituencies
        instead of the soft limits (see :func:`~broadfront.analysis.tradeoffs.rules.check_sizes`
        and ``MAX_CONSTITUENCIES``).

    Returns
    -------
    DecisionReport

    Raises
    ------
    ValidationError
        For too many options, ballots or constituencies (checked before anything is
        counted) and anything malformed; ``location`` names the place (``ballots[3].ranking``,
        ``impacts[0].upside.likelihood``, ``quorum.leader``).

    References
    ----------
    .. [1] Holliday, W. H. and Pacuit, E. pref_voting. JOSS 10(105), 7020, 2025.
       doi:10.21105/joss.07020

    Examples
    --------
    First preferences A 2, B 1, C 2: B is dropped, its ballot moves to A, and A beats C 3 to 2.

    >>> rankings = [["B", "A", "C"], ["A", "B", "C"], ["A", "C", "B"], ["C", "B", "A"],
    ...             ["C", "A", "B"]]
    >>> doc = {"options": ["A", "B", "C"], "rule": "instant-runoff",
    ...        "ballots": [{"role": "member", "ranking": r} for r in rankings]}
    >>> report = decide(doc)
    >>> report.winner, report.result.members.eliminated
    ('A', (('B',), ('C',)))
    >>> decide({"options": ["A"], "rule": "consent", "ballots": [{"position": "maybe"}]})
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: ballots[0].position: position must be one of agree, abstain, object, block, got 'maybe'
    """
    if not isinstance(document, Mapping):
        raise ValidationError(f"a decision must be a JSON object, got {type(document).__name__}",
                              parameter="document", location="(top level)")
    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown:
        raise ValidationError(f"unknown key {unknown[0]!r} (known keys: "
                              f"{', '.join(sorted(_TOP_KEYS))})", parameter="document",
                              location=unknown[0])
    if "options" not in document:
        raise ValidationError("a decision needs a list of options", parameter="options",
                              location="options")
    options = document["options"]
    if not isinstance(options, list):
        raise ValidationError(f"must be a list of option names, got {options!r}",
                              parameter="options", location="options")
    if "rule" not in document:
        raise ValidationError("a decision needs a rule", parameter="rule", location="rule")
    question = document.get("question")
    if question is not None and not isinstance(question, str):
        raise ValidationError(f"must be text, got {question!r}", parameter="question",
                              location="question")

    raw_ballots = _list(document.get("ballots", []), "ballots")
    check_sizes(len(options), len(raw_ballots), str(document["rule"]), lift_limits=lift_limits)
    ballots = [_ballot(b, i) for i, b in enumerate(raw_ballots)]
    quorum = _quorum(document.get("quorum"))
    kwargs: dict[str, Any] = {"combine": document.get("combine", "both"), "quorum": quorum}
    for key in ("threshold", "role_weights"):
        if document.get(key) is not None:
            kwargs[key] = document[key]
    if document.get("score_range") is not None:
        sr = document["score_range"]
        if not isinstance(sr, list) or len(sr) != 2:
            raise ValidationError(f"must be [low, high], got {sr!r}", parameter="score_range",
                                  location="score_range")
        kwargs["score_range"] = tuple(sr)
    if isinstance(kwargs.get("role_weights"), Mapping) is False and "role_weights" in kwargs:
        raise ValidationError(f"must be an object such as {{\"member\": 1, \"leader\": 1}}, "
                              f"got {kwargs['role_weights']!r}", parameter="role_weights",
                              location="role_weights")
    result = tally_ballots(options, ballots, document["rule"], lift_limits=lift_limits, **kwargs)
    impacts = _impacts(document, tuple(options), lift_limits)
    return DecisionReport(question=question, options=tuple(options), impacts=impacts,
                          result=result, winner=result.winner)


def report_to_dict(report: DecisionReport) -> dict[str, Any]:
    """A JSON-ready dict of a :class:`DecisionReport` (the ``--json`` output of the CLI).

    Per option: ``expected_net``, ``expected_upside``, ``expected_downside``, ``worst_off``,
    ``worst_off_net``, ``largest_downside``, ``largest_upside`` (with their expected sizes),
    ``prioritarian_score``, ``dominated_by`` (all null or empty without an impact matrix);
    then ``dominated``, ``impacts`` (the matrix), ``members``, ``leaders``, ``combined`` and
    ``winner``.

    Parameters
    ----------
    report : DecisionReport

    Returns
    -------
    dict

    References
    ----------
    See the module docstring (Kolm 1976 for the prioritarian score; Holliday and Pacuit
    2025 for the voting rules).

    Examples
    --------
    >>> d = report_to_dict(decide({"options": ["A", "B"], "rule": "majority",
    ...     "ballots": [{"choice": "A"}, {"choice": "A"}, {"choice": "B"}]}))
    >>> d["winner"], d["members"]["counts"], d["options"][0]["expected_net"]
    ('A', {'A': 2, 'B': 1}, None)
    """
    s = report.impacts
    rows: list[dict[str, Any]] = []
    for k, name in enumerate(report.options):
        if s is None:
            rows.append({"option": name, "expected_net": None, "expected_upside": None,
                         "expected_downside": None, "worst_off": [], "worst_off_net": None,
                         "largest_downside": [], "largest_expected_downside": None,
                         "largest_upside": [], "largest_expected_upside": None,
                         "prioritarian_score": None, "dominated_by": []})
            continue
        o = s.by_option[k]
        rows.append({"option": name, "expected_net": o.expected_net,
                     "expected_upside": o.expected_upside,
                     "expected_downside": o.expected_downside,
                     "worst_off": list(o.worst_off), "worst_off_net": o.worst_off_net,
                     "largest_downside": list(o.largest_downside),
                     "largest_expected_downside": o.largest_expected_downside,
                     "largest_upside": list(o.largest_upside),
                     "largest_expected_upside": o.largest_expected_upside,
                     "prioritarian_score": o.prioritarian_score,
                     "dominated_by": list(o.dominated_by)})
    r = report.result
    return {
        "question": report.question,
        "rule": r.rule,
        "combine": r.combine,
        "threshold": r.threshold,
        "options": rows,
        "dominated": list(s.dominated) if s is not None else [],
        "impacts": None if s is None else {
            "constituencies": list(s.constituencies),
            "weights": s.weights.tolist(),
            "affected": list(s.affected),
            "expected_upside": s.expected_upside.tolist(),
            "expected_downside": s.expected_downside.tolist(),
            "expected_net": s.expected_net.tolist(),
            "inequality_aversion": s.inequality_aversion,
            "scale": s.scale,
        },
        "members": _tally_dict(r.members),
        "leaders": _tally_dict(r.leaders),
        "combined": _tally_dict(r.combined),
        "winner": report.winner,
    }


def _tally_dict(t: Tally) -> dict[str, Any]:
    return {
        "group": t.group,
        "ballots": t.ballots,
        "quorum_required": t.quorum_required,
        "quorum_met": t.quorum_met,
        "winner": t.winner,
        "outcome": t.outcome,
        "tied": list(t.tied),
        "counted": COUNT_LABELS[t.rule],
        "counts": dict(t.counts),
        "eliminated": [list(step) for step in t.eliminated],
        "margins": {a: dict(row) for a, row in t.margins.items()},
        "smith_set": list(t.smith_set),
        "blocked": list(t.blocked),
        "objections": [{"ballot": o.ballot, "voter": o.voter, "role": o.role,
                        "option": o.option, "position": o.position, "reason": o.reason}
                       for o in t.objections],
    }


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(f"must be a list, got {value!r}", parameter=where.split("[")[0],
                              location=where)
    return value


def _check_entry(
    raw: Any, parameter: str, where: str, keys: set[str], keys_phrase: str
) -> None:
    """One entry of a list (a ballot, an impact) must be an object with only known keys."""
    if not isinstance(raw, Mapping):
        raise ValidationError(f"must be an object, got {raw!r}", parameter=parameter,
                              location=where)
    unknown = sorted(set(raw) - keys)
    if unknown:
        raise ValidationError(f"unknown key {unknown[0]!r} ({keys_phrase} "
                              f"{', '.join(sorted(keys))})", parameter=parameter,
                              location=f"{where}.{unknown[0]}")


def _ballot(raw: Any, i: int) -> Ballot:
    where = f"ballots[{i}]"
    _check_entry(raw, "ballots", where, _BALLOT_KEYS, "a ballot may have")
    fields: dict[str, Any] = {}
    for key in ("role", "voter", "choice", "position", "option", "reason"):
        if raw.get(key) is not None:
            value = raw[key]
            if key == "voter" and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                raise ValidationError(f"must be text, got {value!r}", parameter="ballots",
                                      location=f"{where}.{key}")
            fields[key] = value
    for key in ("ranking", "approve"):
        if raw.get(key) is not None:
            fields[key] = tuple(_list(raw[key], f"{where}.{key}"))
    if raw.get("scores") is not None:
        if not isinstance(raw["scores"], Mapping):
            raise ValidationError(f"must be an object of option: score, got {raw['scores']!r}",
                                  parameter="ballots", location=f"{where}.scores")
        fields["scores"] = dict(raw["scores"])
    return Ballot(**fields)


def _quorum(raw: Any) -> dict[str, Quorum]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValidationError(f"must be an object such as {{\"member\": 10}}, got {raw!r}",
                              parameter="quorum", location="quorum")
    out = {}
    for role, spec in raw.items():
        where = f"quorum.{role}"
        if isinstance(spec, int) and not isinstance(spec, bool):
            out[role] = Quorum(minimum=spec)
        elif isinstance(spec, Mapping):
            extra = sorted(set(spec) - {"minimum", "eligible", "fraction"})
            if extra:
                raise ValidationError(f"unknown key {extra[0]!r} (use minimum, eligible, "
                                      f"fraction)", parameter="quorum", location=where)
            minimum, eligible, fraction = (spec.get("minimum", 0), spec.get("eligible"),
                                           spec.get("fraction"))
            for name, value in (("minimum", minimum), ("eligible", eligible)):
                if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                    raise ValidationError(f"{name} must be a whole number, got {value!r}",
                                          parameter="quorum", location=f"{where}.{name}")
            if fraction is not None and (isinstance(fraction, bool)
                                         or not isinstance(fraction, int | float)):
                raise ValidationError(f"fraction must be a number, got {fraction!r}",
                                      parameter="quorum", location=f"{where}.fraction")
            out[role] = Quorum(minimum=minimum, eligible=eligible, fraction=fraction)
        else:
            raise ValidationError(f"must be a number of ballots or an object with eligible and "
                                  f"fraction, got {spec!r}", parameter="quorum", location=where)
    return out


def _impacts(
    document: Mapping[str, Any], options: tuple[str, ...], lift_limits: bool = False
) -> ImpactSummary | None:
    raw = document.get("impacts")
    if raw is None:
        for key in ("constituencies", "weights", "scale"):
            if document.get(key) is not None:
                raise ValidationError(f"{key} given but no impacts", parameter=key,
                                      location=key)
        return None
    cells_raw = _list(raw, "impacts")
    cons_raw = document.get("constituencies")
    if cons_raw is not None:
        constituencies = [str(c) for c in _list(cons_raw, "constituencies")]
    else:
        constituencies = []
        for k, c in enumerate(cells_raw):
            name = c.get("constituency") if isinstance(c, Mapping) else None
            if not isinstance(name, str):
                raise ValidationError(f"must name a constituency, got {name!r}",
                                      parameter="impacts", location=f"impacts[{k}].constituency")
            if name not in constituencies:
                constituencies.append(name)
    top = HARD_MAX_CONSTITUENCIES if lift_limits else MAX_CONSTITUENCIES
    if len(constituencies) > top:
        raise ValidationError(f"the number of constituencies must be between 1 and {top:,}, got "
                              f"{len(constituencies)}", parameter="constituencies",
                              location="constituencies")
    if len(cells_raw) > len(options) * len(constituencies):
        raise ValidationError(f"has {len(cells_raw)} cells, more than options x constituencies",
                              parameter="impacts", location="impacts")
    cells = [_cell(c, k) for k, c in enumerate(cells_raw)]
    try:
        arrays = impact_arrays(options, constituencies, cells)
    except ValidationError as exc:  # re-anchor "cells[k]" at "impacts[k]"
        loc = (exc.location or "").replace("cells[", "impacts[", 1)
        raise ValidationError(str(exc).split(": ", 1)[-1], parameter="impacts",
                              location=loc) from None
    weights = None
    if document.get("weights") is not None:
        w = document["weights"]
        if not isinstance(w, Mapping):
            raise ValidationError(f"must map constituency to weight, got {w!r}",
                                  parameter="weights", location="weights")
        for name in w:
            if name not in constituencies:
                raise ValidationError(f"unknown constituency {name!r}", parameter="weights",
                                      location=f"weights.{name}")
        weights = [w.get(c, 1.0) for c in constituencies]
    return summarize_impacts(
        options, constituencies, *arrays, weights=weights,
        inequality_aversion=document.get("inequality_aversion", 1.0),
        scale=document.get("scale"))


def _cell(raw: Any, k: int) -> ImpactCell:
    where = f"impacts[{k}]"
    _check_entry(raw, "impacts", where, _IMPACT_KEYS, "an impact has")
    for key in ("option", "constituency"):
        if not isinstance(raw.get(key), str):
            raise ValidationError(f"must name the {key}, got {raw.get(key)!r}",
                                  parameter="impacts", location=f"{where}.{key}")
    values: dict[str, float] = {}
    for side in ("upside", "downside"):
        spec = raw.get(side)
        if spec is None:
            values[side], values[f"{side}_likelihood"] = 0.0, 0.0
            continue
        if not isinstance(spec, Mapping) or set(spec) - {"size", "likelihood", "note"}:
            raise ValidationError(f"must be an object with size and likelihood, got {spec!r}",
                                  parameter="impacts", location=f"{where}.{side}")
        size, likelihood = spec.get("size"), spec.get("likelihood")
        if (isinstance(size, bool) or not isinstance(size, int | float)
                or not math.isfinite(size) or size < 0):
            raise ValidationError(f"size must be a finite number >= 0, got {size!r}",
                                  parameter="impacts", location=f"{where}.{side}.size")
        if (isinstance(likelihood, bool) or not isinstance(likelihood, int | float)
                or not 0 <= likelihood <= 1):
            raise ValidationError(f"likelihood must be between 0 and 1, got {likelihood!r}",
                                  parameter="impacts", location=f"{where}.{side}.likelihood")
        values[side], values[f"{side}_likelihood"] = float(size), float(likelihood)
    return ImpactCell(raw["option"], raw["constituency"], **values)
