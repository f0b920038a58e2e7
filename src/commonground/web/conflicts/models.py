"""Conflict log entries, their timeline, and the notes only a partnership's facilitators read.

An entry's ``state`` follows the conversation (raised → acknowledged → in dialogue → resolution
proposed → resolved, or rejected → escalated and on again); its ``rung`` follows the dispute ladder,
which also moves on an overdue answer, high severity or a repeat (core/alignment/escalation.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commonground.core.agreement.how import LadderStep
from commonground.core.alignment.escalation import RUNG_WORDS, Approach, Severity
from commonground.web.records import EditTracked


class Category(models.TextChoices):
    """What the conflict is about."""

    VALUES = "values", "Values"
    GOALS = "goals", "Goals"
    ROLES = "roles", "Roles"
    RESOURCES = "resources", "Resources"
    COMMUNICATION = "communication", "Communication"
    CONDUCT = "conduct", "Conduct"
    OTHER = "other", "Other"


# Choices from the core's words, so the log and the estimate never disagree on a name.
SEVERITY_CHOICES = [(severity.value, severity.value.capitalize()) for severity in Severity]
APPROACH_CHOICES = [(approach.value, approach.value.capitalize()) for approach in Approach]
RUNG_CHOICES = [(rung.value, RUNG_WORDS[rung]) for rung in LadderStep]


class Touches(models.TextChoices):
    """What in the partnership the conflict touches."""

    GOAL = "goal", "A shared goal"
    VALUE = "value", "A value or principle"
    CLAUSE = "clause", "An agreement clause"
    COMMITMENT = "commitment", "A commitment"


class ConflictState(models.TextChoices):
    """Where the conversation about an entry stands."""

    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_DIALOGUE = "in_dialogue", "In dialogue"
    PROPOSED = "resolution_proposed", "Resolution proposed"
    RESOLVED = "resolved", "Resolved"
    REJECTED = "rejected", "Rejected at the top rung"  # no rung above: arbitration or exit stands
    ESCALATED = "escalated", "Escalated"


# States in which the entry is still being worked on.
OPEN_STATES = tuple(s for s in ConflictState if s not in (ConflictState.RESOLVED, ConflictState.REJECTED))


class ConflictEntry(EditTracked):
    """An issue one partner raises with the others. Names are copied so the log reads as it did then."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="conflicts"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_by_name = models.CharField(max_length=150)
    raising_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raising_organisation_name = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=4000)
    category = models.CharField(max_length=16, choices=Category.choices)
    severity = models.CharField(max_length=8, choices=SEVERITY_CHOICES)
    touches_kind = models.CharField(max_length=16, choices=Touches.choices, blank=True, default="")
    touches_ref = models.CharField(max_length=300, blank=True, default="")
    raiser_approach = models.CharField(max_length=16, choices=APPROACH_CHOICES, blank=True, default="")
    other_approach = models.CharField(max_length=16, choices=APPROACH_CHOICES, blank=True, default="")
    exit_threatened = models.BooleanField(default=False)
    rung = models.CharField(max_length=24, choices=RUNG_CHOICES, default=LadderStep.LEADS.value)
    rung_since = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=24, choices=ConflictState.choices, default=ConflictState.RAISED)
    acknowledge_by = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    rejected_count = models.PositiveSmallIntegerField(default=0)
    # The resolution on the table (empty when none), with the interest-based prompts it answered.
    resolution = models.TextField(blank=True, default="", max_length=4000)
    resolution_interests = models.TextField(blank=True, default="", max_length=2000)
    resolution_options = models.TextField(blank=True, default="", max_length=2000)
    resolution_criteria = models.TextField(blank=True, default="", max_length=2000)
    proposed_by_name = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=["partnership", "state"], name="conflict_partnership_state"),)

    def __str__(self) -> str:
        return f"{self.title} ({self.state})"

    @property
    def is_open(self) -> bool:
        """Whether it is still being worked on."""
        return self.state in OPEN_STATES


class EventKind(models.TextChoices):
    """What happened on an entry's timeline."""

    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    MESSAGE = "message", "Message"
    PROPOSED = "proposed", "Resolution proposed"
    ACCEPTED = "accepted", "Resolution accepted"
    REJECTED = "rejected", "Resolution rejected"
    ESCALATED = "escalated", "Escalated"


class ConflictEvent(models.Model):
    """One step on an entry's timeline: who, on which side, when, and what."""

    entry = models.ForeignKey(ConflictEntry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True, default="")  # empty: the daily job
    side = models.CharField(max_length=200, blank=True, default="")  # organisation name, or "Facilitator"
    text = models.TextField(blank=True, default="", max_length=6000)
    rung = models.CharField(max_length=24, choices=RUNG_CHOICES, blank=True, default="")
    # Set on escalations only: why it moved (e.g. "overdue:acknowledgement"); each once per entry.
    escalation_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["entry", "escalation_key"],
                condition=~models.Q(escalation_key=""),
                name="one_escalation_per_reason",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} on {self.entry_id}"


class FacilitatorNote(models.Model):
    """A facilitator's private note on an entry: read by the partnership's facilitators only."""

    entry = models.ForeignKey(ConflictEntry, on_delete=models.CASCADE, related_name="facilitator_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Note by {self.author_name} on {self.entry_id}"
