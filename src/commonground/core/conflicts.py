"""Find where two partners clash, from the three sources named in the design brief.

1. Red lines, checked by meaning: each partner's red lines against everything the OTHER partner
   says it does, is, wants and exists for. "No funding from the tobacco industry" is breached by
   a cigarette maker, not by a smoking-cessation service: similarity says both are about tobacco,
   polarity says only one is for it.
2. Sensitive sectors: one partner's sectors (data/sectors.yaml) against the other's mission
   areas, through the curated conflict rows, each with its rationale and public source.
3. Goal tensions: the goals × goals matrix (core/interactions.py).

Two general rules temper severity, because partners are judged on what they actually do:

- Role: a red line that names a role ("makers of ...", "retailers of ...", "funding from ...")
  and is matched only by texts in which the other partner plays a different role (a grocer that
  SELLS sweets against "no money from makers of sweets") is touched, not crossed: one step milder
  (absolute → high, strong → medium), and the detail says why. A real maker keeps the blocker.
- Portfolio: a sensitive sector that is a minority of a partner whose mission and sector field
  are outside it, and that fewer than half of its listed activities push (a general grocer that
  also sells confectionery), is one step milder than for a specialist (a soda maker), both as a
  sensitive-sector conflict and as a red-line breach. Without activities the portfolio is
  unknown and no step is taken.

Every finding carries its evidence: the texts, the rule, the data row and the similarity.
The entry point is :func:`semantic_findings`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

import numpy as np

from commonground.core.interactions import GoalInput, goal_interactions
from commonground.core.profiles import Kind, Profile, RedLine, Severity
from commonground.core.results import (
    Conflict,
    ConflictKind,
    ConflictSeverity,
    Evidence,
    EvidenceText,
    GoalMatrix,
    GoalRef,
    Synergy,
)
from commonground.core.semantics.cues import lexicon_groups, lexicon_words
from commonground.core.semantics.engines import EmbeddingEngine, Matrix, get_engine
from commonground.core.semantics.interaction_model import goal_traits, load_interaction_model
from commonground.core.semantics.languages import detect_language, reads_through_reader
from commonground.core.semantics.line_names import sectors_named
from commonground.core.semantics.measure_domains import domain_name, domains_covered, measure_domains
from commonground.core.semantics.measures import (
    items_beside_a_measure,
    measure_object,
    measure_parts,
    measure_stance,
)
from commonground.core.semantics.mission_areas import with_reader_areas
from commonground.core.semantics.overseers import oversees
from commonground.core.semantics.polarity import goal_object, predicate, red_line_items, red_line_topic
from commonground.core.semantics.readings import read_statements
from commonground.core.semantics.sector_kinds import outside_named_kinds
from commonground.core.semantics.sector_map import SECTOR_MAP_VERSION, SectorConflictRow, load_sector_map
from commonground.core.semantics.sectors import AREA_THRESHOLD, TextReading, read_texts
from commonground.core.semantics.stance_model import load_stance_model
from commonground.core.wording import possessive

__all__ = ["SECTOR_MAP_VERSION", "SemanticFindings", "semantic_findings"]

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
_ROW_SEVERITY = {"high": ConflictSeverity.HIGH, "medium": ConflictSeverity.MEDIUM}
_MILDER = {
    ConflictSeverity.BLOCKER: ConflictSeverity.HIGH,
    ConflictSeverity.HIGH: ConflictSeverity.MEDIUM,
    ConflictSeverity.MEDIUM: ConflictSeverity.LOW,
    ConflictSeverity.LOW: ConflictSeverity.LOW,
}


# Roles a red line can name, and the words by which a text says an organisation plays them.
_ROLE_NAMES: dict[str, frozenset[str]] = lexicon_groups("role_names")
_ROLE_VERBS: dict[str, frozenset[str]] = lexicon_groups("role_verbs")
_ROLE_SUBJECTS = lexicon_words("role_subjects")
_KIND_ORDER = {ConflictKind.RED_LINE: 0, ConflictKind.SENSITIVE_SECTOR: 1, ConflictKind.GOAL_TENSION: 2}


@dataclass(frozen=True)
class SemanticFindings:
    """Conflicts, synergies and the goal matrix found by reading two profiles' texts."""

    conflicts: list[Conflict]
    synergies: list[Synergy]
    goal_matrix: GoalMatrix
    # Where the missions meet: best of mission-to-mission and goal-to-mission cosines, 0..1.
    mission_similarity: float


