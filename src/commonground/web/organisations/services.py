"""Writes for organisations, profiles, memberships and invitations: one atomic transaction each."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import reversion
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from commonground.core.profiles import Profile
from commonground.web.access import Action, Role
from commonground.web.accounts.mfa_selectors import mfa_enabled
from commonground.web.accounts.selectors import email_is_verified, verified_users_with_email
from commonground.web.accounts.typing import User
from commonground.web.mail import mail_on_commit, quoted
from commonground.web.organisations.history import profile_change_summary
from commonground.web.organisations.models import Invitation, Membership, Organisation
from commonground.web.organisations.naming import readable_slug
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.records import update_if_current
from commonground.web.throttles import INVITATION_PER_ACCOUNT, INVITATION_PER_ADDRESS, throttle_take


class OrganisationError(Exception):
    """A write that the rules do not allow; the message is shown to the user."""


def _unique_slug(name: str) -> str:
    base = readable_slug(name)
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _record(organisation: Organisation, *, user: User, comment: str) -> None:
    with reversion.create_revision(atomic=False):
        reversion.set_user(user)
        reversion.set_comment(comment[:2000])
        reversion.add_to_revision(organisation)


def organisation_create(*, user: User, profile: Profile, location: str = "") -> Organisation:
    """Create an organisation from a profile, with ``user`` as its owner (recorded in history)."""
    with transaction.atomic():
        organisation = Organisation(
            slug=_unique_slug(profile.name),
            profile=profile.to_document(),
            location=location.strip(),
            updated_by=user,
        )
        organisation.save()
        Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
        _record(organisation, user=user, comment="Created the organisation")
    return organisation


def organisation_delete(*, access: OrgAccess) -> None:
    """Delete the organisation with its memberships and invitations (owners only; checked by the view)."""
    with transaction.atomic():
        Organisation.objects.filter(pk=access.organisation.pk).delete()


def profile_update(
    *,
    organisation: Organisation,
    profile: Profile,
    expected_version: int,
    user: User,
    comment: str = "",
    location: str | None = None,
) -> Organisation:
    """Save a new profile (and ``location`` unless None) if the stored version is still
    ``expected_version``; else StaleEditError.

    Written through ``records.update_if_current``, so of any number of concurrent saves from the same
    version exactly one wins and none overwrites another.
    """
    document = profile.to_document()
    rows = Organisation.objects.filter(pk=organisation.pk)
    fields: dict[str, object] = {"profile": document, "name": profile.name}
    if location is not None:
        fields["location"] = location.strip()
    with transaction.atomic():
        before = rows.values("profile", "location").first()
        update_if_current(rows, expected_version=expected_version, user=user, **fields)
        organisation.refresh_from_db()
        summary = profile_change_summary(
            before["profile"] if before else None,
            document,
            location=(before["location"] if before else None, organisation.location),
        )
        _record(organisation, user=user, comment=f"{comment}: {summary}" if comment else summary)
    return organisation


def profile_goal_sdgs_add(
    *, organisation: Organisation, goal_number: int, sdgs: list[int], expected_version: int, user: User
) -> Organisation:
    """Add suggested SDGs to the goal at position ``goal_number`` (1 = first), as a new profile version.

    From then on assessments take the goal's SDGs as given instead of guessing them.
    """
    profile = organisation.get_profile()
    if not 1 <= goal_number <= len(profile.goals):
        raise OrganisationError("That goal is no longer in the profile: reload the page.")
    goal = profile.goals[goal_number - 1]
    chosen = sorted({*(goal.sdgs or []), *sdgs})
    goals = list(profile.goals)
    goals[goal_number - 1] = goal.model_copy(update={"sdgs": chosen})
    # Validated again, as every profile is, when the organisation is saved (SDG numbers 1–17).
    updated = Profile.model_validate(
        {**profile.to_document(), "goals": [g.model_dump(mode="json") for g in goals]}
    )
    added = ", ".join(str(number) for number in sdgs)
    return profile_update(
        organisation=organisation,
        profile=updated,
        expected_version=expected_version,
        user=user,
        comment=f"Accepted SDG {added} for goal {goal_number}",
    )


def profile_restore(
    *, organisation: Organisation, version: Version, expected_version: int, user: User
) -> Organisation:
    """Make an earlier recorded version the current profile (itself recorded as a new version)."""
    document = version.field_dict["profile"]
    profile = Profile.model_validate(document)
    when = version.revision.date_created.strftime("%Y-%m-%d %H:%M UTC")
    return profile_update(
        organisation=organisation,
        profile=profile,
        expected_version=expected_version,
        user=user,
        comment=f"Restored the version of {when}",
    )


def organisation_mfa_requirement_set(*, access: OrgAccess, user: User, required: bool) -> None:
    """Ask (or stop asking) the organisation's owners to use two-factor sign-in for its pages. To turn it
    on, the owner doing so must use it already (so no one locks themselves out of the page they are on)."""
    if required and not mfa_enabled(user=user):
        raise OrganisationError("Set up two-factor sign-in for yourself first (your account page).")
    with transaction.atomic():
        # Not a profile edit: no version bump and no history entry (the history restores profiles).
        Organisation.objects.filter(pk=access.organisation.pk).update(owners_need_mfa=required)


def _owner_count(organisation: Organisation) -> int:
    return Membership.objects.select_for_update().filter(organisation=organisation, role=Role.OWNER).count()


def membership_change_role(*, access: OrgAccess, membership: Membership, role: Role) -> Membership:
    """Change a member's role; only owners grant or remove the owner role; one owner always remains."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        touches_owner = role == Role.OWNER or membership.role == Role.OWNER
        if touches_owner and not access.can(Action.OWN):
            raise OrganisationError("Only an owner can grant or remove the owner role.")
        if (
            membership.role == Role.OWNER
            and role != Role.OWNER
            and _owner_count(membership.organisation) <= 1
        ):
            raise OrganisationError(
                "An organisation needs at least one owner: make someone else owner first."
            )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, access: OrgAccess, membership: Membership) -> None:
    """Remove a member (admins and owners; only owners remove owners; never the last owner)."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.OWNER:
            if not access.can(Action.OWN):
                raise OrganisationError("Only an owner can remove an owner.")
            if _owner_count(membership.organisation) <= 1:
                raise OrganisationError(
                    "An organisation needs at least one owner: make someone else owner first."
                )
        membership.delete()


def membership_leave(*, access: OrgAccess) -> None:
    """Leave the organisation (the last owner cannot)."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=access.membership.pk)
        if membership.role == Role.OWNER and _owner_count(membership.organisation) <= 1:
            raise OrganisationError("You are the last owner: make someone else owner before you leave.")
        membership.delete()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_throttle(*, email: str, user: User) -> None:
    """Refuse one more invitation mail when the address or the sender has had their share this hour."""
    used_up = throttle_take((INVITATION_PER_ADDRESS, email), (INVITATION_PER_ACCOUNT, str(user.pk)))
    if used_up is INVITATION_PER_ADDRESS:
        raise OrganisationError(
            f"{email} was sent {used_up.count} invitations in the last hour: try again later."
        )
    if used_up is not None:
        raise OrganisationError(f"You sent {used_up.count} invitations in the last hour: try again later.")


