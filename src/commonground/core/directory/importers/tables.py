"""Rows of a table (CSV, a register extract) into organisations, with a reason for each row left out."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import ValidationError

from commonground.core.directory.records import Entry, Skipped
from commonground.core.profiles import Kind, Profile

# Fields a mapping may fill: the profile's own and the directory's filter fields.
FIELDS = (
    "name",
    "mission",
    "kind",
    "sector",
    "activities",
    "goals",
    "country",
    "region",
    "size",
    "sdgs",
    "key",
)
REQUIRED = ("name", "mission")
# A cell holding several activities or goals separates them with a semicolon or a line break.
_LIST_SPLIT = re.compile(r"\s*(?:;|\n)\s*")


def _items(cell: str) -> list[str]:
    return [part for part in _LIST_SPLIT.split(cell.strip()) if part]


def entry_from_fields(fields: Mapping[str, str], source: str, *, default_kind: str) -> Entry | Skipped:
    """An organisation from named cells, or the reason the row cannot be one."""
    missing = [f for f in REQUIRED if not (fields.get(f) or "").strip()]
    if missing:
        return Skipped(source, f"no {' and no '.join(missing)}")
    kind = (fields.get("kind") or "").strip().lower().replace(" ", "_") or default_kind
    if kind not in {k.value for k in Kind}:
        return Skipped(source, f"kind {kind!r} is not one of {', '.join(k.value for k in Kind)}")
    sdgs: list[int] = []
    for part in re.split(r"[;,\s]+", (fields.get("sdgs") or "").strip()):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 17:
            return Skipped(source, f"SDG {part!r} is not a number from 1 to 17")
        sdgs.append(int(part))
    document = {
        "name": fields["name"].strip(),
        "kind": kind,
        "mission": fields["mission"].strip(),
        "sector": (fields.get("sector") or "").strip()[:200] or None,
        "activities": _items(fields.get("activities") or "")[:200],
        "goals": _items(fields.get("goals") or "")[:100],
    }
    try:
        profile = Profile.model_validate({k: v for k, v in document.items() if v})
    except ValidationError as exc:
        error = exc.errors()[0]
        return Skipped(source, f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}")
    return Entry(
        profile=profile,
        source=source,
        key=(fields.get("key") or "").strip() or None,
        country=(fields.get("country") or "").strip() or None,
        region=(fields.get("region") or "").strip() or None,
        size=(fields.get("size") or "").strip() or None,
        sdgs=tuple(sorted(set(sdgs))),
    )


class MappingError(ValueError):
    """A column mapping that names an unknown field or a column the file does not have."""


def read_csv(path: Path, mapping: Mapping[str, str], *, default_kind: str) -> Iterator[Entry | Skipped]:
    """Rows of a CSV file; ``mapping`` gives our field -> the file's column (same names by default)."""
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise MappingError(f"--map: unknown field {', '.join(unknown)}; fields: {', '.join(FIELDS)}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        resolved = {f: mapping.get(f, f) for f in FIELDS}
        absent = [f"{f}={resolved[f]}" for f in REQUIRED if resolved[f] not in columns]
        absent += [f"{f}={c}" for f, c in mapping.items() if c not in columns and f not in REQUIRED]
        if absent:
            raise MappingError(
                f"{path}: no column for {', '.join(absent)} (columns: {', '.join(columns) or 'none'}); "
                "map them with --map name=COLUMN,mission=COLUMN"
            )
        for number, row in enumerate(reader, start=2):
            cells = {f: row.get(column) or "" for f, column in resolved.items() if column in columns}
            yield entry_from_fields(cells, f"{path}:{number}", default_kind=default_kind)