@dataclass(frozen=True)
class _Unit:
    """One text of a profile with where it came from, its reading and embedding."""

    party: str
    field: str
    text: str
    reading: TextReading
    vector: Matrix
    # The text without its leading subject ("Our stores sell fur" -> "sell fur"), when it has one.
    core_vector: Matrix | None = None
    # How the text acts on a rule, law or scheme (+1 puts it in force, −1 delays, weakens or
    # exempts from it; None: neither) and the embeddings of that measure's name and, when the text
    # lists several measures, of each one's (one row each).
    measure: int | None = None
    measure_vector: Matrix | None = None
    # The reader's embedding of that measure's name, so "le report de l'interdiction du diesel"
    # and "delay vehicle emission rules" can be compared across languages.
    measure_reader: Matrix | None = None
    # The multilingual reader's embedding, read only when a red line lists several items: it says
    # which item a text is nearest to in any language.
    reader_vector: Matrix | None = None
    # The policy area of the measure the text acts on ("clean-air rules"), when it names one close
    # enough (core/semantics/measure_domains.py), and the reader's cosine that placed it there.
    measure_domain: str | None = None
    measure_domain_cosine: float = 0.0

    def similarity(self, other: Matrix) -> float:
        """Cosine to ``other``: the better of the whole text and its predicate."""
        whole = float(other @ self.vector)
        return whole if self.core_vector is None else max(whole, float(other @ self.core_vector))

    def evidence(self) -> EvidenceText:
        return EvidenceText(party=self.party, field=self.field, text=self.text)


def _statements(profile: Profile) -> list[tuple[str, str]]:
    """Every text that says what the organisation is, does, wants or exists for."""
    out = [("mission", profile.mission)]
    if profile.sector:
        out.append(("sector", profile.sector))
    out += [(f"activities[{i}]", a.text) for i, a in enumerate(profile.activities)]
    out += [(f"goals[{i}]", g.text) for i, g in enumerate(profile.goals)]
    return out


def _tokens_of(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:-[a-z]+)?", text.lower())


def _words_of(text: str) -> set[str]:
    return set(_tokens_of(text))


def _named_role(red_line: str) -> str | None:
    """The role a red line names for the organisations it rules out ("makers of ..."), if any.

    "Funding from makers of X" names makers: the money is ruled out because of who makes X, so
    the most specific role (maker, then seller, then financier: "banks that finance coal") wins
    over the funding relationship.
    """
    # "Anyone lending to arms makers" rules out lenders: a financier named by its verb comes first.
    if _finances_the_topic(red_line):
        return "financier"
    words = _words_of(red_line)
    for role in ("maker", "seller", "financier", "funder"):
        if words & _ROLE_NAMES[role]:
            return role
    return None


def _finances_the_topic(red_line: str) -> bool:
    """Whether a red line rules out whoever finances its topic: "anyone financing new coal"."""
    tokens = _tokens_of(red_line)
    return any(
        word in _ROLE_VERBS["financier"] and previous in _ROLE_SUBJECTS
        for previous, word in itertools.pairwise(tokens)
    )


def _plays_role(text: str, role: str) -> bool:
    return bool(_words_of(text) & _ROLE_VERBS[role])


