"""The results of a network analysis: frozen dataclasses every renderer reads, and their JSON form.

Organisations are named by their survey ``id``; each result carries the id → name map so a renderer
never needs the survey. Pairs are ordered as the organisations are listed in the survey. Scores on
the 1–4 scale are None where nobody rated an organisation (no figure is better than a made-up one).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any, Literal

JSON_VERSION = 1

Pair = tuple[str, str]
GapKind = Literal["differs", "one-sided"]


@dataclasses.dataclass(frozen=True)
class Tie:
    """Two organisations that work together, as reported by one or both."""

    a: str
    b: str
    reported_by: tuple[str, ...]
    level: float  # mean of the 1–4 working levels the reporting side(s) gave
    frequency: float | None  # mean of the 1–4 frequencies given, None when nobody gave one
    value: float  # mean value score the reporting side(s) gave each other, 1–4
    trust: float  # mean trust score the reporting side(s) gave each other, 1–4


@dataclasses.dataclass(frozen=True)
class OrganisationFigures:
    """One organisation's place in the network and how the others rate it."""

    id: str
    name: str
    responded: bool
    degree: int  # organisations it has a tie with, reported by either side
    degree_centrality: float  # degree / (n−1)
    betweenness: float  # normalised, 0–1
    closeness: float  # 0–1
    value: float | None  # mean over raters of the mean of the three value dimensions, 1–4
    trust: float | None  # mean over raters of the mean of the three trust dimensions, 1–4
    rated_by: int  # how many organisations rated it
    isolate: bool
    single_point_of_failure: bool


@dataclasses.dataclass(frozen=True)
class PerceptionGap:
    """Two organisations that see their tie differently.

    ``differs``: each rates the other and on ``dimension`` the two answers are ``threshold`` or more
    apart (``a_says`` is a's answer about b, ``b_says`` b's about a). ``one-sided``: a reports the tie,
    b answered that it does not work with a (``a_says`` is a's working level, ``b_says`` and
    ``dimension`` are None). A tie b did not answer about is no gap (``RoundAnalysis.not_answered``).
    """

    a: str
    b: str
    kind: GapKind
    dimension: str | None
    a_says: int | None
    b_says: int | None


@dataclasses.dataclass(frozen=True)
class RoundAnalysis:
    """The network of one survey round."""

    coalition: str
    label: str
    date: datetime.date
    names: dict[str, str]
    organisations: tuple[OrganisationFigures, ...]
    ties: tuple[Tie, ...]
    density: float
    degree_centralization: float | None
    betweenness_centralization: float | None
    value: float | None  # network-wide: mean of every rating's value score
    trust: float | None  # network-wide: mean of every rating's trust score
    reciprocity: float | None  # share of ties reported by both sides, of those both sides answered about
    components: int  # connected parts, counting each isolate as one
    isolates: tuple[str, ...]
    single_points_of_failure: tuple[str, ...]
    bridges: tuple[Pair, ...]
    gaps: tuple[PerceptionGap, ...]
    gap_threshold: int
    # Ties one side reports and the other did not answer about: (reporter, silent side).
    not_answered: tuple[Pair, ...]

    def organisation(self, org_id: str) -> OrganisationFigures:
        """The figures of one organisation; KeyError for an id the survey does not list."""
        for figures in self.organisations:
            if figures.id == org_id:
                return figures
        raise KeyError(org_id)


@dataclasses.dataclass(frozen=True)
class OrganisationChange:
    """How one organisation's figures moved between two rounds (after − before)."""

    id: str
    name: str
    degree_before: int
    degree_after: int
    betweenness_change: float
    value_before: float | None
    value_after: float | None
    trust_before: float | None
    trust_after: float | None
    new_ties: tuple[str, ...]
    lost_ties: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class RoundChange:
    """What changed in the network between an earlier and a later round."""

    before: RoundAnalysis
    after: RoundAnalysis
    new_ties: tuple[Pair, ...]
    lost_ties: tuple[Pair, ...]
    density_change: float
    degree_centralization_change: float | None
    betweenness_centralization_change: float | None
    value_change: float | None
    trust_change: float | None
    organisations: tuple[OrganisationChange, ...]


def difference(after: float | None, before: float | None) -> float | None:
    """after − before, or None when either is missing."""
    return None if after is None or before is None else after - before


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and dates as JSON values; floats rounded to 4 places."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def analysis_document(analysis: RoundAnalysis, change: RoundChange | None = None) -> dict[str, Any]:
    """The JSON form of a round's analysis, with the comparison to another round when given."""
    document: dict[str, Any] = {"kind": "network-analysis", "version": JSON_VERSION, **_plain(analysis)}
    if change is not None:
        compared = _plain(change)
        compared["before"] = change.before.label
        compared["after"] = change.after.label
        document["change"] = compared
    return document


def analysis_json(analysis: RoundAnalysis, change: RoundChange | None = None) -> str:
    """:func:`analysis_document` as indented JSON text."""
    return json.dumps(analysis_document(analysis, change), indent=2, ensure_ascii=False) + "\n"
