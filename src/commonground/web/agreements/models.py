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
