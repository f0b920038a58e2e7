"""Classify plain-words texts into sensitive sectors and mission areas (data/sectors.yaml).

A text joins a sector when it is close in meaning to one of the sector's prototype phrases AND
its polarity says it does, sells, funds or lobbies FOR the activity: "we run smoking-cessation
clinics" is about tobacco but works against it, so it joins no sector (it lands in the health
mission area instead). Mission areas use similarity alone, except that a text pushing a sector is
not also counted toward the areas that sector works against ("oppose the soda tax" is not a
nutrition goal).

Thresholds were calibrated on the "calibration" cases in tests/data/conflict_cases.yaml; run
``.venv/bin/python tests/core/test_conflicts.py`` to print agreement on both splits.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import yaml

from commonground.core.semantics.engines import EmbeddingEngine, Matrix, get_engine
from commonground.core.semantics.polarity import Polarity, Role, polarity
from commonground.core.semantics.stance_model import cue_features, load_stance_model

# Calibrated on the calibration split of tests/data/conflict_cases.yaml (see module docstring).
SECTOR_THRESHOLD = 0.50  # a pro-sector text at least this close to a sector prototype is in it
AREA_THRESHOLD = 0.45  # a text at least this close to a mission-area prototype pursues it
SECTOR_MARGIN = 0.02  # ...and at least this much closer to it than to any mission area or neutral trade
SECTOR_TIE = 0.05  # other sectors within this of the best one also count (e.g. "beverages")
TOPIC_THRESHOLD = 0.45  # a text at least this close to a sector prototype is about that sector
# Stance backstop, calibrated on the calibration split of tests/data/stance_texts.yaml: a text with
# no explicit cue that is at least STANCE_TOPIC close to one of a sector's prototypes or stance
# prototypes takes the stance whose prototypes it is closer to by STANCE_MARGIN, else "unclear".
STANCE_TOPIC = 0.45
STANCE_MARGIN = 0.04
# Red-line topics are also read by the multilingual reader, so "aucun financement de fabricants
# d'armes" names weapons: a topic at least this close (cosine of the reader's embeddings) to one of
# a sector's prototypes is about it. Chosen on the training sentences (training/): at 0.40 a
# sector named this way was the right one 91% of the time.
READER_TOPIC_THRESHOLD = 0.40

RowSeverity = Literal["high", "medium"]


@dataclass(frozen=True)
class Sector:
    """A sensitive sector: what an organisation may do, sell, fund or lobby for."""

    id: str
    name: str
    description: str
    prototypes: tuple[str, ...]
    # Ways of working FOR the sector beyond its prototypes (which are all FOR), and AGAINST it
    # (treatment and support, control policy, reduction targets, closure, scrutiny, campaigning).
    stance_for: tuple[str, ...] = ()
    stance_against: tuple[str, ...] = ()


@dataclass(frozen=True)
class MissionArea:
    """A kind of social mission an organisation may exist to pursue."""

    id: str
    name: str
    prototypes: tuple[str, ...]


@dataclass(frozen=True)
class SectorConflictRow:
    """One curated row: a sector works against a mission area, with why and who says so."""

    id: str
    sector: str
    area: str
    severity: RowSeverity
    rationale: str
    source: str


@dataclass(frozen=True)
class SectorMap:
    """The whole curated map, as shipped in data/sectors.yaml."""

    version: str
    sectors: tuple[Sector, ...]
    areas: tuple[MissionArea, ...]
    rows: tuple[SectorConflictRow, ...]
    neutral: tuple[str, ...]

    def sector(self, sector_id: str) -> Sector:
        """The sector with this id."""
        return next(s for s in self.sectors if s.id == sector_id)

    def area(self, area_id: str) -> MissionArea:
        """The mission area with this id."""
        return next(a for a in self.areas if a.id == area_id)

    def row(self, sector_id: str, area_id: str) -> SectorConflictRow | None:
        """The conflict row from a sector to a mission area, if the map has one."""
        return next((r for r in self.rows if r.sector == sector_id and r.area == area_id), None)

    def areas_against(self, sector_id: str) -> frozenset[str]:
        """Mission areas the sector works against."""
        return frozenset(r.area for r in self.rows if r.sector == sector_id)


@dataclass(frozen=True)
class SectorMatch:
    """A text placed in a sector, with the prototype it matched and its polarity."""

    sector: str
    similarity: float
    prototype: str
    polarity: Polarity
    # The stance classifier's probability that the text puts the organisation in this sector,
    # when the classifier decided (None: the similarity rules decided).
    probability: float | None = None


@dataclass(frozen=True)
class AreaMatch:
    """A text placed in a mission area, with the prototype it matched."""

    area: str
    similarity: float
    prototype: str


def _parse(document: dict[str, Any]) -> SectorMap:
    sectors = tuple(
        Sector(
            s["id"],
            s["name"],
            s["description"],
            tuple(s["prototypes"]),
            tuple(s.get("stance", {}).get("for", [])),
            tuple(s.get("stance", {}).get("against", [])),
        )
        for s in document["sectors"]
    )
    areas = tuple(MissionArea(a["id"], a["name"], tuple(a["prototypes"])) for a in document["mission_areas"])
    rows = tuple(
        SectorConflictRow(r["id"], r["sector"], r["area"], r["severity"], r["rationale"], r["source"])
        for r in document["conflicts"]
    )
    sector_ids = {s.id for s in sectors}
    area_ids = {a.id for a in areas}
    for row in rows:
        # A typo in the data file must fail loudly, not silently drop a conflict.
        if row.sector not in sector_ids or row.area not in area_ids:
            raise ValueError(f"sectors.yaml row {row.id!r} names an unknown sector or mission area")
        if row.id != f"{row.sector}->{row.area}":
            raise ValueError(f"sectors.yaml row id {row.id!r} must be '{row.sector}->{row.area}'")
        if row.severity not in ("high", "medium"):
            raise ValueError(f"sectors.yaml row {row.id!r} has severity {row.severity!r}")
    neutral = tuple(document.get("neutral_activities", []))
    return SectorMap(str(document["version"]), sectors, areas, rows, neutral)


@lru_cache(maxsize=1)
def load_sector_map() -> SectorMap:
    """The curated sector map shipped with the package."""
    text = resources.files("commonground.data").joinpath("sectors.yaml").read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text))


SECTOR_MAP_VERSION: str = load_sector_map().version


@dataclass(frozen=True)
class _PrototypeIndex:
    """Prototype embeddings of one engine, stacked so one matrix product scores every text."""

    sector_vectors: Matrix
    sector_slices: tuple[tuple[int, int], ...]  # columns of each sector, in SectorMap order
    sector_phrases: tuple[str, ...]
    area_vectors: Matrix
    area_slices: tuple[tuple[int, int], ...]
    area_phrases: tuple[str, ...]
    neutral_vectors: Matrix
    # Per sector: its prototypes plus FOR stance texts, and its AGAINST stance texts.
    for_vectors: Matrix
    for_slices: tuple[tuple[int, int], ...]
    for_phrases: tuple[str, ...]
    against_vectors: Matrix
    against_slices: tuple[tuple[int, int], ...]
    against_phrases: tuple[str, ...]


_INDEXES: dict[tuple[str, int], _PrototypeIndex] = {}
_INDEX_LOCK = threading.Lock()


def _slices(groups: Sequence[tuple[str, ...]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    start = 0
    for group in groups:
        out.append((start, start + len(group)))
        start += len(group)
    return tuple(out)


def anchor_texts() -> list[str]:
    """The curated texts classification compares against: sector, area, neutral, then stance texts."""
    smap = load_sector_map()
    return [
        *(p for s in smap.sectors for p in s.prototypes),
        *(p for a in smap.areas for p in a.prototypes),
        *smap.neutral,
        *(p for s in smap.sectors for p in s.stance_for),
        *(p for s in smap.sectors for p in s.stance_against),
    ]


def _index(engine: EmbeddingEngine) -> _PrototypeIndex:
    # Keyed by model name and width: the same model gives the same vectors, so one embedding of
    # the prototypes per process is enough.
    key = (engine.name, engine.dim)
    with _INDEX_LOCK:
        cached = _INDEXES.get(key)
    if cached is not None:
        return cached
    smap = load_sector_map()
    s_phrases = tuple(p for s in smap.sectors for p in s.prototypes)
    a_phrases = tuple(p for a in smap.areas for p in a.prototypes)
    vectors = engine.embed(anchor_texts())
    n_s, n_a = len(s_phrases), len(a_phrases)
    row: dict[str, int] = {}
    for i, text in enumerate(anchor_texts()):
        row.setdefault(text, i)
    for_groups = [(*s.prototypes, *s.stance_for) for s in smap.sectors]
    against_groups = [s.stance_against for s in smap.sectors]
    for_phrases = tuple(p for g in for_groups for p in g)
    against_phrases = tuple(p for g in against_groups for p in g)
    built = _PrototypeIndex(
        sector_vectors=vectors[:n_s],
        sector_slices=_slices([s.prototypes for s in smap.sectors]),
        sector_phrases=s_phrases,
        area_vectors=vectors[n_s : n_s + n_a],
        area_slices=_slices([a.prototypes for a in smap.areas]),
        area_phrases=a_phrases,
        neutral_vectors=vectors[n_s + n_a : n_s + n_a + len(smap.neutral)],
        for_vectors=vectors[[row[p] for p in for_phrases]],
        for_slices=_slices(for_groups),
        for_phrases=for_phrases,
        against_vectors=vectors[[row[p] for p in against_phrases]],
        against_slices=_slices(against_groups),
        against_phrases=against_phrases,
    )
    with _INDEX_LOCK:
        _INDEXES[key] = built
    return built


def _best(sims: Matrix, slices: tuple[tuple[int, int], ...]) -> tuple[Matrix, npt.NDArray[np.int64]]:
    """Best similarity and best prototype column per (text, group)."""
    best = np.empty((sims.shape[0], len(slices)), dtype=np.float32)
    cols = np.empty((sims.shape[0], len(slices)), dtype=np.int64)
    for g, (lo, hi) in enumerate(slices):
        block = sims[:, lo:hi]
        arg = np.argmax(block, axis=1)
        cols[:, g] = arg + lo
        best[:, g] = block[np.arange(block.shape[0]), arg]
    return best, cols


@dataclass(frozen=True)
class TextReading:
    """Everything the classifier concluded about one text, kept for evidence and for goals."""

    text: str
    polarity: Polarity
    sectors: tuple[SectorMatch, ...]  # sectors the text pushes (pro-sector only)
    areas: tuple[AreaMatch, ...]  # mission areas the text pursues
    topics: tuple[SectorMatch, ...]  # sectors the text is ABOUT, whatever its stance
    # True when the trained stance classifier decided ``sectors`` (not the similarity rules).
    classified: bool = False
    # The classifier reads the text as working AGAINST what it names (fights, treats, replaces,
    # regulates ...), whatever its topic; None without a classifier.
    works_against: bool | None = None
    # The stance classifier's probabilities over its classes (None without a classifier), kept so
    # the goal-interaction model reads them rather than running the classifier again.
    stance_probabilities: Matrix | None = field(default=None, compare=False, repr=False)


def _backstop(stance: Polarity, for_sims: Matrix, against_sims: Matrix, index: _PrototypeIndex) -> Polarity:
    """The stance of a text without an explicit cue, from the stance prototypes of its sector.

    The sector is the one whose prototypes (either stance) the text is closest to; a text close to
    none keeps its word-rule reading. Inside the margin the stance is "unclear", never "for".
    """
    for_best, for_col = _best(for_sims[None, :], index.for_slices)
    against_best, against_col = _best(against_sims[None, :], index.against_slices)
    about = np.maximum(for_best[0], against_best[0])
    g = int(np.argmax(about))
    if float(about[g]) < STANCE_TOPIC:
        return stance
    margin = round(float(against_best[0, g] - for_best[0, g]), 4)
    role: Role
    if margin >= STANCE_MARGIN:
        role, direction, phrase = "against", -1, index.against_phrases[int(against_col[0, g])]
    elif margin <= -STANCE_MARGIN:
        role, direction, phrase = "for", 1, index.for_phrases[int(for_col[0, g])]
    else:
        role, direction, phrase = "unclear", stance.direction, ""
    cue = f"~{role}: {phrase}" if phrase else f"~{role}"
    return replace(stance, role=role, direction=direction, cues=(*stance.cues, cue), stance_margin=margin)


def sector_features(
    texts: Sequence[str],
    vectors: Matrix,
    stances: Sequence[Polarity],
    *,
    engine: EmbeddingEngine,
    reader: str,
) -> Matrix:
    """The stance classifier's inputs: embedding, similarity per sector, word-rule cues, reader embedding."""
    index = _index(engine)
    s_best, _ = _best(vectors @ index.sector_vectors.T, index.sector_slices)
    # How close the text is to each sector's ways of working FOR it and AGAINST it (data/sectors.yaml).
    for_best, _ = _best(vectors @ index.for_vectors.T, index.for_slices)
    against_best, _ = _best(vectors @ index.against_vectors.T, index.against_slices)
    cues = np.array([cue_features(p) for p in stances], dtype=np.float32).reshape(len(stances), -1)
    read = get_engine(reader).embed(list(texts))
    return np.hstack([vectors.astype(np.float32), s_best, for_best, against_best, cues, read])


