"""Kinds within a sector that a red line singles out: "no banks that finance coal" is about coal.

A red line naming one kind of a sector ("coal", "cluster munitions", "spirits") is not crossed by a
partner whose texts name only other kinds of it: a bank financing oil and gas pipelines is in
fossil fuels, as is coal, but not in coal. A partner naming no kind, or a red line naming the
sector as a whole ("fossil fuels, especially coal"), is read as before. The kinds and their words,
in English, French, Spanish and German, are data (``data/sector_kinds.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from commonground.core.semantics.cues import load_word_file, word_list

__all__ = [
    "SECTOR_KINDS_VERSION",
    "kinds_named",
    "line_kinds",
    "names_whole_sector",
    "outside_named_kinds",
    "words_of",
]

SECTOR_KINDS_VERSION: str = str(load_word_file("sector_kinds.yaml")["version"])
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# French elisions ("l'uranium", "d'hydrocarbures") name the word after the apostrophe.
_ELISION = re.compile(r"^(?:l|d|qu|s|n|j|c|m|t)'")
_LONGEST = 3


@dataclass(frozen=True)
class _Sector:
    general: frozenset[str]
    general_phrases: frozenset[str]  # "jeux d'argent", "juegos de azar"
    general_stems: tuple[str, ...]  # German: "glücksspiel" inside "Glücksspielanbietern"
    phrases: dict[str, str]  # word or phrase -> kind
    stems: tuple[tuple[str, str], ...]  # (German stem, kind)
    within: dict[str, str]  # kind -> broader kind
    # kind -> (words, stems) that keep a partner's text from being read as that kind
    unless: dict[str, tuple[frozenset[str], tuple[str, ...]]]


@dataclass(frozen=True)
class _Words:
    sectors: dict[str, _Sector]
    ignore: frozenset[str]
    widening: frozenset[str]
    stem_exceptions: tuple[str, ...]


@lru_cache(maxsize=1)
def _load() -> _Words:
    raw = load_word_file("sector_kinds.yaml")
    sectors: dict[str, _Sector] = {}
    for sector, entry in raw["sectors"].items():
        phrases: dict[str, str] = {}
        stems: list[tuple[str, str]] = []
        within: dict[str, str] = {}
        unless: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        for kind, spec in entry["kinds"].items():
            if spec.get("unless") or spec.get("unless_stems"):
                unless[kind] = (
                    word_list(spec.get("unless", "")),
                    tuple(word_list(spec.get("unless_stems", ""))),
                )
            for word in [*word_list(spec.get("words", "")), *spec.get("phrases", [])]:
                if phrases.setdefault(word.lower(), kind) != kind:
                    raise ValueError(f"sector_kinds.yaml: {word!r} is listed under two kinds of {sector}")
            stems.extend((s, kind) for s in word_list(spec.get("stems", "")))
            if spec.get("within"):
                within[kind] = str(spec["within"])
        unknown = set(within.values()) - set(entry["kinds"])
        if unknown:
            raise ValueError(f"sector_kinds.yaml: {sector} has kinds within unknown kinds {sorted(unknown)}")
        sectors[sector] = _Sector(
            word_list(entry["general"]),
            frozenset(_phrase(p) for p in entry.get("general_phrases", [])),
            tuple(word_list(entry.get("general_stems", ""))),
            phrases,
            tuple(stems),
            within,
            unless,
        )
    return _Words(
        sectors,
        frozenset(p.lower() for p in raw.get("ignore", [])),
        frozenset(p.lower() for p in raw.get("widening", [])),
        tuple(word_list(raw.get("stem_exceptions", ""))),
    )


def _phrase(text: str) -> str:
    """A phrase of the word file as a text's words read it: "jeux d'argent" -> "jeux argent"."""
    return " ".join(_ELISION.sub("", t) for t in _TOKEN.findall(text.lower().replace("’", "'")))


def words_of(text: str) -> list[str]:
    """Words, each hyphenated one followed by its parts ("coal-fuelled": coal-fuelled, coal, fuelled)."""
    out: list[str] = []
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        token = _ELISION.sub("", token)
        out.append(token)
        if "-" in token:
            out.extend(p for p in token.split("-") if p)
    return out


