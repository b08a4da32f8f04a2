"""Forms of the scenario pages: what was typed, as the typed values the services take.

Percentages typed on the page become fractions (40 -> 0.4), whole numbers ints, the scenario
file a JSON object; choices (an organization, a body, a race, an issue) become the records
offered on the page. Errors name the form field as the services' do (``cohesion``,
``share_12``, ``t_2_0``, ``draws``, ``spec``); the bounds (draws, seed, chances between 0 and
1) are decided by the services, the same for the pages and the API.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from broadfront.analysis.scenarios import FIRST_LOOK_DRAWS
from broadfront.web.common.forms import ParsingForm


class PercentField(forms.Field):
    """A percentage, as a fraction (``40`` -> ``0.4``); blank is ``default`` percent, or None."""

    def __init__(self, name: str, default: float | None = None) -> None:
        super().__init__(required=False)
        self.name, self.default = name, default

    def to_python(self, value: Any) -> float | None:
        raw = str(value or "").strip()
        if not raw:
            return None if self.default is None else self.default / 100
        try:
            number = float(raw)
        except ValueError:
            raise forms.ValidationError(f"{self.name} must be a percentage, got {raw!r}") from None
        if not math.isfinite(number):
            raise forms.ValidationError(f"{self.name} must be a percentage, got {raw!r}")
        return number / 100


class WholeField(forms.Field):
    """A whole number (bounds are the service's); blank is ``default``."""

    def __init__(self, name: str, default: int | None = None) -> None:
        super().__init__(required=False)
        self.name, self.default = name, default

    def to_python(self, value: Any) -> int | None:
        raw = str(value or "").strip()
        if not raw:
            return self.default
        try:
            return int(raw)
        except ValueError:
            raise forms.ValidationError(f"{self.name} must be a whole number, got "
                                        f"{raw!r}") from None


class NumberField(forms.Field):
    """A plain number (steps on the spectrum); blank is ``default``."""

    def __init__(self, name: str, default: float) -> None:
        super().__init__(required=False)
        self.name, self.default = name, default

    def to_python(self, value: Any) -> float:
        raw = str(value or "").strip()
        if not raw:
            return self.default
        try:
            number = float(raw)
        except ValueError:
            raise forms.ValidationError(f"{self.name} must be a number, got {raw!r}") from None
        if not math.isfinite(number):
            raise forms.ValidationError(f"{self.name} must be a number, got {raw!r}")
        return number


def _text(required: bool = False) -> forms.CharField:
    return forms.CharField(required=required, strip=True)


def _pick(options: Sequence[Any], slug: str | None) -> Any:
    return next((o for o in options if o.slug == slug), None)


class NewScenarioForm(ParsingForm):
    """A new scenario, built from a body (with an issue's stances) or a race.

    ``choices`` (:class:`~broadfront.web.scenarios.queries.NewScenarioChoices`) are what the
    page offers; a slug outside them is refused as if it were missing.
    """

    organization = _text()
    name = _text()
    description = _text()
    source = _text()
    body = _text()
    issue = _text()
    cohesion = PercentField("cohesion", default=50)
    race = _text()
    turnout = PercentField("turnout", default=50)
    rule = _text()
    seed = WholeField("seed", default=0)
    draws = WholeField("draws", default=FIRST_LOOK_DRAWS)

    def __init__(self, choices: Any, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self.choices = choices
        race = _pick(choices.races, data.get("race"))
        self.candidates = (list(race.candidates.select_related("person").order_by("pk"))
                           if race is not None else [])
        for c in self.candidates:
            self.fields[f"share_{c.pk}"] = PercentField(f"share_{c.pk}")

    def clean_organization(self) -> Any:
        orgs = self.choices.organizations
        org = _pick(orgs, self.cleaned_data["organization"]) or (
            orgs[0] if len(orgs) == 1 else None)
        if org is None:
            raise forms.ValidationError("choose one of your organizations")
        return org

    def clean_source(self) -> str:
        return "race" if self.cleaned_data["source"] == "race" else "body"

    def clean_body(self) -> Any:
        body = _pick(self.choices.bodies, self.cleaned_data["body"])
        if body is None and self.data.get("source") != "race":
            raise forms.ValidationError("choose a body")
        return body

    def clean_issue(self) -> Any:
        return _pick(self.choices.issues, self.cleaned_data["issue"])

    def clean_race(self) -> Any:
        race = _pick(self.choices.races, self.cleaned_data["race"])
        if race is None and self.data.get("source") == "race":
            raise forms.ValidationError("choose a race")
        return race

    def clean_rule(self) -> str:
        return self.cleaned_data["rule"] or "plurality"

    def shares(self) -> dict[str, float] | None:
        """Expected shares by candidate name (None when none was typed: an even split)."""
        out = {str(c.person): self.cleaned_data[f"share_{c.pk}"] for c in self.candidates
               if self.cleaned_data.get(f"share_{c.pk}") is not None}
        return out or None


class ShockForm(ParsingForm):
    """One shock: its kind, who or where, and its size (percentages as fractions)."""

    kind = _text()
    direction = _text()
    steps = NumberField("steps", default=1)
    probability = PercentField("probability", default=100)
    fraction = PercentField("fraction", default=0)
    change = PercentField("change", default=0)
    bloc = _text()
    member = _text()
    to = _text()
    source = _text()
    group = _text()

    def shock(self) -> dict[str, Any]:
        """The arguments of :func:`~broadfront.web.scenarios.specs.build_shock`."""
        d = self.parsed()
        kind = str(d["kind"])
        direction = -1 if (d["direction"] or "right") == "right" else 1
        divisions = [v for v in self.data.getlist("divisions") if v] if hasattr(
            self.data, "getlist") else list(self.data.get("divisions") or [])
        return {"kind": kind, "probability": d["probability"], "bloc": d["bloc"] or None,
                "member": d["member"] or None,
                "steps": direction * float(d["steps"]) if kind.endswith("shift") else 0.0,
                "fraction": d["fraction"], "to": d["to"] or None,
                "source": d["source"] or None, "divisions": divisions,
                "group": d["group"] or None, "change": d["change"]}


class MembersForm(ParsingForm):
    """Members' chances typed in percent (``p_<i>``, by the member's row on the page)."""

    def __init__(self, members: Sequence[Any], data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self.members = list(members)
        for i, _ in enumerate(self.members):
            self.fields[f"p_{i}"] = PercentField(f"p_{i}")

    def chances(self) -> dict[str, float | None]:
        """The changed chances by member name (None: back to the member's stance).

        A chance equal to the one the stance gives (shown rounded) leaves the stance.
        """
        d = self.parsed()
        out: dict[str, float | None] = {}
        for i, m in enumerate(self.members):
            value = d[f"p_{i}"]
            if value is not None:
                if not m.direct and abs(float(value) - m.p_with_us) < 0.005:
                    continue
                out[m.name] = float(value)
            elif m.direct:
                out[m.name] = None
        return out


class CountingForm(ParsingForm):
    """How a race is counted: ``rule``, transfers ``t_<from>_<to>`` in percent and their
    uncertainty ``transfer_sd`` in points."""

    rule = _text()
    transfer_sd = PercentField("transfer_sd", default=0)

    def __init__(self, candidates: Sequence[str], data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self.names = list(candidates)
        for i in range(len(self.names)):
            for j in range(len(self.names)):
                if i != j:
                    self.fields[f"t_{i}_{j}"] = PercentField(f"t_{i}_{j}")

    def counting(self) -> dict[str, Any]:
        """The arguments of :func:`~broadfront.web.scenarios.services.do_set_race_rule`."""
        d = self.parsed()
        transfers: dict[str, dict[str, float]] = {}
        for i, src in enumerate(self.names):
            for j, dst in enumerate(self.names):
                if i != j and d[f"t_{i}_{j}"] is not None:
                    transfers.setdefault(src, {})[dst] = float(d[f"t_{i}_{j}"])
        return {"rule": d["rule"] or "plurality", "transfers": transfers,
                "transfer_sd": d["transfer_sd"]}


class SpecForm(ParsingForm):
    """The scenario file as edited: name, description, seed, draws and the JSON."""

    name = forms.CharField(required=False, strip=False)
    description = forms.CharField(required=False, strip=False)
    seed = WholeField("seed")
    draws = WholeField("draws")
    spec = forms.CharField(required=False, strip=False)

    def clean_spec(self) -> Any:
        try:
            return json.loads(self.cleaned_data["spec"] or "")
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"spec: not valid JSON ({exc.msg} at line "
                                        f"{exc.lineno}, column {exc.colno})") from None


class RunForm(ParsingForm):
    """A run's inputs: ``draws`` and ``seed`` (blank: the scenario's), ``method``, ``target``
    in percent (blank: the scenario's)."""

    draws = WholeField("draws")
    seed = WholeField("seed")
    method = _text()
    target = PercentField("target")

    def clean_method(self) -> str:
        return self.cleaned_data["method"] or "auto"
