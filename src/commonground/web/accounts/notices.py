"""Notices shown when someone signs in: an email address that another account verified and so took."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from commonground.web.accounts.selectors import email_claim_lost
from commonground.web.accounts.typing import User


def claim_lost_notice(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """On sign-in, tell an account whose unverified address another account verified (until it adds one)."""
    lost = email_claim_lost(user=user)
    if request is None or lost is None:
        return
    messages.warning(
        request,
        f"The email address {lost} was verified by another account, so it was removed from yours. "
        "Enter an address of your own on your account page.",
        fail_silently=True,  # sign-ins without the message middleware (tests' force_login) skip it
    )
