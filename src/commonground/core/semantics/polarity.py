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

# "unclear" is never produced by the word rules: the embedding backstop in sectors.py gives it to
# a text about a sensitive sector whose wording has no explicit cue and sits between the sector's
# FOR and AGAINST prototypes.
Role = Literal["for", "against", "neutral", "unclear"]


def _words(block: str) -> frozenset[str]:
    """A lexicon written as whitespace-separated words (kept compact and formatter-proof)."""
    return frozenset(block.split())


# Multi-word cues are matched before single words so "phase out" is not read as "out".
_PHRASES: dict[str, int] = {
    "phase out": -1,
    "phases out": -1,
    "phasing out": -1,
    "phased out": -1,
    "phase-out": -1,
    "shut down": -1,
    "shuts down": -1,
    "wind down": -1,
    "campaign against": -1,
    "campaigns against": -1,
    "campaigning against": -1,
    "lobby against": -1,
    "lobbies against": -1,
    "lobbying against": -1,
    "advocate against": -1,
    "speak out against": -1,
    "divest from": -1,
    "divests from": -1,
    "divesting from": -1,
    "move away from": -1,
    "switch from": -1,
    "switching from": -1,
    "shift from": -1,
    "shifting from": -1,
    "transition from": -1,
    "moving away from": -1,
    "transition away from": -1,
    "away from": -1,
    "out of": -1,
    "instead of": -1,
    "recover from": -1,
    "recovering from": -1,
    "free from": -1,
    "free of": -1,
    "hold to account": -1,
    # Weakening a rule is working against it ("water down access rules" -> for what they control).
    "water down": -1,
    "waters down": -1,
    "watering down": -1,
    "roll back": -1,
    "rolls back": -1,
    "rolling back": -1,
    "lobby for": 1,
    "lobbies for": 1,
    "lobbying for": 1,
    "campaign for": 1,
    "campaigns for": 1,
    "advocate for": 1,
    "advocates for": 1,
    "invest in": 1,
    "invests in": 1,
    "investing in": 1,
    "scale up": 1,
    "roll out": 1,
    "net zero": -1,
    "rather than": -1,
    # Minimum pricing is a control on the thing priced ("a minimum price per unit of alcohol").
    "minimum price": -1,
    "minimum prices": -1,
    "minimum pricing": -1,
    "minimum unit price": -1,
    "price floor": -1,
    # Trade bodies and lobby groups speak FOR their industry ("the voice of the betting industry").
    "voice of": 1,
    "trade body": 1,
    "trade bodies": 1,
    "trade association": 1,
    "industry body": 1,
    "industry association": 1,
    "on behalf of": 1,
    "speaks for": 1,
    "speak for": 1,
}

# Verbs that push their object down or away, and nouns that put a control, a cure or an exit on it.
_NEGATIVE = _words(
    """
    reduce reduces reducing end ends ending oppose opposes opposing eliminate eliminates eliminating
    ban bans banning fight fights fighting tackle tackles tackling prevent prevents preventing quit
    quits quitting cut cuts cutting stop stops stopping curb curbs curbing combat combats combating
    halve halves halving lower lowers lowering decrease decreases restrict restricts restricting
    limit limits limiting divest divests exit exits abolish abolishes boycott boycotts counter
    counters resist resists block blocks blocking minimise minimize minimises avoid avoids shrink
    scrap scraps repeal repeals remove removes close closes closing closure closures decommission
    decommissions
    eradicate eradicates beat treat treats treating cure cures overcome refuse refuses reject
    rejects regulate regulates regulating tax taxes taxing discourage discourages deter deters
    challenge challenges relax relaxes weaken weakens weakening loosen loosens delay delays delaying
    postpone postpones postponing postponed postponement exempt exempts exempting exempted exemption
    exemptions undermine undermines undermining dilute dilutes diluting suspend suspends suspending
    suspension waiver waivers pause pauses pausing defer defers deferring deferral against anti
    without decline declines replace replaces replacing wean detox levy levies duty duties
    regulation regulations rules restriction restrictions controls control cessation prevention
    reduction reductions moratorium warning warnings labelling labeling packaging treatment recovery
    rehabilitation rehab divestment cap caps alternatives alternative substitutes ceiling abstinence
    sobriety sober counselling counseling helpline helplines therapy licensing switch switches
    switching retrain retrains retraining reskill reskills reskilling diversify diversifies
    diversifying
    """
)

# Verbs of moving away from a topic toward something else ("switch to", "retrain as").
_EXIT_VERBS = _words(
    """
    switch switches switching retrain retrains retraining reskill reskills reskilling diversify
    diversifies diversifying
    """
)

