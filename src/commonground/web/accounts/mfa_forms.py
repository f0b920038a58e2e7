"""Forms of two-factor sign-in: the code at sign-in, and the account page's set-up, new recovery codes
and turning it off (each asks for the password again: a stolen session alone must not change how the
account signs in)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from commonground.web.accounts.reauthentication import password_recheck
from commonground.web.accounts.typing import User


def code_field(label: str, help_text: str) -> forms.CharField:
    """A field for an authenticator or recovery code."""
    # one-time-code: browsers and password managers offer the code; numeric keyboards need inputmode
    # only for six digits, and recovery codes have letters, so it stays text.
    return forms.CharField(
        label=label,
        max_length=48,  # a recovery code with its dashes and a few stray spaces
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )


class SignInCodeForm(forms.Form):
    """The second step of signing in: a code from the app, or a recovery code."""

    code = code_field("Code", "The 6-digit code your authenticator app shows, or one of your recovery codes.")


class PasswordChecked(forms.Form):
    """A form that needs the account's current password."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        """The password, when it is the account's."""
        password = str(self.cleaned_data.get("password") or "")
        if not password_recheck(request=self.request, user=self.user, password=password):
            raise forms.ValidationError("That is not your password.", code="reauthenticate")
        return password


class MfaSetupForm(PasswordChecked):
    """Turn two-factor sign-in on: the first code the app shows, and the password."""

    code = code_field("Code from the app", "The 6-digit code the app shows for Common Ground.")
    field_order = ("code", "password")


class RecoveryCodesForm(PasswordChecked):
    """Make new recovery codes (the password again)."""


class MfaDisableForm(PasswordChecked):
    """Turn two-factor sign-in off: the password and a current code."""

    code = code_field("Code", "The code your app shows now, or one of your recovery codes.")
