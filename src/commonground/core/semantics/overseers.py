"""Regulators, watchdogs and inspectorates: organisations that oversee an industry, not work in it.

"Gambling regulator" was read as the gambling industry (classifier 0.73, role "for" from the FOR
prototypes), so a partner that licenses and fines casinos crossed "no partnership with gambling
companies of any kind". The classifiers learnt most regulators from their verbs ("enforcing",
"fining"), and a bare name gives them none. When a text names its own organisation as an overseer
(the name of ``data/overseers.yaml`` comes within its first few words, with only articles,
adjectives and nouns before it), :func:`sectors.read_texts` places it in no sector or screen. A
text that only mentions an overseer ("reports to the inspectorate", "lobby the regulator") has a
preposition, a possessive or a verb before the name and is read as before, as is one where the name
is part of another ("Watchdog Media Ltd", "Gambling Commission licensed bookmaker") or the
organisation has a second role in the trade ("regulator and operator of the national lottery").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from commonground.core.semantics.cues import load_word_file, word_list

__all__ = ["OVERSEERS_VERSION", "oversees"]

OVERSEERS_VERSION: str = str(load_word_file("overseers.yaml")["version"])
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# "L'autorité de régulation": French elision goes, as in core/semantics/measures.py.
_ELISION = re.compile(r"\b(?:l|d|qu)['’]", re.IGNORECASE)


@dataclass(frozen=True)
class _Words:
    names: frozenset[str]
    endings: frozenset[str]
    not_before: frozenset[str]
    not_before_pairs: frozenset[str]
    not_after: frozenset[str]
    dual_role: frozenset[str]
    window: int


def _pooled(entry: dict[str, str | list[str]]) -> frozenset[str]:
    return frozenset(w for lang in entry.values() for w in word_list(lang))


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = load_word_file("overseers.yaml")
    return _Words(
        _pooled(data["names"]),
        word_list(data["compound_endings"]),
        _pooled(data["not_before"]),
        word_list(data["not_before_pairs"]),
        word_list(data["not_after"]),
        word_list(data["dual_role"]),
        int(data["window"]),
    )


def _name_at(tokens: list[str], i: int) -> int:
    """How many words of an overseer's name start at ``i`` (0: none)."""
    words = _words()
    for width in (4, 3, 2, 1):
        if " ".join(tokens[i : i + width]) in words.names:
            return width
    word = tokens[i]
    return 1 if any(word.endswith(e) and len(word) > len(e) + 2 for e in words.endings) else 0


@lru_cache(maxsize=4096)
def oversees(text: str) -> bool:
    """Whether a text names its own organisation as a regulator, watchdog or inspectorate."""
    words = _words()
    tokens = _TOKEN.findall(_ELISION.sub(" ", text.lower()))
    # "Regulator and operator of the national lottery": a second role in the trade.
    if set(tokens) & words.dual_role:
        return False
    for i in range(min(words.window, len(tokens))):
        width = _name_at(tokens, i)
        if width:
            # "Gambling Commission licensed bookmaker", "Watchdog Media Ltd": part of another name.
            return tokens[i + width : i + width + 1] == [] or tokens[i + width] not in words.not_after
        if tokens[i] in words.not_before or " ".join(tokens[i : i + 2]) in words.not_before_pairs:
            return False
    return False
