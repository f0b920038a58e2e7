"""/api/v1/partnerships: the partnerships a token reaches, their assessments, and running one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from commonground.core.results import AssessmentResult
from commonground.web.access import Action
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError
from commonground.web.api.locking import view_etag
from commonground.web.api.schemas import (
    DEFAULT_LIMIT,
    AssessmentList,
    AssessmentOut,
    Id,
    Limit,
    Offset,
    PartnershipList,
    PartnershipOut,
    errors,
)
from commonground.web.api.scopes import partnership_scope
from commonground.web.assessments import selectors as assessment_selectors
from commonground.web.assessments import services as assessment_services
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.assessments.presentation import stored_result
from commonground.web.organisations.selectors import organisation_list_for_user
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember
from commonground.web.partnerships.selectors import (
    PartnershipAccess,
    facilitation_list_for_user,
    partnership_list_for_organisations,
)

router = Router(tags=["partnerships"])


def _partners(partnership_ids: list[int]) -> dict[int, list[str]]:
    """The active partners' names of each partnership, by name (one query)."""
    names: dict[int, list[str]] = {pk: [] for pk in partnership_ids}
    rows = (
        PartnershipMember.objects.filter(partnership_id__in=partnership_ids, state=MemberState.ACTIVE)
        .order_by("organisation__name", "organisation_id")
        .values_list("partnership_id", "organisation__name")
    )
    for partnership_id, name in rows:
        names[partnership_id].append(name)
    return names


def _partnership_out(access: PartnershipAccess) -> PartnershipOut:
    partnership = access.partnership
    return PartnershipOut(
        id=partnership.pk,
        name=partnership.name,
        status=partnership.status,
        partners=_partners([partnership.pk])[partnership.pk],
        role=access.role,
        facilitator=access.facilitator,
    )


@router.get("", response={200: PartnershipList, **errors()}, summary="Partnerships the token reaches")
def partnership_list(
    request: HttpRequest,
    response: HttpResponse,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> PartnershipList:
    """Partnerships of the user's organisations and those they facilitate, by name (as on the
    partnerships page); a token limited to one organisation lists only that organisation's."""
    token = request_token(request)
    memberships = organisation_list_for_user(user=token.user)
    if token.organisation_id is not None:
        memberships = memberships.filter(organisation_id=token.organisation_id)
    as_partner = partnership_list_for_organisations(organisation_ids=[m.organisation_id for m in memberships])
    partner_ids = {partnership.pk for partnership in as_partner}
    facilitated: list[Partnership] = []
    if token.organisation_id is None:
        places = facilitation_list_for_user(user=token.user)
        facilitated = [place.partnership for place in places if place.partnership_id not in partner_ids]
    reached = sorted([*as_partner, *facilitated], key=lambda partnership: (partnership.name, partnership.pk))
    page = reached[offset : offset + limit]
    partners = _partners([partnership.pk for partnership in page])
    items = [
        {
            "id": partnership.pk,
            "name": partnership.name,
            "status": partnership.status,
            "partners": partners[partnership.pk],
            "facilitator": partnership.pk not in partner_ids,
        }
        for partnership in page
    ]
    out = PartnershipList.model_validate(
        {"items": items, "count": len(reached), "limit": limit, "offset": offset}
    )
    response["ETag"] = view_etag("partnerships", None, out)
    return out


@router.get("/{partnership_id}", response={200: PartnershipOut, **errors()}, summary="One partnership")
def partnership_get(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> PartnershipOut:
    """The partnership, its active partners and the token user's role in it; its ETag changes with any of
    them (a partner joining or leaving, the status, a role)."""
    out = _partnership_out(partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW))
    response["ETag"] = view_etag("partnership", partnership_id, out)
    return out


def _assessment_out(snapshot: AssessmentSnapshot) -> AssessmentOut:
    return AssessmentOut.model_validate(
        {
            "id": snapshot.pk,
            "partnership_id": snapshot.partnership_id,
            "created_at": snapshot.created_at,
            "created_by": snapshot.created_by.get_username() if snapshot.created_by else None,
            "score": snapshot.score,
            "verdict": snapshot.verdict,
            "open_conflicts": snapshot.open_conflicts,
            "profile_versions": snapshot.profile_versions,
        }
    )


@router.get(
    "/{partnership_id}/assessments",
    response={200: AssessmentList, **errors()},
    summary="A partnership's assessments",
)
def assessment_list(
    request: HttpRequest,
    response: HttpResponse,
    partnership_id: Id,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> AssessmentList:
    """The stored assessments, newest first, without their results (``.../result`` has each)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    snapshots = assessment_selectors.snapshot_list(access=access)
    items = [_assessment_out(snapshot) for snapshot in snapshots[offset : offset + limit]]
    out = AssessmentList(items=items, count=snapshots.count(), limit=limit, offset=offset)
    response["ETag"] = view_etag("assessments", partnership_id, out)
    return out


@router.post(
    "/{partnership_id}/assessments",
    response={201: AssessmentOut, **errors(403, 409)},
    summary="Run an assessment",
)
def assessment_run(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> Status[AssessmentOut]:
    """Assess the active partners' current profiles and store the result, as the page's button does
    (write scope, a role that may edit; the page's runs and these share one hourly budget per account and
    per organisation: ``throttles.ASSESSMENTS_PER_ACCOUNT``)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    user = request_token(request).user
    try:
        snapshot = assessment_services.snapshot_create(access=access, user=user)
    except assessment_services.AssessmentThrottled as exc:
        raise ApiError(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
    except assessment_services.AssessmentError as exc:
        raise ApiError(409, str(exc)) from None
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{snapshot.pk}")
    return Status(201, _assessment_out(snapshot))


@router.get(
    "/{partnership_id}/assessments/{assessment_id}",
    response={200: AssessmentOut, **errors()},
    summary="One assessment",
)
def assessment_get(
    request: HttpRequest,
    response: HttpResponse,
    partnership_id: Id,
    assessment_id: Id,
) -> AssessmentOut:
    """One stored assessment's headline and inputs, with an ETag."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    out = _assessment_out(assessment_selectors.snapshot_page_get(access=access, snapshot_id=assessment_id))
    response["ETag"] = view_etag("assessment", out.id, out)
    return out


@router.get(
    "/{partnership_id}/assessments/{assessment_id}/result",
    response={200: AssessmentResult, **errors()},
    summary="An assessment's stored result (the JSON contract)",
)
def assessment_result(
    request: HttpRequest,
    response: HttpResponse,
    partnership_id: Id,
    assessment_id: Id,
) -> AssessmentResult:
    """The stored result exactly as the assessment produced it (never recomputed), with an ETag."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    result = stored_result(assessment_selectors.snapshot_get(access=access, snapshot_id=assessment_id))
    response["ETag"] = view_etag("result", assessment_id, result)
    return result
