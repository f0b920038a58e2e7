"""Serving a trade is not being in it: a maker of wine glasses is no winery, a casino's cleaner no casino.

The sectors' and screens' classifiers read topic, and a supplier's or a tenant's text is about the
trade it serves: "We produce wine labels, gift boxes and corks for vineyards", "Nous fabriquons des
verres à vin", "We sell software to casinos", "Our landlord runs a casino on the ground floor" were
all placed in the trade. :func:`only_supplied` names the industries whose products a text names
only in such ways, and :func:`sectors.read_texts` leaves them out, as it leaves out a courier's
diesel vans (``product_use``).

Each product the text names must be explained, one of:

- a description of the organisation's own goods or services, read from the head of its own doing
  verb's object ("wine *glasses*", "casino cleaning *services*", "copas de vino", "Weingläser");
- a customer of them, after the object ("software *to casinos*", "botellas de vidrio *para bodegas*",
  "We supply *pubs* with glassware");
- someone else's trade ("Our *landlord* runs a casino", "les *buralistes* qui vendent du tabac");
- given away, shut or without its harm ("donated medicines", "a shuttered casino", "cerveza sin
  alcohol");
- in a statement of a tie that ended in a year.

The heads must be on closed lists (``data/supplies.yaml``): a head no list knows keeps the
classifiers' reading, since an open rule vetoed true placements (see docs/methods.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from commonground.core.semantics.cues import load_word_file, word_list
from commonground.core.semantics.product_claims import (
    Mention,
    ObjectPhrase,
    doing_verb_language,
    ended,
    language_of,
    leading_products,
    object_phrases,
    product_mentions,
    statement_tokens,
)

__all__ = ["SUPPLIES_VERSION", "only_supplied"]

SUPPLIES_VERSION: str = str(load_word_file("supplies.yaml")["version"])

_IDENTITY = frozenset({"are", "is", "sommes", "est", "somos", "es", "sind", "ist"})
_RELATIVES = frozenset({"who", "that", "which", "qui", "que", "quienes", "die", "welche"})


_LANGUAGES = ("en", "fr", "es", "de")
_FIRST_PERSON = frozenset(
    {
        "we",
        "our",
        "nous",
        "notre",
        "nos",
        "nosotros",
        "nosotras",
        "nuestra",
        "nuestro",
        "nuestras",
        "nuestros",
    }
    | {"wir", "unser", "unsere", "unseren", "unserer", "unseres"}
)


@dataclass(frozen=True)
class _Words:
    goods: Mapping[str, frozenset[str]]  # by language
    for_customers: Mapping[str, frozenset[str]]  # by language, the goods included
    services: Mapping[str, frozenset[str]]
    supply_with: frozenset[str]
    others: frozenset[str]
    their_verbs: frozenset[str]
    given_or_shut: frozenset[str]
    branded: frozenset[str]
    without: frozenset[str]
    unread: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = load_word_file("supplies.yaml")
    goods = {lang: word_list(raw["goods"][lang]) for lang in _LANGUAGES}
    return _Words(
        goods=MappingProxyType(goods),
        for_customers=MappingProxyType(
            {lang: goods[lang] | word_list(raw["for_customers"][lang]) for lang in _LANGUAGES}
        ),
        services=MappingProxyType({lang: word_list(raw["services"][lang]) for lang in _LANGUAGES}),
        supply_with=word_list(raw["supply_with"]),
        others=word_list(raw["others"]),
        their_verbs=word_list(raw["their_verbs"]),
        given_or_shut=word_list(raw["given_or_shut"]),
        branded=word_list(raw["branded"]),
        without=word_list(raw["without"]),
        unread=word_list(raw["unread"]),
    )


def only_supplied(text: str) -> frozenset[str]:
    """The industries whose products a text names only as what it supplies, serves or sees others do."""
    return _only_supplied(text)


@lru_cache(maxsize=4096)
def _only_supplied(text: str) -> frozenset[str]:
    words = _words()
    code = language_of(text)
    explained: dict[str, bool] = {}
    for tokens in statement_tokens(text):
        # "Wir verkaufen Bierkrüge und Weingläser": a product word beginning goods of a compound.
        for token in tokens if code == "de" else ():
            for sector, rest in leading_products(token):
                if sector not in words.unread and _is_goods(rest, "de", words, customers=False):
                    explained.setdefault(sector, True)
        mentions = product_mentions(tokens)
        if not mentions:
            continue
        served = set() if ended(tokens) else _served(tokens, mentions, code, words)
        for k, mention in enumerate(mentions):
            if mention.sector in words.unread:
                continue
            ok = ended(tokens) or k in served or _said_of_others(tokens, mention.start, code, words)
            ok = ok or _given_shut_or_without(tokens, mention, words)
            explained[mention.sector] = explained.get(mention.sector, True) and ok
    return frozenset(s for s, ok in explained.items() if ok)


def _is_goods(head: str, language: str, words: _Words, *, customers: bool) -> bool:
    """Whether an object's head is something the trade buys (``customers``: or is served with)."""
    listed = (words.for_customers if customers else words.goods).get(language, frozenset())
    if language == "de":
        # German compounds end in their head: "Weingläser", "Verpackungsmaschinen".
        return any(head.endswith(word) for word in listed)
    return head in listed


