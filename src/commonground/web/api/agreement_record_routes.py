"""/api/v1/partnerships/{id}/agreement/kpis/{kpi}/readings and .../commitments/{commitment}/deliveries:
the records kept beside the agreement's terms, listed, fetched and added as the KPI page and the
commitments tab do, through the agreements app's forms (``tracking_forms``), selectors and services
(``record_services``). Anyone who sees the agreement reads them; a reading is entered by the members of
the partner that reports the KPI, a delivery by those of the partner owing or receiving it (403 for
anyone else); neither changes the agreement's version or its sign-off."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Status
from pydantic import BaseModel

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.access import Action
from commonground.web.agreements import record_selectors, record_services, selectors
from commonground.web.agreements.models import Agreement, Delivery, Measurement
from commonground.web.agreements.tracking_forms import DeliveryForm, MeasurementForm
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, valid_form
from commonground.web.api.locking import view_etag
from commonground.web.api.record_schemas import (
    DeliveryIn,
    DeliveryList,
    DeliveryOut,
    FormatId,
    ReadingIn,
    ReadingList,
    ReadingOut,
)
from commonground.web.api.schemas import DEFAULT_LIMIT, Id, Limit, Offset, errors
from commonground.web.api.scopes import partnership_scope

router = Router(tags=["agreement records"])


def record_refused(exc: record_services.RecordError, *, what: str) -> ApiError:
    """A service's refusal of a record: 422 naming the field it is about (``body.payload.<field>``), as
    the page puts it on that field; 409 for one about the agreement as it is now (the item left the
    terms, voting has ended, the log is full), where the page shows it above the form."""
    if exc.field is not None:
        return ApiError(
            422,
            f"The {what} is not valid; nothing was saved.",
            problems=[(f"body.payload.{exc.field}", str(exc))],
        )
    return ApiError(409, f"{exc} Nothing was saved.")


Row = TypeVar("Row", bound=Model)
Shown = TypeVar("Shown", bound=BaseModel)
Listed = TypeVar("Listed", bound=BaseModel)


def _listed(
    response: HttpResponse, kind: str, agreement: Agreement, rows: QuerySet[Row],
    show: Callable[[Row], Shown], into: Callable[..., Listed], limit: int, offset: int,
) -> Listed:  # fmt: skip
    """One page of ``rows`` as ``into`` (items, count, limit, offset), with its ETag on ``response``."""
    items = [show(row) for row in rows[offset : offset + limit]]
    out = into(items=items, count=rows.count(), limit=limit, offset=offset)
    response["ETag"] = view_etag(kind, agreement.pk, out)
    return out


def _one(
    response: HttpResponse, kind: str, rows: QuerySet[Row], pk: int, show: Callable[[Row], Shown]
) -> Shown:
    """The row ``pk`` of ``rows`` (404 for any other), with its ETag on ``response``."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404
    out = show(row)
    response["ETag"] = view_etag(kind, row.pk, out)
    return out


def _records(
    request: HttpRequest, partnership_id: int, item: tuple[str, str],
    find: Callable[[AgreementDocument, str], object | None], rows: Callable[..., QuerySet[Row]],
) -> tuple[Agreement, QuerySet[Row]]:  # fmt: skip
    """The agreement the caller sees and ``rows`` of its KPI or commitment ``item`` (the selector's keyword
    and the id), 404 for one its terms lack: a list and each record on it answer alike."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    agreement = selectors.agreement_get(access=access)
    keyword, item_id = item
    if find(record_selectors.agreement_terms(agreement), item_id) is None:
        raise Http404
    return agreement, rows(agreement=agreement, **{keyword: item_id})


READINGS = (record_selectors.kpi_find, record_selectors.kpi_readings)
DELIVERIES = (record_selectors.commitment_find, record_selectors.commitment_deliveries)


# --- KPI readings ----------------------------------------------------------------------------------


def _reading(row: Measurement) -> ReadingOut:
    return ReadingOut(
        id=row.pk, kpi=row.kpi_id, date=row.date, value=row.value, note=row.note, evidence=row.evidence,
        entered_by=row.entered_by_name, created_at=row.created_at,
    )  # fmt: skip


@router.get(
    "/{partnership_id}/agreement/kpis/{kpi_id}/readings",
    response={200: ReadingList, **errors()},
    summary="A KPI's readings",
)
def reading_list(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, kpi_id: FormatId,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> ReadingList:  # fmt: skip
    """The readings entered beside the terms, oldest first (paged), as the KPI's page lists them;
    readings the agreement's own text holds are in ``GET .../agreement/kpis``. 404 for a KPI the
    agreement does not have."""
    agreement, rows = _records(request, partnership_id, ("kpi_id", kpi_id), *READINGS)
    return _listed(response, "readings", agreement, rows, _reading, ReadingList, limit, offset)


@router.get(
    "/{partnership_id}/agreement/kpis/{kpi_id}/readings/{reading_id}",
    response={200: ReadingOut, **errors()},
    summary="One reading of a KPI",
)
def reading_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, kpi_id: FormatId, reading_id: Id
) -> ReadingOut:
    """One reading of this KPI; 404 for one of another KPI or agreement, or of a KPI the agreement no
    longer has (as the list)."""
    _, rows = _records(request, partnership_id, ("kpi_id", kpi_id), *READINGS)
    return _one(response, "reading", rows, reading_id, _reading)


@router.post(
    "/{partnership_id}/agreement/kpis/{kpi_id}/readings",
    response={201: ReadingOut, **errors(400, 403, 409)},
    summary="Enter a reading of a KPI",
)
def reading_add(
    request: HttpRequest, partnership_id: Id, kpi_id: FormatId, payload: ReadingIn
) -> Status[ReadingOut]:
    """Enter one reading, as the KPI page's form does (the members of the partner that reports it; 403
    for anyone else). Each bad field is 422 with its path (a date in the future or before the KPI's
    baseline); 409 when the KPI left the agreement meanwhile. The agreement's version is unchanged."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    agreement = selectors.agreement_get(access=access)
    terms = record_selectors.agreement_terms(agreement)
    kpi = record_selectors.kpi_find(terms, kpi_id)
    if kpi is None:
        raise Http404
    if not record_selectors.may_enter_reading(access=access, agreement=agreement, terms=terms, kpi=kpi):
        reporters = " or ".join(terms.partner_name(p) for p in record_services.kpi_reporters(terms, kpi))
        raise ApiError(403, f"Only the members of {reporters} enter readings of “{kpi.name}”.")
    form = valid_form(MeasurementForm(payload.model_dump(mode="json")), what="reading")
    try:
        row = record_services.measurement_add(
            access=access, agreement=agreement, kpi_id=kpi_id, user=request_token(request).user,
            **form.cleaned_data,
        )  # fmt: skip
    except record_services.RecordError as exc:
        raise record_refused(exc, what="reading") from None
    return Status(201, _reading(row))


