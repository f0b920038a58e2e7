"""The words that signal stance and role: the cue vocabularies :mod:`polarity` composes by sign.

Verbs that push a topic or work against it, nouns that put a control or an exit on it, harm words,
set phrases, and the patterns for clauses, former ties and diversions. Kept apart from the rules
in :mod:`commonground.core.semantics.polarity` so the lexicon can be read and extended on its own.
"""

from __future__ import annotations

import re


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

# Permissions: controls in general, but permits for NEW activity enable it (polarity._match_cues).
_PERMISSIONS = _words("licensing licences licenses licence license permits permitting approvals")

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

_DISPLACING = {"instead of", "rather than", "away from", "switch from", "shift from", "switching from"}
_FIGURE = re.compile(r"[\d.,%&]+|half|third|thirds|quarter|new")

# "Our stores sell ...", "We run ...": who does it is the partner itself, so a red line is compared
# with what is done as well as with the whole sentence.
_SUBJECTS = ("we", "the company", "the firm", "the group")
