"""/api/v1/partnerships/{id}/agreement: a partnership's agreement as it stands (its commitments and KPIs
with what was delivered and measured), in the agreement format's own models, and its parts (who, why,
what, how, open items) to read and change one at a time with If-Match, through the agreements app's
``sections.PARTS`` and services, as its part edit page does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router
from ninja.params import functions as param
from pydantic import BaseModel, WithJsonSchema

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.access import Action
from commonground.web.agreements import selectors, services
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.sections import PARTS, Part
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError
from commonground.web.api.locking import LockedRecords, if_match_parameter, record_etag, view_etag
from commonground.web.api.schemas import (
    CommitmentList,
    Id,
    KpiList,
    SectionIn,
    SectionList,
    SectionOut,
    errors,
)
from commonground.web.api.scopes import partnership_scope
from commonground.web.partnerships.selectors import PartnershipAccess

router = Router(tags=["agreements"])
T = TypeVar("T", bound=BaseModel)

KIND = "agreement"  # its ETag: "agreement-<id>-v<version in force>-<digest of the answer>"


def _in_force(
    request: HttpRequest, response: HttpResponse, partnership_id: int, shown: Callable[[AgreementDocument], T]
) -> T:
    """What ``shown`` picks of the agreement in force (terms with every record merged in), with an ETag on
    the response that every delivery, reading, decision and vote moves (they leave the version as it is);
    404 when the partnership has not started one."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    agreement = selectors.agreement_get(access=access)
    answer = shown(selectors.agreement_in_force(agreement))
    response["ETag"] = record_etag(KIND, agreement, answer)
    return answer


@router.get(
    "/{partnership_id}/agreement",
    response={200: AgreementDocument, **errors()},
    exclude_none=True,
    summary="A partnership's agreement as it stands (agreement format)",
)
def agreement_get(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> AgreementDocument:
    """The agreement's terms at the version in force with its records merged in: deliveries into
    ``what.commitments``, readings into ``what.kpis``, decisions and votes into ``how.decisions.log``."""
    return _in_force(request, response, partnership_id, lambda document: document)


@router.get(
    "/{partnership_id}/agreement/commitments",
    response={200: CommitmentList, **errors()},
    exclude_none=True,
    summary="An agreement's commitments and their deliveries",
)
def commitment_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> CommitmentList:
    """Each partner's commitments as the agreement lists them, with what was delivered and whether met."""

    def commitments(document: AgreementDocument) -> CommitmentList:
        return CommitmentList(items=document.what.commitments, count=len(document.what.commitments))

    return _in_force(request, response, partnership_id, commitments)


@router.get(
    "/{partnership_id}/agreement/kpis",
    response={200: KpiList, **errors()},
    exclude_none=True,
    summary="An agreement's KPIs and their readings",
)
def kpi_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> KpiList:
    """The joint and partners' own KPIs as the agreement lists them, each with its readings."""

    def kpis(document: AgreementDocument) -> KpiList:
        return KpiList(items=document.what.kpis, count=len(document.what.kpis))

    return _in_force(request, response, partnership_id, kpis)


# The agreement's parts, as its pages edit them; any other name, however long, is 404 as on the part edit
# page (``_locked``), not 422: the schema lists the names, the path is not validated against it.
PartKey = Annotated[str, WithJsonSchema({"type": "string", "enum": list(PARTS)}), param.Path()]


def _section(part: Part, agreement: Agreement) -> SectionOut:
    return SectionOut(
        key=part.key, title=part.title, version=agreement.version, content=part.content(agreement.document)
    )


def _lock(part: Part) -> LockedRecords[Agreement, SectionOut]:
    """A part's ETag, ``"<part>-<agreement id>-v<version>-<digest>"`` (``openitems`` for open items): any
    saved part moves the version, so a change from an earlier read of any part is refused (412)."""
    return LockedRecords(
        part.key.replace("-", ""), "agreement part", lambda access, agreement: _section(part, agreement)
    )


LOCKS = {key: _lock(part) for key, part in PARTS.items()}


def _locked(part: str) -> LockedRecords[Agreement, SectionOut]:
    """The lock of part ``part``; 404 for a name that is not one of the agreement's parts."""
    if part not in LOCKS:
        raise Http404
    return LOCKS[part]


@router.get(
    "/{partnership_id}/agreement/sections",
    response={200: SectionList, **errors()},
    summary="The agreement's parts, as their edit pages hold them",
)
def section_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> SectionList:
    """Every part of the agreement's terms (who, why, what, how, open items), without its records."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    agreement = selectors.agreement_get(access=access)
    items = [_section(part, agreement) for part in PARTS.values()]
    out = SectionList(items=items, count=len(items))
    response["ETag"] = view_etag("sections", agreement.pk, out)
    return out


@router.get(
    "/{partnership_id}/agreement/sections/{part}",
    response={200: SectionOut, **errors()},
    summary="One part of the agreement",
)
def section_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, part: PartKey
) -> SectionOut:
    """The part's content as its edit page holds it; its ETag goes into If-Match of a change."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    return _locked(part).answer(response, access, selectors.agreement_get(access=access))


@router.put(
    "/{partnership_id}/agreement/sections/{part}",
    response={200: SectionOut, **errors(400, 403, 412, 428)},
    openapi_extra={"parameters": [if_match_parameter("agreement part")]},
    summary="Change one part of the agreement",
)
def section_update(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, part: PartKey, payload: SectionIn
) -> SectionOut:
    """Replace the part's content if If-Match is still current (a partner's member). Like a save on its
    page, this makes a new version, and a signed agreement goes back to draft: every partner signs again.
    Each problem is 422 with its path (a record field, a partner id that is not the partnership's)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    lock = _locked(part)
    agreement = selectors.agreement_get(access=access)
    lock.guarded(
        request,
        access,
        agreement,
        lambda version: _replace(request, access, agreement, PARTS[part], payload, version),
    )
    return lock.answer(response, access, selectors.agreement_get(access=access))


def _replace(
    request: HttpRequest, access: PartnershipAccess, agreement: Agreement, part: Part, payload: SectionIn,
    version: int,
) -> None:  # fmt: skip
    merged, problems = part.replaced(agreement.document, payload.content)
    if problems:
        raise ApiError(
            422, f"{part.title} would not be valid; nothing was saved.",
            problems=[(".".join(filter(None, ("body.payload.content", problem.path))), problem.message)
                      for problem in problems],
        )  # fmt: skip
    try:
        services.agreement_part_update(
            access=access, agreement=agreement, part_key=part.key, merged=merged, expected_version=version,
            user=request_token(request).user,
        )  # fmt: skip
    except services.AgreementError as exc:
        raise ApiError(422, str(exc)) from None
