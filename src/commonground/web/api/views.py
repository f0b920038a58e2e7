"""The account's API tokens page: create (the secret shown once), list with last use, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.web.access import signed_in
from commonground.web.accounts.mfa_services import mfa_code_check
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.api import selectors, services
from commonground.web.api.forms import TokenCreateForm
from commonground.web.api.models import TokenScope
from commonground.web.organisations.models import Organisation


@signed_in
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's tokens and a form for a new one; after creating, its secret (this once only)."""
    form = TokenCreateForm(request.POST or None, user=request.user, request=request)
    secret = ""
    status = 200
    if request.method == "POST":
        status = 400
        check = (
            mfa_code_check(user=request.user, code=form.cleaned_data["code"])
            if form.is_valid() and "code" in form.cleaned_data
            else None
        )
        if check is not None and not check.accepted:
            form.add_error("code", check.message)
        elif form.is_valid():
            organisation_id = form.cleaned_data["organisation"]
            organisation = (
                Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
            )
            try:
                _, secret = services.token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=TokenScope(form.cleaned_data["scope"]),
                    valid_days=form.cleaned_data["valid_days"],
                    organisation=organisation,
                )
            except services.TokenError as exc:
                form.add_error(None, str(exc))
            else:
                status = 200
                form = TokenCreateForm(user=request.user, request=request)
    context = {"form": form, "secret": secret, "tokens": list(selectors.token_list(user=request.user))}
    return render(request, "api/tokens.html", context, status=status)


@signed_in
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponseBase:
    """Revoke one of the user's tokens; any request with it is refused from now on."""
    token = selectors.token_get(user=request.user, token_id=token_id)
    services.token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” ({token.prefix}…) is revoked.")
    return redirect("api:tokens")
