"""Turning imported organisations into directory rows: one vector, SDGs and sectors each.

The engine reads every organisation once, at build time, the way it reads a partner in an
assessment: the vector is the embedding of the mission and goals (what discovery ranks by), the
SDGs come from the SDG mapper over the same texts plus any the profile states, and the sectors are
the sensitive sectors (data/sectors.yaml) its mission, sector, activities and goals push.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from commonground.core.directory.changes import write_directory
from commonground.core.directory.records import Entry, Record
from commonground.core.directory.search import FloatArray
from commonground.core.directory.storage import Directory
from commonground.core.profiles import Profile
from commonground.core.semantics.engines import EmbeddingEngine
from commonground.core.semantics.sdgs import map_sdgs
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.semantics.sentences import read_by_sentence

BATCH = 256  # organisations embedded at a time; the writer fills each segment with many batches


def search_text(profile: Profile) -> str:
    """What discovery compares: the mission, then each goal."""
    return " ".join([profile.mission, *(g.text for g in profile.goals)])


def statements(profile: Profile) -> list[str]:
    """The texts that say what an organisation is, does or wants (read for sectors and SDGs)."""
    return [
        profile.mission,
        *([profile.sector] if profile.sector else []),
        *(a.text for a in profile.activities),
        *(g.text for g in profile.goals),
    ]


def read_batch(entries: Sequence[Entry], engine: EmbeddingEngine) -> tuple[FloatArray, list[Record]]:
    """Vectors and records of a batch of organisations (one embedding call per kind of text)."""
    vectors = engine.embed([search_text(e.profile) for e in entries])
    texts: list[str] = []
    owner: list[int] = []
    for i, entry in enumerate(entries):
        for text in statements(entry.profile):
            texts.append(text)
            owner.append(i)
    readings = read_by_sentence(texts, engine.embed(texts), engine=engine) if texts else []
    sdg_texts = [[entry.profile.mission, *(g.text for g in entry.profile.goals)] for entry in entries]
    flat = [t for group in sdg_texts for t in group]
    predictions = iter(map_sdgs(flat, engine=engine)) if flat else iter([])
    sectors: list[set[str]] = [set() for _ in entries]
    smap = load_sector_map()
    for i, reading in zip(owner, readings, strict=True):
        kind = entries[i].profile.kind.value
        sectors[i].update(m.sector for m in reading.sectors if smap.applies_to(m.sector, kind))
    records = []
    for i, entry in enumerate(entries):
        sdgs = set(entry.sdgs)
        for goal in entry.profile.goals:
            sdgs.update(goal.sdgs or ())
        for _ in sdg_texts[i]:
            sdgs.update(score.sdg for score in next(predictions).sdgs)
        records.append(
            Record(
                key=entry.identity,
                name=entry.profile.name,
                country=entry.country,
                region=entry.region,
                kind=entry.profile.kind.value,
                size=entry.size,
                sdgs=sorted(sdgs),
                sectors=sorted(sectors[i]),
                source=entry.source,
                profile=entry.profile.to_document(),
            )
        )
    return np.asarray(vectors, dtype=np.float32), records


def build_directory(
    output: Path,
    entries: Sequence[Entry],
    *,
    engine: EmbeddingEngine,
    replace: bool = True,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> Directory:
    """Embed ``entries`` in batches and write them as a directory (or add them to one)."""

    def batches() -> Iterator[tuple[FloatArray, list[Record]]]:
        for start in range(0, len(entries), batch):
            chunk = entries[start : start + batch]
            yield read_batch(chunk, engine)
            if progress is not None:
                progress(len(chunk))

    return write_directory(output, engine=engine.name, dim=engine.dim, batches=batches(), replace=replace)
