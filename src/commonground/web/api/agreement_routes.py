"""/api/v1/partnerships/{id}/agreement: a partnership's agreement as it stands, read only (its commitments
and KPIs with what was delivered and measured), in the agreement format's own models."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.access import Action
from commonground.web.agreements import selectors
from commonground.web.api.locking import record_etag
from commonground.web.api.schemas import CommitmentList, Id, KpiList, errors
from commonground.web.api.scopes import partnership_scope

router = Router(tags=["agreements"])

KIND = "agreement"  # its ETag: "agreement-<id>-v<version in force>"


def _in_force(request: HttpRequest, response: HttpResponse, partnership_id: int) -> AgreementDocument:
    """The agreement in force (terms with every record merged in); its ETag on the response; 404 when the
    partnership has not started one."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    agreement = selectors.agreement_get(access=access)
    response["ETag"] = record_etag(KIND, agreement)
    return selectors.agreement_in_force(agreement)


@router.get(
    "/{partnership_id}/agreement",
    response={200: AgreementDocument, **errors()},
    exclude_none=True,
    summary="A partnership's agreement as it stands (agreement format)",
)
def agreement_get(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> AgreementDocument:
    """The agreement's terms at the version in force with its records merged in: deliveries into
    ``what.commitments``, readings into ``what.kpis``, decisions and votes into ``how.decisions.log``."""
    return _in_force(request, response, partnership_id)


@router.get(
    "/{partnership_id}/agreement/commitments",
    response={200: CommitmentList, **errors()},
    exclude_none=True,
    summary="An agreement's commitments and their deliveries",
)
def commitment_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> CommitmentList:
    """Each partner's commitments as the agreement lists them, with what was delivered and whether met."""
    commitments = _in_force(request, response, partnership_id).what.commitments
    return CommitmentList(items=commitments, count=len(commitments))


@router.get(
    "/{partnership_id}/agreement/kpis",
    response={200: KpiList, **errors()},
    exclude_none=True,
    summary="An agreement's KPIs and their readings",
)
def kpi_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> KpiList:
    """The joint and partners' own KPIs as the agreement lists them, each with its readings."""
    kpis = _in_force(request, response, partnership_id).what.kpis
    return KpiList(items=kpis, count=len(kpis))
