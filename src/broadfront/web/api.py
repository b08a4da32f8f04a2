"""The REST API (django-ninja) at /api/: every router registers here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Broadfront API",
    version="1",
    description="Organization-scoped access to Broadfront's records and engines.",
    urls_namespace="api",
)
