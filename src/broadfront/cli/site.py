"""Site commands: ``init``, ``load-demo``, ``demo``, ``serve``, ``createuser``, ``token``,
``unlock``, ``reset-two-factor``.

Every command honours ``DATABASE_URL`` (``sqlite:///path/file.sqlite3`` or
``postgresql://user@host:5432/name``) and ``--db`` (a URL or a SQLite file path).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Annotated

import typer

from broadfront.cli._common import setup_django
from broadfront.exceptions import ValidationError

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (overrides DATABASE_URL)."),
]


def _migrate(verbose: bool = False) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def _database_label() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "sqlite" in str(db["ENGINE"]):
        return f"SQLite file {db['NAME']}"
    return f"{str(db['ENGINE']).rsplit('.', 1)[-1]} database {db['NAME']} on {db.get('HOST') or 'localhost'}"


def _parse_scale(scale: str) -> str | int:
    if scale in ("small", "medium", "large"):
        return scale
    if scale.isdigit() and int(scale) > 0:
        return int(scale)
    raise ValidationError(
        f"--scale must be small, medium, large or a number of people, got {scale!r}",
        parameter="--scale",
    )


def _print_logins() -> None:
    from broadfront.demo import DEMO_LOGINS, DEMO_PASSWORD

    typer.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        typer.echo(f"  {login.username:<8} {login.role:<11} {login.organization}: {login.sees}")


def _plural(label: str) -> str:
    """``organizations.Person`` -> ``people`` (the model's plural name)."""
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return label


def _parse_as_of(as_of: str | None) -> dt.date | None:
    """``--as-of 2026-11-27`` as a date (None: today on the clock)."""
    if as_of is None or not as_of.strip():
        return None
    try:
        return dt.date.fromisoformat(as_of.strip())
    except ValueError:
        raise ValidationError(f"--as-of must be a date as YYYY-MM-DD, got {as_of!r}",
                              parameter="--as-of") from None


def _load(scale: str | int, seed: int, replace: bool = False,
          as_of: dt.date | None = None) -> None:
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from broadfront.demo import load_demo

    start = time.perf_counter()
    with Progress(TextColumn("{task.description:<24}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        summary = load_demo(scale, seed=seed, progress=report, replace=replace, as_of=as_of)
    elapsed = time.perf_counter() - start
    counts = ", ".join(f"{v:,} {_plural(k)}" for k, v in summary.counts.items() if v)
    typer.echo(f"Loaded the demo coalition (scale {scale}, seed {seed}, as of "
               f"{summary.as_of:%d %b %Y}) in {elapsed:.1f} s: {counts}.")


def register(app: typer.Typer) -> None:
    @app.command()
    def init(db: DbOption = None) -> None:
        """Create or upgrade the database."""
        setup_django(db)
        _migrate()
        typer.echo(f"Database ready: {_database_label()}.")

    @app.command("load-demo")
    def load_demo_command(
        scale: Annotated[str, typer.Option(help="small, medium, large or a number of people.")] = "small",
        seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same coalition.")] = 0,
        replace: Annotated[bool, typer.Option(help="Replace a demo already loaded.")] = False,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", metavar="YYYY-MM-DD",
            help="The day the story is laid out around (default: today).")] = None,
        db: DbOption = None,
    ) -> None:
        """Load the fictional demo coalition of Riverland, laid out around today (or --as-of)."""
        parsed = _parse_scale(scale)
        day = _parse_as_of(as_of)
        setup_django(db)
        _migrate()
        _load(parsed, seed, replace, day)
        _print_logins()

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        workers: Annotated[int | None, typer.Option(
            help="Web processes (1-64; default 2 x cores + 1, at most 8).")] = None,
        dev: Annotated[bool, typer.Option(
            "--dev", help="Django's development server (one process, for a laptop).")] = False,
        db: DbOption = None,
    ) -> None:
        """Serve the web app with gunicorn (or Django's development server with --dev)."""
        from broadfront.cli.serving import check_web_workers, default_web_workers

        if not 0 < port < 65536:
            raise ValidationError(f"--port must be between 1 and 65535, got {port}",
                                  parameter="--port")
        processes = check_web_workers(workers if workers is not None else default_web_workers())
        setup_django(db)
        _refuse_a_public_or_missing_key()
        _migrate()
        if dev:
            _serve(host, port)
            return
        from django.db import connections

        from broadfront.cli.serving import serve_production

        connections.close_all()  # nothing open crosses the fork into the web processes
        typer.echo(f"Serving Broadfront at http://{host}:{port}/ with {processes} web "
                   "processes (Ctrl+C to stop).")
        serve_production(host, port, processes)

    @app.command()
    def demo(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        scale: Annotated[str, typer.Option(help="Scale to load when the database is empty.")] = "small",
        seed: Annotated[int, typer.Option(help="Seed of the demo coalition.")] = 0,
        worker: Annotated[bool, typer.Option(
            help="Start one background worker beside the server (scenario runs, imports).")]
        = True,
        db: DbOption = None,
    ) -> None:
        """Serve the web app with the demo coalition (loaded if empty) and one worker."""
        parsed = _parse_scale(scale)
        # Demo mode, before the settings load: the shipped demo key may sign its sessions.
        os.environ.setdefault("BROADFRONT_DEMO", "true")
        setup_django(db)
        _migrate()
        from broadfront.web.organizations.models import Organization

        if not Organization.objects.exists():
            _load(parsed, seed)
        else:
            typer.echo(f"Using the data already in the {_database_label()}.")
            from broadfront import clock
            from broadfront.demo import loaded_as_of

            laid_out = loaded_as_of()
            if laid_out is not None and laid_out != clock.today():
                typer.echo(f"The demo there was laid out around {laid_out:%d %b %Y}; "
                           "`broadfront load-demo --replace` lays it out around today.")
        _print_logins()
        from broadfront.web.jobs.runner import uses_workers

        background = None
        if worker and uses_workers():
            from broadfront.cli.jobs import start_worker_process

            background = start_worker_process(db)
            typer.echo("Started a background worker for scenario runs and imports.")
        try:
            _serve(host, port)
        finally:
            if background is not None:
                background.terminate()
                try:
                    background.wait(timeout=10)
                except Exception:
                    background.kill()

    @app.command()
    def createuser(
        username: Annotated[str, typer.Argument(metavar="USERNAME", help="Login name.")],
        password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                              help="At least 12 characters.")],
        organization: Annotated[str | None, typer.Option(help="Organization slug.")] = None,
        role: Annotated[str, typer.Option(help="viewer, organizer or admin.")] = "viewer",
        email: Annotated[str, typer.Option(help="E-mail address.")] = "",
        superuser: Annotated[bool, typer.Option(help="Site operator (sees everything).")] = False,
        db: DbOption = None,
    ) -> None:
        """Create a login, optionally with a role in an organization."""
        setup_django(db)
        _migrate()
        from broadfront.web.organizations.models import Organization
        from broadfront.web.organizations.services import do_create_user

        org = None
        if organization:
            org = Organization.objects.filter(slug=organization).first()
            if org is None:
                raise ValidationError(f"no organization with slug {organization!r}",
                                      parameter="--organization")
        do_create_user(None, username=username, password=password, email=email,
                       organization=org, role=role, superuser=superuser)
        where = f" as {role} of {org.name}" if org else ""
        typer.echo(f"Created user {username}{where}.")

    @app.command()
    def token(
        username: Annotated[str, typer.Argument(metavar="USERNAME", help="The user the token acts for.")],
        name: Annotated[str, typer.Option(help="A name to recognise the token by.")] = "default",
        expires_in_days: Annotated[int, typer.Option(
            "--expires-in-days", help="Days until the token is refused (1 to 3650).")] = 90,
        scope: Annotated[str, typer.Option(
            help="read (GET only) or write (every method the user's roles allow).")] = "write",
        revoke: Annotated[str | None, typer.Option(
            "--revoke", metavar="PREFIX",
            help="Revoke the user's token starting with PREFIX (the 8 characters after bf_) "
                 "instead of creating one.")] = None,
        db: DbOption = None,
    ) -> None:
        """Create a personal API token (printed once), or revoke one with --revoke PREFIX."""
        if not 1 <= expires_in_days <= 3650:
            raise ValidationError(f"--expires-in-days must be between 1 and 3650, got "
                                  f"{expires_in_days}", parameter="--expires-in-days")
        if scope not in ("read", "write"):
            raise ValidationError(f"--scope must be read or write, got {scope!r}",
                                  parameter="--scope")
        setup_django(db)
        from django.contrib.auth.models import User

        from broadfront.web.common.services import do_create_api_token, do_revoke_api_token

        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(f"no user named {username!r}", parameter="username")
        if revoke is not None:
            revoked = do_revoke_api_token(user, user, revoke)
            typer.echo(f"Revoked API token bf_{revoked.prefix}... ({revoked.name}) of "
                       f"{username}.")
            return
        typer.echo(do_create_api_token(user, user, name, expires_in_days=expires_in_days,
                                       scope=scope))

    @app.command()
    def unlock(
        username: Annotated[str, typer.Argument(metavar="USERNAME",
                                                help="The login to let sign in again.")],
        db: DbOption = None,
    ) -> None:
        """Lift a sign-in lock (too many failed sign-ins) from a login, at every address."""
        setup_django(db)
        from django.contrib.auth.models import User

        from broadfront.web.common.auth import unlock as unlock_user

        if not User.objects.filter(username=username).exists():
            raise ValidationError(f"no user named {username!r}", parameter="username")
        cleared = unlock_user(username)
        typer.echo(f"Unlocked {username}." if cleared else f"{username} was not locked.")

    @app.command("reset-two-factor")
    def reset_two_factor(
        username: Annotated[str, typer.Argument(
            metavar="USERNAME", help="The login whose authenticator app is lost.")],
        db: DbOption = None,
    ) -> None:
        """Turn off a login's two-step sign-in (a lost phone); audited."""
        setup_django(db)
        from django.contrib.auth.models import User

        from broadfront.web.common.two_factor import do_reset_totp

        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(f"no user named {username!r}", parameter="username")
        if do_reset_totp(None, user):
            typer.echo(f"Two-step sign-in of {username} is off; the password alone signs in "
                       "until it is set up again.")
        else:
            typer.echo(f"{username} had no two-step sign-in.")


def _refuse_a_public_or_missing_key() -> None:
    """``serve`` with debug off needs a secret key of its own (demo mode may use the demo key)."""
    from django.conf import settings

    from broadfront.web.common.checks import KEY_HINT, secret_key_problem

    if settings.DEBUG or settings.DEMO_MODE:
        return
    problem = secret_key_problem()
    if problem is not None:
        raise ValidationError(f"{problem}. {KEY_HINT}", parameter="BROADFRONT_SECRET_KEY")


def _serve(host: str, port: int) -> None:
    from django.core.management import call_command

    typer.echo(f"Serving Broadfront at http://{host}:{port}/ (Ctrl+C to stop).")
    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
