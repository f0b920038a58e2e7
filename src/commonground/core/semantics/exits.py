"""Wording that helps people leave what a text names: "so they can leave tobacco".

An organisation that "gives tobacco farmers seed, training and guaranteed buyers so they can leave
tobacco" works to shrink the tobacco trade, yet the sectors' classifier read it as tobacco (0.98)
and the word rules found no stance, since "leave" alone says little ("leave no one behind"). After
a word of help ("helps", "supports", "so they can") a move out ("leave", "quit", "give up") says
what the text works against: the phrase after the move. :func:`sectors.read_texts` then never
places the text in a sector or screen that phrase names ("tobacco"), and only in those: a casino
that "helps guests leave with bigger jackpots" or a brewer that "supports pubs leaving the
tied-house system" is still what it is. The words are curated data in ``data/exits.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from commonground.core.semantics.cues import _PARTICLE_NEGATORS, _POSITIVE, load_word_file, word_list

__all__ = ["EXITS_VERSION", "Exit", "helped_exit"]

EXITS_VERSION: str = str(load_word_file("exits.yaml")["version"])
# Words, and the punctuation that ends a phrase.
# Letters of any language, so "arrêter" and "unterstützt" stay whole words.
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[,;:.!?()]")
_PUNCTUATION = frozenset(",;:.!?()")
_GAP = 6  # words at most between the help and the move
# Words that may stand before a generic object ("the industry", "their trade").
_DETERMINERS = frozenset({"the", "this", "that", "their", "its", "our", "his", "her"})


@dataclass(frozen=True)
class Exit:
    """Help to leave something: the words that say so, and what is left."""

    cue: str  # "so … leave"
    left: str  # "tobacco": the words after the move, up to the end of their phrase
    generic: bool  # "the industry", "it": what is left is whatever the text itself is about


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    words = load_word_file("exits.yaml")
    names = (
        "helpers",
        "moves",
        "not_objects",
        "object_ends",
        "generic_objects",
        "frame_starts",
        "frame_verbs",
    )
    return {name: word_list(words[name]) for name in names}


def _help_ends(tokens: list[str], i: int) -> int | None:
    """Where the words of help that start at ``i`` end: "helps", "so they can", "so that X could",
    "pour qu'ils puissent", "para que puedan"."""
    lists = _lists()
    if tokens[i] in lists["helpers"]:
        return i + 1
    if tokens[i] not in lists["frame_starts"]:
        return None
    start = i + 2 if tokens[i + 1 : i + 2] == ["that"] else i + 1
    for end in range(start + 1, min(start + 4, len(tokens))):
        if tokens[end] in lists["frame_verbs"]:
            return end + 1
        if tokens[end] in _PUNCTUATION:
            return None
    return None


def _move_at(tokens: list[str], j: int) -> int:
    """The number of words of a move out that starts at ``j`` ("leave": 1, "give up": 2), or 0."""
    moves = _lists()["moves"]
    if " ".join(tokens[j : j + 2]) in moves:
        return 2
    return 1 if tokens[j] in moves else 0


def helped_exit(text: str) -> Exit | None:
    """How ``text`` helps people leave something ("so … leave" tobacco), or None."""
    tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    lists = _lists()
    for i in range(len(tokens)):
        after_help = _help_ends(tokens, i)
        # "We do not help smokers quit": help that is denied.
        if after_help is None or any(t in _PARTICLE_NEGATORS for t in tokens[max(0, i - 2) : i]):
            continue
        for j in range(after_help, min(after_help + _GAP + 1, len(tokens))):
            # "Helps breweries sell beer to people leaving work": a verb that pushes something between
            # the help and the move makes the help about that, not about leaving.
            if tokens[j] in _POSITIVE or tokens[j] in {".", ";", ":", "!", "?"}:
                break
            width = _move_at(tokens, j)
            if not width:
                continue
            rest = tokens[j + width :]
            if rest[:1] and rest[0] in lists["not_objects"]:
                break
            left: list[str] = []
            for word in rest:
                if word in _PUNCTUATION or word in lists["object_ends"]:
                    break
                left.append(word)
            if not left:
                break
            return Exit(
                cue=f"{tokens[i]} … {' '.join(tokens[j : j + width])}",
                left=" ".join(left),
                generic=set(left) <= lists["generic_objects"] | _DETERMINERS,
            )
    return None
