"""Writes that send the agreement's reminders: the daily job, and a member asking partners to sign.

The daily job (``manage send_agreement_reminders``) goes through every agreement of an active
partnership, one transaction each, and sends what is due on that day:

- a commitment due soon (within ``core.agreement.commitments.DUE_SOON_DAYS`` days) and, later,
  overdue: once per state and due date, to the owing partner's members;
- a KPI reading due (``core.agreement.reminders``): once per due date, to the reporting partner's
  members;
- a proposal whose voting closed without an outcome statement: once, to everyone in the partnership.

Commitments and readings are reminded of only once every active partner has signed some version of
the agreement: until then its terms are a draft nobody has agreed to. Each email goes through the
notification log (``notifications.notify``), so running the job twice, even at the same time, sends
each email once.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from commonground.core.agreement.commitments import CommitmentStatus, commitment_results
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.reminders import reading_due
from commonground.web.accounts.typing import User
from commonground.web.agreements import emails
from commonground.web.agreements.models import Agreement, Signature, SignoffRequest
from commonground.web.agreements.notifications import active_partner_organisations
from commonground.web.agreements.selectors import agreement_in_force, decisions_with_votes
from commonground.web.agreements.services import AgreementError
from commonground.web.partnerships.models import PartnershipStatus
from commonground.web.partnerships.selectors import PartnershipAccess

REMINDED = (CommitmentStatus.DUE_SOON, CommitmentStatus.OVERDUE)


def _agreed_once(agreement: Agreement) -> bool:
    """Whether every active partner has signed one same version (any, not only the one in force)."""
    partners = len(active_partner_organisations(agreement, agreement.partner_organisations))
    return (
        partners > 0
        and Signature.objects.filter(agreement=agreement, organisation__isnull=False)
        .values("version")
        .annotate(partners=Count("organisation", distinct=True))
        .filter(partners__gte=partners)
        .exists()
    )


def _agreement_reminders(agreement: Agreement, *, today: datetime.date) -> Counter[str]:
    """Send what one agreement has due on ``today`` (inside the caller's transaction)."""
    sent: Counter[str] = Counter()
    rows = decisions_with_votes(agreement)
    terms = agreement_in_force(agreement)
    for decision in rows.filter(decided_at__isnull=True, closes__lt=today):
        sent["decisions"] += emails.decision_closed(agreement, terms, decision, today=today)
    if not _agreed_once(agreement):
        return sent
    for result in commitment_results(terms, today=today):
        if result.status in REMINDED:
            sent["commitments"] += emails.commitment_reminder(
                agreement, terms, result.commitment, result.status, today=today
            )
    for kpi in terms.what.kpis:
        due = reading_due(kpi, today=today)
        if due is not None:
            sent["readings"] += emails.reading_due(agreement, terms, kpi, due)
    return sent


def agreement_reminders_send(*, today: datetime.date | None = None) -> Counter[str]:
    """Send every agreement's reminders due on ``today`` (default: today); returns how many emails of
    each kind ("commitments", "readings", "decisions") were sent. Safe to run twice, even at once."""
    today = today or timezone.localdate()
    sent: Counter[str] = Counter()
    ids = Agreement.objects.filter(partnership__status=PartnershipStatus.ACTIVE).values_list("pk", flat=True)
    for agreement_id in list(ids.order_by("pk")):
        with transaction.atomic():
            agreement = Agreement.objects.select_related("partnership").filter(pk=agreement_id).first()
            if agreement is not None:
                sent += _agreement_reminders(agreement, today=today)
    return sent


def signoff_request(*, access: PartnershipAccess, agreement: Agreement, user: User) -> int:
    """Ask the admins and owners of every partner that has not signed the version in force to sign it;
    a partner's member may, once a day per agreement. Returns how many emails were sent."""
    if access.facilitator or not access.can_edit:
        raise AgreementError("Only the partners' members ask the partners to sign.")
    today = timezone.localdate()
    with transaction.atomic():
        locked = (
            Agreement.objects.select_for_update()
            .select_related("partnership")
            .filter(pk=agreement.pk, partnership=access.partnership)
            .first()
        )
        if locked is None:
            raise AgreementError("This agreement no longer exists.")
        partners = set(active_partner_organisations(locked, locked.partner_organisations))
        signed = set(
            Signature.objects.filter(agreement=locked, version=locked.version).values_list(
                "organisation_id", flat=True
            )
        )
        if partners <= signed:
            raise AgreementError(f"Every partner has signed version {locked.version}: no one is left to ask.")
        earlier = SignoffRequest.objects.filter(agreement=locked, day=today).first()
        if earlier is None:
            try:
                with transaction.atomic():
                    SignoffRequest.objects.create(
                        agreement=locked, day=today, version=locked.version, requested_by=user,
                        requested_by_name=user.get_username(),
                    )  # fmt: skip
            except IntegrityError:  # someone asked at the same moment
                earlier = SignoffRequest.objects.filter(agreement=locked, day=today).first()
        if earlier is not None:
            raise AgreementError(
                f"{earlier.requested_by_name} asked the partners to sign today already: ask again tomorrow."
            )
        terms = AgreementDocument.model_validate(locked.document)
        return emails.signoff_wanted(
            locked, terms, period=f"v{locked.version}:asked:{today.isoformat()}",
            why=f"{user.get_username()} asks every partner of {locked.partnership.name} that has not signed "
            f"version {locked.version} of the agreement yet to sign it.",
        )  # fmt: skip
