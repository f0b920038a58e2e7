"""A red line that lists several items, crossed only through the item each partner text is nearest to."""

from __future__ import annotations

from commonground.core.profiles import RedLine
from commonground.core.red_lines import red_line_breach
from commonground.core.results import Conflict
from commonground.core.semantics.line_names import sectors_named
from commonground.core.semantics.sector_kinds import outside_named_kinds
from commonground.core.text_units import TextUnit


def _closeness(unit: TextUnit, item: TextUnit) -> float:
    """How close a text is to an item of a red line: by the multilingual reader when it was read."""
    if unit.reader_vector is not None and item.reader_vector is not None:
        return float(unit.reader_vector @ item.reader_vector)
    return unit.similarity(item.vector)


def _nearest_item(unit: TextUnit, items: list[TextUnit], *, red_line: str, partner_texts: list[str]) -> int:
    """The item of a red line a text is nearest to, by the multilingual reader when it was read.

    An item naming a sector the text is in is preferred to one that is not. An item whose sectors
    the text is in only by other kinds than the red line names is passed over: lignite mining is
    nearer "oil and gas" than "mining", and crosses through mining.
    """
    open_items = [
        n for n in range(len(items)) if not _other_kinds_only(unit, items[n], red_line, partner_texts)
    ]
    # An item that names a sector the text is in comes first, however close the others' words: a
    # casino chain crosses "Sin vínculos con empresas de armas, tabaco, alcohol o juegos de azar"
    # through its gambling item, even where the reader finds "alcohol" nearer. (Named in words
    # only: a loose topic of an item, "foie gras" near intensive livestock, does not count.)
    pushed = {m.sector for m in unit.reading.pushes}
    naming = [n for n in open_items if pushed & sectors_named(items[n].text).keys()]
    return max(naming or open_items or range(len(items)), key=lambda n: (_closeness(unit, items[n]), -n))


def _other_kinds_only(unit: TextUnit, item: TextUnit, red_line: str, partner_texts: list[str]) -> bool:
    """Whether a text is in an item's sectors only by kinds of them the red line does not name."""
    shared = {m.sector for m in unit.reading.pushes} & {t.sector for t in item.reading.topics}
    return bool(shared) and all(
        outside_named_kinds(red_line, s, unit.text, partner_texts) is not None for s in shared
    )


def worst_breach(
    owner: str, index: int, red_line: RedLine, readings: list[TextUnit], others: list[TextUnit]
) -> Conflict | None:
    """The most severe breach of a red line, read whole or, when it lists items, item by item.

    A red line that lists several things ("no money from arms makers, casinos or payday lenders")
    is crossed only through one of them, and each text of the partner only through the item it is
    nearest to: read whole, the sentence blends its items into neighbours it does not name, and a
    soft-drinks maker is nearer to "breweries" than to "burger chains" however the sector map
    groups them.
    """
    items = readings[1:]
    found: list[tuple[int, int, Conflict]] = []
    texts = [u.text for u in others]
    for n, topic in enumerate(items or readings[:1]):
        candidates = (
            [u for u in others if _nearest_item(u, items, red_line=red_line.text, partner_texts=texts) == n]
            if items
            else None
        )
        if candidates is not None and not candidates:
            continue
        conflict = red_line_breach(owner, index, red_line, topic, others, candidates)
        if conflict is None:
            continue
        if items:
            detail = f'{conflict.evidence.detail}; matched the item "{topic.text}" of the red line'
            conflict = conflict.model_copy(
                update={"evidence": conflict.evidence.model_copy(update={"detail": detail})}
            )
        found.append((conflict.severity.rank, n, conflict))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None
