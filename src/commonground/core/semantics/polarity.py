"""Stance of a short text toward its topic: does it push the topic forward or work against it?

Embeddings place "sell cigarettes" and "help smokers quit" close together because both are about
tobacco; this module supplies the direction. It is a small, transparent lexicon of cue words
composed by sign, so that double negatives come out right:

- "reduce the sugar tax": reduce (−) × tax (a control on the topic, −) → pushes sugar (+);
- "lobby against a soda tax": against (−) × tax (−) → pro-soda (+);
- "increase smoking cessation": increase (+) × cessation (−) → against smoking (−).

Words that name a harm ("obesity", "emissions", "addiction") mark a text as working against the
industry behind that harm whatever the verb, because nobody sets out to grow a harm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from commonground.core.semantics.cues import (
    _ACTIVITY_NOUNS,
    _ARTICLES,
    _CLAUSE_BREAK,
    _CONTROL_NOUNS,
    _COORDINATORS,
    _DISPLACING,
    _DIVERSION,
    _EXIT_PARTS,
    _EXIT_VERBS,
    _FIGURE,
    _FORMER_PEOPLE,
    _HARM_REMEDIES,
    _HARMS,
    _IGNORED_PHRASES,
    _LAW_NOUNS,
    _LOW_DESCRIPTORS,
    _NEGATIVE,
    _NEUTRAL,
    _NOUN_MODIFIERS,
    _NOUN_USES,
    _PARTICLE_NEGATORS,
    _PAST,
    _PERMISSIONS,
    _PHRASES,
    _POSITIVE,
    _PRESENT,
    _REDUCTION_TARGET,
    _SENTENCE_END,
    _SHIELD_VERBS,
    _SUBJECTS,
    _TOKEN,
    _WEAK_CUES,
    _WEAK_NEGATIVE,
)

# "unclear" is never produced by the word rules: the embedding backstop in sectors.py gives it to
# a text about a sensitive sector whose wording has no explicit cue and sits between the sector's
# FOR and AGAINST prototypes.
Role = Literal["for", "against", "neutral", "unclear"]


@dataclass(frozen=True)
class Polarity:
    """How a text leans toward its topic.

    ``direction`` is the composed sign toward the literal topic (+1 pushes it, −1 works against
    it, 0 takes no side); ``role`` is the stance toward the activity or industry named, where a
    harm word always means "against"; ``cues`` are the words that decided it.
    """

    direction: int
    role: Role
    cues: tuple[str, ...]
    harm: bool
    controlled: bool = False  # a control word ("tax", "ban", "cessation") turned the topic around
    past: bool = False  # the text describes an ended or former tie ("used to", "formerly", "ended")
    # The word rules found a cue that decides the stance (not only generic doing-words such as
    # "runs" or "offers", and not the default "for" of a text with no cue at all).
    explicit: bool = True
    # Set when the embedding backstop decided the role: best AGAINST minus best FOR
    # stance-prototype similarity (positive leans against).
    stance_margin: float | None = None

    @property
    def sign(self) -> int:
        """+1 for, −1 against, 0 neutral (the role as a number)."""
        return {"for": 1, "against": -1, "neutral": 0, "unclear": 0}[self.role]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def _match_cues(tokens: list[str]) -> list[tuple[int, str, int]]:
    """Find cue words as (position, cue, sign), longest phrase first."""
    cues: list[tuple[int, str, int]] = []
    i = 0
    while i < len(tokens):
        three = " ".join(tokens[i : i + 3])
        two = " ".join(tokens[i : i + 2])
        word = tokens[i]
        if three in _IGNORED_PHRASES:
            i += 3
            continue
        if three in _PHRASES:
            cues.append((i, three, _PHRASES[three]))
            i += 3
            continue
        if two in _PHRASES:
            cues.append((i, two, _PHRASES[two]))
            i += 2
            continue
        if word in _NOUN_USES and i > 0 and tokens[i - 1] in _ARTICLES:
            i += 1
            continue
        # "End NEW oil and gas licensing": permits for new activity let it grow, so they name the
        # activity rather than a control on it (the licensing of existing shops is a control).
        if word in _PERMISSIONS and "new" in tokens[max(0, i - 5) : i]:
            i += 1
            continue
        negative_affix = (
            word.startswith("anti-")
            or (
                word.startswith(("low-", "lower-"))
                # "low-to-moderate-income", "low-cost-housing": any described part is a descriptor.
                and not any(part in _LOW_DESCRIPTORS for part in word.split("-")[1:])
            )
            or word.endswith("-free")
            or ("-" in word and any(part in _EXIT_PARTS for part in word.split("-")))
        )
        if word in _NEGATIVE or word in _PARTICLE_NEGATORS or word in _WEAK_NEGATIVE or negative_affix:
            cues.append((i, word, -1))
        elif word in _POSITIVE:
            cues.append((i, word, 1))
        elif word in _NEUTRAL:
            cues.append((i, word, 0))
        elif (word in _LAW_NOUNS and any(c[2] != 0 for c in cues)) or (
            word == "from" and any(t in _SHIELD_VERBS for t in tokens[:i])
        ):
            cues.append((i, word, -1))
        i += 1
    return cues


def _is_control(cue: str) -> bool:
    """A control on the topic: a control noun, or a place kept free of it ("smoke-free parks")."""
    return cue in _CONTROL_NOUNS or cue in _LAW_NOUNS or cue.endswith("-free")


def _clause_polarity(tokens: list[str]) -> tuple[int, list[str]]:
    kept = _clause_cues(tokens)
    signs = [s for _, _, s in kept]
    names = [c for _, c, _ in kept]
    if kept and all(s == 0 for s in signs):
        return 0, names
    direction = 1
    for s in signs:
        if s != 0:
            direction *= s
    return direction, names


def _clause_cues(tokens: list[str]) -> list[tuple[int, str, int]]:
    """The cues of one clause that carry its stance, after coordination and object rules."""
    cues = _match_cues(tokens)
    strong = [c for c in cues if c[1] not in _WEAK_NEGATIVE]
    if strong:
        cues = strong
    kept: list[tuple[int, str, int]] = []
    # Inside the object of a control noun or a study verb ("a levy ON sugary drinks and restrictions
    # ON junk-food advertising", "research ON marketing"): what follows is the topic, not a stance.
    in_object = False
    chain_end = 0
    for index, (pos, cue, sign) in enumerate(cues):
        width = len(cue.split())
        after = tokens[pos + width : pos + width + 2]
        if cue in _ACTIVITY_NOUNS and (in_object or (after[:1] and after[0] in _CONTROL_NOUNS)):
            continue
        if _is_control(cue) and kept and _is_control(kept[-1][1]) and kept[-1][2] == sign:
            # "taxes and advertising restrictions", "a levy on X and limits on Y": a list of
            # controls on the topic says "against" once, it does not cancel itself.
            gap = tokens[kept[-1][0] + len(kept[-1][1].split()) : pos]
            if any(t in _COORDINATORS for t in gap):
                continue
        if _is_control(cue) or sign == 0:
            in_object = True
        elif cue not in _ACTIVITY_NOUNS:
            in_object = False
        # "switch to growing vegetables", "retrain into solar": what follows is the destination,
        # not the topic, so the text stays against what it moves away from.
        if cue in _EXIT_VERBS and after[:1] and after[0] in ("to", "into", "as"):
            kept.append((pos, cue, sign))
            break
        # "fight to end X": the first verb only introduces the second, so it must not flip it again.
        if after[:1] == ["to"] and index + 1 < len(cues) and cues[index + 1][0] == pos + width + 1:
            continue
        # "ban and restrict X" / "reduce or prevent X": coordinated verbs say the same thing once,
        # however long the list ("delay, weaken or exempt X": the gap runs from the last of them).
        if kept:
            last_pos, last_cue, last_sign = kept[-1]
            gap = tokens[max(last_pos + len(last_cue.split()), chain_end) : pos]
            if gap and all(t in _COORDINATORS for t in gap) and last_sign == sign:
                chain_end = pos + width
                continue
            if not gap and last_cue in _NOUN_MODIFIERS and last_sign == sign:
                continue
        kept.append((pos, cue, sign))
    return kept


def _is_harm(token: str) -> bool:
    # A crude stem is enough: "harmed", "harming", "polluting" name the same harms.
    stems = {token, token.rstrip("s"), re.sub(r"(?:ed|ing)$", "", token), re.sub(r"(?:ed|ing)$", "e", token)}
    return bool(stems & _HARMS) or token in {"polluting", "polluted", "polluters"}


def _names_harm(clause: str) -> bool:
    """A harm word that is not only the name of a product made against it ("cancer drugs")."""
    # Sentence by sentence: the tokens drop the full stop, so in "… causes pollution. Tests are run
    # yearly." the next sentence's first word would otherwise read as the harm's product.
    for sentence in _SENTENCE_END.split(clause):
        tokens = _tokens(sentence)
        for i, token in enumerate(tokens):
            if not _is_harm(token):
                continue
            # "cancer and malaria drugs": the product may follow a list of what it treats.
            j = i + 1
            while j + 1 < len(tokens) and tokens[j] in _COORDINATORS:
                j += 2
            if j >= len(tokens) or tokens[j] not in _HARM_REMEDIES:
                return True
    return False


def polarity(text: str) -> Polarity:
    """Read the stance of ``text`` toward its topic (see the module docstring)."""
    clauses = [c for c in _CLAUSE_BREAK.split(text.lower()) if c.strip()]
    # The main clause carries the stance; "while ..." and "but ..." clauses qualify it.
    main = _tokens(clauses[0]) if clauses else []
    direction, cues = _clause_polarity(main)
    diversion = _DIVERSION.search(" ".join(main))
    target = _REDUCTION_TARGET.search(" ".join(main))
    if target is not None:
        cues = [*cues, target.group(0)]
        direction = -1
    harm = diversion is not None or (bool(clauses) and _names_harm(clauses[0]))
    former = _FORMER_PEOPLE.search(" ".join(main))
    if former is not None:
        # "Invests in training former oil workers for solar jobs": a transition away from the topic.
        cues = [*cues, former.group(0)]
        direction = -1
    if diversion is not None:
        cues = [*cues, f"{diversion.group(0).split()[0]} … {diversion.group('prep')}"]
        if direction > 0:
            # "Keep X out of Y" always works against Y, however the verbs' signs compose.
            direction = -1
    # The first cue is the verb; a control noun after it is what the verb acts on.
    controlled = any(_is_control(c) for c in cues[1:])
    role: Role
    if direction == 0:
        role = "neutral"
    elif harm or direction < 0:
        role = "against"
    else:
        role = "for"
    past = is_past(text) and former is None
    explicit = harm or any(c not in _WEAK_CUES for c in cues)
    return Polarity(
        direction=direction,
        role=role,
        cues=tuple(cues),
        harm=harm,
        controlled=controlled,
        past=past,
        explicit=explicit,
    )


def is_past(text: str) -> bool:
    """True when a text describes only an ended or former tie, not what the organisation does now.

    A text that also says the tie holds ("still", "now", "currently") is read as current, so a
    partner that "used to be a charity and now sells cigarettes" is not let off.
    """
    lowered = text.lower().replace("’", "'")
    return _PAST.search(lowered) is not None and _PRESENT.search(lowered) is None


def goal_object(text: str) -> str:
    """A goal with its direction words and figures taken out: what it is about, not which way.

    "Build 2,000 more parking spaces in the city centre" -> "parking spaces in the city centre",
    so two goals that push the same thing opposite ways can be compared on their object alone.
    """
    tokens = _tokens(text)
    # "Get commuters cycling INSTEAD OF driving": the goal works against what it displaces, so
    # that is its object when set against another goal.
    for i in range(len(tokens) - 1):
        if " ".join(tokens[i : i + 2]) in _DISPLACING and i + 2 < len(tokens):
            return goal_object(" ".join(tokens[i + 2 :]))
    drop: set[int] = set()
    for pos, cue, _ in _match_cues(tokens):
        drop.update(range(pos, pos + len(cue.split())))
    kept = [t for i, t in enumerate(tokens) if i not in drop and not _FIGURE.fullmatch(t)]
    return " ".join(kept) or text


# Prohibition wording in the languages red lines are read in (English, French, Spanish, German):
# the prohibition is implied by being a red line, and leaving "not" in would skew similarity.
_PROHIBITION = re.compile(
    r"^(?:"
    # "Nous ne travaillons pas avec ...", "Aucun partenariat avec ...", "Nous refusons les fonds de ..."
    r"(?:nous\s+)?(?:ne\s+|n')?(?:travaillons|collaborons|acceptons|prenons|voulons)\s+(?:pas|jamais|aucun\w*)"
    r"\s+(?:d'argent\s+|de\s+fonds\s+)?(?:avec\s+|de\s+|d')?"
    r"|nous\s+refusons\s+(?:tout\w*\s+)?(?:les\s+|le\s+|la\s+)?"
    r"|aucun\w*\s+(?:\w+\s+)?(?:avec|de|d'|du|des)\s*"
    # "No aceptamos financiación de ...", "Rechazamos a socios que ...", "Ningún patrocinio de ..."
    r"|no\s+(?:aceptamos|trabajamos|colaboramos|queremos|tomamos)\s+(?:con\s+|de\s+)?"
    r"|rechazamos\s+(?:a\s+)?(?:los\s+|las\s+)?"
    r"|ning[uú]n\w*\s+(?:\w+\s+)?(?:con|de|del)\s+"
    # "Keine Zusammenarbeit mit ...", "Wir arbeiten nicht mit ...", "Wir lehnen Partner ab, die ..."
    r"|keine\w*\s+(?:\w+\s+)?(?:mit|von|aus)\s+"
    r"|wir\s+(?:arbeiten|kooperieren|nehmen)\s+(?:nicht|nie)\s+(?:mit\s+|von\s+)?"
    r"|wir\s+lehnen\s+(?:\w+\s+)?ab,?\s+"
    # English last, so that "No aceptamos" is read as Spanish: "Our grants may not come from ...",
    # "Sponsors must not be ...", "Nothing to do with ...", "We will not accept money from ...",
    # "No funding from ...", "We refuse any association with ..."
    r"|(?:[\w']+\s+){0,2}?(?:may|must|can|shall)\s+(?:not|never)\s+(?:come\s+from|be)\s+"
    r"|nothing\s+to\s+do\s+with\s+"
    r"|(?:we\s+)?(?:will\s+|shall\s+|do\s+|does\s+)?(?:(?:take|accept|want|seek)\s+)?"
    r"(?:never|not|no|don't|won't|refuse\s+to|refuse|reject|exclude)\s+(?:any\s+)?"
    r"(?:(?:ever\s+)?(?:accept|take|work\s+with|partner\s+with|team\s+up\s+with|be\s+associated\s+with|"
    r"engage\s+with)\s+)?"
    r")",
    re.IGNORECASE,
)
# "... is refused", "... are excluded as partners": the prohibition said last.
_PROHIBITION_AFTER = re.compile(
    r"\s+(?:is|are)\s+(?:refused|excluded|not\s+accepted|not\s+eligible|off[\s-]limits|ruled\s+out)\b.*$",
    re.IGNORECASE,
)
# "companies that test on animals", "funding from firms involved in land grabs": who is ruled out
# is defined by what it does, so the wrapper says nothing about it (money from them is the same).
_WRAPPER = re.compile(
    r"^(?:(?:money|funding|funds|sponsorship|donations|grants|support|financiaci[oó]n|dinero|fondos|"
    r"patrocinio|fonds|argent|financement|gelder|geld|spenden)\s+(?:from|de|von|d')\s*)?"
    r"(?:any\s+|des\s+|les\s+|las\s+|los\s+)?"
    r"(?:companies|company|organisations|organizations|firms|businesses|groups|partners|anyone|those|bodies|"
    r"employers|suppliers|brands|entreprises|soci[ée]t[ée]s|organisations|partenaires|employeurs|empresas|"
    r"socios|organizaciones|compa[nñ][ií]as|empleadores|unternehmen|firmen|partner|konzerne|arbeitgeber)?"
    r"\s*,?\s*(?:that|which|who|whose|involved\s+in|engaged\s+in|qui|dont|que|die|welche)\s+",
    re.IGNORECASE,
)


def red_line_topic(text: str) -> str:
    """Strip the prohibition wording from a red line so only the thing it rules out remains."""
    # "We will not accept money from tobacco companies" -> "money from tobacco companies"; the same
    # in French, Spanish and German ("Nous refusons les entreprises qui ..." -> "emploient ...").
    lowered = text.strip()
    stripped = _PROHIBITION_AFTER.sub("", _PROHIBITION.sub("", lowered))
    stripped = _WRAPPER.sub("", stripped)
    # "association with the fur trade": the tie is implied too; what is ruled out is the fur trade.
    tie = re.compile(
        r"^(?:any\s+)?(?:association|associations|links?|ties|connections?|dealings)\s+(?:with|to)\s+(?:the\s+)?",
        re.IGNORECASE,
    )
    stripped = tie.sub("", stripped)
    return stripped or lowered


_LIST_BREAK = re.compile(
    r"\s*(?:,|;|\bor\b|\band\b|\bnor\b|/|\bet\b|\bou\b|\bni\b|\by\b|\bo\b|\bund\b|\boder\b|\bsowie\b)\s*",
    re.IGNORECASE,
)
_ITEM_HEAD = re.compile(r"^(.*\b(?:from|with|by|of|for|to|in|on)\s+)", re.IGNORECASE)


def red_line_items(topic: str) -> list[str]:
    """The things a red-line topic lists, each on its own, sharing the list's head.

    "money from weapons makers, tobacco firms or mining companies" -> ["money from weapons
    makers", "money from tobacco firms", "money from mining companies"]: one red line that names
    several industries is crossed by a partner in any ONE of them, which a comparison with the
    whole sentence dilutes. A topic that lists nothing gives an empty list.
    """
    parts = [p for p in _LIST_BREAK.split(topic.strip().rstrip(".")) if p and p.strip()]
    if len(parts) < 2:
        return []
    # "advertise or hand out baby milk formula" joins verbs of one behaviour, not things: an item
    # that is only a stance verb cannot stand alone, so such a topic is read whole.
    if any(all(t in _POSITIVE or t in _NEGATIVE or t in _NEUTRAL for t in _tokens(p)) for p in parts):
        return []
    # "money from weapons makers": what the first item says before its object is shared by the rest.
    # The latest head seen is shared by the items after it ("sponsorship or funding from makers of
    # sugary drinks, confectionery ..." -> "funding from makers of confectionery").
    items: list[str] = []
    head = ""
    for part in parts:
        own = _ITEM_HEAD.match(part)
        if own is not None:
            head = own.group(1)
            items.append(part)
        else:
            items.append(f"{head}{part}" if head else part)
    return list(dict.fromkeys(items))


def predicate(text: str) -> str | None:
    """The text without a leading subject ("Our stores sell fur coats" -> "sell fur coats"), if any.

    Only a subject ("we", "our <one or two words>") followed by a stance verb is stripped, so "Our
    mission is ..." is kept whole.
    """
    tokens = text.strip().split()
    lowered = [t.lower() for t in tokens]
    widths = [len(s.split()) for s in _SUBJECTS if " ".join(lowered[: len(s.split())]) == s]
    if lowered[:1] == ["our"]:
        widths += [2, 3]
    for width in widths:
        first = _tokens(" ".join(lowered[width : width + 1]))
        if first and (first[0] in _POSITIVE or first[0] in _NEGATIVE or first[0] in _NEUTRAL):
            return " ".join(tokens[width:])
    return None
