"""``broadfront worker``: run background jobs (scenario runs, imports) from the task queue."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Annotated

import typer

from broadfront.cli._common import setup_django
from broadfront.exceptions import ValidationError

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (overrides DATABASE_URL)."),
]

#: The most worker processes one ``broadfront worker`` starts.
MAX_CONCURRENCY = 64


def _parse_queues(queues: str) -> list[str]:
    names = [q.strip() for q in queues.split(",") if q.strip()]
    if not names or any(not q.replace("-", "").replace("_", "").isalnum() or len(q) > 40
                        for q in names):
        raise ValidationError("--queues must be comma-separated queue names (letters, digits, "
                              f"- and _), got {queues!r}", parameter="--queues")
    return names


def start_worker_process(db: str | None = None, *, queues: str = "default",
                         quiet: bool = True) -> subprocess.Popen[bytes]:
    """Start one ``broadfront worker`` beside this process (``broadfront demo`` does)."""
    command = [sys.executable, "-m", "broadfront.cli.main", "worker", "--queues", queues]
    if db:
        command += ["--db", db]
    out = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(command, stdout=out, stderr=out)


def register(app: typer.Typer) -> None:
    @app.command()
    def worker(
        queues: Annotated[str, typer.Option(help="Queues to take jobs from, comma-separated.")]
        = "default",
        concurrency: Annotated[int, typer.Option(
            help=f"Worker processes to run (1-{MAX_CONCURRENCY}); each runs one job at a time.")]
        = 1,
        batch: Annotated[bool, typer.Option(
            help="Stop when no job is waiting, instead of waiting for more.")] = False,
        db: DbOption = None,
    ) -> None:
        """Run background jobs (scenario runs, imports) until stopped with Ctrl+C.

        Any number of workers on any number of machines may share one PostgreSQL database;
        each job runs once. A worker that stops mid-job (killed, machine lost) is noticed by
        the others within the lease (BROADFRONT_JOB_LEASE_SECONDS, 30 s): its job runs again
        once, then is marked failed with the reason.
        """
        names = _parse_queues(queues)
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValidationError(f"--concurrency must be between 1 and {MAX_CONCURRENCY}, "
                                  f"got {concurrency}", parameter="--concurrency")
        if concurrency > 1:
            _run_many(names, concurrency, batch, db)
            return
        setup_django(db)
        from django.conf import settings

        from broadfront.web.jobs.runner import uses_workers
        from broadfront.worker import Worker

        if not uses_workers():
            raise ValidationError("BROADFRONT_TASKS_BACKEND is 'immediate': jobs run where "
                                  "they are submitted and no worker is needed",
                                  parameter="BROADFRONT_TASKS_BACKEND")
        w = Worker(queues=names, batch=batch)
        w.configure_signals()
        typer.echo(f"Worker {w.worker_id} taking jobs from {', '.join(names)} "
                   f"(max {settings.BROADFRONT_JOB_MAX_SECONDS:,} s per job; Ctrl+C to stop).")
        w.run()


def _run_many(names: list[str], concurrency: int, batch: bool, db: str | None) -> None:
    command = [sys.executable, "-m", "broadfront.cli.main", "worker", "--queues",
               ",".join(names)] + (["--batch"] if batch else []) + (["--db", db] if db else [])
    children = [subprocess.Popen(command) for _ in range(concurrency)]

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    codes = [child.wait() for child in children]
    if any(codes):
        raise typer.Exit(max(codes))
