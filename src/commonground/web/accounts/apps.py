"""App config: sign-up, sign-in, password reset and the account page."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """User accounts (Django's user model with our pages)."""

    name = "commonground.web.accounts"
    label = "accounts"

    def ready(self) -> None:
        """Tell an account at sign-in when another account verified (and so took) its address."""
        from django.contrib.auth.signals import user_logged_in

        from commonground.web.accounts.notices import claim_lost_notice

        user_logged_in.connect(claim_lost_notice, dispatch_uid="commonground-email-claim-lost")
