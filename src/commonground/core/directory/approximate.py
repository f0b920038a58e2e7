"""An optional approximate first stage: an HNSW graph (usearch) over a directory's live rows.

The exact search (``search.py``) reads every code; a graph index reads a few hundred rows, so it
answers in about a millisecond, but it can miss true neighbours (recall below 1.0, measured in
bench/README.md) and it collapses under a strict filter (the graph's paths run through rows the
filter drops). So it is opt-in (``discover --approximate``), only the candidates come from the graph
(their scores are the exact float dot products, and the engine's re-rank is unchanged), and a filter
that keeps less than ``STRICT_BELOW`` of the directory answers with the exact search instead.

Files beside ``manifest.json``::

    index-hnsw.json                 kind, parameters, the directory fingerprint, the graph file's name
    index-hnsw-<random>.usearch     the graph: int8 rows, inner product, keys (segment << 32) | row

The graph is written under a temporary name, fsynced and renamed; then ``index-hnsw.json`` is written
the same way, and its rename is the commit. An interrupted build leaves the previous pair answering.
The fingerprint is a hash of the manifest's engine, dimension, segments and removed rows (segments
never change once written), so any add, update, remove or compact makes the index stale, and a stale
index is refused with a message rather than answering about organisations that changed.

Needs the optional extra ``commonground[approximate]`` (usearch); without it the error says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from commonground.core.directory.changes import writer_lock
from commonground.core.directory.search import BoolArray, FloatArray, IntArray
from commonground.core.directory.segments import fsync_dir, usual_mode
from commonground.core.directory.storage import Directory, DirectoryError, open_directory

KIND = "hnsw"
META = "index-hnsw.json"
GRAPH_NAME = re.compile(r"index-hnsw-[0-9a-f]{12}\.usearch")  # what build_index names the graph
FORMAT = 1
# Graph parameters (usearch's defaults for the graph). The search breadth is bench/approximate.py's
# (bench/README.md): at 64, p50 about 0.4 ms at recall 0.995 on queries near the data; wider costs
# time for little recall there, and no breadth near a millisecond reaches 0.95 on far queries.
CONNECTIVITY = 16
EXPANSION_ADD = 128
DEFAULT_EXPANSION = 64
# The default breadth grows with the graph: DEFAULT_EXPANSION per EXPANSION_ROWS organisations, up to
# MAX_DEFAULT_EXPANSION. On synthetic rows near the queries, 64 found 0.99 of the true top 20 at
# 100,000 rows but 0.70 at a million, where 256 found 0.96 (p50 1.9 ms against 48 ms exact on a
# loaded machine; bench/README.md "A million rows"); linear between the two measured sizes.
EXPANSION_ROWS = 250_000
MAX_DEFAULT_EXPANSION = 512
# The graph is asked for this many times k candidates; the float rows then choose the k.
OVERSAMPLE = 2
# A filter keeping less than this share of the live rows is answered by the exact search. Measured
# (bench/README.md, 100,000 rows, the default breadth, the graph forced on): recall 0.99 at a 50%
# filter, 0.94 at 30%, 0.86 at 20%; the exact search costs the same 3 ms there and less below 10%.
STRICT_BELOW = 0.50
# Answer.fallback: the filters keep too small a share, or they left too few of the graph's candidates.
STRICT_FILTER = "strict filter"
FEW_CANDIDATES = "few candidates"
# Rows handed to usearch per call while building (progress is reported per chunk).
BUILD_CHUNK = 10_000


class IndexUnavailable(DirectoryError):
    """No usable approximate index: none built, out of date, unreadable, or usearch not installed."""


class ApproximateNotInstalled(IndexUnavailable):
    """usearch, the optional extra ``commonground[approximate]``, is not installed."""


def fingerprint(manifest: dict[str, Any]) -> str:
    """A hash of what decides the live rows: engine, dimension, segment names, removed rows."""
    identity = {key: manifest.get(key) for key in ("engine", "dimension", "segments", "tombstones", "count")}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode("utf-8")).hexdigest()


def _usearch() -> Any:
    # usearch 2.26.6's extension, loaded before onnxruntime 1.32, makes onnxruntime's own import crash
    # the process (SIGSEGV); loaded after it, both work. `discover` needs both (the engine embeds the
    # query after the index is opened), so onnxruntime, a dependency anyway, is loaded first.
    import onnxruntime  # noqa: F401

    try:
        from usearch.index import Index
    except ImportError:
        raise ApproximateNotInstalled(
            "the approximate index needs usearch: pip install 'commonground[approximate]'"
        ) from None
    return Index


def _keys(segment: int, rows: IntArray) -> IntArray:
    """The graph's key of each row: its segment's position in the manifest, then the row."""
    return (np.int64(segment) << np.int64(32)) | rows.astype(np.int64)


@dataclass(frozen=True)
class IndexInfo:
    """What ``index-hnsw.json`` records."""

    fingerprint: str
    count: int
    file: str
    connectivity: int
    expansion_add: int

    def as_json(self) -> dict[str, Any]:
        """The metadata file's content."""
        return {
            "format": FORMAT,
            "kind": KIND,
            "fingerprint": self.fingerprint,
            "count": self.count,
            "file": self.file,
            "connectivity": self.connectivity,
            "expansion_add": self.expansion_add,
        }


