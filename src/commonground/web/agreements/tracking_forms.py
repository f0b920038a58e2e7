"""Forms of the records kept beside the agreement's terms: a KPI reading and a delivery on a commitment.

Each field says what is wrong with it in words; the services check what depends on the agreement (the
KPI's baseline, who may enter) and name the field too.
"""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasurementForm(forms.Form):
    """One reading of a KPI."""

    date = forms.DateField(label="Date of the reading", widget=DATE)
    value = forms.FloatField(label="Value", min_value=-1e15, max_value=1e15)
    note = forms.CharField(
        label="Note", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label="Evidence (a link or a document's name)", required=False, max_length=2000
    )


class DeliveryForm(forms.Form):
    """Part or all of a commitment delivered."""

    date = forms.DateField(label="Date delivered", widget=DATE)
    value = forms.FloatField(label="Value delivered", required=False, min_value=0, max_value=1e13)
    note = forms.CharField(
        label="What was delivered", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    met_in_full = forms.BooleanField(label="The commitment is now delivered in full", required=False)
