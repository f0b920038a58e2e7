"""The "find partners" page: authorise, bind the filters, read the ranking, render."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonground.web.access import Action, org_scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.discovery import selectors
from commonground.web.discovery.forms import FindPartnersForm
from commonground.web.organisations.selectors import OrgAccess


@org_scoped(Action.EDIT)
@require_GET
def find_partners(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponse:
    """The organisation's best matches in the site's directory, with filters (members who may edit)."""
    form = FindPartnersForm(request.GET or None)
    context: dict[str, object] = {
        "access": access,
        "organisation": access.organisation,
        "form": form,
        "configured": selectors.directory_configured(),
        "found": None,
        "problem": "",
    }
    status, retry_after = 200, 0
    if context["configured"] and (form.is_valid() or not request.GET):
        filters_form = form if request.GET else FindPartnersForm({})
        filters_form.is_valid()
        try:
            found = selectors.partners_find(
                access=access, user=request.user, filters=filters_form.filters(), top=filters_form.listed()
            )
            context["found"] = selectors.hits_known_here(access=access, user=request.user, found=found)
        except selectors.DiscoveryThrottled as exc:
            context["problem"] = str(exc)
            status, retry_after = 429, exc.retry_after
        except selectors.DirectoryUnavailable:
            context["problem"] = (
                "The directory of organisations cannot be read just now; the site's administrators have "
                "been told in the server's log."
            )
            status = 503
    response = render(request, "discovery/find_partners.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
