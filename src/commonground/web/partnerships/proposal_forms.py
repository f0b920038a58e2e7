"""Forms for what partners decide together (proposals and their answers) and for leaving a partnership."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.web.organisations.models import Organisation

REASON_HELP = "The other partners read it before they answer; it stays in the partnership's record."


class ActingOrganisationForm(forms.Form):
    """A form acted on behalf of one of the user's organisations: a choice when there are several, a
    hidden field (which may be left out) when there is one."""

    def add_organisation_field(self, options: list[Organisation], *, label: str) -> None:
        """Add the ``organisation`` field for these options."""
        field = forms.TypedChoiceField(
            coerce=int, label=label, choices=[(option.pk, option.name) for option in options]
        )
        self.sole_organisation = options[0].pk if len(options) == 1 else None
        if self.sole_organisation is not None:
            field.widget = forms.HiddenInput()
            field.initial = self.sole_organisation
            field.required = False
        self.fields["organisation"] = field

    def clean_organisation(self) -> int | None:
        """The chosen organisation, or the only one."""
        chosen = self.cleaned_data.get("organisation")
        return chosen if isinstance(chosen, int) else self.sole_organisation


class ProposalForm(ActingOrganisationForm):
    """Propose to remove a partner or close the partnership: on whose behalf, and why."""

    reason = forms.CharField(
        label="Your reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=REASON_HELP,
        error_messages={"required": "Give the other partners your reason."},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_organisation_field(organisations, label="Proposed by")


class RenameProposalForm(ProposalForm):
    """Propose a new name for the partnership."""

    new_name = forms.CharField(label="New name", max_length=200)
    field_order = ("new_name", "reason")


class ProposalAnswerForm(ActingOrganisationForm):
    """A partner's answer: confirm (typing the confirmation) or decline, with an optional comment."""

    answer = forms.ChoiceField(choices=[("confirm", "Confirm"), ("decline", "Decline")])
    typed_confirmation = forms.CharField(required=False, max_length=200)
    reason = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to every partner with your answer.",
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation], confirmation: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.add_organisation_field(organisations, label="Answering for")
        self.fields["typed_confirmation"].label = f"To confirm, type “{confirmation}”"
        self.fields["typed_confirmation"].widget.attrs["autocomplete"] = "off"


class LeaveForm(ActingOrganisationForm):
    """Take one of the user's organisations out: which one, its name typed, and an optional reason."""

    typed_confirmation = forms.CharField(
        label="Type your organisation's name to confirm",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label="Your reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to every partner with the news that you left, and kept in the record.",
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_organisation_field(organisations, label="Which organisation leaves")
        self.order_fields(["organisation", "typed_confirmation", "reason"])
