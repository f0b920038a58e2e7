"""The screens a text does (more industries and kinds of conduct), read by the screens classifier."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from commonground.core.semantics.classifier_reading import classifier_reading
from commonground.core.semantics.engines import EmbeddingEngine, Matrix
from commonground.core.semantics.polarity import Polarity
from commonground.core.semantics.prototypes import best_per_group, prototype_index
from commonground.core.semantics.sector_map import SectorMatch, load_sector_map
from commonground.core.semantics.stance_model import NONE, load_stance_model

# Screens classifiers trained before 2026.4 carry no named-screen threshold of their own (see
# core/red_lines.py): they used this one.
NAMED_SCREEN_THRESHOLD = 0.5


def read_screens(
    texts: Sequence[str],
    vectors: Matrix,
    stances: Sequence[Polarity],
    left: Sequence[frozenset[str]],
    *,
    engine: EmbeddingEngine,
) -> tuple[list[tuple[SectorMatch, ...]], list[dict[str, float]], float] | None:
    """The screen each text does, the classifier's scores and its named-screen threshold, or None.

    Same rule as for sectors: only the classifier's best class, at its threshold or more, and never
    against an explicit cue of working against it or help to leave it. The scores (each screen at
    1% or more) let a red line that names one screen ask about that screen alone.
    """
    smap = load_sector_map()
    model = load_stance_model(engine.name, group="screens")
    if model is None or not smap.screens:
        return None
    index = prototype_index(engine, "screens")
    _, probs = classifier_reading(texts, vectors, stances, engine=engine, model=model, group="screens")
    s_best, s_col = best_per_group(vectors @ index.sector_vectors.T, index.sector_slices)
    out: list[tuple[SectorMatch, ...]] = []
    scores = [
        {c: round(float(p), 4) for c, p in zip(model.classes, row, strict=True) if c != NONE and p >= 0.01}
        for row in probs
    ]
    for i, stance in enumerate(stances):
        best = int(np.argmax(probs[i]))
        found = model.classes[best]
        vetoed = (stance.explicit and stance.role == "against") or found in left[i]
        if found == NONE or float(probs[i, best]) < model.threshold or vetoed:
            out.append(())
            continue
        g = next(n for n, s in enumerate(smap.screens) if s.id == found)
        phrase = index.sector_phrases[int(s_col[i, g])]
        out.append(
            (SectorMatch(found, float(s_best[i, g]), phrase, stance, round(float(probs[i, best]), 4)),)
        )
    return out, scores, model.named_threshold if model.named_threshold is not None else NAMED_SCREEN_THRESHOLD
