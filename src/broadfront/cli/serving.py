"""Serving the web app: gunicorn for real use, Django's development server with ``--dev``."""

from __future__ import annotations

import os
from typing import Any

from broadfront.exceptions import ValidationError

#: The most web processes one ``broadfront serve`` starts.
MAX_WEB_WORKERS = 64


def default_web_workers() -> int:
    """Gunicorn's usual advice, 2 x cores + 1, kept to 2..8 for a machine shared with a worker."""
    return max(2, min(8, 2 * (os.cpu_count() or 1) + 1))


def check_web_workers(workers: int) -> int:
    if not 1 <= workers <= MAX_WEB_WORKERS:
        raise ValidationError(f"--workers must be between 1 and {MAX_WEB_WORKERS}, got {workers}",
                              parameter="--workers")
    return workers


def serve_production(host: str, port: int, workers: int, *, timeout: int = 60) -> None:
    """Serve ``broadfront.web.wsgi:application`` with gunicorn (sync workers, preloaded app).

    Static files are served by WhiteNoise inside the application, as in development.
    """
    from gunicorn.app.base import BaseApplication

    from broadfront.web.wsgi import application

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}", "workers": workers, "worker_class": "sync",
                "timeout": timeout, "graceful_timeout": 30, "preload_app": True,
                "accesslog": "-", "errorlog": "-", "proc_name": "broadfront",
                "max_requests": 2000, "max_requests_jitter": 200,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    _Gunicorn().run()
