"""The product-claim rules as data: which words name which industry's products, and how a product is matched.

Loaded once from ``data/product_claims.yaml`` (and the industries' names in
``data/line_names.yaml``) for :mod:`product_claims`, which reads a statement's grammar, and for the
readers built on it (:mod:`claim_clauses`, :mod:`supplies`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from commonground.core.semantics.cues import load_word_file, word_list
from commonground.core.semantics.sector_map import load_sector_map

TOKEN = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*|\d+(?:[.,]\d+)*|,")
COMMA = ","
LANGUAGES = ("en", "fr", "es", "de")
_ELIDED = re.compile(r"^(l|d|qu|s|n|j|c|m|t)'")
_ENDED = re.compile(
    r"\b(?:until|till|up to|jusqu'en|jusqu'à|hasta|bis)\s+(?:en\s+|el\s+|zum\s+jahr\s+)?((?:19|20)\d\d)\b"
    r"|\b(?:19|20)\d\d\s*(?:-|–|to|à|a|al|bis)\s*((?:19|20)\d\d)\b"
)
_VINTAGES = re.compile(r"\b(?:vintages?|millésimes?|añadas?|cosechas?|jahrg[aä]nge?)\b")

_LINKERS = frozenset(
    {"de", "du", "des", "d", "del", "la", "le", "les", "l", "el", "los", "las", "à", "au", "aux"}
)


@dataclass(frozen=True)
class Products:
    """Product words, phrases (tuples of tokens) and German stems, each with its industry."""

    words: Mapping[str, str]
    phrases: Mapping[tuple[str, ...], str]
    stems: tuple[tuple[str, str], ...]
    ignore: frozenset[tuple[str, ...]]
    longest: int
    verbs: frozenset[str] | None = None  # only with these verbs (None: any doing verb)

    @property
    def sectors(self) -> frozenset[str]:
        """The industries these products name."""
        return frozenset({*self.words.values(), *self.phrases.values(), *(s for _, s in self.stems)})


@dataclass(frozen=True)
class Match:
    """A product named in a phrase: where it stands, its industry and its word as written."""

    start: int
    end: int  # exclusive
    sector: str
    word: str
    rest: str = ""  # what follows a German stem inside its token


Mention = Match


@dataclass(frozen=True)
class Rules:
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
    products: tuple[Products, ...]
    first_person: frozenset[str]  # "we" as a subject, in each language
    conditionals: frozenset[str]
    first_plural_endings: tuple[str, ...]  # a verb that says "we" by its ending ("explotamos")
    trade_sectors: frozenset[str]  # restricted products whose sale to the trade is the trade
    trade_verbs: frozenset[str]
    trade_prepositions: frozenset[str]
    trade_customers: frozenset[str]
    trade_gifts: frozenset[str]
    trade_not_customers: frozenset[str]  # a possessive or "of": the customer is someone's
    beside_we: frozenset[str]  # words between "we" and its verb in a relative clause
    main_verbs: frozenset[str]  # English words that open the main clause after a relative one
    third_person_endings: Mapping[str, tuple[str, ...]]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(base(t) for t in TOKEN.findall(text.lower().replace("’", "'")) if t != COMMA)


def _products(
    entries: Mapping[str, Any], ignore: frozenset[tuple[str, ...]], verbs: frozenset[str] | None
) -> Products:
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
    return Products(MappingProxyType(words), MappingProxyType(phrases), tuple(stems), ignore, longest, verbs)


@lru_cache(maxsize=1)
def rules() -> Rules:
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
    return Rules(
        verbs=MappingProxyType({lang: word_list(raw["verbs"][lang]) for lang in LANGUAGES}),
        stops=MappingProxyType({lang: word_list(raw["stops"][lang]) for lang in LANGUAGES}),
        linking_a=word_list(raw["linking_a"]),
        articles=word_list(raw["articles"]),
        relatives=word_list(raw["relatives"]),
        relatives_after_comma=word_list(raw["relatives_after_comma"]),
        identity=word_list(raw["identity"]),
        helping=word_list(raw["helping"]),
        others=word_list(raw["others"]),
        participle_endings=MappingProxyType(
            {lang: tuple(word_list(raw["participle_endings"][lang])) for lang in LANGUAGES}
        ),
        cancels=word_list(raw["negators"])
        | word_list(raw["past"])
        | word_list(raw["counter"])
        | word_list(raw["people"]),
        counter_stems=tuple(word_list(raw["counter_stems"])),
        coordinators=MappingProxyType({lang: word_list(raw["coordinators"][lang]) for lang in LANGUAGES}),
        containers=word_list(raw["containers"]),
        heads=word_list(raw["heads"]),
        heads_de=tuple(word_list(raw["heads_de"])),
        endings_de=word_list(raw["endings_de"]),
        fillers=word_list(raw["fillers"]),
        subjects=word_list(raw["subjects"]),
        separable_de=MappingProxyType({str(k): str(v) for k, v in raw["separable_de"].items()}),
        before_head=word_list(raw["articles"])
        | word_list(raw["containers"])
        | word_list(raw["object_adverbs"])
        | {"de", "du", "des", "del", "d"},
        products=(_products(entries, ignore, None), *restricted),
        first_person=word_list(raw["first_person"]),
        conditionals=word_list(raw["conditionals"]),
        first_plural_endings=tuple(word_list(raw["first_plural_endings"])),
        trade_sectors=word_list(raw["trade_sales"]["sectors"]),
        trade_verbs=word_list(raw["trade_sales"]["verbs"]),
        trade_prepositions=word_list(raw["trade_sales"]["prepositions"]),
        trade_customers=word_list(raw["trade_sales"]["customers"]),
        trade_gifts=word_list(raw["trade_sales"]["gifts"]),
        trade_not_customers=word_list(raw["trade_sales"]["not_customers"]),
        beside_we=word_list(raw["beside_we"]),
        main_verbs=word_list(raw["main_verbs"]),
        third_person_endings=MappingProxyType(
            {lang: tuple(word_list(ends)) for lang, ends in raw["third_person_endings"].items()}
        ),
    )


def base(token: str) -> str:
    return _ELIDED.sub("", token)


def cancels(token: str, rules: Rules) -> bool:
    """A negation, past marker, remedy, substitute or people word (whole, by its parts, or a stem)."""
    if token.startswith("n'") or token.endswith("n't") or base(token) in rules.cancels:
        return True
    if "-" in token and any(part in rules.cancels for part in token.split("-")):
        return True
    return any(stem in token for stem in rules.counter_stems)


def is_relative(tokens: list[str], i: int, language: str, rules: Rules) -> bool:
    """Whether the token at ``i`` opens a relative clause ("who", "que", a German article after a comma)."""
    token = tokens[i]
    if token in rules.relatives or token.startswith("qu'"):
        return True
    return language == "de" and token in rules.relatives_after_comma and i > 0 and tokens[i - 1] == COMMA


def matches(phrase: list[str], products: Products) -> list[Match]:
    """Every product named in the phrase, longest phrases first, with where it stands."""
    found: list[Match] = []
    i = 0
    while i < len(phrase):
        for width in range(min(products.longest, len(phrase) - i), 1, -1):
            window = tuple(base(t) for t in phrase[i : i + width])
            if window in products.ignore:
                i += width
                break
            if window in products.phrases:
                found.append(Match(i, i + width, products.phrases[window], " ".join(phrase[i : i + width])))
                i += width
                break
        else:
            token = base(phrase[i])
            parts = [token, *token.split("-")] if "-" in token else [token]
            word = next((p for p in parts if p in products.words), None)
            if word is not None:
                found.append(Match(i, i + 1, products.words[word], phrase[i]))
            else:
                for stem, sector in products.stems:
                    at = token.find(stem)
                    if at >= 0:
                        found.append(Match(i, i + 1, sector, phrase[i], token[at + len(stem) :]))
            i += 1
    return found


def is_head(match: Match, phrase: list[str], language: str, rules: Rules) -> bool:
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
        return match.end == len(phrase) or (match.end == len(phrase) - 1 and base(phrase[-1]) in rules.heads)
    head = next((k for k, t in enumerate(phrase) if base(t) not in rules.before_head), None)
    if head is None:
        return False
    # "vinaigre de cidre" is vinegar; "mines d'uranium" and "produits du tabac" are the trade, the
    # product right after the head ("logiciels de blocage des sites de paris" are no betting).
    if match.start == head:
        return True
    if base(phrase[head]) not in rules.heads:
        return False
    after = head + 1
    while after < len(phrase) and base(phrase[after]) in _LINKERS:
        after += 1
    return match.start == after


def has_ended(sentence: str) -> bool:
    """A tie up to a year already begun or past ("until 2019"), not a plan ("Bis 2028 ... einführen")."""
    if _VINTAGES.search(sentence):
        return False  # "wines from the 2016 to 2021 vintages" are wines, not a tie that ended
    this_year = date.today().year
    return any(int(m.group(1) or m.group(2)) < this_year for m in _ENDED.finditer(sentence))


def product_mentions(tokens: list[str]) -> list[Mention]:
    """Every product of every industry the tokens name, with any verb, less ignore phrases."""
    seen: dict[tuple[int, str], Mention] = {}
    for products in rules().products:
        for match in matches(tokens, products):
            seen.setdefault((match.start, match.sector), match)
    return sorted(seen.values(), key=lambda m: (m.start, m.sector))
