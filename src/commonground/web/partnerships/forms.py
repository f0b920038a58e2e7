"""Small forms for partnerships, their members, facilitators and initiatives."""

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


class MemberInviteForm(forms.Form):
    """Invite an organisation through one of its admins' email."""

    # Field names are prefixed ("invite-email") because the facilitator form on the same page also
    # has an email field: without prefixes both inputs get id="id_email" and the labels clash.
    prefix = "invite"
    email = forms.EmailField(
        label="Email of an admin of the organisation",
        help_text="The organisation is found through this person; they or another admin answer.",
    )
    # Hidden until the person turns out to administer several organisations; then a choice of those.
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, options: list[tuple[int, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if options:
            self.fields["organisation"] = forms.TypedChoiceField(
                coerce=int, choices=[("", "Choose…"), *options], label="Which organisation"
            )


class FacilitatorInviteForm(forms.Form):
    """Invite a neutral facilitator by the email of their account."""

    prefix = "facilitator"  # see MemberInviteForm.prefix
    email = forms.EmailField(label="Facilitator's email")


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


class AnswerForm(forms.Form):
    """Accept or decline an invitation."""

    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
