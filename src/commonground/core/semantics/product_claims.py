"""The industries a statement says its organisation is in, by the products its own verbs act on.

"We make and sell pesticides", "Nous exploitons trois carrières de cuivre", "Wir züchten Nerze und
verkaufen die Felle": a doing verb of the organisation's own (make, sell, run, operate, finance ...)
whose object's head is one of an industry's products puts the organisation in that industry. This
is the issue's own rule for attributing a sector, read in words, in English, French, Spanish and
German alike, where the classifiers (trained mostly on English) fall below their thresholds.
:func:`claimed_industries` reads ``data/product_claims.yaml``; :func:`claim_vetting.vetted_claims`
keeps what the sector reading's vetoes allow (an explicit cue of working against, help to leave, an
ended tie, and in English the classifiers' agreement), and :func:`sectors.read_texts` places the text
in them.

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
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from commonground.core.semantics.cues import load_word_file, word_list
from commonground.core.semantics.languages import detect_language
from commonground.core.semantics.sector_map import load_sector_map

__all__ = [
    "PRODUCT_CLAIMS_VERSION",
    "Mention",
    "ObjectPhrase",
    "claimed_industries",
    "doing_verb_language",
    "language_of",
    "leading_products",
    "object_phrases",
    "product_mentions",
    "statement_tokens",
]

PRODUCT_CLAIMS_VERSION: str = str(load_word_file("product_claims.yaml")["version"])

_TOKEN = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*|\d+(?:[.,]\d+)*|,")
_ELIDED = re.compile(r"^(l|d|qu|s|n|j|c|m|t)'")
# How far into its clause a doing verb may stand: "Harbourside Brewing Company Ltd brews beer".
_LEAD = 8
_REACH = 12
_LANGUAGES = ("en", "fr", "es", "de")
_COMMA = ","
_ENDED = re.compile(
    r"\b(?:until|till|up to|jusqu'en|jusqu'à|hasta|bis)\s+(?:en\s+|el\s+|zum\s+jahr\s+)?((?:19|20)\d\d)\b"
    r"|\b(?:19|20)\d\d\s*(?:-|–|to|à|a|al|bis)\s*((?:19|20)\d\d)\b"
)
_VINTAGES = re.compile(r"\b(?:vintages?|millésimes?|añadas?|cosechas?|jahrg[aä]nge?)\b")
_GENITIVE_DE = frozenset({"des", "der", "eines", "einer"})
_ADDRESSED = frozenset({"sie", "wir", "du", "ihr"})
# German prepositions of place and time, and what may stand between one and its noun.
_ADVERBIAL_DE = frozenset({"in", "im", "seit", "bei", "am"})
_DETERMINERS_DE = frozenset(
    {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einem", "einer", "unserem", "unserer"}
    | {"unseren", "unsere", "über", "mehr", "als", "vielen", "allen", "ganz", "eigenen"}
)
_LINKERS = frozenset(
    {"de", "du", "des", "d", "del", "la", "le", "les", "l", "el", "los", "las", "à", "au", "aux"}
)


@dataclass(frozen=True)
class _Products:
    """Product words, phrases (tuples of tokens) and German stems, each with its industry."""

    words: Mapping[str, str]
    phrases: Mapping[tuple[str, ...], str]
    stems: tuple[tuple[str, str], ...]
    ignore: frozenset[tuple[str, ...]]
    longest: int
    verbs: frozenset[str] | None = None  # only with these verbs (None: any doing verb)


@dataclass(frozen=True)
class _Match:
    """A product named in a phrase: where it stands, its industry and its word as written."""

    start: int
    end: int  # exclusive
    sector: str
    word: str
    rest: str = ""  # what follows a German stem inside its token


Mention = _Match


@dataclass(frozen=True)
class _Rules:
    verbs: Mapping[str, frozenset[str]]  # language -> verbs
    stops: Mapping[str, frozenset[str]]
    linking_a: frozenset[str]
    articles: frozenset[str]
    relatives: frozenset[str]
    relatives_after_comma: frozenset[str]
    identity: frozenset[str]
    helping: frozenset[str]
    others: frozenset[str]
    participle_endings: Mapping[str, tuple[str, ...]]
    cancels: frozenset[str]  # negators, past markers, remedies and substitutes, people
    counter_stems: tuple[str, ...]
    coordinators: Mapping[str, frozenset[str]]
    containers: frozenset[str]
    heads: frozenset[str]
    heads_de: tuple[str, ...]
    endings_de: frozenset[str]
    fillers: frozenset[str]
    subjects: frozenset[str]
    separable_de: Mapping[str, str]  # finite verb -> the particle that ends its clause
    before_head: frozenset[str]  # French and Spanish words read past to find an object's head
    products: tuple[_Products, ...]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_base(t) for t in _TOKEN.findall(text.lower().replace("’", "'")) if t != _COMMA)


def _products(
    entries: Mapping[str, Any], ignore: frozenset[tuple[str, ...]], verbs: frozenset[str] | None
) -> _Products:
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    stems: list[tuple[str, str]] = []
    for sector, entry in entries.items():
        for word in word_list(entry.get("words", "")):
            words.setdefault(word.lower(), sector)
        for phrase in entry.get("phrases", []):
            tokens = _phrase(phrase)
            if len(tokens) > 1:
                phrases.setdefault(tokens, sector)
            else:
                words.setdefault(tokens[0], sector)
        stems.extend((stem.lower(), sector) for stem in word_list(entry.get("stems", "")))
    longest = max((len(p) for p in (*phrases, *ignore)), default=1)
    return _Products(MappingProxyType(words), MappingProxyType(phrases), tuple(stems), ignore, longest, verbs)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw = load_word_file("product_claims.yaml")
    lines = load_word_file("line_names.yaml")
    smap = load_sector_map()
    industries = frozenset(s.id for s in (*smap.sectors, *smap.screens) if not s.conduct)
    named = {str(r["sector"]) for r in raw["restricted"]} | set(raw["products"])
    if named - industries:
        raise ValueError(f"product_claims.yaml: products of unknown industries {sorted(named - industries)}")
    entries: dict[str, dict[str, Any]] = {}
    for sector in sorted(industries):
        names = lines["sectors"].get(sector, {})
        more = raw["products"].get(sector, {})
        entries[sector] = {
            "words": " ".join([*word_list(names.get("words", "")), *word_list(more.get("words", ""))]),
            "phrases": [*names.get("phrases", []), *more.get("phrases", [])],
            "stems": " ".join([*word_list(names.get("stems", "")), *word_list(more.get("stems", ""))]),
        }
    # A word read only with some verbs is not read with the others.
    held = {w.lower() for r in raw["restricted"] for w in word_list(r.get("words", ""))}
    held |= {w.lower() for w in word_list(raw.get("drop", ""))}
    for entry in entries.values():
        entry["words"] = " ".join(w for w in word_list(entry["words"]) if w.lower() not in held)
        entry["stems"] = " ".join(w for w in word_list(entry["stems"]) if w.lower() not in held)
    ignore = frozenset(_phrase(p) for p in (*lines.get("ignore", []), *raw["ignore"]))
    restricted = tuple(
        _products({str(r["sector"]): r}, ignore, word_list(r["verbs"])) for r in raw["restricted"]
    )
    return _Rules(
        verbs=MappingProxyType({lang: word_list(raw["verbs"][lang]) for lang in _LANGUAGES}),
        stops=MappingProxyType({lang: word_list(raw["stops"][lang]) for lang in _LANGUAGES}),
        linking_a=word_list(raw["linking_a"]),
        articles=word_list(raw["articles"]),
        relatives=word_list(raw["relatives"]),
        relatives_after_comma=word_list(raw["relatives_after_comma"]),
        identity=word_list(raw["identity"]),
        helping=word_list(raw["helping"]),
        others=word_list(raw["others"]),
        participle_endings=MappingProxyType(
            {lang: tuple(word_list(raw["participle_endings"][lang])) for lang in _LANGUAGES}
        ),
        cancels=word_list(raw["negators"])
        | word_list(raw["past"])
        | word_list(raw["counter"])
        | word_list(raw["people"]),
        counter_stems=tuple(word_list(raw["counter_stems"])),
        coordinators=MappingProxyType({lang: word_list(raw["coordinators"][lang]) for lang in _LANGUAGES}),
        containers=word_list(raw["containers"]),
        heads=word_list(raw["heads"]),
        heads_de=tuple(word_list(raw["heads_de"])),
        endings_de=word_list(raw["endings_de"]),
        fillers=word_list(raw["fillers"]),
        subjects=word_list(raw["subjects"]),
        separable_de=MappingProxyType({str(k): str(v) for k, v in raw["separable_de"].items()}),
        before_head=word_list(raw["articles"])
        | word_list(raw["containers"])
        | {"de", "du", "des", "del", "d"},
        products=(_products(entries, ignore, None), *restricted),
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


def _has_ended(sentence: str) -> bool:
    """A tie up to a year already begun or past ("until 2019"), not a plan ("Bis 2028 ... einführen")."""
    if _VINTAGES.search(sentence):
        return False  # "wines from the 2016 to 2021 vintages" are wines, not a tie that ended
    this_year = date.today().year
    return any(int(m.group(1) or m.group(2)) < this_year for m in _ENDED.finditer(sentence))


def product_mentions(tokens: list[str]) -> list[Mention]:
    """Every product of every industry the tokens name, with any verb, less ignore phrases."""
    seen: dict[tuple[int, str], Mention] = {}
    for products in _rules().products:
        for match in _matches(tokens, products):
            seen.setdefault((match.start, match.sector), match)
    return sorted(seen.values(), key=lambda m: (m.start, m.sector))


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


def _base(token: str) -> str:
    return _ELIDED.sub("", token)


def _cancels(token: str, rules: _Rules) -> bool:
    """A negation, past marker, remedy, substitute or people word (whole, by its parts, or a stem)."""
    if token.startswith("n'") or token.endswith("n't") or _base(token) in rules.cancels:
        return True
    if "-" in token and any(part in rules.cancels for part in token.split("-")):
        return True
    return any(stem in token for stem in rules.counter_stems)


def _is_relative(tokens: list[str], i: int, language: str, rules: _Rules) -> bool:
    token = tokens[i]
    if token in rules.relatives or token.startswith("qu'"):
        return True
    return language == "de" and token in rules.relatives_after_comma and i > 0 and tokens[i - 1] == _COMMA


def _own_verb(tokens: list[str], verb: int, language: str, rules: _Rules) -> bool:
    """Whether the doing verb at ``verb`` is the organisation's own, read back to its clause's start."""
    if _cancels(tokens[verb], rules):  # "n'exploitons plus"
        return False
    start = verb
    while start > 0 and tokens[start - 1] != _COMMA:
        start -= 1
    lead = tokens[start:verb]
    if verb - start > _LEAD:
        return False
    relative = next(
        (start + k for k in range(len(lead)) if _is_relative(tokens, start + k, language, rules)), None
    )
    if relative is None and start > 0 and _is_relative(tokens, start, language, rules):
        relative = start
    if relative is not None:
        # "We are a family business that makes cigars": the relative describes the organisation
        # only when the sentence before it says what the organisation is.
        before = tokens[:relative]
        if not any(t in rules.identity for t in before) or any(_blocks(t, language, rules) for t in before):
            return False
        lead = tokens[relative + 1 : verb]
    if lead and len(lead[-1]) > 5 and lead[-1].endswith(rules.participle_endings[language]):
        return False
    if any(_blocks(t, language, rules) for t in lead):
        return False
    # Only the organisation may be the subject: "we", "our company", "Notre distillerie", or nothing
    # ("Operates mink farms"); coordinated verbs ("we brew and sell") and numbers pass.
    return all(_may_lead(t, rules) for t in lead)


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
    for i in range(verb + 1, min(len(tokens), verb + 1 + _REACH)):
        token = tokens[i]
        base = _base(token)
        if base in rules.linking_a and language == "fr":
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if following and following not in rules.articles and not following.startswith(("l'", "d'")):
                reach.append(token)
                continue
        if base in rules.stops[language] or _is_relative(tokens, i, language, rules) or base in rules.others:
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
        for products in rules.products:
            if products.verbs is not None and not chain & products.verbs:
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


def _matches(phrase: list[str], products: _Products) -> list[_Match]:
    """Every product named in the phrase, longest phrases first, with where it stands."""
    found: list[_Match] = []
    i = 0
    while i < len(phrase):
        for width in range(min(products.longest, len(phrase) - i), 1, -1):
            window = tuple(_base(t) for t in phrase[i : i + width])
            if window in products.ignore:
                i += width
                break
            if window in products.phrases:
                found.append(_Match(i, i + width, products.phrases[window], " ".join(phrase[i : i + width])))
                i += width
                break
        else:
            token = _base(phrase[i])
            parts = [token, *token.split("-")] if "-" in token else [token]
            word = next((p for p in parts if p in products.words), None)
            if word is not None:
                found.append(_Match(i, i + 1, products.words[word], phrase[i]))
            else:
                for stem, sector in products.stems:
                    at = token.find(stem)
                    if at >= 0:
                        found.append(_Match(i, i + 1, sector, phrase[i], token[at + len(stem) :]))
            i += 1
    return found


def _is_head(match: _Match, phrase: list[str], language: str, rules: _Rules) -> bool:
    """Whether the product is what the object is, not a word describing something else."""
    if language == "de":
        # German compounds end in their head: "Braunkohletagebau", "Tabakwaren", not "Pelzimitate".
        last = match.end == len(phrase)
        rest = match.rest.split("-")[-1] if "-" in match.rest else match.rest
        return last and (not rest or rest in rules.endings_de or rest.startswith(rules.heads_de))
    if match.rest and match.rest not in rules.endings_de:
        return False
    if language == "en":
        # "oil paintings" are paintings; "oil wells" and "betting shops" stay the trade.
        return match.end == len(phrase) or (match.end == len(phrase) - 1 and _base(phrase[-1]) in rules.heads)
    head = next((k for k, t in enumerate(phrase) if _base(t) not in rules.before_head), None)
    if head is None:
        return False
    # "vinaigre de cidre" is vinegar; "mines d'uranium" and "produits du tabac" are the trade, the
    # product right after the head ("logiciels de blocage des sites de paris" are no betting).
    if match.start == head:
        return True
    if _base(phrase[head]) not in rules.heads:
        return False
    after = head + 1
    while after < len(phrase) and _base(phrase[after]) in _LINKERS:
        after += 1
    return match.start == after
