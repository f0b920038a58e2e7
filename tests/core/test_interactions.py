"""Goals × goals interactions on the Nilsson, Griggs & Visbeck (2016) −3…+3 scale."""

from __future__ import annotations

import pytest

from commonground.core.interactions import GoalInput, goal_interactions, score_goals
from commonground.core.results import INTERACTION_LABELS, ConflictSeverity, GoalRef, SynergyKind
from commonground.core.semantics.engines import get_engine
from commonground.core.semantics.sectors import read_texts

pytestmark = pytest.mark.slow


def _score(a: str, b: str) -> int:
    engine = get_engine()
    vectors = engine.embed([a, b])
    ra, rb = read_texts([a, b], vectors, engine=engine)
    return score_goals(ra, vectors[0], rb, vectors[1]).score


@pytest.mark.parametrize(
    ("a", "b", "allowed"),
    [
        ("Grow oil and gas output by 20%", "Cut emissions to net zero", {-2, -3}),
        ("Oppose the proposed soda tax", "Improve child nutrition", {-2}),
        ("Introduce a levy on sugary drinks", "Lobby against a levy on sugary drinks", {-2, -3}),
        ("Expand coal mining in the valley", "Phase out coal mining in the valley by 2030", {-2, -3}),
    ],
)
def test_goals_working_against_each_other_are_tensions(a: str, b: str, allowed: set[int]) -> None:
    assert _score(a, b) in allowed
    assert _score(b, a) in allowed  # the scale is symmetric


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Reduce childhood obesity by a third", "Halve childhood obesity by 2030"),
        ("Phase out coal power by 2030", "Cut the city's emissions to net zero by 2035"),
        ("Lobby for a tax on sugary drinks", "Reduce childhood obesity by a third"),
    ],
)
def test_goals_pulling_the_same_way_are_synergies(a: str, b: str) -> None:
    assert _score(a, b) >= 1


def test_unrelated_goals_are_neutral() -> None:
    assert _score("Every child reading well by age eleven", "Cut waiting times at the airport") == 0


def test_reducing_a_harm_and_improving_a_good_are_not_opposed() -> None:
    assert _score("Reduce childhood obesity", "Improve children's diets") >= 0


def _inputs(party: str, texts: list[str]) -> list[GoalInput]:
    engine = get_engine()
    vectors = engine.embed(texts)
    readings = read_texts(texts, vectors, engine=engine)
    return [
        GoalInput(
            ref=GoalRef(party=party, id=f"g{i + 1}", text=t, priority="medium"),
            field=f"goals[{i}]",
            reading=r,
            vector=vectors[i],
        )
        for i, (t, r) in enumerate(zip(texts, readings, strict=True))
    ]


def test_matrix_cells_conflicts_and_synergies_agree() -> None:
    rows = _inputs("Meridian", ["Grow oil and gas output by 20% by 2030", "Halve childhood obesity by 2030"])
    cols = _inputs(
        "Civic", ["Cut the city's emissions to net zero by 2035", "Reduce childhood obesity by a third"]
    )
    matrix, conflicts, synergies = goal_interactions(rows, cols)
    assert [r.id for r in matrix.rows] == ["g1", "g2"]
    assert len(matrix.cells) == 2
    for line in matrix.cells:
        for cell in line:
            assert cell is not None
            assert cell.label == INTERACTION_LABELS[cell.score]
            expected = "synergy" if cell.score >= 1 else "tension" if cell.score <= -1 else "neutral"
            assert cell.relation == expected
    oil_vs_netzero = matrix.cells[0][0]
    assert oil_vs_netzero is not None
    assert oil_vs_netzero.score <= -2
    tension = next(c for c in conflicts if c.evidence.texts[0].text.startswith("Grow oil"))
    assert tension.severity in (ConflictSeverity.HIGH, ConflictSeverity.MEDIUM)
    assert tension.evidence.data_row == "fossil_fuels->climate"
    assert tension.evidence.source
    assert [t.field for t in tension.evidence.texts] == ["goals[0]", "goals[0]"]
    obesity = matrix.cells[1][1]
    assert obesity is not None
    assert obesity.score >= 2
    assert any(s.kind == SynergyKind.GOAL and "obesity" in s.summary for s in synergies)


def test_severity_follows_the_score() -> None:
    rows = _inputs("A", ["Expand coal mining in the valley"])
    cols = _inputs("B", ["Phase out coal mining in the valley by 2030"])
    matrix, conflicts, _ = goal_interactions(rows, cols)
    cell = matrix.cells[0][0]
    assert cell is not None
    expected = {-3: ConflictSeverity.HIGH, -2: ConflictSeverity.MEDIUM, -1: ConflictSeverity.LOW}[cell.score]
    assert [c.severity for c in conflicts] == [expected]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Build 2,000 more parking spaces in the city centre", "Halve car journeys into the city centre"),
        ("Widen the ring road to carry 20% more traffic", "Reduce traffic on the ring road"),
    ],
)
def test_opposite_pushes_on_one_object_are_tensions_outside_the_sector_map(a: str, b: str) -> None:
    # No sensitive sector is involved: the clash is read from the goals' objects alone.
    assert _score(a, b) <= -1


def test_keeping_x_out_of_y_reinforces_collecting_x() -> None:
    assert (
        _score(
            "Collect 500 tonnes of used clothes for reuse and recycling each year",
            "Keep 1000 tonnes of clothing out of landfill each year",
        )
        >= 2
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Have the night-noise rules enforced in every club",
            "Win a one-year pause of the night-noise rules for clubs",
        ),
        (
            "Introduce the plastic bag charge in every shop",
            "Get small shops exempted from the plastic bag charge",
        ),
    ],
)
def test_putting_a_measure_in_force_and_holding_it_back_cancel_out(a: str, b: str) -> None:
    # One goal enforces or introduces a measure, the other delays or exempts from the same one.
    assert _score(a, b) <= -2
    assert _score(b, a) <= -2


def test_enforcing_one_measure_and_pausing_another_is_not_a_clash() -> None:
    assert _score("Have the night-noise rules enforced in every club", "Pause the school uniform rules") >= -1
