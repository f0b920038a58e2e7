"""Reads of sessions: a person's own sessions still in force, for "Your sessions" on the account page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from commonground.web.accounts.browsers import browser_words
from commonground.web.accounts.models import AccountSession
from commonground.web.accounts.typing import User


@dataclass(frozen=True)
class SessionRow:
    """One of the person's sessions as the account page shows it (never its key)."""

    handle: str
    browser: str
    signed_in_at: datetime | None
    last_seen_at: datetime | None
    current: bool


def sessions_in_force() -> QuerySet[AccountSession]:
    """Sessions that still sign someone in: not expired, not idle too long, not signed in too long ago.

    An idle or too-old row stays in the table until ``clearsessions`` removes it (``session_store``); its
    next request is signed out (``sessions.SessionLifetimeMiddleware``), so it is neither listed nor
    counted as ended.
    """
    now = timezone.now()
    too_old = now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    idle = now - timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    return AccountSession.objects.filter(
        Q(signed_in_at__isnull=True) | Q(signed_in_at__gt=too_old),
        Q(last_seen_at__isnull=True) | Q(last_seen_at__gt=idle),
        expire_date__gt=now,
        user__isnull=False,
    )


def sessions_of(*, user: User) -> QuerySet[AccountSession]:
    """``user``'s sessions in force: also signed in since the password or two-factor setting last changed
    (Django signs the others out at their next request)."""
    return sessions_in_force().filter(user_id=user.pk, auth_hash=user.get_session_auth_hash())


def sessions_signing_in_count(sessions: QuerySet[AccountSession]) -> int:
    """How many of these sessions in force sign an active account in (two queries, for any number of
    accounts: their password-derived hashes are computed here, not in the database)."""
    pairs = list(sessions.values_list("user_id", "auth_hash"))
    accounts = User.objects.filter(pk__in=sessions.values("user_id"), is_active=True).only("password")
    current = {account.pk: account.get_session_auth_hash() for account in accounts}
    return sum(1 for user_id, auth_hash in pairs if auth_hash and auth_hash == current.get(user_id))


def session_list(*, user: User, current_key: str | None) -> list[SessionRow]:
    """``user``'s sessions in force, this one first, then the most recently seen (one query)."""
    rows = (
        sessions_of(user=user)
        .order_by(F("last_seen_at").desc(nulls_last=True), "handle")
        .values_list("session_key", "handle", "user_agent", "signed_in_at", "last_seen_at")
    )
    listed = [
        SessionRow(
            handle=handle,
            browser=browser_words(user_agent),
            signed_in_at=signed_in_at,
            last_seen_at=last_seen_at,
            current=key == current_key,
        )
        for key, handle, user_agent, signed_in_at, last_seen_at in rows
    ]
    return sorted(listed, key=lambda row: not row.current)  # stable: the rest keep their order
