"""The evaluation figures themselves: a ranking figure that is wrong would mislead every reader."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from commonground.core import evaluation
from commonground.core.evaluation import ranking_auc
from commonground.core.results import Verdict


def test_auc_is_one_when_every_good_case_outscores_every_bad_one() -> None:
    assert ranking_auc([80.0, 70.0], [20.0, 10.0]) == 1.0


def test_auc_counts_ties_as_half_and_inversions_against_the_engine() -> None:
    # Pairs: (60>40) win, (60=60) half, (50>40) win, (50<60) loss → 2.5 of 4.
    assert ranking_auc([60.0, 50.0], [40.0, 60.0]) == pytest.approx(0.625)


def test_auc_is_undefined_without_both_kinds_of_case() -> None:
    assert ranking_auc([], [10.0]) is None
    assert ranking_auc([10.0], []) is None


def _cases(*expected: str) -> list[dict[str, Any]]:
    partners = [
        {"name": "A", "kind": "nonprofit", "mission": "Feeds children."},
        {"name": "B", "kind": "company", "mission": "Bakes bread."},
    ]
    return [{"id": f"case-{i}", "expected": e, "partners": partners} for i, e in enumerate(expected)]


def _judged(monkeypatch: pytest.MonkeyPatch, verdicts: list[tuple[str, float]]) -> None:
    """Make each assessment return the next (verdict, score) without running the engine."""
    answers = iter(verdicts)

    def fake_assess(partnership: Any, *, engine: Any) -> Any:
        verdict, score = next(answers)
        return SimpleNamespace(
            verdict=Verdict(verdict), score=score, conflicts=[], sdgs=SimpleNamespace(partners={})
        )

    monkeypatch.setattr(evaluation, "assess", fake_assess)


def test_partnership_figures_count_clashes_caught_false_alarms_and_rank_by_score(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _judged(
        monkeypatch,
        [("blocked", 0.0), ("workable", 45.0), ("aligned", 80.0), ("at_risk", 30.0), ("at_risk", 35.0)],
    )
    # A blocked clash caught as blocked; an at-risk clash missed (workable); a worked pair right; a
    # worked pair flagged at risk (a false alarm); an at-risk clash caught.
    figures = evaluation.partnership_figures(
        _cases("blocked", "at_risk", "aligned", "workable", "at_risk"),
        engine=object(),  # type: ignore[arg-type]
    )
    assert (figures.clashes, figures.clashes_caught) == (3, 2)
    assert (figures.worked, figures.false_alarms) == (2, 1)
    # Good scores 80, 30 against bad 0, 45, 35: 80 beats all three, 30 beats only 0 → 4 of 6.
    assert figures.auc == pytest.approx(4 / 6)


def test_a_blocked_clash_read_only_as_at_risk_is_not_caught_at_its_severity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _judged(monkeypatch, [("at_risk", 20.0)])
    figures = evaluation.partnership_figures(_cases("blocked"), engine=object())  # type: ignore[arg-type]
    assert (figures.clashes, figures.clashes_caught) == (1, 0)


def test_an_unknown_expected_verdict_names_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    _judged(monkeypatch, [])
    with pytest.raises(ValueError, match=r"\[case-0\] expected verdict 'at risk'"):
        evaluation.partnership_figures(_cases("at risk"), engine=object())  # type: ignore[arg-type]
