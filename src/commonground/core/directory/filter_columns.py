"""A segment's filter columns: each row's country, kind and SDGs as small arrays beside its records.

Structured filters (discovery.Filters) used to parse every line of every records.jsonl to learn
three fields, 9-14 s for a million rows (bench/README.md, "Many segments"); these columns answer the
same question with a few vectorised passes over arrays of one to four bytes a row. A segment holds:

    countries.npy   unsigned codes (n,) into ``countries`` of filters.json: the country upper-cased,
                    "" for none, as Filters.keeps compares it
    kinds.npy       unsigned codes (n,) into ``kinds`` of filters.json, the kind as written
    sdgs.npy        uint32 (n,): bit g set when the record names SDG g (g in 0..31)
    filters.json    {"format": 1, "countries": [...], "kinds": [...]}, the segment's own vocabularies

Plain ``.npy`` and JSON, no pickles: numpy alone reads them. The codes take the smallest unsigned
type their vocabulary fits (one byte for the world's countries). A segment written before the
columns existed has none of these files and is filtered from its records, as before.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from commonground.core.directory.npy_headers import read_npy_header
from commonground.core.directory.search import BoolArray

FORMAT = 1
VOCABULARY = "filters.json"
COLUMNS = ("countries", "kinds", "sdgs")
FILES = (*(f"{c}.npy" for c in COLUMNS), VOCABULARY)
# SDGs are 1..17; a uint32 holds any number 0..31. A filter asking for a number outside that
# cannot be answered from the bits, so discovery falls back to the records for it.
SDG_BITS = 32

Codes = npt.NDArray[np.unsignedinteger[Any]]


class ColumnsError(ValueError):
    """Filter columns that are not what a segment writer writes (a ValueError, as SegmentError is)."""


def country_value(country: str | None) -> str:
    """A record's country as filters compare it: upper-cased, "" for none."""
    return (country or "").upper()


def sdg_bits(sdgs: Iterable[int]) -> int:
    """The bitmask of ``sdgs`` (bit g for SDG g); numbers outside 0..31 have no bit and are left out."""
    bits = 0
    for goal in sdgs:
        if 0 <= goal < SDG_BITS:
            bits |= 1 << goal
    return bits


@dataclass(frozen=True)
class FilterColumns:
    """Some rows' filter codes and the vocabularies the codes index."""

    countries: Codes
    kinds: Codes
    sdgs: npt.NDArray[np.uint32]
    country_names: tuple[str, ...]
    kind_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.sdgs)

    def take(self, rows: npt.NDArray[np.int64]) -> FilterColumns:
        """These columns at ``rows`` only (a merge keeps a segment's live rows)."""
        return FilterColumns(
            self.countries[rows], self.kinds[rows], self.sdgs[rows], self.country_names, self.kind_names
        )

    def mask(self, *, countries: frozenset[str], kinds: frozenset[str], sdgs: frozenset[int]) -> BoolArray:
        """Rows Filters.keeps would keep: country and kind among those asked, at least one SDG asked.

        ``sdgs`` must lie in 0..31 (see SDG_BITS). Each vocabulary becomes a table of booleans
        indexed by code, so a filter is one gather a column, whatever the number of values asked.
        """
        keep = np.ones(len(self), dtype=np.bool_)
        if countries:
            keep &= _wanted(self.country_names, countries)[self.countries]
        if kinds:
            keep &= _wanted(self.kind_names, kinds)[self.kinds]
        if sdgs:
            if any(not 0 <= goal < SDG_BITS for goal in sdgs):
                raise ValueError(f"SDGs outside 0..{SDG_BITS - 1} have no bit: {sorted(sdgs)}")
            keep &= (self.sdgs & np.uint32(sdg_bits(sdgs))) != 0
        return keep


def _wanted(names: Sequence[str], asked: frozenset[str]) -> BoolArray:
    return np.fromiter((name in asked for name in names), dtype=np.bool_, count=len(names))


