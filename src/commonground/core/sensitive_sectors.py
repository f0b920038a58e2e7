"""Sensitive-sector conflicts: a partner's sectors against the other's mission areas; the portfolio rule."""

from __future__ import annotations

from dataclasses import replace

from commonground.core.profiles import Kind
from commonground.core.results import Conflict, ConflictKind, ConflictSeverity, Evidence
from commonground.core.semantics.sector_map import SectorConflictRow, load_sector_map
from commonground.core.text_units import TextUnit
from commonground.core.wording import possessive

_ROW_SEVERITY = {"high": ConflictSeverity.HIGH, "medium": ConflictSeverity.MEDIUM}
# One step milder: what the portfolio rule, the role rule and a same-kind measure do to a severity.
MILDER = {
    ConflictSeverity.BLOCKER: ConflictSeverity.HIGH,
    ConflictSeverity.HIGH: ConflictSeverity.MEDIUM,
    ConflictSeverity.MEDIUM: ConflictSeverity.LOW,
    ConflictSeverity.LOW: ConflictSeverity.LOW,
}


def portfolio_minority(units: list[TextUnit], sector: str) -> bool:
    """True when a sector is a minority line of a partner whose main business lies outside it."""
    core = [u for u in units if u.field in ("mission", "sector")]
    activities = [u for u in units if u.field.startswith("activities[")]
    if not activities or any(m.sector == sector for u in core for m in u.reading.pushes):
        return False
    pushing = sum(1 for u in activities if any(m.sector == sector for m in u.reading.pushes))
    return pushing * 2 < len(activities)


def sector_conflicts(pushers: list[TextUnit], pursuers: list[TextUnit]) -> list[Conflict]:
    """One conflict per sector of one partner that works against a mission area of the other."""
    smap = load_sector_map()
    out: list[Conflict] = []
    for sector in smap.sectors:
        in_sector = [(m.similarity, u) for u in pushers for m in u.reading.sectors if m.sector == sector.id]
        if not in_sector:
            continue
        candidates: list[tuple[SectorConflictRow, float, TextUnit]] = []
        for u in pursuers:
            for area in u.reading.areas:
                row = smap.row(sector.id, area.area)
                if row is not None:
                    candidates.append((row, area.similarity, u))
        if not candidates:
            continue
        # The most severe row decides; the other areas it touches are named in the detail.
        candidates.sort(key=lambda c: (c[0].severity != "high", -round(c[1], 6), c[0].id, c[2].field))
        row, area_sim, pursuer = candidates[0]
        in_sector.sort(key=lambda x: (-round(x[0], 6), x[1].field))
        sector_sim, pusher = in_sector[0]
        others = sorted({c[0].area for c in candidates} - {row.area})
        also = f" It also touches: {', '.join(smap.area(a).name for a in others)}." if others else ""
        severity = _ROW_SEVERITY[row.severity]
        if portfolio_minority(pushers, sector.id):
            # A grocer that also sells sweets is not a sweet maker: one step milder than a specialist.
            severity = MILDER[severity]
            also += (
                f" Milder than for a specialist: {sector.name.lower()} is a minority of "
                f"{possessive(pusher.party)} activities and outside its mission and sector."
            )
        out.append(
            Conflict(
                kind=ConflictKind.SENSITIVE_SECTOR,
                severity=severity,
                parties=[pusher.party, pursuer.party],
                summary=f"{pusher.party} works in {sector.name.lower()}, which is widely seen as "
                f"working against {smap.area(row.area).name.lower()}, which {pursuer.party} pursues",
                evidence=Evidence(
                    texts=[pusher.evidence(), pursuer.evidence()],
                    rule="sector_map",
                    data_row=row.id,
                    source=row.source,
                    similarity=round(sector_sim, 4),
                    detail=f"{row.rationale} (mission-area similarity {area_sim:.2f}).{also}",
                ),
            )
        )
    return out


def drop_sectors_not_for(units: list[TextUnit], kind: Kind) -> list[TextUnit]:
    """A partner's texts without the sectors an organisation of its kind cannot be in.

    "Runs seven prisons" reads as private prisons, but a state prison service runs them for no
    one's profit, and the tension the map records (an interest in more detention) is the profit's.
    """
    smap = load_sector_map()
    out: list[TextUnit] = []
    for u in units:
        kept = tuple(m for m in u.reading.sectors if smap.applies_to(m.sector, kind.value))
        screens = tuple(m for m in u.reading.screens if smap.applies_to(m.sector, kind.value))
        if kept != u.reading.sectors or screens != u.reading.screens:
            u = replace(u, reading=replace(u.reading, sectors=kept, screens=screens))
        out.append(u)
    return out


def drop_runner_up_sectors(units: list[TextUnit]) -> list[TextUnit]:
    """Keep a sector only if it is the best match of at least one of the partner's own texts.

    A text within SECTOR_TIE of two sectors joins both ("beverages"), but a sector a partner
    reaches only as a runner-up, never as the best reading of any of its texts, is ambiguity in
    the wording ("fizzy drinks ... through sports sponsorship" also sits near alcohol), not
    evidence that the partner works in it.
    """
    best = {u.reading.sectors[0].sector for u in units if u.reading.sectors}
    out: list[TextUnit] = []
    for u in units:
        # A sector named as the partner's product (similarity 1.0), or placed by the classifier (its
        # one best class), is no ambiguity of wording.
        kept = tuple(
            m
            for m in u.reading.sectors
            if m.sector in best or m.similarity >= 1.0 or m.probability is not None
        )
        if kept != u.reading.sectors:
            u = replace(u, reading=replace(u.reading, sectors=kept))
        out.append(u)
    return out
