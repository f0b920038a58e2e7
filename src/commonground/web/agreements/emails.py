"""One function per agreement email: what it says and to whom (sent once each through ``notify``).

- a proposal opened: the other partners' representatives (admins and owners), who vote;
- a proposal closed (the rule decided it: everyone voted, or voting closed) and its outcome recorded:
  everyone in the partnership (every partner's people and the facilitators);
- sign-off wanted: the admins and owners of each partner that has not signed the version in force;
- a commitment due soon, then overdue: the owing partner's members (once per state and due date);
- a KPI reading due: the reporting partner's members (once per due date).

Each is called inside the transaction of the write (or the daily job's step) that caused it.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from commonground.core.agreement.commitments import CommitmentStatus
from commonground.core.agreement.decisions import DecisionResult, Outcome, decide
from commonground.core.agreement.how import Decision as DecisionTerms
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.reminders import FREQUENCY_WORDS, ReadingDue
from commonground.core.agreement.what import Commitment, Kpi
from commonground.core.wording import possessive
from commonground.web.access import Action
from commonground.web.accounts.models import MailGroup
from commonground.web.agreements.models import Agreement, Decision, NotificationKind, Signature
from commonground.web.agreements.notifications import Recipient, link, notify, partner_people
from commonground.web.agreements.record_services import commitment_parties, kpi_reporters
from commonground.web.agreements.selectors import decision_json

OUTCOME_WORDS = {
    Outcome.PASSED: "passed",
    Outcome.FAILED: "did not pass",
    Outcome.NO_QUORUM: "did not reach its quorum",
    Outcome.PENDING: "is still open",
}


def decision_result(terms: AgreementDocument, decision: Decision, *, today: datetime.date) -> DecisionResult:
    """Where a decision row stands under its rule on ``today``."""
    return decide(
        DecisionTerms.model_validate(decision_json(decision)), index=0, partners=terms.partner_ids(),
        default_rule=terms.how.decisions.rule, today=today,
    )  # fmt: skip


def decision_opened(agreement: Agreement, terms: AgreementDocument, decision: Decision) -> int:
    """Ask the other partners' representatives to vote on a new proposal."""
    proposer = terms.partner_name(decision.proposed_by)
    others = [p for p in terms.partner_ids() if p != decision.proposed_by]
    closes = decision.closes.isoformat() if decision.closes else "no closing date"
    body = (
        f"{proposer} proposes: {decision.title}\n\n"
        + (f"{decision.proposal}\n\n" if decision.proposal else "")
        + f"Voting closes on {closes}. As a representative of your organisation, give its position "
        "(yes, no, abstain, or an objection with its reason) on the decision's page."
    )
    return notify(
        agreement=agreement, kind=NotificationKind.DECISION_OPENED, key=decision.slug, period="opened",
        recipients=partner_people(agreement, others, action=Action.MANAGE, group=MailGroup.DECISIONS),
        subject=f"{proposer} proposes “{decision.title}”: your vote",
        body=body, url=_decision_link(agreement, decision),
    )  # fmt: skip


def decision_closed(
    agreement: Agreement, terms: AgreementDocument, decision: Decision, *, today: datetime.date | None = None
) -> int:
    """Tell everyone in the partnership how the rule decided a proposal on ``today`` (default: today),
    once it has (nothing while it is open)."""
    result = decision_result(terms, decision, today=today or timezone.localdate())
    if result.outcome is Outcome.PENDING:
        return 0
    words = OUTCOME_WORDS[result.outcome]
    body = (
        f"The proposal “{decision.title}” {words} under the partnership's rule "
        f"({len(result.taking_part)} of {len(terms.partner_ids())} partners took part). "
        f"{result.standing.reason}\n\n"
        "A partner's member now records the outcome statement, with a date to review it, on the "
        "decision's page: it goes into the decision log."
    )
    return notify(
        agreement=agreement, kind=NotificationKind.DECISION_CLOSED, key=decision.slug, period="closed",
        recipients=_everyone(agreement, terms), subject=f"“{decision.title}” {words}", body=body,
        url=_decision_link(agreement, decision),
    )  # fmt: skip


def decision_decided(agreement: Agreement, terms: AgreementDocument, decision: Decision) -> int:
    """Tell everyone in the partnership the outcome statement recorded for a proposal."""
    review = f"\n\nIt is reviewed on {decision.review_date.isoformat()}." if decision.review_date else ""
    body = (
        f"{decision.decided_by_name} recorded the outcome of “{decision.title}” in the decision log:\n\n"
        f"{decision.outcome}{review}"
    )
    return notify(
        agreement=agreement, kind=NotificationKind.DECISION_DECIDED, key=decision.slug, period="decided",
        recipients=_everyone(agreement, terms), subject=f"Decided: “{decision.title}”", body=body,
        url=_decision_link(agreement, decision),
    )  # fmt: skip


