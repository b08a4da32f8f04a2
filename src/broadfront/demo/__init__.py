"""The demo coalition of fictional Riverland, generated deterministically at any scale.

>>> from broadfront.demo import DEMO_LOGINS
>>> [login.username for login in DEMO_LOGINS][:3]
['ana', 'ben', 'grace']
"""

from __future__ import annotations

from broadfront.demo.cast import DEMO_AS_OF, DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from broadfront.demo.generator import (
    DemoSummary,
    delete_demo,
    demo_present,
    load_demo,
    loaded_as_of,
)
from broadfront.demo.scale import DemoSize, resolve_scale

__all__ = [
    "DEMO_AS_OF",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DemoLogin",
    "DemoSize",
    "DemoSummary",
    "delete_demo",
    "demo_present",
    "load_demo",
    "loaded_as_of",
    "resolve_scale",
]
