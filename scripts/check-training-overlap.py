#!/usr/bin/env python
"""List training sentences that are near copies of a text in an evaluation set, and drop them.

    .venv/bin/python scripts/check-training-overlap.py [--drop]
    .venv/bin/python scripts/check-training-overlap.py --dev

Training and evaluation must not share texts: a blind holdout stays blind only if no training
sentence restates one of its items. Every string in the YAML files of tests/data/ (holdout and
blind sets) is compared with every training sentence of training/sector_stance_*.yaml by MiniLM
cosine; pairs at or above OVERLAP are printed, and with ``--drop`` the training items are removed
from their files (a comment in each file's header says so).

With ``--dev`` it checks the development sets of tests/data/dev/ instead: none of their sentences
may restate a string of the other evaluation files (the blind holdout sets above all), by MiniLM and,
so that a translation counts as a restatement too, by the multilingual reader. Only the development
sentence and the file it comes close to are printed, so the check itself shows no holdout text.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import numpy as np
import yaml

import commonground  # noqa: F401  # sets the BLAS thread default before numpy loads
from commonground.core.semantics.engines import DEFAULT_ENGINE, get_engine

ROOT = Path(__file__).resolve().parent.parent
# Cosine at which two sentences restate one another (paraphrases of one item score 0.85 and up;
# two sentences about one topic in different words rarely pass 0.8).
OVERLAP = 0.85
# The multilingual reader: a French restatement of an English item counts as a restatement.
READER = "use-m3"


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node] if len(node.split()) >= 4 else []
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _without(text: str, drop: list[str]) -> str:
    """The training file's text with the items of the given sentences removed, comments kept."""
    blocks = re.split(r"(?m)^(?=  - )", text)
    kept = [
        b
        for b in blocks
        if not b.startswith("  - ")
        or not any(str(i.get("text")) in drop for i in (yaml.safe_load(b) or []) if isinstance(i, dict))
    ]
    out = "".join(kept)
    before = len(yaml.safe_load(text)["items"])
    after = len(yaml.safe_load(out)["items"])
    if before - after != len(set(drop)):
        raise SystemExit(f"could not remove exactly {len(set(drop))} items ({before} -> {after})")
    return out


def _check_dev() -> None:
    """Print development sentences that restate a string of another evaluation file."""
    data = ROOT / "tests" / "data"
    dev = sorted((data / "dev").glob("*.yaml"))
    held: list[tuple[str, str]] = []
    for path in sorted(data.rglob("*.yaml")):
        if path not in dev:
            held += [(s, path.name) for s in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))]
    mine = sorted({s for path in dev for s in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))})
    texts = sorted({s for s, _ in held})
    where = {s: n for s, n in held}
    close: dict[str, tuple[float, str, str]] = {}
    for name in (DEFAULT_ENGINE, READER):
        engine = get_engine(name)
        sims = engine.embed(mine) @ engine.embed(texts).T
        for i in np.where(sims.max(axis=1) >= OVERLAP)[0]:
            j = int(np.argmax(sims[i]))
            if sims[i, j] > close.get(mine[i], (0.0, "", ""))[0]:
                close[mine[i]] = (float(sims[i, j]), where[texts[j]], name)
    for text, (sim, name, engine_name) in sorted(close.items()):
        print(f"{sim:.2f} ({engine_name}) {text!r} ~ a string of {name}")
    print(f"{len(close)} of {len(mine)} development sentences within cosine {OVERLAP} of an evaluation text")


def main() -> None:
    """Print near copies; with --drop remove them from the training files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drop", action="store_true", help="remove the overlapping training items")
    parser.add_argument("--dev", action="store_true", help="check tests/data/dev against the other sets")
    args = parser.parse_args()
    if args.dev:
        _check_dev()
        return
    held: list[str] = []
    for path in sorted((ROOT / "tests" / "data").rglob("*.yaml")):
        held += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    held = sorted(set(held))
    engine = get_engine(DEFAULT_ENGINE)
    hv = engine.embed(held)
    total = 0
    for path in sorted((ROOT / "training").glob("sector_stance_*.yaml")):
        text = path.read_text(encoding="utf-8")
        items = yaml.safe_load(text)["items"]
        tv = engine.embed([str(i["text"]) for i in items])
        sims = tv @ hv.T
        close = {int(i): int(np.argmax(sims[i])) for i in np.where(sims.max(axis=1) >= OVERLAP)[0]}
        for i, j in close.items():
            print(f"{path.name}: {sims[i, j]:.2f}  {items[i]['text']!r}  ~  {held[j]!r}")
        total += len(close)
        if args.drop and close:
            path.write_text(_without(text, [str(items[i]["text"]) for i in close]), encoding="utf-8")
    print(f"{total} training sentences within cosine {OVERLAP} of an evaluation text")


if __name__ == "__main__":
    main()
