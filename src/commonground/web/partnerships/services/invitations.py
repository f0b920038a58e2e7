"""Writes of emailed invitations to a partnership: send one to an address, withdraw it, accept or decline it.

An invitation goes by email to the address typed, whoever it is. Sending never looks the address up
(no account, no organisation), so the inviter learns nothing about it: the same message, page and work
whether or not the address has an account. Only a SHA-256 of the emailed token is stored; the link
works once, until the invitation is answered, withdrawn or expired (``PARTNERSHIP_INVITATION_VALID_DAYS``).

Who may accept: only an account whose email address is the invited one. Holding the link proves the
mailbox, so accepting through it also verifies that account's address (unless another account verified
it first); an account whose address is verified already may answer from its own list, without the link.
A partner invitation's invitee then picks which organisation they administer joins, or creates one. The
link alone may decline (for someone who wants no account). The inviter is emailed on either answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from commonground.core.profiles import Profile
from commonground.web.access import Action, role_allows
from commonground.web.accounts.selectors import email_is_verified
from commonground.web.accounts.services import AccountError, email_prove
from commonground.web.accounts.typing import User
from commonground.web.mail import defanged, mail_on_commit, quoted
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.organisations.services import organisation_create
from commonground.web.partnerships.models import (
    InvitationKind,
    InvitationState,
    Partnership,
    PartnershipInvitation,
    PartnershipStatus,
)
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations
from commonground.web.partnerships.services.errors import PartnershipError
from commonground.web.partnerships.services.facilitators import facilitator_join
from commonground.web.partnerships.services.history import shared_material_record
from commonground.web.partnerships.services.members import member_join
from commonground.web.partnerships.services.partnership import partnership_touch
from commonground.web.throttles import INVITATION_PER_ACCOUNT, INVITATION_PER_ADDRESS, throttle_take

# Sending again to the same address: not more often than this, so the form cannot flood an inbox.
RESEND_INTERVAL = timedelta(minutes=2)
# Invitations one partnership may send in 24 hours (each is an email to an address someone typed).
DAILY_LIMIT = 50
# How much of the partnership's description the invitation email quotes.
DESCRIPTION_IN_EMAIL = 500

_NOT_PENDING = {
    InvitationState.ACCEPTED: "This invitation has already been accepted.",
    InvitationState.DECLINED: "This invitation was declined.",
    InvitationState.REVOKED: "This invitation was withdrawn.",
    InvitationState.EXPIRED: "This invitation has expired: ask for a new one.",
}


def _inviting_organisation(access: PartnershipAccess, organisation_id: int | None) -> Organisation:
    """The partner organisation the invitation is sent on behalf of: one the user administers."""
    managed = [pk for pk, role in access.org_roles if role_allows(role, Action.MANAGE)]
    if organisation_id is not None and organisation_id not in managed:
        raise PartnershipError("Choose one of the partner organisations you administer.")
    if not managed:
        raise PartnershipError("Only an admin of a partner organisation can invite.")
    chosen = organisation_id if organisation_id is not None else managed[0]
    return Organisation.objects.get(pk=chosen)


def _open(partnership: Partnership) -> None:
    if partnership.status == PartnershipStatus.CLOSED:
        raise PartnershipError(f"{partnership.name} is closed: it takes no new partners or facilitators.")


def invitation_send(
    *,
    access: PartnershipAccess,
    kind: InvitationKind,
    email: str,
    link_for: Callable[[str], str],
    user: User,
    organisation_id: int | None = None,
) -> PartnershipInvitation:
    """Email an invitation to join as ``kind`` to ``email``, on behalf of a partner the user administers
    (``organisation_id``, else their first). A pending invitation to that address is sent again with a new
    link (the old one stops working)."""
    inviting = _inviting_organisation(access, organisation_id)
    email = email.strip().lower()
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    used_up = throttle_take((INVITATION_PER_ADDRESS, email), (INVITATION_PER_ACCOUNT, str(user.pk)))
    if used_up is not None:
        whom = email if used_up is INVITATION_PER_ADDRESS else "you"
        raise PartnershipError(
            f"Invitations to {whom} reached {used_up.count} in the last hour: try again later."
        )
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        _open(partnership)
        sent = PartnershipInvitation.objects.filter(
            partnership=partnership, sent_at__gt=now - timedelta(days=1)
        )
        if sent.count() >= DAILY_LIMIT:
            raise PartnershipError(
                f"This partnership has sent {DAILY_LIMIT} invitations in the last 24 hours: "
                "send more tomorrow."
            )
        invitation = (
            PartnershipInvitation.objects.filter(partnership=partnership, kind=kind, email=email)
            .filter(accepted_at=None, declined_at=None, revoked_at=None, expires_at__gt=now)
            .first()
        )
        if invitation is None:
            invitation = PartnershipInvitation(
                partnership=partnership, kind=kind, email=email, created_at=now
            )
        elif (wait := invitation.sent_at + RESEND_INTERVAL - now) > timedelta(0):
            raise PartnershipError(
                f"An invitation went to {email} moments ago: you can send it again in "
                f"{int(wait.total_seconds()) + 1} seconds."
            )
        invitation.token_hash = PartnershipInvitation.hash_token(token)
        invitation.inviting_organisation = inviting
        invitation.invited_by = user
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=settings.PARTNERSHIP_INVITATION_VALID_DAYS)
        invitation.save()
        _mail_invitation(invitation, link=link_for(token), user=user)
        partnership_touch(partnership, user=user)
        shared_material_record(
            partnership, user=user, comment=f"{inviting.name} invited {_whom(kind)} by email"
        )
    return invitation


def _whom(kind: str) -> str:
    return "a facilitator" if kind == InvitationKind.FACILITATOR else "a partner organisation"


def _mail_invitation(invitation: PartnershipInvitation, *, link: str, user: User) -> None:
    partnership = invitation.partnership
    inviting = invitation.inviting_organisation
    assert inviting is not None  # set by invitation_send just before
    facilitate = invitation.kind == InvitationKind.FACILITATOR
    # Every name and the description were typed by people: shown as data (quoted, addresses defanged),
    # so the only link in the mail is the site's own.
    context = {
        "invitation": invitation,
        "inviting_name": quoted(inviting.name),
        "inviter": quoted(user.get_full_name() or user.get_username()),
        "partnership_name": quoted(partnership.name),
        "description": defanged(partnership.description[:DESCRIPTION_IN_EMAIL]),
        "partners": [
            quoted(organisation.name) for organisation in active_organisations(partnership=partnership)
        ],
        "facilitate": facilitate,
        "link": link,
    }
    what = "to facilitate the partnership" if facilitate else "to the partnership"
    mail_on_commit(
        to=invitation.email,
        subject=f"{quoted(inviting.name)} invites you {what} {quoted(partnership.name)} on Common Ground",
        message=render_to_string("partnerships/invitations/email/invitation.txt", context),
    )


def invitation_revoke(
    *, access: PartnershipAccess, invitation: PartnershipInvitation, user: User
) -> PartnershipInvitation:
    """Withdraw a pending invitation of the partnership (any partner's admin): its link stops working."""
    with transaction.atomic():
        withdrawn = PartnershipInvitation.objects.filter(
            pk=invitation.pk,
            partnership=access.partnership,
            accepted_at=None,
            declined_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        ).update(revoked_at=timezone.now())
        if withdrawn != 1:
            raise PartnershipError(
                "This invitation is no longer pending: it was answered, withdrawn or expired."
            )
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"Withdrew an invitation of {_whom(invitation.kind)}"
        )
    invitation.refresh_from_db()
    return invitation


