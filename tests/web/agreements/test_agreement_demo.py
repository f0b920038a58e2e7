"""The demo's agreement: signed by both partners, the charity's red line written into a clause the
supermarket says is tight, an overdue commitment, a KPI off track, a decided proposal and an open one;
loaded without sending email, and the daily job then reminds of what is due."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonground.web.agreements.models import Agreement, Comment, Decision, Signature
from commonground.web.agreements.reminder_services import agreement_reminders_send
from commonground.web.demo import demo_load


@pytest.mark.django_db(transaction=True)  # the demo's writes commit, so any email would really go
def test_the_demo_agreement_is_signed_and_shows_its_tension_overdue_off_track_and_decisions(
    client_for: Callable[[Any], Client],
) -> None:
    assert demo_load() is not None
    assert mail.outbox == []  # loading the demo mails no one
    agreement = Agreement.objects.select_related("partnership").get()
    assert agreement.document["state"] == "agreed"
    signed = Signature.objects.filter(agreement=agreement, version=agreement.version)
    assert sorted(s.signer_name for s in signed) == ["demo-bright-start", "demo-meadowgate"]
    tight = Comment.objects.get(agreement=agreement, section="how")
    assert tight.author_name == "demo-meadowgate"
    assert "This clause is tight for us" in tight.text

    charity = client_for(get_user_model().objects.get(username="demo-bright-start"))
    pk = agreement.partnership_id
    page = charity.get(reverse("agreements:detail", kwargs={"pk": pk})).content.decode()
    assert "Every partner has signed version" in page
    assert "no multi-buy or price promotion of confectionery" in page  # the red line, as a clause
    commitments = charity.get(reverse("agreements:commitments", kwargs={"pk": pk})).content.decode()
    assert commitments.count("Overdue") >= 1
    assert "Fresh fruit at every till" in commitments
    kpis = charity.get(reverse("agreements:kpis", kwargs={"pk": pk})).content.decode()
    assert "Off track" in kpis
    assert "On track" in kpis
    decided, waiting = Decision.objects.filter(agreement=agreement).order_by("pk")
    assert decided.outcome.startswith("Meadowgate installs a water fountain")
    assert waiting.decided_at is None
    assert waiting.votes.count() == 1  # Bright Start said yes; Meadowgate has not voted yet
    decisions = charity.get(reverse("agreements:decisions", kwargs={"pk": pk})).content.decode()
    assert "Extend healthy checkouts to all 40 stores" in decisions
    assert "Pending" in decisions

    sent = agreement_reminders_send()
    overdue = [m for m in mail.outbox if m.subject.endswith(f"due on {_due(agreement)}")]
    assert sorted(m.to[0] for m in overdue) == ["demo-meadowgate@example.org", "demo@example.org"]
    assert sent["commitments"] == 2


def _due(agreement: Agreement) -> str:
    """The due date of the demo's overdue commitment (the fruit at the tills)."""
    return next(c["due"] for c in agreement.document["what"]["commitments"] if c["id"] == "till-fruit")
