"""How a text acts on a measure (a rule, law, charge, scheme or target): in force, or held back.

Some red lines forbid a behaviour toward a measure rather than a sector ("we will not work with
anyone who campaigns to delay clean-air rules"), and some goals clash only because one enforces a
measure the other wants postponed. Polarity reads the direction toward the thing a measure
controls; this module reads the direction toward the measure itself, so "win a postponement of the
Clean Air Zone charges" and "delay clean-air rules" agree however their control nouns compose.
"""

from __future__ import annotations

from commonground.core.semantics.cues import _CLAUSE_BREAK, _COORDINATORS, _DIVERSION, _FIGURE, lexicon_words
from commonground.core.semantics.polarity import (
    _clause_cues,
    _is_control,
    _is_harm,
    _match_cues,
    _tokens,
)

# Acts on a rule, law, charge, scheme or target ("the Clean Air Zone", "the soda tax"): pushing it
# back or cutting it down, or putting it into force. A red line such as "no partners who campaign
# to delay clean-air rules" forbids a BEHAVIOUR toward a measure, so a breach is a text that acts
# on the same measure the same way, whatever control nouns ("rules", "charges", "limits") it uses.
_WEAKENING = lexicon_words("measure_weakening")
_UPHOLDING = lexicon_words("measure_upholding")
_MEASURE_STOP = lexicon_words("measure_stop")


def measure_stance(text: str) -> int | None:
    """+1 when a text puts a measure into force, −1 when it delays, weakens or exempts from it.

    None when the text does neither, or when what it acts on is a harm rather than a measure
    ("campaign against air pollution" works for clean air, not against a rule). Runs of weakening
    words joined by "and"/"or" count once ("a postponement and an exemption"); adjacent ones
    compose ("oppose exemptions from the zone" upholds the zone). Control nouns do not flip it.
    """
    clauses = [c for c in _CLAUSE_BREAK.split(text.lower()) if c.strip()]
    tokens = _tokens(clauses[0]) if clauses else []
    if not tokens:
        return None
    diversion = _DIVERSION.search(" ".join(tokens))
    # "Protect children from X" keeps something from a harm; "get shops exempted from X" does not.
    if diversion is not None and not set(diversion.group(0).split()) & _WEAKENING:
        return None
    kept = _clause_cues(tokens)
    if not any(c in _WEAKENING or c in _UPHOLDING for _, c, _ in kept):
        return None
    harms = [i for i, t in enumerate(tokens) if _is_harm(t)]
    if harms and not any(_is_control(c) and pos > harms[-1] for pos, c, _ in kept):
        return None
    sign = 1
    last_weakening: tuple[int, str] | None = None
    for pos, cue, cue_sign in kept:
        if _is_control(cue) or cue_sign == 0:
            continue
        if cue in _WEAKENING and last_weakening is not None:
            gap = tokens[last_weakening[0] + len(last_weakening[1].split()) : pos]
            # Joined by "and"/"or" they are items of one list ("a pause and an exemption",
            # "lobby against or seek exemptions from"), not one acting on the other.
            if any(t in _COORDINATORS for t in gap) and len(gap) <= 3:
                last_weakening = (pos, cue)
                continue
        last_weakening = (pos, cue) if cue in _WEAKENING else None
        sign *= cue_sign
    return sign


def measure_object(text: str) -> str:
    """The measure a text acts on: its words without stance cues, figures and small words.

    Control nouns stay ("delay the clean-air rules" -> "clean-air rules"), since they name it.
    """
    tokens = _tokens(text)
    drop: set[int] = set()
    for pos, cue, _ in _match_cues(tokens):
        if not _is_control(cue):
            drop.update(range(pos, pos + len(cue.split())))
    kept = [
        t
        for i, t in enumerate(tokens)
        if i not in drop and t not in _MEASURE_STOP and t not in _COORDINATORS and not _FIGURE.fullmatch(t)
    ]
    return " ".join(kept) or text
