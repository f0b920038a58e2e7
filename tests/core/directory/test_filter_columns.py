"""Filter columns: the same rows as the records' filters, through adds, merges, old segments and damage."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from commonground.core.directory import filter_columns
from commonground.core.directory.changes import (
    compact_directory,
    merge_segments,
    remove_from_directory,
    write_directory,
)
from commonground.core.directory.discovery import Filters, filter_masks, summary_mask
from commonground.core.directory.filter_columns import FILES
from commonground.core.directory.records import Record, RecordSummary
from commonground.core.directory.segments import Segment
from commonground.core.directory.storage import Directory, DirectoryError, open_directory

DIM = 8
COUNTRIES = ["GB", "gb", "Fr", "KE", None, "", "ß"]  # mixed case, none, empty; "ß" upper-cases to "SS"
KINDS = ["nonprofit", "company", "cooperative", "Company"]

COUNTRY_FILTERS = [
    frozenset(),
    frozenset({"GB"}),
    frozenset({"FR", "KE"}),
    frozenset({""}),
    frozenset({"gb"}),
]
COUNTRY_FILTERS += [frozenset({"SS"}), frozenset({"XX"})]
KIND_FILTERS = [
    frozenset(),
    frozenset({"nonprofit"}),
    frozenset({"company", "cooperative"}),
    frozenset({"x"}),
]
SDG_FILTERS = [frozenset(), frozenset({3}), frozenset({1, 17}), frozenset({0, 31}), frozenset({5, 40})]
EVERY_FILTER = [
    Filters(countries=c, kinds=k, sdgs=s)
    for c, k, s in itertools.product(COUNTRY_FILTERS, KIND_FILTERS, SDG_FILTERS)
]


def _records(start: int, stop: int, seed: int) -> list[Record]:
    pick = random.Random(seed)
    return [
        Record(
            key=f"org-{i}",
            name=f"Org {i}",
            country=pick.choice(COUNTRIES),
            kind=pick.choice(KINDS),
            sdgs=sorted(
                pick.sample(range(0, 18), pick.randint(0, 3)) + ([40] if pick.random() < 0.05 else [])
            ),
            source="test",
            profile={},
        )
        for i in range(start, stop)
    ]


def _batches(start: int, stop: int, seed: int, size: int = 40) -> Iterator[tuple[np.ndarray, list[Record]]]:
    rng = np.random.default_rng(seed)
    for at in range(start, stop, size):
        records = _records(at, min(stop, at + size), seed + at)
        yield rng.standard_normal((len(records), DIM)).astype(np.float32), records


def _assert_masks_match_records(directory: Directory) -> None:
    """Every filter's masks equal those read record by record, and the filters do tell rows apart."""
    summaries = directory.summaries_by_segment()
    distinct = set()
    for filters in EVERY_FILTER:
        masks = filter_masks(directory, filters)
        if not (filters.countries or filters.kinds or filters.sdgs):
            assert masks is None
            continue
        assert masks is not None
        for mask, part in zip(masks, summaries, strict=True):
            assert mask.dtype == np.bool_
            assert np.array_equal(mask, summary_mask(part, filters)), filters
        distinct.add(tuple(np.concatenate(masks).tolist()))
    assert len(distinct) > 20  # the combinations keep many different sets of rows


def _strip_columns(folder: Path) -> None:
    for name in FILES:
        (folder / name).unlink()


def test_masks_from_columns_equal_masks_from_the_records_for_every_filter(tmp_path: Path) -> None:
    directory = write_directory(
        tmp_path / "d", engine="e", dim=DIM, batches=_batches(0, 300, 1), segment_rows=120, merge=False
    )
    assert len(directory.segments) == 3
    assert all(segment.filters is not None for segment in directory.segments)
    _assert_masks_match_records(directory)
    # Upper-cased when written, as the filter compares them: "gb" is kept by GB, "ß" by SS.
    gb = filter_masks(directory, Filters(countries=frozenset({"GB"})))
    records = [r for part in directory.records_by_segment() for r in part]
    assert gb is not None
    assert {r.country for r, kept in zip(records, np.concatenate(gb), strict=True) if kept} == {"GB", "gb"}


