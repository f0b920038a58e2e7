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
segment.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from commonground.core.directory.filter_columns import read_columns
from commonground.core.directory.key_rows import KeyIndex, read_keys
from commonground.core.directory.records import Record, RecordSummary
from commonground.core.directory.search import (
    BoolArray,
    FloatArray,
    Hits,
    Part,
    exact_top_k,
    exact_top_k_parts,
)
from commonground.core.directory.segments import (
    SEGMENT_ROWS,
    FloatRows,
    RecordLines,
    Segment,
    SegmentWriter,
    fsync_dir,
    to_merge,
    usual_mode,
)

LOGGER = logging.getLogger(__name__)
FORMAT = 1
# Rows a merge copies at a time: 25 MB of float rows at 384 dimensions.
MERGE_SLICE = 16_384
MANIFEST = "manifest.json"
# Held by whoever writes the directory (build, add, remove, compact): two writers at once would sweep
# each other's half-written segments and the last manifest would win, losing the other's changes.
LOCK = ".lock"


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


def _read_manifest(path: Path) -> dict[str, Any]:
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
        manifest = _read_manifest(path)
        try:
            return _open_segments(path, manifest)
        except DirectoryError:
            if attempt + 1 == _OPEN_ATTEMPTS or _read_manifest(path) == manifest:
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


