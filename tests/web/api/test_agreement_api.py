"""A partnership's agreement over the API, read only: the agreement in force in the agreement format, its
commitments with their deliveries and its KPIs with their readings, as the agreement pages show them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from agreement_terms import days
from django.test import Client

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.agreements.models import Agreement, Delivery, Measurement
from commonground.web.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(agreement: Agreement) -> Agreement:
    """The partnership's agreement with default terms, one delivery in full and one KPI reading."""
    started = agreement
    Delivery.objects.create(
        agreement=started, commitment_id="cook", date=datetime.date.fromisoformat(days(-2)), value=5000,
        met_in_full=True, entered_by_name="olga",
    )  # fmt: skip
    Measurement.objects.create(
        agreement=started, kpi_id="meals", date=datetime.date.fromisoformat(days(-1)), value=420,
        entered_by_name="olga",
    )  # fmt: skip
    return started


def test_the_agreement_in_force_comes_in_its_own_format_with_its_etag(
    api_as: Callable[..., Client], viewer: Any, partnership: Partnership, agreement: Agreement
) -> None:
    response = api_as(viewer, scope="read").get(f"/api/v1/partnerships/{partnership.pk}/agreement")
    assert response.status_code == 200, response.content
    assert response["ETag"].startswith(f'"agreement-{agreement.pk}-v{agreement.version}-')
    document = AgreementDocument.model_validate(response.json())  # reads back as the format
    cook = next(c for c in document.what.commitments if c.id == "cook")
    assert cook.met
    assert [f.value for f in cook.fulfilment] == [5000]


def test_commitments_and_kpis_carry_their_records(
    api_as: Callable[..., Client], facilitator: Any, partnership: Partnership, agreement: Agreement
) -> None:
    client = api_as(facilitator)
    commitments = client.get(f"/api/v1/partnerships/{partnership.pk}/agreement/commitments").json()
    assert commitments["count"] == 2
    assert {c["id"]: c.get("met", False) for c in commitments["items"]} == {"cook": True, "fruit": False}
    kpis = client.get(f"/api/v1/partnerships/{partnership.pk}/agreement/kpis").json()
    assert [k["id"] for k in kpis["items"]] == ["meals", "trust"]
    assert kpis["items"][0]["measurements"] == [{"date": days(-1), "value": 420.0}]


def test_a_partnership_without_an_agreement_is_404(
    api_as: Callable[..., Client], member: Any, partnership: Partnership
) -> None:
    for tail in ("agreement", "agreement/commitments", "agreement/kpis"):
        assert api_as(member).get(f"/api/v1/partnerships/{partnership.pk}/{tail}").status_code == 404
