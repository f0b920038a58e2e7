"""The small feed-forward networks the engine ships: standardise, one ReLU layer, softmax.

Both trained models (the sector-stance classifier and the goal-interaction model) are this shape,
trained with scikit-learn's ``MLPClassifier`` by the scripts under ``scripts/`` and run here with
numpy alone, so scikit-learn is needed to train, never to assess.

A file may hold several such networks trained on the same data from different random starts (the
"members", stacked on a leading axis); their probabilities are averaged. The shipped files hold
one each: five halved how far a retrain moves the answers but let more near misses over the
thresholds (docs/methods.md, "Averaging networks trained from several seeds").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["HiddenLayerNetwork", "network_arrays", "read_model_file"]

Matrix = npt.NDArray[np.float32]
_ARRAYS = ("mean", "scale", "hidden_weights", "hidden_bias", "weights", "bias")  # field order


@dataclass(frozen=True)
class HiddenLayerNetwork:
    """Feature standardisation, one hidden layer of ReLU units, a softmax output, averaged over members."""

    mean: Matrix  # fitted on the training set, shared by every member
    scale: Matrix
    hidden_weights: Matrix  # (members, features, hidden)
    hidden_bias: Matrix  # (members, hidden)
    weights: Matrix  # (members, hidden, classes)
    bias: Matrix  # (members, classes)

    @property
    def members(self) -> int:
        """How many networks are averaged."""
        return int(self.hidden_weights.shape[0])

    def standardised(self, features: Matrix) -> Matrix:
        """The features as the network saw them in training."""
        out: Matrix = (features - self.mean) / self.scale
        return out

    def probabilities(self, features: Matrix) -> Matrix:
        """Class probabilities, one row per input row (the mean of the members' softmax outputs)."""
        x = self.standardised(features)
        total: Matrix | None = None
        for member in range(self.members):
            hidden = np.maximum(x @ self.hidden_weights[member] + self.hidden_bias[member], 0.0)
            logits = hidden @ self.weights[member] + self.bias[member]
            logits -= logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            probs = exp / exp.sum(axis=1, keepdims=True)
            total = probs if total is None else total + probs
        assert total is not None  # a network has at least one member
        out: Matrix = (total / self.members).astype(np.float32)
        return out

    @classmethod
    def from_arrays(cls, data: Any) -> HiddenLayerNetwork:
        """Read the arrays :func:`network_arrays` wrote (an open ``np.load`` file).

        Files written before networks were averaged hold one network without the members axis.
        """
        mean, scale, *layers = (np.asarray(data[k], dtype=np.float32) for k in _ARRAYS)
        if layers[0].ndim == 2:
            layers = [layer[np.newaxis] for layer in layers]
        return cls(mean, scale, *layers)


def network_arrays(
    model: Any | Sequence[Any], mean: npt.NDArray[Any], scale: npt.NDArray[Any]
) -> dict[str, Matrix]:
    """The arrays of fitted one-hidden-layer ``MLPClassifier``s (one or several) and their standardisation."""
    models = list(model) if isinstance(model, Sequence) else [model]
    if not models or any(m.classes_.tolist() != models[0].classes_.tolist() for m in models):
        raise ValueError("averaged networks need at least one member, all with the same classes")
    return {
        "mean": mean.astype(np.float32),
        "scale": scale.astype(np.float32),
        "hidden_weights": np.stack([m.coefs_[0] for m in models]).astype(np.float32),
        "hidden_bias": np.stack([m.intercepts_[0] for m in models]).astype(np.float32),
        "weights": np.stack([m.coefs_[1] for m in models]).astype(np.float32),
        "bias": np.stack([m.intercepts_[1] for m in models]).astype(np.float32),
    }


def read_model_file(relative: str) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]] | None:
    """The metadata and arrays of a shipped model file under ``data/``, or None when none ships."""
    source = resources.files("commonground.data").joinpath(relative)
    if not source.is_file():
        return None
    with source.open("rb") as handle, np.load(handle) as data:
        arrays = {key: data[key] for key in data.files if key != "meta"}
        return json.loads(str(data["meta"])), arrays
