"""What a token reaches: the pages' scoped selectors, narrowed by the token (its scope, its organisation).

No rule of its own: an organisation is reached through ``organisations.selectors.organisation_access``
and a partnership through ``partnerships.selectors.partnership_access_for``, exactly as the pages'
decorators do (404 when the user may not know it exists, 403 when their role does not allow the action,
both in the security log). A token can only take away from that:
- a read token never writes (403);
- a token limited to one organisation reaches that organisation and the partnerships it is an active
  partner of, with the user's role in it (not their best role across organisations, nor a facilitator
  place); anything else is 404.
"""

from __future__ import annotations

import dataclasses

from django.http import Http404, HttpRequest

from commonground.web.access import Action, Scope, mfa_missing, not_found, require
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError
from commonground.web.audit import security_event
from commonground.web.organisations.selectors import OrgAccess, organisation_access
from commonground.web.partnerships.selectors import PartnershipAccess, partnership_access_for


def _allow(request: HttpRequest, scope: Scope, action: Action, *, writes: bool = False) -> None:
    token = request_token(request)
    if (writes or action != Action.VIEW) and not token.can_write:
        security_event(
            "refused", request=request, reason="read_token", scope=scope.describe(), token=token.prefix,
            action=str(action), answer=403,
        )  # fmt: skip
        raise ApiError(403, "This token may only read; create a token with the write scope to change things.")
    require(request, scope, action)


def organisation_scope(request: HttpRequest, *, slug: str, action: Action) -> OrgAccess:
    """The organisation ``slug`` as the token's user reaches it, if the token and role allow ``action``."""
    token = request_token(request)
    try:
        access = organisation_access(user=token.user, slug=slug)
        if token.organisation_id is not None and access.organisation.pk != token.organisation_id:
            raise Http404
    except Http404:
        raise not_found(request, f"slug={slug}") from None
    if access.needs_mfa and mfa_missing(token.user):
        # The organisation asks its owners for two-factor sign-in; its pages send them to set it up,
        # and a token must not be the way round it.
        security_event(
            "refused", request=request, reason="mfa_required", scope=access.describe(), token=token.prefix,
            answer=403,
        )  # fmt: skip
        raise ApiError(
            403,
            "This organisation asks its owners to use two-factor sign-in: turn it on on your account page, "
            "then use the API again.",
        )
    _allow(request, access, action)
    return access


def partnership_scope(
    request: HttpRequest, *, partnership_id: int, action: Action, writes: bool = False
) -> PartnershipAccess:
    """The partnership as the token's user reaches it (narrowed to the token's organisation), if allowed;
    ``writes`` for a write that every role viewing may make (a check-in's answer): a read token may not."""
    token = request_token(request)
    try:
        access = partnership_access_for(user=token.user, partnership_id=partnership_id)
        if token.organisation_id is not None:
            role = access.role_in(token.organisation_id)
            if role is None:
                raise Http404
            access = dataclasses.replace(
                access, role=role, facilitator=False, org_roles=((token.organisation_id, role),)
            )
    except Http404:
        raise not_found(request, f"pk={partnership_id}") from None
    _allow(request, access, action, writes=writes)
    return access