def of_values(
    countries: Sequence[str | None], kinds: Sequence[str], sdgs: Sequence[Iterable[int]]
) -> FilterColumns:
    """Columns of rows given by their fields (a record's country, kind and SDGs)."""
    builder = ColumnBuilder()
    builder.add_values(countries, kinds, sdgs)
    return builder.columns()


def _line_values(line: bytes) -> tuple[str | None, str, list[int]]:
    data = json.loads(line)
    country = data.get("country")
    return (
        (None if country is None else str(country)),
        str(data["kind"]),
        [int(g) for g in data.get("sdgs") or ()],
    )


class ColumnBuilder:
    """A segment's columns gathered as rows arrive, codes given in order of first appearance."""

    def __init__(self) -> None:
        self._codes: dict[str, dict[str, int]] = {"countries": {}, "kinds": {}}
        self._parts: list[tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.uint32]]] = []
        self._pending: list[tuple[str | None, str, list[int]]] = []
        self._rows = 0

    @property
    def rows(self) -> int:
        """Rows appended so far."""
        return self._rows + len(self._pending)

    def _code(self, column: str, value: str) -> int:
        return self._codes[column].setdefault(value, len(self._codes[column]))

    def add_values(
        self, countries: Sequence[str | None], kinds: Sequence[str], sdgs: Sequence[Iterable[int]]
    ) -> None:
        """Append rows given by their fields."""
        self._flush()
        country = [self._code("countries", country_value(c)) for c in countries]
        kind = [self._code("kinds", k) for k in kinds]
        bits = [sdg_bits(s) for s in sdgs]
        if not (len(country) == len(kind) == len(bits)):
            raise ColumnsError("every column of a batch must have the same rows")
        self._parts.append(
            (
                np.asarray(country, dtype=np.uint32),
                np.asarray(kind, dtype=np.uint32),
                np.asarray(bits, dtype=np.uint32),
            )
        )
        self._rows += len(bits)

    def add_line(self, line: bytes) -> None:
        """Append the row of one records.jsonl line, parsed (a segment written before columns existed)."""
        self._pending.append(_line_values(line))
        if len(self._pending) >= 16_384:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            self.add_values([p[0] for p in pending], [p[1] for p in pending], [p[2] for p in pending])

    def add(self, columns: FilterColumns) -> None:
        """Append another segment's rows, their codes translated into this segment's vocabularies."""
        self._flush()
        countries = np.array([self._code("countries", n) for n in columns.country_names], dtype=np.uint32)
        kinds = np.array([self._code("kinds", n) for n in columns.kind_names], dtype=np.uint32)
        self._parts.append(
            (countries[columns.countries], kinds[columns.kinds], columns.sdgs.astype(np.uint32))
        )
        self._rows += len(columns)

    def columns(self) -> FilterColumns:
        """Everything appended, as columns."""
        self._flush()
        joined = [
            np.concatenate([p[i] for p in self._parts]) if self._parts else np.zeros(0, np.uint32)
            for i in range(3)
        ]
        return FilterColumns(
            countries=joined[0].astype(_code_type(len(self._codes["countries"]))),
            kinds=joined[1].astype(_code_type(len(self._codes["kinds"]))),
            sdgs=joined[2],
            country_names=tuple(self._codes["countries"]),
            kind_names=tuple(self._codes["kinds"]),
        )

    def write(self, folder: Path) -> None:
        """Write the columns into ``folder`` (a segment's staging folder), each file fsynced."""
        columns = self.columns()
        arrays = {"countries": columns.countries, "kinds": columns.kinds, "sdgs": columns.sdgs}
        for name, values in arrays.items():
            with (folder / f"{name}.npy").open("wb") as handle:
                np.save(handle, values, allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
        vocabulary = {"format": FORMAT, "countries": columns.country_names, "kinds": columns.kind_names}
        with (folder / VOCABULARY).open("w", encoding="utf-8") as text:
            json.dump(vocabulary, text, ensure_ascii=False)
            text.flush()
            os.fsync(text.fileno())


def _code_type(size: int) -> type[np.unsignedinteger[Any]]:
    for kind in (np.uint8, np.uint16):
        if size <= np.iinfo(kind).max + 1:
            return kind
    return np.uint32


def read_columns(folder: Path, rows: int) -> FilterColumns | None:
    """A segment's columns, read and checked against its ``rows``; None when it has none.

    Every check a damaged or partial write would fail is made here, before a filter trusts a code:
    all files or none, one-dimensional arrays of ``rows`` unsigned codes, each within its vocabulary.
    The message says how to mend it: without its column files a segment is read as one written
    before them (filtered from its records), and ``compact`` writes them again.
    """
    present = [name for name in FILES if (folder / name).exists()]
    if not present:
        return None
    try:
        if len(present) < len(FILES):
            missing = ", ".join(sorted(set(FILES) - set(present)))
            raise ColumnsError(f"{folder}: filter columns incomplete ({missing} missing)")
        return _read(folder, rows)
    except ColumnsError as exc:
        raise ColumnsError(
            f"{exc}; delete the segment's {', '.join(FILES)} and run "
            f"`commonground directory compact --directory {folder.parent}` to write them again"
        ) from exc


def _read_codes(path: Path, rows: int) -> npt.NDArray[Any]:
    """A column's codes, its header checked before anything else is read.

    A header claiming a huge shape is refused before memory is asked for it, and the rows are read
    whole (a few bytes a row) rather than mapped: a mapping costs more to set up than a read.
    """
    try:
        with path.open("rb") as handle:
            shape, _, dtype = read_npy_header(handle)
            sane = len(shape) == 1 and shape[0] == rows and dtype.kind == "u"
            array = np.fromfile(handle, dtype=dtype, count=rows) if sane else None
    except (ValueError, EOFError, OSError) as exc:  # not a .npy file, empty, a header cut short
        raise ColumnsError(f"{path}: not a column of codes: {exc}") from exc
    if len(shape) != 1 or shape[0] != rows:
        raise ColumnsError(f"{path}: expected {rows} rows, one a row's code, found shape {shape}")
    if array is None:
        raise ColumnsError(f"{path}: expected unsigned integer codes, found {dtype}")
    if len(array) != rows:
        raise ColumnsError(f"{path}: not a column of codes: {len(array)} of {rows} rows")
    return array


def _read(folder: Path, rows: int) -> FilterColumns:
    try:
        vocabulary = json.loads((folder / VOCABULARY).read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, nested without end
        raise ColumnsError(f"{folder / VOCABULARY}: cannot read the filter vocabularies: {exc}") from exc
    if not isinstance(vocabulary, dict) or vocabulary.get("format") != FORMAT:
        found = vocabulary.get("format") if isinstance(vocabulary, dict) else None
        raise ColumnsError(f"{folder / VOCABULARY}: filter columns of format {found!r}, not {FORMAT}")
    names: dict[str, tuple[str, ...]] = {}
    for column in ("countries", "kinds"):
        values = vocabulary.get(column) if isinstance(vocabulary, dict) else None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ColumnsError(f"{folder / VOCABULARY}: {column!r} is not a list of strings")
        names[column] = tuple(values)
    arrays: dict[str, npt.NDArray[Any]] = {}
    for column in COLUMNS:
        path = folder / f"{column}.npy"
        array = _read_codes(path, rows)
        if array.dtype.kind != "u" or (column == "sdgs" and array.dtype != np.uint32):
            raise ColumnsError(f"{path}: expected unsigned integer codes, found {array.dtype}")
        if column != "sdgs" and rows and int(array.max()) >= len(names[column]):
            raise ColumnsError(f"{path}: a code beyond the {len(names[column])} values of {VOCABULARY}")
        arrays[column] = array
    return FilterColumns(
        countries=arrays["countries"],
        kinds=arrays["kinds"],
        sdgs=arrays["sdgs"],
        country_names=names["countries"],
        kind_names=names["kinds"],
    )
