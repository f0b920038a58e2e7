"""A segment's files: read row by row, written in pieces, and which small segments to merge.

A segment is ``codes.npy``, ``scales.npy``, ``errors.npy``, ``vectors.npy``, ``records.jsonl``, its
filter columns and its keys (storage.py, filter_columns.py and key_rows.py describe them).
:class:`SegmentWriter` writes one in pieces, as batches arrive, so a build can embed 256
organisations at a time and still store a quarter of a million in one segment without holding them
in memory: each ``.npy`` file starts with a header of fixed length that names a shape of zero rows,
the rows are appended, and the header is rewritten with the real count before the files are fsynced
and the folder renamed into place. The files are ordinary ``.npy`` files (format 1.0, the header
padded with spaces as the format allows), so any reader of a directory, old or new, reads them. The
filter columns, a few bytes a row, are gathered in memory and written whole by ``finish``, before
the same fsync and rename; the keys are appended to ``keys.npy`` as the records are, its header
rewritten the same way.

Why segments are large and merged (bench/README.md, "Many segments"): a search paid Python work,
a kernel call and a re-rank of its own candidates per segment, so a million rows in segments of
256 took 50 times as long as in one segment (2.5 s a query); searching them in one pass
(search.exact_top_k_parts) cuts that, but each segment still costs a kernel call and a share of
the bookkeeping. A write therefore fills segments up to
``SEGMENT_ROWS`` rows, and after every write the segments of one size tier are merged once
``MERGE_FACTOR`` of them pile up (a tiered merge, as in an LSM tree), so many small adds leave a
number of segments that grows with the logarithm of the rows, not with the number of adds.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import numpy as np
import numpy.typing as npt

from commonground.core.directory.filter_columns import ColumnBuilder, FilterColumns, of_values
from commonground.core.directory.key_rows import END, KEYS, read_keys
from commonground.core.directory.npy_headers import read_npy_header
from commonground.core.directory.records import (
    Record,
    RecordSummary,
    keys_of,
    record_lines,
    records_of,
    summaries_of,
)
from commonground.core.directory.search import BoolArray, FloatArray, quantise

T = TypeVar("T")

# A write starts a new segment after this many rows (int8 codes of 384 MB at 384 dimensions): a
# million organisations stay one segment, so a search pays its per-segment work (a quantised query,
# a partial sort, a re-rank of k × 4 rows read from disk: about half a millisecond) once, and a
# merge never rewrites a segment this full.
SEGMENT_ROWS = 1_048_576
# This many segments of one tier are merged into one. Tier t holds segments of
# TIER_BASE·F^t to TIER_BASE·F^(t+1) live rows (tier 0 everything below TIER_BASE·F).
MERGE_FACTOR = 4
TIER_BASE = 256
# Every .npy header of a segment written here takes this many bytes (a multiple of 64, as numpy
# aligns its own), room for any shape of up to 2**63 rows.
HEADER_BYTES = 128
ARRAYS = ("codes", "scales", "errors", "vectors")


class SegmentError(ValueError):
    """A segment file that is not what a directory writes (a ValueError, as numpy's own are)."""


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def usual_mode(path: Path, *, folder: bool) -> None:
    """Give a temporary file or folder the mode an ordinary one would have (mkdtemp makes it private)."""
    os.chmod(path, (0o777 if folder else 0o666) & ~_umask())


class RecordLines:
    """A segment's records.jsonl, open from when the directory is opened, read with ``pread``.

    Held open like the arrays, so a compact, merge or rebuild that deletes the segment's folder while
    a search runs does not break it (the search keeps reading the version it opened). One row is
    read by its line's offset, found once per segment (8 bytes a row once found).
    """

    def __init__(self, path: Path):
        self._fd = os.open(path, os.O_RDONLY)
        self._lock = threading.Lock()  # whole-file reads share the descriptor's position
        self._offsets: npt.NDArray[np.int64] | None = None

    def read(self, reader: Callable[[BinaryIO], Iterator[T]]) -> list[T]:
        """Everything ``reader`` reads from the start of the file."""
        with self._lock, os.fdopen(os.dup(self._fd), "rb") as handle:
            handle.seek(0)
            return list(reader(handle))

    def each_line(self, consume: Callable[[Iterator[bytes]], None]) -> None:
        """Hand ``consume`` every row's line in order, streamed (a merge copies them without holding them)."""
        with self._lock, os.fdopen(os.dup(self._fd), "rb") as handle:
            handle.seek(0)
            consume(line for _, line in record_lines(handle))

    def _line_offsets(self) -> npt.NDArray[np.int64]:
        if self._offsets is None:
            starts = self.read(lambda handle: (at for at, _ in record_lines(handle)))
            self._offsets = np.asarray(starts, dtype=np.int64)
        return self._offsets

    def record(self, row: int) -> Record:
        """One row's full record."""
        offsets = self._line_offsets()
        start = int(offsets[row])
        end = int(offsets[row + 1]) if row + 1 < len(offsets) else os.fstat(self._fd).st_size
        # Up to the next row's line: blank lines between them are cut off with the newline.
        line = os.pread(self._fd, end - start, start).split(b"\n", 1)[0]
        return Record.model_validate_json(line)

    def __del__(self) -> None:
        with contextlib.suppress(AttributeError, OSError):
            os.close(self._fd)


class FloatRows:
    """The float32 rows of a ``.npy`` file, read row by row with ``pread`` for the re-rank.

    Not memory-mapped on purpose: the re-rank touches a few scattered rows per query, and a
    mapping would pull each one's neighbours in too (the kernel maps pages around a fault), so
    after some thousand queries most of the float file would count as the process's memory.
    Reads still come from the page cache.
    """

    def __init__(self, path: Path):
        with path.open("rb") as handle:
            shape, fortran, dtype = read_npy_header(handle)
            self._offset = handle.tell()
        if fortran or dtype != np.float32 or len(shape) != 2:
            raise SegmentError(f"{path}: expected a C-ordered float32 matrix, found {dtype} {shape}")
        self.shape: tuple[int, int] = (int(shape[0]), int(shape[1]))
        self._row_bytes = self.shape[1] * 4
        self._fd = os.open(path, os.O_RDONLY)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: npt.ArrayLike) -> FloatArray:
        wanted = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        out = np.empty((len(wanted), self.shape[1]), dtype=np.float32)
        for i, row in enumerate(wanted.tolist()):
            raw = os.pread(self._fd, self._row_bytes, self._offset + row * self._row_bytes)
            out[i] = np.frombuffer(raw, dtype=np.float32)
        return out

    def __del__(self) -> None:
        with contextlib.suppress(AttributeError, OSError):
            os.close(self._fd)