# Parts of a hyphenated word that put an exit or a control on the rest ("quit-smoking clinics",
# "stop-smoking programmes", "harm-reduction service", "smoking-cessation"): the compound works
# against its topic, so a pro verb in front of it only carries that ("funds quit-smoking clinics").
_EXIT_PARTS = _words(
    """
    quit stop anti cessation reduction prevention treatment recovery rehab free ban limit limits
    control
    """
)
# Laws and standards are a control on what they govern only as the object of a stance verb
# ("lobbies against accessibility law", "campaigns for stronger gun laws"); on their own they name
# a field ("a refugee law centre") and take no side.
_LAW_NOUNS = _words("law laws legislation act acts standard standards")
# "Former smokers", "ex-miners", "former oil workers": people who have left the topic behind, so
# a text about them works against it (a transition), and it is not a past tie of the organisation.
_FORMER_PEOPLE = re.compile(
    r"\b(?:former|ex)[\s-]+(?:[a-z-]+\s+){0,2}?(?:workers|worker|smokers|smoker|drinkers|drinker|"
    r"gamblers|gambler|miners|miner|employees|staff|users|user|addicts|prisoners|players|growers|farmers)\b"
)

_POSITIVE = _words(
    """
    grow grows growing expand expands expanding expansion increase increases increasing sell sells
    selling sold promote promotes promoting lobby lobbies lobbying produce produces producing
    production manufacture manufactures manufacturing manufacturer make makes making market markets
    marketing fund funds funding finance finances financing support supports supporting distribute
    distributes distributing boost boosts develop develops developing build builds building open
    opens launch launches maximise maximize double doubles triple operate operates operating run
    runs running serve serves brew brews distil distils distill distills drill drills drilling mine
    mines extract extracts export exports import imports trade trades supply supplies sponsor
    sponsors sponsorship advertise advertises advertising raise raises improve improves improving
    strengthen protect protects protecting defend defends preserve conserve restore restores
    accelerate create creates deliver delivers provide provides providing offer offers help helps
    helping enable enables encourage encourages accept accepts introduce introduces extend extends
    win secure champion champions backs back advance advances sustain sustains welcome welcomes
    defending keep keeps more add adds adding represents represent representing enforce enforces
    enforced enforcing enforcement implement implements implemented implementing implementation
    uphold upholds tighten tightens
    """
)

# Generic doing-words: they say a text does something, not which way it leans toward a sector
# ("runs support services for ...", "offers live odds"). A text whose only cues are these (or that
# has no cue at all) has no explicit stance, and the embedding backstop may decide it.
_WEAK_CUES = _words(
    """
    run runs running operate operates operating provide provides providing offer offers deliver
    delivers help helps helping support supports supporting create creates develop develops
    developing enable enables more
    """
)

# Verbs that only describe looking at a topic: alone they take no side.
_NEUTRAL = _words(
    """
    research researches study studies studying monitor monitors measure measures track tracks map
    maps analyse analyses analyze investigate investigates evaluate evaluates understand document
    documents report reports
    """
)

# Harms: a text about one works against the industry that causes it, whatever its verb.
_HARMS = _words(
    """
    obesity overweight emissions emission pollution pollutants addiction addictions addicted harm
    harms harmful disease diseases deaths death poverty hunger violence abuse deforestation damage
    exploitation dependence dependency misuse overdose overdoses injuries inequality discrimination
    malnutrition diabetes cancer cancers litter warming co2 greenhouse decay problem binge bingeing
    affected
    casualties conflict war wars waste wastes wasted wasteful wastage landfill landfills
    """
)

# Nouns naming a control on a topic: "oppose the soda TAX" is about regulating soda, not nutrition.
_CONTROL_NOUNS = _words(
    """
    tax taxes levy levies duty duties ban bans regulation regulations rules restriction restrictions
    controls control limits cap caps moratorium warning warnings labelling labeling packaging
    cessation prevention reduction reductions treatment recovery rehabilitation rehab cuts
    alternatives substitutes counselling counseling helpline helplines therapy licensing
    """
) | {"minimum price", "minimum prices", "minimum pricing", "minimum unit price", "price floor"}

