"""What a directory keeps about each organisation besides its vectors, and what importers yield."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel, ConfigDict, Field

from commonground.core.profiles import Profile


class Record(BaseModel):
    """One organisation of a directory: filter fields, what the engine read, and its profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str  # stable identity across updates: the register's number, else the name
    name: str
    country: str | None = None
    region: str | None = None
    kind: str
    size: str | None = None
    sdgs: list[int] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)  # sensitive sectors the engine read it working in
    source: str  # file and line or row it came from
    profile: dict[str, Any]  # the profile in file form, for the full assessment

    def as_profile(self) -> Profile:
        """The stored profile, ready for the assessment engine."""
        return Profile.model_validate(self.profile)


@dataclass(frozen=True)
class Entry:
    """An organisation an importer read, before the engine has read it."""

    profile: Profile
    source: str
    key: str | None = None
    country: str | None = None
    region: str | None = None
    size: str | None = None
    sdgs: tuple[int, ...] = ()  # SDGs the source itself states (a profile's goals)
    warnings: tuple[str, ...] = ()  # what was dropped from the row while keeping it (a bad country)

    @property
    def identity(self) -> str:
        """The key, or the name folded to lower case when the source has no number."""
        return self.key or self.profile.name.casefold()


@dataclass(frozen=True)
class Skipped:
    """A row or file that did not become an organisation, and why."""

    source: str
    reason: str
    unread: bool = False  # the file itself could not be read (not one row of a file that could)

    def __str__(self) -> str:
        return f"{self.source}: skipped: {self.reason}"


@dataclass(frozen=True)
class RowWarning:
    """Something left out of an organisation that was kept, and why (a country that is not a code)."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: warning: {self.message}"


@dataclass
class ImportReport:
    """Everything an import read: the organisations and every skipped row with its reason."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def extend(self, items: Iterable[Entry | Skipped]) -> None:
        """Sort each item into entries or skipped."""
        for item in items:
            if isinstance(item, Entry):
                self.entries.append(item)
            else:
                self.skipped.append(item)

    @property
    def warnings(self) -> list[RowWarning]:
        """What was left out of the organisations kept, row by row."""
        return [RowWarning(e.source, message) for e in self.entries for message in e.warnings]

    @property
    def unread(self) -> list[Skipped]:
        """The source files that could not be read at all (as against rows skipped inside them)."""
        return [s for s in self.skipped if s.unread]


def write_records(path: Path, records: Iterable[Record]) -> None:
    """Write records as JSON Lines (one organisation per line)."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False, sort_keys=True))
            handle.write("\n")


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What filters and listings need of a record: no profile, in about 300 bytes, so a million fit.

    A slotted dataclass rather than a model: summaries are read from records that were validated
    when they were written, and a pydantic instance costs four times the memory
    (bench/directory_memory.py).
    """

    key: str
    name: str
    country: str | None
    kind: str
    sdgs: tuple[int, ...]


def record_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Each line of a records file that is not blank, with its byte offset: the one rule every reader
    of records.jsonl follows, so a row's number means the same line to all of them."""
    at = 0
    for line in handle:
        if line.decode("utf-8").strip():
            yield at, line
        at += len(line)


def summaries_of(handle: BinaryIO) -> Iterator[RecordSummary]:
    """The summaries of the records file open as ``handle``, from where it stands (each profile read
    and dropped)."""
    for _, line in record_lines(handle):
        data = json.loads(line)
        country = data.get("country")
        yield RecordSummary(
            key=str(data["key"]),
            name=str(data["name"]),
            # Few distinct countries and kinds among a million rows: one string each.
            country=None if country is None else sys.intern(str(country)),
            kind=sys.intern(str(data["kind"])),
            sdgs=tuple(int(n) for n in data.get("sdgs") or ()),
        )


def keys_of(handle: BinaryIO) -> Iterator[str]:
    """The keys of the records file open as ``handle``, from where it stands (what a segment written
    before keys files offers an add or remove, each line parsed and the rest dropped)."""
    for _, line in record_lines(handle):
        yield str(json.loads(line)["key"])


def read_records(path: Path) -> Iterator[Record]:
    """The records of a JSON Lines file, in order."""
    with path.open("rb") as handle:
        yield from records_of(handle)


def records_of(handle: BinaryIO) -> Iterator[Record]:
    """The records of the records file open as ``handle``, from where it stands."""
    for _, line in record_lines(handle):
        yield Record.model_validate_json(line)
