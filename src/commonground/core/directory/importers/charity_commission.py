"""The Charity Commission for England and Wales register extract (the full register download).

The extract is a set of tab-separated text files with a header row, one per table, joined on
``organisation_number`` (field names as the Commission publishes them):

- ``publicextract.charity.txt``: ``charity_name``, ``charity_registration_status``,
  ``linked_charity_number`` (0 for a main charity), ``charity_activities``, ``latest_income``;
- ``publicextract.charity_governing_document.txt``: ``charitable_objects``;
- ``publicextract.charity_classification.txt``: ``classification_type`` (What, How, Who) and
  ``classification_description``;
- ``publicextract.charity_area_of_operation.txt``: ``geographic_area_type`` and
  ``geographic_area_description``.

The objects are the mission (the activities when a charity has none on file); the activities and
the "How" classifications are its activities; the "What" classifications its sector. Removed
charities and linked charities (whose main charity stands for them) are skipped with that reason.

Every row of every table must have as many cells as its header: the Commission writes every column of
every row, unquoted, so a row with fewer or more (a tab lost or added, a line cut short) has its cells
shifted against their columns, and is skipped at its line with how many cells it has. A charity whose
row in another table was skipped is still read, without what that row held.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from commonground.core.directory.importers.tables import entry_from_fields
from commonground.core.directory.records import Entry, Skipped

CHARITY = "publicextract.charity.txt"
GOVERNING = "publicextract.charity_governing_document.txt"
CLASSIFICATION = "publicextract.charity_classification.txt"
AREA = "publicextract.charity_area_of_operation.txt"
# Long objects and activities overflow csv's default cell limit (128 kB); raised only while the
# extract is read, so other CSV files keep the default bound.
_CELL_LIMIT = 4 * 1024 * 1024


def detect(path: Path) -> bool:
    """A folder holding the extract's charity table, or that table itself."""
    return (path.is_dir() and (path / CHARITY).is_file()) or path.name == CHARITY


# DictReader puts the cells beyond the header under this key, and gives this value to the columns a short
# row has no cell for (compared by identity: no cell read from the file is this object).
_EXTRA = "\x00cells beyond the header"
_MISSING = "\x00no cell"


def _rows(file: Path) -> Iterator[tuple[str, dict[str, str] | Skipped]]:
    """Each row of one table with its place (``FILE:LINE``), or the row skipped when its cells do not
    line up with the header."""
    if not file.is_file():
        return
    previous = csv.field_size_limit(_CELL_LIMIT)
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(
                handle, delimiter="\t", quoting=csv.QUOTE_NONE, restkey=_EXTRA, restval=_MISSING
            )
            for row in reader:
                source = f"{file}:{reader.line_num}"  # one line a row: the extract quotes nothing
                header = len(reader.fieldnames or ())
                extra = row.pop(_EXTRA, None)
                count = (
                    header + len(extra) if extra is not None else sum(v is not _MISSING for v in row.values())
                )
                if count != header:
                    yield (
                        source,
                        Skipped(
                            source,
                            f"{count} cells where the header has {header}: a tab lost or added, so its cells "
                            "cannot be matched to their columns",
                        ),
                    )
                    continue
                yield source, row
    finally:
        csv.field_size_limit(previous)


def _table(file: Path, skipped: list[Skipped]) -> Iterator[dict[str, str]]:
    """The rows of a table another table's charities are joined with; rows that do not line up are
    added to ``skipped``."""
    for _, row in _rows(file):
        if isinstance(row, Skipped):
            skipped.append(row)
        else:
            yield row


def _size(income: str) -> str | None:
    """Income bands as the sector commonly reports them (pounds a year)."""
    try:
        value = float(income)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    for limit, band in (
        (10_000, "under £10k"),
        (100_000, "£10k–£100k"),
        (1_000_000, "£100k–£1m"),
        (10_000_000, "£1m–£10m"),
    ):
        if value < limit:
            return band
    return "£10m and over"


def read(path: Path) -> Iterator[Entry | Skipped]:
    """Every main registered charity of the extract in ``path`` (a folder, or its charity table)."""
    folder = path if path.is_dir() else path.parent
    skipped: list[Skipped] = []
    objects = {
        r["organisation_number"]: r.get("charitable_objects") or ""
        for r in _table(folder / GOVERNING, skipped)
    }
    classes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in _table(folder / CLASSIFICATION, skipped):
        classes[r["organisation_number"]][r.get("classification_type") or ""].append(
            r.get("classification_description") or ""
        )
    areas: dict[str, list[str]] = defaultdict(list)
    for r in _table(folder / AREA, skipped):
        areas[r["organisation_number"]].append(r.get("geographic_area_description") or "")
    yield from skipped
    for source, row in _rows(folder / CHARITY):
        if isinstance(row, Skipped):
            yield row
            continue
        if (row.get("linked_charity_number") or "0").strip() not in ("", "0"):
            yield Skipped(source, "a linked charity; its main charity stands for it")
            continue
        status = (row.get("charity_registration_status") or "").strip()
        if status.lower() == "removed":
            yield Skipped(source, "removed from the register")
            continue
        org = row.get("organisation_number") or ""
        activities = (row.get("charity_activities") or "").strip()
        what = classes[org].get("What", [])
        fields = {
            "name": row.get("charity_name") or "",
            "mission": objects.get(org, "").strip() or activities,
            "kind": "nonprofit",
            "sector": "; ".join(what),
            "activities": "; ".join(x for x in [activities, *classes[org].get("How", [])] if x),
            "country": "GB",
            "region": "; ".join(areas.get(org, [])[:3]),
            "size": _size(row.get("latest_income") or "") or "",
            "key": f"GB-CHC-{row.get('registered_charity_number') or org}",
        }
        yield entry_from_fields(fields, source, default_kind="nonprofit")
