"""Signing in in two steps: the password, then (for accounts with two-factor sign-in) a code.

The session is signed in (``login``) only after the second step. Between the two, the session holds a
note of whose password was right, and for how long it waits (``MFA_SIGN_IN_SECONDS``); it is not
signed in, so every page, download and htmx fragment answers it as a visitor (the sign-in
requirement), and no code outside this module sees the person as signed in.

Counting: each wrong code is a failed sign-in for django-axes (the same lock-out as wrong passwords,
per username and address and per address), and a right password is not a success until the code is:
the failures are cleared only when ``login`` runs. A password reset signs no one in, so the next sign-in
asks for the code as always.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commonground.web.access import public
from commonground.web.accounts import mfa_services
from commonground.web.accounts.mfa_forms import SignInCodeForm
from commonground.web.accounts.mfa_selectors import mfa_enabled
from commonground.web.accounts.next_page import is_local_path
from commonground.web.accounts.typing import User

_PENDING = "cg_mfa_pending"


@dataclass(frozen=True)
class PendingSignIn:
    """Whose password was right in this session, and where to go once the code is too."""

    user: User
    backend: str
    next_url: str


def _pending_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    # A new session key: whoever knew the old one (planted before sign-in) learns nothing of this one.
    request.session.cycle_key()
    request.session[_PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        # The password (or the sign-in factors) changing meanwhile ends the wait: type it again.
        "hash": user.get_session_auth_hash(),
        "at": time.time(),
        "next": next_url,
    }


def pending_sign_in(request: HttpRequest) -> PendingSignIn | None:
    """The sign-in waiting for its code in this session, or None (none, expired, or account changed)."""
    note = request.session.get(_PENDING)
    if not isinstance(note, dict):
        return None
    user = User.objects.filter(pk=int(note.get("user") or 0), is_active=True).first()
    fresh = time.time() - float(note.get("at", 0)) < settings.MFA_SIGN_IN_SECONDS
    if user is None or not fresh or note.get("hash") != user.get_session_auth_hash():
        request.session.pop(_PENDING, None)
        return None
    return PendingSignIn(user=user, backend=str(note["backend"]), next_url=str(note.get("next") or ""))


def _pending_end(request: HttpRequest) -> None:
    request.session.pop(_PENDING, None)


class SignInView(auth_views.LoginView):
    """Django's sign-in page; an account with two-factor sign-in goes on to the code instead of in."""

    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Sign in, or (two-factor accounts) note the right password and ask for the code."""
        user = form.get_user()
        if not mfa_enabled(user=user):
            return super().form_valid(form)
        _pending_start(self.request, user=user, next_url=self.get_success_url())
        return redirect("accounts:sign_in_code")


sign_in = public(SignInView.as_view())


def _locked_out(request: HttpRequest, credentials: dict[str, str]) -> HttpResponse:
    _pending_end(request)
    response: HttpResponse = get_lockout_response(request, None, credentials)
    return response


@public
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponseBase:
    """The second step: a code from the app or a recovery code; then signed in."""
    if request.user.is_authenticated:
        return redirect("home:index")
    pending = pending_sign_in(request)
    if pending is None:
        messages.info(request, "Sign in with your password first (a sign-in waits 5 minutes for its code).")
        return redirect("accounts:sign_in")
    credentials = {"username": pending.user.get_username()}
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _locked_out(request, credentials)
        check = mfa_services.mfa_code_check(user=pending.user, code=form.cleaned_data["code"])
        if check.accepted:
            _pending_end(request)
            login(request, pending.user, backend=pending.backend)
            if check.recovery_codes_left is not None:
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {check.recovery_codes_left} are left. Make new "
                    "ones on your account page if you are running low.",
                )
            local = is_local_path(pending.next_url, request)
            return redirect(pending.next_url if local else "home:index")
        # A wrong code is a failed sign-in: the lock-out counts it like a wrong password.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, credentials)
        form.add_error("code", check.message)
    return render(request, "accounts/sign_in_code.html", {"form": form})
