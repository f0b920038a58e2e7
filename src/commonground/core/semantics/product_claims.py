"""The industries a statement says its organisation is in, by the products its own verbs act on.

"We make and sell pesticides", "Nous exploitons trois carrières de cuivre", "Wir züchten Nerze und
verkaufen die Felle": a doing verb of the organisation's own (make, sell, run, operate, finance ...)
whose object's head is one of an industry's products puts the organisation in that industry. This
is the issue's own rule for attributing a sector, read in words, in English, French, Spanish and
German alike, where the classifiers (trained mostly on English) fall below their thresholds.
:func:`claimed_industries` reads ``data/product_claims.yaml`` (loaded and matched by
:mod:`claim_rules`; sales to the trade and products before "that we make" are read by
:mod:`claim_clauses`); :func:`claim_vetting.vetted_claims` keeps what the sector reading's vetoes
allow (an explicit cue of working against, help to leave, an ended tie, and in English the
classifiers' agreement), and :func:`sectors.read_texts` places the text in them.

The reading is narrow on purpose, since a false "you are in the harm you fight" costs more trust
than a miss, and each limit answers a false alarm that a review found: only the organisation may be
the verb's subject ("we", "our company", nothing); the object ends at the first preposition other
than "of" and its head must be the product ("oil paintings" are paintings, "vinaigre de cidre" is
vinegar, "Pelzimitate" are imitations); a negation, a past marker, a remedy, a substitute or people
anywhere in the clause cancel it; drinks, bare "oil", medicines, metals and quarries count only with
the trade's own verbs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from commonground.core.semantics.claim_clauses import relative_claims, sold_to_trade
from commonground.core.semantics.claim_rules import COMMA as _COMMA
from commonground.core.semantics.claim_rules import LANGUAGES as _LANGUAGES
from commonground.core.semantics.claim_rules import TOKEN as _TOKEN
from commonground.core.semantics.claim_rules import Mention, product_mentions
from commonground.core.semantics.claim_rules import Rules as _Rules
from commonground.core.semantics.claim_rules import base as _base
from commonground.core.semantics.claim_rules import cancels as _cancels
from commonground.core.semantics.claim_rules import has_ended as _has_ended
from commonground.core.semantics.claim_rules import is_head as _is_head
from commonground.core.semantics.claim_rules import is_relative as _is_relative
from commonground.core.semantics.claim_rules import matches as _matches
from commonground.core.semantics.claim_rules import rules as _rules
from commonground.core.semantics.cues import load_word_file
from commonground.core.semantics.languages import detect_language

__all__ = [
    "PRODUCT_CLAIMS_VERSION",
    "Mention",
    "ObjectPhrase",
    "claimed_industries",
    "doing_verb_language",
    "language_of",
    "leading_products",
    "object_phrases",
    "own_verb",
    "product_mentions",
    "statement_tokens",
]

PRODUCT_CLAIMS_VERSION: str = str(load_word_file("product_claims.yaml")["version"])

# How far into its clause a doing verb may stand: "Harbourside Brewing Company Ltd brews beer".
_LEAD = 8
_REACH = 12
_GENITIVE_DE = frozenset({"des", "der", "eines", "einer"})
_ADDRESSED = frozenset({"sie", "wir", "du", "ihr"})
# German prepositions of place and time, and what may stand between one and its noun.
_ADVERBIAL_DE = frozenset({"in", "im", "seit", "bei", "am"})
_DETERMINERS_DE = frozenset(
    {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einem", "einer", "unserem", "unserer"}
    | {"unseren", "unsere", "über", "mehr", "als", "vielen", "allen", "ganz", "eigenen"}
)


def claimed_industries(text: str) -> Mapping[str, str]:
    """Each industry whose products the text says its organisation makes, sells, runs or finances."""
    return MappingProxyType(_claimed(unicodedata.normalize("NFC", text)))


@lru_cache(maxsize=4096)
def _claimed(text: str) -> dict[str, str]:
    rules = _rules()
    code = language_of(text)
    found: dict[str, str] = {}
    for sentence in _statements(text):
        # "De 1950 à 2015, la famille cultive le tabac", "Importamos cerveza hasta 2020": a tie
        # that ended in a year, told in the present.
        if _has_ended(sentence):
            continue
        tokens = _TOKEN.findall(sentence)
        for position, token in enumerate(tokens):
            split = _separable_clause(tokens, position, rules)
            if split is not None:
                if _own_verb(split, position, "de", rules):
                    for sector, word in _object_names(split, position, "de", rules).items():
                        found.setdefault(sector, word)
                continue
            languages = [lang for lang in _LANGUAGES if _base(token) in rules.verbs[lang]]
            if not languages:
                continue
            # The verb's own language, unless it is a word of two ("produce", "finance").
            language = languages[0] if len(languages) == 1 else code if code in languages else languages[0]
            if _own_verb(tokens, position, language, rules):
                for sector, word in _object_names(tokens, position, language, rules).items():
                    found.setdefault(sector, word)
        for sector, word in relative_claims(tokens, code).items():
            found.setdefault(sector, word)
    return found


@lru_cache(maxsize=4096)
def language_of(text: str) -> str:
    """The identifier's language of a text, asked once per text (claims and their veto both ask)."""
    return detect_language(text)[0]