def invitation_accept(
    *,
    invitation: PartnershipInvitation,
    user: User,
    partnership_url: str,
    organisation_id: int | None = None,
    new_organisation: Profile | None = None,
) -> PartnershipInvitation:
    """Accept as ``user``, whose email address must be the invited one: as a facilitator, or for one of
    the organisations they administer (``organisation_id``) or a new one (``new_organisation``), which
    then joins. Its inviter is emailed (``partnership_url`` leads them to the partnership)."""
    with transaction.atomic():
        if (user.email or "").strip().lower() != invitation.email:
            raise PartnershipError(
                f"This invitation was sent to {invitation.email}, and you are signed in with "
                f"{user.email or 'no email address'}: only an account with that address can accept it."
            )
        if not email_is_verified(user=user):
            try:
                email_prove(user=user)  # the emailed link proves the mailbox
            except AccountError:
                raise PartnershipError(
                    f"{invitation.email} is the verified address of another account: sign in with that "
                    "account to accept."
                ) from None
        invitation = _claim(invitation, user=user, answer="accepted_at")
        if invitation.kind == InvitationKind.FACILITATOR:
            facilitator_join(invitation=invitation, user=user)
            joined = user.get_username()
        else:
            org_access = _joining(
                user=user, organisation_id=organisation_id, new_organisation=new_organisation
            )
            member_join(
                partnership=invitation.partnership, org_access=org_access, user=user, invitation=invitation
            )
            invitation.joined_organisation = org_access.organisation
            invitation.save(update_fields=["joined_organisation"])
            joined = org_access.organisation.name
        _notify_inviter(
            invitation,
            subject=f"{joined} accepted your invitation to “{invitation.partnership.name}”",
            template="accepted.txt",
            context={"joined": joined, "partnership_url": partnership_url},
        )
    return invitation