def signoff_wanted(agreement: Agreement, terms: AgreementDocument, *, period: str, why: str) -> int:
    """Ask the admins and owners of each partner that has not signed the version in force to sign it."""
    signed = set(
        Signature.objects.filter(agreement=agreement, version=agreement.version).values_list(
            "organisation_id", flat=True
        )
    )
    unsigned = [p for p, org in agreement.partner_organisations.items() if int(org) not in signed]
    body = (
        f"{why}\n\nRead version {agreement.version} of the agreement and, if your organisation agrees, "
        "sign it for your organisation on the agreement page (its admins and owners sign)."
    )
    return notify(
        agreement=agreement, kind=NotificationKind.SIGNOFF, key="agreement", period=period,
        recipients=partner_people(agreement, unsigned, action=Action.MANAGE, group=MailGroup.REMINDERS),
        subject=f"Please sign version {agreement.version} of the agreement", body=body,
        url=link("agreements:detail", pk=agreement.partnership_id),
    )  # fmt: skip


def commitment_reminder(
    agreement: Agreement, terms: AgreementDocument, commitment: Commitment, status: CommitmentStatus,
    *, today: datetime.date,
) -> int:  # fmt: skip
    """Remind the owing partner's members of a commitment due soon or overdue (once per state)."""
    by, due = terms.partner_name(commitment.by), commitment.due.isoformat()
    to = "the partnership" if commitment.to == "partnership" else terms.partner_name(commitment.to)
    days = abs((commitment.due - today).days)
    if status is CommitmentStatus.OVERDUE:
        subject = f"Overdue: {possessive(by)} commitment due on {due}"
        when = f"was due on {due}, {days} day{'s' if days != 1 else ''} ago, and is not recorded as met"
    else:
        subject = f"Due on {due}: {possessive(by)} commitment"
        when = f"is due on {due}, in {days} day{'s' if days != 1 else ''}"
    parties = " or ".join(terms.partner_name(p) for p in commitment_parties(terms, commitment))
    body = (
        f"{possessive(by)} commitment to {to} {when}:\n\n{commitment.description}\n\n"
        f"Record what was delivered on the Commitments page (the members of {parties} may), or talk "
        "with your partners about a new date."
    )
    return notify(
        agreement=agreement, kind=NotificationKind.COMMITMENT, key=commitment.id, period=f"{status}:{due}",
        recipients=partner_people(agreement, [commitment.by], action=Action.EDIT, group=MailGroup.REMINDERS),
        subject=subject, body=body, url=link("agreements:commitments", pk=agreement.partnership_id),
    )  # fmt: skip


def reading_due(agreement: Agreement, terms: AgreementDocument, kpi: Kpi, reading: ReadingDue) -> int:
    """Remind the reporting partner's members that a KPI reading is due (once per due date)."""
    reporters = kpi_reporters(terms, kpi)
    since = "the last reading" if any(m.date == reading.last for m in kpi.measurements) else "the baseline"
    body = (
        f"A reading of “{kpi.name}” ({kpi.unit}) was due on {reading.due.isoformat()}: the agreement asks "
        f"for one {FREQUENCY_WORDS[kpi.frequency]}, and {since} is dated {reading.last.isoformat()}.\n\n"
        "Enter it on the KPI's page (its reporting partner's members may)."
    )
    return notify(
        agreement=agreement, kind=NotificationKind.READING_DUE, key=kpi.id, period=reading.due.isoformat(),
        recipients=partner_people(agreement, reporters, action=Action.EDIT, group=MailGroup.REMINDERS),
        subject=f"A reading of “{kpi.name}” is due", body=body,
        url=link("agreements:kpi", pk=agreement.partnership_id, kpi_id=kpi.id),
    )  # fmt: skip


def _everyone(agreement: Agreement, terms: AgreementDocument) -> list[Recipient]:
    return partner_people(
        agreement, terms.partner_ids(), action=Action.VIEW, group=MailGroup.DECISIONS, facilitators=True
    )


def _decision_link(agreement: Agreement, decision: Decision) -> str:
    return link("agreements:decision", pk=agreement.partnership_id, decision_id=decision.slug)
