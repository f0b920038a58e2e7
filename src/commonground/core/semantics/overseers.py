"""Regulators, watchdogs and inspectorates: organisations that oversee an industry, not work in it.

"Gambling regulator" was read as the gambling industry (classifier 0.73, role "for" from the FOR
prototypes), so a partner that licenses and fines casinos crossed "no partnership with gambling
companies of any kind". The classifiers learnt most regulators from their verbs ("enforcing",
"fining"), and a bare name gives them none. When a text names its own organisation as an overseer
(the name of ``data/overseers.yaml`` comes within its first few words, with only articles,
adjectives and nouns before it), :func:`sectors.read_texts` places it in no sector or screen. A
text that only mentions an overseer ("reports to the inspectorate", "lobby the regulator") has a
preposition or a verb before the name and is read as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

from commonground.core.semantics.cues import load_word_file, word_list

__all__ = ["OVERSEERS_VERSION", "oversees"]

OVERSEERS_VERSION: str = str(load_word_file("overseers.yaml")["version"])
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# "L'autorité de régulation": French elision goes, as in core/semantics/measures.py.
_ELISION = re.compile(r"\b(?:l|d|qu)['’]", re.IGNORECASE)


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str], int]:
    data = load_word_file("overseers.yaml")
    names = frozenset(n for lang in data["names"].values() for n in word_list(lang))
    not_before = frozenset(w for lang in data["not_before"].values() for w in word_list(lang))
    return names, word_list(data["compound_endings"]), not_before, int(data["window"])


def _name_at(tokens: list[str], i: int) -> bool:
    names, endings, _, _ = _words()
    if any(" ".join(tokens[i : i + n]) in names for n in (1, 2, 3, 4)):
        return True
    word = tokens[i]
    return any(word.endswith(e) and len(word) > len(e) + 2 for e in endings)


@lru_cache(maxsize=4096)
def oversees(text: str) -> bool:
    """Whether a text names its own organisation as a regulator, watchdog or inspectorate."""
    _, _, not_before, window = _words()
    tokens = _TOKEN.findall(_ELISION.sub(" ", text.lower()))
    for i in range(min(window, len(tokens))):
        if _name_at(tokens, i):
            return True
        if tokens[i] in not_before:
            return False
    return False
