"""Forms of the conflict log. Forms that change what the page showed carry its ``version``."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.core.alignment.escalation import ACKNOWLEDGE_DAYS, APPROACH_WORDS, Approach, Severity
from commonground.web.conflicts.models import Category, Touches

APPROACH_CHOICES = [("", "Not chosen")] + [
    (a.value, f"{a.value.capitalize()}: {APPROACH_WORDS[a]}") for a in Approach
]
SEVERITY_HELP = ", ".join(f"{s.value} {ACKNOWLEDGE_DAYS[s]} days" for s in Severity)


class RaiseForm(forms.Form):
    """A new entry in the log."""

    organisation = forms.TypedChoiceField(label="Raised for", coerce=int)
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        label="What is the issue?", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What happened, and what it means for your organisation. Facts before judgements.",
    )  # fmt: skip
    category = forms.ChoiceField(choices=Category.choices)
    severity = forms.ChoiceField(
        choices=[(s.value, s.value.capitalize()) for s in Severity], initial=Severity.MEDIUM.value,
        help_text=f"The other side acknowledges within: {SEVERITY_HELP}. "
        "High severity goes one rung up the ladder at once.",
    )  # fmt: skip
    touches_kind = forms.ChoiceField(
        label="What it touches", choices=[("", "Nothing in particular"), *Touches.choices], required=False
    )
    touches_ref = forms.CharField(
        label="Which one", max_length=300, required=False,
        widget=forms.TextInput(attrs={"list": "touch-options", "autocomplete": "off"}),
        help_text="Pick one from the agreement in force, or write it in your words.",
    )  # fmt: skip
    approach = forms.ChoiceField(
        label="How you mean to handle it (Thomas–Kilmann)", choices=APPROACH_CHOICES, required=False
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = organisations
        self.only_organisation = organisations[0][0] if len(organisations) == 1 else None
        if self.only_organisation is not None:  # nothing to choose: the one organisation the user acts for
            field.widget = forms.HiddenInput()
            field.required = False

    def clean(self) -> dict[str, Any]:
        """Both parts of "what it touches", or neither."""
        data = super().clean() or {}
        if self.only_organisation is not None:
            data["organisation"] = self.only_organisation
        if bool(data.get("touches_kind")) != bool((data.get("touches_ref") or "").strip()):
            self.add_error("touches_ref", "Say what kind of thing it touches and which one, or neither.")
        return data


class AcknowledgeForm(forms.Form):
    """The other side's acknowledgement."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    approach = forms.ChoiceField(
        label="How you mean to handle it (Thomas–Kilmann)", choices=APPROACH_CHOICES, required=False
    )


class MessageForm(forms.Form):
    """A message in the dialogue."""

    text = forms.CharField(label="Message", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    exit_threatened = forms.BooleanField(
        label="Someone has said they may leave the partnership over this", required=False
    )


class ProposeForm(forms.Form):
    """A resolution, thought through with interest-based prompts (see docs/methods.md, "Conflicts")."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    interests = forms.CharField(
        label="Interests behind the positions", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What does each side need underneath what it asks for? Why does it matter to them?",
    )  # fmt: skip
    options = forms.CharField(
        label="Options considered", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="More than one way to meet those needs, before choosing one.",
    )  # fmt: skip
    criteria = forms.CharField(
        label="Fair standards", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What both sides can accept as a fair test, independent of who pushes harder "
        "(the agreement, a market rate, an expert's view, what was done before).",
    )  # fmt: skip
    resolution = forms.CharField(
        label="The resolution you propose", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(forms.Form):
    """The raiser's answer to the resolution on the table."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    reason = forms.CharField(
        label="Why (optional)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    """A facilitator's private note."""

    text = forms.CharField(label="Private note", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
