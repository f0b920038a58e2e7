"""What discovery lists under each organisation it found: every reason once."""

from __future__ import annotations

from pathlib import Path

from commonground.core.directory.discovery import Candidate, Match
from commonground.core.directory.records import Record
from commonground.core.results import AssessmentResult

RESULTS = Path(__file__).resolve().parents[2] / "data" / "results"


def _match(reasons: list[str]) -> Match:
    """A found organisation whose (stored, hand-written) assessment gives ``reasons``."""
    result = AssessmentResult.model_validate_json((RESULTS / "two_party.json").read_text(encoding="utf-8"))
    record = Record(key="fizzco", name="FizzCo Beverages Ltd", kind="company", source="t", profile={})
    return Match(Candidate(record, 0.5, ()), result.model_copy(update={"reasons": reasons}))


def test_a_conflict_the_score_names_is_listed_once_with_its_evidence() -> None:
    tension = "Growing soft-drink sales works against a sugar-drinks levy."
    scored = f"Medium goal tension: {tension} (−2 points)"
    reasons = _match(["Strong fit on mission and goals (78/100)", scored]).reasons()
    summaries = [r["summary"] for r in reasons]
    # Once, as the score's reason with its points, not again on its own without them.
    assert sum(tension in s for s in summaries) == 1
    assert scored in summaries
    listed = next(r for r in reasons if r["summary"] == scored)
    assert listed["kind"] == "conflict:goal_tension"
    assert listed["evidence"]  # the texts it rests on are still shown under it
    # Conflicts the score's reasons do not name are still listed on their own.
    assert any(s.startswith("FizzCo Beverages Ltd sells high-sugar drinks") for s in summaries)
