"""Signing in with two-factor sign-in, for tests: the codes a person's app would show, and the two steps."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

PASSWORD = "correct horse battery staple"


def code_for(device: Any, *, steps_ahead: int = 0) -> str:
    """The 6-digit code the person's app shows now (or ``steps_ahead`` 30-second steps later)."""
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


def password_step(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Any:
    """Post the sign-in form (the first step)."""
    return client.post(reverse("accounts:sign_in"), {"username": username, "password": password, **extra})


def code_step(client: Client, code: str) -> Any:
    """Post a code to the second step."""
    return client.post(reverse("accounts:sign_in_code"), {"code": code})


def signed_in(client: Client) -> bool:
    """Whether the client's session is signed in."""
    return "_auth_user_id" in client.session
