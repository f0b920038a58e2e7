"""How a text acts on a measure (a rule, law, charge, scheme or target): in force, or held back.

Some red lines forbid a behaviour toward a measure rather than a sector ("we will not work with
anyone who campaigns to delay clean-air rules"), and some goals clash only because one enforces a
measure the other wants postponed. Polarity reads the direction toward the thing a measure
controls; this module reads the direction toward the measure itself, so "win a postponement of the
Clean Air Zone charges" and "delay clean-air rules" agree however their control nouns compose.

The words are read in English, French, Spanish and German (``data/measures.yaml``, plus the
English measure words of the main lexicon). A text acts on a measure only when it names one (a
law, tax, ban, limit, zone ...): "defending renters against no-fault evictions" fights a harm, it
does not weaken a rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from commonground.core.semantics.cues import (
    _CLAUSE_BREAK,
    _CONTROL_NOUNS,
    _COORDINATORS,
    _DIVERSION,
    _FIGURE,
    _LAW_NOUNS,
    _NEGATIVE,
    _POSITIVE,
    lexicon_words,
    load_word_file,
    word_list,
)
from commonground.core.semantics.polarity import _is_control, _is_harm, _match_cues

# Letters of any language, so "réglementation" and "verzögern" stay whole words.
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|,|&")
# French elisions ("l'encadrement", "d'émissions") name the word after the apostrophe.
_ELISION = re.compile(r"^(?:l|d|qu|s|n|j|c)['’]")
# How far (in words) a cue from data/measures.yaml may sit from the measure it acts on. Their
# verbs ("stop", "prevent", "verhindern") often act on a harm instead; a measure close by, with no
# harm between, says the verb acts on the measure.
MEASURE_WINDOW = 6
MEASURE_WINDOW_BEFORE = 8


def load_measure_words() -> dict[str, Any]:
    """The measure vocabulary of data/measures.yaml, as shipped."""
    return load_word_file("measures.yaml")


# Recorded in every result beside the lexicon's version (engine.rules_version).
MEASURES_VERSION: str = str(load_measure_words()["version"])


def _all_languages(section: str) -> frozenset[str]:
    return frozenset().union(*(word_list(v) for v in load_measure_words()[section].values()))


# The main lexicon's words keep working everywhere in a clause, as before; the multilingual words
# of data/measures.yaml need a measure close by (MEASURE_WINDOW).
_WEAKENING = lexicon_words("measure_weakening")
_UPHOLDING = lexicon_words("measure_upholding")
_LOWERING = word_list(load_measure_words()["lowering"])
_LOWERING_UNCLEAR = word_list(load_measure_words()["lowering_unclear"])
_INSTRUMENTS = word_list(load_measure_words()["instruments"])
_LOWERING_LAST = word_list(load_measure_words()["lowering_last"])
# How many words may sit between a cue and a measure word acting on a measure after it, for the
# cue to act on that measure through it ("fight the expansion of the ... zone").
BRIDGE = 3
# How many words may sit between a lowering verb and the measure it lowers ("cut the beer duty").
LOWERING_WINDOW = 3
_NEAR_WEAKENING = (
    _all_languages("weakening") | word_list(load_measure_words()["lifting"]) | _LOWERING
) - _WEAKENING
_NEAR_UPHOLDING = _all_languages("upholding") - _UPHOLDING
_MEASURE_STOP = lexicon_words("measure_stop") | _all_languages("addressees")
_NOT_MEASURES = word_list(load_measure_words()["not_measures"])
_NOUNS = (_all_languages("nouns") | _CONTROL_NOUNS | _LAW_NOUNS) - _NOT_MEASURES
_CEILINGS = word_list(load_measure_words()["ceilings"])
_CEILING_PHRASES = word_list(load_measure_words()["ceiling_phrases"])
_RAISING = word_list(load_measure_words()["raising"])
_NEGATORS = word_list(load_measure_words()["negators"])
_LIFTING = word_list(load_measure_words()["lifting"])
_LIFTED = word_list(load_measure_words()["lifted_bans"])
_NOUN_ENDINGS = tuple(sorted(word_list(load_measure_words()["noun_endings"]), key=len, reverse=True))
_NOUN_PHRASES = word_list(load_measure_words()["noun_phrases"])
_NOT_MEASURE_PHRASES = word_list(load_measure_words()["not_measure_phrases"])
_PURPOSIVE = word_list(load_measure_words()["purposive"])
_SEPARABLE: dict[str, str] = {
    verb: particle for particle, verbs in load_measure_words()["separable"].items() for verb in verbs.split()
}
_SEPARABLE_NOT_BEFORE = word_list(load_measure_words()["separable_not_before"])
# How many words may sit between a separable verb and its particle ("push the 2035 zero-emission
# sales requirement back").
SEPARABLE_GAP = 6
_MEASURE_WORDS = _WEAKENING | _UPHOLDING | _NEAR_WEAKENING | _NEAR_UPHOLDING
_JOINERS = _COORDINATORS | word_list(load_measure_words()["joiners"])
_RELATIVES = word_list(load_measure_words()["relatives"])
_VEHICLES = word_list(load_measure_words()["vehicles"])
_CHAINED_BY = word_list(load_measure_words()["chained_by"])
_BEFORE = word_list(load_measure_words()["before"])
_HARM_COMPOUNDS = _all_languages("harm_compounds")
_MEASURE_PHRASES: dict[str, int] = {
    **{w: -1 for w in _WEAKENING | _NEAR_WEAKENING | _LIFTING},
    **{w: 1 for w in _UPHOLDING | _NEAR_UPHOLDING},
}


def _tokens(text: str) -> list[str]:
    return _join_particles([_ELISION.sub("", t) for t in _TOKEN.findall(text.lower().replace("’", "'"))])


def _join_particles(tokens: list[str]) -> list[str]:
    """Move a separated particle back to its verb when a measure lies between them.

    "Push the 2035 zero-emission sales requirement back" reads as "push back the ... requirement";
    without a measure between ("push our vans back into the depot") nothing moves.
    """
    out = list(tokens)
    for i, word in enumerate(tokens):
        particle = _SEPARABLE.get(word)
        if particle is None or (i + 1 < len(out) and out[i + 1] == particle):
            continue
        for j in range(i + 2, min(len(out), i + SEPARABLE_GAP + 2)):
            if out[j] in _JOINERS or out[j] in _RELATIVES:
                break
            if out[j] == particle:
                direction = j + 1 < len(out) and out[j + 1] in _SEPARABLE_NOT_BEFORE
                if not direction and any(_is_measure_noun(out, k) for k in range(i + 1, j)):
                    out.insert(i + 1, out.pop(j))
                break
    return out


def _is_measure_noun(tokens: list[str], i: int) -> bool:
    """A word that names a measure: a law, tax, ban or limit, in any of the four languages."""
    word = tokens[i]
    # "Tax evasion", "tax dodging", "la evasión de impuestos" name a harm, not a measure.
    if (i + 1 < len(tokens) and tokens[i + 1] in _HARM_COMPOUNDS) or set(
        tokens[max(0, i - 2) : i]
    ) & _HARM_COMPOUNDS:
        return False
    if i > 0 and f"{tokens[i - 1]} {word}" in _NOT_MEASURE_PHRASES:
        return False
    if word in _NOUNS or " ".join(tokens[i : i + 2]) in _NOUN_PHRASES:
        return True
    # German compounds: "Klimaschutzgesetze", "Berichtspflichten", "CO₂-Grenzwerte".
    return any(word.endswith(e) and len(word) > len(e) + 2 for e in _NOUN_ENDINGS) or (
        "-" in word and any(p in _NOUNS for p in word.split("-"))
    )


def _measure_cues(tokens: list[str]) -> list[tuple[int, str, int]]:
    """Words acting on a measure as (position, cue, sign), longest phrase first, then word cues."""
    found: list[tuple[int, str, int]] = []
    covered: set[int] = set()
    i = 0
    while i < len(tokens):
        for width in (3, 2, 1):
            phrase = " ".join(tokens[i : i + width])
            if phrase in _MEASURE_PHRASES:
                found.append((i, phrase, _MEASURE_PHRASES[phrase]))
                covered.update(range(i, i + width))
                i += width
                break
        else:
            i += 1
    # "Fight to stop the ban": the verb after "to" says what is done to the measure.
    found = [f for f in found if not (f[1] in _PURPOSIVE and tokens[f[0] + 1 : f[0] + 2] == ["to"])]
    # The word rules' other cues ("end", "cut", "secure") compose with them when they govern the
    # measure: before every measure word, with a measure or a measure word close after them ("end
    # the exemption", "secure an exemption"). Not a word inside a measure's name ("the
    # low-emission zone"), nor one acting on something else ("rent caps that shrink housing
    # supply", "until their planned closure", "carve exemptions out of the law").
    anchors = {p for p, _, _ in found} | {i for i in range(len(tokens)) if _is_measure_noun(tokens, i)}
    first = min((p for p, _, _ in found), default=len(tokens))
    for pos, cue, sign in _match_cues(tokens):
        end = pos + len(cue.split())
        if (
            pos not in covered
            and pos < first
            and sign != 0
            and not _is_control(cue)
            and "-" not in cue
            and any(end <= a <= end + 3 for a in anchors)
        ):
            found.append((pos, cue, sign))
    return sorted(found)


def _acts_on_measure(tokens: list[str], pos: int, cue: str, measures: list[int]) -> bool:
    """Whether a cue of data/measures.yaml has a measure close by with no harm in between."""
    end = pos + len(cue.split())
    for m in measures:
        lo, hi = (end, m) if m >= end else (m + 1, pos)
        # A verb may also come after its measure: "die Fahrverbote ... auszusetzen", "le
        # plafonnement ... et son abrogation" (German puts the verb last).
        if (m >= end and m - end > MEASURE_WINDOW) or (m < pos and pos - m > MEASURE_WINDOW_BEFORE):
            continue
        # A harm naming the measure ("emission controls", "pesticide limits") is part of its name.
        if not any(_is_harm(t) for t in tokens[lo:hi] if t not in tokens[max(lo, m - 2) : m]):
            return True
    return False


def measure_stance(text: str) -> int | None:
    """+1 when a text puts a measure into force, −1 when it delays, weakens or exempts from it.

    None when the text does neither, names no measure, or when what it acts on is a harm rather
    than a measure ("campaign against air pollution" works for clean air, not against a rule).
    Runs of weakening words joined by "and"/"or" count once ("a postponement and an exemption");
    adjacent ones compose ("oppose exemptions from the zone" upholds the zone). Control nouns do
    not flip it.
    """
    clauses = [c for c in _CLAUSE_BREAK.split(text.lower()) if c.strip()]
    tokens = _tokens(clauses[0]) if clauses else []
    if not tokens:
        return None
    diversion = _DIVERSION.search(" ".join(tokens))
    # "Protect children from X" keeps something from a harm; "get shops exempted from X" does not.
    if diversion is not None and not set(diversion.group(0).split()) & _WEAKENING:
        return None
    measures = [i for i in range(len(tokens)) if _is_measure_noun(tokens, i)]
    if not measures:
        return None
    # "Opposing rent caps that shrink housing supply": the relative clause is about something else.
    changes = [i for i, t in enumerate(tokens) if t in _VEHICLES]
    after_change = next(
        (i for i, t in enumerate(tokens) if t in _RELATIVES and i > min([*measures, *changes])), len(tokens)
    )
    composed = _through_a_vehicle(tokens, after_change)
    if composed is not None:
        return composed
    # When the outer verb says nothing of the change ("we welcome the amendment that strengthens
    # the ban"), the clause is read as before: only a relative after the measure is cut off.
    relative = next((i for i, t in enumerate(tokens) if t in _RELATIVES and i > measures[0]), len(tokens))
    segment = _segments(tokens)
    cues = [
        c
        for c in _measure_cues(tokens)
        if not _timed(tokens, c)
        # "Fight" acts on a measure named after it, never on one before it.
        and not (c[1] in _PURPOSIVE and not any(m > c[0] for m in measures))
    ]
    # "Stop the government from watering down the ban": the inner act reaches the measure.
    chained = [p for p, c, _ in cues if p > 0 and tokens[p - 1] in _CHAINED_BY and c in _MEASURE_WORDS]

    def acts(pos: int, cue: str) -> bool:
        # A verb of data/measures.yaml acts on a measure of its own conjunct or one named before
        # ("el impuesto ... y pedimos su derogación"), not one of a later conjunct: in "gegen
        # Lohndumping und für den Mindestlohn" the "gegen" is about the dumping.
        return cue not in _NEAR_WEAKENING | _NEAR_UPHOLDING or (
            _acts_on_measure(tokens, pos, cue, [m for m in measures if segment[m] <= segment[pos]])
            and (cue not in _LOWERING or _lowered(tokens, pos, measures) is not None)
        )

    acting = [pos for pos, cue, _ in cues if acts(pos, cue)]
    kept = [
        (pos, cue, sign)
        for pos, cue, sign in cues
        if pos < relative
        and (
            pos in acting
            or any(pos < q <= pos + len(cue.split()) + MEASURE_WINDOW for q in chained)
            # A measure word close after bridges to a measure further on: "fight the expansion of
            # the ultra low emission zone" fights the zone's expansion.
            or any(pos + len(cue.split()) <= q <= pos + len(cue.split()) + BRIDGE for q in acting if q > pos)
        )
    ]
    if not any(c in _MEASURE_WORDS for _, c, _ in kept):
        return None
    harms = [i for i, t in enumerate(tokens) if _is_harm(t)]
    if harms and not any(m > harms[-1] for m in measures):
        return None
    # Each conjunct ("lobby to weaken", "delay", "carve exemptions out of the law") says its own
    # stance; cues within one compose ("oppose exemptions from the zone" upholds the zone).
    negated = _negated(tokens, kept, segment)
    signs: dict[int, int] = {}
    for pos, cue, cue_sign in kept:
        if cue in _RAISING and _acts_on_a_cap(tokens, pos, measures, ceilings=True):
            cue_sign = -1
        if cue in _LOWERING:
            lowered = _lowered(tokens, pos, measures)
            if lowered is None or (tokens[lowered] in _LOWERING_UNCLEAR and not _is_a_cap(tokens, lowered)):
                continue  # "lower the limits": a cap tightened or a floor loosened, unsaid
            cue_sign = 1 if _is_a_cap(tokens, lowered) else -1
        if cue in _LIFTING and not _acts_on_a_cap(tokens, pos, measures, ceilings=False):
            continue  # "lift the minimum wage" raises it; only a ban or a cap is lifted away
        if pos in negated:
            cue_sign = -cue_sign
        signs[segment[pos]] = signs.get(segment[pos], 1) * cue_sign
    said = {
        s for seg, s in signs.items() if any(segment[p] == seg and c in _MEASURE_WORDS for p, c, _ in kept)
    }
    if len(said) > 1:
        # Conjuncts that disagree: those naming the measure decide ("contra la pobreza y a favor del
        # salario mínimo"); if they disagree too, the text's stance toward the measure is unclear.
        said = {s for seg, s in signs.items() if any(segment[m] == seg for m in measures)}
    return said.pop() if len(said) == 1 else None


def _vehicle_before(tokens: list[str], relative: int) -> bool:
    """Whether the words just before a relative clause name a change to the law ("any bill that")."""
    return relative < len(tokens) and bool(set(tokens[max(0, relative - 2) : relative]) & _VEHICLES)


def _through_a_vehicle(tokens: list[str], relative: int) -> int | None:
    """The stance of acting on a bill that acts on a measure: both acts compose, else None.

    "Block any bill that weakens the ban" upholds the ban; "back the amendment that delays the
    zone" would delay it, but "back" is no measure word, so that one stays unread (None).
    """
    if not _vehicle_before(tokens, relative):
        return None
    # The change itself is the measure the outer verb acts on: read it as one ("bill" is a measure
    # noun in every language's list), so "lobby against the amendment" acts on a measure.
    outer = measure_stance(" ".join("bill" if t in _VEHICLES else t for t in tokens[:relative]))
    inner = measure_stance(" ".join(tokens[relative + 1 :]))
    return outer * inner if outer is not None and inner is not None else None


def _timed(tokens: list[str], cue: tuple[int, str, int]) -> bool:
    """An upholding verb that only dates something ("a delay before applying the zone")."""
    pos, _, sign = cue
    return sign > 0 and any(" ".join(tokens[max(0, pos - n) : pos]) in _BEFORE for n in (1, 2))


def _lowered(tokens: list[str], pos: int, measures: list[int]) -> int | None:
    """The measure a lowering verb governs: named within LOWERING_WINDOW words after it, not as
    an instrument ("reduce traffic with the congestion charge")."""
    for m in measures:
        if pos < m <= pos + 1 + LOWERING_WINDOW:
            return None if set(tokens[pos + 1 : m]) & _INSTRUMENTS else m
    if tokens[pos] in _LOWERING_LAST:
        for m in reversed(measures):
            if pos - 1 - LOWERING_WINDOW <= m < pos:
                return None if set(tokens[m + 1 : pos]) & _INSTRUMENTS else m
    return None


def _is_a_cap(tokens: list[str], m: int) -> bool:
    """Whether the measure word at ``m`` caps something ("the catch quotas", "a rent cap")."""
    word = tokens[m]
    phrase = " ".join(tokens[max(0, m - 1) : m + 1])
    return (
        word in _CEILINGS
        or phrase in _CEILING_PHRASES
        or any(word.endswith(c) for c in _CEILINGS if len(c) > 5)
    )


def _acts_on_a_cap(tokens: list[str], pos: int, measures: list[int], *, ceilings: bool) -> bool:
    """Whether the measure nearest a word caps something (``ceilings``) or forbids or caps it.

    Raising a cap loosens it ("raise the speed limit") where raising a tax or a quota of women on
    boards tightens it; lifting a ban or a cap removes it where lifting a wage raises it.
    """
    after = [m for m in measures if pos < m <= pos + 1 + MEASURE_WINDOW]
    before = [m for m in measures if pos - MEASURE_WINDOW_BEFORE <= m < pos]
    nearest = after[0] if after else (before[-1] if before else None)
    if nearest is None:
        return False
    if not ceilings:
        return tokens[nearest] in _LIFTED
    return _is_a_cap(tokens, nearest)


def _negated(tokens: list[str], kept: list[tuple[int, str, int]], segment: list[int]) -> set[int]:
    """Weakening words undone by a "without" just before them ("sans aucune dérogation")."""
    out: set[int] = set()
    for n, token in enumerate(tokens):
        if token not in _NEGATORS:
            continue
        following = [p for p, c, sign in kept if n < p <= n + 3 and segment[p] == segment[n] and sign < 0]
        if following:
            out.add(following[0])
    return out


def mentions_measure(text: str) -> bool:
    """Whether a text names a measure or a word that acts on one ("alcohol duties", "seek to delay")."""
    tokens = _tokens(text)
    return any(_is_measure_noun(tokens, i) for i in range(len(tokens))) or any(
        c in _MEASURE_WORDS for _, c, _ in _measure_cues(tokens)
    )


def items_beside_a_measure(items: Sequence[str]) -> list[str]:
    """The items of a red line about a measure to read one by one, or none to read it whole.

    "No money from tobacco companies or anyone lobbying against tobacco taxes" rules out an
    industry beside a behaviour: both items are read. A list of verbs or of measures ("lobby to
    block, water down or postpone packaging taxes or levies") and a relative clause that restricts
    every subject ("landlords or property groups THAT lobby against rent caps") are read whole.
    """
    on_measure = [i for i in items if measure_stance(i) is not None]
    industries = [i for i in items if measure_stance(i) is None and not mentions_measure(i)]
    if not on_measure or not industries or any(set(_tokens(i)) & _RELATIVES for i in on_measure):
        return []
    return [i for i in items if i in on_measure or i in industries]


def _segments(tokens: list[str]) -> list[int]:
    """The conjunct of each word: lists joined by "and", "or" or commas, in the four languages."""
    out: list[int] = []
    n = 0
    for t in tokens:
        if t in _JOINERS:
            n += 1
        out.append(n)
    return out


def measure_parts(text: str) -> list[str]:
    """The measures a text acts on one by one, when it lists several acts, or none.

    "Delay the coal phase-out and soften emissions limits" -> "emissions limits": each conjunct
    that names a measure (a measure noun of data/measures.yaml) and does not act on it the other
    way ("... and back the tobacco duty"). Conjuncts without a measure noun ("for juice makers and
    dairy farmers", "the coal phase-out") are left to the whole text's name.
    """
    whole = measure_stance(text)
    tokens, kept = _measure_words(text)
    segment = _segments(tokens)
    parts: dict[int, list[int]] = {}
    for i in kept:
        if tokens[i] not in _JOINERS:
            parts.setdefault(segment[i], []).append(i)
    if len(parts) < 2:
        return []
    out: list[str] = []
    for seg, group in parts.items():
        if not any(_is_measure_noun(tokens, i) for i in group):
            continue
        words = [t for t, s in zip(tokens, segment, strict=True) if s == seg]
        own = measure_stance(" ".join(words))
        # A conjunct with a verb of its own says its own stance ("and supports the tobacco duty"):
        # it shares the text's only when that verb reads the same way on the measure.
        if own != whole and (own is not None or any(w in _POSITIVE or w in _NEGATIVE for w in words)):
            continue
        out.append(" ".join(tokens[i] for i in group))
    return out


def _measure_words(text: str) -> tuple[list[str], list[int]]:
    """A text's tokens and the positions of the words that name the measure it acts on."""
    tokens = _tokens(text)
    # "Block any bill that weakens the ban on X" is about the ban on X, not the bill.
    relative = next((i for i, t in enumerate(tokens) if t in _RELATIVES), len(tokens))
    if _through_a_vehicle(tokens, relative) is not None:
        return _measure_words(" ".join(tokens[relative + 1 :]))
    drop: set[int] = set()
    cues = _measure_cues(tokens)
    for pos, cue, _ in cues:
        drop.update(range(pos, pos + len(cue.split())))
    # The measure is named after the first verb acting on one: "a trade association for snack
    # makers that is suing the government to block the new junk-food levy" names the levy, not its
    # makers. A verb after the first measure (German puts it last) leaves the name whole.
    first_measure = next((i for i in range(len(tokens)) if _is_measure_noun(tokens, i)), 0)
    start = next((pos for pos, cue, _ in cues if cue in _MEASURE_WORDS and pos < first_measure), 0)
    named = [i for i in range(start, len(tokens)) if i not in drop and _content(tokens[i])]
    if len(named) < 2:
        start = 0  # "lobbying to repeal the levy": a bare "levy" says less than the whole name
    kept = [
        i
        for i, t in enumerate(tokens)
        if i >= start and (i not in drop or _is_measure_noun(tokens, i)) and _content(t)
    ]
    return tokens, kept


def _content(word: str) -> bool:
    """A word that may name a measure: not a small word, an addressee, a figure or punctuation."""
    return (
        word not in _MEASURE_STOP
        and word not in _PURPOSIVE
        and word not in _COORDINATORS
        and word != ","
        and not _FIGURE.fullmatch(word)
    )


def measure_object(text: str) -> str:
    """The measure a text acts on: its words without stance cues, addressees, figures and small words.

    Control nouns stay ("delay the clean-air rules" -> "clean-air rules"), since they name it.
    """
    tokens, kept = _measure_words(text)
    return " ".join(tokens[i] for i in kept) or text