@dataclass(frozen=True)
class Segment:
    """One segment's arrays, memory-mapped read-only, and its live rows."""

    name: str
    codes: npt.NDArray[np.int8]
    scales: FloatArray
    errors: FloatArray
    vectors: FloatRows
    live: BoolArray
    path: Path
    lines: RecordLines
    filters: FilterColumns | None = None  # None: written before segments had filter columns

    def records(self) -> list[Record]:
        """Every record of the segment, tombstoned ones included (rows match the arrays)."""
        return self.lines.read(records_of)

    def summaries(self) -> list[RecordSummary]:
        """Every record's key, name and filter fields, tombstoned ones included, without profiles."""
        return self.lines.read(summaries_of)

    def keys(self) -> list[str]:
        """Every row's key, tombstoned ones included: from the keys file, else from the records."""
        found = read_keys(self.path, len(self.codes))
        return self.lines.read(keys_of) if found is None else found


def npy_header(dtype: npt.DTypeLike, shape: tuple[int, ...]) -> bytes:
    """A ``.npy`` format 1.0 header of exactly ``HEADER_BYTES`` bytes for a C-ordered array."""
    described = {
        "descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
        "fortran_order": False,
        "shape": shape,
    }
    text = repr(described).encode("latin1")
    room = HEADER_BYTES - 10 - 1  # magic (6), version (2), length (2); the header ends in a newline
    if len(text) > room:
        raise SegmentError(f"a .npy header for shape {shape} does not fit in {HEADER_BYTES} bytes")
    return (
        b"\x93NUMPY\x01\x00" + struct.pack("<H", HEADER_BYTES - 10) + text + b" " * (room - len(text)) + b"\n"
    )


