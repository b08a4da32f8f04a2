"""Forms for recording stances and relationships from the web.

Forms only read the request; every write goes through :mod:`.services`, whose validation
errors name the field they belong to and are shown next to it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from broadfront import clock
from broadfront.exceptions import ValidationError
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.landscape.models import Issue, Relationship, Stance
from broadfront.web.organizations.models import Organization, Person

#: Service parameter -> form field, where they differ.
FIELD_OF = {"actor": "actor", "organization": "actor", "person": "actor",
            "source_actor": "source_actor", "target_actor": "target_actor"}


def actor_choices(user: Any, include: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Organizations, public figures and our own people already on the landscape.

    ``include`` ("p:<pk>") adds one more person the user may see (a link from their page).
    """
    orgs = [(f"o:{o.pk}", o.name) for o in Organization.objects.order_by("name")]
    mine = own_org_ids(user)
    on_landscape = set(Stance.objects.visible_to(user).filter(person__owner_id__in=mine)
                       .values_list("person_id", flat=True))
    on_landscape |= set(Relationship.objects.visible_to(user).filter(
        source_person__owner_id__in=mine).values_list("source_person_id", flat=True))
    on_landscape |= set(Relationship.objects.visible_to(user).filter(
        target_person__owner_id__in=mine).values_list("target_person_id", flat=True))
    extra = int(include[2:]) if include.startswith("p:") and include[2:].isdigit() else None
    people_q = Q(owner__isnull=True) | Q(id__in=on_landscape)
    if extra is not None:
        people_q |= Q(id=extra)
    people = Person.objects.visible_to(user).filter(people_q).order_by(
        "family_name", "given_name")
    public = [(f"p:{p.pk}", f"{p} ({p.public_role})" if p.public_role else str(p))
              for p in people if p.owner_id is None]
    private = [(f"p:{p.pk}", f"{p} (our member)") for p in people if p.owner_id is not None]
    groups = [("Organizations", orgs), ("Public figures", public)]
    if private:
        groups.append(("Our people", private))
    return groups


def resolve_actor(user: Any, key: str, parameter: str = "actor"
                  ) -> tuple[Organization | None, Person | None]:
    """``o:<pk>`` or ``p:<pk>`` to an organization or a person the user may see."""
    from broadfront.web.landscape.services import get_actor_for_user

    kind, _, pk = key.partition(":")
    if kind not in ("o", "p") or not pk.isdigit():
        raise ValidationError(f"{parameter} must look like o:<id> or p:<id>, got {key!r}",
                              parameter=parameter)
    obj = get_actor_for_user(user, kind, int(pk))
    return (obj, None) if isinstance(obj, Organization) else (None, obj)


class _Recording(forms.Form):
    recorded_by = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False,
                                         label="Recorded by (your organization)")

    def _recorders(self, user: Any) -> None:
        f: Any = self.fields
        orgs = Organization.objects.filter(id__in=own_org_ids(user, ROLE_ORGANIZER))
        f["recorded_by"].queryset = orgs.order_by("name")
        if orgs.count() <= 1:
            del self.fields["recorded_by"]


class StanceForm(_Recording):
    issue = forms.ModelChoiceField(queryset=Issue.objects.order_by("name"), label="Issue",
                                   to_field_name="slug")
    actor = forms.ChoiceField(label="Actor (organization or person)")
    score = forms.TypedChoiceField(
        coerce=int, label="Stance",
        choices=[(s, f"{s:+d} {label}") for s, label in sorted(Stance.SCALE.items(),
                                                                reverse=True)])
    assessed_on = forms.DateField(label="Assessed on", initial=clock.today,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label="Evidence (a vote, a statement, a meeting)",
                               widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, user: Any, *args: Any, include: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["actor"].choices = [("", "Choose an actor"), *actor_choices(user, include)]
        self._recorders(user)


class RelationshipForm(_Recording):
    source_actor = forms.ChoiceField(label="From (who)")
    kind = forms.ChoiceField(choices=Relationship.Kind.choices, label="Relationship")
    target_actor = forms.ChoiceField(label="To (whom)")
    start_date = forms.DateField(required=False, label="Since",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(required=False, label="Until (empty: still true)",
                               widget=forms.DateInput(attrs={"type": "date"}))
    strength = forms.TypedChoiceField(coerce=int, initial=1, label="Strength",
                                      choices=[(1, "1 weak"), (2, "2"), (3, "3 strong"),
                                               (4, "4"), (5, "5 very strong")])
    source = forms.CharField(max_length=500, label="Source (where we learned this)")

    def __init__(self, user: Any, *args: Any, include: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        choices = [("", "Choose an actor"), *actor_choices(user, include)]
        f["source_actor"].choices = choices
        f["target_actor"].choices = choices
        self._recorders(user)
