"""/api/v1/partnerships/{id}/agreement: a partnership's agreement as it stands, read only (its commitments
and KPIs with what was delivered and measured), in the agreement format's own models."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from ninja import Router
from pydantic import BaseModel

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.access import Action
from commonground.web.agreements import selectors
from commonground.web.api.locking import record_etag
from commonground.web.api.schemas import CommitmentList, Id, KpiList, errors
from commonground.web.api.scopes import partnership_scope

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
