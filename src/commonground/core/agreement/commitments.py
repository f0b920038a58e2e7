"""Commitments: who owes what to whom by when, and where each stands on a given day.

Status of a commitment on ``today``, in this order:

- **met** when it is marked met, or when its recorded fulfilment adds up to its value;
- **overdue** when its due date has passed;
- **due soon** when it falls due within the window (:data:`DUE_SOON_DAYS` days by default, our
  choice: about one monthly check-in ahead);
- **on time** otherwise.

Delivered value is the sum of the values recorded in its fulfilment; a commitment marked met
counts at its full value even where the recorded parts add up to less (``met`` means delivered in
full). Per partner we add up what it committed and what it delivered, in money, for the equity
figures and the commitments page.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from commonground.core.agreement.findings import CheckPart, Finding, Level, Table
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.what import Commitment, CommitmentKind
from commonground.core.agreement.wording import money_text
from commonground.core.wording import possessive

DUE_SOON_DAYS = 30


class CommitmentStatus(StrEnum):
    """Where a commitment stands."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"
    MET = "met"


STATUS_WORDS = {
    CommitmentStatus.OVERDUE: "overdue",
    CommitmentStatus.DUE_SOON: "due soon",
    CommitmentStatus.ON_TIME: "on time",
    CommitmentStatus.MET: "met",
}


@dataclasses.dataclass(frozen=True)
class CommitmentResult:
    """One commitment's status and delivered value on a day."""

    index: int  # position in what.commitments
    commitment: Commitment
    status: CommitmentStatus
    delivered: float  # in money; 0 when nothing with a value was recorded
    days_left: int  # negative when overdue


@dataclasses.dataclass(frozen=True)
class PartnerCommitments:
    """What one partner committed and delivered."""

    partner: str
    committed: float  # sum of the values its commitments state
    delivered: float
    count: int
    overdue: int
    due_soon: int
    met: int


def delivered_value(commitment: Commitment) -> float:
    """What has been delivered, in money: the recorded parts, or the full value once met."""
    recorded = sum(f.value for f in commitment.fulfilment if f.value is not None)
    if commitment.met and commitment.value is not None:
        return max(recorded, commitment.value)
    return recorded


def commitment_status(
    commitment: Commitment, *, today: datetime.date, due_soon_days: int = DUE_SOON_DAYS
) -> CommitmentStatus:
    """Met, overdue, due soon (within ``due_soon_days``) or on time on ``today``."""
    recorded = sum(f.value for f in commitment.fulfilment if f.value is not None)
    if commitment.met or (
        commitment.value is not None and commitment.value > 0 and recorded >= commitment.value
    ):
        return CommitmentStatus.MET
    if commitment.due < today:
        return CommitmentStatus.OVERDUE
    if (commitment.due - today).days <= due_soon_days:
        return CommitmentStatus.DUE_SOON
    return CommitmentStatus.ON_TIME


def commitment_results(
    agreement: Agreement, *, today: datetime.date, due_soon_days: int = DUE_SOON_DAYS
) -> tuple[CommitmentResult, ...]:
    """Every commitment's status on ``today``, in file order."""
    return tuple(
        CommitmentResult(
            index=i,
            commitment=c,
            status=commitment_status(c, today=today, due_soon_days=due_soon_days),
            delivered=delivered_value(c),
            days_left=(c.due - today).days,
        )
        for i, c in enumerate(agreement.what.commitments)
    )


_URGENCY = {
    CommitmentStatus.OVERDUE: 0,
    CommitmentStatus.DUE_SOON: 1,
    CommitmentStatus.ON_TIME: 2,
    CommitmentStatus.MET: 3,
}


def by_urgency(results: Iterable[CommitmentResult]) -> list[CommitmentResult]:
    """Overdue first (longest overdue first), then due soon, on time and met, each by due date."""
    return sorted(results, key=lambda r: (_URGENCY[r.status], r.commitment.due, r.index))


