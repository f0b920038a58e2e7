"""Choose the multilingual reader's mission-area threshold on the sector-stance training sentences.

    PYTHONPATH=src .venv/bin/python scripts/calibrate-reader-areas.py

A training sentence that *counters* a sector (treats, campaigns against, replaces ...) pursues a
mission area that sector works against (data/sectors.yaml's conflict rows: countering tobacco is
health work); a sentence that *does* the sector, or a neutral neighbour, should not be read as
pursuing one. For each language, the script prints how often MiniLM's areas (at AREA_THRESHOLD)
and the reader's (at each candidate threshold) give a countering sentence such an area (found) and
give it to a doing or neutral sentence (false). The reader's threshold is the lowest whose false
share on English sentences is no higher than MiniLM's, so that reading French, Spanish and German
through the reader claims no more than MiniLM claims in English. Training sentences only: no
evaluation set is read, and neither reading was fitted to these sentences (the areas are phrases).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from commonground.core.semantics.engines import DEFAULT_ENGINE, get_engine
from commonground.core.semantics.mission_areas import READER_AREA_THRESHOLD, reader_area_similarities
from commonground.core.semantics.sector_map import load_sector_map
from commonground.core.semantics.sectors import AREA_THRESHOLD, read_texts
from commonground.core.semantics.stance_model import load_stance_model

TRAINING = Path(__file__).resolve().parent.parent / "training"
LANGUAGES = ("en", "fr", "es", "de")


def sentences() -> list[dict[str, Any]]:
    """Training sentences about one of the map's sectors (screens have no mission areas), once each."""
    sectors = {s.id for s in load_sector_map().sectors}
    seen: dict[str, dict[str, Any]] = {}
    for path in sorted(TRAINING.glob("sector_stance_*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            if item["sector"] in sectors and item.get("lang", "en") in LANGUAGES:
                seen.setdefault(str(item["text"]), item)
    return list(seen.values())


def shares(items: Sequence[dict[str, Any]], against: np.ndarray) -> tuple[float, float, int, int]:
    """(found share among countering sentences, false share among the rest, and their counts)."""
    counters = np.array([i["label"] == "counters" for i in items])
    return (
        float(against[counters].mean()) if counters.any() else 0.0,
        float(against[~counters].mean()) if (~counters).any() else 0.0,
        int(counters.sum()),
        int((~counters).sum()),
    )


def main() -> None:
    """Print found and false shares per language for MiniLM and the reader, and the chosen threshold."""
    smap = load_sector_map()
    items = sentences()
    texts = [str(i["text"]) for i in items]
    engine = get_engine(DEFAULT_ENGINE)
    model = load_stance_model(engine.name)
    assert model is not None, "no stance model names a reader for the default engine"
    areas = [a.id for a in smap.areas]
    # Which areas each sentence's sector works against, as a mask over the areas.
    mask = np.array([[a in smap.areas_against(i["sector"]) for a in areas] for i in items])
    minilm = np.zeros_like(mask)
    for n, reading in enumerate(read_texts(texts, engine.embed(texts), engine=engine, screens=False)):
        for match in reading.areas:
            minilm[n, areas.index(match.area)] = True
    sims = reader_area_similarities(texts, reader=model.reader)
    langs = np.array([str(i.get("lang", "en")) for i in items])
    print(f"{len(items)} training sentences about the map's sectors; found = countering sentences given an")
    print("area their sector works against; false = doing or neutral sentences given one")
    for lang in LANGUAGES:
        sel = langs == lang
        found, false, nc, nr = shares([items[i] for i in np.flatnonzero(sel)], (minilm & mask).any(1)[sel])
        print(f"MiniLM at {AREA_THRESHOLD:.2f} [{lang}] found {found:.3f} of {nc}  false {false:.3f} of {nr}")
    en = langs == "en"
    en_items = [items[i] for i in np.flatnonzero(en)]
    limit = shares(en_items, (minilm & mask).any(1)[en])[1]
    chosen = None
    for t in np.round(np.arange(0.30, 0.61, 0.02), 2):
        hits = ((sims >= t) & mask).any(1)
        row = []
        for lang in LANGUAGES:
            sel = langs == lang
            found, false, _, _ = shares([items[i] for i in np.flatnonzero(sel)], hits[sel])
            row.append(f"[{lang}] {found:.3f}/{false:.3f}")
        if chosen is None and shares(en_items, hits[en])[1] <= limit:
            chosen = float(t)
        print(f"reader at {t:.2f}  found/false " + "  ".join(row))
    print(f"lowest threshold with English false share <= MiniLM's ({limit:.3f}): {chosen}")
    print(f"shipped READER_AREA_THRESHOLD: {READER_AREA_THRESHOLD}")


if __name__ == "__main__":
    main()
