"""Forms for recording commitments, deliveries and contribution reviews from the web.

Forms only read the request; every write goes through the services (``do_*``), whose
validation errors name the field they belong to and are shown next to it.
"""

from __future__ import annotations

from typing import Any

from django import forms

from broadfront import clock
from broadfront.web.accountability.models import Unit
from broadfront.web.campaigns.models import Campaign
from broadfront.web.common.tenancy import ROLE_ORGANIZER, own_org_ids
from broadfront.web.organizations.models import Coalition, Organization


class CommitmentForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Organization.objects.none(),
                                     label="Who promises (partner)")
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), required=False,
                                      label="For which campaign")
    coalition = forms.ModelChoiceField(queryset=Coalition.objects.none(), required=False,
                                       label="At which coalition table")
    unit = forms.ChoiceField(choices=Unit.choices, label="What (unit)")
    quantity = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2,
                                  label="How many")
    made_on = forms.DateField(required=False, label="Promised on (default today)",
                              widget=forms.DateInput(attrs={"type": "date"}))
    due_date = forms.DateField(label="Due by", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=500, required=False, label="Note")

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from broadfront.web.common.tenancy import coalition_ids

        f: Any = self.fields
        f["partner"].queryset = Organization.objects.filter(
            id__in=own_org_ids(user, ROLE_ORGANIZER)).order_by("name")
        f["campaign"].queryset = Campaign.objects.visible_to(user).order_by("name")
        f["coalition"].queryset = Coalition.objects.filter(id__in=coalition_ids(user))


class DeliveryForm(forms.Form):
    quantity = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2,
                                  label="How many arrived")
    delivered_on = forms.DateField(label="Delivered on", initial=clock.today,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(max_length=500, required=False,
                               label="Evidence (sign-in sheet, link, witness)")


class ReviewForm(forms.Form):
    status = forms.ChoiceField(choices=[("verified", "Verify"), ("disputed", "Dispute")])
    note = forms.CharField(max_length=500, required=False, label="Why (kept with the evidence)")