def _commit(root: Path, manifest: dict[str, Any]) -> None:
    """Replace the manifest atomically: this rename is the moment the new data answers."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below; kept to unlink on failure
        "w", dir=root, prefix=".tmp-manifest-", delete=False, encoding="utf-8"
    )
    try:
        with handle:
            json.dump(manifest, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        usual_mode(Path(handle.name), folder=False)
        os.replace(handle.name, root / MANIFEST)
        fsync_dir(root)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


def _next_name(existing: Sequence[str], root: Path) -> str:
    numbers = [int(n.split("-")[1]) for n in existing]
    numbers += [int(p.name.split("-")[1]) for p in root.glob("seg-*") if p.name.split("-")[1].isdigit()]
    return f"seg-{max(numbers, default=0) + 1:06d}"


def _sweep(root: Path, keep: Sequence[str]) -> None:
    """Remove segments no manifest names and leftovers of interrupted writes."""
    for child in root.iterdir():
        stale_segment = child.name.startswith("seg-") and child.name not in keep
        if stale_segment or child.name.startswith(".tmp-"):
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    child.unlink()


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """The directory's writer lock, or DirectoryError at once when another writer holds it."""
    with (root / LOCK).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DirectoryError(
                f"{root}: another build, add, remove, compact or index is writing this directory; "
                "wait for it to finish, then try again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_directory(
    root: Path,
    *,
    engine: str,
    dim: int,
    batches: Iterator[tuple[FloatArray, list[Record]]],
    replace: bool = True,
    segment_rows: int = SEGMENT_ROWS,
    merge: bool = True,
) -> Directory:
    """Write ``batches`` as new segments; ``replace`` drops what was there, else it adds and updates.

    Batches fill segments of up to ``segment_rows`` rows. A record whose key is already in the
    directory replaces the older row (tombstoned). Nothing answers until every batch is written and
    the manifest is committed; then, with ``merge``, small segments are merged (``merge_segments``).
    One writer at a time.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    others = [p for p in root.iterdir() if p.name != LOCK]
    if (
        not (root / MANIFEST).exists()
        and others
        and not any(p.name.startswith((".tmp-", "seg-")) for p in others)
    ):
        raise DirectoryError(
            f"{root}: exists and is not a directory of organisations; give a new or empty folder"
        )
    with writer_lock(root):
        _write(root, engine=engine, dim=dim, batches=batches, replace=replace, segment_rows=segment_rows)
        if merge:
            _merge_after_commit(root)
        return open_directory(root)


def _write(
    root: Path,
    *,
    engine: str,
    dim: int,
    batches: Iterator[tuple[FloatArray, list[Record]]],
    replace: bool,
    segment_rows: int = SEGMENT_ROWS,
) -> None:
    previous: dict[str, Any] | None = None
    if (root / MANIFEST).exists():
        previous = _read_manifest(root)
        if (previous["engine"] != engine or int(previous["dimension"]) != dim) and not replace:
            raise DirectoryError(
                f"{root}: built with engine {previous['engine']} ({previous['dimension']} dimensions); "
                f"cannot add vectors of {engine} ({dim})"
            )
    _sweep(root, keep=previous["segments"] if previous else [])
    kept: list[str] = [] if replace or previous is None else list(previous["segments"])
    tombstones: dict[str, list[int]] = (
        {} if replace or previous is None else dict(previous.get("tombstones", {}))
    )
    # Where each key already in the directory lives, from the keys alone (key_rows.py); the rows this
    # write adds are kept in ``written``, so a key given twice keeps only its last row.
    index = KeyIndex(open_directory(root).segments) if kept and previous else None
    count = int(previous["count"]) if kept and previous else 0
    written: dict[str, tuple[str, int]] = {}
    new_names: list[str] = []
    writer: SegmentWriter | None = None
    try:
        for vectors, records in batches:
            start = 0
            while start < len(records):
                if writer is None:
                    writer = SegmentWriter(root, _next_name(kept + new_names, root), dim)
                    new_names.append(writer.name)
                # A batch may straddle two segments: fill this one up to segment_rows.
                stop = min(len(records), start + max(1, segment_rows) - writer.rows)
                part = records[start:stop]
                writer.append(vectors[start:stop], part)
                for offset, record in enumerate(part):
                    old = written.get(record.key) or (index.pop(record.key) if index else None)
                    if old is None:
                        count += 1
                    else:
                        tombstones.setdefault(old[0], []).append(old[1])
                    written[record.key] = (writer.name, writer.rows - len(part) + offset)
                start = stop
                if writer.rows >= segment_rows:
                    writer.finish()
                    writer = None
        if writer is not None:
            writer.finish()
            writer = None
    finally:
        if writer is not None:
            writer.abandon()
    segments = kept + new_names
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "dimension": dim,
        "count": count,
        "state": "complete",
        "segments": segments,
        "tombstones": {k: sorted(set(v)) for k, v in sorted(tombstones.items())},
    }
    _commit(root, manifest)
    _sweep(root, keep=segments)


def merge_segments(root: Path) -> Directory:
    """Merge small segments by tiers (segments.to_merge) until none has too many; one writer at a time."""
    with writer_lock(Path(root)):
        _merge(Path(root))
        return open_directory(Path(root))


def _merge_after_commit(root: Path) -> None:
    """Merge after a write that has committed: a failure (a full disk) is reported, not raised,
    since the write is in and answering; the next write tries the merge again."""
    try:
        _merge(root)
    except (OSError, ValueError, DirectoryError) as exc:  # SegmentError is a ValueError
        LOGGER.warning(
            "%s: the change is saved, but merging small segments failed (%s); the next add or "
            "remove tries again, or run `commonground directory compact`",
            root,
            exc,
        )


def _merge(root: Path) -> None:
    """Each round merges one tier's segments into one new segment and commits it on its own, so an
    interruption leaves the last committed manifest answering, with every row, and the next write
    sweeps the unfinished segment away."""
    while True:
        current = open_directory(root)
        chosen = to_merge([int(np.count_nonzero(s.live)) for s in current.segments])
        if not chosen:
            return
        names = [current.segments[i].name for i in chosen]
        name = _next_name(current.manifest["segments"], root)
        with SegmentWriter(root, name, current.dim) as writer:
            for i in chosen:
                _copy_live_rows(current.segments[i], writer)
            writer.finish()
        # The merged segment takes the place of the first it replaces (ties keep their order).
        first = current.manifest["segments"].index(names[0])
        segments = [n for n in current.manifest["segments"] if n not in names]
        segments.insert(first, name)
        manifest = dict(current.manifest)
        manifest["segments"] = segments
        manifest["tombstones"] = {
            k: v for k, v in current.manifest.get("tombstones", {}).items() if k not in names
        }
        _commit(root, manifest)
        _sweep(root, keep=segments)


def _copy_live_rows(segment: Segment, writer: SegmentWriter) -> None:
    """Append a segment's live rows to ``writer``, a slice at a time, their records streamed (and
    parsed for their filter columns only when the segment has none)."""
    live = np.flatnonzero(segment.live)
    columns = None if segment.filters is None else segment.filters.take(live)
    # A segment without a keys file (written before them) gets its keys parsed from the lines.
    every_key = read_keys(segment.path, len(segment.live))
    keys = None if every_key is None else [every_key[row] for row in live.tolist()]
    vectors = np.load(segment.path / "vectors.npy", mmap_mode="r")
    for start in range(0, len(live), MERGE_SLICE):
        rows = live[start : start + MERGE_SLICE]
        writer.append_arrays(segment.codes[rows], segment.scales[rows], segment.errors[rows], vectors[rows])
    segment.lines.each_line(
        lambda lines: writer.append_lines(
            (line for line, alive in zip(lines, segment.live, strict=True) if alive), columns, keys
        )
    )


def remove_from_directory(root: Path, keys: Sequence[str]) -> tuple[Directory, list[str]]:
    """Tombstone the organisations with ``keys``, all or none: returns the directory and the keys not
    found, and when any key is not found nothing is removed (a typo must not half-apply a list)."""
    with writer_lock(Path(root)):
        _, missing = _remove(Path(root), keys)
        if not missing:
            _merge_after_commit(Path(root))
        return open_directory(Path(root)), missing


def _remove(root: Path, keys: Sequence[str]) -> tuple[Directory, list[str]]:
    current = open_directory(root)
    wanted = set(keys)
    tombstones: dict[str, list[int]] = {k: list(v) for k, v in current.manifest.get("tombstones", {}).items()}
    found: set[str] = set()
    index = KeyIndex(current.segments)
    for key in sorted(wanted):
        place = index.pop(key)
        if place is not None:
            tombstones.setdefault(place[0], []).append(place[1])
            found.add(key)
    if found != wanted:
        return current, sorted(wanted - found)
    manifest = dict(current.manifest)
    manifest["tombstones"] = {k: sorted(set(v)) for k, v in sorted(tombstones.items())}
    manifest["count"] = current.count - len(found)
    _commit(Path(root), manifest)
    return open_directory(root), sorted(wanted - found)


def compact_directory(root: Path) -> Directory:
    """Rewrite the live organisations as one segment, dropping tombstoned rows."""
    with writer_lock(Path(root)):
        return _compact(Path(root))


def _compact(root: Path) -> Directory:
    current = open_directory(root)
    rows: list[tuple[int, int, Record]] = list(current.live_records())
    vectors = np.zeros((len(rows), current.dim), dtype=np.float32)
    for i, (s, row, _) in enumerate(rows):
        vectors[i] = current.segments[s].vectors[row][0]
    records = [record for _, _, record in rows]
    _write(
        root,
        engine=current.engine,
        dim=current.dim,
        batches=iter([(vectors, records)]),
        replace=True,
        segment_rows=max(1, len(records)),
    )
    return open_directory(root)
