"""A statement of several sentences, read sentence by sentence as well as whole.

The stance classifiers were trained on single sentences. Read whole, "Develops and sells patented
cancer drugs worldwide. We employ 300 people." dilutes the first sentence with the second and the
pharmaceuticals screen falls under its threshold, so a profile that tells its trade in one sentence
of a longer mission was read as doing nothing. Registers' texts (a charity's objects, a Form 990
mission) are paragraphs, so discovery met the same gap.

A statement of two or more sentences is therefore read whole AND sentence by sentence, and its
reading puts the organisation in every sector and screen that the whole text or any one sentence
puts it in: the organisation says it does each of them. Each sentence still goes through every
rule a single text does (the classifier's threshold, an explicit cue of working against, another
industry's product), so a sentence about a harm ("Tobacco kills eight million people a year.")
needs the classifier to read it as doing the harm, exactly as it would alone. What the statement
is about, the mission areas it serves and its stance stay those of the whole text: goals and
mission areas are compared whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from commonground.core.semantics.engines import EmbeddingEngine, Matrix
from commonground.core.semantics.sector_map import SectorMatch
from commonground.core.semantics.sectors import TextReading, read_texts

__all__ = ["SENTENCES_VERSION", "read_by_sentence", "split_sentences"]

# The version of this reading, recorded in every result's engine.rules_version: a statement of
# several sentences reads differently from before it, so a stored result says which reading it had.
SENTENCES_VERSION = "2026.1"

# A sentence ends at . ! ? or ; followed by space and a capital, a digit or an opening quote or
# bracket (so "U.K. airlines" and "e.g. beer" stay whole), or right after a CJK full stop.
_BREAK = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'“‘(\[À-Ý])|(?<=[。！？])\s*(?=\S)")
# Statements longer than this many sentences are read in their first sentences only: a register's
# paragraph can run long, and the trade an organisation names comes early.
MAX_SENTENCES = 12


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, stripped; the whole text when it has one (or none)."""
    pieces = [p.strip() for p in _BREAK.split(text.strip()) if p.strip()]
    return pieces[:MAX_SENTENCES] if len(pieces) > 1 else [text]


def read_by_sentence(
    texts: Sequence[str], vectors: Matrix, *, engine: EmbeddingEngine, screens: bool = True
) -> list[TextReading]:
    """:func:`read_texts` of each text, with the sectors and screens any one of its sentences does."""
    sentences = [split_sentences(t) for t in texts]
    extra = [s for group in sentences if len(group) > 1 for s in group]
    if not extra:
        return read_texts(texts, vectors, engine=engine, screens=screens)
    # One read for the whole texts and their sentences together; only the sentences are embedded.
    both = read_texts(
        [*texts, *extra],
        _stack(vectors, engine.embed(extra)),
        engine=engine,
        screens=screens,
    )
    wholes, parts = both[: len(texts)], iter(both[len(texts) :])
    out = []
    for whole, group in zip(wholes, sentences, strict=True):
        out.append(_merged(whole, [next(parts) for _ in group]) if len(group) > 1 else whole)
    return out


def _stack(a: Matrix, b: Matrix) -> Matrix:
    return np.vstack([a, b]).astype(a.dtype, copy=False)


def _merged(whole: TextReading, parts: Sequence[TextReading]) -> TextReading:
    """The whole text's reading, with every sector and screen a sentence does, at its best score."""
    scores: dict[str, float] = {}
    for part in parts:
        for screen, p in part.screen_scores.items():
            scores[screen] = max(scores.get(screen, 0.0), p)
    return replace(
        whole,
        sectors=_union([m for part in parts for m in part.sectors]),
        screens=_union([m for part in parts for m in part.screens]),
        screen_scores=scores,
    )


def _union(matches: Sequence[SectorMatch]) -> tuple[SectorMatch, ...]:
    """Each sector of ``matches`` once, its most probable match."""
    best: dict[str, SectorMatch] = {}
    for match in sorted(matches, key=lambda m: -(m.probability or 0.0)):
        best.setdefault(match.sector, match)
    return tuple(sorted(best.values(), key=lambda m: (-round(m.similarity, 6), m.sector)))