def read_texts(
    texts: Sequence[str], vectors: Matrix, *, engine: EmbeddingEngine, backstop: bool = True
) -> list[TextReading]:
    """Classify texts whose embeddings are already known into sectors, topics and mission areas.

    With ``backstop`` (the default), a text whose wording has no explicit stance cue takes its
    stance from the sector's FOR and AGAINST prototypes (see :func:`_backstop`); red-line topics
    are read without it, since what a red line rules out is named, not done.
    """
    smap = load_sector_map()
    index = _index(engine)
    if len(texts) == 0:
        return []
    for_sims = vectors @ index.for_vectors.T
    against_sims = vectors @ index.against_vectors.T
    s_best, s_col = _best(vectors @ index.sector_vectors.T, index.sector_slices)
    a_best, a_col = _best(vectors @ index.area_vectors.T, index.area_slices)
    neutral = (vectors @ index.neutral_vectors.T).max(axis=1) if len(smap.neutral) else np.zeros(len(texts))
    cue_stances = [polarity(text) for text in texts]
    reader_sims = None if backstop else _reader_similarities(texts, engine)
    # The trained classifier decides sector membership for statements (red-line topics name what
    # is ruled out, so they are read by topic only); without weights for this engine, the
    # similarity rules below decide.
    model = load_stance_model(engine.name) if backstop else None
    features = (
        sector_features(texts, vectors, cue_stances, engine=engine, reader=model.reader) if model else None
    )
    probs = model.probabilities(features) if model and features is not None else None
    against = model.working_against(features) if model and features is not None else None
    readings: list[TextReading] = []
    for i, text in enumerate(texts):
        stance = cue_stances[i]
        if backstop and not stance.explicit and not stance.past:
            stance = _backstop(stance, for_sims[i], against_sims[i], index)
        top_sector = float(s_best[i].max())
        top_area = float(a_best[i].max())
        topics: list[SectorMatch] = []
        sectors: list[SectorMatch] = []
        for g, sector in enumerate(smap.sectors):
            sim = float(s_best[i, g])
            phrase = index.sector_phrases[int(s_col[i, g])]
            if sim >= TOPIC_THRESHOLD and sim >= top_sector - SECTOR_TIE:
                topics.append(SectorMatch(sector.id, sim, phrase, stance))
            # "Oppose the soda tax" sits near nutrition policy in meaning, so when a control word
            # turned the topic around the mission areas are not a fair contrast.
            contrast = float(neutral[i]) if stance.controlled else max(float(neutral[i]), top_area)
            # Policy wording ("the proposed soda tax") dilutes similarity to activity prototypes.
            floor = TOPIC_THRESHOLD if stance.controlled else SECTOR_THRESHOLD
            # An ended tie ("formerly part of an oil group") is not current work in the sector.
            by_similarity = (
                stance.role in ("for", "unclear")
                and not stance.past
                and sim >= floor
                and sim >= top_sector - SECTOR_TIE
                and sim - contrast >= SECTOR_MARGIN
            )
            if model is not None and probs is not None:
                column = model.classes.index(sector.id)
                p = float(probs[i, column])
                # Only the classifier's best class, and only when it is confident enough.
                # An explicit cue of working against the sector ("end new oil licensing",
                # "alcohol-free bars", "help smokers quit") is never overruled: a false "you work in
                # the harm you fight" costs more trust than a missed sector.
                vetoed = stance.explicit and stance.role == "against"
                if p >= model.threshold and int(np.argmax(probs[i])) == column and not vetoed:
                    sectors.append(SectorMatch(sector.id, sim, phrase, stance, round(p, 4)))
            elif by_similarity:
                sectors.append(SectorMatch(sector.id, sim, phrase, stance))
        # A text that pushes a sector does not pursue the missions that sector works against.
        excluded: set[str] = set()
        for match in sectors:
            excluded |= smap.areas_against(match.sector)
        areas = [
            AreaMatch(area.id, float(a_best[i, g]), index.area_phrases[int(a_col[i, g])])
            for g, area in enumerate(smap.areas)
            if float(a_best[i, g]) >= AREA_THRESHOLD and area.id not in excluded
        ]
        if not backstop:
            # The reader names the one sector a red-line topic is closest to in any language, so a
            # French or Arabic red line has a topic MiniLM could not read.
            known = {t.sector for t in topics}
            topics += [m for m in _reader_topics(i, reader_sims, stance) if m.sector not in known]
        readings.append(
            TextReading(
                text=text,
                polarity=stance,
                sectors=tuple(sorted(sectors, key=lambda m: _sort_key(m.similarity, m.sector))),
                areas=tuple(sorted(areas, key=lambda m: _sort_key(m.similarity, m.area))),
                topics=tuple(sorted(topics, key=lambda m: _sort_key(m.similarity, m.sector))),
                classified=model is not None,
                works_against=(
                    bool(against[i] >= model.counter_threshold)
                    if model is not None and against is not None
                    else None
                ),
                stance_probabilities=probs[i] if probs is not None else None,
            )
        )
    return readings


