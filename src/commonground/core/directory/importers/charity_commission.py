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


def _rows(file: Path) -> Iterator[dict[str, str]]:
    if not file.is_file():
        return
    previous = csv.field_size_limit(_CELL_LIMIT)
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
    finally:
        csv.field_size_limit(previous)


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
    objects = {r["organisation_number"]: r.get("charitable_objects") or "" for r in _rows(folder / GOVERNING)}
    classes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in _rows(folder / CLASSIFICATION):
        classes[r["organisation_number"]][r.get("classification_type") or ""].append(
            r.get("classification_description") or ""
        )
    areas: dict[str, list[str]] = defaultdict(list)
    for r in _rows(folder / AREA):
        areas[r["organisation_number"]].append(r.get("geographic_area_description") or "")
    for number, row in enumerate(_rows(folder / CHARITY), start=2):
        source = f"{folder / CHARITY}:{number}"
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
