"""Forms of emailed partnership invitations: whom to invite, and which organisation joins on accepting."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import InvitationKind

# The choice that creates a new organisation instead of bringing in an existing one.
NEW_ORGANISATION = "new"


class InviteForm(forms.Form):
    """An email address to invite as a partner organisation or a facilitator; on behalf of which partner
    when the inviter administers several of them."""

    email = forms.EmailField()
    organisation = forms.TypedChoiceField(coerce=int, required=False, label="On behalf of")

    def __init__(
        self, *args: Any, kind: InvitationKind, on_behalf: list[Organisation], **kwargs: Any
    ) -> None:
        # Prefixed: both forms sit on the partnership page, and unprefixed ids and labels would clash.
        facilitator = kind == InvitationKind.FACILITATOR
        kwargs["prefix"] = "facilitator" if facilitator else "invite"
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        if facilitator:
            email.label = "Facilitator's email address"
            email.help_text = "A neutral person: they see what the partners share here, never your own pages."
        else:
            email.label = "Email address of someone at the organisation"
            email.help_text = (
                "We email them the invitation. They choose which of their organisations joins, or create one."
            )
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [(o.pk, o.name) for o in on_behalf]
        if len(on_behalf) < 2:
            del self.fields["organisation"]


class JoinForm(forms.Form):
    """Which organisation joins when a partner invitation is accepted: one of the invitee's, or a new one."""

    organisation = forms.ChoiceField(widget=forms.RadioSelect, label="Which organisation joins?")

    def __init__(self, *args: Any, options: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["organisation"])
        field.choices = [
            *((str(organisation.pk), organisation.name) for organisation in options),
            (NEW_ORGANISATION, "A new organisation (fill in its name, kind and mission below)"),
        ]
        field.initial = str(options[0].pk) if options else NEW_ORGANISATION
        if not options:
            field.widget = forms.HiddenInput()

    @property
    def creates(self) -> bool:
        """Whether the (valid) answer asks for a new organisation."""
        return bool(self.cleaned_data["organisation"] == NEW_ORGANISATION)
