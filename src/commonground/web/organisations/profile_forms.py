"""The forms of the browser profile editor: one per single-valued part, one formset per list part.

Django forms turn the posted strings into numbers and choices; ``profile_editor.ProfileEditor``
assembles the document and lets ``commonground.core.profiles.Profile`` judge it. The limits people see
before they submit (``maxlength``, the counts in each section's intro) are read from that model, so
the editor and the profile format cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from pydantic import BaseModel

from commonground.core.profiles import (
    Activity,
    Goal,
    Priority,
    Profile,
    RedLine,
    Severity,
    Stakeholder,
    Stance,
    Value,
)
from commonground.web.organisations.forms import LOCATION_HELP
from commonground.web.organisations.models import LOCATION_LENGTH
from commonground.web.organisations.naming import kind_choices
from commonground.web.organisations.profile_limits import model_limit, too_long_message
from commonground.web.organisations.profile_words import (
    CULTURE,
    CULTURE_TYPES,
    PRIORITY_WORDS,
    SEVERITY_WORDS,
    STANCE_WORDS,
)

_SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]
_YES_NO = [("", "Don't know"), ("yes", "Yes"), ("no", "No")]


def number_text(value: Any) -> Any:
    """A stored number as people write it: ``55.0`` -> ``55``; anything else unchanged."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _text(model: type[BaseModel], field: str, **kwargs: Any) -> forms.CharField:
    """A one-line text box as long as the model allows, written in any direction."""
    return forms.CharField(max_length=model_limit(model, field), **kwargs)


def _long_text(model: type[BaseModel], field: str, rows: int = 2, **kwargs: Any) -> forms.CharField:
    """A text area as long as the model allows."""
    return forms.CharField(
        max_length=model_limit(model, field), widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def orientation_text(value: Any, *, unstated: bool) -> str:
    """Where the profit–purpose slider stands, in words: "25% profit, 75% purpose" (or "Not stated")."""
    number = _number(value)
    if unstated or number is None:
        return "Not stated"
    profit = round(min(max(number, 0.0), 1.0) * 100)
    return f"{profit}% profit, {100 - profit}% purpose"


def culture_total_text(values: list[Any]) -> str:
    """The culture points' total as the editor shows it: "Total: 100 of 100 points"."""
    numbers = [_number(value) for value in values if value not in (None, "")]
    if not numbers:
        return "Not stated"
    total = sum(number or 0.0 for number in numbers)
    return f"Total: {number_text(round(total, 1))} of 100 points"


class RangeInput(forms.NumberInput):
    """``<input type="range">``: a slider."""

    input_type = "range"


class _LengthLimit:
    """A length check that words its refusal as the rest of the editor does."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        """Refuse a text longer than the limit."""
        if len(value) > self.limit:
            raise ValidationError(too_long_message(self.limit, len(value)), code="max_length")


class _EditorForm(forms.Form):
    """Every text box of the editor takes its direction from its text, for right-to-left scripts."""

    content_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.Textarea):
                field.widget.attrs["dir"] = "auto"
            if isinstance(field, forms.CharField) and field.max_length is not None:
                # Django's own wording ("Ensure this value has at most...") replaced by the editor's.
                field.validators = [
                    _LengthLimit(field.max_length) if isinstance(v, MaxLengthValidator) else v
                    for v in field.validators
                ]


class MainForm(_EditorForm):
    """The single-valued parts of a profile plus the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = _text(Profile, "name", error_messages={"required": "The name is required."})
    location = forms.CharField(
        required=False, max_length=LOCATION_LENGTH, label="Based in", help_text=LOCATION_HELP
    )
    kind = forms.ChoiceField(choices=kind_choices())
    mission = _long_text(
        Profile,
        "mission",
        rows=4,
        help_text="What the organisation exists to do, in a sentence or two.",
        error_messages={"required": "The mission is required."},
    )
    sector = _text(
        Profile, "sector", required=False, help_text="In your own words, e.g. “Food aid” or “Grocery retail”."
    )
    # Checked by the profile model against the ISO list (core/countries.py), which words the problem.
    country = _text(Profile, "country", required=False, help_text="Its two-letter code, e.g. GB or KE.")
    profit_purpose = forms.FloatField(
        required=False,
        label="Profit–purpose orientation",
        widget=RangeInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )
    profit_purpose_unstated = forms.BooleanField(
        required=False, label="Not stated (leave it out of assessments)"
    )
    # The limits are the profile model's (0–100 each, 100 together): it words them when they are broken.
    clan = forms.FloatField(required=False)
    adhocracy = forms.FloatField(required=False)
    market = forms.FloatField(required=False)
    hierarchy = forms.FloatField(required=False)
    comment = forms.CharField(required=False, max_length=200, label="What did you change? (optional)")

    ABOUT_FIELDS = ("name", "location", "country", "kind", "mission", "sector")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for culture in CULTURE:
            field = self.fields[culture.key]
            field.label = f"{culture.name} ({culture.focus})"
            field.help_text = culture.description
            field.widget.attrs.update(
                {"min": "0", "max": "100", "step": "any", "inputmode": "decimal", "data-culture": ""}
            )

    def about_fields(self) -> list[forms.BoundField]:
        """The fields of the "About" section, in order."""
        return [self[name] for name in self.ABOUT_FIELDS]

    def culture_fields(self) -> list[forms.BoundField]:
        """The four culture points fields."""
        return [self[name] for name in CULTURE_TYPES]


class ValueForm(_EditorForm):
    """One value; order is priority."""

    name = _text(Value, "name", required=False)
    weight = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, label="Importance (1–5)")
    description = _long_text(Value, "description", rows=1, required=False)
    content_fields = ("name", "weight", "description")


