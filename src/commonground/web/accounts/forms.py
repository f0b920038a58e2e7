"""Account forms: sign-up and account details."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, UserCreationForm
from django.http import HttpRequest

from commonground.web.accounts.reauthentication import password_recheck
from commonground.web.accounts.selectors import verified_users_with_email
from commonground.web.accounts.typing import User
from commonground.web.throttles import PASSWORD_RESET_PER_ADDRESS, throttle_take


class SignUpForm(UserCreationForm):  # type: ignore[type-arg]
    """Username, email (needed for invitations and password reset) and a password twice."""

    email = forms.EmailField(
        help_text="Invitations and password-reset links are sent here, once you verify it."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        """Normalised; never checked against other accounts (that would say which addresses are in use, and
        let anyone who types an address first keep its owner out): see ``services._verification_send``."""
        return str(self.cleaned_data["email"]).strip().lower()


class AccountForm(forms.ModelForm):  # type: ignore[type-arg]
    """Name and email on the account page; a new email needs the current password (a stolen session
    alone must not be able to move the account, and with it password resets, to another mailbox)."""

    current_password = forms.CharField(
        required=False,
        strip=False,
        label="Current password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change your email address.",
    )

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email")

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].required = True
        self._email_before = (self.instance.email or "").strip().lower()

    def clean_email(self) -> str:
        """Normalised; like sign-up, an address in use by another account is neither refused nor named."""
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_current_password(self) -> str:
        """Checked only when the email changes; never kept in ``cleaned_data`` for the service."""
        password = str(self.cleaned_data.get("current_password") or "")
        email = str(self.data.get("email", "")).strip().lower()
        if email != self._email_before and not password_recheck(
            request=self.request, user=self.instance, password=password
        ):
            raise forms.ValidationError(
                "To change your email address, enter your current password.", code="reauthenticate"
            )
        return ""


class VerifiedPasswordResetForm(PasswordResetForm):
    """Django's reset form, mailing only accounts whose address is verified (the page says the same)."""

    def get_users(self, email: str) -> Iterator[User]:
        """Active accounts with a usable password whose *verified* address is ``email``; none once the
        address had its share of reset mails this hour (the page says the same either way)."""
        if throttle_take((PASSWORD_RESET_PER_ADDRESS, email)) is not None:
            return
        for user in verified_users_with_email(email):
            if user.has_usable_password():
                yield user


class MailPreferenceForm(forms.Form):
    """Which optional agreement emails to get (account page)."""

    reminders = forms.BooleanField(
        required=False,
        label="Reminders",
        help_text="Your organisation's commitments due soon or overdue, KPI readings due, requests to sign.",
    )
    decisions = forms.BooleanField(
        required=False,
        label="Decisions",
        help_text="A proposal put to the partners, and how it was decided.",
    )


class RecheckedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, its old password counted by the sign-in lock-out (``reauthentication``)."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        """The current password, when it is the account's (Django's message otherwise)."""
        old_password = str(self.cleaned_data.get("old_password") or "")
        if not password_recheck(request=self.request, user=self.user, password=old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
