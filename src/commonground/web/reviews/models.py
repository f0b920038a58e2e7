"""A review of the shared goals with the assessment re-run, the stage chosen, and a planned exit.

A review lists each shared goal as it stood when the review opened (from the agreement in force, or
drafted from the new assessment when there is no agreement yet) beside the assessment re-run on the
profiles as they are now. Each goal gets a decision: keep, adapt (with new wording) or drop. Closing
the review writes the decisions into the agreement as a new version, which the partners sign again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commonground.web.records import EditTracked


class ReviewState(models.TextChoices):
    """Where a review stands."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class GoalReview(models.Model):
    """One periodic review of a partnership's shared goals."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="reviews"
    )
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # The assessment re-run when the review opened, and the one before it, to compare.
    snapshot = models.ForeignKey(
        "assessments.AssessmentSnapshot", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    previous_snapshot = models.ForeignKey(
        "assessments.AssessmentSnapshot", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    agreement_version = models.PositiveIntegerField(null=True, blank=True)  # the version closing made

    class Meta:
        ordering = ("-opened_at", "-pk")
        constraints = (
            # At most one open review per partnership: two at once would write conflicting goals.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(state="open"),
                name="one_open_review_per_partnership",
            ),
        )

    def __str__(self) -> str:
        return f"review {self.pk} of partnership {self.partnership_id}"


class Decision(models.TextChoices):
    """What the partners decide about one shared goal."""

    UNDECIDED = "", "Not decided yet"
    KEEP = "keep", "Keep"
    ADAPT = "adapt", "Adapt"
    DROP = "drop", "Drop"


class GoalDecision(EditTracked):
    """One shared goal under review and what the partners decided about it."""

    review = models.ForeignKey(GoalReview, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField()
    objective_id = models.CharField(max_length=64, blank=True)  # its id in the agreement, if any
    text = models.TextField()  # the goal as it stood when the review opened
    # Whether the assessment re-run today still drafts this goal as shared (None: not comparable).
    still_shared = models.BooleanField(null=True)
    decision = models.CharField(max_length=5, choices=Decision.choices, blank=True, default="")
    new_text = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("position",)
        constraints = (models.UniqueConstraint(fields=["review", "position"], name="one_goal_per_position"),)

    def __str__(self) -> str:
        return f"goal {self.position} of review {self.review_id}"


class ExitKind(models.TextChoices):
    """How the partnership ends or changes."""

    TRANSITION = "transition", "Hand over the shared work and continue in another form"
    CLOSE = "close", "Close the partnership"


class ExitPlan(EditTracked):
    """A planned exit or hand-over, chosen by the partners; at most one per partnership."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="exit_plan"
    )
    kind = models.CharField(max_length=10, choices=ExitKind.choices, default=ExitKind.TRANSITION)
    planned_for = models.DateField()
    shared_work = models.TextField()  # what happens to shared work, data, funds and people
    active = models.BooleanField(default=True)  # False once the partners call it off

    def __str__(self) -> str:
        return f"exit plan of partnership {self.partnership_id}"


class StageChoice(models.Model):
    """The stage of the partnering cycle the partners set themselves (else the facts suggest one)."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="stage_choice"
    )
    stage = models.CharField(max_length=12)  # a core.alignment.health.Stage value
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.stage} for partnership {self.partnership_id}"
