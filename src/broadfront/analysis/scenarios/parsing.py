"""Reading a scenario's JSON form: every field checked, errors naming the field's path.

:meth:`broadfront.analysis.scenarios.model.Scenario.from_dict` calls :func:`parse_scenario`;
the path of a bad field reads like ``body.members[2].weight`` and the sizes are capped by
the ``HARD_MAX_*`` limits of :mod:`broadfront.analysis.scenarios.model`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from .model import (
    DEFAULT_DRAWS,
    HARD_MAX_CANDIDATES,
    HARD_MAX_DIVISIONS,
    HARD_MAX_MEMBERS,
    HARD_MAX_SHOCKS,
    RULE_KINDS,
    SHOCK_KINDS,
    Bloc,
    Body,
    Candidate,
    Division,
    Member,
    Race,
    Rule,
    Scenario,
    Shock,
    StanceLink,
    _fail,
    check_race_rule,
)

__all__ = ["parse_scenario"]


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(path, f"must be a JSON object, got {type(value).__name__}")
    return value


def _known(obj: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise _fail(where, f"unknown field {key!r} (expected one of: {', '.join(allowed)})")


def _num(
    obj: Mapping[str, Any],
    key: str,
    path: str,
    default: float | None = None,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    required: bool = False,
) -> float | None:
    where = f"{path}.{key}" if path else key
    if key not in obj or obj[key] is None:
        if required:
            raise _fail(where, "is required")
        return default
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(where, f"must be a finite number, got {value!r}")
    value = float(value)
    if lo is not None and (value < lo or (lo_open and value == lo)):
        op = ">" if lo_open else ">="
        raise _fail(where, f"must be {op} {lo:g}, got {value:g}")
    if hi is not None and value > hi:
        raise _fail(where, f"must be <= {hi:g}, got {value:g}")
    return value


def _str(obj: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    where = f"{path}.{key}" if path else key
    if key not in obj or obj[key] is None:
        if required:
            raise _fail(where, "is required")
        return None
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"must be a non-empty string, got {value!r}")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, f"must be a JSON array, got {type(value).__name__}")
    return value


def _sized(items: list[Any], path: str, hard: int) -> list[Any]:
    """``items`` after checking there are at most ``hard`` of them (memory safety)."""
    if len(items) > hard:
        raise _fail(path, f"must list at most {hard:,} entries, got {len(items):,}")
    return items


@dataclasses.dataclass(frozen=True)
class _Names:
    """The names shocks may refer to, gathered once (not once per shock)."""

    blocs: frozenset[str | None]
    members: frozenset[str]
    divisions: frozenset[str]
    groups: frozenset[str | None]
    candidates: frozenset[str]

    def __init__(self, body: Body | None, race: Race | None) -> None:
        ms = body.members if body is not None else ()
        ds = race.divisions if race is not None else ()
        cs = race.candidates if race is not None else ()
        object.__setattr__(self, "blocs", frozenset(m.bloc for m in ms))
        object.__setattr__(self, "members", frozenset(m.name for m in ms))
        object.__setattr__(self, "divisions", frozenset(d.name for d in ds))
        object.__setattr__(self, "groups", frozenset(d.group for d in ds))
        object.__setattr__(self, "candidates", frozenset(c.name for c in cs))


def parse_scenario(data: Any) -> Scenario:
    obj = _obj(data, "")
    _known(obj, ("name", "seed", "draws", "target", "body", "race", "shocks", "description"), "")
    name = _str(obj, "name", "") or "scenario"
    seed = obj.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise _fail("seed", f"must be a non-negative integer, got {seed!r}")
    draws = obj.get("draws", DEFAULT_DRAWS)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise _fail("draws", f"must be a positive integer, got {draws!r}")
    target = _num(obj, "target", "", 0.8, lo=0.0, hi=1.0)
    has_body, has_race = obj.get("body") is not None, obj.get("race") is not None
    if has_body == has_race:
        raise _fail("body", "a scenario needs exactly one of 'body' or 'race'")
    body = _parse_body(obj["body"], "body") if has_body else None
    race = _parse_race(obj["race"], "race") if has_race else None
    raw_shocks = _sized(_list(obj.get("shocks", []), "shocks"), "shocks", HARD_MAX_SHOCKS)
    names = _Names(body, race)
    shocks = tuple(
        _parse_shock(s, f"shocks[{i}]", body, race, names) for i, s in enumerate(raw_shocks)
    )
    assert target is not None
    return Scenario(name, body, race, shocks, seed, draws, target)


def _parse_rule(obj: Mapping[str, Any], path: str) -> Rule:
    raw = obj.get("rule")
    quota = _num(obj, "quota", path, lo=0.0, lo_open=True)
    if raw is None:
        if quota is None:
            return Rule("majority")
        return Rule("quota", quota=quota)
    rpath = f"{path}.rule"
    if isinstance(raw, str):
        raw = {"kind": raw}
    robj = _obj(raw, rpath)
    _known(robj, ("kind", "quota", "fraction", "count_fraction"), rpath)
    kind = _str(robj, "kind", rpath, required=True)
    if kind not in RULE_KINDS:
        raise _fail(f"{rpath}.kind", f"must be one of {', '.join(RULE_KINDS)}, got {kind!r}")
    rq = _num(robj, "quota", rpath, lo=0.0, lo_open=True)
    if rq is not None and quota is not None and rq != quota:
        raise _fail(f"{path}.quota", "conflicts with rule.quota")
    rq = rq if rq is not None else quota
    frac = _num(robj, "fraction", rpath, lo=0.0, hi=1.0, lo_open=True)
    cfrac = _num(robj, "count_fraction", rpath, lo=0.0, hi=1.0, lo_open=True)
    if kind == "quota" and rq is None:
        raise _fail(f"{rpath}.quota", "is required for a quota rule")
    if kind in ("majority", "supermajority") and rq is not None:
        raise _fail(f"{rpath}.quota", f"does not apply to a {kind} rule")
    if kind != "double_majority" and cfrac is not None:
        raise _fail(f"{rpath}.count_fraction", "applies only to a double_majority rule")
    if kind in ("majority", "quota") and frac is not None:
        raise _fail(f"{rpath}.fraction", f"does not apply to a {kind} rule")
    return Rule(kind, quota=rq, fraction=frac, count_fraction=cfrac)  # type: ignore[arg-type]


def _parse_body(raw: Any, path: str) -> Body:
    obj = _obj(raw, path)
    _known(obj, ("members", "rule", "quota", "blocs", "link", "default_cohesion", "name"), path)
    if "members" not in obj:
        raise _fail(f"{path}.members", "is required")
    raw_members = _sized(_list(obj["members"], f"{path}.members"), f"{path}.members",
                         HARD_MAX_MEMBERS)
    if not raw_members:
        raise _fail(f"{path}.members", "must list at least one member")
    members = []
    seen: set[str] = set()
    for i, rm in enumerate(raw_members):
        mp = f"{path}.members[{i}]"
        mo = _obj(rm, mp)
        _known(mo, ("name", "weight", "p_with_us", "stance", "bloc"), mp)
        name = _str(mo, "name", mp, required=True)
        assert name is not None
        if name in seen:
            raise _fail(f"{mp}.name", f"duplicate member name {name!r}")
        seen.add(name)
        weight = _num(mo, "weight", mp, 1.0, lo=0.0)
        p = _num(mo, "p_with_us", mp, lo=0.0, hi=1.0)
        stance = _num(mo, "stance", mp, lo=-3.0, hi=3.0)
        if p is None and stance is None:
            raise _fail(mp, "needs 'p_with_us' (0..1) or 'stance' (-3..+3)")
        if p is not None and stance is not None:
            raise _fail(mp, "give 'p_with_us' or 'stance', not both")
        assert weight is not None
        members.append(Member(name, weight, p, stance, _str(mo, "bloc", mp)))
    if sum(m.weight for m in members) <= 0:
        raise _fail(f"{path}.members", "total weight must be positive")
    rule = _parse_rule(obj, path)
    blocs = []
    raw_blocs = obj.get("blocs", {})
    bpath = f"{path}.blocs"
    if isinstance(raw_blocs, list):
        raw_blocs = {
            _str(_obj(b, f"{bpath}[{i}]"), "name", f"{bpath}[{i}]", required=True): b
            for i, b in enumerate(raw_blocs)
        }
    for bname, bval in _obj(raw_blocs, bpath).items():
        bp = f"{bpath}.{bname}"
        if isinstance(bval, int | float) and not isinstance(bval, bool):
            bval = {"cohesion": bval}
        bo = _obj(bval, bp)
        _known(bo, ("name", "cohesion"), bp)
        coh = _num(bo, "cohesion", bp, 0.5, lo=0.0, hi=1.0)
        assert coh is not None
        blocs.append(Bloc(str(bname), coh))
    link = StanceLink()
    if "link" in obj:
        lp = f"{path}.link"
        lo = _obj(obj["link"], lp)
        _known(lo, ("intercept", "slope"), lp)
        intercept = _num(lo, "intercept", lp, 0.0)
        slope = _num(lo, "slope", lp, 1.5, lo=0.0, lo_open=True)
        assert intercept is not None and slope is not None
        link = StanceLink(intercept, slope)
    dc = _num(obj, "default_cohesion", path, 0.5, lo=0.0, hi=1.0)
    assert dc is not None
    return Body(tuple(members), rule, tuple(blocs), link, dc)


def _parse_race(raw: Any, path: str) -> Race:
    obj = _obj(raw, path)
    sd_keys = ("swing_sd", "group_swing_sd", "share_sd", "turnout_swing_sd", "turnout_sd")
    _known(
        obj,
        ("candidates", "divisions", "our_candidate", "name", *sd_keys, *_RULE_KEYS),
        path,
    )
    cp = f"{path}.candidates"
    if "candidates" not in obj:
        raise _fail(cp, "is required")
    cands: list[Candidate] = []
    for i, rc in enumerate(_sized(_list(obj["candidates"], cp), cp, HARD_MAX_CANDIDATES)):
        ip = f"{cp}[{i}]"
        if isinstance(rc, str):
            rc = {"name": rc}
        co = _obj(rc, ip)
        _known(co, ("name", "write_in", "counted", "us"), ip)
        name = _str(co, "name", ip, required=True)
        assert name is not None
        if any(c.name == name for c in cands):
            raise _fail(f"{ip}.name", f"duplicate candidate name {name!r}")
        wi = co.get("write_in", False)
        if not isinstance(wi, bool):
            raise _fail(f"{ip}.write_in", f"must be true or false, got {wi!r}")
        counted = _num(co, "counted", ip, 1.0, lo=0.0, hi=1.0)
        assert counted is not None
        cands.append(Candidate(name, wi, counted))
    if len(cands) < 2:
        raise _fail(cp, "a race needs at least two candidates")
    names = {c.name for c in cands}
    ours = _str(obj, "our_candidate", path)
    flagged = [c["name"] for c in obj["candidates"] if isinstance(c, Mapping) and c.get("us")]
    if ours is None:
        if len(flagged) != 1:
            raise _fail(
                f"{path}.our_candidate", 'is required (or mark one candidate with "us": true)'
            )
        ours = flagged[0]
    if ours not in names:
        raise _fail(f"{path}.our_candidate", f"{ours!r} is not one of the candidates")
    dp = f"{path}.divisions"
    if "divisions" not in obj:
        raise _fail(dp, "is required")
    divs = []
    seen: set[str] = set()
    raw_divs = _sized(_list(obj["divisions"], dp), dp, HARD_MAX_DIVISIONS)
    if not raw_divs:
        raise _fail(dp, "must list at least one division")
    for i, rd in enumerate(raw_divs):
        ip = f"{dp}[{i}]"
        do = _obj(rd, ip)
        _known(do, ("name", "voters", "turnout", "shares", "group", "turnout_sd", "share_sd"), ip)
        name = _str(do, "name", ip, required=True)
        assert name is not None
        if name in seen:
            raise _fail(f"{ip}.name", f"duplicate division name {name!r}")
        seen.add(name)
        voters = _num(do, "voters", ip, lo=0.0, required=True)
        turnout = _num(do, "turnout", ip, lo=0.0, hi=1.0, required=True)
        sp = f"{ip}.shares"
        if "shares" not in do:
            raise _fail(sp, "is required")
        so = _obj(do["shares"], sp)
        shares = []
        for cname in so:
            if cname not in names:
                raise _fail(f"{sp}.{cname}", f"{cname!r} is not one of the candidates")
            v = _num(so, cname, sp, lo=0.0, hi=1.0)
            assert v is not None
            shares.append((str(cname), v))
        total = sum(v for _, v in shares)
        if abs(total - 1.0) > 0.01:
            raise _fail(sp, f"shares must add up to 1 (within 0.01), they add up to {total:g}")
        shares = [(c, v / total) for c, v in shares]
        assert voters is not None and turnout is not None
        divs.append(
            Division(
                name,
                voters,
                turnout,
                tuple(shares),
                _str(do, "group", ip),
                _num(do, "turnout_sd", ip, lo=0.0, hi=0.5),
                _num(do, "share_sd", ip, lo=0.0, hi=0.5),
            )
        )
    defaults = Race((), (), "")
    sds = {}
    for key in sd_keys:
        v = _num(
            obj, key, path, getattr(defaults, key), lo=0.0, hi=1.0 if "turnout" in key else 2.0
        )
        if key in ("share_sd", "turnout_sd") and v is not None and v > 0.5:
            raise _fail(f"{path}.{key}", f"must be <= 0.5, got {v:g}")
        sds[key] = v
    race = Race(tuple(cands), tuple(divs), ours, **sds)  # type: ignore[arg-type]
    return _parse_race_rule(obj, path, race)


_RULE_KEYS = ("rule", "transfers", "transfer_sd")


def _parse_race_rule(obj: Mapping[str, Any], path: str, race: Race) -> Race:
    rule = _str(obj, "rule", path) or "plurality"
    transfers = []
    tp = f"{path}.transfers"
    for source, raw_row in _obj(obj.get("transfers") or {}, tp).items():
        sp = f"{tp}.{source}"
        row_obj = _obj(raw_row, sp)
        row = []
        for target in row_obj:
            share = _num(row_obj, target, sp)
            if share is None:
                continue
            row.append((str(target), share))
        transfers.append((str(source), tuple(row)))
    sd = _num(obj, "transfer_sd", path, 0.0)
    assert sd is not None
    out = dataclasses.replace(race, rule=rule, transfers=tuple(transfers), transfer_sd=sd)
    check_race_rule(out, path)
    return out


def _parse_shock(
    raw: Any, path: str, body: Body | None, race: Race | None, names: _Names | None = None
) -> Shock:
    names = names or _Names(body, race)
    obj = _obj(raw, path)
    kind = _str(obj, "kind", path, required=True)
    if kind not in SHOCK_KINDS:
        raise _fail(f"{path}.kind", f"must be one of {', '.join(SHOCK_KINDS)}, got {kind!r}")
    common = ("kind", "probability", "label")
    per_kind = {
        "bloc_shift": ("bloc", "steps"),
        "member_shift": ("member", "steps"),
        "member_defects": ("member",),
        "capture": ("fraction", "to", "from", "divisions", "group"),
        "turnout": ("change", "divisions", "group"),
    }
    _known(obj, common + per_kind[kind], path)
    prob = _num(obj, "probability", path, 1.0, lo=0.0, hi=1.0)
    label = obj.get("label", "")
    if not isinstance(label, str):
        raise _fail(f"{path}.label", f"must be a string, got {label!r}")
    assert prob is not None
    if kind in ("bloc_shift", "member_shift", "member_defects"):
        if body is None:
            raise _fail(f"{path}.kind", f"a {kind} shock needs a body, this scenario has a race")
        if kind == "bloc_shift":
            bloc = _str(obj, "bloc", path, required=True)
            if bloc not in names.blocs:
                raise _fail(f"{path}.bloc", f"no member belongs to bloc {bloc!r}")
            steps = _num(obj, "steps", path, lo=-6.0, hi=6.0, required=True)
            assert steps is not None
            return Shock(kind, prob, label, bloc=bloc, steps=steps)
        member = _str(obj, "member", path, required=True)
        if member not in names.members:
            raise _fail(f"{path}.member", f"{member!r} is not a member of the body")
        steps = 0.0
        if kind == "member_shift":
            s = _num(obj, "steps", path, lo=-6.0, hi=6.0, required=True)
            assert s is not None
            steps = s
        return Shock(kind, prob, label, member=member, steps=steps)
    if race is None:
        raise _fail(f"{path}.kind", f"a {kind} shock needs a race, this scenario has a body")
    div_names = names.divisions
    divisions: tuple[str, ...] = ()
    if obj.get("divisions") is not None:
        rd = _list(obj["divisions"], f"{path}.divisions")
        for j, d in enumerate(rd):
            if not isinstance(d, str) or d not in div_names:
                raise _fail(f"{path}.divisions[{j}]", f"{d!r} is not a division of the race")
        divisions = tuple(rd)
    group = _str(obj, "group", path)
    if group is not None and group not in names.groups:
        raise _fail(f"{path}.group", f"no division belongs to group {group!r}")
    if kind == "turnout":
        change = _num(obj, "change", path, lo=-1.0, hi=10.0, required=True)
        assert change is not None
        return Shock(kind, prob, label, change=change, divisions=divisions, group=group)
    cand_names = names.candidates
    to = _str(obj, "to", path, required=True)
    if to not in cand_names:
        raise _fail(f"{path}.to", f"{to!r} is not one of the candidates")
    source = _str(obj, "from", path)
    if source is not None and source not in cand_names:
        raise _fail(f"{path}.from", f"{source!r} is not one of the candidates")
    if (source or race.our_candidate) == to:
        raise _fail(f"{path}.to", "a candidate cannot capture its own vote")
    fraction = _num(obj, "fraction", path, lo=0.0, hi=1.0, required=True)
    assert fraction is not None
    return Shock(
        kind, prob, label, fraction=fraction, to=to, source=source, divisions=divisions, group=group
    )
