"""Two more ways a statement names its own products: sold to the trade, or before "that we make".

:mod:`product_claims` reads a doing verb and the object after it. Two readings of the same rules
(``data/product_claims.yaml``) live here:

- :func:`sold_to_trade`: drinks, medicines and arms sold TO trade customers are the trade ("We sell
  whisky to hotels and restaurants"), where selling them to the public may be a sideline; the
  customer must be the first noun after the preposition ("aux clients de nos hôtels" is no trade);
- :func:`relative_claims`: a product before a relative clause whose subject is "we" and whose verb
  is a doing verb acting on it ("les carrières que nous exploitons", "die Spielbanken, die wir
  selbst betreiben", "the cigars we make").
"""

from __future__ import annotations

from dataclasses import replace

from commonground.core.semantics.claim_rules import (
    COMMA,
    LANGUAGES,
    Mention,
    Rules,
    base,
    cancels,
    is_head,
    is_relative,
    matches,
    product_mentions,
    rules,
)

__all__ = ["relative_claims", "sold_to_trade"]


def sold_to_trade(tokens: list[str], stop: int) -> bool:
    """Whether the object ending at ``stop`` is sold "to" trade customers ("to hotels and bars")."""
    r = rules()
    if stop >= len(tokens) or base(tokens[stop]) not in r.trade_prepositions:
        return False
    for token in tokens[stop + 1 : stop + 4]:
        word = base(token)
        if word in r.trade_customers:
            return True
        if token == COMMA or word in r.trade_not_customers or cancels(token, r):
            return False
    return False


def relative_claims(tokens: list[str], code: str) -> dict[str, str]:
    """Products named before a relative clause of the organisation's own doing verb."""
    r = rules()
    language = code if code in LANGUAGES else "en"
    found: dict[str, str] = {}
    for mention in product_mentions(tokens):
        clause = _relative_after(tokens, mention.end, language, r)
        if clause is None or not _is_phrase_head(tokens, mention, language, r):
            continue
        verb = _own_verb_of(tokens, clause, language, r)
        if verb is None:
            continue
        # The rest of the statement may still end the tie ("... que explotamos, cerraron en 2001").
        if any(cancels(t, r) for t in tokens[verb + 1 :]):
            continue
        allowed = _verbs_for(tokens[mention.start : mention.end], mention.sector, r)
        if allowed is None or base(tokens[verb]) in allowed:
            found.setdefault(mention.sector, mention.word)
    return found


def _relative_after(tokens: list[str], end: int, language: str, r: Rules) -> int | None:
    """Where the relative clause after a product starts (after its relative word), or None."""
    j = end
    if language in ("fr", "es"):
        # "carrières de granit que": a complement after the head, no further.
        while j < len(tokens) and j < end + 3 and base(tokens[j]) not in r.relatives:
            if tokens[j] == COMMA or base(tokens[j]) in r.stops[language] - {"de"}:
                return None
            j += 1
    relative = j + 1 if j < len(tokens) and tokens[j] == COMMA else j
    if relative >= len(tokens):
        return None
    if is_relative(tokens, relative, language, r):
        return relative + 1
    if language == "en" and tokens[relative] == "we":  # "the cigars we make"
        return relative
    return None


def _is_phrase_head(tokens: list[str], mention: Mention, language: str, r: Rules) -> bool:
    """Whether the product is the head of its noun phrase ("the copper mines", not "mine tours")."""
    start = mention.start
    while start > 0 and tokens[start - 1] != COMMA and base(tokens[start - 1]) not in r.stops[language]:
        before = base(tokens[start - 1])
        # Any verb ends the phrase: a doing verb, "we", or a verb saying "we" ("Limpiamos las salas").
        if any(before in r.verbs[lang] for lang in LANGUAGES) or before in r.first_person:
            break
        if language in ("fr", "es") and before.endswith(r.first_plural_endings) and len(before) > 5:
            break
        start -= 1
    end = mention.end
    if language in ("fr", "es"):
        while end < len(tokens) and base(tokens[end]) not in r.relatives and tokens[end] != COMMA:
            end += 1
    phrase = tokens[start:end]
    shifted = replace(mention, start=mention.start - start, end=mention.end - start)
    return is_head(shifted, phrase, language, r)


def _own_verb_of(tokens: list[str], clause: int, language: str, r: Rules) -> int | None:
    """The clause's doing verb when its subject is "we" and it acts on the antecedent, else None.

    In English, French and Spanish the verb comes first after "we" (or is the clause's first word
    with a "we" ending: "que explotamos") and takes no object of its own ("the casino we run
    shuttle buses to" is no casino of ours); in German it ends the clause ("die wir in Bremen
    herstellen"), so an auxiliary after it ("die wir 1995 verkauft haben") is a past.
    """
    end = clause
    while end < len(tokens) and tokens[end] != COMMA and base(tokens[end]) not in r.coordinators[language]:
        end += 1
    words = tokens[clause:end]
    if not words or any(cancels(t, r) or base(t) in r.helping or base(t) in r.others for t in words):
        return None
    says_we = any(t in r.first_person for t in words)
    if language == "de":
        last = end - 1
        return last if says_we and base(tokens[last]) in r.verbs["de"] else None
    k = clause
    while k < end and (tokens[k] in r.first_person or tokens[k] in r.beside_we):
        k += 1
    if k >= end or not any(base(tokens[k]) in r.verbs[lang] for lang in LANGUAGES):
        return None
    if not (says_we or (language in ("fr", "es") and base(tokens[k]).endswith(r.first_plural_endings))):
        return None
    after = tokens[k + 1] if k + 1 < end else None
    if after is not None and not (
        base(after) in r.stops[language]
        or after in r.beside_we
        or after.isdigit()
        or _opens_predicate(after, language, r)
    ):
        return None
    return k


def _opens_predicate(token: str, language: str, r: Rules) -> bool:
    """Whether a word after the relative clause's verb is the main clause's verb, not its object.

    "Las minas de cobre que explotamos están en Chile", "Les carrières que nous exploitons
    fournissent du granit": a verb of the third person. English verbs carry no such ending, so only
    "is", "are" and the like count there ("The casino we run shuttle buses to" has an object).
    """
    if token in r.identity or token in r.main_verbs:
        return True
    endings = r.third_person_endings.get(language, ())
    return bool(endings) and token.endswith(endings) and len(token) > 4


def _verbs_for(span: list[str], sector: str, r: Rules) -> frozenset[str] | None:
    """The verbs that may claim the product ``span`` names: None for any, else its restricted list."""
    named = [p for p in r.products if any(m.sector == sector for m in matches(span, p))]
    if not named or any(p.verbs is None for p in named):
        return None
    return frozenset().union(*(p.verbs or frozenset() for p in named))
