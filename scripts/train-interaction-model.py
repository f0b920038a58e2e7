#!/usr/bin/env python
"""Train the goal-interaction model and write src/commonground/data/interaction/<engine>.npz.

    .venv/bin/python scripts/train-interaction-model.py [--check]

Training data: training/goal_pairs*.yaml (goal pairs labelled on Nilsson's -3..+3 scale, written for
training only; the model learns the sign; part B adds same-aim pairs worded from opposite ends).
Both orders of every pair are used, so the network cannot learn which side a goal was written on.
The penalty is chosen by 5-fold cross-validation on the training pairs; the holdout sets under
tests/data/holdout/ are never read here. Run after retraining the stance classifier, whose
probabilities are among the features.
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
from sklearn.model_selection import KFold
from sklearn.neural_network import MLPClassifier

import commonground  # noqa: F401  # sets the BLAS thread default before numpy loads
from commonground.core.semantics.classifier_reading import CLASSIFIER_TEXT_VERSION
from commonground.core.semantics.engines import DEFAULT_ENGINE, get_engine
from commonground.core.semantics.interaction_model import (
    goal_cues,
    goal_traits,
    load_interaction_model,
    pair_features,
)
from commonground.core.semantics.networks import network_arrays
from commonground.core.semantics.polarity import polarity
from commonground.core.semantics.sectors import read_texts
from commonground.core.semantics.stance_model import stance_model_file

ROOT = Path(__file__).resolve().parent.parent
DATA = sorted((ROOT / "training").glob("goal_pairs*.yaml"))
OUT = ROOT / "src" / "commonground" / "data" / "interaction"
VERSION = "2026.4"
ALPHA_GRID = (0.3, 1.0, 3.0)
HIDDEN = 128
# Networks averaged in the shipped file (networks.py); one, as for the stance classifiers (see
# MEMBERS in train-stance-model.py). Cross-validation runs once per member, each with its own shuffle
# and seed, the out-of-fold probabilities averaged.
MEMBERS = 1
FALSE_SIGN_RATE = 0.05


def training_sha256() -> str:
    """One hash over the training pairs, the stance classifier and the word rules' cues, all features."""
    digest = hashlib.sha256()
    goals: list[str] = []
    for path in DATA:
        digest.update(path.read_bytes())
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
        goals += [str(item[side]) for item in items for side in ("goal_a", "goal_b")]
    digest.update(stance_model_file(DEFAULT_ENGINE).read_bytes())
    # The word rules' reading of each goal is a feature (interaction_model.goal_traits): a lexicon
    # change that reads any training goal differently asks for a retrain.
    digest.update(json.dumps([goal_cues(polarity(g)) for g in goals]).encode())
    return digest.hexdigest()


def _fit(
    x: np.ndarray, y: np.ndarray, alpha: float, seeds: tuple[int, ...] = (0,)
) -> tuple[list[MLPClassifier], np.ndarray, np.ndarray]:
    """One network per seed on the same standardised features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    models = [
        MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=alpha, max_iter=600, random_state=seed).fit(
            (x - mean) / scale, y
        )
        for seed in seeds
    ]
    return models, mean, scale


def main() -> None:
    """Cross-validate, fit on every pair in both orders, write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the shipped weights match the data")
    args = parser.parse_args()
    if args.check:
        shipped = load_interaction_model(DEFAULT_ENGINE)
        ok = shipped is not None and shipped.training_sha256 == training_sha256()
        print("interaction model is up to date" if ok else "interaction model is stale: retrain it")
        sys.exit(0 if ok else 1)

    items: list[dict[str, Any]] = [
        item for path in DATA for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    ]
    engine = get_engine(DEFAULT_ENGINE)
    goals_a = [str(i["goal_a"]) for i in items]
    goals_b = [str(i["goal_b"]) for i in items]
    vectors_a, vectors_b = engine.embed(goals_a), engine.embed(goals_b)
    traits_a = goal_traits(read_texts(goals_a, vectors_a, engine=engine), vectors_a, engine=engine)
    traits_b = goal_traits(read_texts(goals_b, vectors_b, engine=engine), vectors_b, engine=engine)
    if traits_a is None or traits_b is None:
        sys.exit("no stance classifier ships for the default engine: run scripts/train-stance-model.py first")
    x = pair_features(traits_a, traits_b)
    y = np.sign(np.array([int(i["score"]) for i in items]))
    counts = {sign: int((y == sign).sum()) for sign in (-1, 0, 1)}
    print(f"{len(items)} training pairs: {counts[-1]} negative, {counts[0]} zero, {counts[1]} positive")

    best: tuple[float, float, np.ndarray] | None = None
    for alpha in ALPHA_GRID:
        oof = np.zeros((len(y), 3))
        for repeat in range(MEMBERS):
            for train, test in KFold(n_splits=5, shuffle=True, random_state=7 + repeat).split(x):
                (model,), mean, scale = _fit(x[train], y[train], alpha, seeds=(repeat,))
                oof[test] += model.predict_proba((x[test] - mean) / scale) / MEMBERS
        predicted = np.array([-1, 0, 1])[oof.argmax(axis=1)]
        accuracy = float(np.mean(predicted == y))
        per_sign = {s: round(float(np.mean(predicted[y == s] == s)), 3) for s in (-1, 0, 1)}
        print(f"  alpha={alpha:<4} CV sign accuracy {accuracy:.3f}  per sign {per_sign}")
        if best is None or accuracy > best[0]:
            best = (accuracy, alpha, oof)
    assert best is not None
    accuracy, alpha, oof = best
    print(f"chosen: alpha={alpha} (CV sign accuracy {accuracy:.3f})")
    # Most goal pairs in a real partnership are unrelated, far more than in the training pairs, so
    # the model decides a sign only when it is sure: the lowest probability at which at most
    # FALSE_SIGN_RATE of the out-of-fold pairs without that sign would be given it. Below both
    # thresholds the curated similarity rules decide, as before the model.
    thresholds = {}
    for column, sign in ((0, -1), (2, 1)):
        others = oof[y != sign, column]
        grid = np.arange(0.5, 1.0, 0.025)
        chosen = next((t for t in grid if float(np.mean(others >= t)) <= FALSE_SIGN_RATE), grid[-1])
        hits = float(np.mean(oof[y == sign, column] >= chosen))
        thresholds[sign] = round(float(chosen), 3)
        print(f"  sign {sign:+d}: threshold {chosen:.3f} gives it to {hits:.1%} of its pairs (CV)")

    # Both orders: the features are symmetric, so this only doubles the weight of every pair.
    models, mean, scale = _fit(
        np.vstack([x, pair_features(traits_b, traits_a)]),
        np.concatenate([y, y]),
        alpha,
        seeds=tuple(range(MEMBERS)),
    )
    model = models[0]  # for its classes; every member has the same
    meta = {
        "version": VERSION,
        # What text the features were built from (classifier_reading.classifier_text); a test compares it.
        "features": CLASSIFIER_TEXT_VERSION,
        "engine": engine.name,
        "classes": [int(c) for c in model.classes_],
        "training_sha256": training_sha256(),
        "training_pairs": len(items),
        "cv_sign_accuracy": round(accuracy, 4),
        "alpha": alpha,
        "hidden": HIDDEN,
        "members": MEMBERS,
        "negative_threshold": thresholds[-1],
        "positive_threshold": thresholds[1],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{engine.name}.npz"
    np.savez_compressed(
        path,
        meta=np.array(json.dumps(meta)),
        **network_arrays(models, mean, scale),
    )
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
