"""Permission-scoped reads for organisations: everything a user reaches goes through a membership."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, QuerySet, Value, When
from reversion.models import Version

from commonground.web.access import Action, Role, RoleChecks, first_or_404
from commonground.web.accounts.selectors import email_is_verified
from commonground.web.accounts.typing import User
from commonground.web.organisations.models import Invitation, Membership, Organisation
from commonground.web.revisions import versions_newest_first


@dataclass(frozen=True)
class OrgAccess(RoleChecks):
    """An organisation reached through the signed-in user's membership."""

    organisation: Organisation
    membership: Membership

    @property
    def role(self) -> Role:
        """The user's role in the organisation."""
        return Role(self.membership.role)

    @property
    def can_own(self) -> bool:
        """Shortcut for templates."""
        return self.can(Action.OWN)

    @property
    def needs_mfa(self) -> bool:
        """Whether the user must use two-factor sign-in here: an owner, when the organisation asks it."""
        return self.role is Role.OWNER and self.organisation.owners_need_mfa

    def describe(self) -> str:
        """Label for the security log."""
        return f"organisation={self.organisation.slug}"


def organisation_access(*, user: User, slug: str) -> OrgAccess:
    """The organisation ``slug`` with the user's membership; 404 when the user is not a member."""
    membership = first_or_404(
        Membership.objects.select_related("organisation", "organisation__updated_by").filter(
            user=user, organisation__slug=slug
        )
    )
    return OrgAccess(organisation=membership.organisation, membership=membership)


def organisation_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The user's memberships with their organisations, by organisation name (one query)."""
    return Membership.objects.select_related("organisation").filter(user=user).order_by("organisation__name")


def organisation_named_for_user(*, user: User, name: str) -> Organisation | None:
    """One of the user's organisations called ``name`` (ignoring case), if any."""
    return (
        Organisation.objects.filter(memberships__user=user, name__iexact=name.strip()).order_by("pk").first()
    )


def organisation_nav_for_user(*, user: User) -> QuerySet[Membership, Any]:
    """The user's organisations as ``{"pk", "name", "slug", "location", "organisation__profile__kind"}``
    by name, for the navigation's menu (one lazy query; only what it prints, not the profile documents)."""
    return (
        Membership.objects.filter(user=user)
        .order_by("organisation__name", "organisation_id")
        # The kind by its lookup path: KT() does not follow a relation (Django 5.2 reads the foreign key).
        .values(
            "organisation__profile__kind",
            pk=F("organisation_id"),
            name=F("organisation__name"),
            slug=F("organisation__slug"),
            location=F("organisation__location"),
        )
    )


def membership_list(*, access: OrgAccess) -> QuerySet[Membership]:
    """Members of the organisation the caller reached, by role then username (one query)."""
    rank = Case(*(When(role=role.value, then=Value(role.rank)) for role in Role))
    return (
        Membership.objects.select_related("user")
        .filter(organisation=access.organisation)
        .annotate(role_rank=rank)
        .order_by("role_rank", "user__username")
    )


def membership_get(*, access: OrgAccess, membership_id: int) -> Membership:
    """A membership of the caller's organisation; 404 for one of another organisation."""
    return first_or_404(
        Membership.objects.select_related("user", "organisation").filter(
            pk=membership_id, organisation=access.organisation
        )
    )


def invitation_list_open(*, access: OrgAccess) -> list[Invitation]:
    """Open (unused, unrevoked, unexpired) invitations of the caller's organisation."""
    invitations = Invitation.objects.filter(
        organisation=access.organisation, used_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")
    return [invitation for invitation in invitations if invitation.is_open]


def invitation_get(*, access: OrgAccess, invitation_id: int) -> Invitation:
    """An invitation of the caller's organisation; 404 for another organisation's."""
    return first_or_404(Invitation.objects.filter(pk=invitation_id, organisation=access.organisation))


def invitation_list_for_user(*, user: User) -> list[Invitation]:
    """Open invitations addressed to the user's email once it is verified, newest first (two queries).

    An unverified address proves nothing (anyone can type someone else's), so it lists nothing.
    """
    email = (user.email or "").strip().lower()
    if not email or not email_is_verified(user=user):
        return []
    invitations = Invitation.objects.select_related("organisation", "invited_by").filter(
        email=email, used_at__isnull=True, revoked_at__isnull=True
    )
    return [invitation for invitation in invitations if invitation.is_open]


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation whose emailed token is ``token`` (the link itself is the key), else None."""
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    return (
        Invitation.objects.select_related("organisation", "invited_by").filter(token_hash=token_hash).first()
    )


def profile_versions(*, access: OrgAccess) -> QuerySet[Version]:
    """Recorded versions of the organisation's profile, newest first, with who and when (one query)."""
    return versions_newest_first(access.organisation)


def profile_version_get(*, access: OrgAccess, version_id: int) -> Version:
    """One recorded version of the caller's organisation; 404 for any other object's version."""
    return first_or_404(profile_versions(access=access).filter(pk=version_id))
