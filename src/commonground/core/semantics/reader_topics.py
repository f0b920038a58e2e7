"""The sectors a text names in any language: in words, or as the multilingual reader's closest."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from commonground.core.semantics.engines import EmbeddingEngine, Matrix, get_engine
from commonground.core.semantics.line_names import sectors_named
from commonground.core.semantics.polarity import Polarity
from commonground.core.semantics.prototypes import best_per_group, group_slices
from commonground.core.semantics.sector_map import Sector, SectorMatch, load_sector_map
from commonground.core.semantics.stance_model import load_stance_model

# Red-line topics are also read by the multilingual reader, so "aucun financement de fabricants
# d'armes" names weapons: a topic at least this close (cosine of the reader's embeddings) to one of
# a sector's prototypes is about it. Chosen on the training sentences (training/): at 0.40 a
# sector named this way was the right one 91% of the time.
READER_TOPIC_THRESHOLD = 0.40


def with_named_topics(
    text: str,
    topics: list[SectorMatch],
    i: int,
    reader_sims: Matrix | None,
    stance: Polarity,
    *,
    english: bool,
) -> list[SectorMatch]:
    """A red-line topic's sectors: those it names in words, with the similarity topics as they apply.

    Every text keeps its similarity topics, and the reader adds the one sector it is closest to
    in any language, so a French or Arabic red line has a topic MiniLM could not read. A sector
    named in words ("l'industrie minière", "Glücksspielanbietern") is a topic whatever the
    similarities say (similarity 1.0 stands for "named"). In English the similarity topics stand
    beside the names; in another language a text that names sectors is about those alone, since
    the similarity topics of other languages are the loose ones ("l'industrie minière" was nearest
    to crypto-assets), but for kinds of conduct, which no one word names.
    """
    known = {t.sector for t in topics}
    topics = [*topics, *(m for m in reader_topics(i, reader_sims, stance) if m.sector not in known)]
    known_ids, conduct = _group_ids()
    named = {s: w for s, w in sectors_named(text).items() if s in known_ids}
    if not named:
        return topics
    # Conduct has no one name ("la publicité pour l'alcool auprès des jeunes" is marketing to
    # children): a conduct topic stays beside the names in any language.
    kept = topics if english else [t for t in topics if t.sector in named or t.sector in conduct]
    have = {t.sector for t in kept}
    return [*kept, *(SectorMatch(s, 1.0, w, stance) for s, w in sorted(named.items()) if s not in have)]


@lru_cache(maxsize=1)
def _group_ids() -> tuple[frozenset[str], frozenset[str]]:
    """The ids of every sector and screen, and of those that are kinds of conduct (read once)."""
    groups = _reader_groups()
    return frozenset(g.id for g in groups), frozenset(g.id for g in groups if g.conduct)


def _reader_groups() -> tuple[Sector, ...]:
    smap = load_sector_map()
    return (*smap.sectors, *smap.screens)


def reader_prototypes() -> list[str]:
    """The phrases the multilingual reader compares red-line topics with: prototypes and FOR texts."""
    return [p for s in _reader_groups() for p in (*s.prototypes, *s.stance_for)]


def reader_similarities(texts: Sequence[str], engine: EmbeddingEngine) -> Matrix | None:
    """Best reader similarity of each text to each sector's phrases, when a stance model names a reader."""
    model = load_stance_model(engine.name)
    if model is None or not texts:
        return None
    reader = get_engine(model.reader)
    phrases = reader_prototypes()
    sims = reader.embed(list(texts)) @ reader.embed(phrases).T
    best, _ = best_per_group(sims, group_slices([(*s.prototypes, *s.stance_for) for s in _reader_groups()]))
    return best


def reader_topics(i: int, sims: Matrix | None, stance: Polarity) -> list[SectorMatch]:
    """The sector a text names in any language the reader knows: its closest, if close enough."""
    if sims is None:
        return []
    g = int(np.argmax(sims[i]))
    if float(sims[i, g]) < READER_TOPIC_THRESHOLD:
        return []
    return [SectorMatch(_reader_groups()[g].id, float(sims[i, g]), "(multilingual reader)", stance)]
