"""Writes for accounts, including the proof that an email address belongs to its account.

Verification link: ``django.core.signing`` (a ``TimestampSigner`` under the hood, keyed by
``SECRET_KEY``) signs the account id, the address the link was mailed to and when it was mailed.
It expires after ``EMAIL_VERIFICATION_VALID_DAYS``; it works once (a verified address refuses it);
and only the latest link for the current address works, so a link for an old address, or one
superseded by "send the link again", is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from commonground.web.accounts.models import EmailVerification
from commonground.web.accounts.selectors import verified_users_with_email

User = get_user_model()

_SALT = "commonground.accounts.email-verification"


class AccountError(Exception):
    """A write the rules do not allow; the message is shown to the user."""


def _verification_send(*, user: Any, link_for: Callable[[str], str]) -> None:
    """Reset the account's verification to its current email and mail a fresh link (inside a transaction)."""
    email = user.email.strip().lower()
    now = timezone.now()
    record, _ = EmailVerification.objects.select_for_update().get_or_create(
        user=user, defaults={"email": email}
    )
    record.email, record.email_verified_at, record.link_sent_at = email, None, now
    record.save(update_fields=["email", "email_verified_at", "link_sent_at"])
    token = signing.dumps({"u": user.pk, "e": email, "s": now.timestamp()}, salt=_SALT)
    link = link_for(token)
    days = settings.EMAIL_VERIFICATION_VALID_DAYS
    message = (
        f"Confirm that {email} is the email address of the Common Ground account "
        f"{user.get_username()} by opening this link within {days} days (it works once; "
        f"earlier links no longer work):\n{link}\n\n"
        "Until then, no one can invite this account to a partnership by email.\n"
        "If you did not sign up or change your email on Common Ground, ignore this email.\n"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject="Confirm your email address for Common Ground",
            message=message,
            from_email=None,
            recipient_list=[email],
        )
    )


def account_create(*, username: str, email: str, password: str, link_for: Callable[[str], str]) -> Any:
    """Create a user account (password hashed with Argon2) and mail the link that verifies its email."""
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email.strip().lower(), password=password)
        _verification_send(user=user, link_for=link_for)
    return user


def account_update(
    *, user: Any, first_name: str, last_name: str, email: str, link_for: Callable[[str], str]
) -> Any:
    """Change the account's name and email; a new email is unverified until its mailed link is followed."""
    email = email.strip().lower()
    with transaction.atomic():
        changed = email != (user.email or "").strip().lower()
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.save(update_fields=["first_name", "last_name", "email"])
        if changed:
            _verification_send(user=user, link_for=link_for)
    return user


def email_verification_resend(*, user: Any, link_for: Callable[[str], str]) -> None:
    """Mail a fresh verification link for the account's current email (earlier links stop working)."""
    with transaction.atomic():
        record = EmailVerification.objects.filter(user=user).first()
        if (
            record is not None
            and record.email_verified_at is not None
            and record.email == (user.email or "").strip().lower()
        ):
            raise AccountError("Your email address is already verified.")
        if not (user.email or "").strip():
            raise AccountError("Add an email address first.")
        _verification_send(user=user, link_for=link_for)


def email_verify(*, token: str) -> Any:
    """Mark the address a link was mailed to as verified; refuse expired, used or superseded links."""
    try:
        payload = signing.loads(
            token, salt=_SALT, max_age=timedelta(days=settings.EMAIL_VERIFICATION_VALID_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise AccountError("This link has expired: send a new one from your account page.") from exc
    except signing.BadSignature as exc:
        raise AccountError("This link is not valid: check that you copied all of it.") from exc
    stale = AccountError(
        "This link no longer works: it was used already, the email address changed since, or a newer "
        "link was sent. Your account page shows whether your address is verified and sends a new link."
    )
    with transaction.atomic():
        record = (
            EmailVerification.objects.select_for_update()
            .select_related("user")
            .filter(user_id=payload["u"])
            .first()
        )
        if (
            record is None
            or record.email_verified_at is not None
            or record.link_sent_at is None
            or record.link_sent_at.timestamp() != payload["s"]
            or record.email != payload["e"]
            or (record.user.email or "").strip().lower() != payload["e"]
        ):
            raise stale
        if verified_users_with_email(record.email).exclude(pk=record.user_id).exists():
            raise AccountError("Another account has already verified this email address.")
        record.email_verified_at = timezone.now()
        record.save(update_fields=["email_verified_at"])
    return record.user


def email_mark_verified(*, user: Any) -> None:
    """Record the account's current email as verified without a link (demo accounts, operators)."""
    with transaction.atomic():
        EmailVerification.objects.update_or_create(
            user=user,
            defaults={"email": user.email.strip().lower(), "email_verified_at": timezone.now()},
        )
