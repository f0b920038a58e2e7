"""Finding partners in a directory: a fast exact stage over everyone, then the full assessment.

1. The seeker's mission and goals are embedded once and every organisation the filters keep is
   ranked by exact similarity (int8 scan, float re-rank: ``search.py``), plus a little for each
   SDG both work on.
2. Organisations whose sectors (read by the engine when the directory was built) the seeker's red
   lines name are left out (an absolute red line) or marked (a strong one), each with why; those in
   a sector the sector map sets against a mission area the seeker pursues are marked, with why.
3. The shortlist goes through the full assessment engine, seeker and candidate as a pair, and is
   ranked by its score; each result carries the verdict and the assessment's reasons with evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from commonground.core.directory.building import search_text
from commonground.core.directory.filter_columns import SDG_BITS
from commonground.core.directory.records import Record, RecordSummary
from commonground.core.directory.search import BoolArray
from commonground.core.directory.storage import Directory
from commonground.core.profiles import Profile, Severity
from commonground.core.results import AssessmentResult
from commonground.core.semantics.engines import EmbeddingEngine
from commonground.core.semantics.sdgs import profile_sdgs
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.semantics.sectors import read_texts

if TYPE_CHECKING:
    from commonground.core.directory.approximate import ApproximateIndex

SDG_BONUS = 0.02  # added to the similarity per SDG both organisations work on...
SDG_BONUS_CAP = 0.06  # ...up to this, so SDGs break near-ties but never outrank the mission
FAST_POOL = 4  # the fast stage fetches this many times the shortlist, room for red-line exclusions
REASONS_SHOWN = 3


@dataclass(frozen=True)
class Filters:
    """Structured filters, applied before the scan (an empty set filters nothing)."""

    countries: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    sdgs: frozenset[int] = frozenset()

    def keeps(self, record: Record | RecordSummary) -> bool:
        """Whether ``record`` passes every filter (SDGs: at least one of those asked for)."""
        if self.countries and (record.country or "").upper() not in self.countries:
            return False
        if self.kinds and record.kind not in self.kinds:
            return False
        return not self.sdgs or bool(self.sdgs & set(record.sdgs))


def filter_masks(directory: Directory, filters: Filters) -> list[BoolArray] | None:
    """One boolean mask per segment of the rows ``filters`` keep (None when nothing is filtered).

    From each segment's filter columns (a few array passes); from its records' summaries for a
    segment written before the columns existed, or for an SDG number the columns have no bit for.
    """
    if not (filters.countries or filters.kinds or filters.sdgs):
        return None
    bits = all(0 <= goal < SDG_BITS for goal in filters.sdgs)
    masks: list[BoolArray] = []
    for s, segment in enumerate(directory.segments):
        if segment.filters is not None and bits:
            masks.append(
                segment.filters.mask(countries=filters.countries, kinds=filters.kinds, sdgs=filters.sdgs)
            )
        else:
            # Only this segment's records are read (and kept): an old segment among new ones must
            # not cost the parse of every segment.
            masks.append(summary_mask(directory.summaries_of(s), filters))
    return masks


def summary_mask(summaries: Sequence[RecordSummary], filters: Filters) -> BoolArray:
    """The rows of one segment's summaries ``filters`` keep, record by record."""
    return np.fromiter((filters.keeps(r) for r in summaries), dtype=np.bool_, count=len(summaries))


@dataclass(frozen=True)
class RuledOut:
    """A sensitive sector one of the seeker's red lines names."""

    sector: str
    red_line: str
    severity: Severity


def ruled_out_sectors(seeker: Profile, engine: EmbeddingEngine) -> dict[str, RuledOut]:
    """Sectors the seeker's red lines are about, read the way the engine reads red lines."""
    texts = [r.text for r in seeker.red_lines]
    if not texts:
        return {}
    readings = read_texts(texts, engine.embed(texts), engine=engine, backstop=False)
    out: dict[str, RuledOut] = {}
    best: dict[str, float] = {}
    for red_line, reading in zip(seeker.red_lines, readings, strict=True):
        for match in (*reading.topics, *reading.sectors):
            # A sector named by several red lines is credited to the one closest to it in meaning.
            if match.similarity > best.get(match.sector, -1.0):
                best[match.sector] = match.similarity
                out[match.sector] = RuledOut(match.sector, red_line.text, red_line.severity)
    return out


@dataclass(frozen=True)
class MissionSensitive:
    """A sensitive sector the sector map sets against a mission area the seeker pursues."""

    sector: str
    area: str  # the mission area's name, as the sector map writes it
    severity: str  # the map row's: "high" or "medium"


