"""The trained goal-interaction model: do two goals pull the same way, different ways, or neither?

Two goals that aim at one outcome are often worded from opposite ends ("cut sugar in our own-brand
drinks" and "halve childhood obesity"; "phase out coal lending" and "close the region's coal
plants"), so their similarity is low and the direction words of one name a harm; topic similarity
and word rules read such pairs as unrelated or opposed. This model reads the pair as a whole: a
small neural network (one hidden layer of ReLU units, softmax over negative / zero / positive)
over symmetric features of the two goals (:func:`pair_features`): their MiniLM and multilingual
similarities, the element-wise product and difference of their multilingual embeddings, what the
stance classifier says each goal does to each sensitive sector, and the word rules' stance.

It decides the SIGN of a goal pair only after the curated rules (a sector-map row, a measure put
in force against one held back) had nothing to say, and only when it is sure (its thresholds);
otherwise the similarity rules decide as before. The strength on Nilsson's scale follows the
model's confidence and the goals' similarity (see :mod:`commonground.core.interactions`).
Trained by ``scripts/train-interaction-model.py`` on goal pairs written for training only
(training/goal_pairs.yaml), never on tests/data/holdout/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from commonground.core.semantics.classifier_reading import classifier_inputs
from commonground.core.semantics.engines import EmbeddingEngine, get_engine
from commonground.core.semantics.networks import HiddenLayerNetwork, read_model_file
from commonground.core.semantics.polarity import Polarity, polarity
from commonground.core.semantics.sectors import TextReading
from commonground.core.semantics.stance_model import load_stance_model

__all__ = ["GoalTraits", "InteractionModel", "goal_traits", "load_interaction_model", "pair_features"]

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class GoalTraits:
    """What the pair features need of one goal, computed once per goal."""

    vector: Matrix  # engine embedding
    reader: Matrix  # multilingual embedding
    stance: Matrix  # stance classifier probabilities over its classes
    cues: Matrix  # word-rule sign, harm, explicit


def goal_cues(p: Polarity) -> list[float]:
    """The word rules' reading of a goal as the model's features: sign, harm, explicit."""
    return [float(p.sign), float(p.harm), float(p.explicit)]


def goal_traits(
    readings: Sequence[TextReading], vectors: Matrix, *, engine: EmbeddingEngine
) -> list[GoalTraits] | None:
    """Traits of each goal from its reading, or None when the stance classifier did not read them."""
    model = load_stance_model(engine.name)
    probs = [r.stance_probabilities for r in readings if r.stance_probabilities is not None]
    if model is None or not readings or len(probs) != len(readings):
        return None
    texts = [r.text for r in readings]
    # The classifier's own inputs: the word rules' reading before the embedding backstop.
    cues = [np.array(goal_cues(polarity(t)), dtype=np.float32) for t in texts]
    # Read without closing punctuation, as the stance classifiers do: no training goal ends with a
    # full stop, so one must not move a goal's embeddings away from what the network learned.
    bare, vectors = classifier_inputs(texts, vectors, engine=engine)
    reader = get_engine(model.reader).embed(bare)
    return [GoalTraits(vectors[i], reader[i], probs[i], cues[i]) for i in range(len(texts))]


def pair_features(a: Sequence[GoalTraits], b: Sequence[GoalTraits]) -> Matrix:
    """Symmetric features of each pair (a[i], b[i]): swapping the goals gives the same row."""
    va, vb = np.stack([t.vector for t in a]), np.stack([t.vector for t in b])
    ua, ub = np.stack([t.reader for t in a]), np.stack([t.reader for t in b])
    pa, pb = np.stack([t.stance for t in a]), np.stack([t.stance for t in b])
    ca, cb = np.stack([t.cues for t in a]), np.stack([t.cues for t in b])
    cos_m = np.sum(va * vb, axis=1, keepdims=True)
    cos_u = np.sum(ua * ub, axis=1, keepdims=True)
    out: Matrix = np.hstack(
        [
            cos_m,
            cos_u,
            ua * ub,
            np.abs(ua - ub),
            pa + pb,
            np.abs(pa - pb),
            pa * pb,
            ca + cb,
            np.abs(ca - cb),
            ca * cb,
        ]
    ).astype(np.float32)
    return out


@dataclass(frozen=True)
class InteractionModel:
    """Weights of the pair network for one embedding engine, with where they came from."""

    version: str
    engine: str
    classes: tuple[int, ...]  # -1, 0, 1
    network: HiddenLayerNetwork
    # The model gives a pair its sign only at these probabilities or more (chosen on the training
    # pairs so that few pairs of another sign are given it); below them the rules decide.
    negative_threshold: float
    positive_threshold: float
    training_sha256: str

    def probabilities(self, features: Matrix) -> Matrix:
        """Probabilities of negative, zero and positive interaction, one row per pair."""
        probs = self.network.probabilities(features)
        order = [self.classes.index(c) for c in (-1, 0, 1)]
        out: Matrix = probs[:, order].astype(np.float32)
        return out


@lru_cache(maxsize=4)
def load_interaction_model(engine: str) -> InteractionModel | None:
    """The pair network trained on ``engine``'s embeddings, or None when none ships for it."""
    found = read_model_file(f"interaction/{engine}.npz")
    if found is None:
        return None
    meta, data = found
    return InteractionModel(
        version=meta["version"],
        engine=meta["engine"],
        classes=tuple(int(c) for c in meta["classes"]),
        network=HiddenLayerNetwork.from_arrays(data),
        negative_threshold=float(meta["negative_threshold"]),
        positive_threshold=float(meta["positive_threshold"]),
        training_sha256=meta["training_sha256"],
    )
