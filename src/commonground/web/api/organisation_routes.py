"""/api/v1/organisations: the organisations a token reaches, and their profiles (read, replace)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router

from commonground.core.loading import MAX_PROFILE_VALUES, LoadError, count_values, parse_profile
from commonground.core.profiles import Profile
from commonground.web.access import Action
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, problems_from_load
from commonground.web.api.locking import (
    expected_version,
    if_match_parameter,
    record_etag,
    stale_error,
    view_etag,
)
from commonground.web.api.schemas import OrganisationList, OrganisationOut, Slug, errors
from commonground.web.api.scopes import organisation_scope
from commonground.web.organisations import services
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.organisations.selectors import organisation_list_for_user
from commonground.web.records import StaleEditError

router = Router(tags=["organisations"])

# A profile is sent as JSON of at most the size the import page accepts.
MAX_PROFILE_BYTES: int = settings.PROFILE_IMPORT_MAX_BYTES
PROFILE_BODY = {
    "requestBody": {
        "required": True,
        "description": f"The whole profile (profile format v1) as JSON, at most {MAX_PROFILE_BYTES:,} bytes.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Profile"}}},
    },
    "parameters": [if_match_parameter("profile")],
}


def _organisation_out(membership: Membership) -> OrganisationOut:
    organisation = membership.organisation
    return OrganisationOut(
        slug=organisation.slug,
        name=organisation.name,
        kind=str(organisation.profile.get("kind", "")),
        location=organisation.location,
        role=membership.role,
        version=organisation.version,
        updated_at=organisation.updated_at,
    )


@router.get("", response={200: OrganisationList, **errors()}, summary="Organisations the token reaches")
def organisation_list(request: HttpRequest, response: HttpResponse) -> OrganisationList:
    """The token user's organisations by name (only the token's organisation when it is limited to one),
    with an ETag of this list as the token sees it (a role, a name, a profile's version moves it)."""
    token = request_token(request)
    memberships = organisation_list_for_user(user=token.user)
    if token.organisation_id is not None:
        memberships = memberships.filter(organisation_id=token.organisation_id)
    items = [_organisation_out(membership) for membership in memberships]
    out = OrganisationList(items=items, count=len(items))
    response["ETag"] = view_etag("organisations", None, out)
    return out


@router.get("/{slug}", response={200: OrganisationOut, **errors()}, summary="One organisation")
def organisation_get(request: HttpRequest, response: HttpResponse, slug: Slug) -> OrganisationOut:
    """The organisation with the user's role in it and its profile's edit version, with an ETag."""
    access = organisation_scope(request, slug=slug, action=Action.VIEW)
    out = _organisation_out(access.membership)
    response["ETag"] = view_etag("organisation", access.organisation.pk, out)
    return out


@router.get(
    "/{slug}/profile",
    response={200: Profile, **errors()},
    exclude_none=True,
    summary="An organisation's profile (profile format v1)",
)
def profile_get(request: HttpRequest, response: HttpResponse, slug: Slug) -> Profile:
    """The profile as the profile format's JSON; its ETag goes into If-Match of a later write."""
    access = organisation_scope(request, slug=slug, action=Action.VIEW)
    return _profile_shown(response, access.organisation)


def _profile_etag(organisation: Organisation) -> str:
    return record_etag("org", organisation, organisation.get_profile())


def _profile_shown(response: HttpResponse, organisation: Organisation) -> Profile:
    """The profile, with its ETag on the response."""
    profile = organisation.get_profile()
    response["ETag"] = record_etag("org", organisation, profile)
    return profile


def _refuse_oversized(raw: bytes) -> None:
    """422 for a body with far more values than any profile has, before the loader spends seconds naming
    each one (a megabyte of unknown fields would)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return  # the loader names what is wrong with it
    if count_values(data, stop_after=MAX_PROFILE_VALUES) > MAX_PROFILE_VALUES:
        raise ApiError(
            422,
            f"The body holds more than {MAX_PROFILE_VALUES:,} values, far more than a profile has; "
            "nothing was saved.",
        )


def _profile_from_body(request: HttpRequest) -> Profile:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_PROFILE_BYTES:
        raise ApiError(413, f"The profile is larger than {MAX_PROFILE_BYTES:,} bytes; nothing was saved.")
    if request.content_type != "application/json":
        raise ApiError(415, "Send the profile as JSON (Content-Type: application/json); nothing was saved.")
    _refuse_oversized(request.body)
    try:
        return parse_profile(request.body, source="body", fmt="json")
    except LoadError as exc:
        raise ApiError(
            422, "The profile is not valid; nothing was saved.", problems=problems_from_load(exc.problems)
        ) from None


@router.put(
    "/{slug}/profile",
    response={200: Profile, **errors(403, 412, 413, 415, 428)},
    exclude_none=True,
    openapi_extra=PROFILE_BODY,
    summary="Replace an organisation's profile",
)
def profile_replace(request: HttpRequest, response: HttpResponse, slug: Slug) -> Profile:
    """Replace the whole profile (write scope, a role that may edit), if If-Match is still current."""
    access = organisation_scope(request, slug=slug, action=Action.EDIT)
    organisation = access.organisation
    version = expected_version(
        request, organisation, current=_profile_etag(organisation), kind="org", what="profile"
    )
    profile = _profile_from_body(request)
    token = request_token(request)
    try:
        services.profile_update(
            organisation=organisation,
            profile=profile,
            expected_version=version,
            user=token.user,
            comment=f"Saved through the API (token {token.prefix}…)",
        )
    except StaleEditError as exc:
        organisation.refresh_from_db()
        raise stale_error(exc, what="profile", current=_profile_etag(organisation)) from None
    return _profile_shown(response, organisation)