def _joining(*, user: User, organisation_id: int | None, new_organisation: Profile | None) -> OrgAccess:
    """The organisation that joins: a new one (``user`` becomes its owner) or one ``user`` belongs to."""
    if new_organisation is not None:
        organisation_id = organisation_create(user=user, profile=new_organisation).pk
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation_id=organisation_id)
        .first()
        if organisation_id is not None
        else None
    )
    if membership is None:
        raise PartnershipError("Choose which of your organisations joins, or create one.")
    return OrgAccess(organisation=membership.organisation, membership=membership)


def invitation_decline(
    *, invitation: PartnershipInvitation, user: User | None, partnership_url: str
) -> PartnershipInvitation:
    """Decline (``user`` None: through the link, without an account); the inviter is emailed."""
    with transaction.atomic():
        invitation = _claim(invitation, user=user, answer="declined_at")
        shared_material_record(
            invitation.partnership,
            user=user,
            comment=f"An invitation of {_whom(invitation.kind)} was declined",
        )
        _notify_inviter(
            invitation,
            subject=f"Your invitation to “{invitation.partnership.name}” was declined",
            template="declined.txt",
            context={"partnership_url": partnership_url},
        )
    return invitation


def _notify_inviter(
    invitation: PartnershipInvitation, *, subject: str, template: str, context: dict[str, Any]
) -> None:
    """Mail the person who sent the invitation, at their verified address (never themselves answering)."""
    inviter = invitation.invited_by
    if inviter is None or inviter.pk == invitation.answered_by_id or not email_is_verified(user=inviter):
        return
    mail_on_commit(
        to=inviter.email,
        subject=subject,
        message=render_to_string(
            f"partnerships/invitations/email/{template}",
            {"invitation": invitation, "partnership": invitation.partnership, **context},
        ),
    )


def _claim(invitation: PartnershipInvitation, *, user: User | None, answer: str) -> PartnershipInvitation:
    """Lock the invitation, check that it is pending, and mark it answered (``answer``: the date field to
    set) exactly once, even under concurrent clicks."""
    current = (
        PartnershipInvitation.objects.select_for_update(of=("self",))  # PostgreSQL cannot lock outer joins
        .select_related("partnership", "inviting_organisation", "invited_by")
        .get(pk=invitation.pk)
    )
    state = current.state
    if state != InvitationState.PENDING:
        raise PartnershipError(_NOT_PENDING[state])
    _open(current.partnership)
    now = timezone.now()
    fields: dict[str, Any] = {answer: now, "answered_by": user}
    claimed = PartnershipInvitation.objects.filter(
        pk=current.pk, accepted_at=None, declined_at=None, revoked_at=None
    ).update(**fields)
    if claimed != 1:
        raise PartnershipError(_NOT_PENDING[InvitationState.ACCEPTED])
    for name, value in fields.items():
        setattr(current, name, value)
    return current
