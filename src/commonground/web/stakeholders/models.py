"""Register entries: stakeholders a partnership adds, and its own ratings of the partners' stakeholders.

One model covers both, told apart by ``merged_name``:

- **addition** (``merged_name == ""``): a stakeholder no partner's profile names; the register adds it.
- **adjustment** (``merged_name`` set): the partnership's own power, interest, legitimacy, urgency and
  stance for a stakeholder merged from the partners' profiles (e.g. "Parents / Families"). It
  replaces the merged ratings on the register page only; the partners' profiles are never changed.
  It applies to the merged stakeholder that shares a name part with ``merged_name`` (so it survives a
  third partner adding "Guardians" to "Parents / Families"); deleting it resets the partners' ratings.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from commonground.web.records import Versioned

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Stance(models.TextChoices):
    """How a stakeholder regards the partnership (the profile format's three stances)."""

    SUPPORTIVE = "supportive", "Supportive"
    NEUTRAL = "neutral", "Neutral"
    OPPOSED = "opposed", "Opposed"


class RegisterEntry(Versioned):
    """A stakeholder added to a partnership's register, or the partnership's ratings of a merged one.

    ``Versioned`` gives it ``version``, ``updated_by`` and ``updated_at`` (edits go through
    ``records.update_if_current``); it keeps its own ``added_by``/``added_at``.
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="register_entries"
    )
    name = models.CharField(max_length=200)
    # Empty for an addition; the merged stakeholder's name for an adjustment (see the module docstring).
    merged_name = models.CharField(max_length=600, blank=True, default="")
    # casefold(merged_name): at most one adjustment per merged stakeholder name in a partnership.
    merged_key = models.CharField(max_length=600, blank=True, default="", editable=False)
    power = models.PositiveSmallIntegerField(validators=SCORE)
    interest = models.PositiveSmallIntegerField(validators=SCORE)
    legitimacy = models.BooleanField(default=False)
    urgency = models.BooleanField(default=False)
    stance = models.CharField(max_length=16, choices=Stance.choices, blank=True, default="")
    notes = models.TextField(blank=True, default="", max_length=2000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["partnership", "merged_key"],
                condition=~models.Q(merged_key=""),
                name="one_adjustment_per_merged_stakeholder",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} in {self.partnership_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        """Keep ``merged_key`` in step with ``merged_name``."""
        self.merged_key = self.merged_name.casefold()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_adjustment(self) -> bool:
        """Whether this entry re-rates a stakeholder merged from the partners' profiles."""
        return bool(self.merged_name)
