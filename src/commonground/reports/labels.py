"""Words for the result's codes, shared by every renderer so all say the same.

Codes (``at_risk``, ``red_line.semantic``, ``goals[4]``, ``tobacco->health``) belong in the JSON only;
everything a person reads goes through the tables and functions here. A code that has no words yet is
made readable rather than shown raw.
"""

from __future__ import annotations

import re

from commonground.core.results import Evidence
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.wording import possessive

from .numbers import score_text, similarity_text

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


# How a finding was found, by the rule id of its evidence (docs/result-format.md lists them).
RULES: dict[str, str] = {
    "red_line.semantic": "Red line (by meaning)",
    "sector_map": "Sensitive-sector data",
    "goal_interaction": "Goal interactions",
    "value.unmatched_top": "A top value the other partner lacks",
    "value.shared_top": "A top value both share",
    "culture.cvf_gap": "Culture gap (Competing Values)",
    "culture.cvf_similar": "Similar cultures (Competing Values)",
    "orientation.gap": "Profit–purpose gap",
    "stakeholder.opposite_stances": "Opposite stances on a stakeholder",
    "stakeholder.powerful_opponent": "A powerful stakeholder opposed",
    "stakeholder.shared": "A stakeholder both answer to",
    "sdg.shared": "SDGs both work towards",
    "initiative.shared_value": "Shared value of an initiative",
}
# The parts of a profile an evidence text comes from; list fields are numbered from 1 as people count.
FIELDS: dict[str, str] = {
    "goals": "Goal",
    "red_lines": "Red line",
    "activities": "Activity",
    "values": "Value",
    "stakeholders": "Stakeholder",
    "initiatives": "Initiative",
    "mission": "Mission",
    "sector": "Sector",
    "culture": "Culture",
    "orientation.profit_purpose": "Profit–purpose position",
}
_INDEXED = re.compile(r"(?P<name>[a-z_]+)\[(?P<index>\d+)\](?:\.(?P<rest>[a-z_]+))?")


def _readable(code: str) -> str:
    """A code nobody has given words yet, made readable: "new_rule.kind" → "New rule kind"."""
    return re.sub(r"[._]+", " ", code).strip().capitalize()


def rule_words(rule: str) -> str:
    """How a finding was found, in words: ``red_line.semantic`` → "Red line (by meaning)"."""
    return RULES.get(rule) or _readable(rule)


def field_words(field: str) -> str:
    """Where a quoted text comes from, in words: ``goals[4]`` → "Goal 5", ``mission`` → "Mission"."""
    if field in FIELDS:
        return FIELDS[field]
    match = _INDEXED.fullmatch(field)
    if match is None:
        return _readable(field)
    name = FIELDS.get(match["name"]) or _readable(match["name"])
    rest = f", {match['rest'].replace('_', ' ')}" if match["rest"] else ""
    return f"{name} {int(match['index']) + 1}{rest}"


def data_row_words(row: str) -> str:
    """The curated sector data a finding rests on, in words: "Tobacco and nicotine against health"."""
    smap = load_sector_map()
    sector_id, _, area_id = row.partition("->")
    sectors = {s.id: s.name for s in (*smap.sectors, *smap.screens)}
    areas = {a.id: a.name for a in smap.areas}
    sector = sectors.get(sector_id) or _readable(sector_id)
    if not area_id:
        return sector
    return f"{sector} against {(areas.get(area_id) or _readable(area_id)).lower()}"


def truncate(text: str, limit: int) -> str:
    """Shorten text to at most ``limit`` characters on one line, ending with "…" when cut.

    The cut falls between words when that keeps most of the room (a word cut in half reads as a
    typo in a quoted goal); a single long word is cut where the room ends.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - 1
    if room < 1:
        return "…"
    cut = text[:room]
    space = cut.rfind(" ")
    if space >= room * 0.6 and not text[room].isspace():
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


def evidence_short(evidence: Evidence, limit: int = 60) -> str:
    """One line telling where a finding came from: how it was found, sector data, closeness, first text."""
    parts = [f"found by {rule_words(evidence.rule).lower()}"]
    if evidence.data_row:
        parts.append(f"sector data: {data_row_words(evidence.data_row)}")
    if evidence.similarity is not None:
        parts.append(f"closeness in meaning {similarity_text(evidence.similarity)}")
    if evidence.texts:
        first = evidence.texts[0]
        quoted = truncate(first.text, limit)
        more = f" (+{len(evidence.texts) - 1} more)" if len(evidence.texts) > 1 else ""
        parts.append(f"{first.party}, {field_words(first.field)}: “{quoted}”{more}")
    return "; ".join(parts)


__all__ = [
    "COMPONENTS",
    "CONFLICT_KINDS",
    "FIELDS",
    "QUADRANTS",
    "RULES",
    "SEVERITIES",
    "SYNERGY_KINDS",
    "data_row_words",
    "evidence_short",
    "field_words",
    "possessive",
    "rule_words",
    "score_text",
    "truncate",
    "word",
]
