#!/usr/bin/env python
"""Train a stance classifier and write src/commonground/data/stance/[screens-]<engine>.npz.

    .venv/bin/python scripts/train-stance-model.py [--group sectors|screens] [--check]

Two classifiers share this script and its training files: one for the sectors of data/sectors.yaml
(``--group sectors``, the default) and one for its screens (more industries and kinds of conduct
that only red lines use). Each learns its own entries; the other group's sentences are "none" for
the screens, and the screens' sentences are left out of the sectors' classifier (their neutral and
working-against labels are about a screen, not about the sectors), so adding screens cannot
change how the sectors are read.

Training data: every file in training/ (sentences labelled does / counters / neutral for a sector,
written for training only) plus the curated phrases of data/sectors.yaml (prototypes and FOR
stance texts are in their sector; AGAINST stance texts, neutral trades and mission-area
prototypes are not). The holdout sets under tests/data/holdout/ are never read here.

The regularisation strength and the decision threshold are chosen by 5-fold cross-validation on
the training data alone: the highest recall whose cross-validated precision is at least 0.95.
``--check`` only verifies that the shipped file was trained on the current training data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

import commonground  # noqa: F401  # sets the BLAS thread default before numpy loads
from commonground.core.semantics.classifier_reading import CLASSIFIER_TEXT_VERSION, sector_features
from commonground.core.semantics.engines import DEFAULT_ENGINE, MULTILINGUAL_ENGINE, get_engine
from commonground.core.semantics.networks import network_arrays
from commonground.core.semantics.polarity import polarity
from commonground.core.semantics.sector_map import Group, load_sector_map
from commonground.core.semantics.stance_model import NONE, cue_features, load_stance_model

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "training"
OUT = ROOT / "src" / "commonground" / "data" / "stance"
VERSION = "2026.5"
# The decision threshold is the lowest whose cross-validated precision reaches this. The training
# sentences are adversarial by design (near misses, tricky goals), so their precision understates
# what ordinary profiles get; 0.95 was the rule until part D made the set harder (recall 0.40 at
# 0.95), so it is 0.93 from then on. Chosen before the holdout was run on the new weights.
PRECISION_GOAL = 0.95
# L2 penalties of the hidden-layer network tried by cross-validation; 256 hidden units (a 512-unit
# layer and two layers of 128 did worse in cross-validation, see docs/methods.md).
ALPHA_GRID = (0.1,)
HIDDEN = 256
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.5, 0.99, 0.01))
# How many networks a trained file holds, each from its own random start, their probabilities
# averaged (networks.py). One ships: five were measured (docs/methods.md, "Averaging networks trained
# from several seeds") and halved how far a retrain moves the answers, but their smoother
# probabilities let more near misses over the thresholds that cross-validation chose, on every
# red-line set. ``--members N`` trains N, for such experiments.
MEMBERS = 1
# Cross-validation is repeated with this many shuffles (at least one per member, each repeat's network
# from the member seeds in turn) and the out-of-fold probabilities averaged, so that the chosen
# threshold does not jump with one unlucky split.
REPEATS = 2
# The working-against head (counter_head): L2 strength, and the share of texts that DO a sector it
# may wrongly veto in leave-one-sector-out cross-validation.
COUNTER_C = 0.05
COUNTER_VETO_RATE = 0.10
# Screens only: the share of texts about a screen that do NOT do it which the red-line check may
# read as doing it, in cross-validation: the goal for false crossings, 2%. (Half of it, 1%,
# served until 2026.3; the harder near misses of parts L to O leave no threshold under 1%, so it
# came out at 0.99 with recall 0.)
NAMED_FALSE_RATE = 0.02


def training_files() -> list[Path]:
    """The training files, in a fixed order."""
    return sorted(TRAINING.glob("sector_stance_*.yaml"))


def training_sha256(group: Group = "sectors") -> str:
    """One hash over what the group's classifier learns from: its examples, its map entries, their cues.

    Only what this group reads counts, so new screens do not ask for the sectors' classifier to be
    trained again.
    """
    smap = load_sector_map()
    entries = [(s.id, s.prototypes, s.stance_for, s.stance_against) for s in (*smap.sectors, *smap.screens)]
    learnt = examples(group)
    digest = hashlib.sha256(
        json.dumps(
            [
                learnt,
                entries if group == "screens" else entries[: len(smap.sectors)],
                smap.neutral,
                [a.prototypes for a in smap.areas],
            ]
        ).encode()
    )
    # The word rules' reading of each training text is a feature, so a change to the lexicon or to
    # the rules that reads any of them differently asks for a retrain; one that reads none of them
    # differently (a role word, a measure word) does not.
    digest.update(json.dumps([cue_features(polarity(t)) for t in learnt[0]]).encode())
    return digest.hexdigest()


def red_line_pair_examples() -> list[tuple[str, str, bool]]:
    """(partner text, screen, crossed) of every training pair whose red line names a screen."""
    screens: dict[str, str | None] = yaml.safe_load(
        (TRAINING / "red_line_screens.yaml").read_text(encoding="utf-8")
    )["red_lines"]
    known = {s.id for s in load_sector_map().screens}
    unknown = {s for s in screens.values() if s is not None} - known
    if unknown:
        sys.exit(f"training/red_line_screens.yaml names unknown screens: {sorted(unknown)}")
    out: list[tuple[str, str, bool]] = []
    for path in sorted(TRAINING.glob("red_line_pairs*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            screen = screens.get(str(item["red_line"]))
            if screen is not None:
                out.append((str(item["partner_text"]), screen, bool(item["crossed"])))
    return out


def examples(group: Group = "sectors") -> tuple[list[str], list[str], list[str]]:
    """(texts, labels, topics): a sector id when the text puts the organisation in it, else "none";
    the sector a text is about whatever its stance, with its stance ("does:", "counters:",
    "neutral:") in front, or "none" for texts about no sector."""
    texts: list[str] = []
    labels: list[str] = []
    topics: list[str] = []
    smap = load_sector_map()
    own = {s.id for s in smap.group(group)}
    for path in training_files():
        items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
        for item in items:
            sector = str(item["sector"])
            if group == "sectors" and sector not in own and sector != NONE:
                continue
            texts.append(str(item["text"]))
            labels.append(sector if item["label"] == "does" and sector in own else NONE)
            topics.append(f"{item['label']}:{sector}" if sector in own else NONE)
    if group == "screens":
        # Partner texts of the red-line training pairs whose red line names a screen: a crossed
        # pair's text does that screen, one that is not crossed does not (it fights, reports on or
        # only neighbours the conduct). Those left out of the working-against head ("pair:"): a
        # near miss may be neutral rather than against.
        for text, screen, crossed in red_line_pair_examples():
            texts.append(text)
            labels.append(screen if crossed else NONE)
            topics.append(f"does:{screen}" if crossed else f"pair:{screen}")
    for sector in smap.group(group):
        for text in (*sector.prototypes, *sector.stance_for):
            texts.append(text)
            labels.append(sector.id)
            topics.append(f"does:{sector.id}")
        for text in sector.stance_against:
            texts.append(text)
            labels.append(NONE)
            topics.append(f"counters:{sector.id}")
    for text in (*smap.neutral, *(p for a in smap.areas for p in a.prototypes)):
        texts.append(text)
        labels.append(NONE)
        topics.append(NONE)
    unknown = set(labels) - own - {NONE}
    if unknown:
        sys.exit(f"training data names unknown sectors: {sorted(unknown)}")
    return texts, labels, topics


def counter_head(x: np.ndarray, topics: list[str]) -> tuple[np.ndarray, float, float, float, float]:
    """A linear head that says whether a text works AGAINST what it names, for any topic.

    Red lines about things outside the sector map (fur, child labour, animal testing) have no
    sector classifier; this head carries the stance it learned across the eleven sectors to them.
    Its threshold comes from leave-one-sector-out cross-validation (each sector judged by a head
    that never saw it): the lowest probability at which at most COUNTER_VETO_RATE of the texts that
    DO a sector would be vetoed. Returns weights, bias, threshold, and that threshold's precision
    and recall for working-against texts.
    """
    about = np.array([t != NONE and not t.startswith("pair:") for t in topics])
    y = np.array([t.startswith("counters:") for t in topics])
    sectors = np.array([t.split(":", 1)[1] if t != NONE else NONE for t in topics])
    does = np.array([t.startswith("does:") for t in topics])
    oof = np.zeros(len(topics))
    for sector in sorted(set(sectors[about])):
        train = about & (sectors != sector)
        test = about & (sectors == sector)
        head = LogisticRegression(C=COUNTER_C, max_iter=3000).fit(x[train], y[train])
        oof[test] = head.predict_proba(x[test])[:, 1]
    threshold = next(
        (float(t) for t in np.arange(0.5, 0.99, 0.01) if float(np.mean(oof[does] >= t)) <= COUNTER_VETO_RATE),
        0.99,
    )
    flagged = about & (oof >= threshold)
    precision = float(np.mean(y[flagged])) if flagged.any() else 0.0
    recall = float(np.mean(oof[about & y] >= threshold))
    head = LogisticRegression(C=COUNTER_C, max_iter=3000).fit(x[about], y[about])
    return head.coef_[0], float(head.intercept_[0]), round(threshold, 2), precision, recall


def named_threshold(
    oof: np.ndarray, classes: list[str], topics: list[str], *, false_rate: float = NAMED_FALSE_RATE
) -> tuple[float, float, float] | None:
    """The lowest probability at which a text counts as doing the screen a red line names.

    Asked about one screen (the one the red line names), a text does it when that screen is its
    likeliest screen and scores at least the threshold. Chosen on the out-of-fold probabilities of
    the training texts: the lowest threshold at which at most ``false_rate`` (NAMED_FALSE_RATE unless
    given) of the texts that are about a screen but do not do it (they fight, report on or only
    neighbour it, or are a red-line pair that is not crossed) would be read as doing it. Returns it,
    that false rate and the recall of the texts that do the screen; None when no threshold up to
    0.99 keeps the false rate that low.
    """
    screen_columns = [i for i, c in enumerate(classes) if c != NONE]
    asked: list[tuple[int, int, bool]] = []  # (row, column of the screen asked about, does it)
    for row, topic in enumerate(topics):
        if topic == NONE:
            continue
        stance, screen = topic.split(":", 1)
        asked.append((row, classes.index(screen), stance == "does"))

    def flagged(row: int, column: int, threshold: float) -> bool:
        best = max(screen_columns, key=lambda c: oof[row, c])
        return best == column and oof[row, column] >= threshold

    for threshold in np.arange(0.02, 1.0, 0.01):
        negatives = [flagged(r, c, threshold) for r, c, does in asked if not does]
        if float(np.mean(negatives)) <= false_rate:
            positives = [flagged(r, c, threshold) for r, c, does in asked if does]
            return round(float(threshold), 2), float(np.mean(negatives)), float(np.mean(positives))
    return None


def _fit(
    x: np.ndarray, y: np.ndarray, alpha: float, seeds: tuple[int, ...] = (0,)
) -> tuple[list[MLPClassifier], np.ndarray, np.ndarray]:
    """One network per seed on the same standardised features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    models = [
        MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=alpha, max_iter=500, random_state=seed).fit(
            (x - mean) / scale, y
        )
        for seed in seeds
    ]
    return models, mean, scale