# Words that go into negation only when no verb carries the stance ("zero hunger").
_WEAK_NEGATIVE = {"zero", "net zero", "none"}
_PARTICLE_NEGATORS = {"no", "not", "never", "nor", "don't", "doesn't", "won't", "cannot", "can't"}
_COORDINATORS = {"and", "or", "&", ","}
# Control nouns that modify the next control noun ("plain packaging rules", "tobacco control laws").
_NOUN_MODIFIERS = _words(
    """
    packaging warning warnings labelling labeling control cessation prevention treatment recovery
    rehabilitation tax regulation restriction
    """
)
# Nouns for what an industry does ("advertising", "sponsorship"): next to a control noun they name
# what is controlled ("advertising restrictions", "limits on junk-food advertising", "research on
# marketing"), so they take no side of their own there.
_ACTIVITY_NOUNS = _words(
    """
    advertising marketing sponsorship sponsorships production manufacturing selling sales drilling
    mining lending funding financing lobbying supply trade imports exports markets promotion
    promotions
    """
)
# Set phrases that look like cues but take no side ("free of charge" is a price, not an exit).
_IGNORED_PHRASES = {"free of charge"}
# Cue verbs that are also everyday nouns: after an article they name a thing, not a stance
# ("sells cigarettes at the counter", "a treat", "the back of the shop").
_NOUN_USES = {"counter", "close", "treat", "block", "back"}
_ARTICLES = {"a", "an", "the", "our", "their", "its", "each", "every"}
_OBJECT_PREPOSITIONS = {"on", "of", "for", "to", "against"}
_SHIELD_VERBS = {"protect", "protects", "protecting", "shield", "shields", "safeguard", "keep", "keeps"}
# "Keep clothing OUT OF landfill", "divert food FROM landfill", "help people get OUT OF the house",
# "protect children FROM harm": the
# text works against the place or harm Y that X is kept from, not against X. Such a text names
# what it avoids, like a harm word, so it does not clash with one that pushes X itself ("collect
# used clothes for reuse").
_DIVERSION = re.compile(
    r"\b(?:keep|keeps|keeping|kept|divert|diverts|diverting|diverted|protect|protects|protecting|"
    r"shield|shields|shielding|safeguard|safeguards|save|saves|saving|rescue|rescues|rescuing|"
    r"free|frees|freeing|steer|steers|steering|redirect|redirects|redirecting|get|gets|getting|"
    r"lift|lifts|lifting|help|helps|helping)\b"
    r"(?:\s+[\w'’,-]+){1,8}?\s+(?P<prep>out\s+of|away\s+from|from)\b"
)
_CLAUSE_BREAK = re.compile(r"\b(?:while|whilst|but|although|though)\b|;")
_TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*|,|&")


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
        negative_affix = (
            word.startswith(("anti-", "low-", "lower-"))
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


def polarity(text: str) -> Polarity:
    """Read the stance of ``text`` toward its topic (see the module docstring)."""
    clauses = [c for c in _CLAUSE_BREAK.split(text.lower()) if c.strip()]
    # The main clause carries the stance; "while ..." and "but ..." clauses qualify it.
    main = _tokens(clauses[0]) if clauses else []
    direction, cues = _clause_polarity(main)
    diversion = _DIVERSION.search(" ".join(main))
    harm = diversion is not None or any(_is_harm(t) for t in main)
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


# Wording that puts a tie in the past ("we used to be funded by a casino", "formerly part of an
# oil group", "after our brewery deal ended"), and wording that says it still holds.
_PAST = re.compile(
    r"\b(?:used\s+to|formerly|former|previously|no\s+longer|in\s+the\s+past|until\s+(?:recently|last\s+year)|"
    r"was\s+once|were\s+once|ended|ceased|expired|lapsed|terminated|discontinued|ex-[a-z]+)\b"
)
_PRESENT = re.compile(r"\b(?:still|now|currently|today|continues?|continuing)\b")


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


_DISPLACING = {"instead of", "rather than", "away from", "switch from", "shift from", "switching from"}
_FIGURE = re.compile(r"[\d.,%&]+|half|third|thirds|quarter|new")


def red_line_topic(text: str) -> str:
    """Strip the prohibition wording from a red line so only the thing it rules out remains."""
    # "We will not accept money from tobacco companies" -> "money from tobacco companies": the
    # prohibition is implied by being a red line, and leaving "not" in would skew similarity.
    lowered = text.strip()
    pattern = re.compile(
        r"^(?:we\s+)?(?:will\s+|shall\s+|do\s+|does\s+)?(?:never|not|no|don't|won't|refuse\s+to)\s+"
        r"(?:(?:ever\s+)?(?:accept|take|work\s+with|partner\s+with|be\s+associated\s+with|engage\s+with)\s+)?",
        re.IGNORECASE,
    )
    stripped = pattern.sub("", lowered)
    # "companies that test on animals": the wrapper says nothing about what is ruled out.
    wrapper = re.compile(
        r"^(?:any\s+)?(?:companies|company|organisations|organizations|firms|businesses|groups|partners|"
        r"anyone|those|bodies)\s+(?:that|which|who)\s+",
        re.IGNORECASE,
    )
    stripped = wrapper.sub("", stripped)
    # "association with the fur trade": the tie is implied too; what is ruled out is the fur trade.
    tie = re.compile(
        r"^(?:any\s+)?(?:association|associations|links?|ties|connections?|dealings)\s+(?:with|to)\s+(?:the\s+)?",
        re.IGNORECASE,
    )
    stripped = tie.sub("", stripped)
    return stripped or lowered


# "Our stores sell ...", "We run ...": who does it is the partner itself, so a red line is compared
# with what is done as well as with the whole sentence.
_SUBJECTS = ("we", "the company", "the firm", "the group")


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