class SegmentWriter:
    """One new segment, written in pieces under a temporary name; ``finish`` renames it into place.

    Used as a context manager: leaving it without ``finish`` (an error, Ctrl-C) deletes what was
    written, and anything a crash leaves is a ``.tmp-`` folder the next write sweeps away.
    """

    def __init__(self, root: Path, name: str, dim: int):
        self.root, self.name, self.dim = root, name, dim
        self.rows = 0
        self._lines = 0
        self.staging = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=root))
        self._files: dict[str, BinaryIO] = {}
        self._columns = ColumnBuilder()
        self._key_bytes = 0
        self._keys_whole = True  # False once a key holds a NUL: the segment then gets no keys file
        try:
            usual_mode(self.staging, folder=True)
            for array in ARRAYS:
                handle = (self.staging / f"{array}.npy").open("wb")
                self._files[array] = handle
                handle.write(b"\0" * HEADER_BYTES)  # the real header is written by finish
            self._records = (self.staging / "records.jsonl").open("wb")
            self._keys = (self.staging / KEYS).open("wb")
            self._keys.write(b"\0" * HEADER_BYTES)
        except BaseException:
            self._discard()
            raise

    def __enter__(self) -> SegmentWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abandon()

    def append(self, vectors: FloatArray, records: Sequence[Record]) -> None:
        """Quantise ``vectors`` and append them with their records."""
        rows = np.asarray(vectors, dtype=np.float32)
        q = quantise(rows)
        columns = of_values(
            [r.country for r in records], [r.kind for r in records], [r.sdgs for r in records]
        )
        lines = [_record_line(r) for r in records]
        self.append_rows(q.codes, q.scales, q.errors, rows, lines, columns, [r.key for r in records])

    def append_rows(
        self,
        codes: npt.NDArray[np.int8],
        scales: FloatArray,
        errors: FloatArray,
        vectors: FloatArray,
        lines: Sequence[bytes],
        columns: FilterColumns | None = None,
        keys: Sequence[str] | None = None,
    ) -> None:
        """Append rows already quantised (a merge copies them) and their records' lines."""
        self.append_arrays(codes, scales, errors, vectors)
        self.append_lines(lines, columns, keys)

    def append_arrays(
        self,
        codes: npt.NDArray[np.int8],
        scales: FloatArray,
        errors: FloatArray,
        vectors: FloatArray,
    ) -> None:
        """Append quantised rows; their records follow through ``append_lines`` (finish checks both)."""
        count = len(vectors)
        if not (len(codes) == len(scales) == len(errors) == count):
            raise SegmentError("every array of a batch must have the same rows")
        if count and (codes.shape[1] != self.dim or vectors.shape[1] != self.dim):
            raise SegmentError(f"rows of {vectors.shape[1]} dimensions for a directory of {self.dim}")
        parts: dict[str, npt.NDArray[Any]] = {
            "codes": np.ascontiguousarray(codes, dtype=np.int8),
            "scales": np.ascontiguousarray(scales, dtype=np.float32),
            "errors": np.ascontiguousarray(errors, dtype=np.float32),
            "vectors": np.ascontiguousarray(vectors, dtype=np.float32),
        }
        for array, values in parts.items():
            self._files[array].write(values.tobytes())
        self.rows += count

    def append_lines(
        self,
        lines: Iterable[bytes],
        columns: FilterColumns | None = None,
        keys: Iterable[str] | None = None,
    ) -> None:
        """Append records' lines (JSON, one organisation each), in the rows' order, with their filter
        columns and keys: ``columns`` and ``keys`` when the caller has them (a merge copies a
        segment's), else each line's, parsed."""
        if columns is not None:
            self._columns.add(columns)
        given = None if keys is None else iter(keys)
        for line in lines:
            self._records.write(line if line.endswith(b"\n") else line + b"\n")
            self._lines += 1
            if columns is None:
                self._columns.add_line(line)
            key = str(json.loads(line)["key"]) if given is None else next(given, None)
            if key is None:
                raise SegmentError(f"{self.name}: fewer keys than records' lines")
            self._append_key(key)

    def _append_key(self, key: str) -> None:
        if not self._keys_whole:
            return
        encoded = key.encode("utf-8")
        if END in encoded:
            self._keys_whole = False
            return
        self._keys.write(encoded + END)
        self._key_bytes += len(encoded) + 1

    def finish(self) -> None:
        """Write the headers, fsync every file and the folder, and rename the segment into place."""
        if self._lines != self.rows:
            raise SegmentError(f"{self.name}: {self.rows} rows but {self._lines} records")
        if self._columns.rows != self.rows:
            raise SegmentError(
                f"{self.name}: {self.rows} rows but {self._columns.rows} rows of filter columns"
            )
        shapes = {"codes": (self.rows, self.dim), "scales": (self.rows,), "errors": (self.rows,)}
        dtypes = {"codes": np.int8, "scales": np.float32, "errors": np.float32, "vectors": np.float32}
        for array, handle in self._files.items():
            handle.seek(0)
            handle.write(npy_header(dtypes[array], shapes.get(array, (self.rows, self.dim))))
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        self._records.flush()
        os.fsync(self._records.fileno())
        self._records.close()
        if self._keys_whole:
            self._keys.seek(0)
            self._keys.write(npy_header(np.uint8, (self._key_bytes,)))
            self._keys.flush()
            os.fsync(self._keys.fileno())
        self._keys.close()
        if not self._keys_whole:
            (self.staging / KEYS).unlink()
        self._columns.write(self.staging)  # fsynced with the rest, renamed with the folder
        fsync_dir(self.staging)
        self.staging.rename(self.root / self.name)
        fsync_dir(self.root)

    def abandon(self) -> None:
        """Delete the segment if it was not finished (nothing, once it was renamed into place)."""
        if self.staging.exists():
            self._discard()

    def _discard(self) -> None:
        texts = [getattr(self, name) for name in ("_records", "_keys") if hasattr(self, name)]
        for handle in [*self._files.values(), *texts]:
            with contextlib.suppress(OSError):
                handle.close()
        shutil.rmtree(self.staging, ignore_errors=True)


