"""``broadfront caucus ...``: delegate allocation, apportionment and the endorsement threshold.

Thin wrappers over :mod:`broadfront.analysis.caucus`; no database needed.
"""

from __future__ import annotations

from fractions import Fraction

import typer

from broadfront.cli._common import emit_json, new_app
from broadfront.cli._options import check_seed, options_named
from broadfront.exceptions import ValidationError

caucus_app = new_app("Caucus math: delegates, apportionment, endorsement threshold.")


def _pairs(items: list[str], option: str, *, whole: bool) -> dict[str, int] | dict[str, Fraction]:
    """Parse NAME=VALUE items; errors name the option and the bad item."""
    out: dict = {}
    for item in items:
        name, sep, value = item.rpartition("=")
        name = name.strip()
        if not sep or not name:
            raise ValidationError(f"{option} expects NAME=VALUE, got {item!r}", parameter=option)
        if name in out:
            raise ValidationError(f"{option}: {name!r} is given twice", parameter=option)
        try:
            number = int(value) if whole else Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            kind = "a whole number" if whole else "a number"
            raise ValidationError(f"{option} {name}: {value!r} is not {kind}", parameter=option) from None
        if number < 0:
            raise ValidationError(f"{option} {name}: must not be negative, got {value}", parameter=option)
        out[name] = number
    if not out:
        raise ValidationError(f"give at least one {option} NAME=VALUE", parameter=option)
    return out


