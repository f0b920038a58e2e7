"""The buttons of "Your sessions" on the account page: sign out one other session, or all the others.

No password is asked, as for revoking an API token: ending a session takes nothing from the account.
Someone holding a stolen session could sign the owner out, but the owner signs in again and ends
theirs (or changes the password, which ends every other session too).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from commonground.web.access import signed_in
from commonground.web.accounts import session_services
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.audit import security_event


def _back() -> HttpResponseBase:
    return redirect(reverse("accounts:account") + "#sessions")


@signed_in
@require_POST
def session_end(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Sign out one of the person's other sessions, named by its handle."""
    ended = session_services.session_end(
        user=request.user, handle=request.POST.get("session", ""), current_key=request.session.session_key
    )
    if ended:
        security_event("session_ended", request=request, count=1)
        messages.success(request, "That session is signed out: its next page asks to sign in.")
    else:
        messages.error(request, "That session had already ended.")
    return _back()


@signed_in
@require_POST
def sessions_end_others(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Sign out every session of the person but this one."""
    ended = session_services.sessions_end_others(user=request.user, current_key=request.session.session_key)
    security_event("session_ended", request=request, count=ended)
    messages.success(
        request,
        f"Signed out {ended} other session{'' if ended == 1 else 's'}."
        if ended
        else "No other session was signed in.",
    )
    return _back()
