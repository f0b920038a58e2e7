"""Reads for accounts: whose email address is verified, and who wants which optional emails."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from commonground.web.accounts.models import EmailVerification, MailGroup, MailPreference
from commonground.web.accounts.typing import User


def email_is_verified(*, user: User) -> bool:
    """True when the account's current email address was proven by following a mailed link."""
    email = (user.email or "").strip()
    if not email or not user.pk:
        return False
    return EmailVerification.objects.filter(
        user_id=user.pk, email__iexact=email, email_verified_at__isnull=False
    ).exists()


def email_claim_lost(*, user: User) -> str | None:
    """The address another account verified and so took from this one, while it has none; else None."""
    if not user.pk or (user.email or "").strip():
        return None
    record = EmailVerification.objects.filter(user_id=user.pk, claim_lost_at__isnull=False).first()
    return record.email if record is not None else None


def verified_users_with_email(email: str) -> QuerySet[User]:
    """Active accounts whose *verified* email is ``email``: the only ones anyone may find by email.

    An unverified address proves nothing (anyone can type someone else's), so every lookup of people
    by email goes through here.
    """
    email = email.strip()
    return get_user_model().objects.filter(
        is_active=True,
        email__iexact=email,
        email_verification__email__iexact=email,
        email_verification__email_verified_at__isnull=False,
    )


def mail_wanted(*, user: User) -> dict[str, bool]:
    """Whether the person wants each group of optional emails, by group (yes unless turned off; one query)."""
    preference = MailPreference.objects.filter(user_id=user.pk).first()
    return {group.value: preference is None or bool(getattr(preference, group.value)) for group in MailGroup}


def mail_refused_by(user_ids: Iterable[int], group: MailGroup) -> set[int]:
    """Of these accounts, those that turned this group of emails off (one query)."""
    return set(
        MailPreference.objects.filter(user_id__in=list(user_ids), **{group.value: False}).values_list(
            "user_id", flat=True
        )
    )