def _precision_recall(
    probs: np.ndarray, classes: list[str], y: np.ndarray, threshold: float
) -> tuple[float, float]:
    best = probs.argmax(axis=1)
    predicted = np.where(probs.max(axis=1) >= threshold, np.array(classes)[best], NONE)
    attributed = predicted != NONE
    positive = y != NONE
    tp = int(np.sum(attributed & (predicted == y)))
    precision = tp / max(1, int(attributed.sum()))
    recall = tp / max(1, int(positive.sum()))
    return precision, recall


def main() -> None:
    """Cross-validate, fit on everything, write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the shipped weights match the data")
    parser.add_argument("--group", choices=("sectors", "screens"), default="sectors")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="seed of the first network and shuffle (default 0, what ships); another value trains an "
        "independent copy, to measure how much a retrain moves the answers",
    )
    parser.add_argument(
        "--members", type=int, default=MEMBERS, help=f"networks to average (default {MEMBERS}, what ships)"
    )
    parser.add_argument("--output", type=Path, help="write the weights here instead of under src/")
    args = parser.parse_args()
    group: Group = args.group
    first: int = args.first_seed
    members: int = args.members
    if args.check:
        shipped = load_stance_model(DEFAULT_ENGINE, group)
        ok = shipped is not None and shipped.training_sha256 == training_sha256(group)
        print(
            f"{group} stance model is up to date"
            if ok
            else f"{group} stance model is stale: run scripts/train-stance-model.py --group {group}"
        )
        sys.exit(0 if ok else 1)

    engine = get_engine(DEFAULT_ENGINE)
    texts, labels, topics = examples(group)
    print(f"{len(texts)} training texts, {sum(lbl != NONE for lbl in labels)} in a sector")
    vectors = engine.embed(texts)
    x = sector_features(
        texts,
        vectors,
        [polarity(t) for t in texts],
        engine=engine,
        reader=MULTILINGUAL_ENGINE,
        group=group,
    )
    y = np.array(labels)

    best: tuple[float, float, float, float] | None = None  # (recall, precision, alpha, threshold)
    best_oof: tuple[np.ndarray, list[str]] = (np.zeros(0), [])
    for c in ALPHA_GRID:
        oof = np.zeros((len(y), len(set(labels))), dtype=np.float64)
        classes: list[str] = []
        repeats = max(REPEATS, members)
        for repeat in range(repeats):
            folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=7 + first + repeat)
            for train, test in folds.split(x, y):
                (model,), mean, scale = _fit(x[train], y[train], c, seeds=(first + repeat % members,))
                classes = list(model.classes_)
                oof[test] += model.predict_proba((x[test] - mean) / scale) / repeats
        for threshold in THRESHOLDS:
            precision, recall = _precision_recall(oof, classes, y, threshold)
            print(
                f"  alpha={c:<5} threshold {threshold:.2f}: CV precision {precision:.3f} recall {recall:.3f}"
            )
            if precision >= PRECISION_GOAL and (best is None or recall > best[0]):
                best = (recall, precision, c, threshold)
                best_oof = (oof.copy(), classes)
    if best is None:
        sys.exit(f"no setting reached CV precision {PRECISION_GOAL}")
    recall, precision, c, threshold = best
    named: tuple[float, float, float] | None = None
    if group == "screens":
        for rate in (0.01, 0.02, 0.03, 0.05):
            line = named_threshold(best_oof[0], best_oof[1], topics, false_rate=rate)
            print(
                f"  named-screen trade-off: at most {rate:.0%} false -> "
                + (
                    f"threshold {line[0]:.2f}, false {line[1]:.3f}, recall {line[2]:.3f}"
                    if line is not None
                    else "no threshold up to 0.99"
                )
            )
        named = named_threshold(best_oof[0], best_oof[1], topics)
        if named is None:
            # Shipping a threshold no text reaches would silently switch the named-screen check off.
            sys.exit(f"no named-screen threshold up to 0.99 keeps false reads under {NAMED_FALSE_RATE:.0%}")
        print(
            f"named-screen threshold {named[0]:.2f}: CV false {named[1]:.3f} of texts about a screen "
            f"that do not do it, recall {named[2]:.3f} of those that do"
        )
    print(f"chosen: alpha={c} threshold {threshold:.2f} (CV precision {precision:.3f}, recall {recall:.3f})")

    models, mean, scale = _fit(x, y, c, seeds=tuple(range(first, first + members)))
    model = models[0]  # for its classes; every member has the same
    weights, bias, counter_threshold, counter_precision, counter_recall = counter_head(
        (x - mean) / scale, topics
    )
    print(
        f"working-against head: threshold {counter_threshold:.2f}, leave-one-sector-out precision "
        f"{counter_precision:.3f}, recall {counter_recall:.3f}"
    )
    meta = {
        "version": VERSION,
        # What text the features were built from (classifier_reading.classifier_text); a test compares it.
        "features": CLASSIFIER_TEXT_VERSION,
        "group": group,
        "engine": engine.name,
        "classes": list(model.classes_),
        "threshold": threshold,
        "training_sha256": training_sha256(group),
        "training_texts": len(texts),
        "cv_precision": round(precision, 4),
        "cv_recall": round(recall, 4),
        "alpha": c,
        "hidden": HIDDEN,
        "members": members,
        "reader": MULTILINGUAL_ENGINE,
        "counter_threshold": counter_threshold,
        "counter_precision": round(counter_precision, 4),
        "counter_recall": round(counter_recall, 4),
    }
    if named is not None:
        meta |= {
            "named_threshold": named[0],
            "named_false_rate": round(named[1], 4),
            "named_recall": round(named[2], 4),
        }
    path = args.output or OUT / (f"{engine.name}.npz" if group == "sectors" else f"{group}-{engine.name}.npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        meta=np.array(json.dumps(meta)),
        **network_arrays(models, mean, scale),
        counter_weights=weights.astype(np.float32),
        counter_bias=np.array(bias, dtype=np.float32),
    )
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