# A red line is asked about every text of the partner, and each text about every item of it: the
# same (text, sector) comes back many times within one assessment.
@lru_cache(maxsize=4096)
def _read(text: str, sector: str) -> tuple[frozenset[str], bool]:
    """The kinds of ``sector`` a text names, and whether it names the sector as a whole."""
    words = _load()
    entry = words.sectors.get(sector)
    if entry is None:
        return frozenset(), False
    tokens = words_of(text)
    kinds: set[str] = set()
    general = False
    # Where the last word naming a kind ended: a sector's word right after it is that kind's head
    # noun ("coal mining", "copper mines"), not the whole sector.
    kind_end = -1
    i = 0
    while i < len(tokens):
        for width in range(_LONGEST, 0, -1):
            phrase = " ".join(tokens[i : i + width])
            if phrase in words.ignore:
                i += width
                break
            if phrase in entry.general_phrases:
                general = True
                i += width
                break
            if phrase in entry.phrases:
                kinds.add(entry.phrases[phrase])
                i += width
                kind_end = i
                break
        else:
            word = tokens[i]
            general = general or (
                (word in entry.general or any(st in word for st in entry.general_stems)) and i != kind_end
            )
            stemmed = (
                set() if word.startswith(words.stem_exceptions) else {k for t, k in entry.stems if t in word}
            )
            kinds |= stemmed
            i += 1
            if stemmed:
                kind_end = i
    return frozenset(kinds), general


def kinds_named(text: str, sector: str) -> frozenset[str]:
    """The kinds of a sector a partner's text names ("oil and gas pipelines": oil, gas).

    A kind with an ``unless`` list is not read from a text holding one of its words: "frigates
    armed with nuclear missiles" names the conventional kind by its frigates and the nuclear one in
    words the list may miss, so it is left to the sector as a whole. (Red lines are read without
    this: "no conventional or nuclear arms" names both.)
    """
    kinds = _read(text, sector)[0]
    entry = _load().sectors.get(sector)
    if entry is None or not kinds & entry.unless.keys():
        return kinds
    tokens = set(words_of(text))
    return frozenset(
        k
        for k in kinds
        if k not in entry.unless
        or not (tokens & entry.unless[k][0] or any(s in t for t in tokens for s in entry.unless[k][1]))
    )


def line_kinds(text: str, sector: str) -> frozenset[str]:
    """The kinds a red line narrows a sector to, with every narrower kind; none when not narrowed."""
    kinds, general = _read(text, sector)
    lowered = " ".join(_TOKEN.findall(text.lower().replace("’", "'")))
    widened = any(f" {w} " in f" {lowered} " for w in _load().widening)
    if general or widened or not kinds:
        return frozenset()
    within = _load().sectors[sector].within
    covered = set(kinds)
    changed = True
    while changed:
        narrower = {k for k, up in within.items() if up in covered} - covered
        covered |= narrower
        changed = bool(narrower)
    return frozenset(covered)


def outside_named_kinds(
    line: str, sector: str, text: str, partner_texts: Iterable[str]
) -> frozenset[str] | None:
    """The kinds a partner's text is in when the red line narrows the sector to others, else None.

    A text naming kinds of the sector is read by its own ("we finance LNG terminals" beside "we
    lend to coal-fuelled power stations": the second crosses "no coal"); one naming none by the
    kinds the partner's other texts name ("we finance pipelines" of a bank that names oil and gas).
    None means the sector path decides as before: the red line names the whole sector or no kind,
    the partner names no kind of it, or one named is a kind the red line names.
    """
    wanted = line_kinds(line, sector)
    if not wanted:
        return None
    named = kinds_named(text, sector) or frozenset().union(*(kinds_named(t, sector) for t in partner_texts))
    return named if named and not named & wanted else None


def names_whole_sector(text: str, sector: str) -> bool:
    """Whether a text names a sector as a whole ("fossil fuels", "Bergbau")."""
    return _read(text, sector)[1]
