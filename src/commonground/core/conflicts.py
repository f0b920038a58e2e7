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
The entry point is :func:`semantic_findings`, which reads both partners' texts once (as
:class:`~commonground.core.text_units.TextUnit`) and assembles the three sources: red lines in
``red_lines.py`` (the roles they name in ``red_line_roles.py``, listed items in
``red_line_items.py``), sensitive sectors and the portfolio rule in ``sensitive_sectors.py``, goal
tensions in ``interactions.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from commonground.core.interactions import GoalInput, goal_interactions
from commonground.core.profiles import Profile
from commonground.core.red_line_items import worst_breach
from commonground.core.results import Conflict, ConflictKind, GoalMatrix, GoalRef, Synergy
from commonground.core.semantics.engines import EmbeddingEngine, Matrix, get_engine
from commonground.core.semantics.interaction_model import goal_traits, load_interaction_model
from commonground.core.semantics.languages import detect_language, reads_through_reader
from commonground.core.semantics.measure_domains import measure_domains
from commonground.core.semantics.measures import (
    items_beside_a_measure,
    measure_object,
    measure_parts,
    measure_stance,
)
from commonground.core.semantics.mission_areas import with_reader_areas
from commonground.core.semantics.polarity import goal_object, predicate, red_line_items, red_line_topic
from commonground.core.semantics.readings import read_statements
from commonground.core.semantics.sector_map import SECTOR_MAP_VERSION, load_sector_map
from commonground.core.semantics.sectors import read_texts
from commonground.core.semantics.stance_model import load_stance_model
from commonground.core.sensitive_sectors import drop_runner_up_sectors, drop_sectors_not_for, sector_conflicts
from commonground.core.text_units import TextUnit

__all__ = ["SECTOR_MAP_VERSION", "SemanticFindings", "semantic_findings"]

_KIND_ORDER = {ConflictKind.RED_LINE: 0, ConflictKind.SENSITIVE_SECTOR: 1, ConflictKind.GOAL_TENSION: 2}


@dataclass(frozen=True)
class SemanticFindings:
    """Conflicts, synergies and the goal matrix found by reading two profiles' texts."""

    conflicts: list[Conflict]
    synergies: list[Synergy]
    goal_matrix: GoalMatrix
    # Where the missions meet: best of mission-to-mission and goal-to-mission cosines, 0..1.
    mission_similarity: float


def _statements(profile: Profile) -> list[tuple[str, str]]:
    """Every text that says what the organisation is, does, wants or exists for."""
    out = [("mission", profile.mission)]
    if profile.sector:
        out.append(("sector", profile.sector))
    out += [(f"activities[{i}]", a.text) for i, a in enumerate(profile.activities)]
    out += [(f"goals[{i}]", g.text) for i, g in enumerate(profile.goals)]
    return out


def _meeting_similarity(of: tuple[list[TextUnit], list[TextUnit]], matrix: GoalMatrix) -> float:
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
        TextUnit(
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
    of = (drop_runner_up_sectors(units[:n_a]), drop_runner_up_sectors(units[n_a:n_statements]))
    # Who a partner is decides which sectors it can be in (a state prison service is no private
    # prison), for red lines and sensitive sectors; its goals keep their reading, since "add 1,200
    # prison places" pulls against "cut the prison population" whoever runs the prisons.
    judged = (drop_sectors_not_for(of[0], a.kind), drop_sectors_not_for(of[1], b.kind))
    topics: dict[tuple[int, int], list[TextUnit]] = {}
    for where, unit in zip(red_line_of, units[n_statements:], strict=True):
        topics.setdefault(where, []).append(unit)

    conflicts: list[Conflict] = []
    for side, owner in enumerate((a, b)):
        for i, red_line in enumerate(owner.red_lines):
            found = worst_breach(owner.name, i, red_line, topics[(side, i)], judged[1 - side])
            if found is not None:
                conflicts.append(found)
        conflicts += sector_conflicts(judged[side], judged[1 - side])

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
