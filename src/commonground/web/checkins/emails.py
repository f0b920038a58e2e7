"""The check-in emails, each sent once per person through the ``Notification`` log.

- a check-in opened: every person (any role) of every active partner organisation;
- a check-in closes soon: once, to those of them who have not answered yet.

Recipients are chosen as for the agreement's emails (``agreements.notifications.organisation_people``):
a verified address, an active account, an active partner organisation, and not unsubscribed from
the reminders group. The log row is inserted under a unique constraint before the email is queued
(sent on commit), so two senders racing on one email send it once.
"""

from __future__ import annotations

from collections.abc import Iterable

from commonground.core.alignment.items import item_set
from commonground.web.access import Action
from commonground.web.accounts.models import MailGroup
from commonground.web.agreements.notifications import (
    Recipient,
    link,
    logged_once,
    mail_once,
    organisation_people,
)
from commonground.web.checkins.models import Checkin, Notification, NotificationKind, Response
from commonground.web.partnerships.models import MemberState

GROUP = MailGroup.REMINDERS


def _people(checkin: Checkin) -> list[Recipient]:
    organisations = checkin.partnership.members.filter(state=MemberState.ACTIVE).values_list(
        "organisation_id", flat=True
    )
    return organisation_people(checkin.partnership, organisations, action=Action.VIEW, group=GROUP)


def _send_once(
    checkin: Checkin, kind: NotificationKind, recipients: Iterable[Recipient], *, subject: str, body: str
) -> int:
    """Log and queue one email per recipient not yet logged for (check-in, kind); how many were queued."""

    def claim(recipient: Recipient) -> bool:
        return logged_once(
            Notification,
            checkin=checkin,
            kind=kind,
            recipient=recipient.user,
            defaults={"email": recipient.email},
        )

    return mail_once(
        recipients=recipients, claim=claim, partnership=checkin.partnership.name, group=GROUP,
        subject=subject, body=body,
        url=link("checkins:answer", pk=checkin.partnership_id, checkin_id=checkin.pk),
    )  # fmt: skip


def _about(checkin: Checkin) -> str:
    asked = item_set(checkin.item_set)
    return (
        f"The {asked.title.lower()} ({len(asked.items)} short statements, 1 to 5) is open until "
        f"{checkin.closes_on.isoformat()}. Your answers are anonymous: results show only groups of at "
        "least 5 people, comments only groups of at least 10, and nobody sees what you answered."
    )


def checkin_opened(checkin: Checkin) -> int:
    """Invite every person of every active partner to answer a check-in that just opened."""
    return _send_once(
        checkin,
        NotificationKind.INVITATION,
        _people(checkin),
        subject=f"Check-in open until {checkin.closes_on.isoformat()}: how is the partnership going?",
        body=_about(checkin),
    )


def checkin_closing(checkin: Checkin) -> int:
    """Remind, once, those invited who have not answered that the check-in closes soon."""
    answered = set(Response.objects.filter(checkin=checkin).values_list("user_id", flat=True))
    waiting = [person for person in _people(checkin) if person.user.pk not in answered]
    return _send_once(
        checkin,
        NotificationKind.REMINDER,
        waiting,
        subject=f"Check-in closes on {checkin.closes_on.isoformat()}: a few minutes of your view",
        body=_about(checkin),
    )
