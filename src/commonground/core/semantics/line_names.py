"""The sectors a red line names in so many words, in English, French, Spanish or German.

What a red line rules out is named, and a name is surer than a similarity. MiniLM reads only
English, and the multilingual reader compares a short French or Spanish name with the English
prototypes loosely: "Pas de partenariat avec l'industrie minière" came out nearest to crypto-assets
and gambling, "la industria peletera" to gambling, and "Wir gehen keine Partnerschaft mit
Glücksspielanbietern ein" to nothing at all, so a partner running casinos or mines did not cross
them. :func:`sectors_named` reads the words of ``data/line_names.yaml`` in a red line;
:func:`sectors.read_texts` makes each sector so named a topic of it, and for a red line in another
language than English, the only ones (its similarity topics are the loose ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from commonground.core.semantics.cues import load_word_file, word_list
from commonground.core.semantics.sector_kinds import words_of

__all__ = ["LINE_NAMES_VERSION", "sectors_named"]

LINE_NAMES_VERSION: str = str(load_word_file("line_names.yaml")["version"])


@dataclass(frozen=True)
class _Names:
    words: dict[str, str]  # token -> sector
    phrases: dict[str, str]  # tokens joined by one space -> sector
    stems: tuple[tuple[str, str], ...]  # (German stem, sector)
    stem_exceptions: tuple[str, ...]
    ignore: frozenset[str]
    longest: int
    advertising: frozenset[str]
    advertising_stems: tuple[str, ...]
    linking: frozenset[str]


def _tokens(phrase: str) -> str:
    return " ".join(words_of(phrase))


@lru_cache(maxsize=1)
def _load() -> _Names:
    raw = load_word_file("line_names.yaml")
    words: dict[str, str] = {}
    phrases: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    for sector, entry in raw["sectors"].items():
        for word in word_list(entry.get("words", "")):
            if words.setdefault(word.lower(), sector) != sector:
                raise ValueError(f"line_names.yaml: {word!r} is listed under two sectors")
        for phrase in entry.get("phrases", []):
            if phrases.setdefault(_tokens(phrase), sector) != sector:
                raise ValueError(f"line_names.yaml: {phrase!r} is listed under two sectors")
        stems.extend((s.lower(), sector) for s in word_list(entry.get("stems", "")))
    ignore = frozenset(_tokens(p) for p in raw.get("ignore", []))
    longest = max(len(p.split()) for p in (*phrases, *ignore))
    return _Names(
        words,
        phrases,
        tuple(stems),
        tuple(word_list(raw.get("stem_exceptions", ""))),
        ignore,
        longest,
        word_list(raw.get("advertising", "")),
        tuple(word_list(raw.get("advertising_stems", ""))),
        word_list(raw.get("linking", "")),
    )


def _advertised(tokens: list[str], start: int, end: int, names: _Names) -> bool:
    """Whether the name at ``tokens[start:end]`` is what an advertising word is about."""
    if end < len(tokens) and tokens[end] in names.advertising:
        return True
    before = start - 1
    while before >= 0 and start - before <= 3 and tokens[before] in names.linking:
        before -= 1
    return before >= 0 and start - before <= 3 and tokens[before] in names.advertising


def sectors_named(text: str) -> Mapping[str, str]:
    """Each sector a text names, with the word or phrase that names it first (empty when none)."""
    # Read-only: the answer is cached and shared by every caller.
    return MappingProxyType(_sectors_named(text))


@lru_cache(maxsize=2048)
def _sectors_named(text: str) -> dict[str, str]:
    """The reading behind :func:`sectors_named`, cached per text."""
    names = _load()
    tokens = words_of(text)
    found: dict[str, str] = {}
    i = 0
    while i < len(tokens):
        # The longest phrase first: "anti-personnel mines" names weapons, and its "mines" is spent.
        for width in range(min(names.longest, len(tokens) - i), 1, -1):
            phrase = " ".join(tokens[i : i + width])
            if phrase in names.ignore:
                i += width
                break
            if phrase in names.phrases:
                if not _advertised(tokens, i, i + width, names):
                    found.setdefault(names.phrases[phrase], phrase)
                i += width
                break
        else:
            token = tokens[i]
            if _advertised(tokens, i, i + 1, names) or any(a in token for a in names.advertising_stems):
                pass
            elif token in names.words:
                found.setdefault(names.words[token], token)
            elif not any(e in token for e in names.stem_exceptions):
                for stem, sector in names.stems:
                    if stem in token:
                        found.setdefault(sector, token)
            i += 1
    return found