class GoalForm(_EditorForm):
    """One goal with its SDGs; a goal's id (from an imported file) is kept but not shown."""

    id = forms.CharField(required=False, max_length=model_limit(Goal, "id"), widget=forms.HiddenInput)
    text = _long_text(Goal, "text", required=False, label="Goal")
    priority = forms.ChoiceField(
        choices=[(p.value, PRIORITY_WORDS[p]) for p in Priority], initial=Priority.MEDIUM.value
    )
    sdgs = forms.CharField(required=False, label="SDGs (1–17)")
    content_fields = ("id", "text", "sdgs")

    def clean_sdgs(self) -> list[int] | None:
        """Turn ``"3, 13"`` into ``[3, 13]``."""
        raw = self.cleaned_data.get("sdgs", "") or ""
        parts = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
        try:
            return [int(part) for part in parts] or None
        except ValueError:
            raise forms.ValidationError("Write SDG numbers (1–17) separated by commas, e.g. 3, 13.") from None


class ActivityForm(_EditorForm):
    """Something the organisation does, sells, funds or promotes."""

    text = _long_text(Activity, "text", rows=1, required=False, label="Activity")
    content_fields = ("text",)


class RedLineForm(_EditorForm):
    """Something the organisation will not do or be associated with."""

    text = _long_text(RedLine, "text", rows=1, required=False, label="Red line")
    severity = forms.ChoiceField(
        choices=[(s.value, SEVERITY_WORDS[s]) for s in Severity], initial=Severity.ABSOLUTE.value
    )
    content_fields = ("text",)


class StakeholderForm(_EditorForm):
    """A stakeholder with power, interest and the salience attributes."""

    name = _text(Stakeholder, "name", required=False)
    power = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, label="Power (1–5)")
    interest = forms.ChoiceField(required=False, choices=_SCORE_CHOICES, label="Interest (1–5)")
    legitimacy = forms.ChoiceField(required=False, choices=_YES_NO, label="Legitimate claim?")
    urgency = forms.ChoiceField(required=False, choices=_YES_NO, label="Urgent?")
    stance = forms.ChoiceField(
        required=False, choices=[("", "Don't know"), *((s.value, STANCE_WORDS[s]) for s in Stance)]
    )
    content_fields = ("name", "power", "interest", "legitimacy", "urgency", "stance")


@dataclass(frozen=True)
class Part:
    """A list part of the profile as the editor shows it."""

    form: type[_EditorForm]
    ordered: bool
    label: str
    singular: str
    intro: str
    example: str


def _intro(what: str, model: type[BaseModel], field: str, part: str) -> str:
    return (
        f"{what} Up to {model_limit(Profile, part)} entries of at most "
        f"{model_limit(model, field):,} characters each."
    )


PARTS: dict[str, Part] = {
    "values": Part(
        ValueForm,
        True,
        "Values",
        "Value",
        _intro("What the organisation stands for, most important first.", Value, "description", "values"),
        "Dignity: people who use our services are treated as guests.",
    ),
    "goals": Part(
        GoalForm,
        True,
        "Goals",
        "Goal",
        _intro(
            "What the organisation wants to achieve, ideally with a number and a date. SDGs: the numbers "
            "of the UN Sustainable Development Goals it serves, e.g. 3, 13; left empty, they are suggested "
            "as you type and guessed at each assessment.",
            Goal,
            "text",
            "goals",
        ),
        "Get 500 more teenagers doing weekly sport by 2027.",
    ),
    "activities": Part(
        ActivityForm,
        False,
        "Activities",
        "Activity",
        _intro("What the organisation does, sells, funds or promotes.", Activity, "text", "activities"),
        "Runs three food banks, open six days a week.",
    ),
    "red_lines": Part(
        RedLineForm,
        False,
        "Red lines",
        "Red line",
        _intro("What the organisation will not do or be associated with.", RedLine, "text", "red_lines"),
        "No sponsorship from gambling or betting companies.",
    ),
    "stakeholders": Part(
        StakeholderForm,
        False,
        "Stakeholders",
        "Stakeholder",
        _intro(
            "People and groups who affect the organisation or are affected by it: how much power they "
            "have over it and how much interest they take in it, from 1 (little) to 5 (a lot).",
            Stakeholder,
            "name",
            "stakeholders",
        ),
        "Parents of the children we work with: power 3, interest 5.",
    ),
}
