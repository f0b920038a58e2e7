"""A partnership's agreement (format version 1, stored whole as JSON), its versions and its signatures.

The document is ``commonground.core.agreement.models.Agreement`` dumped to JSON; the services validate
it as a whole on every write. Each write moves ``version`` (the optimistic lock) up by one and records
a reversion revision with an ``AgreementRevision`` row naming that number, so every version is kept
and can be compared. A signature names the version it signs: a later edit leaves it in place as a
record but it no longer counts for the version in force.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from reversion.models import Revision

from commonground.web.fields import OrderedJSONField
from commonground.web.records import EditTracked


class Agreement(EditTracked):
    """The one agreement of a partnership; ``version`` is the version in force."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="agreement"
    )
    # core.agreement.models.Agreement.model_dump(mode="json"), as text so key order survives PostgreSQL.
    document = OrderedJSONField()
    # Which partner id of the document stands for which partner organisation: {"<partner id>": <org pk>}.
    partner_organisations = models.JSONField(default=dict)
    # The assessment the first draft was built from (None: started without one, WHO only).
    assessment = models.ForeignKey(
        "assessments.AssessmentSnapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Agreement of {self.partnership} (version {self.version})"


class AgreementRevision(models.Model):
    """The agreement version number a reversion revision recorded (reversion meta)."""

    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="agreement_meta")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()

    class Meta:
        ordering = ("-number", "-pk")
        indexes = (models.Index(fields=["agreement", "number"], name="agreement_revision_number"),)

    def __str__(self) -> str:
        return f"Version {self.number} of {self.agreement}"


class Signature(models.Model):
    """One partner organisation's signature of one version, given by one of its admins or owners.

    Names are copied at signing so the record reads as it did then, even after a rename or deletion.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_name = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField(max_length=150)
    version = models.PositiveIntegerField()
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["agreement", "organisation", "version"], name="one_signature_per_partner_version"
            ),
        )
        ordering = ("-version", "organisation_name", "pk")

    def __str__(self) -> str:
        return f"{self.organisation_name} signed version {self.version} of {self.agreement}"


class Comment(models.Model):
    """A remark on one section, by a partner's member or a facilitator (who cannot sign)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=16)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    as_facilitator = models.BooleanField(default=False)
    text = models.TextField(max_length=4000)
    version = models.PositiveIntegerField()  # the version the comment was written on
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.author_name} on {self.section} of {self.agreement}"


# --- records: entered day to day beside the signed terms (see in_force.py) -------------------------
# None of these changes the agreement's version or its sign-off. Names are copied when a record is
# made, so it reads as it did then after a rename or deletion.


class Measurement(models.Model):
    """One reading of a KPI of the agreement (``kpi_id``: its id in the document)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="measurements")
    kpi_id = models.CharField(max_length=64)
    date = models.DateField()
    value = models.FloatField()
    note = models.TextField(max_length=4000, blank=True)
    evidence = models.CharField(max_length=2000, blank=True)  # a link or a document's name
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("kpi_id", "date", "pk")
        indexes = (models.Index(fields=["agreement", "kpi_id", "date"], name="measurement_kpi_date"),)

    def __str__(self) -> str:
        return f"{self.kpi_id} = {self.value:g} on {self.date}"


class Delivery(models.Model):
    """Part or all of a commitment delivered on a date (``met_in_full``: the commitment is met)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="deliveries")
    commitment_id = models.CharField(max_length=64)
    date = models.DateField()
    value = models.FloatField(null=True, blank=True)  # in the agreement's currency, where one can be given
    note = models.TextField(max_length=4000, blank=True)
    met_in_full = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("commitment_id", "date", "pk")
        indexes = (models.Index(fields=["agreement", "commitment_id"], name="delivery_commitment"),)

    def __str__(self) -> str:
        return f"Delivery on {self.commitment_id} on {self.date}"


class Decision(models.Model):
    """A proposal put to the partners and, once decided, its outcome statement (the decision log).

    ``slug`` is the decision's id in the agreement format, unique within the agreement; ``rule`` is the
    core ``DecisionRule`` as JSON, or None for the partnership's rule.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="decisions")
    slug = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    proposal = models.TextField(max_length=4000, blank=True)
    proposed_by = models.CharField(max_length=64)  # the partner id it is proposed for
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposer_name = models.CharField(max_length=150)
    by_facilitator = models.BooleanField(default=False)  # raised by a facilitator with that partner
    opened = models.DateField()
    closes = models.DateField(null=True, blank=True)  # None only for decisions moved from a document
    rule = models.JSONField(null=True, blank=True)
    outcome = models.TextField(max_length=4000, blank=True)
    review_date = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)  # when the outcome statement was recorded
    decided_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["agreement", "slug"], name="one_decision_per_slug"),)
        ordering = ("opened", "pk")

    def __str__(self) -> str:
        return f"{self.title} ({self.slug})"


class VotePosition(models.TextChoices):
    """A partner's answer to a proposal (core ``Position``)."""

    YES = "yes", "Yes"
    NO = "no", "No"
    ABSTAIN = "abstain", "Abstain"
    BLOCK = "block", "Block"
    OBJECT = "object", "Object"


class Vote(models.Model):
    """A partner's position on a decision, given by one of its representatives; one row per partner, so
    a partner's vote is never counted twice: voting again replaces its position (the last vote wins)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    partner_id = models.CharField(max_length=64)  # the partner's id in the document
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.CharField(max_length=8, choices=VotePosition.choices)
    reason = models.TextField(max_length=4000, blank=True)
    resolved = models.BooleanField(default=False)  # an objection resolved or withdrawn
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    voter_name = models.CharField(max_length=150)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["decision", "partner_id"], name="one_vote_per_partner"),
        )
        ordering = ("cast_at", "pk")

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.position} on {self.decision}"


# --- emails: each sent once ---------------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    """What an agreement email is about."""

    DECISION_OPENED = "decision_opened", "A proposal put to the partners"
    DECISION_CLOSED = "decision_closed", "Voting on a proposal closed"
    DECISION_DECIDED = "decision_decided", "The outcome of a proposal recorded"
    COMMITMENT = "commitment", "A commitment due soon or overdue"
    SIGNOFF = "signoff", "Sign-off requested"
    READING_DUE = "reading_due", "A KPI reading due"


class Notification(models.Model):
    """One email sent about one thing in one state to one person: the log that makes it once only.

    ``key`` names the thing (a decision's slug, a commitment's or KPI's id, the agreement for sign-off)
    and ``period`` its state or period (``overdue:2026-03-01``, the reading due on a day, a version).
    The row is inserted before the email is sent (on commit) under a unique constraint, so of two
    senders racing on the same email exactly one inserts the row and sends; the other sends nothing.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    key = models.CharField(max_length=64)
    period = models.CharField(max_length=64)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()  # the address it went to
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["agreement", "kind", "key", "period", "recipient"], name="one_email_per_event"
            ),
        )
        ordering = ("-created_at", "pk")

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.period}) to {self.email}"


class SignoffRequest(models.Model):
    """A member asked the partners who have not signed to sign (at most once a day per agreement)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signoff_requests")
    day = models.DateField()
    version = models.PositiveIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["agreement", "day"], name="one_signoff_request_a_day"),
        )
        ordering = ("-day", "pk")

    def __str__(self) -> str:
        return f"{self.requested_by_name} asked to sign version {self.version} on {self.day}"
