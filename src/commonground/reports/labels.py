"""Words for the result's codes, shared by the text and HTML renderers so both say the same."""

from __future__ import annotations

from commonground.core.results import Evidence

CONFLICT_KINDS: dict[str, str] = {
    "red_line": "Red line",
    "sensitive_sector": "Sensitive sector",
    "goal_tension": "Goal tension",
    "value_gap": "Value gap",
    "culture_gap": "Culture gap",
    "stakeholder": "Stakeholder",
    "orientation": "Profit–purpose",
    "general": "General",
}
SYNERGY_KINDS: dict[str, str] = {
    "mission": "Mission",
    "goal": "Goal",
    "sdg": "SDG",
    "value": "Value",
    "stakeholder": "Stakeholder",
    "culture": "Culture",
    "initiative": "Initiative",
}
SEVERITIES: dict[str, str] = {"blocker": "Blocker", "high": "High", "medium": "Medium", "low": "Low"}
COMPONENTS: dict[str, str] = {
    "mission": "Mission",
    "values": "Values",
    "culture": "Culture",
    "stakeholders": "Stakeholders",
    "orientation": "Profit–purpose orientation",
}
QUADRANTS: dict[str, str] = {
    "manage_closely": "Manage closely",
    "keep_satisfied": "Keep satisfied",
    "keep_informed": "Keep informed",
    "monitor": "Monitor",
    "shared_value": "Shared value",
    "social_only": "Social value only",
    "economic_only": "Economic value only",
    "low_value": "Low value",
}


def word(table: dict[str, str], code: str) -> str:
    """The words for ``code`` in ``table``, or the code made readable when it is new."""
    return table.get(code, code.replace("_", " ").capitalize())


def score_text(score: float | None) -> str:
    """A 0–100 score with one decimal at most, or an em dash when missing."""
    if score is None:
        return "—"
    return f"{score:.0f}" if float(score).is_integer() else f"{score:.1f}"


def evidence_short(evidence: Evidence, limit: int = 60) -> str:
    """One line telling where a finding came from: rule, data row, similarity, first text."""
    parts = [f"rule {evidence.rule}"]
    if evidence.data_row:
        parts.append(f"row {evidence.data_row}")
    if evidence.similarity is not None:
        parts.append(f"sim {evidence.similarity:.2f}")
    if evidence.texts:
        first = evidence.texts[0]
        quoted = " ".join(first.text.split())
        if len(quoted) > limit:
            quoted = quoted[: limit - 1].rstrip() + "…"
        more = f" (+{len(evidence.texts) - 1} more)" if len(evidence.texts) > 1 else ""
        parts.append(f"{first.party} {first.field}: “{quoted}”{more}")
    return "; ".join(parts)
