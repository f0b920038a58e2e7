"""Red-line breaches: whether a partner's texts cross one reading of a red line, and how severely."""

from __future__ import annotations

from commonground.core.profiles import RedLine, Severity
from commonground.core.red_line_roles import named_role, plays_role
from commonground.core.results import Conflict, ConflictKind, ConflictSeverity, Evidence, EvidenceText
from commonground.core.semantics.languages import detect_language
from commonground.core.semantics.measure_domains import domain_name, domains_covered
from commonground.core.semantics.overseers import oversees
from commonground.core.semantics.sector_kinds import outside_named_kinds
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.semantics.sectors import AREA_THRESHOLD
from commonground.core.sensitive_sectors import MILDER, portfolio_minority
from commonground.core.text_units import TextUnit
from commonground.core.wording import possessive

# Calibrated on the calibration split of tests/data/conflict_cases.yaml.
# A same-stance text this close to a red line's topic breaches it. Calibration: breaches scored
# 0.51 and up, every other same-stance pair 0.35 or less; 0.45 sits between, nearer the breaches.
RED_LINE_THRESHOLD = 0.45
# The multilingual reader's cosine at which two measures' names are the same measure: the lowest
# that adds no false match on the training red-line pairs about measures, pairing each red line with
# the texts that weaken another, unrelated measure (scripts/calibrate-measure-threshold.py; see
# docs/methods.md, "Behaviour toward a measure").
READER_MEASURE_THRESHOLD = 0.39
# Ends the reason of a red line crossed only because the partner's measure is of the same kind
# (core/semantics/measure_domains.py): such a crossing is one step milder, for a person to confirm.
SAME_KIND_OF_MEASURE = " (another measure of the same kind)"
# A red line that names a screen (a kind of conduct such as union busting, or an industry outside
# the sectors) asks one question of each text: does it do THAT screen? The screens classifier's
# own threshold answers "which screen, if any" unprompted; asked about the one screen the red line
# names, the text does it when that screen is its likeliest and scores at least the classifier's
# `named_threshold` (TextReading.screen_threshold), chosen in cross-validation so that at most 2%
# (1% until screens 2026.3) of the training texts that are about a screen without doing it pass
# (scripts/train-stance-model.py).

_RED_LINE_SEVERITY = {Severity.ABSOLUTE: ConflictSeverity.BLOCKER, Severity.STRONG: ConflictSeverity.HIGH}


def _named_screen_done(unit: TextUnit, topic_sectors: set[str]) -> str | None:
    """The screen a red line names that this text does, asked about that screen alone, if any.

    As for sectors, an explicit word cue of working against an industry vetoes it ("zero single-use
    plastic bottles on site"). Not so for conduct: it is often told in negative words ("no
    guaranteed hours", "cannot leave", "without consulting the villages") that read as against.
    """
    scores = unit.reading.screen_scores
    if not scores or unit.reading.polarity.past:
        return None
    best = max(scores, key=lambda s: (scores[s], s))
    threshold = unit.reading.screen_threshold
    if best not in topic_sectors or threshold is None or scores[best] < threshold:
        return None
    stance = unit.reading.polarity
    if stance.explicit and stance.role == "against" and not load_sector_map().sector(best).conduct:
        return None
    return best


def _measure_breach(
    topic: TextUnit, unit: TextUnit, similarity: float
) -> tuple[int, float, TextUnit, str] | None:
    """A text acting on the measure a red line is about the same way, read in any language.

    The breach of "campaign to delay clean-air rules" is a text acting on the same measure the
    same way ("win a postponement of the Clean Air Zone charges"), read without letting control
    nouns turn the stance around. The measures' names are compared by MiniLM and, across
    languages, by the multilingual reader.
    """
    if unit.measure is None or unit.measure != topic.measure:
        return None
    assert topic.measure_vector is not None
    assert unit.measure_vector is not None
    # MiniLM compares the names only within one language: across two others its cosines are loose
    # (a German climate law and a French rent rule came out at 0.50).
    same_language = detect_language(topic.text)[0] == detect_language(unit.text)[0]
    # The best of the whole name and the statement's listed acts: "emissions limits" is "climate
    # or clean-air legislation".
    on_measure = (
        max(similarity, float((unit.measure_vector @ topic.measure_vector.T).max())) if same_language else 0.0
    )
    by_reader = (
        float((unit.measure_reader @ topic.measure_reader.T).max())
        if unit.measure_reader is not None and topic.measure_reader is not None
        else 0.0
    )
    act = "delays, weakens or exempts from" if (topic.measure or 0) < 0 else "puts in force"
    if on_measure >= RED_LINE_THRESHOLD or by_reader >= READER_MEASURE_THRESHOLD:
        return (1, max(on_measure, by_reader), unit, f"the text {act} the measure the red line is about")
    # Names far apart may still be one kind of measure: "vehicle emission standards" are clean-air
    # rules. The red line's area covers the narrower ones ("environmental rules": clean air too).
    area, line_area = unit.measure_domain, topic.measure_domain
    if area is not None and line_area is not None and area in domains_covered(line_area):
        where = (
            f"{domain_name(area)}, which the red line is about"
            if area == line_area
            else f"{domain_name(area)}, part of the {domain_name(line_area)} the red line is about"
        )
        # The closeness reported is what the crossing rests on: the weaker of the two placements.
        placed = min(unit.measure_domain_cosine, topic.measure_domain_cosine)
        return (1, placed, unit, f"the text {act} {where}{SAME_KIND_OF_MEASURE}")
    return None


