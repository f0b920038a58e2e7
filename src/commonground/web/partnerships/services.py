"""Writes for partnerships: one atomic transaction and one reversion revision (user, comment) each.

Every revision records the partnership with all its initiatives and scores, so any revision is a
complete picture of the shared material and ``history_restore`` can bring it back. Member and
facilitator places are recorded too when they change, but never restored: whether an organisation
takes part is that organisation's own decision.

The initiative writes live in ``initiatives.py`` and the shared errors and recording in
``shared_material.py``; both are re-exported here, so ``services.initiative_create`` etc. still work.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from reversion.models import Version

from commonground.web.access import Action, role_allows, roles_allowing
from commonground.web.accounts.selectors import verified_users_with_email
from commonground.web.organisations.models import Organisation
from commonground.web.organisations.selectors import OrgAccess

# Re-exported (``as``): callers reach every partnership write and its errors through ``services``.
from commonground.web.partnerships.initiatives import initiative_create as initiative_create
from commonground.web.partnerships.initiatives import initiative_delete as initiative_delete
from commonground.web.partnerships.initiatives import initiative_score_set as initiative_score_set
from commonground.web.partnerships.initiatives import initiative_update as initiative_update
from commonground.web.partnerships.models import (
    Facilitator,
    FacilitatorState,
    Initiative,
    InitiativeScore,
    MemberState,
    Partnership,
    PartnershipMember,
)
from commonground.web.partnerships.selectors import (
    FacilitationAccess,
    PartnershipAccess,
    PartnershipInvitationAccess,
)
from commonground.web.partnerships.shared_material import PartnershipError as PartnershipError
from commonground.web.partnerships.shared_material import StaleEditError as StaleEditError
from commonground.web.partnerships.shared_material import editor_name, partnership_touch
from commonground.web.partnerships.shared_material import shared_material_record as shared_material_record


class ChooseOrganisation(PartnershipError):
    """The invited person administers several organisations: the inviter must pick one of them."""

    def __init__(self, options: list[Organisation]) -> None:
        super().__init__("That person is an admin of several organisations: choose which one to invite.")
        self.options = options


# --- partnerships ---------------------------------------------------------------------------------


def partnership_create(*, org_access: OrgAccess, name: str, description: str, user: Any) -> Partnership:
    """Start a partnership with the caller's organisation as its first active member (admins)."""
    if not org_access.can(Action.MANAGE):
        raise PartnershipError("Only an organisation's admins can start a partnership for it.")
    with transaction.atomic():
        partnership = Partnership.objects.create(
            name=name.strip(), description=description.strip(), created_by=user, updated_by=user
        )
        member = PartnershipMember.objects.create(
            partnership=partnership,
            organisation=org_access.organisation,
            state=MemberState.ACTIVE,
            invited_by=user,
            responded_at=timezone.now(),
        )
        shared_material_record(
            partnership, user=user, comment=f"Started by {org_access.organisation.name}", extra=(member,)
        )
    return partnership


def partnership_update(
    *, access: PartnershipAccess, name: str, description: str, expected_version: int, user: Any
) -> Partnership:
    """Rename or re-describe the partnership if it is still at ``expected_version``; else StaleEditError."""
    partnership = access.partnership
    with transaction.atomic():
        before = Partnership.objects.filter(pk=partnership.pk).values("name", "description").first()
        updated = Partnership.objects.filter(pk=partnership.pk, version=expected_version).update(
            name=name.strip(),
            description=description.strip(),
            version=F("version") + 1,
            updated_by=user,
            updated_at=timezone.now(),
        )
        if updated != 1:
            current = Partnership.objects.select_related("updated_by").get(pk=partnership.pk)
            raise StaleEditError(
                what="partnership",
                changed_by=editor_name(current.updated_by),
                current_version=current.version,
            )
        changes = [
            label
            for key, label, new in (
                ("name", "name", name.strip()),
                ("description", "description", description.strip()),
            )
            if before is not None and before[key] != new  # type: ignore[literal-required]
        ]
        comment = f"Changed the {' and '.join(changes)}" if changes else "Saved without changes"
        shared_material_record(partnership, user=user, comment=comment)
    return partnership


# --- member organisations -------------------------------------------------------------------------


def _administered_by_email(email: str) -> list[Organisation]:
    """Organisations where the account with this *verified* email is admin or owner (never a list of all)."""
    return list(
        Organisation.objects.filter(
            memberships__user__in=verified_users_with_email(email),
            memberships__role__in=roles_allowing(Action.MANAGE),
        )
        .distinct()
        .order_by("name", "pk")
    )


