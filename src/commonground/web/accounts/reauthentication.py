"""The password typed again on a signed-in page, counted by the sign-in lock-out.

Changing the email address or the password, turning two-factor sign-in on or off, new recovery codes and
a new API token all ask for the current password, so that a stolen session alone cannot take the account
over. Without a count, that session could guess the password there without limit (sign-in's lock-out saw
none of it). Here each wrong password is a failed sign-in for django-axes, under the account's username
and the request's address, as on the sign-in page: after ``AXES_FAILURE_LIMIT`` (5) the pair is locked for
the cool-off, the page answers with the lock-out page (429), and while locked no password is checked at
all, right or wrong, so guessing goes no further. Signing in from that address is paused too, as after
wrong passwords on the sign-in page; the session itself stays signed in.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

from commonground.web.accounts.typing import User

LOCKED_MESSAGE = "Too many wrong passwords: checking it is paused for a while. Try again in 15 minutes."


def password_recheck(*, request: HttpRequest, user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s; a wrong one counts towards the lock-out, and while locked none is
    checked (raises ``ValidationError``, and the page answers with the lock-out page)."""
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        _mark_locked(request, credentials)
        raise forms.ValidationError(LOCKED_MESSAGE, code="locked")
    if user.check_password(password):
        return True
    # Django's signal, as a failed sign-in sends it: axes counts it, the security log records it.
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return False


def _mark_locked(request: HttpRequest, credentials: dict[str, str]) -> None:
    # AxesMiddleware answers any request marked so with the lock-out page (AXES_HTTP_RESPONSE_CODE, 429).
    request.axes_locked_out = True  # type: ignore[attr-defined]
    request.axes_credentials = credentials  # type: ignore[attr-defined]
