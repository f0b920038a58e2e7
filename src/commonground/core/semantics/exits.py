"""Wording that helps people leave what a text names: "so they can leave tobacco".

An organisation that "gives tobacco farmers seed, training and guaranteed buyers so they can leave
tobacco" works to shrink the tobacco trade, yet the sectors' classifier read it as tobacco (0.98)
and the word rules found no stance, since "leave" alone says little ("leave no one behind"). After
a word of help ("helps", "supports", "so they can") a move out of the topic ("leave", "quit", "give
up") is a clear stance against it; :func:`sectors.read_texts` then never places the text in the
sector or screen it names. The words are curated data in ``data/exits.yaml``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from commonground.core.semantics.cues import _POSITIVE, load_word_file, word_list

__all__ = ["EXITS_VERSION", "helped_exit"]

EXITS_VERSION: str = str(load_word_file("exits.yaml")["version"])


def _alternatives(section: str) -> str:
    # Longest first, so "giving up" is tried before "give".
    words = sorted(word_list(load_word_file("exits.yaml")[section]), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile(
        rf"\b(?:{_alternatives('helpers')}|so\s+(?:that\s+)?[\w'’-]+\s+(?:can|could|may))\b"
        rf"(?P<gap>(?:\s+[\w'’,-]+){{0,6}}?)\s+(?P<move>{_alternatives('moves')})\b"
        rf"(?!\s+(?:{_alternatives('not_objects')})\b)"
    )


def helped_exit(text: str) -> str | None:
    """The words by which ``text`` helps people leave its topic ("so … leave"), or None."""
    for found in _pattern().finditer(text.lower()):
        # "Helps breweries sell beer to people leaving work": a verb that pushes something between
        # the help and the move makes the help about that, not about leaving.
        if any(word.strip(",") in _POSITIVE for word in found.group("gap").split()):
            continue
        return f"{found.group(0).split()[0]} … {' '.join(found.group('move').split())}"
    return None