def red_line_breach(
    owner: str,
    index: int,
    red_line: RedLine,
    topic: TextUnit,
    others: list[TextUnit],
    candidates: list[TextUnit] | None = None,
) -> Conflict | None:
    """The conflict if any of the other partner's statements (or the given candidates) breaches it."""
    smap = load_sector_map()
    topic_sectors = {t.sector for t in topic.reading.topics}
    # "No partners that harm the environment" names a mission area rather than a sector.
    harmed_areas = (
        {a.area for a in topic.reading.areas if a.similarity >= AREA_THRESHOLD}
        if topic.reading.polarity.harm
        else set()
    )
    partner_texts = [u.text for u in others]
    hits: list[tuple[int, float, TextUnit, str]] = []
    for unit in others if candidates is None else candidates:
        similarity = unit.similarity(topic.vector)
        if topic.measure is not None and not unit.reading.polarity.past:
            # A red line about a behaviour toward a measure ("no partners that lobby against sugar
            # taxes") is crossed by that behaviour, not by working in the measure's field: a drinks
            # maker that does not lobby, a tenants' union or a regulator enforcing the rule do not
            # cross it, however close their words.
            hit = _measure_breach(topic, unit, similarity)
            if hit is not None:
                hits.append(hit)
            continue
        if unit.reading.polarity.past:
            # An ended tie ("we used to be funded by a casino") is not current activity: at most
            # a low note to discuss, never a breach.
            about = any(t.sector in topic_sectors for t in unit.reading.topics)
            if unit.reading.polarity.role != "against" and (about or similarity >= RED_LINE_THRESHOLD):
                hits.append(
                    (2, similarity, unit, "the text describes an ended or past tie, not current activity")
                )
            continue
        # Red lines read sectors and screens alike ("no mining companies", "no child labour").
        # A red line singling out kinds of a sector ("banks that finance coal") is not crossed
        # through that sector by a text in other kinds of it (oil and gas pipelines). The whole
        # red line says which kinds: its items split "oil and gas" into two.
        by_sector = sorted(
            m.sector
            for m in unit.reading.pushes
            if m.sector in topic_sectors
            and outside_named_kinds(red_line.text, m.sector, unit.text, partner_texts) is None
        )
        by_area = sorted(
            m.sector for m in unit.reading.sectors if smap.areas_against(m.sector) & harmed_areas
        )
        if by_sector or by_area:
            sector = smap.sector((by_sector or by_area)[0])
            # A product claim (core/semantics/product_claims.py) says in the partner's own words
            # what it makes, sells or runs: the evidence names that word, not a closeness.
            claimed = next(
                (
                    m.prototype
                    for m in unit.reading.pushes
                    if m.sector == sector.id and m.similarity >= 1.0 and m.probability is None
                ),
                None,
            )
            why = (
                f'the text says the partner makes, sells or runs "{claimed}" ({sector.name.lower()})'
                if claimed
                else f"both concern {sector.name.lower()}"
            )
            hits.append((0, similarity, unit, why))
            continue
        named = _named_screen_done(unit, topic_sectors)
        # The kinds a red line singles out hold for screens too: "no coal mining companies" is not
        # crossed by copper mines.
        if named is not None and outside_named_kinds(red_line.text, named, unit.text, partner_texts) is None:
            screen = smap.sector(named)
            hits.append(
                (0, similarity, unit, f"the text describes {screen.name.lower()}, which the red line names")
            )
            continue
        # Same stance toward the topic: a cessation clinic is about tobacco but not FOR it.
        # When both act on a measure, that reading decides: a text that upholds the measure ("stop
        # exemptions from the zone") does not share the stance of a red line against weakening it.
        measures_differ = (
            topic.measure is not None and unit.measure is not None and unit.measure != topic.measure
        )
        same_stance = (
            unit.reading.polarity.role != "neutral"
            and unit.reading.polarity.role == topic.reading.polarity.role
            and not measures_differ
        )
        # A red line about a mapped sector is decided by the sector path alone: whether a text puts
        # its organisation in the sector is the stance classifier's call, and loose similarity of
        # "win minimum unit pricing for alcohol" to "alcohol sponsors" must not overrule it.
        decided_by_sector = bool(topic_sectors) and unit.reading.classified
        # A text already read as another sensitive sector than the one the red line names is
        # not a breach by loose similarity: fizzy drinks are not alcohol, however close in wording.
        other_sector = bool(topic_sectors) and bool(unit.reading.pushes)
        # Outside the map there is no sector classifier, but its working-against head still reads
        # stance across topics: "campaigning to end fur farming" does not cross "no fur trade".
        fights_it = bool(unit.reading.works_against)
        # Nor does a regulator or watchdog do what it oversees ("Glücksspielaufsicht eines
        # Bundeslandes" is close in words to "Glücksspielanbieter").
        if (
            same_stance
            and not (other_sector or decided_by_sector or fights_it or oversees(unit.text))
            and similarity >= RED_LINE_THRESHOLD
        ):
            hits.append((1, similarity, unit, "the text says the partner does what the red line rules out"))
            continue
    if not hits:
        return None
    hits.sort(key=lambda h: (h[0], -round(h[1], 6), h[2].field))
    rank, similarity, best, why = hits[0]
    party = best.party
    severity = _RED_LINE_SEVERITY[red_line.severity]
    held = f"red line held as {red_line.severity.value}"
    # The summary must not say "appears to cross" when the detail says it only touches the line.
    touches = False
    role = named_role(red_line.text)
    sectors = sorted(
        ({m.sector for h in hits if h[0] == 0 for m in h[2].reading.pushes} & topic_sectors)
        | {n for h in hits if h[0] == 0 and (n := _named_screen_done(h[2], topic_sectors)) is not None}
    )
    # Crossed only by another measure of the same kind: the areas are broad and the reader's
    # placement of a text near their edge is loose, so a person confirms it before it blocks.
    same_kind_only = all(h[3].endswith(SAME_KIND_OF_MEASURE) for h in hits if h[0] == rank)
    if same_kind_only:
        severity = MILDER[severity]
        held += (
            f"; {possessive(party)} text acts on another measure of the kind the red line is about, "
            "so it is one step milder: check that the red line means it"
        )
    if rank == 2:
        past_sectors = sorted({t.sector for h in hits for t in h[2].reading.topics} & topic_sectors)
        sectors = past_sectors[:1]
        severity = ConflictSeverity.LOW
        held += "; only a past tie matches, so it is a note to discuss rather than a breach"
    elif severity == ConflictSeverity.BLOCKER and not any(
        h[2].reading.polarity.role == "for" or (topic.measure is not None and h[2].measure == topic.measure)
        for h in hits
        if h[0] == rank
    ):
        # No matching text is clearly FOR the topic (the wording left its stance unclear): a
        # blocker needs a clear FOR stance, so this is high until a person checks.
        severity = ConflictSeverity.HIGH
        held += (
            f"; {possessive(party)} matching texts do not say clearly whether it works for or against this, "
            "so it is not a blocker: check the partner's role before signing"
        )
    elif role in ("maker", "seller") and not any(plays_role(h[2].text, role) for h in hits):
        # (Not for financiers: a coal miner is no milder a partner than a coal financier for a
        # red line against financing coal.)
        # "No money from MAKERS of sweets" and a grocer that sells them: touched, not crossed.
        severity = MILDER[severity]
        touches = True
        held += (
            f"; the red line names {role}s and {possessive(party)} matching texts show another role, "
            "so it touches the red line rather than crossing it: settle it before signing"
        )
    elif (
        sectors
        and not (role == "financier" and any(plays_role(h[2].text, role) for h in hits))
        and all(portfolio_minority(others, s) for s in sectors)
    ):
        # (A red line against those who finance the topic is crossed by any financing of it: a
        # bank's lending book is its portfolio, and divestment asks for none of it. A grocer that
        # sells beer is still a minority line, whoever the red line names.)
        severity = MILDER[severity]
        touches = True
        held += (
            f"; {smap.sector(sectors[0]).name.lower()} is a minority line in {possessive(party)} broader, "
            "mostly neutral portfolio, "
            "so it touches the red line rather than crossing it: settle it before signing"
        )
    return Conflict(
        kind=ConflictKind.RED_LINE,
        severity=severity,
        parties=[owner, party],
        summary=(
            f'{party} had a past tie that touches {possessive(owner)} red line "{red_line.text}"'
            if rank == 2
            else f'{party} comes close to {possessive(owner)} red line "{red_line.text}" '
            "without clearly crossing it"
            if touches
            else f'{party} appears to cross {possessive(owner)} red line "{red_line.text}"'
        ),
        evidence=Evidence(
            texts=[
                EvidenceText(party=owner, field=f"red_lines[{index}]", text=red_line.text),
                *[h[2].evidence() for h in hits[:3]],
            ],
            rule="red_line.semantic",
            # The sector entry of data/sectors.yaml the breach rests on, when it rests on one.
            data_row=sectors[0] if sectors else None,
            similarity=round(similarity, 4),
            detail=f"{why}; {held}",
        ),
    )
