"""The roles a red line names ("makers of ...") and the words by which a text says a partner plays one."""

from __future__ import annotations

import itertools
import re

from commonground.core.semantics.cues import lexicon_groups, lexicon_words

# Roles a red line can name, and the words by which a text says an organisation plays them.
_ROLE_NAMES: dict[str, frozenset[str]] = lexicon_groups("role_names")
_ROLE_VERBS: dict[str, frozenset[str]] = lexicon_groups("role_verbs")
_ROLE_SUBJECTS = lexicon_words("role_subjects")


def _tokens_of(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:-[a-z]+)?", text.lower())


def _words_of(text: str) -> set[str]:
    return set(_tokens_of(text))


def named_role(red_line: str) -> str | None:
    """The role a red line names for the organisations it rules out ("makers of ..."), if any.

    "Funding from makers of X" names makers: the money is ruled out because of who makes X, so
    the most specific role (maker, then seller, then financier: "banks that finance coal") wins
    over the funding relationship.
    """
    # "Anyone lending to arms makers" rules out lenders: a financier named by its verb comes first.
    if _finances_the_topic(red_line):
        return "financier"
    words = _words_of(red_line)
    for role in ("maker", "seller", "financier", "funder"):
        if words & _ROLE_NAMES[role]:
            return role
    return None


def _finances_the_topic(red_line: str) -> bool:
    """Whether a red line rules out whoever finances its topic: "anyone financing new coal"."""
    tokens = _tokens_of(red_line)
    return any(
        word in _ROLE_VERBS["financier"] and previous in _ROLE_SUBJECTS
        for previous, word in itertools.pairwise(tokens)
    )


def plays_role(text: str, role: str) -> bool:
    """Whether a text says its organisation plays ``role`` (makes, sells, finances ... what it names)."""
    return bool(_words_of(text) & _ROLE_VERBS[role])
