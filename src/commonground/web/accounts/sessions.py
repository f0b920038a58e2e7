"""How long a sign-in lasts: an idle timeout and an absolute one (ASVS 5.0 V7.3.1, V7.3.2).

A session ends after ``SESSION_IDLE_SECONDS`` without a request (2 hours by default) and, however
busy, ``SESSION_ABSOLUTE_SECONDS`` after sign-in (12 hours): a session cookie left in a shared browser
or copied from a machine stops working the same day. Both live in the session itself (when it signed
in, when it was last seen: set at sign-in), so they hold for every session backend and every server
process. The last request's time is written at most once a minute, so most requests save nothing.

Runs before any view is chosen (Django's ``LoginRequiredMiddleware`` decides in ``process_view``), so
an ended session is answered as a signed-out one: the sign-in page, or the htmx 401 notice.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase

SIGNED_IN_AT = "cg_signed_in_at"
LAST_SEEN_AT = "cg_last_seen_at"
USER_AGENT = "cg_user_agent"  # the browser that signed in, shown in "Your sessions" (session_store.py)
_SEEN_RESOLUTION = 60  # seconds; how stale the stored "last seen" may be before it is written again


def session_ended(*, signed_in_at: float, last_seen_at: float, now: float) -> str | None:
    """Why a session with these times has ended ("idle" or "absolute"), or None while it lasts."""
    if now - signed_in_at >= settings.SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - last_seen_at >= settings.SESSION_IDLE_SECONDS:
        return "idle"
    return None


def session_clocks_start(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """On sign-in (``user_logged_in``): note when, so the first requests after it need not save, and with
    which browser (cut to 300 characters: the header is the client's to fill)."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now
        request.session[USER_AGENT] = str(request.META.get("HTTP_USER_AGENT", ""))[:300]


class SessionLifetimeMiddleware:
    """Signs out a session that was idle too long or signed in too long ago; notes each request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session, now = request.session, time.time()
        signed_in_at = float(session.get(SIGNED_IN_AT, now))
        last_seen_at = float(session.get(LAST_SEEN_AT, now))
        ended = session_ended(signed_in_at=signed_in_at, last_seen_at=last_seen_at, now=now)
        if ended is not None:
            logout(request)  # flushes the session: its cookie is worth nothing from now on
            hours = settings.SESSION_ABSOLUTE_SECONDS / 3600
            minutes = settings.SESSION_IDLE_SECONDS // 60
            messages.info(
                request,
                f"You were signed out after {hours:g} hours signed in: sign in again."
                if ended == "absolute"
                else f"You were signed out after {minutes} minutes without activity: sign in again.",
                fail_silently=True,
            )
            return
        if SIGNED_IN_AT not in session:
            session[SIGNED_IN_AT] = signed_in_at
        if LAST_SEEN_AT not in session or now - last_seen_at >= _SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now