# --- deliveries on commitments ---------------------------------------------------------------------


def _delivery(row: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=row.pk, commitment=row.commitment_id, date=row.date, value=row.value, note=row.note,
        met_in_full=row.met_in_full, entered_by=row.entered_by_name, created_at=row.created_at,
    )  # fmt: skip


@router.get(
    "/{partnership_id}/agreement/commitments/{commitment_id}/deliveries",
    response={200: DeliveryList, **errors()},
    summary="A commitment's deliveries",
)
def delivery_list(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, commitment_id: FormatId,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
) -> DeliveryList:  # fmt: skip
    """The deliveries recorded beside the terms, oldest first (paged), as the commitments tab lists
    them; 404 for a commitment the agreement does not have."""
    agreement, rows = _records(request, partnership_id, ("commitment_id", commitment_id), *DELIVERIES)
    return _listed(response, "deliveries", agreement, rows, _delivery, DeliveryList, limit, offset)


@router.get(
    "/{partnership_id}/agreement/commitments/{commitment_id}/deliveries/{delivery_id}",
    response={200: DeliveryOut, **errors()},
    summary="One delivery on a commitment",
)
def delivery_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, commitment_id: FormatId,
    delivery_id: Id,
) -> DeliveryOut:  # fmt: skip
    """One delivery on this commitment; 404 for one of another commitment or agreement, or on a
    commitment the agreement no longer has (as the list)."""
    _, rows = _records(request, partnership_id, ("commitment_id", commitment_id), *DELIVERIES)
    return _one(response, "delivery", rows, delivery_id, _delivery)


@router.post(
    "/{partnership_id}/agreement/commitments/{commitment_id}/deliveries",
    response={201: DeliveryOut, **errors(400, 403, 409)},
    summary="Record a delivery on a commitment",
)
def delivery_add(
    request: HttpRequest, partnership_id: Id, commitment_id: FormatId, payload: DeliveryIn
) -> Status[DeliveryOut]:
    """Record part or all of a commitment delivered, as its Record form does (the members of the partner
    owing or receiving it; 403 for anyone else). Each bad field is 422 with its path (a date in the
    future; no value, note or ``met_in_full``: ``value``); 409 when the commitment left the agreement
    meanwhile. The agreement's version is unchanged."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    agreement = selectors.agreement_get(access=access)
    terms = record_selectors.agreement_terms(agreement)
    commitment = record_selectors.commitment_find(terms, commitment_id)
    if commitment is None:
        raise Http404
    if not record_selectors.may_record_delivery(
        access=access, agreement=agreement, terms=terms, commitment=commitment
    ):
        parties = record_services.commitment_parties(terms, commitment)
        names = " or ".join(terms.partner_name(p) for p in parties)
        raise ApiError(403, f"Only the members of {names} record deliveries on this commitment.")
    body = payload.model_dump(mode="json")
    form = valid_form(DeliveryForm({**body, "value": "" if body["value"] is None else body["value"]}),
                      what="delivery")  # fmt: skip
    try:
        row = record_services.delivery_add(
            access=access, agreement=agreement, commitment_id=commitment_id, user=request_token(request).user,
            **form.cleaned_data,
        )  # fmt: skip
    except record_services.RecordError as exc:
        raise record_refused(exc, what="delivery") from None
    return Status(201, _delivery(row))
