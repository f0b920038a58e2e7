"""The evaluation figures themselves: a ranking figure that is wrong would mislead every reader."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from commonground.core import evaluation
from commonground.core.evaluation import ranking_auc
from commonground.core.interactions import MODEL_REASON
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


def test_goal_figures_count_the_signs_the_model_gave_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each pair's cell as the goal matrix would give it: a sign and the reason shown beside it.
    cells = iter(
        [
            (-1, f"the goals may pull against each other ({MODEL_REASON}, p=0.91)"),
            (2, "the goals pursue closely related outcomes in the same direction"),
            (2, f"the goals serve the same ends ({MODEL_REASON}, p=0.99)"),
            (-2, "both goals are about the same thing but pull opposite ways"),
        ]
    )

    def fake_assess(partnership: Any, *, engine: Any) -> Any:
        score, reason = next(cells)
        cell = SimpleNamespace(score=score, reason=reason)
        return SimpleNamespace(goal_matrix=SimpleNamespace(cells=[[cell]]))

    monkeypatch.setattr(evaluation, "assess", fake_assess)
    items = [
        {"id": f"g{i}", "goal_a": "Plant trees", "goal_b": "Feed families", "score": label}
        for i, label in enumerate([0, 2, 1, -2])
    ]
    figures = evaluation.goal_pair_figures(items, engine=SimpleNamespace())
    assert figures.by_sign == {"negative": (1, 1), "zero": (0, 1), "positive": (2, 2)}
    # The unrelated pair's tension came from the model alone; the rules' signs are not counted.
    assert figures.by_model == {"negative": (0, 0), "zero": (1, 0), "positive": (0, 1)}
    assert figures.errors == ["[g0] want +0 got -1: Plant trees | Feed families"]
    # The matrix's own scores, in the items' order, to set beside a second labeller's.
    assert figures.scores == [-1, 2, 2, -2]


def test_sign_agreement_counts_matching_signs_and_corrects_for_chance() -> None:
    # Strength does not matter, only the sign: +1 and +3 agree, 0 and -1 do not.
    agreement = evaluation.sign_agreement([1, 0, -2, 0], [3, -1, -1, 0])
    assert (agreement.agree, agreement.items) == (3, 4)
    # Signs of the first: +, 0, -, 0; of the second: +, -, -, 0. Chance (1*1 + 2*1 + 1*2) / 16.
    assert agreement.kappa == pytest.approx((3 / 4 - 5 / 16) / (1 - 5 / 16))


def test_sign_agreement_of_two_labellers_who_give_one_sign_to_everything_has_no_kappa() -> None:
    assert evaluation.sign_agreement([0, 0], [0, 0]).kappa is None
    assert evaluation.sign_agreement([], []).items == 0


def test_sign_agreement_refuses_scores_of_different_items() -> None:
    with pytest.raises(ValueError, match="3 scores against 2"):
        evaluation.sign_agreement([1, 0, 0], [1, 0])
