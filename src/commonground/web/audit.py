"""Security event log: sign-ins, failed sign-ins, sign-outs, lock-outs and refused access.

Everything goes to the ``commonground.security`` logger as ``event=... user=... ip=... path=...``
with a UTC timestamp. Passwords and other credentials are never logged.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

if TYPE_CHECKING:  # only for annotations: the logging set-up imports this module before the apps load
    from django.contrib.auth.models import AnonymousUser

    from commonground.web.accounts.typing import User

security_log = logging.getLogger("commonground.security")


class UtcFormatter(logging.Formatter):
    """Log formatter whose timestamps are ISO 8601 in UTC."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """The record's time as ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


def _client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    return str(request.META.get("REMOTE_ADDR") or "-")


def _who(user: User | AnonymousUser | None) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"{user.get_username()}#{user.pk}"


def _printable(text: str) -> str:
    """``text`` with control characters escaped: a path's encoded line break (%0A) cannot forge a log line."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def security_event(
    event: str, *, request: HttpRequest | None, user: User | None = None, **details: object
) -> None:
    """Log one security event with who, from where and on which path (UTC time from the formatter)."""
    # A request that never passed the sign-in middleware (an early error page) has no user.
    who = _who(user if user is not None else getattr(request, "user", None))
    path = _printable(request.path) if request is not None else "-"
    extra = "".join(f" {key}={value!r}" for key, value in sorted(details.items()))
    security_log.info(
        "event=%s user=%s ip=%s path=%s%s",
        event,
        who,
        _client_ip(request),
        path,
        extra,
        extra={"event": event, "user_label": who},
    )


@receiver(user_logged_in)
def _on_sign_in(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    security_event("sign_in", request=request, user=user)


@receiver(user_logged_out)
def _on_sign_out(sender: object, request: HttpRequest | None, user: User | None, **kwargs: object) -> None:
    security_event("sign_out", request=request, user=user)


@receiver(user_login_failed)
def _on_failed_sign_in(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    # Django already masks sensitive credentials; we take only the username on top of that.
    security_event(
        "sign_in_failed", request=request, user=None, username=str(credentials.get("username", ""))[:150]
    )


def _on_locked_out(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    security_event("locked_out", request=request, user=None, username=str(kwargs.get("username", ""))[:150])


def connect_axes_signals() -> None:
    """Log axes lock-outs too (called once the app registry is ready)."""
    from axes.signals import user_locked_out

    user_locked_out.connect(_on_locked_out, dispatch_uid="commonground-locked-out")