def _record_line(record: Record) -> bytes:
    """A record as records.write_records writes it: sorted keys, UTF-8, one line."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, sort_keys=True).encode("utf-8")


def tier(rows: int) -> int:
    """The merge tier of a segment of ``rows`` live rows."""
    level, bound = 0, TIER_BASE * MERGE_FACTOR
    while rows >= bound:  # integers: no rounding of a logarithm at the tiers' edges
        level, bound = level + 1, bound * MERGE_FACTOR
    return level


def to_merge(live_rows: Sequence[int], *, limit: int = SEGMENT_ROWS) -> list[int]:
    """Indices of the segments to merge next; [] if none.

    The lowest tier holding ``MERGE_FACTOR`` segments or more that are not full gives its smallest
    ones, as many as fit together in ``limit`` rows (at least two), so a merge never writes a segment
    larger than a write would: a full segment that lost a few rows, or four large ones, stay as they
    are rather than turning a small add or remove into a rewrite of millions of rows.
    """
    tiers: dict[int, list[int]] = {}
    for i, rows in enumerate(live_rows):
        if rows < limit:
            tiers.setdefault(tier(rows), []).append(i)
    for level in sorted(tiers):
        members = tiers[level]
        if len(members) < MERGE_FACTOR:
            continue
        chosen: list[int] = []
        total = 0
        for i in sorted(members, key=lambda i: (live_rows[i], i)):
            if total + live_rows[i] > limit:
                break
            chosen.append(i)
            total += live_rows[i]
        if len(chosen) >= 2:
            return sorted(chosen)
    return []
