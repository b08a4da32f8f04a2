"""Forms of the precinct page: form a squad, record a recruit, mark a recruit's status.

Forms only read the request and offer choices the user may pick: the person pickers list
only the people of the organizations the user organizes (never another organization's), the
squad picker only the user's own squads in this campaign and precinct. Every write goes
through the services (``do_form_squad``, ``do_record_recruit``, ``do_set_recruit_status``),
whose errors name the field they belong to and are shown next to it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from broadfront.web.campaigns.models import Campaign, Recruit, Squad
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.organizations.models import Division, Organization, Person

DATE = forms.DateInput(attrs={"type": "date"})


def organizer_org_ids(user: Any) -> frozenset[int]:
    """Organizations whose squads and recruits ``user`` may write."""
    return own_org_ids(user, ROLE_ORGANIZER)


def can_organize(user: Any) -> bool:
    """Whether the precinct page shows ``user`` the squad and recruit forms."""
    return bool(organizer_org_ids(user))


def our_people(user: Any, division: Division) -> QuerySet[Person]:
    """People ``user`` may pick: their own organizations' people in this precinct or in none.

    A recruit caucuses where they live, so the picker offers the precinct's people (and
    those with no recorded precinct), never another organization's people.
    """
    return (Person.objects.filter(owner_id__in=organizer_org_ids(user))
            .filter(Q(division=division) | Q(division__isnull=True))
            .annotate(here=Case(When(division=division, then=Value(0)), default=Value(1),
                                output_field=IntegerField()))
            .order_by("here", "family_name", "given_name", "id"))


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}" + ("" if obj.division_id else " (no precinct recorded)")


class SquadForm(forms.Form):
    name = forms.CharField(max_length=200, label="Squad name")
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(),
                                          label="Organization", empty_label=None)
    leader = PersonChoice(queryset=Person.objects.none(), required=False,
                          label="Leader (one of our people)", empty_label="no leader yet")
    formed_on = forms.DateField(required=False, label="Formed on (default today)", widget=DATE)

    def __init__(self, user: Any, division: Division, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        orgs = Organization.objects.filter(id__in=organizer_org_ids(user)).order_by("name")
        f["organization"].queryset = orgs
        if len(organizer_org_ids(user)) == 1:
            f["organization"].widget = forms.HiddenInput()
            f["organization"].initial = next(iter(organizer_org_ids(user)))
        f["leader"].queryset = our_people(user, division)


class RecruitForm(forms.Form):
    person = PersonChoice(queryset=Person.objects.none(), label="Who committed (one of our people)")
    squad = forms.ModelChoiceField(queryset=Squad.objects.none(), required=False,
                                   label="In our squad", empty_label="no squad")
    committed_on = forms.DateField(required=False, label="Committed on (default today)",
                                   widget=DATE)

    def __init__(self, user: Any, campaign: Campaign, division: Division, *args: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        already = Recruit.objects.filter(campaign=campaign).values("person_id")
        f["person"].queryset = our_people(user, division).exclude(id__in=already)
        f["squad"].queryset = (Squad.objects.filter(
            campaign=campaign, division=division, organization_id__in=organizer_org_ids(user))
            .order_by("name"))


class RecruitStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Recruit.Status.choices)


