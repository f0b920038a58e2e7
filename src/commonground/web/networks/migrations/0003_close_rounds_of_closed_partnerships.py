"""Rounds left open in partnerships closed before rounds closed with their partnership are closed now.

Since ``services.rounds_close_with`` a round still open when its partnership closes is frozen with it.
A partnership closed before then kept its open round, and a closed partnership is read only for every
role, so nobody could ever close that round and its answers would never become results. This freezes
each such round as ``services.round_freeze`` does, from the historical models: the document is built
by ``frozen.frozen_document``, the plain-data function ``results.round_document`` uses too, so the
round reads exactly like one its admins closed. ``closed_by`` stays empty (nobody closed it) and
``closed_at`` is the time of the migration, when its results first exist. No revision is added to
the partnership's history: django-reversion records the current registered models, not historical
ones, and the round's own closing time already says when and that it was closed by the system.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone

from commonground.web.networks.frozen import ANSWER_FIELDS, frozen_document


def close_rounds_of_closed_partnerships(apps: Any, schema_editor: Any) -> None:
    """Freeze every open round whose partnership is closed, with its answers as they stand."""
    round_model = apps.get_model("networks", "NetworkRound")
    answer_model = apps.get_model("networks", "NetworkAnswer")
    stranded = round_model.objects.filter(state="open", partnership__status="closed")
    for survey_round in stranded.order_by("pk"):
        answers = answer_model.objects.filter(round=survey_round).values(*ANSWER_FIELDS)
        frozen = frozen_document(
            label=survey_round.label,
            date=survey_round.date,
            organisations=survey_round.organisations,
            answers=answers,
        )
        round_model.objects.filter(pk=survey_round.pk).update(
            state="closed", closed_by=None, closed_at=timezone.now(), frozen=frozen
        )


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_frozen_not_working_with"),
        ("partnerships", "0003_partnership_invitations"),
    ]

    # Not reversed: reopening would make the rounds writable in a read-only partnership again.
    operations = [migrations.RunPython(close_rounds_of_closed_partnerships, migrations.RunPython.noop)]
