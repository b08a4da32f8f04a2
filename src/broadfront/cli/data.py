"""``broadfront import`` and ``broadfront export``: OSDI, CSV and Popolo in and out.

Both honour ``DATABASE_URL`` and ``--db``. An import is checked in full before anything is
written, then written in one transaction; ``--dry-run`` reports what would change.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from broadfront.cli._common import emit_json, setup_django
from broadfront.exceptions import NotFoundError

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (overrides DATABASE_URL)."),
]


def _actor(username: str | None) -> Any:
    from django.contrib.auth.models import User

    if username is None:
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise NotFoundError("no site operator account exists; pass --as USER")
        return user
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFoundError(f"user {username!r} not found")
    return user


def _organization(slug: str) -> Any:
    from broadfront.web.organizations.models import Organization

    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        raise NotFoundError(f"organization {slug!r} not found")
    return org


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {k}" for k, n in sorted(counts.items())) or "nothing"


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        source: Annotated[str, typer.Argument(help="File, first OSDI page (or its folder), "
                                                   "or an http(s) OSDI endpoint.")],
        format: Annotated[str, typer.Option("--format", help="osdi, csv or popolo.")],
        organization: Annotated[str, typer.Option("--organization",
                                                  help="Slug of the importing organization.")],
        kind: Annotated[str, typer.Option(
            "--kind", help="osdi: people, events, attendance; csv: action_network, mobilize, "
                           "people, events, attendance, organizations, divisions, targets, "
                           "commitments, deliveries, stances, relationships, rollcalls.")
        ] = "people",
        as_user: Annotated[str | None, typer.Option("--as", help="Act as this user.")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run",
                                              help="Report what would change; write nothing.")
                           ] = False,
        token: Annotated[str | None, typer.Option("--token", envvar="OSDI_API_TOKEN",
                                                  help="OSDI API token for an endpoint.")
                         ] = None,
        json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")
                               ] = False,
        db: DbOption = None,
    ) -> None:
        """Import people, events or attendance (OSDI, CSV, Popolo).

        All or nothing: every row is checked first and an error names the file, row and
        field; then everything is written in one transaction. --dry-run reports what would
        change and writes nothing.
        """
        setup_django(db)
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from broadfront.web.dataio.services import do_import

        actor, org = _actor(as_user), _organization(organization)
        console = Console(stderr=True)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                      TextColumn("{task.completed:,} records"), TimeElapsedColumn(),
                      console=console, transient=True, disable=not console.is_terminal) as bar:
            task = bar.add_task("reading", total=None)

            def progress(stage: str, done: int) -> None:
                bar.update(task, description=stage, completed=done)

            report = do_import(actor, org, source, format=format, kind=kind, dry_run=dry_run,
                               token=token, progress=progress)
        if json_output:
            emit_json(report.as_dict())
            return
        verb = "Would import" if dry_run else "Imported"
        typer.echo(f"{verb} {report.read:,} records into {org.name} in {report.seconds:.1f} s.")
        typer.echo(f"  created:   {_summary(report.created)}")
        typer.echo(f"  updated:   {_summary(report.updated)}")
        typer.echo(f"  unchanged: {_summary(report.unchanged)}")
        if report.matched:
            typer.echo(f"  matched by {_summary(report.matched)}")
        if report.conflict_count:
            typer.echo(f"  {report.conflict_count} conflicts (stored values kept):")
            for line in report.conflicts[:10]:
                typer.echo(f"    {line}")
        if dry_run:
            typer.echo("Dry run: nothing was written.")

    @app.command("export")
    def export(
        target: Annotated[str, typer.Argument(help="Folder (OSDI) or file (CSV, Popolo).")],
        format: Annotated[str, typer.Option("--format", help="osdi, csv or popolo.")],
        organization: Annotated[str, typer.Option("--organization",
                                                  help="Slug of the exporting organization.")],
        kind: Annotated[str, typer.Option("--kind", help="people, events or attendance.")
                        ] = "people",
        as_user: Annotated[str | None, typer.Option("--as", help="Act as this user.")] = None,
        per_page: Annotated[int, typer.Option("--per-page", help="OSDI page size.")] = 1000,
        db: DbOption = None,
    ) -> None:
        """Export people, events, attendance or public bodies.

        Person-level records only ever come from your own organization.
        """
        setup_django(db)
        from broadfront.web.dataio.services import do_export

        actor, org = _actor(as_user), _organization(organization)
        result = do_export(actor, org, target, format=format, kind=kind, per_page=per_page)
        what = "public bodies" if format == "popolo" else kind
        typer.echo(f"Exported {result.records:,} records ({what}) to "
                   f"{len(result.paths)} file(s): {', '.join(result.paths[:3])}"
                   f"{' ...' if len(result.paths) > 3 else ''}")
