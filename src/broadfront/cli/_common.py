"""What every command module shares: the error boundary, JSON output and Django set-up.

Library errors (:class:`broadfront.exceptions.BroadfrontError`) and bad settings (Django's
``ImproperlyConfigured``, raised by :mod:`broadfront.web.settings` naming the variable) become
one line on stderr, ``error: <message>``, and exit status 1, in one place:
:class:`BroadfrontGroup`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperGroup

from broadfront.exceptions import BroadfrontError
from broadfront.formats.plainjson import jsonable


class BroadfrontGroup(TyperGroup):
    """A click group that turns Broadfront errors into ``error: ...`` and exit status 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BroadfrontError as exc:
            typer.echo(f"error: {error_line(str(exc))}", err=True)
            ctx.exit(1)
        except Exception as exc:
            # A bad setting (Django's ImproperlyConfigured, naming the variable) stops us too;
            # Django is imported only if it was loaded, so the analysis commands start fast.
            django_exceptions = sys.modules.get("django.core.exceptions")
            if django_exceptions is None or not isinstance(
                    exc, django_exceptions.ImproperlyConfigured):
                raise
            typer.echo(f"error: {error_line(str(exc))}", err=True)
            ctx.exit(1)


def error_line(message: str) -> str:
    r"""An engine's message as one line of the CLI, naming ``--no-limits`` where it helps.

    Examples
    --------
    >>> error_line("samples must be between 1 and 10, got 50 (up to 100 when limits are lifted)")
    'samples must be between 1 and 10, got 50 (up to 100 with --no-limits)'
    >>> error_line("bad\nname")
    'bad name'
    """
    message = message.replace("when limits are lifted", "with --no-limits")
    message = message.replace("or lift the limits", "or add --no-limits")
    return " ".join(message.splitlines())


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


def emit_json(payload: Any) -> None:
    """Print ``payload`` as indented JSON (dataclasses, numpy values and Fractions allowed)."""
    typer.echo(json.dumps(jsonable(payload), indent=2, sort_keys=False))


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr; yields the ``progress(done, total)`` callback engines take.

    Only engines that report progress get one (``run_scenario`` does, per chunk of draws);
    the commands print it only when stderr is a terminal.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)

        def progress(done: int, of: int) -> None:
            bar.update(task, completed=done, total=of)

        yield progress


def setup_django(db: str | None = None) -> None:
    """Configure Django for a command that touches the database.

    ``db`` (from ``--db``) overrides ``DATABASE_URL``; a bare path means a SQLite file.
    """
    if db:
        os.environ["DATABASE_URL"] = db if "://" in db else f"sqlite:///{os.path.abspath(db)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadfront.web.settings")
    import django

    django.setup()