def _statements(text: str) -> list[str]:
    """The text's sentences, lower-cased, less questions ("Verkaufen Sie Zigaretten?" says nothing)."""
    parts = re.split(r"(?<=[.;:!?\n])", text.lower().replace("’", "'"))
    return [
        _ONLY.sub(_only, p.rstrip(".;:!\n ")) for p in parts if p.strip() and not p.rstrip().endswith("?")
    ]


# "Nous ne produisons que des spiritueux", "No solo elaboramos vino", "Wir brauen nicht nur Bier":
# words of "only" and "not only" that look like negations.
_ONLY = re.compile(
    r"\bn(?:e |')(\w+) qu(?:e\b|')|\b(?:no|not) (?:solo|sólo|solamente|only)\b\s*|\bnicht nur\b\s*"
)


def _only(match: re.Match[str]) -> str:
    return f"{match.group(1)} " if match.group(1) else ""


def _separable_clause(tokens: list[str], verb: int, rules: _Rules) -> list[str] | None:
    """The clause up to a German split verb's particle ("stellen Zigaretten her"), or None."""
    particle = rules.separable_de.get(tokens[verb])
    if particle is None:
        return None
    # "Stellen Sie Zigaretten her?", "Bauen wir Tabak an?": a verb in first place with its subject
    # after it asks or bids; a statement puts the subject first ("Stellt Zigaretten her" has none).
    opens = verb == 0 or tokens[verb - 1] == _COMMA
    if opens and verb + 1 < len(tokens) and tokens[verb + 1] in _ADDRESSED:
        return None
    end = verb + 1
    while end < len(tokens) and tokens[end] != _COMMA:
        end += 1
    if end - verb < 3 or tokens[end - 1] != particle:
        return None
    # "Wir bauen in Franken Tabak an", "Wir stellen seit 1890 Zigarren in Handarbeit her": a phrase of
    # place or time between the verb and its particle is not the object. Material and purpose stay
    # ("Zigaretten aus Schokolade", "Filter für Zigaretten"): they end the object as elsewhere.
    middle: list[str] = []
    k = verb + 1
    while k < end - 1:
        if tokens[k] in _ADVERBIAL_DE:
            k += 1
            # "seit über hundert Jahren", "seit 20 Jahren"; a year is the noun itself ("seit 1890").
            while k < end - 2 and (
                tokens[k] in _DETERMINERS_DE or (tokens[k].isdigit() and len(tokens[k]) < 4)
            ):
                k += 1
            k += 1  # the phrase's noun
            continue
        middle.append(tokens[k])
        k += 1
    if not middle:
        return None
    return [*tokens[: verb + 1], *middle]


# What other readers of the same grammar share (supplies.py reads where a product is NOT the
# object's head: "wine glasses", "software to casinos").


def statement_tokens(text: str) -> list[list[str]]:
    """Each statement's tokens, lower-cased (questions left out; commas kept as tokens)."""
    return [_TOKEN.findall(s) for s in _statements(unicodedata.normalize("NFC", text))]


def leading_products(token: str) -> list[tuple[str, str]]:
    """Each industry whose product word begins a German compound, with the rest ("Weingläser")."""
    out: list[tuple[str, str]] = []
    for products in _rules().products:
        for word, sector in products.words.items():
            if len(word) >= 3 and len(token) > len(word) + 2 and token.startswith(word):
                out.append((sector, token[len(word) :]))
    return out


def doing_verb_language(tokens: list[str], i: int, code: str, *, own: bool = True) -> str | None:
    """The language of the doing verb at ``i`` (``own``: the organisation's own), or None."""
    rules = _rules()
    languages = [lang for lang in _LANGUAGES if _base(tokens[i]) in rules.verbs[lang]]
    if tokens[i] in rules.separable_de:
        languages = languages or ["de"]
    if not languages:
        return None
    language = languages[0] if len(languages) == 1 else code if code in languages else languages[0]
    return language if not own or _own_verb(tokens, i, language, rules) else None


def own_verb(tokens: list[str], i: int, language: str) -> bool:
    """Whether the verb at ``i`` (any verb, in ``language``) is the organisation's own by its clause."""
    return _own_verb(tokens, i, language, _rules())


