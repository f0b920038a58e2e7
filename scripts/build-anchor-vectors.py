#!/usr/bin/env python
"""Embed the curated anchor texts (SDG descriptions and facets, sector and mission-area prototypes)
and write them to src/commonground/data/embeddings/<engine>.npz, which the engine loads at start.

Run after editing src/commonground/data/sdgs.yaml or sectors.yaml (a test fails until you do):
    .venv/bin/python scripts/build-anchor-vectors.py
"""

from __future__ import annotations

from pathlib import Path

import commonground  # noqa: F401  # sets the BLAS thread default before numpy loads
from commonground.core.semantics import engines, measure_domains, prototypes, reader_topics, sdgs

OUT = Path(__file__).resolve().parent.parent / "src" / "commonground" / "data" / "embeddings"


def main() -> None:
    """Embed every anchor text with the default engine and save them."""
    engine = engines.CachedEngine(engines.MiniLmOnnxEngine())
    texts = sdgs.anchor_texts() + prototypes.anchor_texts()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{engines.DEFAULT_ENGINE}.npz"
    engine.save_vectors(path, texts)
    print(f"wrote {len(set(texts))} vectors to {path} ({path.stat().st_size / 1e6:.1f} MB)")
    # The multilingual reader compares red-line topics with the sector phrases (reader_topics.py) and maps
    # the SDGs of profiles in other languages against the goals' texts (sdgs.py), and places
    # measures in their policy areas (measure_domains.py).
    reader = engines.CachedEngine(engines.UseMultilingualEngine())
    phrases = reader_topics.reader_prototypes() + sdgs.anchor_texts() + measure_domains.domain_phrases()
    path = OUT / f"{engines.MULTILINGUAL_ENGINE}.npz"
    reader.save_vectors(path, phrases)
    print(f"wrote {len(set(phrases))} vectors to {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