def member_invite(
    *, access: PartnershipAccess, email: str, organisation_id: int | None = None, user: Any
) -> PartnershipMember:
    """Invite an organisation through a person there: the email of one of its admins or owners.

    When that person administers several organisations, ``ChooseOrganisation`` lists only those, and
    the inviter calls again with ``organisation_id``.
    """
    options = _administered_by_email(email)
    if not options:
        # One message whether there is no such account or its email is unverified: never say which.
        raise PartnershipError(
            f"No organisation here has an admin with the verified email {email.strip()}: ask them for the "
            "email they sign in with, to verify it on their account page, or to set their organisation up "
            "first."
        )
    if organisation_id is None:
        if len(options) > 1:
            raise ChooseOrganisation(options)
        organisation = options[0]
    else:
        chosen = [option for option in options if option.pk == organisation_id]
        if not chosen:
            raise PartnershipError("Choose one of the organisations that person administers.")
        organisation = chosen[0]
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        member = PartnershipMember.objects.filter(partnership=partnership, organisation=organisation).first()
        if member is not None and member.state in (MemberState.ACTIVE, MemberState.INVITED):
            raise PartnershipError(f"{organisation.name} is already {member.get_state_display().lower()}.")
        if member is None:
            member = PartnershipMember(partnership=partnership, organisation=organisation)
        member.state = MemberState.INVITED
        member.invited_by = user
        member.invited_at = timezone.now()
        member.responded_at = None
        member.save()
        partnership_touch(partnership, user=user)
        shared_material_record(
            partnership, user=user, comment=f"Invited {organisation.name}", extra=(member,)
        )
    return member


def invitation_respond(
    *, invitation: PartnershipInvitationAccess, accept: bool, user: Any
) -> PartnershipMember:
    """An invited organisation's admin accepts or declines the invitation."""
    if not role_allows(invitation.role, Action.MANAGE):
        raise PartnershipError("Only the organisation's admins can answer this invitation.")
    with transaction.atomic():
        member = PartnershipMember.objects.select_for_update().get(pk=invitation.member.pk)
        if member.state != MemberState.INVITED:
            raise PartnershipError("This invitation has already been answered.")
        member.state = MemberState.ACTIVE if accept else MemberState.DECLINED
        member.responded_at = timezone.now()
        member.save(update_fields=["state", "responded_at"])
        partnership_touch(member.partnership, user=user)
        verb = "accepted" if accept else "declined"
        shared_material_record(
            member.partnership,
            user=user,
            comment=f"{member.organisation.name} {verb} the invitation",
            extra=(member,),
        )
    return member


def _active_count(partnership: Partnership) -> int:
    return PartnershipMember.objects.filter(partnership=partnership, state=MemberState.ACTIVE).count()


