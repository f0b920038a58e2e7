"""The prototype phrases of the sectors, screens and mission areas, embedded once per engine."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from commonground.core.semantics.engines import EmbeddingEngine, Matrix
from commonground.core.semantics.sector_map import Group, load_sector_map


@dataclass(frozen=True)
class PrototypeIndex:
    """Prototype embeddings of one engine, stacked so one matrix product scores every text."""

    sector_vectors: Matrix
    sector_slices: tuple[tuple[int, int], ...]  # columns of each sector, in SectorMap order
    sector_phrases: tuple[str, ...]
    # One row per sector: its name ("Land grabs and forced evictions"). Red lines name what they rule
    # out ("no land grabs"), so a red-line topic is also matched to the names, never a statement.
    name_vectors: Matrix
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


_INDEXES: dict[tuple[str, int, str], PrototypeIndex] = {}
_INDEX_LOCK = threading.Lock()


def group_slices(groups: Sequence[tuple[str, ...]]) -> tuple[tuple[int, int], ...]:
    """The columns of each group when the groups' phrases are stacked in order."""
    out: list[tuple[int, int]] = []
    start = 0
    for group in groups:
        out.append((start, start + len(group)))
        start += len(group)
    return tuple(out)


def anchor_texts() -> list[str]:
    """The curated texts classification compares against: sector, area, neutral, then stance texts."""
    smap = load_sector_map()
    every = (*smap.sectors, *smap.screens)
    return [
        *(p for s in every for p in s.prototypes),
        *(p for a in smap.areas for p in a.prototypes),
        *smap.neutral,
        *(p for s in every for p in s.stance_for),
        *(p for s in every for p in s.stance_against),
        *(s.name for s in every),
    ]


def prototype_index(engine: EmbeddingEngine, group: Group = "sectors") -> PrototypeIndex:
    """The prototype index of ``group`` for an engine, built once per process and kept."""
    # Keyed by model name and width: the same model gives the same vectors, so one embedding of
    # the prototypes per process is enough.
    key = (engine.name, engine.dim, group)
    with _INDEX_LOCK:
        cached = _INDEXES.get(key)
    if cached is not None:
        return cached
    smap = load_sector_map()
    members = smap.group(group)
    s_phrases = tuple(p for s in members for p in s.prototypes)
    a_phrases = tuple(p for a in smap.areas for p in a.prototypes)
    vectors = engine.embed(anchor_texts())
    row: dict[str, int] = {}
    for i, text in enumerate(anchor_texts()):
        row.setdefault(text, i)
    for_groups = [(*s.prototypes, *s.stance_for) for s in members]
    against_groups = [s.stance_against for s in members]
    for_phrases = tuple(p for g in for_groups for p in g)
    against_phrases = tuple(p for g in against_groups for p in g)
    built = PrototypeIndex(
        sector_vectors=vectors[[row[p] for p in s_phrases]],
        sector_slices=group_slices([s.prototypes for s in members]),
        sector_phrases=s_phrases,
        name_vectors=vectors[[row[s.name] for s in members]],
        area_vectors=vectors[[row[p] for p in a_phrases]],
        area_slices=group_slices([a.prototypes for a in smap.areas]),
        area_phrases=a_phrases,
        neutral_vectors=vectors[[row[p] for p in smap.neutral]],
        for_vectors=vectors[[row[p] for p in for_phrases]],
        for_slices=group_slices(for_groups),
        for_phrases=for_phrases,
        against_vectors=vectors[[row[p] for p in against_phrases]],
        against_slices=group_slices(against_groups),
        against_phrases=against_phrases,
    )
    with _INDEX_LOCK:
        _INDEXES[key] = built
    return built


def best_per_group(sims: Matrix, slices: tuple[tuple[int, int], ...]) -> tuple[Matrix, npt.NDArray[np.int64]]:
    """Best similarity and best prototype column per (text, group)."""
    best = np.empty((sims.shape[0], len(slices)), dtype=np.float32)
    cols = np.empty((sims.shape[0], len(slices)), dtype=np.int64)
    for g, (lo, hi) in enumerate(slices):
        block = sims[:, lo:hi]
        arg = np.argmax(block, axis=1)
        cols[:, g] = arg + lo
        best[:, g] = block[np.arange(block.shape[0]), arg]
    return best, cols
