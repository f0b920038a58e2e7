"""The small feed-forward networks the engine ships: standardise, one ReLU layer, softmax.

Both trained models (the sector-stance classifier and the goal-interaction model) are this shape,
trained with scikit-learn's ``MLPClassifier`` by the scripts under ``scripts/`` and run here with
numpy alone, so scikit-learn is needed to train, never to assess.
"""

from __future__ import annotations

import json
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
    """Feature standardisation, one hidden layer of ReLU units, a softmax output."""

    mean: Matrix  # fitted on the training set
    scale: Matrix
    hidden_weights: Matrix  # (features, hidden)
    hidden_bias: Matrix  # (hidden,)
    weights: Matrix  # (hidden, classes)
    bias: Matrix  # (classes,)

    def standardised(self, features: Matrix) -> Matrix:
        """The features as the network saw them in training."""
        out: Matrix = (features - self.mean) / self.scale
        return out

    def probabilities(self, features: Matrix) -> Matrix:
        """Class probabilities, one row per input row."""
        hidden = np.maximum(self.standardised(features) @ self.hidden_weights + self.hidden_bias, 0.0)
        logits = hidden @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out: Matrix = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    @classmethod
    def from_arrays(cls, data: Any) -> HiddenLayerNetwork:
        """Read the arrays :func:`network_arrays` wrote (an open ``np.load`` file)."""
        return cls(*(data[k].astype(np.float32) for k in _ARRAYS))


def network_arrays(model: Any, mean: npt.NDArray[Any], scale: npt.NDArray[Any]) -> dict[str, Matrix]:
    """The arrays of a fitted one-hidden-layer ``MLPClassifier`` and its standardisation, to save."""
    return {
        "mean": mean.astype(np.float32),
        "scale": scale.astype(np.float32),
        "hidden_weights": model.coefs_[0].astype(np.float32),
        "hidden_bias": model.intercepts_[0].astype(np.float32),
        "weights": model.coefs_[1].astype(np.float32),
        "bias": model.intercepts_[1].astype(np.float32),
    }


def read_model_file(relative: str) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]] | None:
    """The metadata and arrays of a shipped model file under ``data/``, or None when none ships."""
    source = resources.files("commonground.data").joinpath(relative)
    if not source.is_file():
        return None
    with source.open("rb") as handle, np.load(handle) as data:
        arrays = {key: data[key] for key in data.files if key != "meta"}
        return json.loads(str(data["meta"])), arrays
