"""Writes for accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

User = get_user_model()


def account_create(*, username: str, email: str, password: str) -> Any:
    """Create a user account (password hashed with Argon2)."""
    with transaction.atomic():
        return User.objects.create_user(username=username, email=email.strip().lower(), password=password)


def account_update(*, user: Any, first_name: str, last_name: str, email: str) -> Any:
    """Change the account's name and email."""
    with transaction.atomic():
        user.first_name, user.last_name, user.email = first_name, last_name, email.strip().lower()
        user.save(update_fields=["first_name", "last_name", "email"])
    return user
