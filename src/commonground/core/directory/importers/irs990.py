"""IRS Form 990 data: the e-file XML returns the IRS publishes, joined with the EO Business Master File.

A return (namespace ``http://www.irs.gov/efile``) names the filer in ``ReturnHeader/Filer``
(``EIN``, ``BusinessName/BusinessNameLine1Txt``, ``USAddress/StateAbbreviationCd``); a Form 990
states its mission in ``IRS990/MissionDesc`` (Part III) or ``ActivityOrMissionDesc`` (Part I), a
990-EZ in ``IRS990EZ/PrimaryExemptPurposeTxt``; program services are
``ProgramSrvcAccomplishmentGrp/DescriptionProgramSrvcAccomplishmentTxt``. The NTEE code is not on
the return: it comes from the EO Business Master File extract (``eo_*.csv``, columns ``EIN``,
``NAME``, ``STATE``, ``NTEE_CD``, ``REVENUE_AMT``) when one lies beside the returns.

XML is parsed with defusedxml, so an entity-expansion bomb in a downloaded file is refused.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from commonground.core.directory.importers.tables import entry_from_fields
from commonground.core.directory.records import Entry, Skipped

NS = {"irs": "http://www.irs.gov/efile"}
# NTEE major groups (the code's first letter), worded here as the sector of the organisation.
NTEE_GROUPS = {
    "A": "arts, culture and humanities",
    "B": "education",
    "C": "environment",
    "D": "animal-related",
    "E": "health care",
    "F": "mental health and crisis intervention",
    "G": "diseases and disorders",
    "H": "medical research",
    "I": "crime and legal services",
    "J": "employment",
    "K": "food, agriculture and nutrition",
    "L": "housing and shelter",
    "M": "public safety and disaster relief",
    "N": "recreation and sports",
    "O": "youth development",
    "P": "human services",
    "Q": "international affairs and development",
    "R": "civil rights and advocacy",
    "S": "community improvement",
    "T": "philanthropy and grantmaking",
    "U": "science and technology",
    "V": "social science",
    "W": "public and societal benefit",
    "X": "religion-related",
    "Y": "mutual and membership benefit",
    "Z": "unknown",
}


def _is_return(file: Path) -> bool:
    if file.suffix.lower() != ".xml" or not file.is_file():
        return False
    with file.open("rb") as handle:
        return b"http://www.irs.gov/efile" in handle.read(4096)


def detect(path: Path) -> bool:
    """An e-file return, or a folder holding at least one."""
    if path.is_dir():
        return any(_is_return(p) for p in sorted(path.glob("*.xml"))[:20])
    return _is_return(path)


def _text(node: Element | None, xpath: str) -> str:
    found = node.find(xpath, NS) if node is not None else None
    return (found.text or "").strip() if found is not None else ""


def _master_file(folder: Path) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for file in sorted(folder.glob("eo_*.csv")):
        with file.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                rows[(row.get("EIN") or "").strip()] = row
    return rows


def _size(amount: str) -> str:
    try:
        value = float(amount)
    except ValueError:
        return ""
    if not math.isfinite(value):
        return ""
    for limit, band in ((100_000, "under $100k"), (1_000_000, "$100k–$1m"), (10_000_000, "$1m–$10m")):
        if value < limit:
            return band
    return "$10m and over"


def read(path: Path) -> Iterator[Entry | Skipped]:
    """Every Form 990 or 990-EZ return in ``path`` (a file or a folder)."""
    folder = path if path.is_dir() else path.parent
    files = sorted(p for p in path.glob("*.xml")) if path.is_dir() else [path]
    master = _master_file(folder)
    for file in files:
        source = str(file)
        try:
            root = ElementTree.parse(file).getroot()
        except (ElementTree.ParseError, DefusedXmlException) as exc:
            yield Skipped(source, f"not a readable XML return: {exc}", unread=True)
            continue
        filer = root.find("irs:ReturnHeader/irs:Filer", NS)
        ein = _text(filer, "irs:EIN")
        form = root.find("irs:ReturnData/irs:IRS990", NS)
        ez = root.find("irs:ReturnData/irs:IRS990EZ", NS)
        if form is None and ez is None:
            kind = _text(root, "irs:ReturnHeader/irs:ReturnTypeCd") or "unknown"
            yield Skipped(source, f"a {kind} return, which states no mission (only 990 and 990-EZ are read)")
            continue
        body = form if form is not None else ez
        mission = (
            _text(form, "irs:MissionDesc") or _text(form, "irs:ActivityOrMissionDesc")
            if form is not None
            else _text(ez, "irs:PrimaryExemptPurposeTxt")
        )
        programs = [
            (node.text or "").strip()
            for node in (
                body.findall(
                    "irs:ProgramSrvcAccomplishmentGrp/irs:DescriptionProgramSrvcAccomplishmentTxt", NS
                )
                if body is not None
                else []
            )
            if (node.text or "").strip()
        ]
        listed = master.get(ein, {})
        ntee = (listed.get("NTEE_CD") or "").strip().upper()
        revenue = (
            _text(form, "irs:CYTotalRevenueAmt") if form is not None else _text(ez, "irs:TotalRevenueAmt")
        )
        fields = {
            "name": _text(filer, "irs:BusinessName/irs:BusinessNameLine1Txt") or listed.get("NAME", ""),
            "mission": mission or "; ".join(programs[:1]),
            "kind": "funder" if ntee.startswith("T") else "nonprofit",
            "sector": f"{NTEE_GROUPS.get(ntee[:1], '')} ({ntee})" if ntee else "",
            "activities": "; ".join(p.replace(";", ",") for p in programs),
            "country": "US",
            "region": _text(filer, "irs:USAddress/irs:StateAbbreviationCd") or listed.get("STATE", ""),
            "size": _size(revenue or listed.get("REVENUE_AMT", "")),
            "key": f"US-EIN-{ein}" if ein else "",
        }
        yield entry_from_fields(fields, source, default_kind="nonprofit")
