"""Template filters of the "Bodies and power" pages: shares and changes as percentages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any, places: int = 1) -> str:
    """0.1234 -> "12.3%" (empty for None)."""
    if value is None or value == "":
        return ""
    return f"{float(value) * 100:.{int(places)}f}%"


@register.filter
def pp(value: Any) -> str:
    """A change of a share in percentage points: 0.052 -> "+5.2 pts", 0 -> "no change"."""
    if value is None:
        return ""
    v = float(value) * 100
    if abs(v) < 0.05:
        return "no change"
    return f"{v:+.1f} pts"


@register.filter
def weight(value: Any) -> str:
    """A weight without trailing zeros, with thousands: Decimal("1050.500") -> "1,050.5"."""
    if value is None:
        return ""
    d = Decimal(str(value)).normalize()
    return f"{d:,f}"
