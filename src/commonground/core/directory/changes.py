"""Changes to a directory on disk: writes, merges, removals and compaction, each committed atomically."""

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

from commonground.core.directory.key_rows import KeyIndex, read_keys
from commonground.core.directory.records import Record
from commonground.core.directory.search import FloatArray
from commonground.core.directory.segments import (
    SEGMENT_ROWS,
    Segment,
    SegmentWriter,
    fsync_dir,
    to_merge,
    usual_mode,
)
from commonground.core.directory.storage import (
    FORMAT,
    MANIFEST,
    Directory,
    DirectoryError,
    open_directory,
    read_manifest,
)

# Named for the module these writes were split from, so log lines and their filters stay as they were.
LOGGER = logging.getLogger("commonground.core.directory.storage")
# Rows a merge copies at a time: 25 MB of float rows at 384 dimensions.
MERGE_SLICE = 16_384
# Held by whoever writes the directory (build, add, remove, compact): two writers at once would sweep
# each other's half-written segments and the last manifest would win, losing the other's changes.
LOCK = ".lock"


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
        previous = read_manifest(root)
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
