"""Account pages: sign-up, sign-in/out and password reset (Django's views, our templates), account,
email verification, which optional emails to get and the one-click unsubscribe link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from commonground.web.access import public, signed_in
from commonground.web.accounts import selectors, services
from commonground.web.accounts.forms import (
    AccountForm,
    MailPreferenceForm,
    RecheckedPasswordChangeForm,
    SignUpForm,
    VerifiedPasswordResetForm,
)
from commonground.web.accounts.mfa_selectors import mfa_enabled
from commonground.web.accounts.next_page import next_page
from commonground.web.accounts.session_selectors import session_list
from commonground.web.accounts.typing import AuthenticatedHttpRequest, User
from commonground.web.organisations.selectors import organisation_list_for_user
from commonground.web.throttles import SIGN_UP_PER_NETWORK_ADDRESS, throttle_allows, throttle_take


def _verification_link(request: HttpRequest) -> Callable[[str], str]:
    return lambda token: request.build_absolute_uri(reverse("accounts:verify_email", args=[token]))


@public
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponseBase:
    """Create an account and sign in."""
    if request.user.is_authenticated:
        return redirect("home:index")
    # ``email``: an invitation's page links here with the address it was sent to, to save retyping it.
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    network_address = request.META.get("REMOTE_ADDR", "")
    if request.method == "POST" and not throttle_allows(SIGN_UP_PER_NETWORK_ADDRESS, network_address):
        # A taken username has to be named (people sign in by it and are signed in at once), so what
        # limits finding out which usernames exist is how many refused tries one network address gets.
        # Only refused ones count: a workshop signing up together from one office must not be stopped.
        typed = {name: request.POST.get(name, "") for name in ("username", "email")}
        form = SignUpForm(initial=typed)  # what was typed back, nothing checked
        context = {"form": form, "next": next_page(request) or "", "throttled": True}
        return render(request, "accounts/sign_up.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        user = services.account_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            link_for=_verification_link(request),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome to Common Ground. We sent a link to {user.email}: open it to verify your address.",
        )
        return redirect(next_page(request) or "home:index")
    if request.method == "POST":
        throttle_take((SIGN_UP_PER_NETWORK_ADDRESS, network_address))
    return render(request, "accounts/sign_up.html", {"form": form, "next": next_page(request) or ""})


@signed_in
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in user's details, organisations and sessions."""
    form = AccountForm(request.POST or None, instance=request.user, request=request)
    previous_email = request.user.email
    valid = request.method == "POST" and form.is_valid()
    # Validating writes the typed email onto request.user; the service needs the old one to see a change.
    request.user.email = previous_email
    if valid:
        try:
            services.account_update(
                user=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                link_for=_verification_link(request),
            )
        except services.AccountError as exc:
            form.add_error("email", str(exc))
            valid = False
    if valid:
        if form.cleaned_data["email"] != (previous_email or "").strip().lower():
            messages.success(
                request,
                f"Your details are saved. We sent a link to {form.cleaned_data['email']}: open it to verify "
                "your new address.",
            )
        else:
            messages.success(request, "Your details are saved.")
        return redirect("accounts:account")
    memberships = list(organisation_list_for_user(user=request.user))
    context = {
        "form": form,
        "memberships": memberships,
        "email_verified": selectors.email_is_verified(user=request.user),
        "email_claim_lost": selectors.email_claim_lost(user=request.user),
        "mfa_on": mfa_enabled(user=request.user),
        "mail_form": MailPreferenceForm(initial=selectors.mail_wanted(user=request.user)),
        "sessions": session_list(user=request.user, current_key=request.session.session_key),
        "session_idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        "session_max_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
    }
    return render(request, "accounts/account.html", context)


@signed_in
@require_POST
def mail_preferences(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Turn each group of optional agreement emails on or off (an unticked box is off)."""
    form = MailPreferenceForm(request.POST)
    form.is_valid()  # two optional boxes: always valid
    services.mail_preference_set(
        user=request.user,
        reminders=bool(form.cleaned_data.get("reminders")),
        decisions=bool(form.cleaned_data.get("decisions")),
    )
    messages.success(request, "Your email settings are saved.")
    return redirect("accounts:account")


@public
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in each agreement email: a page naming what stops, with a button (a GET changes nothing,
    so mail scanners that open links unsubscribe no one); no sign-in needed."""
    try:
        user, group = (
            services.mail_unsubscribe(token=token)
            if request.method == "POST"
            else services.unsubscribe_read(token=token)
        )
    except services.AccountError as exc:
        return render(request, "accounts/unsubscribe.html", {"error": str(exc)}, status=400)
    context = {"error": None, "done": request.method == "POST", "group": group, "account": user}
    return render(request, "accounts/unsubscribe.html", context)


@signed_in
@require_POST
def verification_resend(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Mail a fresh link that verifies the account's email address."""
    try:
        services.email_verification_resend(user=request.user, link_for=_verification_link(request))
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"We sent a new link to {request.user.email}.")
    return redirect("accounts:account")


@public
@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponseBase:
    """The mailed link: a page with a confirm button (so mail scanners' GETs change nothing), then verify."""
    if request.method == "POST":
        try:
            user = services.email_verify(token=token)
        except services.AccountError as exc:
            return render(request, "accounts/verify_email.html", {"error": str(exc)}, status=400)
        messages.success(request, f"Thank you: {user.email} is verified.")
        return redirect("accounts:account" if request.user.is_authenticated else "accounts:sign_in")
    return render(request, "accounts/verify_email.html", {"error": None})


class _PasswordChangeView(auth_views.PasswordChangeView):
    """Django's: asks for the old password, keeps this session and ends every other one (the session
    hash changes); then tells the account's verified address. Wrong old passwords count towards the
    sign-in lock-out."""

    form_class = RecheckedPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        """Django's, and the request (for the lock-out)."""
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.password_change_notify(user=form.user)
        return response


class _PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's (every session of the account ends); then tells the account's verified address."""

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        services.password_change_notify(user=form.user)
        return response


class _SignOutView(auth_views.LogoutView):
    """Django's (POST only, ends the session on the server); also asks the browser to drop its copies."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # Pages are sent no-store already; this also clears any storage a script may have kept.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


sign_out = signed_in(_SignOutView.as_view())
password_change = signed_in(
    _PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_change_done"),
    )
)
password_change_done = signed_in(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
password_reset = public(
    auth_views.PasswordResetView.as_view(
        form_class=VerifiedPasswordResetForm,
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_sent"),
    )
)
password_reset_sent = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html")
)
password_reset_confirm = public(
    _PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)
