"""The what-if panel's form: what was typed on a body's power page, as typed values.

The panel posts one weight (``w_<seat id>``) and one side (``side_<seat id>``) per seat, a
bloc button (``move``: ``"us|Centrist"``, or ``move_bloc`` and ``to``), a rule kind
(``rule``), a threshold in percent (``threshold``) and a quota (``quota``). The form turns
them into :class:`~broadfront.web.bodies.services.WhatIfChanges` (weights as exact decimals,
sides as ``"us"``/``"them"``, the threshold as a fraction); what they mean for the body is
decided by :func:`~broadfront.web.bodies.services.what_if`. Errors name the form field
(``w_12``, ``side_12``, ``to``, ``rule``, ``threshold``, ``quota``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms

from broadfront.web.bodies.services import (
    MAX_WEIGHT,
    SIDES,
    Member,
    Side,
    WhatIfChanges,
    weight_words,
)
from broadfront.web.common.forms import ParsingForm
from broadfront.web.landscape.models import VotingRule


def _decimal(raw: str, label: str) -> Decimal:
    """``raw`` as a finite decimal (a comma is a decimal point); the error names ``label``."""
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        raise forms.ValidationError(f"{label} must be a number, got {raw!r}") from None
    if not value.is_finite():
        raise forms.ValidationError(f"{label} must be a number, got {raw!r}")
    return value


class WeightField(forms.Field):
    """A seat's new weight, 0 to ``MAX_WEIGHT``, kept to thousandths; blank keeps the stored."""

    def __init__(self, member: Member) -> None:
        super().__init__(required=False)
        self.member = member

    def to_python(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        raw = str(value)
        w = _decimal(raw, f"the weight of {self.member.name}")
        if w < 0 or w > MAX_WEIGHT:  # the raw text: a huge Decimal cannot be formatted
            raise forms.ValidationError(f"the weight of {self.member.name} must be between 0 "
                                        f"and {weight_words(MAX_WEIGHT)}, got {raw.strip()[:20]}")
        return w.quantize(Decimal("0.001"))


class SideField(forms.Field):
    """``us`` or ``them``; blank leaves the side read from stances."""

    def __init__(self, label: str) -> None:
        super().__init__(required=False)
        self.words = label

    def to_python(self, value: Any) -> Side | None:
        if value in (None, ""):
            return None
        if value not in SIDES:
            raise forms.ValidationError(f"{self.words} must be 'us' or 'them', got {value!r}")
        return cast(Side, value)


class WhatIfForm(ParsingForm):
    """The what-if panel of one body, whose seats are ``members``."""

    move_bloc = forms.CharField(required=False, strip=False)
    to = forms.CharField(required=False, strip=False)
    rule = forms.CharField(required=False, strip=False)
    threshold = forms.CharField(required=False, strip=False)
    quota = forms.CharField(required=False, strip=False)

    def __init__(self, members: Sequence[Member], data: Mapping[str, Any] | None = None
                 ) -> None:
        posted = dict(data or {})
        move = posted.pop("move", "")
        if move:  # a bloc button: "us|bloc name" or "them|bloc name"
            to, _, bloc = str(move).partition("|")
            posted.update(move_bloc=bloc, to=to)
        super().__init__(posted)
        seats: dict[str, forms.Field] = {}
        for m in members:
            seats[f"w_{m.seat_id}"] = WeightField(m)
            seats[f"side_{m.seat_id}"] = SideField(f"the side of {m.name}")
        self.fields = {**seats, **self.fields}  # errors follow the form: seats first
        self.members = list(members)

    def clean_to(self) -> Side | None:
        to = self.data.get("to")
        if self.data.get("move_bloc") and to not in SIDES:
            raise forms.ValidationError(f"to must be 'us' or 'them', got {to!r}")
        return cast(Side, to) if to in SIDES else None

    def clean_rule(self) -> str | None:
        kind = self.cleaned_data["rule"]
        if kind and kind not in VotingRule.Kind.values:
            raise forms.ValidationError(f"rule must be one of "
                                        f"{', '.join(VotingRule.Kind.values)}, got {kind!r}")
        return kind or None

    def clean_threshold(self) -> Decimal | None:
        raw = self.cleaned_data["threshold"]
        if raw in (None, ""):
            return None
        pct = _decimal(raw, "threshold")
        if not 0 < pct <= 100:
            raise forms.ValidationError(f"threshold must be above 0% and at most 100%, "
                                        f"got {pct}%")
        return (pct / 100).quantize(Decimal("0.00001"))

    def clean_quota(self) -> Decimal | None:
        raw = self.cleaned_data["quota"]
        if raw in (None, ""):
            return None
        quota = _decimal(raw, "quota")
        if quota <= 0:
            raise forms.ValidationError(f"quota must be positive, got {weight_words(quota)}")
        return quota

    def changes(self) -> WhatIfChanges:
        """The typed changes; :class:`~broadfront.exceptions.ValidationError` naming the
        first bad field otherwise."""
        data = self.parsed()
        weights = {m.seat_id: data[f"w_{m.seat_id}"] for m in self.members
                   if data.get(f"w_{m.seat_id}") is not None}
        sides = {m.seat_id: data[f"side_{m.seat_id}"] for m in self.members
                 if data.get(f"side_{m.seat_id}") is not None}
        return WhatIfChanges(
            weights=cast(dict[int, Decimal], weights), sides=cast(dict[int, Side], sides),
            move_bloc=cast(str, data["move_bloc"]) or None, to=cast(Side | None, data["to"]),
            rule=cast(str | None, data["rule"]), threshold=cast(Decimal | None,
                                                                data["threshold"]),
            quota=cast(Decimal | None, data["quota"]))