@dataclass(frozen=True)
class ObjectPhrase:
    """One noun phrase of a verb's object: its tokens' span, its head word and its first word."""

    start: int
    end: int  # exclusive
    head: str
    first: str  # after articles and numbers: "des bouteilles vides" -> "bouteilles"


def object_phrases(tokens: list[str], verb: int, language: str) -> tuple[list[ObjectPhrase], int]:
    """The noun phrases of a verb's object, and where the object ends.

    The object runs as far as the claims read it (to a preposition other than "of", a relative word
    or a third party). A phrase's head is its last word in English and German, its first after
    articles, numbers and containers in French and Spanish ("botellas de vidrio" is glass).
    """
    rules = _rules()
    end = verb + 1
    while end < len(tokens) and end < verb + 1 + _REACH:
        base = _base(tokens[end])
        if base in rules.linking_a and language == "fr":
            following = tokens[end + 1] if end + 1 < len(tokens) else ""
            if following and following not in rules.articles and not following.startswith(("l'", "d'")):
                end += 1
                continue
        if (
            base in rules.stops[language]
            or _is_relative(tokens, end, language, rules)
            or base in rules.others
        ):
            break
        if language == "de" and base in _GENITIVE_DE and end > verb + 1:
            break
        end += 1
    phrases: list[ObjectPhrase] = []
    start = verb + 1
    for k in range(verb + 1, end + 1):
        if k < end and tokens[k] != _COMMA and tokens[k] not in rules.coordinators[language]:
            continue
        # "make and sell X": the second verb joins the first ("make bottles": a last word is a noun).
        while start < k - 1 and any(_base(tokens[start]) in rules.verbs[lang] for lang in _LANGUAGES):
            start += 1
        phrase = _noun_phrase(tokens[start:k], language, rules)
        words = [t for t in phrase if not t.isdigit() and _base(t) not in rules.articles]
        if language in ("en", "de"):
            head = phrase[-1] if phrase else None
        else:
            # "botellas para bodegas": a container alone is its own head.
            head = next((t for t in words if _base(t) not in rules.before_head), words[0] if words else None)
        if head is not None:
            phrases.append(ObjectPhrase(start, k, _base(head), _base(words[0]) if words else ""))
        start = k + 1
    return phrases, end


def _own_verb(tokens: list[str], verb: int, language: str, rules: _Rules) -> bool:
    """Whether the doing verb at ``verb`` is the organisation's own, read back to its clause's start."""
    if _cancels(tokens[verb], rules):  # "n'exploitons plus"
        return False
    start = verb
    while start > 0 and tokens[start - 1] != _COMMA:
        start -= 1
    lead = tokens[start:verb]
    # "Our members and we grow tobacco", "Unser Vermieter und wir betreiben": "we" beside another,
    # when nothing before them cancels or makes it a condition ("Si nos membres et nous ...").
    for k in range(len(lead) - 1, 0, -1):
        if lead[k] in rules.first_person and _base(lead[k - 1]) in rules.coordinators[language]:
            if any(_cancels(t, rules) or _base(t) in rules.conditionals for t in lead[: k - 1]):
                return False
            lead, start = lead[k:], start + k
            break
    if verb - start > _LEAD:
        return False
    if (
        lead
        and _base(lead[-1]) in rules.coordinators[language]
        and _second_verb_of_we(tokens, start, verb, language, rules)
    ):
        return True
    relative = next(
        (start + k for k in range(len(lead)) if _is_relative(tokens, start + k, language, rules)), None
    )
    if relative is None and start > 0 and _is_relative(tokens, start, language, rules):
        relative = start
    if relative is not None:
        # "We are a family business that makes cigars": the relative describes the organisation
        # only when the sentence before it says what the organisation is.
        before = tokens[:relative]
        # "C'est nous qui exploitons le casino": the relative's subject is "we".
        ours = (
            bool(before) and before[-1] in rules.first_person and not any(_cancels(t, rules) for t in before)
        )
        if not ours and (
            not any(t in rules.identity for t in before) or any(_blocks(t, language, rules) for t in before)
        ):
            return False
        lead = tokens[relative + 1 : verb]
    if lead and len(lead[-1]) > 5 and lead[-1].endswith(rules.participle_endings[language]):
        return False
    if any(_blocks(t, language, rules) for t in lead):
        return False
    # Only the organisation may be the subject: "we", "our company", "Notre distillerie", or nothing
    # ("Operates mink farms"); coordinated verbs ("we brew and sell") and numbers pass.
    return all(_may_lead(t, rules) for t in lead)