def test_the_columns_are_plain_npy_and_json_of_the_smallest_codes(tmp_path: Path) -> None:
    directory = write_directory(tmp_path / "d", engine="e", dim=DIM, batches=_batches(0, 50, 2))
    folder = directory.segments[0].path
    countries = np.load(folder / "countries.npy", allow_pickle=False)
    sdgs = np.load(folder / "sdgs.npy", allow_pickle=False)
    vocabulary = json.loads((folder / "filters.json").read_text(encoding="utf-8"))
    assert countries.dtype == np.uint8
    assert sdgs.dtype == np.uint32
    assert len(countries) == 50
    records = directory.records_by_segment()[0]
    assert [vocabulary["countries"][c] for c in countries] == [(r.country or "").upper() for r in records]
    assert sdgs.tolist() == [sum(1 << g for g in r.sdgs if g < 32) for r in records]


def test_adds_updates_removes_and_merges_keep_the_masks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "d"
    for add, (start, stop) in enumerate([(0, 90), (60, 150), (150, 200), (10, 40)]):  # overlaps update rows
        if add == 3:  # three segments: a remove does not merge them yet
            remove_from_directory(root, ["org-5", "org-100"])
        write_directory(
            root, engine="e", dim=DIM, batches=_batches(start, stop, 10 + add), replace=False, merge=False
        )
    before = open_directory(root)
    assert len(before.segments) == 4
    _assert_masks_match_records(before)

    def no_parsing(line: bytes) -> tuple[str | None, str, list[int]]:
        raise AssertionError("a merge of segments with columns parsed a record")

    monkeypatch.setattr(filter_columns, "_line_values", no_parsing)
    merged = merge_segments(root)
    assert len(merged.segments) == 1
    assert merged.segments[0].filters is not None
    assert merged.count == 198
    monkeypatch.undo()
    _assert_masks_match_records(merged)
    live = [r for _, _, r in merged.live_records()]
    for filters in EVERY_FILTER[1:]:
        masks = filter_masks(merged, filters)
        assert masks is not None
        kept = {r.key for r, k in zip(live, masks[0][merged.segments[0].live], strict=True) if k}
        assert kept == {r.key for r in live if filters.keeps(r)}


def test_a_segment_without_columns_is_filtered_from_its_records_until_a_merge_writes_them(
    tmp_path: Path,
) -> None:
    root = tmp_path / "d"
    for add, (start, stop) in enumerate([(0, 50), (50, 100), (100, 150), (150, 200)]):
        write_directory(
            root, engine="e", dim=DIM, batches=_batches(start, stop, 20 + add), replace=False, merge=False
        )
    old = open_directory(root)
    _strip_columns(old.segments[1].path)  # as a segment written before the columns existed
    _strip_columns(old.segments[3].path)
    mixed = open_directory(root)
    assert [s.filters is None for s in mixed.segments] == [False, True, False, True]
    _assert_masks_match_records(mixed)
    merged = merge_segments(root)  # two segments copy their columns, two are parsed
    assert len(merged.segments) == 1
    assert merged.segments[0].filters is not None
    _assert_masks_match_records(merged)


