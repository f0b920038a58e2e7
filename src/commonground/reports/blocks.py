"""The content of a report section: findings, questions, scores, charts, tables, facts.

Frozen dataclasses of plain text (not yet escaped) that :mod:`commonground.reports.sections` builds
and every renderer shows; each block has a ``kind`` a template can branch on. The one exception to
plain text is :attr:`Chart.svg`, markup drawn by :mod:`commonground.reports.charts` (user text escaped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commonground.core.results import Conflict, Evidence, Synergy

from .labels import (
    CONFLICT_KINDS,
    SEVERITIES,
    SYNERGY_KINDS,
    data_row_words,
    field_words,
    rule_words,
    word,
)
from .numbers import score_text, similarity_text


@dataclass(frozen=True)
class Fact:
    """One labelled piece of information, e.g. ``Found by: Sensitive-sector data``."""

    label: str
    text: str


@dataclass(frozen=True)
class Quote:
    """A text a finding rests on: whose it is, where in the profile (in words, "Goal 5"), the text."""

    party: str
    where: str
    text: str


@dataclass(frozen=True)
class Finding:
    """A conflict or a synergy as every renderer shows it; ``severity`` is empty for synergies."""

    kind: str
    summary: str
    parties: str
    severity: str
    severity_code: str
    quotes: tuple[Quote, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class QuestionItem:
    """A question to settle, why it is asked, and the kind of finding it is about."""

    text: str
    reason: str
    about: str


@dataclass(frozen=True)
class ScoreRow:
    """One component score; ``value`` is None when the inputs for it were missing."""

    label: str
    value: float | None

    @property
    def text(self) -> str:
        """The score as shown, an em dash when missing."""
        return score_text(self.value)

    @property
    def note(self) -> str:
        """Why there is no score, or nothing."""
        return "not enough input" if self.value is None else ""


@dataclass(frozen=True)
class Cell:
    """A table cell; ``emphasis`` is a flag shown strong after the text, e.g. "significant"."""

    text: str
    emphasis: str = ""


@dataclass(frozen=True)
class QuestionList:
    """The questions to settle, most important first."""

    kind: ClassVar[str] = "questions"
    items: tuple[QuestionItem, ...]


@dataclass(frozen=True)
class ScoreTable:
    """The component scores on 0–100."""

    kind: ClassVar[str] = "scores"
    head: ClassVar[tuple[str, str]] = ("Component", "Score (0–100)")
    rows: tuple[ScoreRow, ...]


@dataclass(frozen=True)
class FindingList:
    """Conflicts (worst first) or synergies, each with its evidence."""

    kind: ClassVar[str] = "findings"
    items: tuple[Finding, ...]


@dataclass(frozen=True)
class Chart:
    """An SVG chart drawn by :mod:`commonground.reports.charts` (markup, user text escaped)."""

    kind: ClassVar[str] = "chart"
    svg: str


@dataclass(frozen=True)
class Table:
    """A table of text cells; ``numeric`` holds the indexes of right-aligned columns."""

    kind: ClassVar[str] = "table"
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class FactList:
    """A short list of labelled facts."""

    kind: ClassVar[str] = "facts"
    items: tuple[Fact, ...]


SIMILARITY_LABEL = "Closeness in meaning (0 to 1)"


def evidence_quotes(evidence: Evidence) -> tuple[Quote, ...]:
    """The texts a finding rests on, each with where it comes from in words."""
    return tuple(Quote(t.party, field_words(t.field), t.text) for t in evidence.texts)


def evidence_facts(evidence: Evidence) -> tuple[Fact, ...]:
    """The evidence of a finding as labelled facts in words (its quoted texts are kept apart)."""
    facts = [Fact("Found by", rule_words(evidence.rule))]
    if evidence.data_row:
        facts.append(Fact("Sector data", data_row_words(evidence.data_row)))
    if evidence.source:
        # Text, not a link: the offline report must not point outside itself.
        facts.append(Fact("Source", evidence.source))
    if evidence.similarity is not None:
        facts.append(Fact(SIMILARITY_LABEL, similarity_text(evidence.similarity)))
    if evidence.detail:
        facts.append(Fact("Detail", evidence.detail))
    return tuple(facts)


def conflict_finding(conflict: Conflict) -> Finding:
    """A conflict as shown in reports and pages."""
    return Finding(
        kind=word(CONFLICT_KINDS, conflict.kind.value),
        summary=conflict.summary,
        parties=" & ".join(conflict.parties),
        severity=word(SEVERITIES, conflict.severity.value),
        severity_code=conflict.severity.value,
        quotes=evidence_quotes(conflict.evidence),
        facts=evidence_facts(conflict.evidence),
    )


def synergy_finding(synergy: Synergy) -> Finding:
    """A synergy as shown in reports and pages."""
    return Finding(
        kind=word(SYNERGY_KINDS, synergy.kind.value),
        summary=synergy.summary,
        parties=" & ".join(synergy.parties),
        severity="",
        severity_code="",
        quotes=evidence_quotes(synergy.evidence),
        facts=evidence_facts(synergy.evidence),
    )
