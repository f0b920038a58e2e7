"""The session engine (``SESSION_ENGINE``): Django's database sessions, in ``models.AccountSession``.

Each save copies from the session's data into columns whose account it is, when it signed in, when it
was last seen, the browser's User-Agent and the password-derived hash Django checks, so "your sessions"
and ending them are plain queries. Last seen is the idle clock of ``sessions.py``, written at most once a
minute, so listing sessions costs no write of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db.models import Q
from django.utils.crypto import salted_hmac

from commonground.web.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT, USER_AGENT

if TYPE_CHECKING:
    from commonground.web.accounts.models import AccountSession

_HANDLE_SALT = "commonground.accounts.session-handle"


def session_handle(session_key: str) -> str:
    """The name a session goes by on pages and in forms: a keyed hash of its key, which it never reveals."""
    return salted_hmac(_HANDLE_SALT, session_key, algorithm="sha256").hexdigest()[:32]


def _when(value: object) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if isinstance(value, int | float) else None


class SessionStore(DatabaseSessionStore):
    """Django's database session store, with the columns of ``AccountSession`` filled in on each save."""

    @classmethod
    def get_model_class(cls) -> Any:
        """``AccountSession`` (imported here: the engine is loaded before the models are ready)."""
        from commonground.web.accounts.models import AccountSession

        return AccountSession

    def create_model_instance(self, data: dict[str, Any]) -> AccountSession:
        """Django's row, with the account, the clocks and the browser taken from the session's data."""
        row = cast("AccountSession", super().create_model_instance(data))
        try:
            row.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            row.user_id = None
        row.handle = session_handle(row.session_key)
        row.signed_in_at = _when(data.get(SIGNED_IN_AT))
        row.last_seen_at = _when(data.get(LAST_SEEN_AT))
        row.user_agent = str(data.get(USER_AGENT, ""))[:300]
        row.auth_hash = str(data.get(HASH_SESSION_KEY, ""))[:128]
        return row

    @classmethod
    def clear_expired(cls) -> None:
        """Delete the rows that no longer sign anyone in (``clearsessions``): expired, idle too long or
        signed in too long ago.

        Django's own deletes only rows past ``expire_date``, which a session sets twelve hours after its
        last save: a session ended by the idle clock would otherwise keep its row, and its browser and
        times, for up to half a day after it stopped working.
        """
        now = datetime.now(tz=UTC)
        too_old = now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
        idle = now - timedelta(seconds=settings.SESSION_IDLE_SECONDS)
        cls.get_model_class().objects.filter(
            Q(expire_date__lt=now) | Q(signed_in_at__lte=too_old) | Q(last_seen_at__lte=idle)
        ).delete()