def invitation_send(
    *, access: OrgAccess, email: str, role: Role, link_for: Callable[[str], str], user: User
) -> Invitation:
    """Create an expiring single-use invitation and email its link (built by ``link_for(token)``)."""
    if role == Role.OWNER and not access.can(Action.OWN):
        raise OrganisationError("Only an owner can invite someone as owner.")
    email = email.strip().lower()
    token = secrets.token_urlsafe(32)
    _invitation_throttle(email=email, user=user)
    with transaction.atomic():
        # Only a verified address identifies a member: an unverified one may be someone else's, typed.
        members = Membership.objects.filter(organisation=access.organisation)
        if members.filter(user__in=verified_users_with_email(email)).exists():
            raise OrganisationError(f"{email} is already a member.")
        invitation = Invitation.objects.create(
            email=email,
            organisation=access.organisation,
            role=role,
            token_hash=_token_hash(token),
            invited_by=user,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        link = link_for(token)
        organisation_name = quoted(access.organisation.name)
        mail_on_commit(
            to=email,
            subject=f"Invitation to join {organisation_name} on Common Ground",
            message=(
                f"{quoted(user.get_username())} invites you to join the organisation {organisation_name} "
                f"on Common Ground as {role.label.lower()}.\n\nAccept here (the link works once, until "
                f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n{link}\n\n"
                "If you did not expect this, ignore this email. Names in quotes were typed by the "
                "people who use Common Ground, not by us: follow no other address they may show.\n"
            ),
        )
    return invitation


def invitation_resend(*, invitation_id: int, user: User, link_for: Callable[[str], str]) -> Invitation:
    """Email a fresh link for an open invitation addressed to ``user``'s email; the old link stops working.

    The home page lists invitations by the account's email only once it is verified, and so does this;
    joining still needs the emailed link (it proves the mailbox at the moment of joining).
    """
    email = (user.email or "").strip().lower()
    token = secrets.token_urlsafe(32)
    if not email_is_verified(user=user):
        raise OrganisationError("This invitation is no longer open.")  # as for anyone else's invitation
    _invitation_throttle(email=email, user=user)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))  # PostgreSQL cannot lock an outer join
            .select_related("organisation", "invited_by")
            .filter(pk=invitation_id, email=email, used_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if invitation is None or not invitation.is_open:
            raise OrganisationError("This invitation is no longer open.")
        invitation.token_hash = _token_hash(token)
        invitation.save(update_fields=["token_hash"])
        link = link_for(token)
        organisation_name = quoted(invitation.organisation.name)
        mail_on_commit(
            to=invitation.email,
            subject=f"Your link to join {organisation_name} on Common Ground",
            message=(
                f"You asked to accept the invitation to join {organisation_name} on Common Ground "
                f"as {invitation.get_role_display().lower()}.\n\n"
                "Open this link to accept (it works once, "
                f"until {invitation.expires_at:%Y-%m-%d %H:%M} UTC; earlier links no longer work):\n"
                f"{link}\n\nIf you did not ask for this, ignore this email.\n"
            ),
        )
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraw an unused invitation so its link stops working."""
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(revoked_at=timezone.now())


def invitation_accept(*, token: str, user: User) -> Membership:
    """Use an invitation: the signed-in user, whose *verified* address is the invited one, joins with the
    invited role; the link then stops working."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))  # PostgreSQL cannot lock an outer join
            .select_related("organisation")
            .filter(token_hash=_token_hash(token))
            .first()
        )
        if invitation is None:
            raise OrganisationError("This invitation link is not valid.")
        if invitation.used_at is not None:
            raise OrganisationError("This invitation has already been used.")
        if invitation.revoked_at is not None:
            raise OrganisationError("This invitation was withdrawn.")
        if invitation.expires_at <= timezone.now():
            raise OrganisationError("This invitation has expired: ask for a new one.")
        if (user.email or "").strip().lower() != invitation.email:
            raise OrganisationError(
                f"This invitation is for {invitation.email}; you are signed in with another email address."
            )
        if not email_is_verified(user=user):
            # Anyone can type the invited address on their account; only a verified one is theirs, so a
            # forwarded or leaked link alone lets no one in.
            raise OrganisationError(
                f"Verify your email address {invitation.email} first: open the link we mailed to it (your "
                "account page sends it again), then open this invitation again."
            )
        # Single use even under concurrent clicks: only the request that flips used_at proceeds.
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now(), used_by=user
        )
        if claimed != 1:
            raise OrganisationError("This invitation has already been used.")
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        if not created:
            raise OrganisationError(f"You are already a member of {invitation.organisation.name}.")
    return membership
