"""App config: sign-up, sign-in, password reset and the account page."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """User accounts (Django's user model with our pages)."""

    name = "commonground.web.accounts"
    label = "accounts"

    def ready(self) -> None:
        """At sign-in: tell an account when another account verified (and so took) its address, and start
        the session's clocks (idle and absolute timeouts)."""
        from django.contrib.auth.signals import user_logged_in

        from commonground.web.accounts.notices import claim_lost_notice
        from commonground.web.accounts.sessions import session_clocks_start

        user_logged_in.connect(claim_lost_notice, dispatch_uid="commonground-email-claim-lost")
        user_logged_in.connect(session_clocks_start, dispatch_uid="commonground-session-clocks")