def mission_sensitive_sectors(seeker: Profile, engine: EmbeddingEngine) -> dict[str, MissionSensitive]:
    """Sectors that work against a mission area the seeker's mission, goals or activities pursue.

    The same map rows the full assessment's sensitive-sector conflicts come from; the most severe
    row, then the area the seeker's texts are closest to, names the area for each sector.
    """
    texts = [seeker.mission, *(g.text for g in seeker.goals), *(a.text for a in seeker.activities)]
    readings = read_texts(texts, engine.embed(texts), engine=engine)
    closest: dict[str, float] = {}
    for reading in readings:
        for match in reading.areas:
            closest[match.area] = max(closest.get(match.area, -1.0), match.similarity)
    smap = load_sector_map()
    out: dict[str, MissionSensitive] = {}
    for sector in smap.sectors:
        rows = [r for r in (smap.row(sector.id, area) for area in closest) if r is not None]
        if rows:
            row = min(rows, key=lambda r: (r.severity != "high", -closest[r.area], r.area))
            out[sector.id] = MissionSensitive(sector.id, smap.area(row.area).name, row.severity)
    return out


def name_key(name: str) -> str:
    """A name as two spellings of one organisation share it: case and spacing aside.

    A register often writes a name in capitals ("BRIGHT START CHILD HEALTH TRUST"); that is the same
    organisation as the workspace's "Bright Start Child Health Trust".
    """
    return " ".join(name.casefold().split())


def is_seeker(name: str, seeker: Profile) -> bool:
    """Whether an organisation called ``name`` is the seeker itself (:func:`name_key`): never a partner
    for it."""
    return name_key(name) == name_key(seeker.name)


class SeekerItself(ValueError):
    """The organisation asked about is the one searching: there is no pair to assess."""


@dataclass(frozen=True)
class Candidate:
    """An organisation the fast stage found, with its fast score."""

    record: Record
    similarity: float
    shared_sdgs: tuple[int, ...]
    flag: RuledOut | None = None  # a red line of the seeker's names one of its sectors
    sensitive: MissionSensitive | None = None  # one of its sectors works against the seeker's mission

    @property
    def fast_score(self) -> float:
        """Similarity plus the SDG bonus."""
        return self.similarity + min(SDG_BONUS * len(self.shared_sdgs), SDG_BONUS_CAP)

    @property
    def mark(self) -> str | None:
        """Why the organisation is marked, in words, or None: a red line first, then the mission."""
        if self.flag is not None:
            return f"works in {sector_words(self.flag.sector)}; your red line: {self.flag.red_line}"
        if self.sensitive is not None:
            return mission_mark(self.sensitive)
        return None


def sector_words(sector: str) -> str:
    """A sector's id as words: ``sugary_drinks`` → "sugary drinks"."""
    return sector.replace("_", " ")


def mission_mark(sensitive: MissionSensitive) -> str:
    """Why an organisation is marked for working against a mission area the seeker pursues."""
    return (
        f"works in {sector_words(sensitive.sector)}, widely seen as working against "
        f"{sensitive.area.lower()}, which your mission pursues"
    )


