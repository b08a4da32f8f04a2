"""Forms for recording events and attendance from the web (writes go through the services)."""

from __future__ import annotations

from typing import Any

from django import forms

from broadfront.web.accountability.models import Attendance, Event
from broadfront.web.campaigns.models import Campaign
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.organizations.models import Division, Organization, Person


class EventForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(),
                                          label="Held by")
    name = forms.CharField(max_length=200, label="Name")
    kind = forms.ChoiceField(choices=Event.Kind.choices, label="Kind of event")
    starts_at = forms.DateTimeField(label="Starts at",
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), required=False,
                                      label="For which campaign")

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["organization"].queryset = Organization.objects.filter(
            id__in=own_org_ids(user, ROLE_ORGANIZER)).order_by("name")
        f["campaign"].queryset = Campaign.objects.visible_to(user).order_by("name")


class PersonForm(forms.Form):
    """A person on one of the user's own lists; ``person`` given: editing them (their list
    stays the same, so there is no organization to choose)."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none(),
                                          label="On the list of")
    given_name = forms.CharField(max_length=100, label="Given name")
    family_name = forms.CharField(max_length=100, required=False, label="Family name")
    email = forms.EmailField(required=False, label="Email")
    phone = forms.CharField(max_length=40, required=False, label="Phone")
    postal_code = forms.CharField(max_length=20, required=False, label="Postal code")
    division = forms.ModelChoiceField(queryset=Division.objects.none(), required=False,
                                      label="Lives in", empty_label="Not known")

    def __init__(self, user: Any, *args: Any, person: Person | None = None,
                 **kwargs: Any) -> None:
        if person is not None:
            kwargs.setdefault("initial", {name: getattr(person, name)
                                          for name in self.person_fields()})
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        if person is not None:
            del f["organization"]
        else:
            orgs = Organization.objects.filter(
                id__in=own_org_ids(user, ROLE_ORGANIZER)).order_by("name")
            f["organization"].queryset = orgs
            if len(orgs) == 1:
                f["organization"].initial = orgs[0].pk
        f["division"].queryset = Division.objects.visible_to(user).order_by("name", "id")

    @classmethod
    def person_fields(cls) -> list[str]:
        return [name for name in cls.base_fields if name != "organization"]

    def person_values(self) -> dict[str, Any]:
        """The cleaned values, as keyword arguments of ``do_create_person``/``do_update_person``."""
        return {name: self.cleaned_data[name] for name in self.person_fields()}


ATTENDED_CHOICES = [("", "Not known yet"), ("yes", "Came"), ("no", "Did not come")]


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Person")
    status = forms.ChoiceField(choices=Attendance.Status.choices, label="RSVP")
    attended = forms.ChoiceField(choices=ATTENDED_CHOICES, required=False, label="Came?")

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["person"].queryset = Person.objects.visible_to(user).filter(
            owner_id__in=own_org_ids(user, ROLE_ORGANIZER)).order_by("family_name", "given_name")

    def attended_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("attended") or "")
