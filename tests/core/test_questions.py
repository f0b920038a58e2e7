"""Questions to settle before signing."""

from __future__ import annotations

from commonground.core.profiles import Initiative, Profile
from commonground.core.questions import build_questions
from commonground.core.results import Conflict, ConflictKind, ConflictSeverity, Evidence, EvidenceText
from commonground.core.shared_value import assess_initiatives


def org(name: str, **extra: object) -> Profile:
    return Profile.model_validate({"name": name, "kind": "nonprofit", "mission": "Help people.", **extra})


def test_blockers_come_first_and_quote_the_texts() -> None:
    texts = [
        EvidenceText(party="Harbor", field="red_lines[0]", text="No funding from the tobacco industry"),
        EvidenceText(party="Smokeco", field="activities[0]", text="Manufactures cigarettes"),
    ]
    conflicts = [
        Conflict(
            kind=ConflictKind.CULTURE_GAP,
            severity=ConflictSeverity.LOW,
            parties=["Harbor", "Smokeco"],
            summary="Cultures differ on clan",
            evidence=Evidence(rule="culture.cvf_gap"),
        ),
        Conflict(
            kind=ConflictKind.RED_LINE,
            severity=ConflictSeverity.BLOCKER,
            parties=["Harbor", "Smokeco"],
            summary="Smokeco's activity crosses Harbor's red line",
            evidence=Evidence(texts=texts, rule="red_line.semantic"),
        ),
    ]
    profiles = [org("Harbor"), org("Smokeco")]
    questions = build_questions(conflicts, profiles)
    assert questions[0].about == ConflictKind.RED_LINE
    assert "No funding from the tobacco industry" in questions[0].text
    assert "Manufactures cigarettes" in questions[0].text
    assert "interest" in questions[0].text
    assert questions[1].about == ConflictKind.CULTURE_GAP
    assert [q.priority for q in questions] == list(range(1, len(questions) + 1))


def test_general_questions_name_missing_inputs() -> None:
    culture = {"clan": 25, "adhocracy": 25, "market": 25, "hierarchy": 25}
    questions = build_questions([], [org("A"), org("B")])
    reasons = [q.reason for q in questions]
    assert "Neither partner described its culture, so it was not assessed." in reasons
    assert all(q.about == "general" for q in questions)
    partly = build_questions([], [org("A", culture=culture), org("B")])
    assert "B did not describe its culture, so it was only partly assessed." in [q.reason for q in partly]


def test_one_sided_initiative_gets_a_question() -> None:
    views = assess_initiatives(
        [Initiative(name="Drinks deal", social_value=2, economic_value={"A": 1, "B": 5})], ["A", "B"]
    ).views
    questions = build_questions([], [org("A"), org("B")], views)
    assert "Drinks deal" in questions[0].text
    assert "benefits B" in questions[0].text
