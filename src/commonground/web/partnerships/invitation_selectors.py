"""Permission-scoped reads of emailed partnership invitations (``PartnershipInvitation``).

The inviting side (MANAGE in the partnership) lists and revokes the partnership's invitations. The
invited side reaches one invitation through its emailed token (the link is the key), or, signed in
with the *verified* address it was sent to, through its id. Anyone else gets 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from commonground.web.access import Action, Role, first_or_404, roles_allowing, signed_in_user
from commonground.web.accounts.selectors import email_is_verified
from commonground.web.accounts.typing import User
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import MemberState, PartnershipInvitation
from commonground.web.partnerships.selectors import PartnershipAccess

# The inviting side's list shows the newest invitations; older ones stay in the database.
LISTED_INVITATIONS = 50


def _invitations() -> QuerySet[PartnershipInvitation]:
    return PartnershipInvitation.objects.select_related(
        "partnership", "inviting_organisation", "invited_by", "joined_organisation"
    )


def invitation_by_token(*, token: str) -> PartnershipInvitation | None:
    """The invitation whose emailed token is ``token`` (in any state), else None."""
    return _invitations().filter(token_hash=PartnershipInvitation.hash_token(token)).first()


@dataclass(frozen=True)
class InvitationAccess:
    """An invitation sent to the signed-in user's verified address (the partnership stays hidden)."""

    invitation: PartnershipInvitation

    @property
    def role(self) -> Role:
        """Answering one's own invitation needs no organisation role (which organisation joins is checked
        when accepting)."""
        return Role.VIEWER

    def describe(self) -> str:
        """Label for the security log."""
        return f"partnership_invitation={self.invitation.pk}"


def _verified_address(user: User) -> str | None:
    email = (user.email or "").strip().lower()
    return email if email and email_is_verified(user=user) else None


def invitation_access(request: HttpRequest, lookup: dict[str, Any]) -> InvitationAccess:
    """Resolver for ``@scoped``: an invitation (``invite_id``, any state) sent to the user's verified
    address; Http404 for any other, so ids cannot be guessed."""
    email = _verified_address(signed_in_user(request))
    if email is None:
        raise Http404
    invitation = first_or_404(_invitations().filter(pk=int(lookup["invite_id"]), email=email))
    return InvitationAccess(invitation=invitation)


def invitation_list_for_user(*, user: User) -> list[PartnershipInvitation]:
    """Pending invitations sent to the user's verified address, newest first (two queries); none while the
    address is unverified (anyone can type someone else's)."""
    email = _verified_address(user)
    if email is None:
        return []
    invitations = _invitations().filter(
        email=email, accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True
    )
    return [invitation for invitation in invitations if invitation.is_pending]


def invitation_list(*, access: PartnershipAccess) -> list[PartnershipInvitation]:
    """The partnership's newest invitations in every state, for its admins (one query)."""
    return list(_invitations().filter(partnership=access.partnership)[:LISTED_INVITATIONS])


def invitation_get(*, access: PartnershipAccess, invite_id: int) -> PartnershipInvitation:
    """An invitation of the caller's partnership; 404 for another partnership's."""
    return first_or_404(_invitations().filter(pk=invite_id, partnership=access.partnership))


def joinable_organisations(*, user: User, invitation: PartnershipInvitation) -> list[Organisation]:
    """The organisations the user administers that are not active partners yet, by name (one query)."""
    active = invitation.partnership.members.filter(state=MemberState.ACTIVE).values("organisation_id")
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role__in=roles_allowing(Action.MANAGE)
        )
        .exclude(pk__in=active)
        .order_by("name", "pk")
    )
