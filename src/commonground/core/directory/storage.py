"""A directory on disk: a manifest naming segments of memory-mapped vectors and their records.

Layout of ``DIR``::

    manifest.json          format, engine, dimension, count, state, segments, tombstones
    seg-000001/            up to segments.SEGMENT_ROWS organisations, never changed once written
        codes.npy          int8 codes (n × dim), the scan reads these
        scales.npy         float32 per-row scale; errors.npy: per-row quantisation error
        vectors.npy        float32 rows for the exact re-rank
        records.jsonl      one Record per row, same order
        countries.npy, kinds.npy, sdgs.npy, filters.json
                           each row's filter fields as codes (filter_columns.py); absent in a
                           segment written before session 23, which is filtered from its records
        keys.npy           each row's key (key_rows.py): what an add or remove reads to find the
                           rows it replaces; absent in a segment written before 2026-12-06

Writes are atomic: a new segment is written under a temporary name, fsynced and renamed, and only
then is a new manifest written to a temporary file, fsynced and renamed over the old one. The
manifest's rename is the commit: a build stopped at any earlier point leaves the previous manifest
answering with the previous segments, never half of the new data. Adding organisations appends
segments (batches fill each up to ``SEGMENT_ROWS`` rows); updating one appends it and tombstones its
old row; removing tombstones it. Both find the old rows from the segments' keys files
(key_rows.KeyIndex), not by parsing every record. After a write or removal commits, small
segments are merged by tiers (segments.py), each merge written and committed the same way, so an
interrupted merge leaves the write it followed answering. ``compact`` rewrites the live rows as one
segment. The writes, merges, removals and compaction are in changes.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from commonground.core.directory.filter_columns import read_columns
from commonground.core.directory.records import Record, RecordSummary
from commonground.core.directory.search import (
    BoolArray,
    FloatArray,
    Hits,
    Part,
    exact_top_k,
    exact_top_k_parts,
)
from commonground.core.directory.segments import FloatRows, RecordLines, Segment

FORMAT = 1
MANIFEST = "manifest.json"


class DirectoryError(Exception):
    """A directory that cannot be opened or written, with a message a person can act on."""


class Directory:
    """An opened directory: its manifest and segments, read-only."""

    def __init__(self, path: Path, manifest: dict[str, Any], segments: list[Segment]):
        self.path = path
        self.manifest = manifest
        self.segments = segments
        self._records: list[list[Record]] | None = None
        self._summaries: dict[int, list[RecordSummary]] = {}

    @property
    def engine(self) -> str:
        """The embedding engine its vectors were made with."""
        return str(self.manifest["engine"])

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.manifest["dimension"])

    @property
    def count(self) -> int:
        """Live organisations."""
        return int(self.manifest["count"])

    def records_by_segment(self) -> list[list[Record]]:
        """Every segment's records, read once and kept."""
        if self._records is None:
            self._records = [segment.records() for segment in self.segments]
        return self._records

    def summaries_by_segment(self) -> list[list[RecordSummary]]:
        """Every segment's record summaries (no profiles), read once and kept: what listings of the
        whole directory need, in a tenth of the memory of the records."""
        return [self.summaries_of(s) for s in range(len(self.segments))]

    def summaries_of(self, segment: int) -> list[RecordSummary]:
        """One segment's record summaries, read once and kept (a filter reads only old segments')."""
        if segment not in self._summaries:
            self._summaries[segment] = self.segments[segment].summaries()
        return self._summaries[segment]

    def record_at(self, segment: int, row: int) -> Record:
        """One row's full record, read from its line (the lines' offsets are found once per segment)."""
        if self._records is not None:
            return self._records[segment][row]
        return self.segments[segment].lines.record(row)

    def live_records(self) -> Iterator[tuple[int, int, Record]]:
        """(segment, row, record) of every live organisation."""
        for s, (segment, records) in enumerate(zip(self.segments, self.records_by_segment(), strict=True)):
            for row in np.flatnonzero(segment.live):
                yield s, int(row), records[int(row)]

    def search(
        self, query: FloatArray, k: int, *, masks: Sequence[BoolArray] | None = None
    ) -> list[tuple[int, int, float]]:
        """The ``k`` best (segment, row, score) over live rows (and ``masks``, one per segment)."""
        if len(self.segments) > 1:
            # One pass over every segment: one shortlist, re-rank and bound check in all.
            parts = []
            for s, segment in enumerate(self.segments):
                mask = segment.live if masks is None else segment.live & masks[s]
                vectors = segment.vectors
                parts.append(
                    Part(segment.codes, segment.scales, segment.errors, vectors, None if mask.all() else mask)
                )
            return exact_top_k_parts(parts, query, k)
        found: list[tuple[int, int, float]] = []
        for s, segment in enumerate(self.segments):
            mask = segment.live if masks is None else segment.live & masks[s]
            if not mask.any():
                continue
            hits: Hits = exact_top_k(
                segment.codes,
                segment.scales,
                segment.errors,
                segment.vectors,
                query,
                k,
                mask=None if mask.all() else mask,
            )
            found += [(s, int(r), float(v)) for r, v in zip(hits.rows, hits.scores, strict=True)]
        found.sort(key=lambda hit: (-hit[2], hit[0], hit[1]))
        return found[:k]


def read_manifest(path: Path) -> dict[str, Any]:
    """The committed manifest of the directory at ``path``, or DirectoryError saying what is wrong."""
    file = path / MANIFEST
    if not file.is_file():
        raise DirectoryError(f"{path}: not a directory of organisations (no {MANIFEST}); build one first")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DirectoryError(f"{file}: cannot read the manifest: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DirectoryError(f"{file}: not a directory manifest of format {FORMAT}")
    if manifest.get("state") != "complete":
        raise DirectoryError(f"{file}: the directory is not complete (state {manifest.get('state')!r})")
    return manifest


def open_directory(path: Path) -> Directory:
    """Open a directory read-only; its arrays are memory-mapped, not read into memory."""
    path = Path(path)
    # A write that commits while we open (an add's merge, a compact) may delete segments the
    # manifest we read still names: read the new manifest and open again, as a reader never waits.
    for attempt in range(_OPEN_ATTEMPTS):
        manifest = read_manifest(path)
        try:
            return _open_segments(path, manifest)
        except DirectoryError:
            if attempt + 1 == _OPEN_ATTEMPTS or read_manifest(path) == manifest:
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


_OPEN_ATTEMPTS = 5


def _open_segments(path: Path, manifest: dict[str, Any]) -> Directory:
    tombstones: dict[str, list[int]] = manifest.get("tombstones", {})
    segments = []
    for name in manifest["segments"]:
        folder = path / name
        try:
            codes = np.load(folder / "codes.npy", mmap_mode="r")
            live = np.ones(len(codes), dtype=np.bool_)
            live[tombstones.get(name, [])] = False
            segments.append(
                Segment(
                    name=name,
                    codes=codes,
                    scales=np.load(folder / "scales.npy", mmap_mode="r"),
                    errors=np.load(folder / "errors.npy", mmap_mode="r"),
                    vectors=FloatRows(folder / "vectors.npy"),
                    lines=RecordLines(folder / "records.jsonl"),
                    live=live,
                    path=folder,
                    filters=read_columns(folder, len(codes)),
                )
            )
        except (OSError, ValueError) as exc:
            raise DirectoryError(f"{folder}: a segment the manifest names cannot be read: {exc}") from exc
    return Directory(path, manifest, segments)