def _second_verb_of_we(tokens: list[str], start: int, verb: int, language: str, rules: _Rules) -> bool:
    """Whether the verb after "and" is the organisation's second: "We are the landlord and run ...".

    The clause must open with "we" and a verb of its own ("Somos", "Wir sind", "We own"; in French
    and Spanish the verbs' endings may say "we"), the word before "and" must not be a verb ("We
    believe the city owns and runs ...") and nothing may cancel, condition or relate in between.
    """
    first = start + 1 if tokens[start] in rules.first_person else start
    if first >= verb - 1:
        return False
    opening = _base(tokens[first])
    if first > start and first == verb - 2 and not _cancels(tokens[first], rules):
        return True  # "we design and sell", "wir fördern und verkaufen": two verbs of ours
    known = opening in rules.identity or opening in rules.separable_de
    if not known and not any(opening in rules.verbs[lang] for lang in _LANGUAGES):
        return False
    if first == start and not (
        language in ("fr", "es")
        and opening.endswith(rules.first_plural_endings)
        and _base(tokens[verb]).endswith(rules.first_plural_endings)
    ):
        return False
    if any(_base(tokens[verb - 2]) in rules.verbs[lang] for lang in _LANGUAGES):
        return False
    return not any(
        _is_relative(tokens, k, language, rules)
        or _cancels(tokens[k], rules)
        or _base(tokens[k]) in rules.conditionals
        or _base(tokens[k]) in rules.helping
        for k in range(first + 1, verb)
    )


def _may_lead(token: str, rules: _Rules) -> bool:
    base = _base(token)
    return (
        base in rules.subjects
        or base in rules.containers
        or base.isdigit()
        or any(base in rules.coordinators[lang] or base in rules.verbs[lang] for lang in _LANGUAGES)
    )


def _blocks(token: str, language: str, rules: _Rules) -> bool:
    base = _base(token)
    return (
        _cancels(token, rules)
        or base in rules.helping
        or base in rules.others
        or base in rules.stops[language]
        or base in rules.relatives
    )


def _object_names(tokens: list[str], verb: int, language: str, rules: _Rules) -> dict[str, str]:
    """The industries named by the head of the verb's object, or none when something cancels it."""
    chain = {_base(tokens[verb])}
    reach: list[str] = []
    stop = len(tokens)
    for i in range(verb + 1, min(len(tokens), verb + 1 + _REACH)):
        token = tokens[i]
        base = _base(token)
        if base in rules.linking_a and language == "fr":
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if following and following not in rules.articles and not following.startswith(("l'", "d'")):
                reach.append(token)
                continue
        if base in rules.stops[language] or _is_relative(tokens, i, language, rules) or base in rules.others:
            stop = i
            break
        # "die Kantine der Brauerei": a German genitive after the object is the counterpart of "of".
        if language == "de" and base in _GENITIVE_DE and reach:
            break
        if _cancels(token, rules):
            return {}
        # As written, for the evidence ("mines d'or"); every comparison below reads the base form.
        reach.append(token)
    found: dict[str, str] = {}
    for conjunct in _conjuncts(reach, rules.coordinators[language]):
        # "make and sell X": the second verb joins the first.
        while conjunct and any(_base(conjunct[0]) in rules.verbs[lang] for lang in _LANGUAGES):
            chain.add(_base(conjunct.pop(0)))
        phrase = _noun_phrase(conjunct, language, rules)
        # Donated medicines sent to hospitals are aid, not the trade.
        gifts = any(_base(t) in rules.trade_gifts for t in reach)
        to_trade = bool(chain & rules.trade_verbs) and not gifts and sold_to_trade(tokens, stop)
        for products in rules.products:
            allowed = products.verbs is None or chain & products.verbs
            if not allowed and not (to_trade and products.sectors <= rules.trade_sectors):
                continue
            for match in _matches(phrase, products):
                if _is_head(match, phrase, language, rules):
                    found.setdefault(match.sector, match.word)
    return found


def _conjuncts(reach: list[str], coordinators: frozenset[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for token in reach:
        if token == _COMMA or token in coordinators:
            out.append([])
        else:
            out[-1].append(token)
    return [c for c in out if c]


def _noun_phrase(conjunct: list[str], language: str, rules: _Rules) -> list[str]:
    """The part of a conjunct its head is read from: trailing fillers off, past a container's "of"."""
    phrase = list(conjunct)
    while phrase and (_base(phrase[-1]) in rules.fillers or phrase[-1].isdigit()):
        phrase.pop()
    if language == "en" and "of" in phrase:
        cut = phrase.index("of")
        # "a chain of 80 pubs" is pubs; "guided tours of the old copper mine" are tours.
        phrase = phrase[cut + 1 :] if cut > 0 and phrase[cut - 1] in rules.containers else phrase[:cut]
    return phrase
