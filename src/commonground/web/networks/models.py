"""A partnership's network survey: rounds, and one answer per organisation about each other one.

A round is opened by a partner's admin or owner with the partner organisations active at that
moment (``organisations``, their ids and names as they were: later joiners or leavers change no
round). While it is open, each of those organisations answers about each of the others, as one
organisation-level answer that its own members keep up to date (``NetworkAnswer``, locked
optimistically since two colleagues may edit the same one). Closing freezes the answers into the
round (``frozen``); results are computed from that by ``core.network`` (``results.py``) and shown
only once a round is closed. A round still open when its partnership closes is closed with it
(``services.rounds_close_with``): a closed partnership is read only, so nobody could close it later.
Rounds left open by partnerships closed before that were closed by migration 0003.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from commonground.web.records import EditTracked

# The most organisations a round asks: each answers about all the others, so the answers grow with
# the square of this (200 organisations: up to 39,800 answers, analysed in well under a second).
SURVEY_MAX_ORGANISATIONS = 200


class RoundState(models.TextChoices):
    """Whether a round still takes answers."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class NetworkRound(models.Model):
    """One round of a partnership's network survey."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="network_rounds"
    )
    label = models.CharField(max_length=64)
    date = models.DateField()
    state = models.CharField(max_length=8, choices=RoundState.choices, default=RoundState.OPEN)
    # The partner organisations asked, as they were at opening: [{"id": "<organisation pk>", "name": ...}].
    organisations = models.JSONField(default=list)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Written at close: the round's answers as a round of core.network's survey format
    # (results.round_document). Every figure of a closed round is computed from this alone.
    frozen = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["partnership", "label"], name="one_network_round_per_label"),
            models.UniqueConstraint(
                fields=["partnership"], condition=models.Q(state="open"), name="one_open_network_round"
            ),
        )
        ordering = ("-date", "-pk")

    def __str__(self) -> str:
        return f"Network survey {self.label} of {self.partnership}"

    @property
    def is_open(self) -> bool:
        """Whether answers are still taken."""
        return self.state == RoundState.OPEN

    def organisation_ids(self) -> list[int]:
        """The primary keys of the organisations asked, in the order they were listed at opening."""
        return [int(item["id"]) for item in self.organisations]

    def names(self) -> dict[int, str]:
        """Organisation pk → its name at opening."""
        return {int(item["id"]): str(item["name"]) for item in self.organisations}


SCORE = [MinValueValidator(1), MaxValueValidator(4)]


class NetworkAnswer(EditTracked):
    """What one organisation says about another in a round: that it does not work with it, or how."""

    round = models.ForeignKey(NetworkRound, on_delete=models.CASCADE, related_name="answers")
    by = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    about = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    works_with = models.BooleanField(default=True)
    # The 1–4 answers (core.network.survey); empty when ``works_with`` is False, frequency optional.
    level = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    frequency = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    power = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    involvement = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    resources = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    reliable = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    mission = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    open = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["round", "by", "about"], name="one_network_answer_per_pair"),
            models.CheckConstraint(condition=~models.Q(by=models.F("about")), name="network_answer_not_self"),
        )

    def __str__(self) -> str:
        return f"Answer of organisation {self.by_id} about {self.about_id} in {self.round_id}"
