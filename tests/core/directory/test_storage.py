"""The directory on disk: build, add, update, remove, compact, and an interrupted build."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from commonground.core.directory import search
from commonground.core.directory.changes import compact_directory, remove_from_directory, write_directory
from commonground.core.directory.records import Record
from commonground.core.directory.scan_kernels import THREADS_SETTING
from commonground.core.directory.search import brute_force_top_k
from commonground.core.directory.storage import DirectoryError, open_directory

DIM = 24


def _vectors(n: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _records(names: list[str]) -> list[Record]:
    return [
        Record(
            key=name.casefold(),
            name=name,
            kind="nonprofit",
            source="test",
            profile={"name": name, "kind": "nonprofit", "mission": f"The mission of {name}"},
        )
        for name in names
    ]


def _batches(
    vectors: np.ndarray, names: list[str], size: int = 40
) -> Iterator[tuple[np.ndarray, list[Record]]]:
    for start in range(0, len(names), size):
        yield vectors[start : start + size], _records(names[start : start + size])


def _names(prefix: str, n: int) -> list[str]:
    return [f"{prefix} {i:03d}" for i in range(n)]


def _answer(root: Path, query: np.ndarray, k: int = 10) -> list[str]:
    directory = open_directory(root)
    records = directory.records_by_segment()
    return [records[s][row].name for s, row, _ in directory.search(query, k)]


def test_build_then_search_equals_brute_force(tmp_path: Path) -> None:
    vectors, names = _vectors(150, 1), _names("Org", 150)
    directory = write_directory(tmp_path / "d", engine="test", dim=DIM, batches=_batches(vectors, names))
    assert directory.count == 150
    assert len(directory.segments) == 1  # four batches of 40 fill one segment
    manifest = json.loads((tmp_path / "d" / "manifest.json").read_text())
    assert manifest["state"] == "complete"
    assert manifest["dimension"] == DIM
    assert manifest["count"] == 150
    for query in _vectors(5, 2):
        want = [names[i] for i in brute_force_top_k(vectors, query, 10).rows]
        assert _answer(tmp_path / "d", query) == want


def test_add_update_remove_and_compact_stay_consistent(tmp_path: Path) -> None:
    root = tmp_path / "d"
    vectors, names = _vectors(60, 3), _names("Org", 60)
    write_directory(root, engine="test", dim=DIM, batches=_batches(vectors, names))
    # Add ten new organisations and a new version of "Org 005" (same key): the old row stops answering.
    added, added_names = _vectors(11, 4), [*_names("New", 10), "Org 005"]
    write_directory(root, engine="test", dim=DIM, batches=_batches(added, added_names), replace=False)
    directory = open_directory(root)
    assert directory.count == 70
    assert _answer(root, added[3], 1) == ["New 003"]
    assert _answer(root, added[10], 1) == ["Org 005"]
    assert _answer(root, vectors[5], 100).count("Org 005") == 1  # the old version is gone
    # A list with a key that is not there removes nothing: a typo must not half-apply it.
    _, missing = remove_from_directory(root, ["org 010", "new 003", "nobody"])
    assert missing == ["nobody"]
    assert open_directory(root).count == 70
    assert "Org 010" in _answer(root, vectors[10], 100)
    # Remove two: they never answer again, whatever the query.
    _, missing = remove_from_directory(root, ["org 010", "new 003"])
    assert missing == []
    assert open_directory(root).count == 68
    everyone = _answer(root, vectors[10], 100)
    assert "Org 010" not in everyone
    assert "New 003" not in everyone
    assert len(everyone) == 68
    before = _answer(root, vectors[20], 15)
    compacted = compact_directory(root)
    assert len(compacted.segments) == 1
    assert compacted.count == 68
    assert _answer(root, vectors[20], 15) == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("seg-")) == [compacted.segments[0].name]


def test_an_interrupted_build_leaves_the_previous_directory_answering(tmp_path: Path) -> None:
    root = tmp_path / "d"
    vectors, names = _vectors(50, 5), _names("Old", 50)
    write_directory(root, engine="test", dim=DIM, batches=_batches(vectors, names))
    query = vectors[7]
    before = _answer(root, query)

    def broken() -> Iterator[tuple[np.ndarray, list[Record]]]:
        new = _vectors(200, 6)
        yield new[:100], _records(_names("New", 100))
        raise KeyboardInterrupt  # the user pressed Ctrl-C half way

    with pytest.raises(KeyboardInterrupt):
        write_directory(root, engine="test", dim=DIM, batches=broken())
    directory = open_directory(root)
    assert directory.count == 50
    assert _answer(root, query) == before
    assert not any(r.name.startswith("New") for _, _, r in directory.live_records())
    # The next write clears what the interrupted one left behind.
    write_directory(root, engine="test", dim=DIM, batches=_batches(vectors[:5], names[:5]))
    assert open_directory(root).count == 5
    assert len([p for p in root.iterdir() if p.name.startswith("seg-")]) == 1


def test_opening_or_overwriting_something_else_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError, match="not a directory of organisations"):
        open_directory(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(DirectoryError, match="not a directory of organisations"):
        write_directory(tmp_path, engine="test", dim=DIM, batches=iter([]))
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_adding_vectors_of_another_engine_is_refused(tmp_path: Path) -> None:
    write_directory(tmp_path / "d", engine="test", dim=DIM, batches=_batches(_vectors(3, 7), _names("A", 3)))
    with pytest.raises(DirectoryError, match="cannot add vectors"):
        write_directory(tmp_path / "d", engine="other", dim=8, batches=iter([]), replace=False)


def test_a_second_writer_is_refused_while_one_writes_and_nothing_is_lost(tmp_path: Path) -> None:
    import fcntl

    root = tmp_path / "orgs"
    write_directory(root, engine="test", dim=DIM, batches=_batches(_vectors(30, 1), _names("A", 30)))
    with (root / ".lock").open("a") as held:  # another process in the middle of `directory add`
        fcntl.flock(held, fcntl.LOCK_EX)
        for write in (
            lambda: write_directory(
                root, engine="test", dim=DIM, batches=_batches(_vectors(5, 2), _names("B", 5)), replace=False
            ),
            lambda: remove_from_directory(root, ["a 001"]),
            lambda: compact_directory(root),
        ):
            with pytest.raises(DirectoryError, match="another build, add, remove, compact or index"):
                write()
        fcntl.flock(held, fcntl.LOCK_UN)
    assert open_directory(root).count == 30  # untouched while refused
    write_directory(
        root, engine="test", dim=DIM, batches=_batches(_vectors(5, 2), _names("B", 5)), replace=False
    )
    assert open_directory(root).count == 35


def test_one_record_is_read_by_its_row_and_summaries_carry_no_profile(tmp_path: Path) -> None:
    # Unicode names make the byte offsets differ from character counts.
    names = [f"Åsa Ünal Org {i:03d} — ☂" for i in range(90)]
    write_directory(tmp_path / "d", engine="test", dim=DIM, batches=_batches(_vectors(90, 3), names))
    directory = open_directory(tmp_path / "d")
    wanted = [(s, row) for s, segment in enumerate(directory.segments) for row in (0, len(segment.live) - 1)]
    read = [directory.record_at(s, row) for s, row in wanted]
    # A second directory object reads them all at once, the old way: the same records.
    everything = open_directory(tmp_path / "d").records_by_segment()
    assert read == [everything[s][row] for s, row in wanted]
    assert read[0].profile["mission"] == f"The mission of {names[0]}"
    summaries = directory.summaries_by_segment()
    assert [[(m.key, m.name, m.kind) for m in part] for part in summaries] == [
        [(r.key, r.name, r.kind) for r in part] for part in everything
    ]
    assert not hasattr(summaries[0][0], "profile")


def test_a_search_in_progress_reads_its_records_after_a_compact_deletes_their_folders(tmp_path: Path) -> None:
    root = tmp_path / "d"
    names = _names("Org", 90)
    batches = _batches(_vectors(90, 4), names)
    write_directory(root, engine="test", dim=DIM, batches=batches, segment_rows=40, merge=False)
    opened = open_directory(root)
    assert opened.record_at(0, 0).name == "Org 000"
    remove_from_directory(root, keys=["org 005"])
    compact_directory(root)
    assert not opened.segments[0].path.exists()  # the old segments were swept away
    # The open directory keeps answering from the files it opened, as its arrays do.
    assert opened.record_at(1, 2).name == names[42]
    assert [r.name for r in opened.segments[2].records()] == names[80:90]


def test_every_reader_skips_the_same_blank_lines(tmp_path: Path) -> None:
    root = tmp_path / "d"
    names = _names("Org", 30)
    write_directory(root, engine="test", dim=DIM, batches=_batches(_vectors(30, 5), names, size=30))
    # A hand-edited file: a line of a no-break space and a blank CRLF line before the third record.
    records = root / open_directory(root).segments[0].path.name / "records.jsonl"
    lines = records.read_bytes().split(b"\n")
    records.write_bytes(b"\n".join([*lines[:2], "\u00a0".encode(), b"\r", *lines[2:]]))
    directory = open_directory(root)
    assert [directory.record_at(0, row).name for row in range(30)] == names
    assert [s.name for s in directory.summaries_by_segment()[0]] == names
    assert [r.name for r in directory.records_by_segment()[0]] == names


def test_a_threaded_scan_answers_as_brute_force_after_adds_and_removals(tmp_path: Path, monkeypatch) -> None:
    """``COMMONGROUND_SEARCH_THREADS`` changes only the speed: adds, updates and removals still answer."""
    monkeypatch.setenv(THREADS_SETTING, "2")
    monkeypatch.setattr(search, "THREADED_FROM", 1)  # split even these small segments between threads
    root = tmp_path / "d"
    vectors, names = _vectors(90, 31), _names("Org", 90)
    write_directory(root, engine="test", dim=DIM, batches=_batches(vectors, names), segment_rows=40)
    added = _vectors(20, 32)
    write_directory(root, engine="test", dim=DIM, batches=_batches(added, _names("New", 20)), replace=False)
    remove_from_directory(root, ["org 004", "new 007"])
    everything = np.concatenate([vectors, added])
    every_name = names + _names("New", 20)
    live = np.array([n not in ("Org 004", "New 007") for n in every_name])
    for query in _vectors(5, 33):
        want = [every_name[i] for i in brute_force_top_k(everything, query, 15, mask=live).rows]
        assert _answer(root, query, 15) == want
