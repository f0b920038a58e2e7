"""Forms of reviews, the stage and the exit plan; the rules a form cannot check live in services."""

from __future__ import annotations

import datetime

from django import forms

from commonground.core.alignment.health import STAGE_WORDS, Stage
from commonground.web.reviews.models import Decision, ExitKind

MAX_TEXT = 2000


class GoalDecisionForm(forms.Form):
    """Keep, adapt or drop one goal, with the new wording when adapted."""

    decision = forms.ChoiceField(
        choices=[(d.value, d.label) for d in (Decision.KEEP, Decision.ADAPT, Decision.DROP)],
        widget=forms.RadioSelect,
    )
    new_text = forms.CharField(
        label="New wording (when adapted)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label="Why", required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self) -> dict[str, object]:
        """An adapted goal needs its new wording."""
        data = super().clean() or {}
        if data.get("decision") == Decision.ADAPT and not str(data.get("new_text") or "").strip():
            self.add_error("new_text", "Write the goal's new wording, or choose keep or drop.")
        return data


class StageForm(forms.Form):
    """The stage of the partnering cycle the partners set, or none to follow the facts."""

    stage = forms.ChoiceField(
        choices=[("", "Follow the facts")] + [(stage.value, STAGE_WORDS[stage]) for stage in Stage],
        required=False,
    )


class ExitPlanForm(forms.Form):
    """A planned exit or hand-over."""

    kind = forms.ChoiceField(choices=ExitKind.choices, widget=forms.RadioSelect, label="What happens")
    planned_for = forms.DateField(label="Planned for", widget=forms.DateInput(attrs={"type": "date"}))
    shared_work = forms.CharField(
        label="What happens to the shared work, data, funds and people",
        max_length=MAX_TEXT * 2,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_planned_for(self) -> datetime.date:
        """A plan lies within the next ten years."""
        value: datetime.date = self.cleaned_data["planned_for"]
        if value.year > datetime.date.today().year + 10:
            raise forms.ValidationError("Choose a date within the next ten years.")
        return value


class VersionForm(forms.Form):
    """Only the version the page was read at (calling off the exit plan)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
