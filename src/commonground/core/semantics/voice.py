"""A self-description in the first person, told in the third as the classifiers' training texts are.

The stance classifiers learnt from descriptions such as "Makes and sells cigarettes" (tobacco at
0.97); told the way an organisation writes its own profile, "We make and sell cigarettes" got 0.64,
under the threshold, and 27 of 45 plain self-descriptions of a development set were read as no
industry. The frame carries no meaning, so a first-person text is also read with its opening put in
the third person (``sectors.classifier_reading``): "We make and sell X" -> "Makes and sells X",
"We are a family business that makes X" -> "A family business that makes X", "Our company sells
X" -> "Sells X"; "our" becomes "its". Only English openings are rewritten; anything else is left as
it was."""

from __future__ import annotations

import re

__all__ = ["VOICE_VERSION", "third_person"]

# Part of every result's rules_version: a change to the rewriting changes what the classifiers find.
VOICE_VERSION = "2026.1"

_MODALS = {"will", "can", "may", "must", "should", "would", "could", "shall", "might"}
_IRREGULAR = {
    "have": "has",
    "do": "does",
    "go": "goes",
    "are": "is",
    "don't": "doesn't",
    "haven't": "hasn't",
    "aren't": "isn't",
}
# Verbs that may follow "and" in the opening ("We make and sell"): the common verbs of a trade.
_JOINED = re.compile(r"^(\w+)(\s+and\s+)(\w+)\b")
_OPENING = re.compile(
    r"^(?:we (?:also|now|currently)|we|our (?:company|firm|business|group|shop|shops|team|organisation"
    r"|organization|charity|cooperative|co-op))\s+(?=\w)",
    re.IGNORECASE,
)
_WE_ARE = re.compile(r"^(?:we are|we're|we’re)\s+(?=(?:a|an|the)\b)", re.IGNORECASE)


def _third(verb: str) -> str:
    """The third-person singular of an English verb in its plain form."""
    low = verb.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low in _MODALS or low.endswith("n't"):
        return verb
    if re.search(r"(?:s|sh|ch|x|z|o)$", low):
        return verb + "es"
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ies"
    return verb + "s"


def third_person(text: str) -> str:
    """``text`` with a first-person opening put in the third person; other texts unchanged."""
    bare = text.lstrip()
    if _WE_ARE.match(bare):
        rest = _WE_ARE.sub("", bare, count=1)
        return _ours(rest[:1].upper() + rest[1:])
    opening = _OPENING.match(bare)
    if opening is None:
        return text
    first_person = opening.group(0).lower().startswith("we")
    rest = bare[opening.end() :]
    if first_person:
        joined = _JOINED.match(rest)
        if joined and joined.group(1).lower() not in _MODALS:
            rest = _third(joined.group(1)) + joined.group(2) + _third(joined.group(3)) + rest[joined.end() :]
        else:
            verb = re.match(r"\w+(?:'\w+)?", rest)
            if verb is not None:
                rest = _third(verb.group(0)) + rest[verb.end() :]
    return _ours(rest[:1].upper() + rest[1:])


def _ours(text: str) -> str:
    return re.sub(r"\b([Oo])ur\b", lambda m: "Its" if m.group(1) == "O" else "its", text)
