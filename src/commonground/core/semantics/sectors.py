"""Classify plain-words texts into sensitive sectors and mission areas (data/sectors.yaml).

A text joins a sector when it is close in meaning to one of the sector's prototype phrases AND
its polarity says it does, sells, funds or lobbies FOR the activity: "we run smoking-cessation
clinics" is about tobacco but works against it, so it joins no sector (it lands in the health
mission area instead). Mission areas use similarity alone, except that a text pushing a sector is
not also counted toward the areas that sector works against ("oppose the soda tax" is not a
nutrition goal).

Thresholds were calibrated on the "calibration" cases in tests/data/conflict_cases.yaml; run
``.venv/bin/python tests/core/test_conflicts.py`` to print agreement on both splits.

The prototype phrases embedded once per engine are in ``prototypes.py``; the trained classifiers'
reading (the text they read, their features and probabilities) in ``classifier_reading.py``; the
screens' in ``screens.py``; the sectors a red-line topic names in any language in
``reader_topics.py``. :func:`read_texts` brings them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from commonground.core.semantics.claim_vetting import (
    classifier_agreement,
    vetted_claims,
    with_claimed_screens,
)
from commonground.core.semantics.classifier_reading import classifier_reading
from commonground.core.semantics.engines import EmbeddingEngine, Matrix
from commonground.core.semantics.exits import helped_exit
from commonground.core.semantics.overseers import oversees
from commonground.core.semantics.polarity import Polarity, Role, polarity
from commonground.core.semantics.price_lines import under_the_line
from commonground.core.semantics.product_use import only_used
from commonground.core.semantics.prototypes import PrototypeIndex, best_per_group, prototype_index
from commonground.core.semantics.reader_topics import reader_similarities, reader_topics, with_named_topics
from commonground.core.semantics.screens import read_screens
from commonground.core.semantics.sector_map import (
    AreaMatch,
    SectorMatch,
    another_industrys_product,
    load_sector_map,
)
from commonground.core.semantics.stance_model import load_stance_model
from commonground.core.semantics.supplies import only_supplied

# Calibrated on the calibration split of tests/data/conflict_cases.yaml (see module docstring).
SECTOR_THRESHOLD = 0.50  # a pro-sector text at least this close to a sector prototype is in it
AREA_THRESHOLD = 0.45  # a text at least this close to a mission-area prototype pursues it
SECTOR_MARGIN = 0.02  # ...and at least this much closer to it than to any mission area or neutral trade
SECTOR_TIE = 0.05  # other sectors within this of the best one also count (e.g. "beverages")
TOPIC_THRESHOLD = 0.45  # a text at least this close to a sector prototype is about that sector
# Stance backstop, calibrated on the calibration split of tests/data/stance_texts.yaml: a text with
# no explicit cue that is at least STANCE_TOPIC close to one of a sector's prototypes or stance
# prototypes takes the stance whose prototypes it is closer to by STANCE_MARGIN, else "unclear".
STANCE_TOPIC = 0.45
STANCE_MARGIN = 0.04


def _named(
    vectors: Matrix, index: PrototypeIndex, best: Matrix, rows: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Raise ``best`` in place to each sector's name similarity in the given rows; True where the name won."""
    names = np.where(rows[:, None], vectors @ index.name_vectors.T, -1.0).astype(np.float32)
    won = names > best
    np.maximum(best, names, out=best)
    return won


@dataclass(frozen=True)
class TextReading:
    """Everything the classifier concluded about one text, kept for evidence and for goals."""

    text: str
    polarity: Polarity
    sectors: tuple[SectorMatch, ...]  # sectors the text pushes (pro-sector only)
    areas: tuple[AreaMatch, ...]  # mission areas the text pursues
    topics: tuple[SectorMatch, ...]  # sectors the text is ABOUT, whatever its stance
    # True when the trained stance classifier decided ``sectors`` (not the similarity rules).
    classified: bool = False
    # The classifier reads the text as working AGAINST what it names (fights, treats, replaces,
    # regulates ...), whatever its topic; None without a classifier.
    works_against: bool | None = None
    # The stance classifier's probabilities over its classes (None without a classifier), kept so
    # the goal-interaction model reads them rather than running the classifier again.
    stance_probabilities: Matrix | None = field(default=None, compare=False, repr=False)
    # Screens the text does (more industries and kinds of conduct, data/sectors.yaml), read by the
    # screens classifier; only red lines use them.
    screens: tuple[SectorMatch, ...] = ()
    # The screens classifier's probability of each screen it gives at least 1% (empty without it):
    # a red line that names a screen asks only whether the text does THAT screen (core/red_lines.py).
    screen_scores: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    # The probability at which the text does the one screen a red line names (the classifier's own
    # cross-validated choice); None without a screens classifier.
    screen_threshold: float | None = None

    @property
    def pushes(self) -> tuple[SectorMatch, ...]:
        """Sectors and screens the text puts its organisation in, sectors first."""
        return (*self.sectors, *self.screens)