def read_info(root: Path) -> IndexInfo | None:
    """The index's metadata, or None when no index was built (an unreadable file is an error)."""
    file = Path(root) / META
    if not file.is_file():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("format") != FORMAT or data.get("kind") != KIND:
            raise ValueError(f"not an index description of format {FORMAT}")
        # The graph's name is ours (a random hex tail): never a path out of the directory.
        if not GRAPH_NAME.fullmatch(str(data.get("file"))):
            raise ValueError(f"not a graph file name this program writes: {data.get('file')!r}")
        info = IndexInfo(
            fingerprint=str(data["fingerprint"]),
            count=int(data["count"]),
            file=str(data["file"]),
            connectivity=int(data["connectivity"]),
            expansion_add=int(data["expansion_add"]),
        )
        if min(info.count, info.connectivity, info.expansion_add) < 0:
            raise ValueError("a count or setting is negative")
        return info
    # OverflowError: a count of 1e400; RecursionError: arrays nested a hundred thousand deep.
    except (OSError, ValueError, KeyError, TypeError, OverflowError, RecursionError) as exc:
        raise IndexUnavailable(f"{file}: cannot read the approximate index: {exc}; rebuild it") from exc


def index_state(directory: Directory) -> str:
    """``"none"``, ``"fresh"``, ``"stale"`` or ``"unreadable"``: the index against the directory now."""
    return index_state_and_info(directory)[0]


def index_state_and_info(directory: Directory) -> tuple[str, IndexInfo | None]:
    """The index's state (as :func:`index_state`) and the metadata it was decided on, from one read."""
    try:
        info = read_info(directory.path)
    except IndexUnavailable:
        return "unreadable", None
    if info is None:
        return "none", None
    return ("fresh" if info.fingerprint == fingerprint(directory.manifest) else "stale"), info


def _write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write through ``write`` into a temporary file beside ``path``, fsync it, rename it over ``path``."""
    fd, name = tempfile.mkstemp(prefix=".tmp-index-", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        usual_mode(temporary, folder=False)
        os.replace(temporary, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def build_index(
    root: Path,
    *,
    connectivity: int = CONNECTIVITY,
    expansion_add: int = EXPANSION_ADD,
    threads: int = 0,
    progress: Callable[[int], None] = lambda done: None,
) -> IndexInfo:
    """Build the HNSW index of the directory's live rows and commit it, holding its writer lock."""
    index_class = _usearch()
    root = Path(root)
    with writer_lock(root):
        # Opened under the lock, so no add or remove can commit between reading the rows and the hash.
        directory = open_directory(root)
        graph = index_class(
            ndim=directory.dim,
            metric="ip",
            dtype="i8",
            connectivity=connectivity,
            expansion_add=expansion_add,
        )
        for s, segment in enumerate(directory.segments):
            rows = np.load(segment.path / "vectors.npy", mmap_mode="r")
            live = np.flatnonzero(segment.live)
            for start in range(0, len(live), BUILD_CHUNK):
                part = live[start : start + BUILD_CHUNK]
                graph.add(_keys(s, part), np.ascontiguousarray(rows[part], dtype=np.float32), threads=threads)
                progress(len(part))
        info = IndexInfo(
            fingerprint=fingerprint(directory.manifest),
            count=len(graph),
            file=f"index-{KIND}-{secrets.token_hex(6)}.usearch",
            connectivity=connectivity,
            expansion_add=expansion_add,
        )
        _write_atomically(root / info.file, lambda path: graph.save(str(path)))
        _write_atomically(
            root / META,
            lambda path: path.write_text(json.dumps(info.as_json(), indent=2) + "\n", encoding="utf-8"),
        )
        # Only now is the previous graph unused: remove it (and any left by an interrupted build).
        for old in root.glob(f"index-{KIND}-*.usearch"):
            if old.name != info.file:
                with contextlib.suppress(OSError):
                    old.unlink()
    return info


@dataclass(frozen=True)
class Answer:
    """Hits (segment, row, exact score) best first, and which search produced them and why."""

    hits: list[tuple[int, int, float]]
    mode: str  # "approximate" or "exact"
    reason: str
    # Why the exact search answered, for callers that word it themselves (the workspace's page):
    # "" (the graph answered), STRICT_FILTER or FEW_CANDIDATES.
    fallback: str = ""


