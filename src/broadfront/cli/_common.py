"""What every command module shares: the error boundary, JSON output and Django set-up.

Library errors (:class:`broadfront.exceptions.BroadfrontError`) become one line on stderr,
``error: <message>``, and exit status 1, in one place: :class:`BroadfrontGroup`.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from fractions import Fraction
from typing import Any

import typer
from typer.core import TyperGroup

from broadfront.exceptions import BroadfrontError


class BroadfrontGroup(TyperGroup):
    """A click group that turns Broadfront errors into ``error: ...`` and exit status 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BroadfrontError as exc:
            typer.echo(f"error: {exc}", err=True)
            ctx.exit(1)


def new_app(help_text: str) -> typer.Typer:
    """A typer app (or sub-group) with Broadfront's error boundary and plain output."""
    return typer.Typer(
        cls=BroadfrontGroup,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _jsonable(value.tolist())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def emit_json(payload: Any) -> None:
    """Print ``payload`` as indented JSON (dataclasses, numpy values and Fractions allowed)."""
    typer.echo(json.dumps(_jsonable(payload), indent=2, sort_keys=False))


def setup_django(db: str | None = None) -> None:
    """Configure Django for a command that touches the database.

    ``db`` (from ``--db``) overrides ``DATABASE_URL``; a bare path means a SQLite file.
    """
    if db:
        os.environ["DATABASE_URL"] = db if "://" in db else f"sqlite:///{os.path.abspath(db)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadfront.web.settings")
    import django

    django.setup()