def test_compact_writes_columns_for_an_old_directory(tmp_path: Path) -> None:
    root = tmp_path / "d"
    directory = write_directory(root, engine="e", dim=DIM, batches=_batches(0, 80, 3))
    _strip_columns(directory.segments[0].path)
    old = open_directory(root)
    assert old.segments[0].filters is None
    _assert_masks_match_records(old)
    compacted = compact_directory(root)
    assert compacted.segments[0].filters is not None
    _assert_masks_match_records(compacted)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: np.save(f / "countries.npy", np.zeros(79, np.uint8)), "expected 80 rows"),
        (lambda f: np.save(f / "sdgs.npy", np.zeros((80, 2), np.uint32)), "expected 80 rows"),
        (lambda f: np.save(f / "kinds.npy", np.zeros(80, np.int8)), "expected unsigned integer codes"),
        (lambda f: np.save(f / "kinds.npy", np.full(80, 200, np.uint8)), "a code beyond the"),
        (lambda f: (f / "kinds.npy").unlink(), "filter columns incomplete (kinds.npy missing)"),
        (lambda f: (f / "filters.json").write_text("{", encoding="utf-8"), "cannot read the filter vocab"),
        (
            lambda f: (f / "filters.json").write_text('{"format": 1, "countries": [1]}'),
            "'countries' is not a list",
        ),
        (lambda f: (f / "sdgs.npy").write_bytes(b"not numpy"), "not a column of codes"),
        # Review findings: an empty file, a header claiming 2**45 rows, an archive, a deep nest, a
        # future format; each crashed the open or asked for terabytes before.
        (lambda f: (f / "countries.npy").write_bytes(b""), "not a column of codes"),
        (lambda f: _huge_header(f / "countries.npy"), "expected 80 rows"),
        (lambda f: _archive(f / "kinds.npy"), "not a column of codes"),
        (lambda f: (f / "filters.json").write_text("[" * 100_000), "cannot read the filter vocab"),
        (
            lambda f: (f / "filters.json").write_text('{"format": 2, "countries": [], "kinds": []}'),
            "format 2",
        ),
    ],
)
def test_damaged_columns_are_refused_with_a_message_naming_the_file(
    tmp_path: Path, damage: object, message: str
) -> None:
    root = tmp_path / "d"
    directory = write_directory(root, engine="e", dim=DIM, batches=_batches(0, 80, 4))
    folder = directory.segments[0].path
    damage(folder)  # type: ignore[operator]
    with pytest.raises(DirectoryError) as caught:
        open_directory(root)
    assert message in str(caught.value)
    assert str(folder) in str(caught.value)
    # What the message says to do mends it: the segment is read from its records, compact rewrites.
    assert f"run `commonground directory compact --directory {root}`" in str(caught.value)
    for name in FILES:
        (folder / name).unlink(missing_ok=True)
    _assert_masks_match_records(open_directory(root))
    _assert_masks_match_records(compact_directory(root))
    assert open_directory(root).segments[0].filters is not None


def _huge_header(path: Path) -> None:
    # A valid .npy header for 2**45 uint64 codes, and no data: loading it whole would ask for 256 TiB.
    with path.open("wb") as handle:
        np.lib.format.write_array_header_1_0(
            handle, {"descr": "<u8", "fortran_order": False, "shape": (2**45,)}
        )


def _archive(path: Path) -> None:
    # An .npz archive of the right codes under the column's name.
    with path.open("wb") as handle:
        np.savez(handle, codes=np.zeros(80, np.uint8))


def test_an_old_segment_among_new_ones_reads_only_its_own_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Review finding: the first old segment made a filter parse every segment's records.
    root = tmp_path / "d"
    write_directory(root, engine="e", dim=DIM, batches=_batches(0, 100, 8), segment_rows=60, merge=False)
    _strip_columns(open_directory(root).segments[1].path)
    directory = open_directory(root)
    read: list[str] = []
    original = Segment.summaries

    def counted(segment: Segment) -> list[RecordSummary]:
        read.append(segment.name)
        return original(segment)

    monkeypatch.setattr(Segment, "summaries", counted)
    for _ in range(2):
        assert filter_masks(directory, Filters(countries=frozenset({"GB"}))) is not None
    assert read == [directory.segments[1].name]  # once, and only the old segment
    monkeypatch.undo()
    _assert_masks_match_records(directory)


def test_filters_within_the_columns_read_no_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "d"
    write_directory(root, engine="e", dim=DIM, batches=_batches(0, 100, 5), segment_rows=60, merge=False)
    directory = open_directory(root)

    def no_reading(segment: Segment) -> list[RecordSummary]:
        raise AssertionError("a filter the columns answer read the records")

    monkeypatch.setattr(Segment, "summaries", no_reading)
    masks = filter_masks(directory, Filters(countries=frozenset({"GB"}), sdgs=frozenset({1, 17})))
    assert masks is not None
    assert [len(m) for m in masks] == [60, 40]
    with pytest.raises(AssertionError, match="read the records"):  # SDG 40 has no bit: the records answer
        filter_masks(directory, Filters(sdgs=frozenset({40})))


def test_a_write_that_fails_on_the_columns_leaves_the_directory_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "d"
    write_directory(root, engine="e", dim=DIM, batches=_batches(0, 30, 6))

    def disk_full(builder: filter_columns.ColumnBuilder, folder: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(filter_columns.ColumnBuilder, "write", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_directory(root, engine="e", dim=DIM, batches=_batches(30, 60, 7), replace=False)
    monkeypatch.undo()
    directory = open_directory(root)
    assert directory.count == 30
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == [
        "manifest.json",
        directory.segments[0].name,
    ]
    assert not list(root.glob(".tmp-*"))
