"""Thin views of the agreement's tabs: roles, commitments (and recording a delivery), KPIs (and entering a
reading), equity. Each authorises through the access layer, binds a form, calls a service, renders."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.web.access import Action, partnership_scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.agreements import record_services, selectors, tracking_selectors
from commonground.web.agreements.cached_sections import kpi_sections
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.tracking_forms import DeliveryForm, MeasurementForm
from commonground.web.partnerships.selectors import PartnershipAccess


def context(access: PartnershipAccess, agreement: Agreement, **extra: Any) -> dict[str, Any]:
    """What every tab's template gets: the scope, the partnership and the agreement."""
    return {"access": access, "partnership": access.partnership, "agreement": agreement, **extra}


def add_record_error(form: forms.Form, exc: record_services.RecordError) -> None:
    """Put a service's refusal on the field it names (or on the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@partnership_scoped(Action.VIEW)
@require_GET
def roles(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The RACI grid: workstreams and tasks against partners, with each warning beside its task or partner."""
    agreement = selectors.agreement_get(access=access)
    page = tracking_selectors.roles_page(agreement=agreement)
    return render(request, "agreements/roles.html", context(access, agreement, page=page))


@partnership_scoped(Action.VIEW)
@require_GET
def commitments(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Each partner's commitments, overdue first, with the deliveries recorded on them."""
    agreement = selectors.agreement_get(access=access)
    page = tracking_selectors.commitments_page(access=access, agreement=agreement)
    return render(request, "agreements/commitments.html", context(access, agreement, page=page))


@partnership_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def delivery_add(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, commitment_id: str
) -> HttpResponseBase:
    """Record part or all of a commitment delivered (members of the partner owing or receiving it)."""
    agreement = selectors.agreement_get(access=access)
    page = tracking_selectors.commitments_page(access=access, agreement=agreement)
    row = tracking_selectors.commitment_find(page, commitment_id)
    if row is None:
        raise Http404
    form = DeliveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_services.delivery_add(
                access=access, agreement=agreement, commitment_id=commitment_id, user=request.user,
                **form.cleaned_data,
            )  # fmt: skip
        except record_services.RecordError as exc:
            add_record_error(form, exc)
        else:
            messages.success(request, "The delivery is recorded. The agreement's version is unchanged.")
            return redirect("agreements:commitments", pk=access.partnership.pk)
    return render(
        request, "agreements/delivery_add.html", context(access, agreement, page=page, row=row, form=form)
    )


@partnership_scoped(Action.VIEW)
@require_GET
def kpis(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The KPI scorecard: the shared vision on top, the KPIs grouped by category with their status."""
    agreement = selectors.agreement_get(access=access)
    page = tracking_selectors.kpis_page(agreement=agreement)
    return render(request, "agreements/kpis.html", context(access, agreement, page=page))


def _kpi_response(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, agreement: Agreement, kpi_id: str,
    form: MeasurementForm,
) -> HttpResponse:  # fmt: skip
    kpi = kpi_sections(partnership=access.partnership, agreement=agreement, kpi_id=kpi_id)
    if kpi is None:
        raise Http404
    may_enter = record_services.acts_for(access, agreement, kpi.reporter_ids)
    return render(
        request, "agreements/kpi.html", context(access, agreement, kpi=kpi, may_enter=may_enter, form=form)
    )


@partnership_scoped(Action.VIEW)
@require_GET
def kpi(request: AuthenticatedHttpRequest, access: PartnershipAccess, kpi_id: str) -> HttpResponse:
    """One KPI: its reference sheet, its trend against the line and bands, its readings, and the form."""
    agreement = selectors.agreement_get(access=access)
    return _kpi_response(request, access, agreement, kpi_id, MeasurementForm())


@partnership_scoped(Action.EDIT)
@require_POST
def measurement_add(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, kpi_id: str
) -> HttpResponseBase:
    """Enter one reading of a KPI (its reporting partner's members); a bad value is named, nothing saved."""
    agreement = selectors.agreement_get(access=access)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            record_services.measurement_add(
                access=access, agreement=agreement, kpi_id=kpi_id, user=request.user, **form.cleaned_data
            )
        except record_services.RecordError as exc:
            add_record_error(form, exc)
        else:
            messages.success(request, "The reading is saved. The agreement's version is unchanged.")
            return redirect("agreements:kpi", pk=access.partnership.pk, kpi_id=kpi_id)
    return _kpi_response(request, access, agreement, kpi_id, form)


@partnership_scoped(Action.VIEW)
@require_GET
def equity(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Each partner's shares of contribution, decision power and benefit, against equal shares."""
    agreement = selectors.agreement_get(access=access)
    page = tracking_selectors.equity_page(agreement=agreement)
    return render(request, "agreements/equity.html", context(access, agreement, page=page))