def reader_prototypes() -> list[str]:
    """The phrases the multilingual reader compares red-line topics with: sector prototypes and FOR texts."""
    return [p for s in load_sector_map().sectors for p in (*s.prototypes, *s.stance_for)]


def _reader_similarities(texts: Sequence[str], engine: EmbeddingEngine) -> Matrix | None:
    """Best reader similarity of each text to each sector's phrases, when a stance model names a reader."""
    model = load_stance_model(engine.name)
    if model is None or not texts:
        return None
    reader = get_engine(model.reader)
    smap = load_sector_map()
    phrases = reader_prototypes()
    sims = reader.embed(list(texts)) @ reader.embed(phrases).T
    best, _ = _best(sims, _slices([(*s.prototypes, *s.stance_for) for s in smap.sectors]))
    return best


def _reader_topics(i: int, sims: Matrix | None, stance: Polarity) -> list[SectorMatch]:
    """The sector a text names in any language the reader knows: its closest, if close enough."""
    if sims is None:
        return []
    g = int(np.argmax(sims[i]))
    if float(sims[i, g]) < READER_TOPIC_THRESHOLD:
        return []
    return [SectorMatch(load_sector_map().sectors[g].id, float(sims[i, g]), "(multilingual reader)", stance)]


def _sort_key(similarity: float, ident: str) -> tuple[float, str]:
    return (-round(similarity, 6), ident)


def classify_sectors(texts: Sequence[str], *, engine: EmbeddingEngine) -> list[list[SectorMatch]]:
    """For each text, the sensitive sectors it does, sells, funds or lobbies for (best first)."""
    return [list(r.sectors) for r in read_texts(texts, engine.embed(list(texts)), engine=engine)]


def classify_mission_areas(texts: Sequence[str], *, engine: EmbeddingEngine) -> list[list[AreaMatch]]:
    """For each text, the mission areas it pursues (best first)."""
    return [list(r.areas) for r in read_texts(texts, engine.embed(list(texts)), engine=engine)]
