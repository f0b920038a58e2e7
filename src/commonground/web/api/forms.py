"""The form that creates an access token on the account's API tokens page."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from commonground.web.accounts.mfa_forms import PasswordChecked, code_field
from commonground.web.accounts.mfa_selectors import mfa_enabled
from commonground.web.accounts.typing import User
from commonground.web.api.models import TokenScope
from commonground.web.organisations.selectors import organisation_list_for_user

VALID_DAYS = [(7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "1 year")]


class TokenCreateForm(PasswordChecked):
    """Name, scope, lifetime and (optionally) the one organisation a new token may reach; the password
    again, and a current code when two-factor sign-in is on (a token outlives a session: a stolen
    session alone must not be able to make one)."""

    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “CRM sync”, so you can tell your tokens apart."
    )
    scope = forms.ChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text="Writes still need a role that allows them (a viewer's token can never edit).",
    )
    valid_days = forms.TypedChoiceField(choices=VALID_DAYS, coerce=int, initial=30, label="Valid for")
    organisation = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Limit to one organisation",
        help_text="Then the token reaches only that organisation and its partnerships.",
    )

    # What the token is first, the password (and code) last, just above the button.
    field_order = ("name", "scope", "valid_days", "organisation", "password")

    def __init__(self, *args: object, user: User, request: HttpRequest, **kwargs: object) -> None:
        super().__init__(*args, user=user, request=request, **kwargs)
        if mfa_enabled(user=user):
            self.fields["code"] = code_field(
                "Code", "The code your authenticator app shows now, or one of your recovery codes."
            )
        memberships = organisation_list_for_user(user=user)
        choices = [("", "All my organisations")] + [
            (m.organisation_id, m.organisation.name) for m in memberships
        ]
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]
