#!/usr/bin/env python
"""List training sentences that are near copies of a text in an evaluation set, and drop them.

    .venv/bin/python scripts/check-training-overlap.py [--drop]
    .venv/bin/python scripts/check-training-overlap.py --dev

Training and evaluation must not share texts: a blind holdout stays blind only if no training
sentence restates one of its items. Every string in the YAML files of tests/data/ (holdout and
blind sets and the other labelled files; not the development sets of tests/data/dev/) is compared
with every training text of training/ (the sentences of the sector files, the partner texts of the
red-line pairs, both goals of the goal pairs) by MiniLM cosine and, for the pair files, by the
multilingual reader too; pairs at or above OVERLAP are printed, and with
``--drop`` the training items are removed from their files (a comment in each file's header says so).

With ``--dev`` it checks the development sets of tests/data/dev/ instead: none of their sentences
may restate a string of the other evaluation files (the blind holdout sets above all), by MiniLM and,
so that a translation counts as a restatement too, by the multilingual reader. Only the development
sentence and the file it comes close to are printed, so the check itself shows no holdout text.
"""

from __future__ import annotations

import argparse
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


# The text fields of each kind of training file that must not restate an evaluation text. A red
# line itself may be as generic as one in a holdout ("no tobacco money"); the partner text may not.
_FIELDS = {
    "sector_stance_": ("text",),
    "red_line_pairs": ("partner_text",),
    "goal_pairs": ("goal_a", "goal_b"),
    "extra_goal_pairs": ("goal_a", "goal_b"),
}


def _fields(path: Path) -> tuple[str, ...]:
    """The fields of a training file that hold texts; none for a file of another kind (red_line_screens)."""
    return next((f for prefix, f in _FIELDS.items() if path.name.startswith(prefix)), ())


def _drop_pairs(path: Path, drop: set[int]) -> None:
    """Rewrite a pair file without the given items, its header comments kept."""
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    data = yaml.safe_load(text)
    items = [item for n, item in enumerate(data["items"]) if n not in drop]
    note = f"# {len(drop)} items restating an evaluation text were removed (check-training-overlap.py).\n"
    body = yaml.safe_dump(
        {"meta": data["meta"], "items": items}, allow_unicode=True, sort_keys=False, width=110
    )
    path.write_text(header + note + body, encoding="utf-8")


def main() -> None:
    """Print near copies; with --drop remove them from the pair files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drop", action="store_true", help="remove the overlapping items of the pair files")
    parser.add_argument("--dev", action="store_true", help="check tests/data/dev against the other sets")
    args = parser.parse_args()
    if args.dev:
        _check_dev()
        return
    held: list[str] = []
    data = ROOT / "tests" / "data"
    for path in sorted(data.rglob("*.yaml")):
        # The development sets are iterated on and were written after most training files; ``--dev``
        # checks them against the holdouts. A training pair near one of them flatters a development
        # figure, which is no evidence anyway, so it is not dropped (dropping it would change what
        # the classifiers learn, and so every figure, for no gain in blindness).
        if path.is_relative_to(data / "dev"):
            continue
        held += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    held = sorted(set(held))
    engines = [get_engine(DEFAULT_ENGINE), get_engine(READER)]
    held_vectors = [e.embed(held) for e in engines]
    total = 0
    for path in sorted((ROOT / "training").glob("*.yaml")):
        if not _fields(path):
            continue
        text = path.read_text(encoding="utf-8")
        items = yaml.safe_load(text)["items"]
        close: dict[int, tuple[float, str, str]] = {}
        for key in _fields(path):
            strings = [str(i[key]) for i in items]
            # The sector files were checked by MiniLM alone when they were cleaned (see docs/methods.md).
            for engine, hv in zip(engines[:1] if key == "text" else engines, held_vectors, strict=False):
                sims = engine.embed(strings) @ hv.T
                for i in np.where(sims.max(axis=1) >= OVERLAP)[0]:
                    j = int(np.argmax(sims[i]))
                    if sims[i, j] > close.get(int(i), (0.0, "", ""))[0]:
                        close[int(i)] = (float(sims[i, j]), strings[i], held[j])
        for _, (sim, mine, theirs) in sorted(close.items()):
            print(f"{path.name}: {sim:.2f}  {mine!r}  ~  {theirs!r}")
        total += len(close)
        # The sector files' known restatements stay until the stance classifier is retrained with
        # replacements (docs/methods.md, "Known flaw"): dropping them alone would make it stale.
        if args.drop and close and not path.name.startswith("sector_stance_"):
            _drop_pairs(path, set(close))
    print(f"{total} training items within cosine {OVERLAP} of an evaluation text")


if __name__ == "__main__":
    main()