def _portfolio_minority(units: list[_Unit], sector: str) -> bool:
    """True when a sector is a minority line of a partner whose main business lies outside it."""
    core = [u for u in units if u.field in ("mission", "sector")]
    activities = [u for u in units if u.field.startswith("activities[")]
    if not activities or any(m.sector == sector for u in core for m in u.reading.pushes):
        return False
    pushing = sum(1 for u in activities if any(m.sector == sector for m in u.reading.pushes))
    return pushing * 2 < len(activities)


def _named_screen_done(unit: _Unit, topic_sectors: set[str]) -> str | None:
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


def _measure_breach(topic: _Unit, unit: _Unit, similarity: float) -> tuple[int, float, _Unit, str] | None:
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


def _red_line_breach(
    owner: str,
    index: int,
    red_line: RedLine,
    topic: _Unit,
    others: list[_Unit],
    candidates: list[_Unit] | None = None,
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
    hits: list[tuple[int, float, _Unit, str]] = []
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
    role = _named_role(red_line.text)
    sectors = sorted(
        ({m.sector for h in hits if h[0] == 0 for m in h[2].reading.pushes} & topic_sectors)
        | {n for h in hits if h[0] == 0 and (n := _named_screen_done(h[2], topic_sectors)) is not None}
    )
    # Crossed only by another measure of the same kind: the areas are broad and the reader's
    # placement of a text near their edge is loose, so a person confirms it before it blocks.
    same_kind_only = all(h[3].endswith(SAME_KIND_OF_MEASURE) for h in hits if h[0] == rank)
    if same_kind_only:
        severity = _MILDER[severity]
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
    elif role in ("maker", "seller") and not any(_plays_role(h[2].text, role) for h in hits):
        # (Not for financiers: a coal miner is no milder a partner than a coal financier for a
        # red line against financing coal.)
        # "No money from MAKERS of sweets" and a grocer that sells them: touched, not crossed.
        severity = _MILDER[severity]
        touches = True
        held += (
            f"; the red line names {role}s and {possessive(party)} matching texts show another role, "
            "so it touches the red line rather than crossing it: settle it before signing"
        )
    elif (
        sectors
        and not (role == "financier" and any(_plays_role(h[2].text, role) for h in hits))
        and all(_portfolio_minority(others, s) for s in sectors)
    ):
        # (A red line against those who finance the topic is crossed by any financing of it: a
        # bank's lending book is its portfolio, and divestment asks for none of it. A grocer that
        # sells beer is still a minority line, whoever the red line names.)
        severity = _MILDER[severity]
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


def _closeness(unit: _Unit, item: _Unit) -> float:
    """How close a text is to an item of a red line: by the multilingual reader when it was read."""
    if unit.reader_vector is not None and item.reader_vector is not None:
        return float(unit.reader_vector @ item.reader_vector)
    return unit.similarity(item.vector)


def _nearest_item(unit: _Unit, items: list[_Unit], *, red_line: str, partner_texts: list[str]) -> int:
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


def _other_kinds_only(unit: _Unit, item: _Unit, red_line: str, partner_texts: list[str]) -> bool:
    """Whether a text is in an item's sectors only by kinds of them the red line does not name."""
    shared = {m.sector for m in unit.reading.pushes} & {t.sector for t in item.reading.topics}
    return bool(shared) and all(
        outside_named_kinds(red_line, s, unit.text, partner_texts) is not None for s in shared
    )


def _worst_breach(
    owner: str, index: int, red_line: RedLine, readings: list[_Unit], others: list[_Unit]
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
        conflict = _red_line_breach(owner, index, red_line, topic, others, candidates)
        if conflict is None:
            continue
        if items:
            detail = f'{conflict.evidence.detail}; matched the item "{topic.text}" of the red line'
            conflict = conflict.model_copy(
                update={"evidence": conflict.evidence.model_copy(update={"detail": detail})}
            )
        found.append((conflict.severity.rank, n, conflict))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def _sector_conflicts(pushers: list[_Unit], pursuers: list[_Unit]) -> list[Conflict]:
    """One conflict per sector of one partner that works against a mission area of the other."""
    smap = load_sector_map()
    out: list[Conflict] = []
    for sector in smap.sectors:
        in_sector = [(m.similarity, u) for u in pushers for m in u.reading.sectors if m.sector == sector.id]
        if not in_sector:
            continue
        candidates: list[tuple[SectorConflictRow, float, _Unit]] = []
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
        if _portfolio_minority(pushers, sector.id):
            # A grocer that also sells sweets is not a sweet maker: one step milder than a specialist.
            severity = _MILDER[severity]
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


def _drop_sectors_not_for(units: list[_Unit], kind: Kind) -> list[_Unit]:
    """A partner's texts without the sectors an organisation of its kind cannot be in.

    "Runs seven prisons" reads as private prisons, but a state prison service runs them for no
    one's profit, and the tension the map records (an interest in more detention) is the profit's.
    """
    smap = load_sector_map()
    out: list[_Unit] = []
    for u in units:
        kept = tuple(m for m in u.reading.sectors if smap.applies_to(m.sector, kind.value))
        screens = tuple(m for m in u.reading.screens if smap.applies_to(m.sector, kind.value))
        if kept != u.reading.sectors or screens != u.reading.screens:
            u = replace(u, reading=replace(u.reading, sectors=kept, screens=screens))
        out.append(u)
    return out


def _drop_runner_up_sectors(units: list[_Unit]) -> list[_Unit]:
    """Keep a sector only if it is the best match of at least one of the partner's own texts.

    A text within SECTOR_TIE of two sectors joins both ("beverages"), but a sector a partner
    reaches only as a runner-up, never as the best reading of any of its texts, is ambiguity in
    the wording ("fizzy drinks ... through sports sponsorship" also sits near alcohol), not
    evidence that the partner works in it.
    """
    best = {u.reading.sectors[0].sector for u in units if u.reading.sectors}
    out: list[_Unit] = []
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


def _meeting_similarity(of: tuple[list[_Unit], list[_Unit]], matrix: GoalMatrix) -> float:
    """Where the missions meet: the best of mission-to-mission and goal-to-mission, both ways.

    A translation-software firm whose goal is "free interpreting for asylum hearings" meets a
    refugee law centre in that goal, not in its mission statement. A goal that works against any
    of the other partner's goals (a cell < 0) does not count: sharing ground is not pulling the
    same way. Goal-to-goal meetings are taken from the goal matrix in scoring.
    """
    best = float(of[0][0].vector @ of[1][0].vector)
    for side in (0, 1):
        mission = of[1 - side][0].vector
        for i, unit in enumerate(u for u in of[side] if u.field.startswith("goals[")):
            if side == 0:
                line = matrix.cells[i] if i < len(matrix.cells) else []
            else:
                line = [row[i] for row in matrix.cells if i < len(row)]
            if any(c is not None and c.score < 0 for c in line):
                continue
            best = max(best, float(unit.vector @ mission))
    return best


def _conflict_key(c: Conflict) -> tuple[int, int, str, str]:
    return (c.severity.rank, _KIND_ORDER.get(c.kind, 9), c.summary, c.evidence.data_row or "")


def _rows_of(names_of: dict[int, list[str]], vectors: Matrix) -> dict[int, Matrix]:
    """Each text's rows of ``vectors``, embedded in the order of ``names_of``'s names."""
    out: dict[int, Matrix] = {}
    start = 0
    for i, names in names_of.items():
        out[i] = vectors[start : start + len(names)]
        start += len(names)
    return out


def semantic_findings(a: Profile, b: Profile, *, engine: EmbeddingEngine) -> SemanticFindings:
    """Red-line, sensitive-sector and goal conflicts, goal synergies and the goal matrix of a pair."""
    parts: list[tuple[str, str, str]] = []  # (party, field, text)
    for p in (a, b):
        parts += [(p.name, field, text) for field, text in _statements(p)]
    n_statements = len(parts)
    # Each red line is read whole and, when it lists several things, item by item: "no money from
    # arms makers, tobacco firms or mining companies" is crossed by a partner in any one of them.
    red_line_of: list[tuple[int, int]] = []  # (side, red line index) of each red-line text
    for side, p in enumerate((a, b)):
        for i, r in enumerate(p.red_lines):
            topic = red_line_topic(r.text)
            # A behaviour toward a measure ("delay or water down clean-air rules") lists verbs, not
            # items, unless an industry stands beside it ("tobacco firms or anyone lobbying against
            # tobacco taxes").
            items = red_line_items(topic)
            if measure_stance(topic) is not None:
                items = items_beside_a_measure(items)
            for text in (topic, *items):
                parts.append((p.name, f"red_lines[{i}]", text))
                red_line_of.append((side, i))
    texts = [t for _, _, t in parts]
    cores = {i: c for i, t in enumerate(texts[:n_statements]) if (c := predicate(t)) is not None}
    measures = {i: m for i, t in enumerate(texts) if (m := measure_stance(t)) is not None}
    # Each measure by its whole name and, when a partner's statement lists several acts ("delay
    # the coal phase-out and soften emissions limits"), by each one's name: any one act on the
    # measure crosses. A red line's list names one kind of measure ("climate or clean-air
    # legislation") and is read whole: read part by part, it matched other measures in the
    # calibration pairs (scripts/calibrate-measure-threshold.py) and no more of the same.
    names_of = {
        i: [measure_object(texts[i]), *(measure_parts(texts[i]) if i < n_statements else [])]
        for i in measures
    }
    measure_names = [name for i in measures for name in names_of[i]]
    # One embedding call for the whole pair: cached texts cost nothing, new ones are batched.
    all_vectors = engine.embed([*texts, *cores.values(), *measure_names])
    vectors = all_vectors[: len(texts)]
    core_vectors = dict(zip(cores, all_vectors[len(texts) : len(texts) + len(cores)], strict=True))
    measure_vectors = _rows_of(names_of, all_vectors[len(texts) + len(cores) :])
    # Red-line topics name what is ruled out, so only statements get the embedding stance backstop.
    # A red line in English may also name what it rules out by a sector's name ("no land grabs").
    english = [
        detect_language(p.red_lines[i].text)[0] == "en" for side, i in red_line_of for p in ((a, b)[side],)
    ]
    topic_readings = read_texts(
        texts[n_statements:], vectors[n_statements:], engine=engine, backstop=False, named=english
    )
    # The screens classifier runs only when a red line names a screen: nothing else reads screens.
    screen_ids = {s.id for s in load_sector_map().screens}
    names_screen = any(t.sector in screen_ids for r in topic_readings for t in r.topics)
    readings = [
        *read_statements(texts[:n_statements], vectors[:n_statements], engine=engine, screens=names_screen),
        *topic_readings,
    ]
    n_a = len(_statements(a))
    stance_model = load_stance_model(engine.name)
    # A profile in a language MiniLM reads poorly takes its mission areas from the reader, so a
    # French lung-health charity pursues health as its English twin does (core/semantics/mission_areas.py).
    for p, (start, stop) in ((a, (0, n_a)), (b, (n_a, n_statements))):
        if stance_model is not None and reads_through_reader(p, engine.name):
            readings[start:stop] = with_reader_areas(readings[start:stop], reader=stance_model.reader)
    # Which item of a listed red line a text is nearest to is read in any language, by the reader.
    lists_items = len(red_line_of) > sum(len(p.red_lines) for p in (a, b))
    reader_vectors = (
        get_engine(stance_model.reader).embed(texts) if lists_items and stance_model is not None else None
    )
    # A red line about a measure compares measures' names across languages with the reader.
    on_measures = any(i >= n_statements for i in measures) and stance_model is not None
    measure_readers = (
        _rows_of(names_of, get_engine(stance_model.reader).embed(measure_names))
        if on_measures and stance_model is not None
        else {}
    )
    # The policy area of each text acting on a measure, read from its whole wording: a measure's
    # short name alone ("coal-fired boilers") strays, the text says what the rule is for.
    on_measure_texts = sorted(measures) if on_measures and stance_model is not None else []
    placed = (
        measure_domains([texts[i] for i in on_measure_texts], reader=get_engine(stance_model.reader))
        if stance_model is not None and on_measure_texts
        else []
    )
    domain_of = {i: p for i, p in zip(on_measure_texts, placed, strict=True) if p is not None}
    units = [
        _Unit(
            party,
            field,
            text,
            reading,
            vectors[i],
            core_vectors.get(i),
            measures.get(i),
            measure_vectors.get(i),
            measure_readers.get(i),
            reader_vectors[i] if reader_vectors is not None else None,
            *domain_of.get(i, (None, 0.0)),
        )
        for i, ((party, field, text), reading) in enumerate(zip(parts, readings, strict=True))
    ]
    # Split by position, not by name, so two profiles that share a name still stay apart.
    of = (_drop_runner_up_sectors(units[:n_a]), _drop_runner_up_sectors(units[n_a:n_statements]))
    # Who a partner is decides which sectors it can be in (a state prison service is no private
    # prison), for red lines and sensitive sectors; its goals keep their reading, since "add 1,200
    # prison places" pulls against "cut the prison population" whoever runs the prisons.
    judged = (_drop_sectors_not_for(of[0], a.kind), _drop_sectors_not_for(of[1], b.kind))
    topics: dict[tuple[int, int], list[_Unit]] = {}
    for where, unit in zip(red_line_of, units[n_statements:], strict=True):
        topics.setdefault(where, []).append(unit)

    conflicts: list[Conflict] = []
    for side, owner in enumerate((a, b)):
        for i, red_line in enumerate(owner.red_lines):
            found = _worst_breach(owner.name, i, red_line, topics[(side, i)], judged[1 - side])
            if found is not None:
                conflicts.append(found)
        conflicts += _sector_conflicts(judged[side], judged[1 - side])

    # Goals without their direction words, so opposite pushes on one object can be compared.
    goal_objects = engine.embed([goal_object(g.text) for p in (a, b) for g in p.goals])
    first_object = (0, len(a.goals))
    goal_units = [u for side in (0, 1) for u in of[side] if u.field.startswith("goals[")]
    vectors_of_goals = np.stack([u.vector for u in goal_units]) if goal_units else None
    traits = (
        goal_traits([u.reading for u in goal_units], vectors_of_goals, engine=engine)
        if vectors_of_goals is not None
        else None
    )

    def goal_inputs(side: int, p: Profile) -> list[GoalInput]:
        by_field = {u.field: u for u in of[side]}
        return [
            GoalInput(
                ref=GoalRef(party=p.name, id=gid, text=g.text, priority=g.priority.value),
                field=f"goals[{i}]",
                reading=by_field[f"goals[{i}]"].reading,
                vector=by_field[f"goals[{i}]"].vector,
                object_vector=goal_objects[first_object[side] + i],
                traits=traits[first_object[side] + i] if traits is not None else None,
            )
            for i, (gid, g) in enumerate(zip(p.goal_ids(), p.goals, strict=True))
        ]

    matrix, tensions, synergies = goal_interactions(
        goal_inputs(0, a), goal_inputs(1, b), model=load_interaction_model(engine.name)
    )
    conflicts += tensions
    mission = float(np.clip(_meeting_similarity(of, matrix), 0.0, 1.0))
    return SemanticFindings(
        conflicts=sorted(conflicts, key=_conflict_key),
        synergies=sorted(synergies, key=lambda s: (-(s.evidence.similarity or 0.0), s.summary)),
        goal_matrix=matrix,
        mission_similarity=round(mission, 4),
    )
