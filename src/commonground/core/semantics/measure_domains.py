"""The policy area of a measure a text acts on: "the deadline for scrubbers on coal plants" is clean air.

A red line about holding back one kind of measure ("no lobbying to delay clean-air rules") is
crossed by a text holding back another measure of the same kind, and the two names are often far
apart in an embedding: "clean-air rules" and "vehicle emission standards" are 0.23 in MiniLM and
0.28 in the multilingual reader, under either engine's threshold. Each text that acts on a measure
is placed in the one policy area of ``data/measure_domains.yaml`` its words are closest to, read by
the multilingual reader so that "Fahrverbote für ältere Dieselfahrzeuge" is clean air too. An area
named by a red line covers its narrower areas ("environmental rules" covers clean air and
pesticides), never the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from commonground.core.semantics.cues import load_word_file
from commonground.core.semantics.engines import EmbeddingEngine, Matrix
from commonground.core.semantics.prototypes import best_per_group, group_slices

__all__ = [
    "MEASURE_DOMAINS_VERSION",
    "MeasureDomain",
    "closest_domains",
    "domain_name",
    "domain_phrases",
    "domains_covered",
    "load_measure_domains",
    "measure_domains",
]

MEASURE_DOMAINS_VERSION: str = str(load_word_file("measure_domains.yaml")["version"])
# The reader's cosine a text needs to its closest area to be placed in it: the top of the plateau
# where scripts/calibrate-measure-threshold.py finds the most same-measure matches and no added
# other-measure one (0.35 to 0.40). Its bottom edge let unrelated measures ("a delay to the
# low-emission zone", "an exemption from the PFAS restrictions") into tenant protections at 0.38-0.39.
DOMAIN_THRESHOLD = 0.40


@dataclass(frozen=True)
class MeasureDomain:
    """One policy area: its id, the broader area it sits in, if any, and its descriptions."""

    id: str
    name: str
    within: str | None
    phrases: tuple[str, ...]


@lru_cache(maxsize=1)
def load_measure_domains() -> tuple[MeasureDomain, ...]:
    """The shipped policy areas, checked: unique ids, known broader areas, no cycle."""
    raw = load_word_file("measure_domains.yaml")["domains"]
    domains = tuple(
        MeasureDomain(
            id=str(d["id"]),
            name=str(d["name"]),
            within=str(d["within"]) if d.get("within") else None,
            phrases=tuple(str(p) for p in d["phrases"]),
        )
        for d in raw
    )
    ids = [d.id for d in domains]
    if len(set(ids)) != len(ids):
        raise ValueError("measure_domains.yaml: an area id is listed twice")
    phrases = [p for d in domains for p in d.phrases]
    if len(set(phrases)) != len(phrases):
        raise ValueError("measure_domains.yaml: a phrase is listed under two areas")
    for d in domains:
        if not d.phrases:
            raise ValueError(f"measure_domains.yaml: area {d.id!r} has no phrases")
        if d.within is not None and d.within not in ids:
            raise ValueError(f"measure_domains.yaml: area {d.id!r} sits within unknown area {d.within!r}")
    for d in domains:
        _broader_chain(d.id, domains)  # raises on a cycle
    return domains


def _broader_chain(ident: str, domains: Sequence[MeasureDomain]) -> list[str]:
    """The areas above one, nearest first."""
    within = {d.id: d.within for d in domains}
    chain: list[str] = []
    up = within[ident]
    while up is not None:
        if up == ident or up in chain:
            raise ValueError(f"measure_domains.yaml: areas above {ident!r} form a cycle")
        chain.append(up)
        up = within[up]
    return chain


def domain_phrases() -> list[str]:
    """Every area's descriptions, in file order: what the reader's shipped vectors must hold."""
    return [p for d in load_measure_domains() for p in d.phrases]


def closest_domains(texts: Sequence[str], *, reader: EmbeddingEngine) -> list[tuple[str, float]]:
    """The policy area each text is closest to, with the reader's cosine to its nearest phrase.

    The reader alone reads them, in every language. MiniLM as well, for English texts, was tried:
    it reads some English wordings better, but its cosines are looser, so the calibration
    threshold rose to 0.49 and one fewer calibration pair matched (docs/methods.md).
    """
    if not texts:
        return []
    domains = load_measure_domains()
    sims: Matrix = reader.embed(list(texts)) @ reader.embed(domain_phrases()).T
    # Each area's nearest phrase, as the sectors' prototypes are read.
    best, _ = best_per_group(sims, group_slices([d.phrases for d in domains]))
    return [(domains[int(g)].id, float(row[g])) for row, g in zip(best, best.argmax(axis=1), strict=True)]


def measure_domains(texts: Sequence[str], *, reader: EmbeddingEngine) -> list[tuple[str, float] | None]:
    """Each text's closest policy area and cosine, or None when it is not close enough to any."""
    return [(d, c) if c >= DOMAIN_THRESHOLD else None for d, c in closest_domains(texts, reader=reader)]


def domain_name(domain: str) -> str:
    """An area's name in words ("clean-air rules")."""
    return {d.id: d.name for d in load_measure_domains()}[domain]


@lru_cache(maxsize=64)
def domains_covered(domain: str | None) -> frozenset[str]:
    """A red line's area and every narrower one it covers; nothing for no area."""
    if domain is None:
        return frozenset()
    domains = load_measure_domains()
    return frozenset(d.id for d in domains if d.id == domain or domain in _broader_chain(d.id, domains))
