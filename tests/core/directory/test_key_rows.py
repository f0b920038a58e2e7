"""Keys files: adds, updates and removes find old rows from the keys alone, old directories still work."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from commonground.core.directory import segments as segments_module
from commonground.core.directory.changes import compact_directory, remove_from_directory, write_directory
from commonground.core.directory.key_rows import KEYS, read_keys
from commonground.core.directory.records import Record
from commonground.core.directory.segments import RecordLines, SegmentWriter
from commonground.core.directory.storage import open_directory

DIM = 16
Batch = tuple[np.ndarray, list[Record]]


def _vector(seed: int) -> np.ndarray:
    row = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return (row / np.linalg.norm(row)).astype(np.float32)


def _record(key: str, version: int = 0) -> Record:
    name = f"{key} v{version}"
    return Record(
        key=key,
        name=name,
        kind="nonprofit",
        source="test",
        profile={"name": name, "kind": "nonprofit", "mission": f"The mission of {name}"},
    )


def _batches(items: list[tuple[Record, np.ndarray]], size: int = 25) -> Iterator[Batch]:
    for start in range(0, len(items), size):
        part = items[start : start + size]
        yield np.stack([v for _, v in part]), [r for r, _ in part]


def _keys(n: int, prefix: str = "org") -> list[str]:
    # Unicode keys, so byte lengths differ from character counts.
    return [f"{prefix}-{i:03d}-Å☂" for i in range(n)]


def _answers(root: Path) -> list[list[str]]:
    """What a user sees: the names a few queries find, in order, and everyone live."""
    directory = open_directory(root)
    found = [
        [directory.record_at(s, row).name for s, row, _ in directory.search(_vector(900 + q), 12)]
        for q in range(6)
    ]
    return [*found, sorted(r.name for _, _, r in directory.live_records())]


def _strip_keys(root: Path) -> None:
    """Make the directory one written before keys files existed."""
    for segment in open_directory(root).segments:
        (segment.path / KEYS).unlink()


def _no_record_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: RecordLines, reader: object) -> list[object]:
        raise AssertionError("an add or remove read whole records files")

    monkeypatch.setattr(RecordLines, "read", refuse)


@pytest.mark.parametrize("old_format", [False, True], ids=["keys-files", "no-keys-files"])
def test_add_update_remove_answer_as_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old_format: bool
) -> None:
    root = tmp_path / "d"
    keys = _keys(90)
    live: dict[str, tuple[Record, np.ndarray]] = {k: (_record(k), _vector(i)) for i, k in enumerate(keys)}
    write_directory(root, engine="e", dim=DIM, batches=_batches(list(live.values())), segment_rows=40)
    if old_format:
        _strip_keys(root)
    else:
        _no_record_reading(monkeypatch)
    # Ten new organisations, five updates, and one key given twice in the same add (the last counts).
    added = [(_record(k), _vector(200 + i)) for i, k in enumerate(_keys(10, "new"))]
    updates = [(_record(k, 1), _vector(300 + i)) for i, k in enumerate(keys[10:60:10])]
    twice = [(_record("new-003-Å☂", 2), _vector(400))]
    items = added + updates + twice
    write_directory(root, engine="e", dim=DIM, batches=_batches(items, 7), replace=False, merge=False)
    for record, vector in items:
        live[record.key] = (record, vector)
    if old_format:  # the old segments kept no keys file; the new one has its own
        assert [(s.path / KEYS).exists() for s in open_directory(root).segments] == [False] * 3 + [True]
    # A removal naming an unknown key removes nothing (all or none), and says which key it was.
    before = open_directory(root).count
    _, missing = remove_from_directory(root, ["org-005-Å☂", "new-007-Å☂", "org-020-Å☂", "nobody"])
    assert missing == ["nobody"]
    assert open_directory(root).count == before
    _, missing = remove_from_directory(root, ["org-005-Å☂", "new-007-Å☂", "org-020-Å☂"])
    assert missing == []
    for key in ("org-005-Å☂", "new-007-Å☂", "org-020-Å☂"):
        del live[key]
    monkeypatch.undo()
    rebuilt = tmp_path / "rebuilt"
    write_directory(rebuilt, engine="e", dim=DIM, batches=_batches(list(live.values())))
    assert open_directory(root).count == open_directory(rebuilt).count == len(live) == 97
    assert _answers(root) == _answers(rebuilt)
    everyone = _answers(root)[-1]
    assert "new-003-Å☂ v2" in everyone
    assert "new-003-Å☂ v0" not in everyone
    # A compact writes every segment's keys file, old directory or not.
    compacted = compact_directory(root)
    assert read_keys(compacted.segments[0].path, compacted.count) == [
        r.key for _, _, r in compacted.live_records()
    ]
    assert _answers(root) == _answers(rebuilt)


def test_a_merge_writes_the_keys_an_old_segment_lacked(tmp_path: Path) -> None:
    root = tmp_path / "d"
    keys = _keys(100)
    items = [(_record(k), _vector(i)) for i, k in enumerate(keys)]
    write_directory(root, engine="e", dim=DIM, batches=_batches(items), segment_rows=30, merge=False)
    _strip_keys(root)
    remove_from_directory(root, [keys[3], keys[95]])  # then merges the four small segments
    directory = open_directory(root)
    assert len(directory.segments) == 1
    assert read_keys(directory.segments[0].path, 98) == [k for k in keys if k not in (keys[3], keys[95])]


def test_a_key_holding_a_nul_leaves_its_segment_to_the_records(tmp_path: Path) -> None:
    root = tmp_path / "d"
    items = [(_record(k), _vector(i)) for i, k in enumerate(["a\0b", "plain", "c"])]
    directory = write_directory(root, engine="e", dim=DIM, batches=_batches(items))
    assert not (directory.segments[0].path / KEYS).exists()
    write_directory(
        root, engine="e", dim=DIM, batches=_batches([(_record("a\0b", 1), _vector(9))]), replace=False
    )
    names = sorted(r.name for _, _, r in open_directory(root).live_records())
    assert names == ["a\0b v1", "c v0", "plain v0"]


def test_a_damaged_keys_file_is_ignored_and_the_records_answer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "d"
    items = [(_record(k), _vector(i)) for i, k in enumerate(_keys(20))]
    directory = write_directory(root, engine="e", dim=DIM, batches=_batches(items))
    keys_file = directory.segments[0].path / KEYS
    np.save(keys_file, np.frombuffer(b"org-000-\xc3\x85\xe2\x98\x82\0", dtype=np.uint8))  # one key, 20 rows
    with caplog.at_level(logging.WARNING):
        _, missing = remove_from_directory(root, ["org-013-Å☂"])
    assert missing == []
    assert "1 keys for 20 rows; reading them from the records" in caplog.text
    assert "org-013-Å☂ v0" not in _answers(root)[-1]
    assert open_directory(root).count == 19


def test_an_add_that_fails_writing_keys_leaves_the_directory_answering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "d"
    items = [(_record(k), _vector(i)) for i, k in enumerate(_keys(30))]
    write_directory(root, engine="e", dim=DIM, batches=_batches(items))
    before = _answers(root)

    def disk_full(writer: SegmentWriter, key: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(segments_module.SegmentWriter, "_append_key", disk_full)
    update = [(_record(_keys(30)[4], 1), _vector(50))]
    with pytest.raises(OSError, match="No space"):
        write_directory(root, engine="e", dim=DIM, batches=_batches(update), replace=False)
    monkeypatch.undo()
    assert _answers(root) == before
    assert open_directory(root).count == 30
    assert not list(root.glob(".tmp-*"))
