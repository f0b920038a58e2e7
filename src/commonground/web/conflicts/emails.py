"""The conflict log's email: each escalation, once, to the partnership's admins and facilitators.

Sent inside the transaction that writes the escalation event (``mails_on_commit``), whose unique
``escalation_key`` lets each escalation happen once: a refused or repeated escalation sends nothing.
Only verified addresses of active accounts get it; it is not an optional group (an escalation asks
someone to act), so it carries no unsubscribe link.
"""

from __future__ import annotations

from django.db.models import F
from django.template.loader import render_to_string

from commonground.core.agreement.how import LadderStep
from commonground.core.alignment.escalation import RUNG_WORDS, Escalation
from commonground.web.access import Action, roles_allowing
from commonground.web.accounts.typing import User
from commonground.web.agreements.notifications import link
from commonground.web.conflicts.models import ConflictEntry
from commonground.web.mail import Mail, defanged, mails_on_commit, one_line, quoted
from commonground.web.organisations.models import Membership
from commonground.web.partnerships.models import Facilitator, FacilitatorState, MemberState


def escalation_recipients(entry: ConflictEntry) -> list[tuple[User, str]]:
    """(user, why they get it) for the admins and owners of the active partners and the active
    facilitators, with a verified address (two queries), by user id."""
    verified = {"user__is_active": True, "user__email_verification__email_verified_at__isnull": False}
    same_address = {"user__email_verification__email__iexact": F("user__email")}
    found: dict[int, tuple[User, str]] = {}
    admins = (
        Membership.objects.filter(
            organisation__partnership_memberships__partnership_id=entry.partnership_id,
            organisation__partnership_memberships__state=MemberState.ACTIVE,
            role__in=roles_allowing(Action.MANAGE), **verified, **same_address,
        )
        .select_related("user", "organisation")
        .order_by("user_id", "organisation__name")
    )  # fmt: skip
    for membership in admins:
        found.setdefault(
            membership.user_id, (membership.user, f"you are an admin of {membership.organisation.name}")
        )
    facilitators = Facilitator.objects.filter(
        partnership_id=entry.partnership_id, state=FacilitatorState.ACTIVE, **verified, **same_address
    ).select_related("user")
    for facilitator in facilitators:
        found.setdefault(facilitator.user_id, (facilitator.user, "you facilitate it"))
    return [found[user_id] for user_id in sorted(found)]


def escalation_mail(entry: ConflictEntry, escalation: Escalation, *, partnership_name: str) -> int:
    """Queue the escalation email to each recipient; returns how many."""
    to = escalation.to
    # Typed names and titles go out as data (one line, addresses defanged): the only link is ours.
    rung = RUNG_WORDS[LadderStep(to.step)].lower()
    subject = f"{quoted(partnership_name)}: {quoted(entry.title)} moves to {rung}"
    url = link("conflicts:detail", pk=entry.partnership_id, conflict_id=entry.pk)
    mails = []
    for user, why in escalation_recipients(entry):
        message = render_to_string(
            "conflicts/email/escalated.txt",
            {
                "title": quoted(entry.title), "raised_by": quoted(entry.raising_organisation_name),
                "entry": entry, "from_words": RUNG_WORDS[escalation.from_rung],
                "to_words": RUNG_WORDS[to.step],
                "reason": escalation.reason, "who": to.who or "", "days": to.days, "url": url,
                "partnership": quoted(partnership_name), "why": defanged(one_line(why)),
            },
        )  # fmt: skip
        mails.append(Mail(to=user.email, subject=subject, message=message))
    mails_on_commit(mails)
    return len(mails)
