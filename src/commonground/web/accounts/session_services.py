"""Ending sessions: one of a person's own, all their others, all of some accounts (the admin), or
everyone's (``manage end_all_sessions``, e.g. after the secret key was changed).

A session ends when its row is deleted: its next request finds no session and is answered as a
signed-out one (the sign-in page), and a request already under way cannot save it back (Django
refuses to update a deleted session). Each function counts only the sessions that still signed someone
in (not expired, idle or signed out by a password change); it deletes the stale ones too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from commonground.web.accounts.models import AccountSession
from commonground.web.accounts.session_selectors import (
    sessions_in_force,
    sessions_of,
    sessions_signing_in_count,
)
from commonground.web.accounts.typing import User


def session_end(*, user: User, handle: str, current_key: str | None) -> bool:
    """End the session of ``user`` named ``handle`` (not the one asking); False when there is none such,
    so another person's session, or this one, is never touched."""
    with transaction.atomic():
        ended, _ = (
            sessions_of(user=user).filter(handle=handle).exclude(session_key=current_key or "").delete()
        )
    return ended > 0


def sessions_end_others(*, user: User, current_key: str | None) -> int:
    """End every session of ``user`` but the one asking; how many were in force."""
    with transaction.atomic():
        ended = sessions_of(user=user).exclude(session_key=current_key or "").count()
        AccountSession.objects.filter(user_id=user.pk).exclude(session_key=current_key or "").delete()
    return ended


def sessions_end_for_users(*, user_ids: Iterable[int]) -> int:
    """End every session of these accounts (the admin's action); how many were in force."""
    ids = list(user_ids)
    with transaction.atomic():
        ended = sessions_signing_in_count(sessions_in_force().filter(user_id__in=ids))
        AccountSession.objects.filter(user_id__in=ids).delete()
    return ended


def sessions_end_everyone() -> int:
    """End every session of every account (and every visitor's); how many signed someone in."""
    with transaction.atomic():
        ended = sessions_signing_in_count(sessions_in_force())
        AccountSession.objects.all().delete()
    return ended
