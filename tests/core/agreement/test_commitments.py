"""Commitment status on a day, delivered value, per-partner totals and the overdue-first order."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from commonground.core.agreement.commitments import (
    DUE_SOON_DAYS,
    CommitmentStatus,
    by_urgency,
    commitment_results,
    commitment_status,
    commitments_part,
    partner_totals,
)
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.what import Commitment

DAY = datetime.date(2026, 6, 1)


def commitment(**fields: Any) -> Commitment:
    """A money commitment by the mill with the fields given."""
    base = {
        "id": "c",
        "by": "mill",
        "kind": "money",
        "description": "Fund kits",
        "value": 1000,
        "due": "2026-06-15",
    }
    return Commitment.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"due": "2026-05-31"}, CommitmentStatus.OVERDUE),
        ({"due": "2026-06-01"}, CommitmentStatus.DUE_SOON),  # due today is not late yet
        ({"due": (DAY + datetime.timedelta(days=DUE_SOON_DAYS)).isoformat()}, CommitmentStatus.DUE_SOON),
        ({"due": (DAY + datetime.timedelta(days=DUE_SOON_DAYS + 1)).isoformat()}, CommitmentStatus.ON_TIME),
        ({"due": "2026-01-01", "met": True}, CommitmentStatus.MET),
        (
            {
                "due": "2026-01-01",
                "fulfilment": [{"date": "2026-01-01", "value": 600}, {"date": "2026-02-01", "value": 400}],
            },
            CommitmentStatus.MET,
        ),
        (
            {"due": "2026-01-01", "fulfilment": [{"date": "2026-01-01", "value": 600}]},
            CommitmentStatus.OVERDUE,
        ),
    ],
)
def test_status_on_a_day(fields: dict[str, Any], status: CommitmentStatus) -> None:
    assert commitment_status(commitment(**fields), today=DAY) is status


def test_the_due_soon_window_is_a_parameter() -> None:
    c = commitment(due="2026-06-20")
    assert commitment_status(c, today=DAY, due_soon_days=7) is CommitmentStatus.ON_TIME


def _agreement(make_agreement: Callable[..., Agreement]) -> Agreement:
    return make_agreement(
        what={
            "commitments": [
                {
                    "id": "c1",
                    "by": "mill",
                    "kind": "money",
                    "description": "Kits",
                    "value": 2000,
                    "due": "2026-09-01",
                },
                {
                    "id": "c2",
                    "by": "river",
                    "kind": "staff_time",
                    "description": "Days",
                    "value": 500,
                    "due": "2026-03-01",
                    "fulfilment": [{"date": "2026-02-01", "value": 200}],
                },
                {
                    "id": "c3",
                    "by": "town",
                    "kind": "in_kind",
                    "description": "Hall",
                    "value": 300,
                    "due": "2026-01-01",
                    "met": True,
                    "fulfilment": [{"date": "2026-01-01", "value": 100}],
                },
                {
                    "id": "c4",
                    "by": "river",
                    "kind": "deliverable",
                    "description": "Report",
                    "due": "2026-06-10",
                },
                {"id": "c5", "by": "mill", "kind": "money", "description": "Boat", "due": "2026-02-01"},
            ]
        }
    )


def test_overdue_first_then_due_soon_on_time_and_met(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    order = [r.commitment.id for r in by_urgency(commitment_results(_agreement(make_agreement), today=today))]
    assert order == ["c5", "c2", "c4", "c1", "c3"]


def test_per_partner_totals_in_money(make_agreement: Callable[..., Agreement], today: datetime.date) -> None:
    agreement = _agreement(make_agreement)
    river, mill, town = partner_totals(agreement, commitment_results(agreement, today=today))
    assert (river.committed, river.delivered, river.overdue, river.due_soon) == (500, 200, 1, 1)
    assert (mill.committed, mill.delivered, mill.count) == (2000, 0, 2)
    assert (town.delivered, town.met) == (300, 1)  # marked met: the full value, not the 100 recorded


def test_the_part_names_overdue_commitments_and_money_without_an_amount(
    make_agreement: Callable[..., Agreement], today: datetime.date
) -> None:
    part = commitments_part(_agreement(make_agreement), today=today)
    found = {(f.code, f.path) for f in part.findings}
    assert ("commitments.overdue", "what.commitments[1]") in found
    assert ("commitments.money_without_value", "what.commitments[4].value") in found
    overdue = next(f for f in part.findings if f.path == "what.commitments[1]")
    assert "River Trust's commitment" in overdue.message
    assert "92 days ago" in overdue.message
    assert part.tables[0].rows[0][-1] == "overdue"
    assert part.figures["partners"][0]["delivered"] == 200