def _backstop(stance: Polarity, for_sims: Matrix, against_sims: Matrix, index: PrototypeIndex) -> Polarity:
    """The stance of a text without an explicit cue, from the stance prototypes of its sector.

    The sector is the one whose prototypes (either stance) the text is closest to; a text close to
    none keeps its word-rule reading. Inside the margin the stance is "unclear", never "for".
    """
    for_best, for_col = best_per_group(for_sims[None, :], index.for_slices)
    against_best, against_col = best_per_group(against_sims[None, :], index.against_slices)
    about = np.maximum(for_best[0], against_best[0])
    g = int(np.argmax(about))
    if float(about[g]) < STANCE_TOPIC:
        return stance
    margin = round(float(against_best[0, g] - for_best[0, g]), 4)
    role: Role
    if margin >= STANCE_MARGIN:
        role, direction, phrase = "against", -1, index.against_phrases[int(against_col[0, g])]
    elif margin <= -STANCE_MARGIN:
        role, direction, phrase = "for", 1, index.for_phrases[int(for_col[0, g])]
    else:
        role, direction, phrase = "unclear", stance.direction, ""
    cue = f"~{role}: {phrase}" if phrase else f"~{role}"
    return replace(stance, role=role, direction=direction, cues=(*stance.cues, cue), stance_margin=margin)


