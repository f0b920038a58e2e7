"""The verification state of an account's email address."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EmailVerification(models.Model):
    """Whether the account's current email address is proven to be theirs (they followed a mailed link).

    ``email`` is the address the state is about: an account counts as verified only while its
    ``User.email`` still equals it, so an email changed anywhere (even in the admin) is unverified.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_verification"
    )
    email = models.EmailField()
    email_verified_at = models.DateTimeField(null=True, blank=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        state = "verified" if self.email_verified_at else "not verified"
        return f"{self.email} ({state})"
