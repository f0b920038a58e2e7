"""Fixtures of the assessment page tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commonground.core.results import AssessmentResult
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.partnerships.models import Partnership

StoreSnapshot = Callable[..., AssessmentSnapshot]


@pytest.fixture
def store_snapshot(db: None) -> StoreSnapshot:
    """Store a result document as a snapshot of a partnership, as the run service would (no engine run)."""

    def store(
        partnership: Partnership,
        document: dict[str, Any],
        *,
        profile_versions: list[dict[str, Any]] | None = None,
    ) -> AssessmentSnapshot:
        result = AssessmentResult.model_validate(document)
        return AssessmentSnapshot.objects.create(
            partnership=partnership,
            result=result.model_dump(mode="json"),
            score=result.score,
            verdict=result.verdict.value,
            open_conflicts=len(result.conflicts),
            profile_versions=profile_versions or [],
        )

    return store
