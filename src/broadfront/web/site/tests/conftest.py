"""Every test starts with an empty cache (figures are cached by a data stamp of row ids, which a
rolled-back test database can reuse)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
