"""The mission areas of texts in a language MiniLM reads poorly, read by the multilingual reader.

MiniLM places a French or German sentence far from the English phrases that stand for each
mission area (data/sectors.yaml), so "Mène des actions de prévention du tabagisme" pursued no
area, and a tobacco maker's partnership with a lung-health charity had no sensitive-sector finding
although its red line was crossed. For a profile whose language the reader reads and MiniLM does not
(:func:`languages.reads_through_reader`), each statement's areas come from the reader instead: the
same English phrases, the same rule (every area whose closest phrase is close enough), with a
threshold of the reader's own, calibrated on English training sentences to agree with MiniLM's areas
(``scripts/calibrate-reader-areas.py``; see docs/methods.md).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from commonground.core.semantics.engines import EmbeddingEngine, Matrix, get_engine
from commonground.core.semantics.languages import detect_language
from commonground.core.semantics.sector_map import AreaMatch, load_sector_map
from commonground.core.semantics.sectors import TextReading

__all__ = ["READER_AREA_THRESHOLD", "reader_area_similarities", "reader_areas", "with_reader_areas"]

# The reader's cosine at which a text pursues a mission area. Chosen by
# scripts/calibrate-reader-areas.py: the lowest at which English training sentences that do or
# neighbour a sector get an area it works against no more often than MiniLM gives them one.
READER_AREA_THRESHOLD = 0.42

_PHRASES: dict[str, tuple[Matrix, tuple[tuple[int, int], ...]]] = {}
_LOCK = threading.Lock()


def _area_phrases(reader: EmbeddingEngine) -> tuple[Matrix, tuple[tuple[int, int], ...]]:
    """The reader's embeddings of every area's phrases, and each area's rows among them."""
    with _LOCK:
        if reader.name not in _PHRASES:
            areas = load_sector_map().areas
            phrases = [p for a in areas for p in a.prototypes]
            slices, start = [], 0
            for area in areas:
                slices.append((start, start + len(area.prototypes)))
                start += len(area.prototypes)
            _PHRASES[reader.name] = (reader.embed(phrases), tuple(slices))
        return _PHRASES[reader.name]


def reader_area_similarities(texts: Sequence[str], *, reader: str) -> Matrix:
    """Each text's best reader cosine to each mission area's phrases (texts x areas)."""
    engine = get_engine(reader)
    phrases, slices = _area_phrases(engine)
    sims = engine.embed(list(texts)) @ phrases.T if texts else np.zeros((0, len(phrases)), np.float32)
    return np.stack([sims[:, a:b].max(axis=1) for a, b in slices], axis=1).astype(np.float32)


def reader_areas(
    texts: Sequence[str], excluded: Sequence[set[str]], *, reader: str
) -> list[tuple[AreaMatch, ...]]:
    """The mission areas each text pursues, read by ``reader``; ``excluded`` areas per text left out.

    A text that pushes a sector does not pursue the areas that sector works against, as for MiniLM's
    areas (sectors.read_texts), so the caller passes those.
    """
    if not texts:
        return []
    areas = load_sector_map().areas
    sims = reader_area_similarities(texts, reader=reader)
    out: list[tuple[AreaMatch, ...]] = []
    for i in range(len(texts)):
        found = [
            AreaMatch(area.id, float(sims[i, g]), "(multilingual reader)")
            for g, area in enumerate(areas)
            if float(sims[i, g]) >= READER_AREA_THRESHOLD and area.id not in excluded[i]
        ]
        out.append(tuple(sorted(found, key=lambda m: (-round(m.similarity, 6), m.area))))
    return out


def with_reader_areas(readings: Sequence[TextReading], *, reader: str) -> list[TextReading]:
    """The readings with their mission areas read by ``reader``; a statement in English keeps MiniLM's."""
    smap = load_sector_map()
    chosen = [i for i, r in enumerate(readings) if detect_language(r.text)[0] != "en"]
    excluded = [set().union(*(smap.areas_against(m.sector) for m in readings[i].sectors)) for i in chosen]
    found = reader_areas([readings[i].text for i in chosen], excluded, reader=reader)
    areas = dict(zip(chosen, found, strict=True))
    return [replace(r, areas=areas[i]) if i in areas else r for i, r in enumerate(readings)]
