"""Writes for access tokens: create (the secret is returned once), revoke, note the last use."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commonground.web.accounts.selectors import email_is_verified
from commonground.web.accounts.typing import User
from commonground.web.api.models import AccessToken, TokenScope
from commonground.web.api.selectors import TOKEN_PREFIX, token_hash
from commonground.web.mail import mail_on_commit, quoted
from commonground.web.organisations.models import Organisation

# Enough for scripts per integration; a cap keeps a stolen session from minting tokens without end.
MAX_ACTIVE_TOKENS = 20
MAX_VALID_DAYS = 366
# The last-use time is written at most this often per token, so reads do not each cost a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """A token that the rules do not allow; the message is shown to the user."""


def token_create(
    *, user: User, name: str, scope: TokenScope, valid_days: int, organisation: Organisation | None = None
) -> tuple[AccessToken, str]:
    """A new token of ``user`` and its secret, which is not stored and cannot be shown again."""
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise TokenError(f"A token is valid for 1 to {MAX_VALID_DAYS} days.")
    if organisation is not None and not organisation.memberships.filter(user=user).exists():
        raise TokenError("You can only limit a token to an organisation you belong to.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    now = timezone.now()
    with transaction.atomic():
        active = AccessToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise TokenError(
                f"You have {MAX_ACTIVE_TOKENS} active tokens: revoke one you no longer use first."
            )
        token = AccessToken.objects.create(
            user=user,
            organisation=organisation,
            name=name.strip(),
            scope=scope,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            secret_hash=token_hash(secret),
            created_at=now,
            expires_at=now + timedelta(days=valid_days),
            credential_hash=user.get_session_auth_hash(),
        )
        _notify_created(user, token)
    return token, secret


def _notify_created(user: User, token: AccessToken) -> None:
    """Tell the account's verified address that a token was made (someone holding a session could)."""
    if not email_is_verified(user=user):
        return
    mail_on_commit(
        to=user.email.strip().lower(),
        subject="A new API access token for your Common Ground account",
        message=(
            f"An API access token was created for your account: {quoted(token.name)} ({token.prefix}…), "
            f"{token.get_scope_display().lower()}, valid until {token.expires_at:%Y-%m-%d}.\n\n"
            f"Account: {user.get_username()}\n\n"
            "If you did not do this, revoke it on your account's API tokens page and change your "
            "password: that also ends every token and every other session.\n"
        ),
    )


def token_revoke_stale(*, token: AccessToken) -> None:
    """Mark a token revoked because its account's password or two-factor sign-in changed since."""
    with transaction.atomic():
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_revoke(*, token: AccessToken) -> None:
    """Revoke the token from now on (a revoked token stays listed, marked revoked)."""
    with transaction.atomic():
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_touch(*, token: AccessToken) -> None:
    """Note that the token was used now (at most once per ``LAST_USED_RESOLUTION``)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    with transaction.atomic():
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
