"""Which of a statement's product claims count, beside the classifiers that read the same text.

:func:`product_claims.claimed_industries` reads what a statement says its organisation makes or
sells; :func:`vetted_claims` keeps the claims that the sector reading's vetoes allow, and
:func:`with_claimed_screens` adds the claimed screens to what the screens' classifier found.
"""

from __future__ import annotations

import unicodedata

from commonground.core.semantics.engines import Matrix
from commonground.core.semantics.polarity import Polarity
from commonground.core.semantics.product_claims import claimed_industries, language_of
from commonground.core.semantics.sector_map import SectorMatch, load_sector_map
from commonground.core.semantics.stance_model import NONE, StanceModel

__all__ = ["CLAIM_AGREEMENT", "classifier_agreement", "vetted_claims", "with_claimed_screens"]

# An English claim needs the classifiers to give its industry this much (see vetted_claims): they
# must agree the text is about that trade, not be sure of it.
CLAIM_AGREEMENT = 0.2


def vetted_claims(
    text: str,
    stance: Polarity,
    left: frozenset[str],
    *,
    against: float | None,
    model: StanceModel | None,
    agrees: dict[str, float],
) -> dict[str, str]:
    """The industries a statement claims by its products, less those a veto rules out.

    An English statement's claim also needs the classifiers to give that industry at least
    ``CLAIM_AGREEMENT`` (they read English well, and a café that "serves local wine" or a charity
    shop selling "vintage fur coats" is not read as the trade); the working-against head, which
    learnt from English texts and reads others loosely ("Nous exploitons trois carrières de cuivre"
    at 0.83), vetoes English claims only. Elsewhere the claim's own words in four languages decide.
    """
    if stance.past or (stance.explicit and stance.role == "against"):
        return {}
    english = language_of(unicodedata.normalize("NFC", text)) == "en"
    if english and model is not None and against is not None and against >= model.counter_threshold:
        return {}
    return {
        s: w
        for s, w in claimed_industries(text).items()
        if s not in left and (not english or agrees.get(s, 0.0) >= CLAIM_AGREEMENT)
    }


def classifier_agreement(
    i: int, probs: Matrix | None, model: StanceModel | None, screen_scores: list[dict[str, float]] | None
) -> dict[str, float]:
    """Each industry's probability for text ``i`` from the sectors' and the screens' classifiers."""
    out: dict[str, float] = dict(screen_scores[i]) if screen_scores is not None else {}
    if probs is not None and model is not None:
        out.update({c: float(probs[i, k]) for k, c in enumerate(model.classes) if c != NONE})
    return out


def with_claimed_screens(
    found: tuple[SectorMatch, ...], claims: list[dict[str, str]] | None, i: int, stance: Polarity
) -> tuple[SectorMatch, ...]:
    """The screens a text does, with those it claims by their products added (similarity 1.0: named)."""
    if claims is None or not claims[i]:
        return found
    have = {m.sector for m in found}
    screens = {s.id for s in load_sector_map().screens}
    added = tuple(
        SectorMatch(s, 1.0, w, stance) for s, w in sorted(claims[i].items()) if s in screens and s not in have
    )
    return (*found, *added)
