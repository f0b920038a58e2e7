"""Forms of the check-ins tab: the schedule, opening by hand, the answer form, action items."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from commonground.core.agreement.reminders import add_months
from commonground.core.alignment.items import SCALE_LABELS, ItemSet, item_set, item_set_names
from commonground.web.checkins.models import FREQUENCY_CHOICES, ActionStatus
from commonground.web.organisations.models import Organisation

YEARS_AHEAD = 5  # how far ahead the first check-in may be set
YEARS_BACK = 1  # how far back: a start long past only makes every calendar walk the years since

SCALE = [(str(value), f"{value} – {words}") for value, words in SCALE_LABELS.items()]


class ScheduleForm(forms.Form):
    """How often check-ins open and for how long; ``version`` carries the optimistic lock."""

    follow_agreement = forms.BooleanField(
        required=False, initial=True, label="Follow the signed agreement's check-in clause when it has one"
    )
    frequency = forms.ChoiceField(choices=FREQUENCY_CHOICES, label="How often (when the agreement sets none)")
    starts_on = forms.DateField(
        label="First check-in opens on", widget=forms.DateInput(attrs={"type": "date"})
    )
    window_days = forms.IntegerField(
        min_value=1, max_value=60, initial=10, label="Days each check-in stays open"
    )
    factors_every = forms.IntegerField(
        min_value=0,
        max_value=24,
        initial=6,
        label="Ask the collaboration factors every n-th check-in",
        help_text="0: only when an admin opens them by hand.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        saved_starts_on: datetime.date | None = None,
        saved_version: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The date already saved stays valid as it is, so changing only the window is never refused
        # because the first check-in now lies more than a year back.
        self.saved_starts_on = saved_starts_on
        # A form of an earlier version is refused as stale whatever it holds: its date is not
        # checked, so the person is told who changed the schedule rather than that a date is off.
        self.saved_version = saved_version

    def clean_starts_on(self) -> datetime.date:
        """Within a year back and five years ahead: a first check-in further off is a typing slip, a
        date near the calendar's end would leave no room for the periods after it, and one decades
        back would make every calendar download walk all the periods since."""
        starts_on: datetime.date = self.cleaned_data["starts_on"]
        stale = self.saved_version is not None and str(self.data.get("version")) != str(self.saved_version)
        if starts_on == self.saved_starts_on or stale:
            return starts_on
        today = timezone.localdate()
        earliest, latest = add_months(today, -12 * YEARS_BACK), add_months(today, 12 * YEARS_AHEAD)
        if not earliest <= starts_on <= latest:
            raise forms.ValidationError(
                f"Choose a first date between {YEARS_BACK} year back and {YEARS_AHEAD} years ahead "
                f"(from {earliest.isoformat()} to {latest.isoformat()})."
            )
        return starts_on


class OpenForm(forms.Form):
    """Open a check-in now."""

    item_set = forms.ChoiceField(
        choices=[(name, item_set(name).title) for name in item_set_names()], label="What to ask"
    )
    window_days = forms.IntegerField(min_value=1, max_value=60, initial=10, label="Days it stays open")


class AnswerForm(forms.Form):
    """One answer to a check-in: every item 1–5, a guess of the other partners' answer where the item
    asks one (optional), an optional comment, and the organisation answered for when there are two."""

    def __init__(self, *args: Any, asked: ItemSet, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked = asked
        if len(organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                coerce=int, choices=[(org.pk, org.name) for org in organisations], label="I answer for"
            )
        self.organisation_id = organisations[0].pk if len(organisations) == 1 else None
        for item in asked.items:
            self.fields[f"score_{item.id}"] = forms.TypedChoiceField(
                coerce=int,
                choices=SCALE,
                widget=forms.RadioSelect,
                label=item.statement,
                error_messages={"required": f"Choose a score for “{item.label}”."},
            )
            if item.about_others:
                self.fields[f"guess_{item.id}"] = forms.TypedChoiceField(
                    coerce=int,
                    choices=SCALE,
                    widget=forms.RadioSelect,
                    label=item.about_others,
                    required=False,
                    empty_value=None,
                )
        self.fields["comment"] = forms.CharField(
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
            label="Anything else the partners should hear? (optional)",
            help_text="Shown only when at least 10 people answered, never with your name.",
        )

    def item_fields(self) -> list[tuple[Any, forms.BoundField, forms.BoundField | None]]:
        """(item, its score field, its guess field or None) in the order asked, for the template."""
        return [
            (item, self[f"score_{item.id}"], self[f"guess_{item.id}"] if item.about_others else None)
            for item in self.asked.items
        ]

    def scores(self) -> dict[str, int]:
        """Own scores by item id (after ``is_valid``)."""
        return {item.id: self.cleaned_data[f"score_{item.id}"] for item in self.asked.items}

    def predictions(self) -> dict[str, int]:
        """Guesses of the other partners' answers by item id, where given (after ``is_valid``)."""
        return {
            item.id: self.cleaned_data[f"guess_{item.id}"]
            for item in self.asked.items
            if item.about_others and self.cleaned_data.get(f"guess_{item.id}") is not None
        }

    def chosen_organisation(self) -> int:
        """The organisation answered for (after ``is_valid``)."""
        chosen = self.cleaned_data.get("organisation", self.organisation_id)
        assert chosen is not None  # one organisation, or the field is required
        return int(chosen)


class ActionItemForm(forms.Form):
    """An action item added by hand."""

    text = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="New action item")


class ActionStatusForm(forms.Form):
    """Mark an action item done or open again."""

    status = forms.ChoiceField(choices=ActionStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
