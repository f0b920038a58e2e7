"""The agreement's emails: who gets each one, and the log that sends each one once.

Each email is about one thing (a decision, a commitment, a KPI, the agreement's sign-off) in one state
or period, to one person. ``notify`` first inserts a ``Notification`` row for it under a unique
constraint and only then queues the email, sent once the transaction commits: of two senders racing
on the same email (the daily job started twice, two requests) exactly one inserts the row and sends;
a rolled-back write sends nothing and leaves no row.

Recipients are people with a *verified* address (anyone can type an unverified one), active
accounts, members of a partner organisation that is still active in the partnership, and not
unsubscribed from the email's group (``accounts.MailPreference``). Each email carries a one-click
unsubscribe link for its group. Links use ``settings.SITE_URL`` (emails are also sent by the daily job,
outside any request).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse

from commonground.web.access import Action, roles_allowing
from commonground.web.accounts.models import MailGroup
from commonground.web.accounts.selectors import mail_refused_by
from commonground.web.accounts.services import unsubscribe_token
from commonground.web.accounts.typing import User
from commonground.web.agreements.models import Agreement, Notification, NotificationKind
from commonground.web.mail import Mail, mail_is_muted, mails_on_commit, quoted
from commonground.web.organisations.models import Membership
from commonground.web.partnerships.models import Facilitator, FacilitatorState, MemberState, Partnership

GROUPS = {
    NotificationKind.DECISION_OPENED: MailGroup.DECISIONS,
    NotificationKind.DECISION_CLOSED: MailGroup.DECISIONS,
    NotificationKind.DECISION_DECIDED: MailGroup.DECISIONS,
    NotificationKind.COMMITMENT: MailGroup.REMINDERS,
    NotificationKind.SIGNOFF: MailGroup.REMINDERS,
    NotificationKind.READING_DUE: MailGroup.REMINDERS,
}
# Why each person gets the email, said at its foot.
REASONS = {
    Action.MANAGE: "you are an admin or owner of {names}, which takes part in it",
    Action.EDIT: "you are a member of {names}, which takes part in it",
    Action.VIEW: "you belong to {names}, which takes part in it",
}


@dataclass(frozen=True)
class Recipient:
    """A person to email, at their verified address, and why they get it."""

    user: User
    email: str
    reason: str


def link(name: str, **kwargs: object) -> str:
    """An absolute link to one of the site's pages, for an email."""
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _verified(user: User) -> str | None:
    """The account's address when it is the one its owner proved, else None."""
    record = getattr(user, "email_verification", None)
    email = (user.email or "").strip().lower()
    if record is None or record.email_verified_at is None or not email:
        return None
    return email if record.email.strip().lower() == email else None


def active_partner_organisations(agreement: Agreement, partner_ids: Iterable[str]) -> list[int]:
    """The organisations behind these partner ids that are still active partners."""
    wanted = {
        int(org_id)
        for partner_id, org_id in agreement.partner_organisations.items()
        if partner_id in partner_ids
    }
    return list(
        agreement.partnership.members.filter(
            organisation_id__in=wanted, state=MemberState.ACTIVE
        ).values_list("organisation_id", flat=True)
    )


def partner_people(
    agreement: Agreement, partner_ids: Iterable[str], *, action: Action, group: MailGroup,
    facilitators: bool = False,
) -> list[Recipient]:  # fmt: skip
    """The people of these partners whose role allows ``action``, with a verified address and not
    unsubscribed from ``group`` (two or three queries); ``facilitators``: the partnership's too."""
    return organisation_people(
        agreement.partnership, active_partner_organisations(agreement, partner_ids), action=action,
        group=group, facilitators=facilitators,
    )  # fmt: skip


