"""A stored assessment result reads back exactly as the engine wrote it, on every database."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.partnerships.models import Partnership


@pytest.mark.django_db
def test_result_keeps_partner_key_order(partnership: Partnership, engine_result: dict[str, Any]) -> None:
    # PostgreSQL's jsonb would sort these keys (shorter first); charts draw partners in this order.
    result = {**engine_result, "probe": {"Zebra Trust": 1, "A": 2, "Mid Org": 3}}
    snapshot = AssessmentSnapshot.objects.create(
        partnership=partnership, result=result, score=50, verdict="workable", open_conflicts=0
    )
    stored = AssessmentSnapshot.objects.get(pk=snapshot.pk).result
    assert list(stored["probe"]) == ["Zebra Trust", "A", "Mid Org"]
    assert list(stored["sdgs"]["partners"]) == list(engine_result["sdgs"]["partners"])
    assert stored == result
