"""The words that signal stance and role: the cue vocabularies :mod:`polarity` composes by sign.

The word lists are curated data in ``data/lexicon.yaml`` (versioned, with what each list is for);
this module loads them once and keeps the patterns, which are code: clause breaks, tokens, past
ties, diversions, reduction targets and figures. Kept apart from the rules in
:mod:`commonground.core.semantics.polarity` so the lexicon can be read and extended on its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

from commonground.core.semantics.data_files import parse_yaml


@lru_cache(maxsize=4)
def load_word_file(name: str) -> dict[str, Any]:
    """A shipped word file of ``commonground.data`` (``lexicon.yaml``, ``measures.yaml``), parsed."""
    text = resources.files("commonground.data").joinpath(name).read_text(encoding="utf-8")
    document: dict[str, Any] = parse_yaml(text)
    return document


def load_lexicon() -> dict[str, Any]:
    """The shipped lexicon file, parsed."""
    return load_word_file("lexicon.yaml")


def word_list(value: str | list[str]) -> frozenset[str]:
    """A word-file entry: whitespace-separated words, or a list of phrases."""
    return frozenset(value.split()) if isinstance(value, str) else frozenset(value)


def lexicon_words(section: str) -> frozenset[str]:
    """One word list of the lexicon."""
    return word_list(load_lexicon()[section])


def lexicon_groups(section: str) -> dict[str, frozenset[str]]:
    """A section of named word lists (activity families, role names and verbs)."""
    return {name: word_list(words) for name, words in load_lexicon()[section].items()}


LEXICON_VERSION: str = str(load_lexicon()["version"])

# Multi-word cues are matched before single words so "phase out" is not read as "out".
_PHRASES: dict[str, int] = {str(k): int(v) for k, v in load_lexicon()["phrases"].items()}
_NEGATIVE = lexicon_words("negative")
_POSITIVE = lexicon_words("positive")
_WEAK_CUES = lexicon_words("weak_cues")
_NEUTRAL = lexicon_words("neutral")
_HARMS = lexicon_words("harms")
_HARM_REMEDIES = lexicon_words("harm_remedies")
_LOW_DESCRIPTORS = lexicon_words("low_descriptors")
_CONTROL_NOUNS = lexicon_words("control_nouns") | lexicon_words("control_phrases")
_LAW_NOUNS = lexicon_words("law_nouns")
_PERMISSIONS = lexicon_words("permissions")
_EXIT_VERBS = lexicon_words("exit_verbs")
_EXIT_PARTS = lexicon_words("exit_parts")
_WEAK_NEGATIVE = lexicon_words("weak_negative")
_PARTICLE_NEGATORS = lexicon_words("particle_negators")
_COORDINATORS = lexicon_words("coordinators")
_NOUN_MODIFIERS = lexicon_words("noun_modifiers")
_ACTIVITY_NOUNS = lexicon_words("activity_nouns")
_IGNORED_PHRASES = lexicon_words("ignored_phrases")
_NOUN_USES = lexicon_words("noun_uses")
_ARTICLES = lexicon_words("articles")
_SHIELD_VERBS = lexicon_words("shield_verbs")
_DISPLACING = lexicon_words("displacing")
# "Our stores sell ...", "We run ...": who does it is the partner itself, so a red line is compared
# with what is done as well as with the whole sentence.
_SUBJECTS: tuple[str, ...] = tuple(load_lexicon()["subjects"])

# People who have left a topic ("former oil workers"): a transition text works against it.
_FORMER_PEOPLE = re.compile(
    r"\b(?:former|ex)[\s-]+(?:[a-z-]+\s+){0,2}?(?:workers|worker|smokers|smoker|drinkers|drinker|"
    r"gamblers|gambler|miners|miner|employees|staff|users|user|addicts|prisoners|players|growers|farmers)\b"
)

# "Keep X out of Y", "divert X from Y", "protect X from Y": the text works against Y.
_DIVERSION = re.compile(
    r"\b(?:keep|keeps|keeping|kept|divert|diverts|diverting|diverted|protect|protects|protecting|"
    r"shield|shields|shielding|safeguard|safeguards|save|saves|saving|rescue|rescues|rescuing|"
    r"free|frees|freeing|steer|steers|steering|redirect|redirects|redirecting|get|gets|getting|"
    r"lift|lifts|lifting|help|helps|helping)\b"
    r"(?:\s+[\w'’,-]+){1,8}?\s+(?P<prep>out\s+of|away\s+from|from)\b"
)
_CLAUSE_BREAK = re.compile(r"\b(?:while|whilst|but|although|though)\b|;")
# A full stop, question or exclamation mark followed by a space or the end (not "2.5" or "U.K").
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")
_TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*|,|&")

# Wording that puts a tie in the past ("we used to be funded by a casino", "formerly part of an
# oil group", "after our brewery deal ended"), and wording that says it still holds.
_PAST = re.compile(
    r"\b(?:used\s+to|formerly|former|previously|no\s+longer|in\s+the\s+past|until\s+(?:recently|last\s+year)|"
    r"was\s+once|were\s+once|ended|ceased|expired|lapsed|terminated|discontinued|ex-[a-z]+)\b"
)
# A target that holds a rate or prevalence UNDER a figure ("adult smoking prevalence under 5% by
# 2032", "drinking rates below 10%") works against what it measures, whatever its verbs.
_REDUCTION_TARGET = re.compile(
    r"\b(?:prevalence|rates?|consumption|use|levels?|incidence|deaths|cases|uptake)\b"
    r"[^.;]*?\b(?:under|below|less than|fewer than|no more than)\s+\d[\d.,]*%?"
)
_PRESENT = re.compile(r"\b(?:still|now|currently|today|continues?|continuing)\b")
_FIGURE = re.compile(r"[\d.,%&]+|half|third|thirds|quarter|new")
