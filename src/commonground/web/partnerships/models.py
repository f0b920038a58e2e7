"""Partnerships: organisations working together as equals, their facilitators and joint initiatives."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from commonground.web.records import EditTracked


class PartnershipStatus(models.TextChoices):
    """Whether the partnership is still being worked on."""

    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class MemberState(models.TextChoices):
    """Where an organisation stands in a partnership."""

    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    LEFT = "left", "Left"  # took itself out
    REMOVED = "removed", "Removed"  # taken out by a proposal the other partners carried


# The states of an organisation that was a partner and is no longer: it keeps read access to its record.
FORMER_STATES = (MemberState.LEFT, MemberState.REMOVED)


class FacilitatorState(models.TextChoices):
    """Where a facilitator stands in a partnership."""

    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    REMOVED = "removed", "Removed"


class InitiativeLevel(models.TextChoices):
    """Porter and Kramer's three levels of shared value."""

    PRODUCTS_AND_MARKETS = "products_and_markets", "Products and markets"
    VALUE_CHAIN = "value_chain", "Value-chain productivity"
    LOCAL_CLUSTERS = "local_clusters", "Local clusters"


class Partnership(EditTracked):
    """A partnership; it belongs to all its active member organisations as equals."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    status = models.CharField(
        max_length=16, choices=PartnershipStatus.choices, default=PartnershipStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return self.name


class PartnershipMember(models.Model):
    """An organisation's place in a partnership: invited, active, declined or left."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="partnership_memberships"
    )
    state = models.CharField(max_length=16, choices=MemberState.choices, default=MemberState.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    # When and why it stopped being a partner (left or removed); kept for its record of the partnership.
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_place_per_org_in_partnership"
            ),
        )
        ordering = ("organisation__name", "pk")

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership} ({self.state})"


class Facilitator(models.Model):
    """A neutral person who sees what the partners share, never their private material."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="facilitators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitations")
    state = models.CharField(
        max_length=16, choices=FacilitatorState.choices, default=FacilitatorState.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["partnership", "user"], name="one_facilitator_place_per_user"),
        )
        ordering = ("user__username", "pk")

    def __str__(self) -> str:
        return f"{self.user} facilitating {self.partnership} ({self.state})"


class InvitationKind(models.TextChoices):
    """What an emailed invitation asks the invitee to become in the partnership."""

    PARTNER = "partner", "Partner organisation"
    FACILITATOR = "facilitator", "Facilitator"


class InvitationState(models.TextChoices):
    """Where an emailed invitation stands (derived from its dates, never stored)."""

    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class PartnershipInvitation(models.Model):
    """An emailed, expiring, single-use invitation to a partnership, addressed to an email address.

    It names no account and no organisation: whoever holds the address answers, and a partner
    invitation's invitee picks which of their organisations joins only when accepting.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=16, choices=InvitationKind.choices, default=InvitationKind.PARTNER)
    email = models.EmailField()
    # Only a SHA-256 of the emailed token is stored, so a database leak reveals no usable link.
    token_hash = models.CharField(max_length=64, unique=True)
    inviting_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-sent_at", "-pk")
        indexes = (models.Index(fields=["email"], name="partnership_invitation_email"),)

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.partnership} as {self.get_kind_display().lower()}"

    @staticmethod
    def hash_token(token: str) -> str:
        """What is stored of an emailed token (and looked up when the link is opened)."""
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def state(self) -> InvitationState:
        """Pending until it is answered, revoked or past ``expires_at``."""
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.declined_at is not None:
            return InvitationState.DECLINED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def is_pending(self) -> bool:
        """Whether it can still be answered (or revoked)."""
        return self.state == InvitationState.PENDING


class Initiative(EditTracked):
    """A proposed joint initiative; each partner scores its own economic value."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="initiatives")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    level = models.CharField(max_length=32, choices=InitiativeLevel.choices, blank=True)
    social_value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    status = models.CharField(
        max_length=16, choices=PartnershipStatus.choices, default=PartnershipStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return self.name


class InitiativeScore(models.Model):
    """One partner's own view of an initiative's economic value to it (1–5)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="scores")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="initiative_scores"
    )
    economic_value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["initiative", "organisation"], name="one_score_per_partner"),
        )
        ordering = ("organisation__name", "pk")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.economic_value} for {self.initiative}"


class ProposalKind(models.TextChoices):
    """What a proposal would do once the other partners confirm it."""

    REMOVE = "remove", "Remove a partner"
    RENAME = "rename", "Rename the partnership"
    CLOSE = "close", "Close the partnership"


class ProposalState(models.TextChoices):
    """Where a proposal stands; every state but ``open`` is final."""

    OPEN = "open", "Open"
    CARRIED = "carried", "Carried"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"
    # The partners changed so that it no longer applies (its proposer or subject left, or it was closed).
    LAPSED = "lapsed", "Lapsed"


class Proposal(models.Model):
    """A change one partner proposes that acts on the others: it happens only once they all confirm.

    Names are copied at proposal time (``proposer_name``, ``subject_name``, ``old_name``) so the record
    reads as it did then, even after a rename or the deletion of an organisation.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=16, choices=ProposalKind.choices)
    state = models.CharField(max_length=16, choices=ProposalState.choices, default=ProposalState.OPEN)
    proposer = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposer_name = models.CharField(max_length=200)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The partner a removal is about (null for renaming and closing).
    subject = models.ForeignKey(
        PartnershipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    subject_name = models.CharField(max_length=200, blank=True)
    old_name = models.CharField(max_length=200)
    new_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["partnership", "state"], name="proposal_partnership_state"),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.partnership} ({self.state})"

    @property
    def is_open(self) -> bool:
        """Open and not past its expiry (an expired one may not be marked so yet)."""
        return self.state == ProposalState.OPEN and timezone.now() < self.expires_at

    @property
    def shown_state(self) -> str:
        """The state in words, counting an open proposal past its expiry as expired."""
        if self.state == ProposalState.OPEN and not self.is_open:
            return ProposalState.EXPIRED.label
        return self.get_state_display()

    @property
    def action(self) -> str:
        """What it would do, as a plain phrase after "proposes to"."""
        if self.kind == ProposalKind.REMOVE:
            return f"remove {self.subject_name} from the partnership"
        if self.kind == ProposalKind.RENAME:
            return f"rename the partnership to {self.new_name}"
        return "close the partnership"

    @property
    def confirmation_text(self) -> str:
        """What a partner types to confirm: the name of the organisation to remove, else the partnership's."""
        return self.subject_name if self.kind == ProposalKind.REMOVE else self.old_name


class VoteAnswer(models.TextChoices):
    """A partner's answer to a proposal."""

    CONFIRM = "confirm", "Confirmed"
    DECLINE = "decline", "Declined"


class ProposalVote(models.Model):
    """One partner organisation's answer to a proposal, given by one of its admins."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_name = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answer = models.CharField(max_length=16, choices=VoteAnswer.choices)
    reason = models.TextField(blank=True, max_length=2000)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["proposal", "organisation"], name="one_answer_per_partner"),
        )
        ordering = ("answered_at", "pk")

    def __str__(self) -> str:
        return f"{self.organisation_name} {self.get_answer_display().lower()} {self.proposal}"
