"""The curated sensitive-sector map (data/sectors.yaml) as typed, validated data.

Sectors are what an organisation may do, sell, fund or lobby for, each with the mission areas it
works against (conflict rows with a severity and a public source). Screens, since 2026.2, are more
industries and kinds of conduct that partners' red lines rule out; they have the same shape and
are used only to check red lines. Classification lives in :mod:`commonground.core.semantics.sectors`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from commonground.core.semantics.data_files import parse_yaml
from commonground.core.semantics.polarity import Polarity

__all__ = [
    "SECTOR_MAP_VERSION",
    "AreaMatch",
    "Group",
    "MissionArea",
    "RowSeverity",
    "Sector",
    "SectorConflictRow",
    "SectorMap",
    "SectorMatch",
    "another_industrys_product",
    "load_sector_map",
]

RowSeverity = Literal["high", "medium"]
# The two groups of the map that a stance classifier reads: sectors, and the screens red lines use.
Group = Literal["sectors", "screens"]


@dataclass(frozen=True)
class Sector:
    """A sensitive sector: what an organisation may do, sell, fund or lobby for."""

    id: str
    name: str
    description: str
    prototypes: tuple[str, ...]
    # Ways of working FOR the sector beyond its prototypes (which are all FOR), and AGAINST it
    # (treatment and support, control policy, reduction targets, closure, scrutiny, campaigning).
    stance_for: tuple[str, ...] = ()
    stance_against: tuple[str, ...] = ()
    # Screens only: "conduct" for a kind of behaviour (union busting, child labour ...) rather than an
    # industry. Conduct is often told in negative words ("no guaranteed hours", "cannot leave"), so
    # word-rule stance does not veto it (core/red_lines.py).
    conduct: bool = False
    # Words and short phrases naming the industry's own products ("coal", "copper"). A text read
    # into a sector that names none of the sector's products but another industry's is not in it
    # (sectors.read_texts): a copper mine is not a fossil-fuel company. Empty: not checked.
    products: tuple[str, ...] = ()
    # The sector is running something for profit ("private prisons"): a public agency that runs
    # prisons is not in it, however alike the words (core/sensitive_sectors.py).
    for_profit: bool = False


@dataclass(frozen=True)
class MissionArea:
    """A kind of social mission an organisation may exist to pursue."""

    id: str
    name: str
    prototypes: tuple[str, ...]


@dataclass(frozen=True)
class SectorConflictRow:
    """One curated row: a sector works against a mission area, with why and who says so."""

    id: str
    sector: str
    area: str
    severity: RowSeverity
    rationale: str
    source: str


@dataclass(frozen=True)
class SectorMap:
    """The whole curated map, as shipped in data/sectors.yaml."""

    version: str
    sectors: tuple[Sector, ...]
    areas: tuple[MissionArea, ...]
    rows: tuple[SectorConflictRow, ...]
    neutral: tuple[str, ...]
    # More industries and kinds of conduct that red lines rule out, shaped like sectors, read by a
    # classifier of their own and used only to check red lines (no conflict rows).
    screens: tuple[Sector, ...] = ()

    def sector(self, sector_id: str) -> Sector:
        """The sector or screen with this id."""
        return next(s for s in (*self.sectors, *self.screens) if s.id == sector_id)

    def applies_to(self, sector_id: str, kind: str) -> bool:
        """Whether an organisation of this kind (a profile's ``kind`` value) can be in the sector.

        A sector defined by running something for profit is not a public agency's: a state prison
        service "runs seven prisons" as a private-prison company does, for no one's profit.
        """
        return not (self.sector(sector_id).for_profit and kind == "public_agency")

    def group(self, name: Group) -> tuple[Sector, ...]:
        """The sectors (``"sectors"``) or the screens (``"screens"``)."""
        return self.sectors if name == "sectors" else self.screens

    def area(self, area_id: str) -> MissionArea:
        """The mission area with this id."""
        return next(a for a in self.areas if a.id == area_id)

    def row(self, sector_id: str, area_id: str) -> SectorConflictRow | None:
        """The conflict row from a sector to a mission area, if the map has one."""
        return next((r for r in self.rows if r.sector == sector_id and r.area == area_id), None)

    def areas_against(self, sector_id: str) -> frozenset[str]:
        """Mission areas the sector works against."""
        return frozenset(r.area for r in self.rows if r.sector == sector_id)


@dataclass(frozen=True)
class SectorMatch:
    """A text placed in a sector, with the prototype it matched and its polarity."""

    sector: str
    similarity: float
    prototype: str
    polarity: Polarity
    # The stance classifier's probability that the text puts the organisation in this sector,
    # when the classifier decided (None: the similarity rules decided).
    probability: float | None = None


@dataclass(frozen=True)
class AreaMatch:
    """A text placed in a mission area, with the prototype it matched."""

    area: str
    similarity: float
    prototype: str


def _sectors(entries: list[dict[str, Any]]) -> tuple[Sector, ...]:
    return tuple(
        Sector(
            s["id"],
            s["name"],
            s["description"],
            tuple(s["prototypes"]),
            tuple(s.get("stance", {}).get("for", [])),
            tuple(s.get("stance", {}).get("against", [])),
            s.get("kind") == "conduct",
            tuple(str(w).lower() for w in s.get("products", [])),
            bool(s.get("for_profit", False)),
        )
        for s in entries
    )


def _parse(document: dict[str, Any]) -> SectorMap:
    sectors = _sectors(document["sectors"])
    screens = _sectors(document.get("screens") or [])
    if {s.id for s in sectors} & {s.id for s in screens}:
        raise ValueError("sectors.yaml: an id is both a sector and a screen")
    areas = tuple(MissionArea(a["id"], a["name"], tuple(a["prototypes"])) for a in document["mission_areas"])
    rows = tuple(
        SectorConflictRow(r["id"], r["sector"], r["area"], r["severity"], r["rationale"], r["source"])
        for r in document["conflicts"]
    )
    sector_ids = {s.id for s in sectors}
    area_ids = {a.id for a in areas}
    for row in rows:
        # A typo in the data file must fail loudly, not silently drop a conflict.
        if row.sector not in sector_ids or row.area not in area_ids:
            raise ValueError(f"sectors.yaml row {row.id!r} names an unknown sector or mission area")
        if row.id != f"{row.sector}->{row.area}":
            raise ValueError(f"sectors.yaml row id {row.id!r} must be '{row.sector}->{row.area}'")
        if row.severity not in ("high", "medium"):
            raise ValueError(f"sectors.yaml row {row.id!r} has severity {row.severity!r}")
    neutral = tuple(document.get("neutral_activities", []))
    return SectorMap(str(document["version"]), sectors, areas, rows, neutral, screens)


_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# A product word this long also counts inside a compound ("Braunkohletagebaue" names "braunkohle").
COMPOUND_PART = 5


def _names_products(words: list[str], products: tuple[str, ...]) -> bool:
    """Whether the words name one of the products: a phrase as whole words, a long word inside one."""
    joined = f" {' '.join(words)} "
    return any(
        f" {p} " in joined or (" " not in p and len(p) >= COMPOUND_PART and any(p in w for w in words))
        for p in products
    )


def another_industrys_product(text: str, sector: Sector) -> bool:
    """Whether a text names another industry's products and none of this sector's.

    The classifier reads "operates an open-pit copper mine" as fossil fuels, since coal mines are
    the mines it was taught; a sector whose map entry lists its products is attributed only when
    the text names one of them or no other industry's.
    """
    if not sector.products:
        return False
    found = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    # "Coal-fired" names coal: hyphenated words count whole and by their parts.
    words = [*found, *(part for w in found if "-" in w for part in w.split("-"))]
    if _names_products(words, sector.products):
        return False
    smap = load_sector_map()
    others = (s for s in (*smap.sectors, *smap.screens) if s.id != sector.id and s.products)
    return any(_names_products(words, other.products) for other in others)


@lru_cache(maxsize=1)
def load_sector_map() -> SectorMap:
    """The curated sector map shipped with the package."""
    text = resources.files("commonground.data").joinpath("sectors.yaml").read_text(encoding="utf-8")
    return _parse(parse_yaml(text))


SECTOR_MAP_VERSION: str = load_sector_map().version