def _served(tokens: list[str], mentions: list[Mention], code: str, words: _Words) -> set[int]:
    """The mentions (by index) that describe or receive the organisation's own goods or services."""
    out: set[int] = set()
    for verb in range(len(tokens)):
        language = doing_verb_language(tokens, verb, code)
        if language is None:
            continue
        phrases, end = object_phrases(tokens, verb, language)
        if not phrases:
            continue
        # What follows the object is read with it up to the next doing verb, anyone's ("and run two
        # casinos of our own" is not a customer).
        after = next(
            (k for k in range(end, len(tokens)) if doing_verb_language(tokens, k, code, own=False)),
            len(tokens),
        )
        # "We supply pubs with glassware, napkins and beer mats": the first object is the customer.
        if (
            language == "en"
            and tokens[verb] in words.supply_with
            and end < len(tokens)
            and tokens[end] == "with"
        ):
            goods, goods_end = object_phrases(tokens, end, "en")
            if goods and all(_is_goods(p.head, "en", words, customers=True) for p in goods):
                out |= {k for k, m in enumerate(mentions) if verb < m.start < max(goods_end, after)}
            continue
        for k, mention in enumerate(mentions):
            if mention.start <= verb or mention.start >= after:
                continue
            holder = next((p for p in phrases if p.start <= mention.start < p.end), None)
            if holder is not None:
                if _describes(mention, holder, tokens, language, words):
                    out.add(k)
            elif mention.start >= end and all(_serves(p, tokens, language, words) for p in phrases):
                out.add(k)
    return out


def _serves(phrase: ObjectPhrase, tokens: list[str], language: str, words: _Words) -> bool:
    """Whether an object is goods a trade buys, or services named by them ("cleaning services")."""
    if _is_goods(phrase.head, language, words, customers=True):
        return True
    span = tokens[phrase.start : phrase.end]
    goods = words.goods.get(language, frozenset())
    return phrase.head in words.services.get(language, frozenset()) and any(t in goods for t in span)


def _describes(
    mention: Mention, holder: ObjectPhrase, tokens: list[str], language: str, words: _Words
) -> bool:
    """Whether a product inside an object phrase describes goods it is not ("wine glasses")."""
    if language == "de":
        # "Weingläser": the product begins the compound and goods end it; "Casinobetreibern
        # Versicherungen": the product stands before the phrase's last word, which is goods.
        inside = mention.end == holder.end and _is_goods(mention.rest or "-", "de", words, customers=False)
        ahead = mention.end < holder.end and _is_goods(holder.head, "de", words, customers=True)
        return inside or ahead
    word = tokens[mention.start] if mention.end - mention.start == 1 else ""
    span = tokens[holder.start : holder.end]
    if word == holder.head or any(part in words.branded for t in span for part in t.split("-")):
        return False
    if _is_goods(holder.head, language, words, customers=False):
        return True
    # "casino cleaning services": services named by goods before them (not by the product itself,
    # "armed security services").
    before = tokens[holder.end - 2] if language == "en" and holder.end - 2 >= mention.end else ""
    services = words.services.get(language, frozenset())
    return holder.head in services and before in words.goods.get(language, frozenset())


def _said_of_others(tokens: list[str], at: int, code: str, words: _Words) -> bool:
    """Whether the verb before a product is someone else's ("Our landlord runs a casino")."""
    start = at
    while start > 0 and tokens[start - 1] != ",":
        start -= 1
    before = tokens[start:at]
    # "les buralistes qui vendent du tabac": a relative whose antecedent is someone else.
    for k, token in enumerate(before):
        if token in _RELATIVES and k > 0 and before[k - 1] in words.others:
            return not any(t in _IDENTITY for t in before[:k])
    # "Most local smallholders grow tobacco", "many of our members grow tobacco": someone else, then
    # a doing verb, with no word of ours after them ("tenants buy beer from our brewery" is ours).
    whose = None
    for k, token in enumerate(before):
        if token in words.others:
            whose = k
        elif token in _FIRST_PERSON and whose is not None:
            whose = None
    if whose is None:
        return False
    return any(
        tokens[k] in words.their_verbs or doing_verb_language(tokens, k, code, own=False)
        for k in range(start + whose + 1, at)
    )


def _given_shut_or_without(tokens: list[str], mention: Mention, words: _Words) -> bool:
    """A product given away or shut ("donated medicines"), or without its harm ("sin alcohol")."""
    before = tokens[max(0, mention.start - 2) : mention.start]
    if any(t in words.given_or_shut for t in before):
        return True
    if mention.start > 0 and tokens[mention.start - 1] in words.without:
        return True
    # "cerveza sin alcohol": the product followed by "without" and its own harm, not any lack
    # ("Sofortkredite ohne Schufa" are the harm).
    if mention.end + 1 >= len(tokens) or tokens[mention.end] not in words.without:
        return False
    return any(m.start == mention.end + 1 and m.sector == mention.sector for m in product_mentions(tokens))
