"""Check-ins: a partnership's schedule, each check-in with its window, the answers, frozen results.

Anonymity is kept by what is stored where. A ``Response`` names its respondent (``user``) only so that
each person answers once and is reminded only while they have not answered; its scores sit in
``ResponseScore`` rows that no page and no export reads. At close the answers are handed to the core
analysis under opaque ids (an HMAC of the response's id, never the user's) and only the result,
already anonymity-safe, is stored on the check-in (``results``): every page reads that frozen JSON.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from commonground.core.agreement.parts import Frequency
from commonground.web.records import EditTracked

FREQUENCY_CHOICES = [
    (Frequency.WEEKLY.value, "Every week"),
    (Frequency.FORTNIGHTLY.value, "Every two weeks"),
    (Frequency.MONTHLY.value, "Every month"),
    (Frequency.QUARTERLY.value, "Every three months"),
    (Frequency.TWICE_A_YEAR.value, "Every six months"),
    (Frequency.ANNUALLY.value, "Every year"),
]


class CheckinSchedule(EditTracked):
    """When a partnership's check-ins open, how long they stay open and which item sets they ask."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="checkin_schedule"
    )
    frequency = models.CharField(max_length=16, choices=FREQUENCY_CHOICES, default=Frequency.MONTHLY.value)
    # Take the frequency (and first date) from the signed agreement's check-in clause when it has one.
    follow_agreement = models.BooleanField(default=True)
    window_days = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # Every n-th scheduled check-in also asks the collaboration factors (0: only when opened by hand).
    factors_every = models.PositiveSmallIntegerField(default=6, validators=[MaxValueValidator(24)])
    starts_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return f"Check-in schedule of {self.partnership}"


class CheckinState(models.TextChoices):
    """Whether a check-in still takes answers."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Checkin(models.Model):
    """One check-in: an item set asked of every partner's people between two dates, then frozen."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="checkins"
    )
    item_set = models.CharField(max_length=32)  # a name of core.alignment.items
    opens_on = models.DateField()
    closes_on = models.DateField()  # the last day answers are taken
    state = models.CharField(max_length=8, choices=CheckinState.choices, default=CheckinState.OPEN)
    scheduled = models.BooleanField(default=True)  # False: opened by hand
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # When ``results`` were last written: the cache of what the pages build from them is keyed by it.
    frozen_at = models.DateTimeField(null=True, blank=True)
    # core.alignment PulseAnalysis.as_json() over the partnership's closed check-ins of this item set,
    # computed once at close; ``partner_names`` names the partner keys in it as they were then.
    results = models.JSONField(null=True, blank=True)
    partner_names = models.JSONField(default=dict)
    respondents = models.PositiveIntegerField(default=0)  # how many answered, shown once closed

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["partnership", "item_set", "opens_on"], name="one_checkin_per_set_and_day"
            ),
            models.UniqueConstraint(
                fields=["partnership", "item_set"],
                condition=models.Q(state="open"),
                name="one_open_checkin_per_set",
            ),
        )
        ordering = ("-opens_on", "-pk")

    def __str__(self) -> str:
        return f"{self.item_set} check-in of {self.partnership} on {self.opens_on}"

    @property
    def label(self) -> str:
        """The check-in's name in the analysis: its opening date."""
        return self.opens_on.isoformat()

    @property
    def is_open(self) -> bool:
        """Whether answers are still taken."""
        return self.state == CheckinState.OPEN

    def takes_answers(self, today: datetime.date) -> bool:
        """Whether answers are still taken: open, and its last day not past (the daily job may not
        have closed it yet)."""
        return self.is_open and self.closes_on >= today


class Response(models.Model):
    """That one person answered one check-in, for one partner organisation (their scores: ``scores``)."""

    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="responses")
    # Only for "answered once" and reminders; never shown and never handed to the analysis.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner = models.CharField(max_length=32)  # the partner key in the analysis (the organisation's id)
    role = models.CharField(max_length=16, blank=True)
    comment = models.TextField(blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["checkin", "user"], name="one_response_per_person"),)

    def __str__(self) -> str:
        return f"A response to {self.checkin}"


class ResponseScore(models.Model):
    """One score of a response: the respondent's own view (``about`` empty) or their guess of a partner's."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField(max_length=32)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    about = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["response", "item", "about"], name="one_score_per_item"),
        )

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"


class ActionSource(models.TextChoices):
    """Where an action item came from."""

    DRIFT = "drift", "Drift alert"
    FACTOR = "factor concern", "Factor concern"
    MANUAL = "manual", "Added by hand"


class ActionStatus(models.TextChoices):
    """Whether an action item is still to do."""

    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionItem(EditTracked):
    """Something the partners agreed to look at, reviewed at the next check-in until it is done."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="checkin_actions"
    )
    checkin = models.ForeignKey(
        Checkin, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    source = models.CharField(max_length=16, choices=ActionSource.choices, default=ActionSource.MANUAL)
    item = models.CharField(max_length=32, blank=True)  # the survey item it is about, if any
    # Keeps one action per alert: a later close that raises the same alert again adds nothing.
    key = models.CharField(max_length=160, blank=True)
    text = models.TextField(max_length=2000)
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["partnership", "key"], condition=~models.Q(key=""), name="one_action_per_alert"
            ),
        )
        ordering = ("status", "-created_at", "-pk")

    def __str__(self) -> str:
        return self.text[:60]


class NotificationKind(models.TextChoices):
    """What a check-in email is about."""

    INVITATION = "invitation", "A check-in opened"
    REMINDER = "reminder", "A check-in closes soon"


class Notification(models.Model):
    """One check-in email to one person: the log that makes each one once only (unique constraint)."""

    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["checkin", "kind", "recipient"], name="one_checkin_email"),
        )
        ordering = ("-created_at", "pk")

    def __str__(self) -> str:
        return f"{self.kind} for {self.checkin} to {self.email}"
