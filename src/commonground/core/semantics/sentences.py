"""A statement of several sentences, read sentence by sentence as well as whole.

The stance classifiers were trained on single sentences. Read whole, "Develops and sells patented
cancer drugs worldwide. We employ 300 people." dilutes the first sentence with the second and the
pharmaceuticals screen falls under its threshold, so a profile that tells its trade in one sentence
of a longer mission was read as doing nothing. Registers' texts (a charity's objects, a Form 990
mission) are paragraphs, so discovery met the same gap.

A statement of two or more sentences is therefore read sentence by sentence as well as whole. It
puts the organisation in every sector and screen that any one of its sentences puts it in (the
whole text's own sector reading is not used: read whole, such a statement is as far from the
training sentences as it is from a single one, and measured it added misreadings; see
docs/methods.md). Each sentence still goes through every rule a single text does (the
classifier's threshold, an explicit cue of working against, another industry's product), so a
sentence about a harm ("Tobacco kills eight million people a year.") needs the classifier to read
it as doing the harm, exactly as it would alone. The statement's stance is that of the sentence
that puts the organisation in an industry (so "Our old mines closed in 1990. We make cigarettes."
is a current tie, not a past one), else the whole text's. What the statement is about and the
mission areas it serves stay those of the whole text, less any area its industries work against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from commonground.core.semantics.engines import EmbeddingEngine, Matrix
from commonground.core.semantics.sector_map import SectorMatch, load_sector_map
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
# A piece ending in a common abbreviation or an initial ("Mt.", "No.", "St.", "U.S.", "J.") does
# not end a sentence: "Operates the Mt. Hope coal mine." is one sentence.
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|Ft|No|Nos|Nr|Co|Corp|Inc|Ltd|Bros|Int|Vol|Vols|Fig|Figs|Art"
    r"|Dept|Est|Gen|Rev|Ave|Rd|Jr|Sr|vs|approx|ca|pp?)|(?<![A-Za-z])[A-Z])\.$"
)


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, stripped; the whole text when it has one (or none)."""
    pieces: list[str] = []
    for piece in (p.strip() for p in _BREAK.split(text.strip())):
        if not piece:
            continue
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
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
    """The statement's reading from its sentences: every sector and screen one does, at its best.

    A sentence's screen scores count unless it tells a past tie, or works against a screen that is
    an industry (conduct is often told in negative words, as core/red_lines.py's named-screen check says).
    """
    smap = load_sector_map()
    scores: dict[str, float] = {}
    for part in parts:
        if part.polarity.past:
            continue
        against = part.polarity.explicit and part.polarity.role == "against"
        for screen, p in part.screen_scores.items():
            if against and not smap.sector(screen).conduct:
                continue
            scores[screen] = max(scores.get(screen, 0.0), p)
    sectors = _union([m for part in parts for m in part.sectors])
    # The sentence that does an industry gives the statement its stance (past or current, for or
    # against): the whole text's would let another sentence's "ceased" or "help smokers quit" speak for it.
    doing = next((p for p in parts if p.pushes), None)
    if doing is None and scores:
        best = max(scores, key=lambda s: (scores[s], s))
        doing = next(p for p in parts if p.screen_scores.get(best) == scores[best])
    excluded = set().union(*(smap.areas_against(m.sector) for m in sectors))
    return replace(
        whole,
        polarity=doing.polarity if doing is not None else whole.polarity,
        sectors=sectors,
        screens=_union([m for part in parts for m in part.screens]),
        screen_scores=scores,
        areas=tuple(a for a in whole.areas if a.area not in excluded),
    )


def _union(matches: Sequence[SectorMatch]) -> tuple[SectorMatch, ...]:
    """Each sector of ``matches`` once, its most probable match."""
    best: dict[str, SectorMatch] = {}
    for match in sorted(matches, key=lambda m: -(m.probability or 0.0)):
        best.setdefault(match.sector, match)
    return tuple(sorted(best.values(), key=lambda m: (-round(m.similarity, 6), m.sector)))