class ApproximateIndex:
    """A directory's fresh HNSW index, memory-mapped, and the search that re-scores its candidates."""

    def __init__(self, directory: Directory, info: IndexInfo, graph: Any, expansion: int):
        self.directory = directory
        self.info = info
        self.expansion = expansion
        self._graph = graph

    def search(
        self,
        query: FloatArray,
        k: int,
        *,
        masks: Sequence[BoolArray] | None = None,
    ) -> Answer:
        """The ``k`` best rows: from the graph's candidates, or exactly when a filter is strict."""
        directory = self.directory
        allowed = directory.count
        if masks is not None:
            allowed = sum(int((m & s.live).sum()) for m, s in zip(masks, directory.segments, strict=True))
            share = allowed / max(directory.count, 1)
            if share < STRICT_BELOW:
                return Answer(
                    directory.search(query, k, masks=masks),
                    "exact",
                    f"the filters keep {share_text(share)} of the directory, under the {STRICT_BELOW:.0%} "
                    "below which the approximate index loses recall",
                    STRICT_FILTER,
                )
        if k <= 0 or allowed == 0:
            return Answer([], "approximate", f"HNSW index, expansion {self.expansion}")
        # A filter keeping a share p drops about 1 - p of the candidates: ask for 1/p as many, and
        # search 1/p as wide, or the graph's recall at that depth falls further (bench/README.md).
        widen = directory.count / allowed
        wanted = min(len(self._graph), math.ceil(k * OVERSAMPLE * widen))
        self._graph.expansion_search = max(math.ceil(self.expansion * widen), wanted)
        found = self._graph.search(np.asarray(query, dtype=np.float32), wanted, threads=1)
        keys = np.asarray(found.keys, dtype=np.int64)
        hits: list[tuple[int, int, float]] = []
        query32 = np.asarray(query, dtype=np.float32)
        segments = keys >> 32
        for s in np.unique(segments).tolist():
            rows = np.sort(keys[segments == s] & 0xFFFFFFFF)
            segment = directory.segments[s]
            keep = segment.live[rows] if masks is None else (segment.live & masks[s])[rows]
            rows = rows[keep]
            if len(rows):
                scores = segment.vectors[rows] @ query32
                hits += [(s, int(r), float(v)) for r, v in zip(rows.tolist(), scores.tolist(), strict=True)]
        hits.sort(key=lambda hit: (-hit[2], hit[0], hit[1]))
        if masks is not None and len(hits) < min(k, allowed):
            # The filter removed the query's own neighbourhood (a country whose members all sit far
            # from it): the graph's candidates are the wrong ones, so widening would not be enough.
            return Answer(
                directory.search(query, k, masks=masks),
                "exact",
                f"the filters left {len(hits)} of the index's {wanted} candidates, fewer than the "
                f"{min(k, allowed)} asked for, so the exact search answered",
                FEW_CANDIDATES,
            )
        return Answer(hits[:k], "approximate", f"HNSW index, expansion {self._graph.expansion_search}")


def share_text(share: float) -> str:
    """A share floored to a tenth of a per cent, so 49.96% never reads "50.0%" beside "under 50%"."""
    # The small epsilon keeps 0.29 (stored as 0.28999…) at "29.0%".
    return f"{math.floor(share * 1000 + 1e-9) / 10:.1f}%"


def default_expansion(count: int) -> int:
    """The search breadth a graph of ``count`` organisations gets when none is asked for."""
    return min(MAX_DEFAULT_EXPANSION, DEFAULT_EXPANSION * max(1, math.ceil(count / EXPANSION_ROWS)))


def open_index(directory: Directory, *, expansion: int | None = None) -> ApproximateIndex:
    """The directory's index, memory-mapped; IndexUnavailable when none is built or it is stale.

    Without ``expansion`` the search breadth grows with the directory (:func:`default_expansion`).
    """
    root = directory.path
    info = read_info(root)
    command = f"`commonground directory index --directory {root}`"
    if info is None:
        raise IndexUnavailable(
            f"{root}: no approximate index; build one with {command}, or search without --approximate"
        )
    if info.fingerprint != fingerprint(directory.manifest):
        raise IndexUnavailable(
            f"{root}: the approximate index is out of date (built for {info.count} organisations; the "
            f"directory now has {directory.count} and was changed since by add, remove or compact); "
            f"rebuild it with {command}, or search without --approximate"
        )
    index_class = _usearch()
    try:
        graph = index_class.restore(str(root / info.file), view=True)
    except (OSError, RuntimeError, ValueError) as exc:
        raise IndexUnavailable(f"{root / info.file}: cannot read the approximate index: {exc}") from exc
    if graph is None or graph.ndim != directory.dim or len(graph) != info.count:
        raise IndexUnavailable(f"{root / info.file}: the approximate index does not match its description")
    return ApproximateIndex(directory, info, graph, expansion or default_expansion(info.count))