@dataclass(frozen=True)
class Excluded:
    """An organisation left out or marked, and why."""

    name: str
    action: str  # "left out" or "marked"
    why: str
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A shortlisted organisation after the full assessment."""

    candidate: Candidate
    assessment: AssessmentResult

    def reasons(self) -> list[dict[str, Any]]:
        """The assessment's first reasons, then its conflicts and synergies with their evidence.

        A conflict the score's reasons already name ("Medium stakeholder conflict: … (−2 points)") is
        listed once: its evidence goes under that reason rather than the finding being repeated.
        """
        out: list[dict[str, Any]] = [
            {"kind": "score", "summary": r, "evidence": []} for r in self.assessment.reasons[:REASONS_SHOWN]
        ]
        for conflict in self.assessment.conflicts[:REASONS_SHOWN]:
            evidence = [f"{t.party} ({t.field}): {t.text}" for t in conflict.evidence.texts]
            named = next((r for r in out if r["kind"] == "score" and conflict.summary in r["summary"]), None)
            if named is not None:
                named["kind"] = f"conflict:{conflict.kind.value}"
                named["evidence"] = evidence
                continue
            out.append(
                {"kind": f"conflict:{conflict.kind.value}", "summary": conflict.summary, "evidence": evidence}
            )
        for synergy in self.assessment.synergies[:REASONS_SHOWN]:
            out.append(
                {
                    "kind": f"synergy:{synergy.kind.value}",
                    "summary": synergy.summary,
                    "evidence": [f"{t.party} ({t.field}): {t.text}" for t in synergy.evidence.texts],
                }
            )
        return out


@dataclass
class Discovery:
    """Results in rank order, what was left out or marked, and how many organisations were ranked."""

    results: list[Match] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    considered: int = 0
    search_mode: str = "exact"  # or "approximate": which first stage answered
    search_reason: str = ""  # why, when --approximate was asked for
    search_fallback: str = ""  # approximate.STRICT_FILTER or FEW_CANDIDATES when the exact search stood in


def fast_stage(
    seeker: Profile,
    directory: Directory,
    *,
    engine: EmbeddingEngine,
    size: int,
    filters: Filters = Filters(),
    index: ApproximateIndex | None = None,
) -> tuple[list[Candidate], list[Excluded], int, tuple[str, str, str]]:
    """The best ``size`` candidates by similarity and shared SDGs, those red lines leave out, the mode.

    With ``index`` the first stage takes the graph's candidates (unless a filter is strict: see
    ``approximate.STRICT_BELOW``); the last item says which search answered, why, and the fallback.
    """
    if engine.name != directory.engine:
        raise ValueError(f"the directory was built with engine {directory.engine}, not {engine.name}")
    query = engine.embed([search_text(seeker)])[0]
    masks = filter_masks(directory, filters)
    considered = (
        directory.count
        if masks is None
        else int(sum(int((m & s.live).sum()) for m, s in zip(masks, directory.segments, strict=True)))
    )
    mode = ("exact", "", "")
    if index is None:
        hits = directory.search(query, size * FAST_POOL, masks=masks)
    else:
        answer = index.search(query, size * FAST_POOL, masks=masks)
        hits, mode = answer.hits, (answer.mode, answer.reason, answer.fallback)
    seeker_sdgs = {s.sdg for s in profile_sdgs(seeker, engine=engine)}
    seeker_sdgs |= {n for g in seeker.goals for n in (g.sdgs or ())}
    ruled = ruled_out_sectors(seeker, engine)
    sensitive = mission_sensitive_sectors(seeker, engine)
    kept: list[Candidate] = []
    excluded: list[Excluded] = []
    for s, row, score in hits:
        # Only the hits' full records are read: a million profiles would not fit in memory.
        record = directory.record_at(s, row)
        if is_seeker(record.name, seeker):
            excluded.append(Excluded(record.name, "left out", "this is the organisation searching"))
            continue
        hit = [ruled[sector] for sector in record.sectors if sector in ruled]
        shared = tuple(sorted(seeker_sdgs & set(record.sdgs)))
        flag = next((r for r in hit if r.severity == Severity.ABSOLUTE), hit[0] if hit else None)
        if flag is not None:
            action = "left out" if flag.severity == Severity.ABSOLUTE else "marked"
            why = f"works in {sector_words(flag.sector)}, which your red line rules out: {flag.red_line!r}"
            excluded.append(Excluded(record.name, action, why, tuple(r.sector for r in hit)))
            if action == "left out":
                continue
        # Marked, not left out: how much the sector weighs against this mission is the full
        # assessment's to say (a portfolio minority, say, is one step milder).
        against = [sensitive[sector] for sector in record.sectors if sector in sensitive]
        mission = next((m for m in against if m.severity == "high"), against[0] if against else None)
        if flag is None and mission is not None:
            excluded.append(
                Excluded(record.name, "marked", mission_mark(mission), tuple(m.sector for m in against))
            )
        kept.append(Candidate(record, score, shared, flag, mission))
    kept.sort(key=lambda c: (-c.fast_score, c.record.name))
    return kept[:size], excluded, considered, mode


def discover(
    seeker: Profile,
    directory: Directory,
    *,
    engine: EmbeddingEngine,
    top: int = 20,
    shortlist: int | None = None,
    filters: Filters = Filters(),
    index: ApproximateIndex | None = None,
) -> Discovery:
    """The ``top`` organisations of ``directory`` for ``seeker``, assessed in full.

    ``shortlist`` (at least ``top``; default ``top``) is how many the full assessment re-ranks.
    """
    from commonground.core.assessment import assess_profiles

    if shortlist is not None and shortlist < top:
        raise ValueError(f"the shortlist ({shortlist}) must hold at least the {top} organisations listed")
    size = shortlist or top
    candidates, excluded, considered, (mode, reason, fallback) = fast_stage(
        seeker, directory, engine=engine, size=size, filters=filters, index=index
    )
    matches = [Match(c, assess_profiles([seeker, c.record.as_profile()], engine=engine)) for c in candidates]
    matches.sort(key=lambda m: (-m.assessment.score, -m.candidate.fast_score, m.candidate.record.name))
    return Discovery(
        results=matches[:top],
        excluded=excluded,
        considered=considered,
        search_mode=mode,
        search_reason=reason,
        search_fallback=fallback,
    )


def find_record(directory: Directory, name: str) -> Record | None:
    """The live organisation called ``name`` (case does not matter), or its key."""
    wanted = name.casefold()
    for s, (segment, summaries) in enumerate(
        zip(directory.segments, directory.summaries_by_segment(), strict=True)
    ):
        for row in np.flatnonzero(segment.live).tolist():
            summary = summaries[row]
            if summary.name.casefold() == wanted or summary.key.casefold() == wanted:
                return directory.record_at(s, row)
    return None


def explain(seeker: Profile, record: Record, *, engine: EmbeddingEngine) -> AssessmentResult:
    """The full assessment of the seeker with one organisation of the directory.

    Raises :class:`SeekerItself` when the organisation is the seeker (the ranking leaves it out too).
    """
    from commonground.core.assessment import assess_profiles

    if is_seeker(record.name, seeker):
        spelt = "" if record.name == seeker.name else f" ({seeker.name!r})"
        raise SeekerItself(
            f"{record.name!r} is the organisation searching itself{spelt}: there is no pair to assess; "
            "give another organisation's name or key"
        )
    return assess_profiles([seeker, record.as_profile()], engine=engine)


def names_of(matches: Sequence[Match]) -> list[str]:
    """Result names in rank order."""
    return [m.candidate.record.name for m in matches]
