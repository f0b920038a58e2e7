"""The demo's conflict log: an issue escalated to mediation with the facilitator's private note, and
one resolved with its whole timeline; loaded without email, and the daily job then moves nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonground.web.conflicts.models import ConflictEntry, ConflictState, EventKind
from commonground.web.conflicts.services import conflicts_escalate_overdue
from commonground.web.demo import demo_load


@pytest.mark.django_db(transaction=True)  # the demo's writes commit, so any email would really go
def test_the_demo_log_holds_an_escalated_and_a_resolved_conflict(client_for: Callable[[Any], Client]) -> None:
    accounts = demo_load()
    assert accounts is not None
    assert "demo-facilitator" in [account.username for account in accounts]
    assert mail.outbox == []
    escalated = ConflictEntry.objects.get(title="Our name beside a sweets offer")
    resolved = ConflictEntry.objects.get(title="Voucher figures arrive late")
    assert (escalated.state, escalated.rung, escalated.rejected_count) == (
        ConflictState.ESCALATED,
        "mediation",
        2,
    )
    assert (resolved.state, resolved.rung) == (ConflictState.RESOLVED, "leads")
    assert [e.kind for e in resolved.events.all()] == [
        EventKind.RAISED, EventKind.ACKNOWLEDGED, EventKind.MESSAGE, EventKind.PROPOSED, EventKind.ACCEPTED
    ]  # fmt: skip
    assert conflicts_escalate_overdue() == 0  # nothing in the demo is overdue on the day it is loaded

    users = get_user_model().objects
    pk = escalated.partnership_id
    log = client_for(users.get(username="demo-bright-start")).get(
        reverse("conflicts:list", kwargs={"pk": pk})
    )
    page = log.content.decode()
    assert "Median time to acknowledge</dt><dd>1.5 days" in page  # one and two days
    assert "Median time to resolve</dt><dd>7.0 days" in page
    detail = reverse("conflicts:detail", kwargs={"pk": pk, "conflict_id": escalated.pk})
    facilitator_page = client_for(users.get(username="demo-facilitator")).get(detail).content.decode()
    assert "store managers earn a bonus" in facilitator_page
    for name in ("demo", "demo-bright-start", "demo-meadowgate"):
        page = client_for(users.get(username=name)).get(detail).content.decode()
        assert "Facilitated dialogue or mediation" in page
        assert "store managers earn a bonus" not in page
