"""A round's answers as a round of ``core.network``'s survey format, built from plain data.

Kept apart from the models so that both the live close (``results.round_document``) and a data
migration working on historical models (0003) freeze a round into the same document.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

RATING_FIELDS = ("level", "frequency", "power", "involvement", "resources", "reliable", "mission", "open")
# What each answer row must carry: ``answer_rows`` values() over NetworkAnswer.
ANSWER_FIELDS = ("by_id", "about_id", "works_with", *RATING_FIELDS)


def frozen_document(
    *,
    label: str,
    date: datetime.date,
    organisations: Iterable[Mapping[str, Any]],
    answers: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    """The survey-format round of ``answers`` (rows with ``ANSWER_FIELDS``) from ``organisations`` asked."""
    rows = sorted(answers, key=lambda row: (row["by_id"], row["about_id"]))
    ratings = [
        {
            "by": str(row["by_id"]),
            "about": str(row["about_id"]),
            "level": row["level"],
            "frequency": row["frequency"],
            "value": {k: row[k] for k in ("power", "involvement", "resources")},
            "trust": {k: row[k] for k in ("reliable", "mission", "open")},
        }
        for row in rows
        if row["works_with"]
    ]
    # "We do not work with them", kept as such: only that makes a tie the other side reports
    # one-sided. A partner an organisation skipped has no row at all and reads as not answered.
    not_working_with: dict[str, list[str]] = {}
    for row in rows:
        if not row["works_with"]:
            not_working_with.setdefault(str(row["by_id"]), []).append(str(row["about_id"]))
    # Who answered anything at all, "we do not work with them" included; the others did not respond.
    responded = {rating["by"] for rating in ratings} | set(not_working_with)
    return {
        "label": label,
        "date": date.isoformat(),
        "not_responding": [str(org["id"]) for org in organisations if str(org["id"]) not in responded],
        "ratings": ratings,
        "not_working_with": not_working_with,
    }
