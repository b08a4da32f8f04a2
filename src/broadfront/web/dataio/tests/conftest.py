"""Personas the import tests add to the shared world: a site operator and Northside's admin.

Divisions, bodies, roll calls and Popolo files are shared public records that only site
operators (or a curating organization) write; an organization's admins read its audit log.
"""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.dataio.tests.attacks import make_admin, make_operator


@pytest.fixture
def operator(world: Any) -> Any:
    """Olga runs the installation (a superuser of no organization)."""
    return make_operator()


@pytest.fixture
def nadia(world: Any) -> Any:
    """Nadia is an admin of Northside."""
    return make_admin(world)
