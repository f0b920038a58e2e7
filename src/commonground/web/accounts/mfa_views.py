"""The account's two-factor sign-in pages: its state, setting up an authenticator app (secret as text and
as a QR code, confirmed by a code), new recovery codes (shown once) and turning it off."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonground.web.access import signed_in
from commonground.web.accounts import mfa_services
from commonground.web.accounts.mfa_forms import MfaDisableForm, MfaSetupForm, RecoveryCodesForm
from commonground.web.accounts.mfa_selectors import mfa_status
from commonground.web.accounts.next_page import next_page
from commonground.web.accounts.typing import AuthenticatedHttpRequest

# The secret being set up lives in the session until a code confirms it: nothing is stored before.
_SETUP_KEY = "cg_mfa_setup_key"


def _codes_page(request: AuthenticatedHttpRequest, codes: list[str]) -> HttpResponse:
    """The recovery codes, shown this once (the response is never cached: signed-in pages are no-store),
    with the way on to the page that sent the person to set up two-factor sign-in, if one did."""
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": _next(request)})


def _next(request: AuthenticatedHttpRequest) -> str:
    return next_page(request) or ""


@signed_in
@require_GET
def mfa_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Whether two-factor sign-in is on, with what to do next."""
    status = mfa_status(user=request.user)
    context = {
        "status": status,
        "codes_form": RecoveryCodesForm(user=request.user, request=request),
        "disable_form": MfaDisableForm(user=request.user, request=request),
    }
    return render(request, "accounts/mfa.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def mfa_setup(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Show a new secret (text and QR code); a code from the app and the password turn it on."""
    if mfa_status(user=request.user).enabled:
        return redirect("accounts:mfa")
    key = request.session.get(_SETUP_KEY)
    if not isinstance(key, str):
        key = request.session[_SETUP_KEY] = mfa_services.setup_key_new()
    form = MfaSetupForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa_services.mfa_enable(
                user=request.user, key=key, code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )  # fmt: skip
        except mfa_services.MfaError as exc:
            form.add_error("code", str(exc))
        else:
            update_session_auth_hash(request, request.user)  # this session stays; the others ended
            request.session.pop(_SETUP_KEY, None)
            messages.success(request, "Two-factor sign-in is on. Keep your recovery codes somewhere safe.")
            return _codes_page(request, codes)
    device = TOTPDevice(user=request.user, key=key)  # not saved: only for its set-up link
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "next": _next(request),
    }
    return render(request, "accounts/mfa_setup.html", context)


@signed_in
@require_POST
def mfa_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Replace the recovery codes with ten new ones, shown once (the password again)."""
    form = RecoveryCodesForm(request.POST, user=request.user, request=request)
    if not form.is_valid():
        messages.error(request, "To make new recovery codes, enter your password.")
        return redirect("accounts:mfa")
    try:
        codes = mfa_services.mfa_recovery_codes_regenerate(user=request.user)
    except mfa_services.MfaError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:mfa")
    messages.success(request, "New recovery codes: the earlier ones no longer work.")
    return _codes_page(request, codes)


@signed_in
@require_POST
def mfa_disable(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Turn two-factor sign-in off (the password and a current code)."""
    form = MfaDisableForm(request.POST, user=request.user, request=request)
    if not form.is_valid():
        messages.error(request, "To turn two-factor sign-in off, enter your password and a current code.")
        return redirect("accounts:mfa")
    check = mfa_services.mfa_disable(
        user=request.user, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
    )
    if not check.accepted:
        messages.error(request, check.message)
        return redirect("accounts:mfa")
    update_session_auth_hash(request, request.user)
    messages.success(request, "Two-factor sign-in is off: signing in needs only your password.")
    return redirect("accounts:mfa")
