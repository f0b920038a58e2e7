"""Small forms for partnerships and initiatives (invitations: ``invitation_forms.py``; proposals and
leaving: ``proposal_forms.py``)."""

from __future__ import annotations

from django import forms

from commonground.web.partnerships.models import InitiativeLevel

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class PartnershipForm(forms.Form):
    """Name and description; ``version`` carries the optimistic lock."""

    name = forms.CharField(max_length=200)
    description = forms.CharField(max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DescriptionForm(forms.Form):
    """The partnership's description; ``version`` carries the optimistic lock (its name is a proposal)."""

    description = forms.CharField(max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InitiativeForm(forms.Form):
    """A proposed joint initiative."""

    name = forms.CharField(max_length=200)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    level = forms.ChoiceField(choices=[("", "Not stated"), *InitiativeLevel.choices], required=False)
    social_value = forms.TypedChoiceField(
        coerce=int, choices=SCORE_CHOICES, help_text="1 (little) to 5 (a great deal) of value to society."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ScoreForm(forms.Form):
    """One partner's economic value of an initiative."""

    organisation = forms.IntegerField(widget=forms.HiddenInput)
    economic_value = forms.TypedChoiceField(coerce=int, choices=SCORE_CHOICES)