def member_remove(*, access: PartnershipAccess, member: PartnershipMember, user: Any) -> PartnershipMember:
    """Remove a partner organisation or withdraw its open invitation (admins of any partner)."""
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        member = PartnershipMember.objects.select_related("organisation").get(pk=member.pk)
        if member.state == MemberState.INVITED:
            member.state = MemberState.DECLINED
            comment = f"Withdrew the invitation of {member.organisation.name}"
        elif member.state == MemberState.ACTIVE:
            if member.organisation_id in access.organisation_ids:
                raise PartnershipError("To take your own organisation out, use “Leave the partnership”.")
            member.state = MemberState.LEFT
            comment = f"Removed {member.organisation.name}"
        else:
            raise PartnershipError(f"{member.organisation.name} is not a partner.")
        member.responded_at = timezone.now()
        member.save(update_fields=["state", "responded_at"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(access.partnership, user=user, comment=comment, extra=(member,))
    return member


def member_leave(*, access: PartnershipAccess, organisation_id: int, user: Any) -> PartnershipMember:
    """Take one of the caller's organisations out of the partnership (that organisation's admins)."""
    if not access.can_in(organisation_id, Action.MANAGE):
        raise PartnershipError("Only an admin of that organisation can take it out of the partnership.")
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        member = PartnershipMember.objects.select_related("organisation").get(
            partnership=access.partnership, organisation_id=organisation_id
        )
        if member.state != MemberState.ACTIVE:
            raise PartnershipError(f"{member.organisation.name} is not an active partner.")
        if _active_count(access.partnership) <= 1:
            raise PartnershipError("You are the last partner: a partnership needs at least one organisation.")
        member.state = MemberState.LEFT
        member.responded_at = timezone.now()
        member.save(update_fields=["state", "responded_at"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"{member.organisation.name} left", extra=(member,)
        )
    return member


# --- facilitators ---------------------------------------------------------------------------------


def facilitator_invite(*, access: PartnershipAccess, email: str, user: Any) -> Facilitator:
    """Invite a neutral facilitator by the verified email of their account (no organisation needed)."""
    users = list(verified_users_with_email(email)[:2])
    if len(users) != 1:
        # One message whether there is no such account or its email is unverified: never say which.
        raise PartnershipError(
            f"No one has an account with the verified email {email.strip()}: ask them to sign up (or to "
            "verify their email on their account page) first."
        )
    invitee = users[0]
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=access.partnership.pk)
        facilitator = Facilitator.objects.filter(partnership=access.partnership, user=invitee).first()
        if facilitator is not None and facilitator.state in (
            FacilitatorState.INVITED,
            FacilitatorState.ACTIVE,
        ):
            raise PartnershipError(
                f"{invitee.get_username()} is already {facilitator.get_state_display().lower()}."
            )
        if facilitator is None:
            facilitator = Facilitator(partnership=access.partnership, user=invitee)
        facilitator.state = FacilitatorState.INVITED
        facilitator.invited_by = user
        facilitator.invited_at = timezone.now()
        facilitator.responded_at = None
        facilitator.save()
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"Invited {invitee.get_username()} to facilitate",
            extra=(facilitator,),
        )  # fmt: skip
    return facilitator


def facilitation_respond(*, facilitation: FacilitationAccess, accept: bool, user: Any) -> Facilitator:
    """The invited facilitator accepts or declines."""
    with transaction.atomic():
        facilitator = Facilitator.objects.select_for_update().get(pk=facilitation.facilitator.pk)
        if facilitator.user_id != user.pk or facilitator.state != FacilitatorState.INVITED:
            raise PartnershipError("This invitation has already been answered.")
        facilitator.state = FacilitatorState.ACTIVE if accept else FacilitatorState.DECLINED
        facilitator.responded_at = timezone.now()
        facilitator.save(update_fields=["state", "responded_at"])
        verb = "accepted" if accept else "declined"
        shared_material_record(
            facilitator.partnership, user=user, comment=f"{user.get_username()} {verb} to facilitate",
            extra=(facilitator,),
        )  # fmt: skip
    return facilitator


def facilitator_remove(*, access: PartnershipAccess, facilitator: Facilitator, user: Any) -> Facilitator:
    """End a facilitator's place (or withdraw the invitation)."""
    with transaction.atomic():
        facilitator = Facilitator.objects.select_for_update().select_related("user").get(pk=facilitator.pk)
        if facilitator.state not in (FacilitatorState.INVITED, FacilitatorState.ACTIVE):
            raise PartnershipError("That person is not a facilitator of this partnership.")
        facilitator.state = FacilitatorState.REMOVED
        facilitator.responded_at = timezone.now()
        facilitator.save(update_fields=["state", "responded_at"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership,
            user=user,
            comment=f"Removed {facilitator.user.get_username()} as facilitator",
            extra=(facilitator,),
        )
    return facilitator


# --- history --------------------------------------------------------------------------------------


def history_restore(*, access: PartnershipAccess, version: Version, user: Any) -> Partnership:
    """Make the shared material of an earlier revision current again, recorded as a new revision.

    Name, description and status of the partnership, and its initiatives with the scores of partners
    that are still active, come back as they were; initiatives proposed later are withdrawn. Member
    and facilitator places are not changed. Lock counters move forward, never back.
    """
    partnership = access.partnership
    revision = version.revision
    by_model: dict[type[Model], list[Version]] = {}
    for item in revision.version_set.select_related("content_type"):
        model = item.content_type.model_class()
        if model is not None:
            by_model.setdefault(model, []).append(item)
    with transaction.atomic():
        fields = version.field_dict
        Partnership.objects.filter(pk=partnership.pk).update(
            name=fields["name"],
            description=fields["description"],
            status=fields["status"],
            version=F("version") + 1,
            updated_by=user,
            updated_at=timezone.now(),
        )
        kept: set[int] = set()
        for item in by_model.get(Initiative, []):
            data = item.field_dict
            if data["partnership_id"] != partnership.pk:
                continue
            initiative_id = int(item.object_id)
            kept.add(initiative_id)
            values = {key: data[key] for key in ("name", "description", "level", "social_value", "status")}
            updated = Initiative.objects.filter(pk=initiative_id, partnership=partnership).update(
                **values, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
            )
            if not updated:
                Initiative.objects.create(
                    pk=initiative_id, partnership=partnership, created_by=user, updated_by=user, **values
                )
        Initiative.objects.filter(partnership=partnership).exclude(pk__in=kept).delete()
        active = set(
            PartnershipMember.objects.filter(partnership=partnership, state=MemberState.ACTIVE).values_list(
                "organisation_id", flat=True
            )
        )
        InitiativeScore.objects.filter(initiative__partnership=partnership).delete()
        for item in by_model.get(InitiativeScore, []):
            data = item.field_dict
            if data["initiative_id"] in kept and data["organisation_id"] in active:
                InitiativeScore.objects.create(
                    initiative_id=data["initiative_id"],
                    organisation_id=data["organisation_id"],
                    economic_value=data["economic_value"],
                    set_by=user,
                )
        when = revision.date_created.strftime("%Y-%m-%d %H:%M UTC")
        shared_material_record(partnership, user=user, comment=f"Restored the shared material of {when}")
    partnership.refresh_from_db()
    return partnership
