"""Forms of the network survey: opening a round, and one organisation's answer about another.

An answer is one small form per pair of organisations (a fixed ten fields), never a form over the
whole coalition, so no post can grow with the number of partners.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from commonground.core.network import FREQUENCY_LEVELS, TRUST_DIMENSIONS, VALUE_DIMENSIONS, WORKING_LEVELS
from commonground.core.network.survey import SCALE_WORDS
from commonground.web.networks.services import Rating

WORKS_WITH = [("yes", "We work with them"), ("no", "We do not work with them")]
LEVEL_CHOICES = [(str(lv.score), f"{lv.score} {lv.name}: {lv.wording}") for lv in WORKING_LEVELS]
FREQUENCY_CHOICES = [("", "Not answered")] + [
    (str(lv.score), f"{lv.score} {lv.name}: {lv.wording}") for lv in FREQUENCY_LEVELS
]
SCALE = [(str(i + 1), words) for i, words in enumerate(SCALE_WORDS)]
VALUE_LABELS = {
    "power": "Value: power and influence",
    "involvement": "Value: level of involvement",
    "resources": "Value: resources contributed",
}
TRUST_LABELS = {
    "reliable": "Trust: reliable",
    "mission": "Trust: in support of the mission",
    "open": "Trust: open to discussion",
}


class RoundOpenForm(forms.Form):
    """Open a round: its name and the date it stands for."""

    label = forms.RegexField(
        regex=r"^[A-Za-z0-9_.-]+$",
        max_length=64,
        label="Name of the round",
        help_text="Letters, digits, dots, dashes, e.g. 2026-spring.",
    )
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["label"].initial = f"{today.year}-{today.month:02d}"


# One message for an answer that is not one of the choices (a stale page, a hand-made post), in place of
# Django's "Select a valid choice. 9 is not one of the available choices.".
NOT_A_CHOICE = "Choose one of the answers shown."


def _scale(label: str, help_text: str, choices: list[tuple[str, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=choices,
        coerce=int,
        required=False,
        label=label,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": NOT_A_CHOICE},
    )


class AnswerForm(forms.Form):
    """One organisation's answer about another: whether they work together and, if so, how (1–4)."""

    works_with = forms.ChoiceField(
        choices=WORKS_WITH,
        widget=forms.RadioSelect,
        label="Do you work with them?",
        error_messages={"invalid_choice": NOT_A_CHOICE, "required": "Choose whether you work with them."},
        help_text=(
            "Say so when you do not: an organisation you leave unanswered counts as not answered, and a "
            "tie it reports with you is then its view alone rather than a difference to talk about."
        ),
    )
    level = _scale("How you work together", "From knowing each other to running shared work.", LEVEL_CHOICES)
    frequency = forms.TypedChoiceField(
        choices=FREQUENCY_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        label="How often (optional)",
        error_messages={"invalid_choice": NOT_A_CHOICE},
    )
    power = _scale(VALUE_LABELS["power"], VALUE_DIMENSIONS["power"], SCALE)
    involvement = _scale(VALUE_LABELS["involvement"], VALUE_DIMENSIONS["involvement"], SCALE)
    resources = _scale(VALUE_LABELS["resources"], VALUE_DIMENSIONS["resources"], SCALE)
    reliable = _scale(TRUST_LABELS["reliable"], TRUST_DIMENSIONS["reliable"], SCALE)
    mission = _scale(TRUST_LABELS["mission"], TRUST_DIMENSIONS["mission"], SCALE)
    open = _scale(TRUST_LABELS["open"], TRUST_DIMENSIONS["open"], SCALE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    REQUIRED_WHEN_WORKING = ("level", "power", "involvement", "resources", "reliable", "mission", "open")

    def clean(self) -> dict[str, Any]:
        """Every 1–4 answer but how often is needed when the two work together."""
        data = super().clean() or {}
        if data.get("works_with") == "yes":
            for name in self.REQUIRED_WHEN_WORKING:
                # A field with an error of its own (not one of the choices) keeps that one message.
                if name not in self.errors and data.get(name) in (None, ""):
                    self.add_error(name, "Choose one (you said you work with them).")
        return data

    def rating(self) -> Rating | None:
        """The answers as a ``Rating``, or None for "we do not work with them"."""
        data = self.cleaned_data
        if data["works_with"] != "yes":
            return None
        return Rating(**{name: data[name] for name in (*self.REQUIRED_WHEN_WORKING, "frequency")})

    @staticmethod
    def initial_from(answer: Any) -> dict[str, Any]:
        """The form's starting values from a saved ``NetworkAnswer`` (None: a first answer)."""
        if answer is None:
            return {}
        fields = ("level", "frequency", "power", "involvement", "resources", "reliable", "mission", "open")
        values = {name: getattr(answer, name) for name in fields}
        return {"works_with": "yes" if answer.works_with else "no", "version": answer.version, **values}