def organisation_people(
    partnership: Partnership, organisation_ids: Iterable[int], *, action: Action, group: MailGroup,
    facilitators: bool = False,
) -> list[Recipient]:  # fmt: skip
    """The people of these organisations whose role allows ``action``, with a verified address and not
    unsubscribed from ``group`` (two or three queries); ``facilitators``: the partnership's too."""
    rows = (
        Membership.objects.filter(
            organisation_id__in=list(organisation_ids),
            role__in=roles_allowing(action),
            user__is_active=True,
            user__email_verification__email_verified_at__isnull=False,
        )
        .select_related("user__email_verification", "organisation")
        .order_by("organisation__name", "user_id")
    )
    people: dict[int, tuple[User, list[str]]] = {}
    for membership in rows:
        people.setdefault(membership.user_id, (membership.user, []))[1].append(membership.organisation.name)
    found = {
        user.pk: (user, REASONS[action].format(names=" and ".join(names))) for user, names in people.values()
    }
    if facilitators:
        for facilitator in Facilitator.objects.filter(
            partnership=partnership, state=FacilitatorState.ACTIVE, user__is_active=True
        ).select_related("user__email_verification"):
            found.setdefault(facilitator.user_id, (facilitator.user, "you facilitate it"))
    refused = mail_refused_by(found, group)
    recipients = []
    for user_id, (user, reason) in sorted(found.items()):
        email = _verified(user)
        if email and user_id not in refused:
            recipients.append(Recipient(user, email, reason))
    return recipients


def notice_mail(
    recipient: Recipient, *, partnership: str, group: MailGroup, subject: str, body: str, url: str
) -> Mail:
    """One notice email to one recipient: the body, the link, why they get it and how to stop it."""
    message = render_to_string(
        "agreements/email/notice.txt",
        {
            "body": body,
            "url": url,
            "partnership": quoted(partnership),
            "reason": recipient.reason,
            "group": group,
            "unsubscribe": link(
                "accounts:unsubscribe", token=unsubscribe_token(user=recipient.user, group=group)
            ),
            "settings_url": link("accounts:account"),
        },
    )
    # The partnership's name is typed by its partners: shown as data, so the only link is the site's.
    return Mail(to=recipient.email, subject=f"{quoted(partnership)}: {subject}", message=message)


def logged_once(model: type[Model], *, defaults: dict[str, Any], **key: Any) -> bool:
    """Log a notice in ``model`` under ``key``; False when it was already logged, by us or by another
    sender between our look and our insert (the table's unique key decides)."""
    try:
        with transaction.atomic():
            _, created = model._default_manager.get_or_create(defaults=defaults, **key)
    except IntegrityError:
        return False
    return bool(created)


def mail_once(
    *, recipients: Iterable[Recipient], claim: Callable[[Recipient], bool], partnership: str,
    group: MailGroup, subject: str, body: str, url: str,
) -> int:  # fmt: skip
    """Queue the notice to each recipient whose ``claim`` (logging it) succeeds, to send on commit;
    how many were queued. Nothing is logged or sent while mail is muted (the daily jobs send later)."""
    if mail_is_muted():
        return 0
    mails = [
        notice_mail(recipient, partnership=partnership, group=group, subject=subject, body=body, url=url)
        for recipient in recipients
        if claim(recipient)
    ]
    mails_on_commit(mails)
    return len(mails)


def notify(
    *, agreement: Agreement, kind: NotificationKind, key: str, period: str, recipients: Iterable[Recipient],
    subject: str, body: str, url: str,
) -> int:  # fmt: skip
    """Email each recipient once about (``kind``, ``key``, ``period``): log, then send on commit; those
    already logged for it get nothing. Returns how many emails were queued. Call inside the write's
    transaction, so a refused write sends nothing."""

    def claim(recipient: Recipient) -> bool:
        return logged_once(
            Notification, agreement=agreement, kind=kind, key=key[:64], period=period[:64],
            recipient=recipient.user, defaults={"email": recipient.email},
        )  # fmt: skip

    return mail_once(
        recipients=recipients, claim=claim, partnership=agreement.partnership.name, group=GROUPS[kind],
        subject=subject, body=body, url=url,
    )  # fmt: skip