@caucus_app.command("allocate")
@options_named({"delegates": "--delegates", "attendees": "--attendees", "groups": "--group"})
def allocate_cmd(
    rule: str = typer.Option(..., "--rule", help="dfl, iowa or fair-reflection."),
    delegates: int = typer.Option(..., "--delegates", help="Delegates the caucus elects."),
    group: list[str] = typer.Option(
        ..., "--group", metavar="NAME=COUNT", help="A preference group and its members (repeat)."
    ),
    attendees: int | None = typer.Option(None, "--attendees", help="Eligible attendees (default: sum of groups)."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the lot for ties."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Allocate a caucus's delegates among its groups."""
    from broadfront.analysis.caucus import allocate_delegates

    if delegates < 1:
        raise ValidationError(f"--delegates must be at least 1, got {delegates}", parameter="--delegates")
    if attendees is not None and attendees < 0:
        raise ValidationError(f"--attendees must not be negative, got {attendees}", parameter="--attendees")
    check_seed(seed)
    groups = _pairs(group, "--group", whole=True)
    if rule not in ("dfl", "iowa", "fair-reflection"):
        raise ValidationError(f"--rule must be dfl, iowa or fair-reflection, got {rule!r}", parameter="--rule")
    r = allocate_delegates(groups, delegates, rule=rule, attendees=attendees, rng=seed)  # type: ignore[arg-type]
    if as_json:
        emit_json(
            {
                "rule": r.rule,
                "delegates": r.delegates,
                "attendees": r.attendees,
                "viability_number": r.viability_number,
                "divisor": None if r.divisor is None else float(r.divisor),
                "allocation": r.allocation,
                "viable": r.viable,
                "quota": {n: float(q) for n, q in r.quota.items()},
                "ties_broken_by_lot": [
                    {"step": d.step, "tied": list(d.tied), "winners": list(d.winners), "value": float(d.value)}
                    for d in r.ties_broken_by_lot
                ],
                "unallocated": r.unallocated,
                "seed": seed,
                "notes": list(r.notes),
            }
        )
        return
    typer.echo(f"rule: {r.rule}   delegates: {r.delegates}   attendees: {r.attendees}")
    typer.echo(f"viability number: {r.viability_number}")
    if r.divisor is not None:
        typer.echo(f"divisor: {float(r.divisor):.3f}")
    width = max(5, *(len(n) for n in r.allocation))
    typer.echo(f"{'group':<{width}}  {'members':>7}  {'viable':>6}  {'quota':>7}  {'delegates':>9}")
    for n, seats in r.allocation.items():
        typer.echo(
            f"{n:<{width}}  {groups[n]:>7}  {'yes' if r.viable[n] else 'no':>6}  "
            f"{float(r.quota[n]):>7.3f}  {seats:>9}"
        )
    for d in r.ties_broken_by_lot:
        typer.echo(f"lot ({d.step}): {', '.join(d.tied)} tied at {float(d.value):.3f}; won by {', '.join(d.winners)}")
    if r.unallocated:
        typer.echo(f"unallocated: {r.unallocated}")
    for note in r.notes:
        typer.echo(f"note: {note}")


@caucus_app.command("apportion")
@options_named({"seats": "--seats", "weights": "--weight",
                "votes_per_delegate": "--votes-per-delegate"})
def apportion_cmd(
    method: str = typer.Option(..., "--method", help="huntington-hill, hamilton or per-votes."),
    seats: int | None = typer.Option(None, "--seats", help="Seats to apportion (not per-votes)."),
    weight: list[str] = typer.Option(
        ..., "--weight", metavar="NAME=WEIGHT", help="A unit and its weight, e.g. votes (repeat)."
    ),
    votes_per_delegate: float | None = typer.Option(
        None, "--votes-per-delegate", help="per-votes: one delegate per this many votes."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the lot for ties."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Apportion delegates among precincts (or any units) by weight."""
    from broadfront.analysis.caucus import apportion

    if method not in ("huntington-hill", "hamilton", "per-votes"):
        raise ValidationError(
            f"--method must be huntington-hill, hamilton or per-votes, got {method!r}", parameter="--method"
        )
    if seats is not None and seats < 1:
        raise ValidationError(f"--seats must be at least 1, got {seats}", parameter="--seats")
    if seats is None and method != "per-votes":
        raise ValidationError(f"--seats is required for {method}", parameter="--seats")
    if votes_per_delegate is not None and not votes_per_delegate > 0:
        raise ValidationError(
            f"--votes-per-delegate must be positive, got {votes_per_delegate}", parameter="--votes-per-delegate"
        )
    check_seed(seed)
    weights = _pairs(weight, "--weight", whole=False)
    r = apportion(weights, seats, method=method, votes_per_delegate=votes_per_delegate, rng=seed)  # type: ignore[arg-type]
    if as_json:
        emit_json(
            {
                "method": r.method,
                "seats": r.seats,
                "divisor": float(r.divisor),
                "allocation": r.allocation,
                "quota": {n: float(q) for n, q in r.quota.items()},
                "ties_broken_by_lot": [
                    {"step": d.step, "tied": list(d.tied), "winners": list(d.winners)}
                    for d in r.ties_broken_by_lot
                ],
                "seed": seed,
            }
        )
        return
    typer.echo(f"method: {r.method}   seats: {r.seats}   weight per seat: {float(r.divisor):.3f}")
    width = max(4, *(len(n) for n in r.allocation))
    typer.echo(f"{'unit':<{width}}  {'quota':>8}  {'seats':>5}")
    for n, s in r.allocation.items():
        typer.echo(f"{n:<{width}}  {float(r.quota[n]):>8.3f}  {s:>5}")


@caucus_app.command("endorse")
@options_named({"votes_cast": "--votes-cast"})
def endorse_cmd(
    threshold: str = typer.Option("0.6", "--threshold", help="Share of votes cast needed, in (0, 1]."),
    votes_cast: int = typer.Option(..., "--votes-cast", help="Valid votes cast."),
    bloc: int | None = typer.Option(None, "--bloc", help="Our bloc's votes: can it block alone?"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Votes needed to endorse: ceil(threshold x votes cast), exactly."""
    from broadfront.analysis.caucus import bloc_leverage, votes_needed
    from broadfront.analysis.caucus.endorsement import check_threshold

    try:
        t = check_threshold(threshold)
    except ValidationError as exc:
        raise ValidationError(f"--threshold must be a number in (0, 1], got {threshold!r}", parameter="--threshold") from exc
    if votes_cast < 0:
        raise ValidationError(f"--votes-cast must not be negative, got {votes_cast}", parameter="--votes-cast")
    needed = votes_needed(votes_cast, t)
    payload: dict = {"threshold": float(t), "votes_cast": votes_cast, "votes_needed": needed}
    if bloc is not None:
        if not 0 <= bloc <= votes_cast:
            raise ValidationError(f"--bloc must be between 0 and --votes-cast, got {bloc}", parameter="--bloc")
        lev = bloc_leverage({"bloc": bloc, "others": votes_cast - bloc}, "bloc", threshold=t, power=False)
        payload.update(
            bloc=bloc,
            can_block_alone=lev.can_block_alone,
            delegates_to_block=lev.delegates_to_block,
        )
    if as_json:
        emit_json(payload)
        return
    typer.echo(f"votes needed: {needed} of {votes_cast} ({float(t):.0%} rounded up)")
    if bloc is not None:
        if payload["can_block_alone"]:
            typer.echo(f"a bloc of {bloc} can block an endorsement alone")
        else:
            typer.echo(f"a bloc of {bloc} needs {payload['delegates_to_block']} more to block alone")


def register(app: typer.Typer) -> None:
    """Add the ``caucus`` group to the root ``broadfront`` app."""
    app.add_typer(caucus_app, name="caucus")