def partner_totals(
    agreement: Agreement, results: Iterable[CommitmentResult]
) -> tuple[PartnerCommitments, ...]:
    """Per partner (in partner order): committed and delivered money and counts by status."""
    listed = list(results)
    totals = []
    for partner in agreement.partner_ids():
        own = [r for r in listed if r.commitment.by == partner]
        totals.append(
            PartnerCommitments(
                partner=partner,
                committed=sum(r.commitment.value or 0.0 for r in own),
                delivered=sum(r.delivered for r in own),
                count=len(own),
                overdue=sum(1 for r in own if r.status is CommitmentStatus.OVERDUE),
                due_soon=sum(1 for r in own if r.status is CommitmentStatus.DUE_SOON),
                met=sum(1 for r in own if r.status is CommitmentStatus.MET),
            )
        )
    return tuple(totals)


def _to_words(agreement: Agreement, to: str) -> str:
    return "the partnership" if to == "partnership" else agreement.partner_name(to)


def _findings(agreement: Agreement, results: Iterable[CommitmentResult]) -> list[Finding]:
    found: list[Finding] = []
    for r in results:
        c, path = r.commitment, f"what.commitments[{r.index}]"
        who = agreement.partner_name(c.by)
        if r.status is CommitmentStatus.OVERDUE:
            days = -r.days_left
            found.append(
                Finding(
                    path,
                    Level.WARNING,
                    "commitments.overdue",
                    f"{possessive(who)} commitment to {_to_words(agreement, c.to)} (“{c.description}”) "
                    f"was due {c.due.isoformat()}, {days} day{'s' if days != 1 else ''} ago, and is not met.",
                )
            )
        elif r.status is CommitmentStatus.DUE_SOON:
            found.append(
                Finding(
                    path,
                    Level.INFO,
                    "commitments.due_soon",
                    f"{possessive(who)} commitment (“{c.description}”) is due {c.due.isoformat()}, "
                    f"in {r.days_left} days.",
                )
            )
        if c.kind is CommitmentKind.MONEY and c.value is None:
            found.append(
                Finding(
                    f"{path}.value",
                    Level.WARNING,
                    "commitments.money_without_value",
                    f"{who} commits money (“{c.description}”) without saying how much.",
                )
            )
    return found


def commitments_part(agreement: Agreement, *, today: datetime.date) -> CheckPart:
    """Commitments' status and per-partner totals as a check part."""
    results = commitment_results(agreement, today=today)
    totals = partner_totals(agreement, results)
    cur = agreement.currency
    ordered = by_urgency(results)
    table = Table(
        title="Commitments, overdue first",
        columns=("Who", "To", "What", "Kind", "Value", "Delivered", "Due", "Status"),
        rows=tuple(
            (
                agreement.partner_name(r.commitment.by),
                _to_words(agreement, r.commitment.to),
                r.commitment.description,
                r.commitment.kind.value.replace("_", " "),
                money_text(r.commitment.value, cur),
                money_text(r.delivered, cur),
                r.commitment.due.isoformat(),
                STATUS_WORDS[r.status],
            )
            for r in ordered
        ),
    )
    per_partner = Table(
        title="Commitments per partner",
        columns=("Partner", "Commitments", "Committed", "Delivered", "Overdue", "Due soon", "Met"),
        rows=tuple(
            (
                agreement.partner_name(t.partner),
                str(t.count),
                money_text(t.committed, cur),
                money_text(t.delivered, cur),
                str(t.overdue),
                str(t.due_soon),
                str(t.met),
            )
            for t in totals
        ),
    )
    figures: dict[str, Any] = {
        "due_soon_days": DUE_SOON_DAYS,
        "currency": cur,
        "commitments": [
            {
                "id": r.commitment.id,
                "by": r.commitment.by,
                "to": r.commitment.to,
                "kind": r.commitment.kind.value,
                "value": r.commitment.value,
                "delivered": r.delivered,
                "due": r.commitment.due.isoformat(),
                "status": r.status.value,
                "days_left": r.days_left,
            }
            for r in ordered
        ],
        "partners": [dataclasses.asdict(t) for t in totals],
    }
    return CheckPart(
        name="commitments",
        title="Commitments",
        findings=tuple(_findings(agreement, results)),
        tables=(table, per_partner) if results else (per_partner,),
        figures=figures,
    )
