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
- given away, shut or without its harm ("donated medicines", "a shuttered casino", "Vendemos
  cerveza sin alcohol").

The heads must be on closed lists (``data/supplies.yaml``): a head no list knows keeps the
classifiers' reading, since an open rule vetoed true placements (see docs/methods.md). And the
organisation must not name itself beside the trade: "the two casinos we own", "supply our 40 pubs
with glassware", "Retailers sell the cigarettes we manufacture", "Our members grow tobacco and the
cooperative sells it" all keep the classifiers' reading, since a leak here is a missed clash that
nothing else catches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from commonground.core.semantics.claim_rules import COMMA
from commonground.core.semantics.claim_rules import rules as claim_rules
from commonground.core.semantics.cues import load_word_file, word_list
from commonground.core.semantics.product_claims import (
    Mention,
    ObjectPhrase,
    doing_verb_language,
    language_of,
    leading_products,
    object_phrases,
    own_verb,
    product_mentions,
    statement_tokens,
)

__all__ = ["SUPPLIES_VERSION", "only_supplied"]

SUPPLIES_VERSION: str = str(load_word_file("supplies.yaml")["version"])

_LANGUAGES = ("en", "fr", "es", "de")
_RELATIVES = frozenset({"who", "that", "which", "qui", "que", "quienes", "die", "welche"})
_SUBJECT_PRONOUNS = frozenset({"we", "i", "nous", "nosotros", "nosotras", "wir"})
_COORDINATORS = frozenset(
    {"and", "or", "as", "plus", "also", "et", "ou", "ainsi", "aussi", "y", "e", "o", "u", "así", "también"}
    | {"und", "oder", "sowie", "auch"}
)


def _by_language(raw: Mapping[str, str]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({lang: word_list(raw[lang]) for lang in _LANGUAGES})


@dataclass(frozen=True)
class _Words:
    goods: Mapping[str, frozenset[str]]  # by language
    vessels: frozenset[str]
    for_customers: Mapping[str, frozenset[str]]  # by language, the goods included
    customer_words: Mapping[str, frozenset[str]]
    no_customers: frozenset[str]
    services: Mapping[str, frozenset[str]]
    service_verbs: Mapping[str, frozenset[str]]
    service_goods_verbs: frozenset[str]
    supply_with: frozenset[str]
    others: frozenset[str]
    their_verbs: frozenset[str]
    given_or_shut: frozenset[str]
    making: frozenset[str]
    reopened: frozenset[str]
    ours: frozenset[str]
    possessives: frozenset[str]
    own_businesses: Mapping[str, frozenset[str]]  # by language
    their_own: frozenset[str]
    as_itself: frozenset[str]
    itself_by_kind: frozenset[str]
    branded: frozenset[str]
    without: frozenset[str]
    unread: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = load_word_file("supplies.yaml")
    goods = _by_language(raw["goods"])
    more = _by_language(raw["for_customers"])
    return _Words(
        goods=goods,
        vessels=word_list(raw["vessels"]),
        for_customers=MappingProxyType({lang: goods[lang] | more[lang] for lang in _LANGUAGES}),
        customer_words=_by_language(raw["customer_words"]),
        no_customers=word_list(raw["no_customers"]),
        services=_by_language(raw["services"]),
        service_verbs=_by_language(raw["service_verbs"]),
        service_goods_verbs=word_list(raw["service_goods_verbs"]),
        supply_with=word_list(raw["supply_with"]),
        others=word_list(raw["others"]),
        their_verbs=word_list(raw["their_verbs"]),
        given_or_shut=word_list(raw["given_or_shut"]),
        making=word_list(raw["making"]),
        reopened=word_list(raw["reopened"]),
        ours=word_list(raw["ours"]),
        possessives=word_list(raw["possessives"]),
        own_businesses=_by_language(raw["own_businesses"]),
        their_own=word_list(raw["their_own"]),
        as_itself=word_list(raw["as_itself"]),
        itself_by_kind=word_list(raw["itself_by_kind"]),
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
        mentions = product_mentions(tokens)
        if code == "de":
            mentions = [*mentions, *_compounds(tokens, mentions)]
        if not mentions:
            continue
        served = _served(tokens, mentions, code, words)
        for k, mention in enumerate(mentions):
            if mention.sector in words.unread:
                continue
            ok = k in served or _said_of_others(tokens, mention, code, words)
            ok = ok or _given_shut_or_without(tokens, mention, mentions, words)
            explained[mention.sector] = explained.get(mention.sector, True) and ok
    return frozenset(s for s, ok in explained.items() if ok)


def _compounds(tokens: list[str], mentions: list[Mention]) -> list[Mention]:
    """German compounds that begin with a product word ("Weingläser"), not already read by a stem."""
    read = {m.start for m in mentions}
    return [
        Mention(i, i + 1, sector, token, rest)
        for i, token in enumerate(tokens)
        if i not in read
        for sector, rest in leading_products(token)
    ]


def _is_goods(head: str, language: str, words: _Words, *, customers: bool) -> bool:
    """Whether an object's head is something the trade buys (``customers``: or is served with)."""
    listed = (words.for_customers if customers else words.goods).get(language, frozenset())
    if language == "de":
        # German compounds end in their head: "Weingläser", "Verpackungsmaschinen".
        return any(head.endswith(word) for word in listed)
    return head in listed


def _names_itself(tokens: list[str], words: _Words) -> bool:
    """Whether the organisation names itself or what it owns ("the casinos we own", "our pubs")."""
    return any(t in words.ours for t in tokens)


def _served(tokens: list[str], mentions: list[Mention], code: str, words: _Words) -> set[int]:
    """The mentions (by index) that describe or receive the organisation's own goods or services."""
    out: set[int] = set()
    for verb in range(len(tokens)):
        language, at = _own_doing_verb(tokens, verb, code)
        if language is None:
            out |= _serviced(tokens, verb, mentions, code, words)
            continue
        phrases, end = object_phrases(tokens, at, language)
        if not phrases:
            continue
        # What follows the object is read with it up to the next doing verb, anyone's ("and run two
        # casinos of our own" is not a customer).
        after = _next_doing_verb(tokens, end, code)
        ours = _names_itself(tokens[verb + 1 :], words) or _we_do_after(tokens, end, code)
        # "We supply pubs with glassware, napkins and beer mats": the first object is the customer.
        supplies_with = language == "en" and tokens[verb] in words.supply_with
        if supplies_with and end < len(tokens) and tokens[end] == "with":
            goods, _ = object_phrases(tokens, end, "en")
            if ours or not goods or not all(_is_goods(p.head, "en", words, customers=False) for p in goods):
                continue
            for k, mention in enumerate(mentions):
                if verb < mention.start < end and mention.sector not in words.no_customers:
                    out.add(k)
                holder = next((p for p in goods if p.start <= mention.start < p.end), None)
                if holder is not None and _describes(mention, holder, tokens, "en", words):
                    out.add(k)
            continue
        customer = end < len(tokens) and tokens[end] in words.customer_words[language]
        serves = customer and all(_serves(p, tokens, language, words) for p in phrases)
        # "des machines aux fabricants de cigarettes et des cigarettes aux buralistes": the customer
        # ends where another object may begin.
        customers_end = next((k for k in range(end + 1, after) if tokens[k] in _COORDINATORS), after)
        for k, mention in enumerate(mentions):
            if mention.start <= verb or mention.start >= after:
                continue
            holder = next((p for p in phrases if p.start <= mention.start < p.end), None)
            if holder is not None:
                if _describes(mention, holder, tokens, language, words):
                    out.add(k)
            elif (
                end <= mention.start < customers_end
                and serves
                and not ours
                and mention.sector not in words.no_customers
            ):
                out.add(k)
    return out


def _serviced(tokens: list[str], verb: int, mentions: list[Mention], code: str, words: _Words) -> set[int]:
    """Mentions a service verb of the organisation's own acts on or serves ("We clean casinos")."""
    languages = [lang for lang in _LANGUAGES if tokens[verb] in words.service_verbs[lang]]
    language = code if code in languages else languages[0] if languages else None
    if language is None or not own_verb(tokens, verb, language):
        return set()
    phrases, end = object_phrases(tokens, verb, language)
    if not phrases or _names_itself(tokens[verb + 1 :], words):
        return set()
    # "We clean and run casinos", "We run and maintain casinos": a doing verb joined to the service
    # makes the object its own; so does a first-plural doing verb after it ("que explotamos").
    if any(
        doing_verb_language(tokens, k, code, own=False)
        for k in (*range(max(0, verb - 3), verb), *range(verb + 1, end))
    ) or _we_do_after(tokens, end, code):
        return set()
    hands_over = tokens[verb] in words.service_goods_verbs
    # Its customers run to the next doing verb, anyone's ("and run two casinos of our own"), or to
    # an "and" that opens another object with its own customer ("... and cigarettes to kiosks").
    after = _next_doing_verb(tokens, end + 1, code)
    after = next(
        (
            k
            for k in range(end + 1, after)
            if tokens[k] in _COORDINATORS
            and any(t in words.customer_words[language] for t in tokens[k + 1 : after])
        ),
        after,
    )
    customer = end < len(tokens) and tokens[end] in words.customer_words[language]
    return {
        k
        for k, m in enumerate(mentions)
        if m.sector not in words.no_customers
        and (
            any(
                p.start <= m.start < p.end and not (hands_over and _is_head_of(m, p, tokens)) for p in phrases
            )
            or (customer and end < m.start < after)
        )
    }


def _is_head_of(mention: Mention, phrase: ObjectPhrase, tokens: list[str]) -> bool:
    """Whether the product is what the object phrase is ("slot machines"), not a word describing it."""
    return phrase.head in {t.split("'")[-1] for t in tokens[mention.start : mention.end]}


def _next_doing_verb(tokens: list[str], start: int, code: str) -> int:
    """Where the next doing verb from ``start`` on stands, anyone's (the end when none)."""
    return next(
        (k for k in range(start, len(tokens)) if doing_verb_language(tokens, k, code, own=False)),
        len(tokens),
    )


def _we_do_after(tokens: list[str], start: int, code: str) -> bool:
    """Whether a doing verb that says "we" by its ending follows ("... que explotamos")."""
    return any(
        t.endswith(claim_rules().first_plural_endings) and doing_verb_language(tokens, k, code, own=False)
        for k, t in enumerate(tokens[start:], start=start)
    )


def _own_doing_verb(tokens: list[str], verb: int, code: str) -> tuple[str | None, int]:
    """The language of the organisation's own doing verb at ``verb`` and where its object starts after.

    Beside what the claims accept, a verb right after "we" ("From our factory we produce") or
    German inversion ("Seit 1990 fertigen wir Weingläser") is the organisation's own here.
    """
    language = doing_verb_language(tokens, verb, code)
    if language is not None:
        return language, verb
    language = doing_verb_language(tokens, verb, code, own=False)
    if language is None:
        return None, verb
    if verb > 0 and tokens[verb - 1] in _SUBJECT_PRONOUNS:
        return language, verb
    if language == "de" and verb + 1 < len(tokens) and tokens[verb + 1] == "wir":
        return language, verb + 1
    if _our_business_leads(tokens, verb, code):
        return language, verb
    return None, verb


def _our_business_leads(tokens: list[str], verb: int, code: str) -> bool:
    """Whether the clause opens with the organisation's own business as the verb's subject.

    "Our glassworks sells", "Notre verrerie de Cognac produit", "Unsere Glashütte im Bayerischen
    Wald fertigt": a possessive of ours, then at most five words that hold a listed business of a
    supplying trade and no one else ("Our landlord"), relative or other verb. Not when the sentence
    then names the business's own places in the third person ("supplies its casino").
    """
    words = _words()
    start = verb
    while start > 0 and tokens[start - 1] != COMMA:
        start -= 1
    lead = tokens[start:verb]
    if not lead or lead[0] not in words.possessives or not 2 <= len(lead) <= 6:
        return False
    businesses = words.own_businesses.get(code, frozenset())
    if not any(t.endswith(tuple(businesses)) if code == "de" else t in businesses for t in lead[1:]):
        return False
    if any(t in words.their_own for t in tokens[verb + 1 :]):
        return False
    return not any(
        t in words.others
        or t in _RELATIVES
        or t in words.their_verbs
        or doing_verb_language(tokens, start + k, code, own=False) is not None
        for k, t in enumerate(lead)
        if k > 0
    )


def _serves(phrase: ObjectPhrase, tokens: list[str], language: str, words: _Words) -> bool:
    """Whether an object is goods a trade buys, or services named by them ("cleaning services")."""
    span = tokens[phrase.start : phrase.end]
    # "des bouteilles vides": French and Spanish heads skip containers, which are goods here.
    if _is_goods(phrase.head, language, words, customers=True) or (
        language in ("fr", "es") and _is_goods(phrase.first, language, words, customers=True)
    ):
        return True
    goods = words.goods.get(language, frozenset())
    return phrase.head in words.services.get(language, frozenset()) and any(t in goods for t in span)


def _describes(
    mention: Mention, holder: ObjectPhrase, tokens: list[str], language: str, words: _Words
) -> bool:
    """Whether a product inside an object phrase describes goods it is not ("wine glasses")."""
    span = tokens[holder.start : holder.end]
    if _names_itself(span, words) or any(part in words.branded for t in span for part in t.split("-")):
        return False
    if language == "de":
        # "Weingläser": the product begins the compound and goods end it; "Casinobetreibern
        # Versicherungen": the product stands before the phrase's last word, which is goods.
        inside = mention.end == holder.end and _is_goods(mention.rest or "-", "de", words, customers=False)
        ahead = mention.end < holder.end and _is_goods(holder.head, "de", words, customers=False)
        return inside or ahead
    word = tokens[mention.start] if mention.end - mention.start == 1 else ""
    if word == holder.head or (language == "en" and mention.end == holder.end):
        return False  # the product is what the phrase is ("lottery scratch cards")
    if _is_goods(holder.head, language, words, customers=False):
        # "copas de vino" are glasses of wine as often as wine glasses; "verres à vin" are glasses.
        at = tokens.index(holder.head, holder.start) if holder.head in span else holder.start
        linked = tokens[at + 1] if at + 1 < len(tokens) else ""
        return not (holder.head in words.vessels and linked in {"de", "del", "d", "du", "des"})
    # "casino cleaning services": services named by goods before them (not by the product itself,
    # "armed security services").
    before = tokens[holder.end - 2] if language == "en" and holder.end - 2 >= mention.end else ""
    services = words.services.get(language, frozenset())
    return holder.head in services and before in words.goods.get(language, frozenset())


def _said_of_others(tokens: list[str], mention: Mention, code: str, words: _Words) -> bool:
    """Whether the verb before a product is someone else's ("Our landlord runs a casino")."""
    start = mention.start
    while start > 0 and tokens[start - 1] != ",":
        start -= 1
    before = tokens[start : mention.start]
    # "Retailers sell the cigarettes we manufacture", "Our members grow tobacco and the cooperative
    # cures and sells it": the organisation acting on the product after it makes it its own.
    # Any word of the organisation after the product, whatever its verb ("which we manage for him",
    # "so does our subsidiary"), keeps the classifiers' reading; so does a first-person verb
    # ("los cigarrillos que fabricamos").
    rest = tokens[mention.end :]
    if any(t in words.ours or t in words.itself_by_kind for t in rest):
        return False
    if any(
        t.endswith(claim_rules().first_plural_endings)
        and (t in words.their_verbs or doing_verb_language(rest, k, code, own=False))
        for k, t in enumerate(rest)
    ):
        return False
    # "les buralistes qui vendent du tabac": a relative whose antecedent is someone else.
    for k, token in enumerate(before):
        if token in _RELATIVES and k > 0 and before[k - 1] in words.others:
            return not any(t in words.as_itself for t in before[: k - 1])
    # "Most local smallholders grow tobacco", "many of our members grow tobacco": someone else,
    # then a doing verb; "We own the building as landlord" and "Nous sommes le propriétaire" are
    # the organisation.
    whose = next((k for k in range(len(before) - 1, -1, -1) if before[k] in words.others), None)
    if whose is None or any(t in words.as_itself or t in _SUBJECT_PRONOUNS for t in before[:whose]):
        return False
    # "Notre bailleur et nous exploitons", "Our members and we grow tobacco": theirs and ours.
    if any(t in _SUBJECT_PRONOUNS or t in words.ours for t in before[whose + 1 :]):
        return False
    return any(
        before[k] in words.their_verbs or doing_verb_language(tokens, start + k, code, own=False)
        for k in range(whose + 1, len(before))
    )


def _given_shut_or_without(
    tokens: list[str], mention: Mention, mentions: list[Mention], words: _Words
) -> bool:
    """A product given away or shut ("donated medicines"), or without its harm ("sin alcohol")."""
    before = tokens[max(0, mention.start - 2) : mention.start]
    if (
        any(t in words.given_or_shut for t in before)
        and not any(t in words.reopened for t in tokens)
        and not any(t in words.making for t in tokens[: mention.start])
    ):
        return True  # "donated medicines" handed on, not made ("We manufacture donated medicines")
    # "cerveza sin alcohol" at the end of what is said: "cidre sans alcool et du calvados" goes on
    # to name a product no list may know.
    if any(t in _COORDINATORS for t in tokens[mention.end :]):
        return False
    if mention.start > 0 and tokens[mention.start - 1] in words.without:
        return True
    # The product followed by "without" and its own harm, not any lack ("Sofortkredite ohne Schufa"
    # are the harm).
    if mention.end + 1 >= len(tokens) or tokens[mention.end] not in words.without:
        return False
    return any(m.start == mention.end + 1 and m.sector == mention.sector for m in mentions)
