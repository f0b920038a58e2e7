"""Closed rounds frozen before ``not_working_with`` was stored get it from their answers.

Until then a partner an organisation skipped and one it said it does not work with looked the same in
the frozen round, and both made a one-sided perception gap. Now only the explicit "no" does; this
adds the explicit answers that are still stored, so a published round keeps its real one-sided gaps
and loses only the false ones (skipped partners, now "not answered").
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def add_not_working_with(apps: Any, schema_editor: Any) -> None:
    """Fill ``not_working_with`` of each frozen round that lacks it from its "we do not" answers."""
    round_model = apps.get_model("networks", "NetworkRound")
    answer_model = apps.get_model("networks", "NetworkAnswer")
    for survey_round in round_model.objects.filter(frozen__isnull=False).iterator():
        frozen = dict(survey_round.frozen)
        if "not_working_with" in frozen:
            continue
        silent = {str(org) for org in frozen.get("not_responding", ())}
        no_ties: dict[str, list[str]] = {}
        rows = (
            answer_model.objects.filter(round=survey_round, works_with=False)
            .order_by("by_id", "about_id")
            .values_list("by_id", "about_id")
        )
        for by, about in rows:
            if str(by) not in silent:  # a non-respondent has no answers to keep
                no_ties.setdefault(str(by), []).append(str(about))
        frozen["not_working_with"] = no_ties
        survey_round.frozen = frozen
        survey_round.save(update_fields=["frozen"])


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(add_not_working_with, migrations.RunPython.noop)]
