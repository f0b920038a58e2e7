"""A self-description in the first person, told in the third as the classifiers' training texts are.

The stance classifiers learnt from descriptions such as "Makes and sells cigarettes" (tobacco at
0.97); told the way an organisation writes its own profile, "We make and sell cigarettes" got 0.64,
under the threshold, and 27 of 45 plain self-descriptions of a development set were read as no
industry. The frame carries no meaning, so a first-person text is also read with its opening put in
the third person (``classifier_reading.classifier_reading``): "We make and sell X" -> "Makes and sells X",
"We are a family business that makes X" -> "A family business that makes X", "Our company sells
X" -> "Sells X"; "our" becomes "its". Only an opening whose verb is one of the plain present-tense
verbs of a trade (make, sell, run, brew, lend ...) is rewritten: a past tie ("We used to run
betting shops"), a negation ("We don't sell alcohol"), a promise ("We will not partner with ..."),
campaigning ("We lobby for minimum pricing") and any other language are left as they were, since
a second reading can only add an industry."""

from __future__ import annotations

import re

__all__ = ["VOICE_VERSION", "third_person"]

# Part of every result's rules_version: a change to the rewriting changes what the classifiers find.
VOICE_VERSION = "2026.1"

# The plain present-tense verbs of doing a trade. The list is closed on purpose: the rewrite exists
# so that the classifiers see a self-description in the frame they learnt, and any other opening
# is better read as written.
_TRADE_VERBS = frozenset(
    """make sell produce manufacture run operate own build brew distil distill grow mine drill extract
    import export supply distribute market advertise lend finance fund invest develop test farm raise
    breed slaughter ship fly trade retail deliver serve offer provide design process refine burn
    generate clear log rear package bottle roast bake fry sponsor promote publish broadcast host
    insure buy rent lease print stock cook pack cultivate harvest fish trawl spray dump pour discharge
    emit employ hire charge store transport haul carry smelt forge assemble install sew dye tan cast
    mould mold have""".split()  # noqa: SIM905 - a word list reads better as words
)
_IRREGULAR = {"have": "has"}
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
    if re.search(r"(?:s|sh|ch|x|z|o)$", low):
        return verb + "es"
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ies"
    return verb + "s"


def _plain(verb: str) -> str:
    """The plain form of a third-person verb ("sells" -> "sell", "supplies" -> "supply")."""
    low = verb.lower()
    if low == "has":
        return "have"
    if low.endswith("ies"):
        return low[:-3] + "y"
    if low.endswith("es") and low[:-2] in _TRADE_VERBS:
        return low[:-2]
    return low[:-1] if low.endswith("s") else low


def third_person(text: str) -> str:
    """``text`` with a first-person opening put in the third person; other texts unchanged."""
    bare = text.lstrip()
    if _WE_ARE.match(bare):
        rest = _WE_ARE.sub("", bare, count=1)
        return _ours(rest[:1].upper() + rest[1:])
    opening = _OPENING.match(bare)
    if opening is None:
        return text
    rest = bare[opening.end() :]
    if opening.group(0).lower().startswith("we"):
        joined = _JOINED.match(rest)
        if joined and {joined.group(1).lower(), joined.group(3).lower()} <= _TRADE_VERBS:
            rest = _third(joined.group(1)) + joined.group(2) + _third(joined.group(3)) + rest[joined.end() :]
        else:
            verb = re.match(r"\w+", rest)
            if (
                verb is None
                or verb.group(0).lower() not in _TRADE_VERBS
                or rest[verb.end() :].startswith("'")
            ):
                return text
            rest = _third(verb.group(0)) + rest[verb.end() :]
    else:  # "Our company builds ...": the verb is already in the third person
        verb = re.match(r"\w+", rest)
        if verb is None or _plain(verb.group(0)) not in _TRADE_VERBS:
            return text
    return _ours(rest[:1].upper() + rest[1:])


def _ours(text: str) -> str:
    return re.sub(r"\b([Oo])ur\b", lambda m: "Its" if m.group(1) == "O" else "its", text)