def read_texts(
    texts: Sequence[str],
    vectors: Matrix,
    *,
    engine: EmbeddingEngine,
    backstop: bool = True,
    screens: bool = True,
    named: Sequence[bool] | None = None,
) -> list[TextReading]:
    """Classify texts whose embeddings are already known into sectors, topics and mission areas.

    With ``backstop`` (the default), a text whose wording has no explicit stance cue takes its
    stance from the sector's FOR and AGAINST prototypes (see :func:`_backstop`); red-line topics
    are read without it, since what a red line rules out is named, not done. ``named`` says which
    of those red-line topics may also be matched to the sectors' names ("no land grabs"): only
    English ones, since names are English and MiniLM's similarity of other languages to a short
    English name is loose.
    """
    smap = load_sector_map()
    index = prototype_index(engine)
    if len(texts) == 0:
        return []
    for_sims = vectors @ index.for_vectors.T
    against_sims = vectors @ index.against_vectors.T
    s_best, s_col = best_per_group(vectors @ index.sector_vectors.T, index.sector_slices)
    by_name = np.array(named, dtype=bool) if named is not None and not backstop else None
    s_named = _named(vectors, index, s_best, by_name) if by_name is not None else None
    # What a red line names may be a screen ("no mining companies"): screens compete with the
    # sectors for a topic, so "mining" names the mining screen, not coal under fossil fuels.
    screen_index = prototype_index(engine, "screens") if smap.screens else None
    c_best, c_col = (
        best_per_group(vectors @ screen_index.sector_vectors.T, screen_index.sector_slices)
        if screen_index is not None and not backstop
        else (np.zeros((len(texts), 0), dtype=np.float32), np.zeros((len(texts), 0), dtype=np.int64))
    )
    c_named = (
        _named(vectors, screen_index, c_best, by_name)
        if screen_index is not None and by_name is not None
        else None
    )
    a_best, a_col = best_per_group(vectors @ index.area_vectors.T, index.area_slices)
    neutral = (vectors @ index.neutral_vectors.T).max(axis=1) if len(smap.neutral) else np.zeros(len(texts))
    cue_stances = [polarity(text) for text in texts]
    # "So they can leave tobacco": helping people out of a sector is never working in it; nor is
    # overseeing one ("Gambling regulator"), nor running vans on its product ("diesel buses"), nor
    # pricing under its line ("loans capped at 12.7% APR" are no payday loans), nor supplying it
    # ("We make wine glasses", "We sell software to casinos").
    everything = frozenset(g.id for g in (*smap.sectors, *smap.screens))
    left = [
        everything if oversees(text) else out | only_used(text) | under_the_line(text) | only_supplied(text)
        for text, out in zip(texts, _left_behind(texts, engine), strict=True)
    ]
    # Screens matter only to red lines that name one, so a caller that knows none does skips them.
    screens_read = (
        read_screens(texts, vectors, cue_stances, left, engine=engine) if backstop and screens else None
    )
    screen_matches = screens_read[0] if screens_read is not None else None
    screen_scores = screens_read[1] if screens_read is not None else None
    screen_threshold = screens_read[2] if screens_read is not None else None
    reader_sims = None if backstop else reader_similarities(texts, engine)
    # The trained classifier decides sector membership for statements (red-line topics name what
    # is ruled out, so they are read by topic only); without weights for this engine, the
    # similarity rules below decide.
    model = load_stance_model(engine.name) if backstop else None
    features, probs = (
        classifier_reading(texts, vectors, cue_stances, engine=engine, model=model) if model else (None, None)
    )
    against = model.working_against(features) if model and features is not None else None
    # What a statement says its organisation makes, sells or runs, in words ("We make and sell
    # pesticides", "Wir züchten Nerze"), places it beside the classifiers, under the same vetoes.
    claims = (
        [
            vetted_claims(
                texts[i],
                cue_stances[i],
                left[i],
                against=float(against[i]) if against is not None else None,
                model=model,
                agrees=classifier_agreement(i, probs, model, screen_scores),
            )
            for i in range(len(texts))
        ]
        if backstop
        else None
    )
    readings: list[TextReading] = []
    for i, text in enumerate(texts):
        stance = cue_stances[i]
        if backstop and not stance.explicit and not stance.past:
            stance = _backstop(stance, for_sims[i], against_sims[i], index)
        top_sector = float(s_best[i].max())
        top_topic = max(top_sector, float(c_best[i].max()) if c_best.shape[1] else -1.0)
        top_area = float(a_best[i].max())
        topics: list[SectorMatch] = []
        sectors: list[SectorMatch] = []
        if screen_index is not None:
            for g, screen in enumerate(smap.screens[: c_best.shape[1]]):
                sim = float(c_best[i, g])
                if sim >= TOPIC_THRESHOLD and sim >= top_topic - SECTOR_TIE:
                    phrase = (
                        screen.name
                        if c_named is not None and c_named[i, g]
                        else screen_index.sector_phrases[int(c_col[i, g])]
                    )
                    topics.append(SectorMatch(screen.id, sim, phrase, stance))
        for g, sector in enumerate(smap.sectors):
            sim = float(s_best[i, g])
            phrase = (
                sector.name
                if s_named is not None and s_named[i, g]
                else index.sector_phrases[int(s_col[i, g])]
            )
            if sim >= TOPIC_THRESHOLD and sim >= top_topic - SECTOR_TIE:
                topics.append(SectorMatch(sector.id, sim, phrase, stance))
            # "Oppose the soda tax" sits near nutrition policy in meaning, so when a control word
            # turned the topic around the mission areas are not a fair contrast.
            contrast = float(neutral[i]) if stance.controlled else max(float(neutral[i]), top_area)
            # Policy wording ("the proposed soda tax") dilutes similarity to activity prototypes.
            floor = TOPIC_THRESHOLD if stance.controlled else SECTOR_THRESHOLD
            # An ended tie ("formerly part of an oil group") is not current work in the sector.
            by_similarity = (
                stance.role in ("for", "unclear")
                and not stance.past
                and sector.id not in left[i]
                and sim >= floor
                and sim >= top_sector - SECTOR_TIE
                and sim - contrast >= SECTOR_MARGIN
            )
            if model is not None and probs is not None:
                column = model.classes.index(sector.id)
                p = float(probs[i, column])
                # Only the classifier's best class, and only when it is confident enough.
                # An explicit cue of working against the sector ("end new oil licensing",
                # "alcohol-free bars", "help smokers quit") is never overruled: a false "you work in
                # the harm you fight" costs more trust than a missed sector.
                placed = p >= model.threshold and int(np.argmax(probs[i])) == column
                vetoed = (stance.explicit and stance.role == "against") or sector.id in left[i]
                # Read the words only for a text the classifier places: once a text, not once a sector.
                if placed and not vetoed and not another_industrys_product(text, sector):
                    sectors.append(SectorMatch(sector.id, sim, phrase, stance, round(p, 4)))
            elif by_similarity:
                sectors.append(SectorMatch(sector.id, sim, phrase, stance))
            if claims is not None and sector.id in claims[i] and all(m.sector != sector.id for m in sectors):
                sectors.append(SectorMatch(sector.id, 1.0, claims[i][sector.id], stance))
        # A text that pushes a sector does not pursue the missions that sector works against.
        excluded: set[str] = set()
        for match in sectors:
            excluded |= smap.areas_against(match.sector)
        areas = [
            AreaMatch(area.id, float(a_best[i, g]), index.area_phrases[int(a_col[i, g])])
            for g, area in enumerate(smap.areas)
            if float(a_best[i, g]) >= AREA_THRESHOLD and area.id not in excluded
        ]
        if not backstop:
            topics = with_named_topics(
                text, topics, i, reader_sims, stance, english=by_name is None or by_name[i]
            )
        readings.append(
            TextReading(
                text=text,
                polarity=stance,
                sectors=tuple(sorted(sectors, key=lambda m: _sort_key(m.similarity, m.sector))),
                areas=tuple(sorted(areas, key=lambda m: _sort_key(m.similarity, m.area))),
                topics=tuple(sorted(topics, key=lambda m: _sort_key(m.similarity, m.sector))),
                classified=model is not None,
                works_against=(
                    bool(against[i] >= model.counter_threshold)
                    if model is not None and against is not None
                    else None
                ),
                stance_probabilities=probs[i] if probs is not None else None,
                screens=with_claimed_screens(
                    screen_matches[i] if screen_matches is not None else (), claims, i, stance
                ),
                # A red line that names one screen asks these scores about it: not one left behind.
                screen_scores=(
                    {c: p for c, p in screen_scores[i].items() if c not in left[i]}
                    if screen_scores is not None
                    else {}
                ),
                screen_threshold=screen_threshold,
            )
        )
    return readings


