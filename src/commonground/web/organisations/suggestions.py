"""SDG suggestions for a goal text, for the profile editor's as-you-type hints.

The mapping itself lives in ``commonground.core.semantics.sdgs``; it loads an embedding model
on first use, so tests replace ``suggest_sdgs`` (see ``tests/web/conftest.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_TEXT_LENGTH = 12
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class SdgSuggestion:
    """One suggested SDG for a goal text."""

    number: int
    title: str
    confidence: float

    @property
    def percent(self) -> int:
        """Confidence as a whole percentage."""
        return round(self.confidence * 100)


def suggest_sdgs(text: str) -> list[SdgSuggestion]:
    """Up to three SDGs the goal text most likely serves, most confident first."""
    return suggest_sdgs_many([text])[0]


def suggest_sdgs_many(texts: list[str]) -> list[list[SdgSuggestion]]:
    """``suggest_sdgs`` for several goal texts at once (one pass of the model), in the same order."""
    from commonground.core.semantics.sdgs import map_sdgs, sdg_title

    wanted = [text.strip() for text in texts]
    readable = [text for text in wanted if len(text) >= MIN_TEXT_LENGTH]
    predictions = dict(zip(readable, map_sdgs(readable), strict=True)) if readable else {}
    found = []
    for text in wanted:
        prediction = predictions.get(text)
        ranked = sorted(prediction.sdgs, key=lambda s: (-s.confidence, s.sdg)) if prediction else []
        found.append(
            [
                SdgSuggestion(number=score.sdg, title=sdg_title(score.sdg), confidence=score.confidence)
                for score in ranked[:MAX_SUGGESTIONS]
            ]
        )
    return found
