"""App config: sign-up, sign-in, password reset and the account page."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """User accounts (Django's user model with our pages)."""

    name = "commonground.web.accounts"
    label = "accounts"
