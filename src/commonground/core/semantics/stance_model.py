"""The trained sector-stance classifier: does this text put the organisation IN a sensitive sector?

Embedding similarity says what a text is ABOUT; it cannot tell "sells cigarettes" from "helps
smokers quit". This second step decides. It is a small neural network (one hidden layer of ReLU
units, softmax output) over four groups of features of one text
(:func:`commonground.core.semantics.classifier_reading.sector_features`):

- the text's MiniLM sentence embedding, the engine's own reading;
- its best similarity to each sector's prototype phrases (which sector it is about, how clearly);
- the word rules' reading of its stance (for / against / neutral, harm words, control words, past
  ties), so that the explicit cues we trust are one input among others, not the last word;
- the text's embedding by the multilingual reader (Universal Sentence Encoder multilingual), which
  carries the verbs of doing and of fighting across English, French, Spanish, German and more.

A linear model over the same features reached a cross-validated precision of 0.79 at recall 0.84
on the training sentences; the hidden layer 0.88 at 0.80 (threshold 0.5), see docs/methods.md.

Its classes are the sector ids of data/sectors.yaml plus ``none``. It was trained by
``scripts/train-stance-model.py`` on labelled sentences written for training only (training/),
never on the holdout sets under tests/data/holdout/. Weights ship per embedding engine in
data/stance/<engine>.npz with the training data's sha256, the version and the decision threshold;
an engine without a file falls back to the word rules and similarity thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

import numpy as np
import numpy.typing as npt

from commonground.core.semantics.networks import HiddenLayerNetwork, read_model_file
from commonground.core.semantics.polarity import Polarity

__all__ = ["NONE", "StanceModel", "cue_features", "load_stance_model"]

NONE = "none"
Matrix = npt.NDArray[np.float32]


def cue_features(stance: Polarity) -> list[float]:
    """The word rules' reading of a text as numbers, in a fixed order."""
    return [
        float(stance.role == "for"),
        float(stance.role == "against"),
        float(stance.role == "neutral"),
        float(stance.explicit),
        float(stance.past),
        float(stance.harm),
        float(stance.controlled),
        float(stance.direction),
    ]


@dataclass(frozen=True)
class StanceModel:
    """Weights of the classifier for one embedding engine, with where they came from."""

    version: str
    engine: str
    classes: tuple[str, ...]
    reader: str  # the multilingual engine whose embeddings are the last feature group
    network: HiddenLayerNetwork
    threshold: float  # a sector is attributed at this probability or more
    training_sha256: str
    # A linear head on the same features: the probability that a text works AGAINST what it names,
    # whatever the topic (used for red lines about things outside the sector map).
    counter_weights: Matrix
    counter_bias: float
    counter_threshold: float
    # Screens only: the probability at which a text does the one screen a red line names (chosen in
    # cross-validation by scripts/train-stance-model.py); None for the sectors' classifier.
    named_threshold: float | None = None

    def probabilities(self, features: Matrix) -> Matrix:
        """Class probabilities, one row per text."""
        return self.network.probabilities(features)

    def working_against(self, features: Matrix) -> Matrix:
        """Probability that each text works against what it names (fights, treats, replaces ...)."""
        z = self.network.standardised(features) @ self.counter_weights + self.counter_bias
        out: Matrix = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out


def _file_name(engine: str, group: str) -> str:
    # The sectors' classifier keeps the name it always had; the screens' is prefixed.
    return f"stance/{engine}.npz" if group == "sectors" else f"stance/{group}-{engine}.npz"


def stance_model_file(engine: str, group: str = "sectors") -> Traversable:
    """Where the shipped weights for ``engine`` (and the sectors or the screens) live."""
    return resources.files("commonground.data").joinpath(_file_name(engine, group))


@lru_cache(maxsize=8)
def load_stance_model(engine: str, group: str = "sectors") -> StanceModel | None:
    """The classifier of the sectors (or screens) on ``engine``'s embeddings, or None if none ships."""
    found = read_model_file(_file_name(engine, group))
    if found is None:
        return None
    meta, data = found
    return StanceModel(
        version=meta["version"],
        engine=meta["engine"],
        classes=tuple(meta["classes"]),
        reader=meta["reader"],
        network=HiddenLayerNetwork.from_arrays(data),
        threshold=float(meta["threshold"]),
        training_sha256=meta["training_sha256"],
        counter_weights=data["counter_weights"].astype(np.float32),
        counter_bias=float(data["counter_bias"]),
        counter_threshold=float(meta["counter_threshold"]),
        named_threshold=float(meta["named_threshold"]) if "named_threshold" in meta else None,
    )
