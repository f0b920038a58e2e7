"""Assessment snapshots: each run of the engine on a partnership, stored whole and never recomputed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commonground.web.fields import OrderedJSONField


class AssessmentSnapshot(models.Model):
    """One stored run: the whole AssessmentResult plus the inputs it used (profile versions, initiatives)."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="snapshots"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # AssessmentResult.model_dump(mode="json"), stored as text so partner order survives PostgreSQL.
    result = OrderedJSONField()
    score = models.FloatField()
    verdict = models.CharField(max_length=16)
    open_conflicts = models.PositiveIntegerField(default=0)
    # [{"organisation_id", "name", "version", "fingerprint"}, ...] by organisation name.
    profile_versions = models.JSONField(default=list)
    # The initiatives as passed to the engine (core.profiles.Initiative documents).
    initiatives = models.JSONField(default=list)
    # The page body drawn from ``result`` alone (findings, charts), rendered once when the snapshot is
    # stored: a snapshot never changes, and drawing five charts per view is most of a page's time.
    # ``body_format`` is the presentation.BODY_FORMAT it was rendered with; another value (0 = none
    # stored) makes the page render the body afresh from ``result``.
    body_html = models.TextField(blank=True, default="")
    body_format = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["partnership", "-created_at"], name="snapshot_latest"),)

    def __str__(self) -> str:
        return f"Assessment of {self.partnership} at {self.created_at:%Y-%m-%d %H:%M}"
