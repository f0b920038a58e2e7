"""Reads of an agreement's record rows for one KPI or commitment: the readings and deliveries stored
beside the terms (those the agreement's own text holds are merged into the agreement in force), and
whether the user may add one. Every read starts from an agreement reached through
``selectors.agreement_get(access=...)``, so it is scoped as the tabs are."""

from __future__ import annotations

from django.db.models import QuerySet

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.what import Commitment, Kpi
from commonground.web.agreements.models import Agreement, Delivery, Measurement
from commonground.web.agreements.record_services import acts_for, commitment_parties, kpi_reporters
from commonground.web.partnerships.selectors import PartnershipAccess


def agreement_terms(agreement: Agreement) -> AgreementDocument:
    """The agreement's signed terms (no query)."""
    return AgreementDocument.model_validate(agreement.document)


def kpi_find(terms: AgreementDocument, kpi_id: str) -> Kpi | None:
    """The KPI of the terms with this id, if any."""
    return next((kpi for kpi in terms.what.kpis if kpi.id == kpi_id), None)


def commitment_find(terms: AgreementDocument, commitment_id: str) -> Commitment | None:
    """The commitment of the terms with this id, if any."""
    return next((c for c in terms.what.commitments if c.id == commitment_id), None)


def kpi_readings(*, agreement: Agreement, kpi_id: str) -> QuerySet[Measurement]:
    """A KPI's stored readings, in date order as its page lists them."""
    return Measurement.objects.filter(agreement=agreement, kpi_id=kpi_id).order_by("date", "pk")


def commitment_deliveries(*, agreement: Agreement, commitment_id: str) -> QuerySet[Delivery]:
    """A commitment's stored deliveries, in date order as the commitments tab lists them."""
    return Delivery.objects.filter(agreement=agreement, commitment_id=commitment_id).order_by("date", "pk")


def may_enter_reading(
    *, access: PartnershipAccess, agreement: Agreement, terms: AgreementDocument, kpi: Kpi
) -> bool:
    """Whether the user enters readings of ``kpi``: a member of its reporting partner (the KPI page's
    form is shown to them only)."""
    return acts_for(access, agreement, kpi_reporters(terms, kpi))


def may_record_delivery(
    *, access: PartnershipAccess, agreement: Agreement, terms: AgreementDocument, commitment: Commitment
) -> bool:
    """Whether the user records deliveries on ``commitment``: a member of the partner owing or receiving
    it (the commitments tab's Record link is shown to them only)."""
    return acts_for(access, agreement, commitment_parties(terms, commitment))
