"""The demo coalition: the packaged survey is the example file, and it loads as two closed rounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.network import Survey
from commonground.web.networks.demo import EXAMPLE
from commonground.web.networks.models import NetworkAnswer, NetworkRound
from commonground.web.partnerships.models import MemberState, Partnership

ROOT = Path(__file__).resolve().parents[3]


def test_the_packaged_demo_survey_is_the_example_file() -> None:
    assert EXAMPLE.read_bytes() == (ROOT / "examples" / "network-riverside.yaml").read_bytes()


@pytest.mark.django_db
def test_the_demo_coalition_has_thirty_partners_and_two_closed_rounds(
    riverside: Partnership, riverside_survey: Survey
) -> None:
    assert riverside.members.filter(state=MemberState.ACTIVE).count() == 30
    rounds = NetworkRound.objects.filter(partnership=riverside).order_by("date")
    assert [(r.label, r.is_open, len(r.organisations)) for r in rounds] == [
        ("2025-spring", False, 30),
        ("2026-spring", False, 30),
    ]
    # An answer for each rating and each "we do not work with them" of the file; a pair the file leaves
    # unanswered has none.
    item = riverside_survey.round("2025-spring")
    explicit_nos = sum(len(others) for others in item.not_working_with.values())
    assert NetworkAnswer.objects.filter(round=rounds[0], works_with=True).count() == len(item.ratings)
    assert NetworkAnswer.objects.filter(round=rounds[0], works_with=False).count() == explicit_nos
    answered = NetworkAnswer.objects.filter(round=rounds[0]).values("by").distinct().count()
    assert NetworkAnswer.objects.filter(round=rounds[0]).count() < answered * 29