def _left_behind(texts: Sequence[str], engine: EmbeddingEngine) -> list[frozenset[str]]:
    """The sectors and screens each text helps people leave ("so they can leave tobacco"), mostly none.

    What is left is read as a red line's topic is: the sectors and screens its words are about
    (MiniLM, at TOPIC_THRESHOLD, with those within SECTOR_TIE of the best; else the reader's
    closest, in any language). "The industry" or "it" leaves whatever the text is about.
    """
    found = [helped_exit(text) for text in texts]
    if not any(found):
        return [frozenset()] * len(texts)
    smap = load_sector_map()
    groups = (*smap.sectors, *smap.screens)
    phrases = [x.left for x in found if x is not None and not x.generic]
    topics = _topics_of(phrases, engine) if phrases else []
    # MiniLM reads "le tabac" or "el tabaco" as nothing: the multilingual reader names the sector
    # of what is left in any language it knows (loaded only when MiniLM found none).
    unread = [i for i, t in enumerate(topics) if not t]
    sims = reader_similarities([phrases[i] for i in unread], engine) if unread else None
    for j, i in enumerate(unread):
        topics[i] = frozenset(m.sector for m in reader_topics(j, sims, polarity(phrases[i])))
    named = iter(topics)
    everything = frozenset(g.id for g in groups)
    return [frozenset() if x is None else everything if x.generic else next(named) for x in found]


def _topics_of(phrases: Sequence[str], engine: EmbeddingEngine) -> list[frozenset[str]]:
    """The sectors and screens each short phrase is about, by MiniLM alone."""
    vectors = engine.embed(list(phrases))
    ids: list[str] = []
    parts: list[Matrix] = []
    for group in ("sectors", "screens"):
        index = prototype_index(engine, group)
        best, _ = best_per_group(vectors @ index.sector_vectors.T, index.sector_slices)
        ids += [s.id for s in load_sector_map().group(group)][: best.shape[1]]
        parts.append(best)
    sims = np.hstack(parts)
    return [
        frozenset(
            ids[g] for g in range(len(ids)) if row[g] >= TOPIC_THRESHOLD and row[g] >= row.max() - SECTOR_TIE
        )
        for row in sims
    ]


def _sort_key(similarity: float, ident: str) -> tuple[float, str]:
    return (-round(similarity, 6), ident)


def classify_sectors(texts: Sequence[str], *, engine: EmbeddingEngine) -> list[list[SectorMatch]]:
    """For each text, the sensitive sectors it does, sells, funds or lobbies for (best first)."""
    return [list(r.sectors) for r in read_texts(texts, engine.embed(list(texts)), engine=engine)]


def classify_mission_areas(texts: Sequence[str], *, engine: EmbeddingEngine) -> list[list[AreaMatch]]:
    """For each text, the mission areas it pursues (best first)."""
    return [list(r.areas) for r in read_texts(texts, engine.embed(list(texts)), engine=engine)]
