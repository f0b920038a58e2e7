"""Importers: each reads one kind of source into organisations, reporting every row it skips.

An importer is a function ``(path, options) -> Iterator[Entry | Skipped]``; nothing it cannot
use may vanish: it yields :class:`Skipped` with the row and the reason instead.

How to add one: write the function in a module of this package (see ``charity_commission.py``),
give it a ``detect(path) -> bool`` that recognises its files by name or layout, and add both to
:data:`IMPORTERS` under a short name; ``commonground directory build --from NAME`` then reaches it,
and detection picks it for files it recognises. Test it on a small fixture laid out like the real
file, with invented organisations (tests/data/directory/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from commonground.core.directory.importers import charity_commission, irs990, profile_files, tables
from commonground.core.directory.records import Entry, ImportReport, Skipped


@dataclass(frozen=True)
class ImportOptions:
    """What the user said about a source: a CSV column mapping, the kind when it has none."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    default_kind: str = "nonprofit"


Reader = Callable[[Path, ImportOptions], Iterator[Entry | Skipped]]


@dataclass(frozen=True)
class Importer:
    """A registered importer: its reader and how it recognises its sources."""

    read: Reader
    detect: Callable[[Path], bool]
    describes: str


IMPORTERS: dict[str, Importer] = {
    "charity-commission": Importer(
        lambda path, _: charity_commission.read(path),
        charity_commission.detect,
        "Charity Commission for England and Wales register extract (folder of publicextract.*.txt)",
    ),
    "irs990": Importer(
        lambda path, _: irs990.read(path),
        irs990.detect,
        "IRS Form 990 e-file XML returns (a file or folder), with the EO Business Master File for NTEE codes",
    ),
    "jsonl": Importer(
        lambda path, _: profile_files.read_json_lines(path),
        lambda path: path.suffix.lower() == ".jsonl",
        "JSON Lines, one profile per line",
    ),
    "csv": Importer(
        lambda path, opts: tables.read_csv(path, opts.mapping, default_kind=opts.default_kind),
        lambda path: path.suffix.lower() == ".csv",
        "CSV with a column mapping (--map name=Org,mission=Purpose,...)",
    ),
    "profiles": Importer(
        lambda path, _: profile_files.read_profiles(path),
        lambda path: path.is_dir() or path.suffix.lower() in (".yaml", ".yml", ".json"),
        "profile files (YAML/JSON), or a folder of them",
    ),
}


class UnknownSource(ValueError):
    """No importer recognises a source, or the named one does not exist."""


def importer_for(path: Path, name: str | None = None) -> str:
    """The importer named ``name``, else the first whose ``detect`` recognises ``path``."""
    if not path.exists():
        raise UnknownSource(f"{path}: not found")
    if name is not None:
        if name not in IMPORTERS:
            raise UnknownSource(f"unknown importer {name!r}; available: {', '.join(IMPORTERS)}")
        return name
    for candidate, importer in IMPORTERS.items():
        if importer.detect(path):
            return candidate
    raise UnknownSource(
        f"{path}: cannot tell what this is; give profiles (.yaml/.json), .jsonl, .csv, a register "
        f"extract folder, or name the importer with --from ({', '.join(IMPORTERS)})"
    )


def import_sources(
    paths: list[Path], *, options: ImportOptions | None = None, name: str | None = None
) -> ImportReport:
    """Every organisation of ``paths`` and every row skipped, with its reason."""
    options = options or ImportOptions()
    report = ImportReport()
    for path in paths:
        report.extend(_guarded(IMPORTERS[importer_for(path, name)].read(path, options), path))
    return report


def _guarded(rows: Iterator[Entry | Skipped], path: Path) -> Iterator[Entry | Skipped]:
    """The rows of one source; a file that stops being readable part way is reported, not fatal.

    The rows read before the fault are kept; the rest of that file is one skipped entry saying why,
    so nothing is dropped without a reason and the other sources are still read."""
    try:
        yield from rows
    except UnicodeDecodeError as exc:
        yield Skipped(
            str(path),
            f"not UTF-8 text at byte {exc.start}: save it as UTF-8; the rest of it was not read",
            unread=True,
        )
    except OSError as exc:
        yield Skipped(
            str(path), f"cannot be read: {exc.strerror or exc}; the rest of it was not read", unread=True
        )


__all__ = ["IMPORTERS", "ImportOptions", "Importer", "UnknownSource", "import_sources", "importer_for"]
