"""Large segments written in pieces, small ones merged by tiers, and answers that never change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from commonground.core.directory import changes, segments, storage
from commonground.core.directory.changes import merge_segments, remove_from_directory, write_directory
from commonground.core.directory.records import Record
from commonground.core.directory.search import brute_force_top_k, quantise
from commonground.core.directory.segments import HEADER_BYTES, FloatRows, SegmentWriter, tier, to_merge
from commonground.core.directory.storage import Directory, open_directory

DIM = 16


def _vectors(n: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _records(names: list[str]) -> list[Record]:
    return [
        Record(
            key=name.casefold(),
            name=name,
            country="GB" if sum(name.encode()) % 3 == 0 else "FR",  # the same in any batch
            kind="nonprofit",
            source="test",
            profile={"name": name, "kind": "nonprofit", "mission": f"The mission of {name}"},
        )
        for name in names
    ]


def _batches(vectors: np.ndarray, names: list[str], size: int) -> Iterator[tuple[np.ndarray, list[Record]]]:
    for start in range(0, len(names), size):
        yield vectors[start : start + size], _records(names[start : start + size])


class Reference:
    """Every organisation written so far, by name: what a brute-force search must answer."""

    def __init__(self) -> None:
        self.vectors: dict[str, np.ndarray] = {}
        self.country: dict[str, str | None] = {}

    def add(self, vectors: np.ndarray, names: list[str]) -> None:
        for vector, record in zip(vectors, _records(names), strict=True):
            self.vectors[record.name] = vector
            self.country[record.name] = record.country

    def answer(self, query: np.ndarray, k: int, country: str | None = None) -> list[str]:
        names = sorted(self.vectors)
        matrix = np.array([self.vectors[n] for n in names])
        mask = None if country is None else np.array([self.country[n] == country for n in names])
        return [names[i] for i in brute_force_top_k(matrix, query, k, mask=mask).rows]


def _small_adds(root: Path, count: int, *, merge: bool = True) -> None:
    """``count`` adds of two organisations each, merged after each add unless ``merge`` is off."""
    for i in range(count):
        write_directory(
            root,
            engine="test",
            dim=DIM,
            batches=iter([(_vectors(2, i), _records([f"Org {i}-{j}" for j in range(2)]))]),
            replace=False,
            merge=merge,
        )


def _answer(directory: Directory, query: np.ndarray, k: int, country: str | None = None) -> list[str]:
    masks = None
    if country is not None:
        masks = [np.array([m.country == country for m in part]) for part in directory.summaries_by_segment()]
    return [directory.record_at(s, row).name for s, row, _ in directory.search(query, k, masks=masks)]


def _assert_answers(root: Path, reference: Reference, seed: int) -> None:
    directory = open_directory(root)
    assert directory.count == len(reference.vectors)
    for query in _vectors(4, seed):
        for country in (None, "GB"):
            assert _answer(directory, query, 12, country) == reference.answer(query, 12, country)


def test_a_segment_written_in_pieces_is_an_ordinary_npy_file_with_the_same_rows(tmp_path: Path) -> None:
    vectors, names = _vectors(70, 1), [f"Org {i}" for i in range(70)]
    with SegmentWriter(tmp_path, "seg-000001", DIM) as writer:
        for start in range(0, 70, 32):
            writer.append(vectors[start : start + 32], _records(names[start : start + 32]))
        writer.finish()
    folder = tmp_path / "seg-000001"
    whole = quantise(vectors)
    assert np.array_equal(np.load(folder / "codes.npy"), whole.codes)
    assert np.array_equal(np.load(folder / "scales.npy"), whole.scales)
    assert np.array_equal(np.load(folder / "errors.npy"), whole.errors)
    assert np.array_equal(np.load(folder / "vectors.npy"), vectors)
    assert np.array_equal(FloatRows(folder / "vectors.npy")[[0, 69]], vectors[[0, 69]])
    assert (folder / "codes.npy").read_bytes()[HEADER_BYTES - 1 : HEADER_BYTES] == b"\n"
    assert len((folder / "records.jsonl").read_text().splitlines()) == 70
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_writer_left_unfinished_leaves_nothing_behind(tmp_path: Path) -> None:
    def write_and_stop() -> None:
        with SegmentWriter(tmp_path, "seg-000001", DIM) as writer:
            writer.append(_vectors(5, 2), _records([f"Org {i}" for i in range(5)]))
            raise KeyboardInterrupt  # Ctrl-C before finish

    with pytest.raises(KeyboardInterrupt):
        write_and_stop()
    assert list(tmp_path.iterdir()) == []


def test_tiers_merge_the_lowest_crowded_tier_and_never_a_full_segment() -> None:
    assert [tier(n) for n in (0, 1023, 1024, 4095, 4096)] == [0, 0, 1, 1, 2]
    assert to_merge([10, 2000, 20, 30]) == []
    assert to_merge([10, 2000, 20, 30, 0]) == [0, 2, 3, 4]
    assert to_merge([2000, 1500, 3000, 1100, 5]) == [0, 1, 2, 3]
    full = segments.SEGMENT_ROWS
    assert to_merge([full, full, full, full]) == []


def test_a_merge_never_writes_more_than_a_full_segment() -> None:
    """A small remove must not turn into a rewrite of millions of rows (found in review)."""
    full = segments.SEGMENT_ROWS
    assert to_merge([full - 1] * 4) == []  # full segments that lost a row stay as they are
    assert to_merge([full - 1, 300_000, 300_000, 300_000]) == [1, 2, 3]  # the three that fit
    assert to_merge([600_000] * 4) == []  # no two fit together
    assert to_merge([256] * 5000)  # an old layout's many small segments: merged, in rounds
    chosen = to_merge([256] * 5000)
    assert 256 * len(chosen) <= full


def test_a_directory_opened_while_a_merge_deletes_segments_opens_the_new_version(tmp_path: Path) -> None:
    """A reader that read the manifest just before a merge committed reads the new one and retries."""
    root = tmp_path / "d"
    _small_adds(root, 4, merge=False)  # four small adds, left unmerged
    stale = storage.read_manifest(root)
    changes.merge_segments(root)
    assert len(storage.read_manifest(root)["segments"]) == 1
    reads = iter([stale])
    real = storage.read_manifest

    def first_stale(path: Path) -> dict[str, object]:
        return next(reads, None) or real(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage, "read_manifest", first_stale)
        directory = open_directory(root)
    assert directory.count == 8


def test_a_merge_that_fails_after_the_write_committed_keeps_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "d"
    _small_adds(root, 3)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(changes, "_copy_live_rows", disk_full)
    directory = write_directory(
        root,
        engine="test",
        dim=DIM,
        batches=iter([(_vectors(2, 9), _records(["Late 1", "Late 2"]))]),
        replace=False,
    )
    assert directory.count == 8  # the add is in
    assert "the change is saved" in caplog.text


def test_batches_fill_segments_and_a_batch_may_straddle_two(tmp_path: Path) -> None:
    root, reference = tmp_path / "d", Reference()
    vectors, names = _vectors(130, 3), [f"Org {i:03d}" for i in range(130)]
    directory = write_directory(
        root, engine="test", dim=DIM, batches=_batches(vectors, names, 40), segment_rows=50
    )
    assert [len(s.live) for s in directory.segments] == [50, 50, 30]
    reference.add(vectors, names)
    _assert_answers(root, reference, 4)
    # An update whose batch straddles two new segments replaces the old rows, wherever they were.
    again = _vectors(60, 5)
    updated = names[45:105]
    write_directory(
        root, engine="test", dim=DIM, batches=_batches(again, updated, 40), replace=False, segment_rows=50
    )
    reference.add(again, updated)
    _assert_answers(root, reference, 6)


def test_many_small_adds_stay_few_segments_and_answer_as_brute_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small tiers, so forty adds of a few rows climb several of them.
    monkeypatch.setattr(segments, "TIER_BASE", 2)
    monkeypatch.setattr(segments, "MERGE_FACTOR", 2)
    monkeypatch.setattr(segments, "SEGMENT_ROWS", 64)
    root, reference = tmp_path / "d", Reference()
    for round_ in range(40):
        vectors, names = _vectors(3, 100 + round_), [f"Org {round_:02d}-{i}" for i in range(3)]
        batches = _batches(vectors, names, 3)
        write_directory(root, engine="test", dim=DIM, batches=batches, replace=round_ == 0)
        reference.add(vectors, names)
        if round_ % 5 == 4:
            gone = sorted(reference.vectors)[round_ // 5]
            remove_from_directory(root, [gone.casefold()])
            del reference.vectors[gone]
        if round_ % 10 == 9:
            _assert_answers(root, reference, round_)
    directory = open_directory(root)
    # Without merging there would be 39 segments; by tiers (factor 2, full at 64 rows) a handful.
    assert len(directory.segments) <= 8
    assert sum(len(s.live) for s in directory.segments) < 120  # merges dropped most removed rows
    _assert_answers(root, reference, 7)


def test_merging_keeps_every_answer_with_filters_and_removed_rows(tmp_path: Path) -> None:
    root, reference = tmp_path / "d", Reference()
    vectors, names = _vectors(200, 8), [f"Org {i:03d}" for i in range(200)]
    write_directory(
        root, engine="test", dim=DIM, batches=_batches(vectors, names, 10), segment_rows=10, merge=False
    )
    reference.add(vectors, names)
    before = open_directory(root)
    assert len(before.segments) == 20
    _assert_answers(root, reference, 9)
    # Removing marks three rows, then merges the crowded tier: twenty segments become one.
    merged, _ = remove_from_directory(root, ["org 003", "org 104", "org 199"])
    for name in ("Org 003", "Org 104", "Org 199"):
        del reference.vectors[name]
    assert len(merged.segments) == 1
    assert len(merged.segments[0].live) == 197  # the removed rows were not copied
    assert merged.manifest["tombstones"] == {}
    _assert_answers(root, reference, 9)
    # The directory opened before the merge still answers from the files it opened.
    query = _vectors(1, 10)[0]
    assert [before.record_at(s, r).name for s, r, _ in before.search(query, 5)] == [
        names[i] for i in brute_force_top_k(vectors, query, 5).rows
    ]


def test_an_old_segment_written_by_numpy_save_opens_and_merges(tmp_path: Path) -> None:
    root, reference = tmp_path / "d", Reference()
    vectors, names = _vectors(40, 11), [f"Org {i:03d}" for i in range(40)]
    write_directory(
        root, engine="test", dim=DIM, batches=_batches(vectors, names, 10), segment_rows=10, merge=False
    )
    reference.add(vectors, names)
    for segment in open_directory(root).segments:  # as the writer of format 1 before session 22 did
        for array in ("codes", "scales", "errors", "vectors"):
            np.save(segment.path / f"{array}.npy", np.load(segment.path / f"{array}.npy"))
    _assert_answers(root, reference, 12)
    assert len(merge_segments(root).segments) == 1
    _assert_answers(root, reference, 12)


@pytest.mark.parametrize("where", ["while writing the merged segment", "at the merge's commit"])
def test_an_interrupted_merge_leaves_the_add_committed_and_the_directory_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    root, reference = tmp_path / "d", Reference()
    vectors, names = _vectors(30, 13), [f"Org {i:03d}" for i in range(30)]
    write_directory(root, engine="test", dim=DIM, batches=_batches(vectors, names, 10), segment_rows=10)
    reference.add(vectors, names)
    assert len(open_directory(root).segments) == 3
    # The fourth small segment makes the tier crowded: the add commits, then its merge is cut off.
    if where == "while writing the merged segment":
        real_finish = SegmentWriter.finish

        def finish(writer: SegmentWriter) -> None:
            if writer.rows > 10:  # the merged segment, not the add's own
                raise KeyboardInterrupt
            real_finish(writer)

        monkeypatch.setattr(SegmentWriter, "finish", finish)
    else:
        real_commit, commits = changes._commit, []

        def commit(root_: Path, manifest: dict[str, object]) -> None:
            commits.append(manifest)
            if len(commits) == 2:  # the add's commit went through; the merge's does not
                raise KeyboardInterrupt
            real_commit(root_, manifest)

        monkeypatch.setattr(changes, "_commit", commit)
    added, added_names = _vectors(10, 14), [f"New {i}" for i in range(10)]
    with pytest.raises(KeyboardInterrupt):
        write_directory(root, engine="test", dim=DIM, batches=_batches(added, added_names, 10), replace=False)
    reference.add(added, added_names)
    assert len(open_directory(root).segments) == 4  # the add answers; the merge never happened
    _assert_answers(root, reference, 15)
    monkeypatch.undo()
    # The next write sweeps what the merge left and merges again.
    directory = remove_from_directory(root, ["org 000"])[0]
    del reference.vectors["Org 000"]
    assert len(directory.segments) == 1
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(("seg-", ".tmp-"))) == [
        directory.segments[0].name
    ]
    _assert_answers(root, reference, 15)


@pytest.mark.parametrize("data", ["random", "clustered", "uneven lengths"])
def test_one_pass_over_many_segments_equals_brute_force_with_strict_filters_and_removals(
    tmp_path: Path, data: str
) -> None:
    rng = np.random.default_rng(20)
    n = 600
    if data == "random":
        vectors = _vectors(n, 21)
    else:
        centres = rng.standard_normal((6, DIM)).astype(np.float32)
        vectors = (centres[rng.integers(0, 6, n)] + 0.05 * rng.standard_normal((n, DIM))).astype(np.float32)
        if data == "uneven lengths":
            vectors *= rng.uniform(0.1, 3.0, (n, 1)).astype(np.float32)
    names = [f"Org {i:03d}" for i in range(n)]
    root = tmp_path / "d"
    write_directory(
        root, engine="test", dim=DIM, batches=_batches(vectors, names, 64), segment_rows=70, merge=False
    )
    removed = set(rng.choice(n, 40, replace=False).tolist())
    storage_dir = open_directory(root)
    assert len(storage_dir.segments) == 9
    # Removing without merging: the tombstones stay in the nine segments the search must skip.
    with changes.writer_lock(root):
        changes._remove(root, [names[i].casefold() for i in sorted(removed)])
    directory = open_directory(root)
    assert len(directory.segments) == 9
    live = np.array([i not in removed for i in range(n)])
    strict = rng.random(n) < 0.05  # under search.GATHER_BELOW: each segment gathers its rows
    loose = rng.random(n) < 0.5
    offsets = np.cumsum([0] + [len(s.live) for s in directory.segments])
    for query in rng.standard_normal((6, DIM)).astype(np.float32):
        for keep in (None, strict, loose):
            masks = None if keep is None else [keep[offsets[i] : offsets[i + 1]] for i in range(9)]
            hits = directory.search(query, 15, masks=masks)
            allowed = live if keep is None else live & keep
            want = brute_force_top_k(vectors, query, 15, mask=allowed)
            assert [int(offsets[s] + row) for s, row, _ in hits] == want.rows.tolist()
            assert np.allclose([score for _, _, score in hits], want.scores, atol=1e-6)
