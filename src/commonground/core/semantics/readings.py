"""Statements' readings, read once per process: a partner's texts read the same in every pair.

A coalition of 200 partners has 19,900 pairs and each partner is in 199 of them; reading its
mission, activities and goals again in each pair was about half of a pair's time. A statement's
reading depends only on its text, its embedding, the engine and whether screens were read, so it is
kept in a bounded cache keyed by those, like the engines' embedding cache. The embedding is part of
the key so that two engines under one name (a test's fake, say) never share a reading. (The stance
classifiers embed a text ending in punctuation again without it, with the same engine, so that too
follows from the text and the engine: see ``classifier_reading.classifier_text``.)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from commonground.core.semantics.engines import EmbeddingEngine, Matrix
from commonground.core.semantics.sectors import TextReading
from commonground.core.semantics.sentences import read_by_sentence

__all__ = ["forget", "read_statements"]

# About 200 partners × 40 texts, twice (with and without screens), with room to spare.
MAX_READINGS = 20_000

_Key = tuple[str, str, bytes, bool]
_READINGS: OrderedDict[_Key, TextReading] = OrderedDict()
_LOCK = threading.Lock()


def read_statements(
    texts: Sequence[str], vectors: Matrix, *, engine: EmbeddingEngine, screens: bool
) -> list[TextReading]:
    """What each statement says the organisation does, is and wants, sentence by sentence too; remembered."""
    keys: list[_Key] = [(engine.name, text, vectors[i].tobytes(), screens) for i, text in enumerate(texts)]
    with _LOCK:
        known = {i: _READINGS[k] for i, k in enumerate(keys) if k in _READINGS}
        for i in known:
            _READINGS.move_to_end(keys[i])
    missing = [i for i in range(len(texts)) if i not in known]
    if missing:
        read = read_by_sentence([texts[i] for i in missing], vectors[missing], engine=engine, screens=screens)
        with _LOCK:
            for i, reading in zip(missing, read, strict=True):
                known[i] = reading
                _READINGS[keys[i]] = reading
            while len(_READINGS) > MAX_READINGS:
                _READINGS.popitem(last=False)
    return [known[i] for i in range(len(texts))]


def forget() -> None:
    """Drop every remembered reading (benchmarks and tests that want a cold start)."""
    with _LOCK:
        _READINGS.clear()
