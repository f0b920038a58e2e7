"""The verification state of an account's email address, which optional emails it wants, its recovery
codes and its sessions."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class EmailVerification(models.Model):
    """Whether the account's current email address is proven to be theirs (they followed a mailed link).

    ``email`` is the address the state is about: an account counts as verified only while its
    ``User.email`` still equals it, so an email changed anywhere (even in the admin) is unverified.
    Several accounts may hold one address unverified; once one verifies it, the others lose it
    (``User.email`` cleared, ``claim_lost_at`` set until they enter another address). At most one
    record per address is verified (a database constraint, so concurrent verifications cannot both win).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_verification"
    )
    email = models.EmailField()
    email_verified_at = models.DateTimeField(null=True, blank=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    claim_lost_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(email_verified_at__isnull=False),
                name="accounts_one_verified_account_per_email",
            )
        ]

    def __str__(self) -> str:
        state = "verified" if self.email_verified_at else "not verified"
        return f"{self.email} ({state})"


class MailGroup(models.TextChoices):
    """The groups of optional emails a person turns on or off (invitations and account mail always go)."""

    REMINDERS = (
        "reminders",
        (
            "Agreement reminders and check-ins: commitments due or overdue, KPI readings due, sign-off, "
            "check-ins to answer"
        ),
    )
    DECISIONS = "decisions", "Agreement decisions: proposals put to the partners and their outcomes"


class MailPreference(models.Model):
    """Which optional emails a person wants; no row means every group is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    reminders = models.BooleanField(default=True)
    decisions = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        wanted = [group.label.split(":")[0] for group in MailGroup if getattr(self, group.value)]
        return f"{self.user}: {', '.join(wanted) or 'no agreement emails'}"


class RecoveryCode(models.Model):
    """One single-use recovery code of an account with two-factor sign-in, stored as its SHA-256 only.

    Not django-otp's static tokens, which keep the codes readable in the database. The codes are
    random (80 bits, ``mfa_services.recovery_code_new``), so an unsalted fast hash is enough: nobody
    can try 2^80 guesses against a stolen table, and sign-in finds a code by its hash in one query.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="accounts_recovery_code_once")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id} ({'used' if self.used_at else 'unused'})"


class AccountSession(AbstractBaseSession):
    """A browser's session, stored as Django's database sessions are, with whose it is and when it was used.

    Django's documented way to extend the database session engine (``session_store.SessionStore``):
    the columns are copied from the session's own data each time it is saved, so they follow the session
    through a new key at sign-in or after a password change, and there is no second table to keep in
    step. ``handle`` names the session on pages and forms; the key itself (the cookie) is never shown.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    handle = models.CharField(max_length=32, db_index=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Django's check that the password (or two-factor setting) has not changed since this session signed
    # in; a session whose hash is stale is signed out at its next request, so it is not listed either.
    auth_hash = models.CharField(max_length=128, blank=True)

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        """The engine that reads and writes these rows."""
        from commonground.web.accounts.session_store import SessionStore

        return SessionStore

    def __str__(self) -> str:
        return f"session {self.handle[:8]} of {self.user_id or 'nobody'}"
