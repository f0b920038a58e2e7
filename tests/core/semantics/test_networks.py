"""The shipped networks' arithmetic: one network, several averaged, and files of either shape."""

from __future__ import annotations

import io

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

from commonground.core.semantics.networks import HiddenLayerNetwork, network_arrays


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(120, 6))
    y = np.array(["a", "b", "c"])[(x[:, 0] > 0).astype(int) + (x[:, 1] > 1).astype(int)]
    return x, y


def _fitted(seed: int) -> MLPClassifier:
    x, y = _data()
    return MLPClassifier(hidden_layer_sizes=(8,), max_iter=400, random_state=seed).fit(x, y)


def _saved(arrays: dict[str, np.ndarray]) -> HiddenLayerNetwork:
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    buffer.seek(0)
    with np.load(buffer) as data:
        return HiddenLayerNetwork.from_arrays(data)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_one_network_gives_what_scikit_learn_gives() -> None:
    x, _ = _data()
    model = _fitted(0)
    network = _saved(network_arrays(model, np.zeros(6), np.ones(6)))
    assert network.members == 1
    assert np.allclose(network.probabilities(x.astype(np.float32)), model.predict_proba(x), atol=1e-5)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_several_networks_are_averaged() -> None:
    x, _ = _data()
    models = [_fitted(seed) for seed in range(3)]
    network = _saved(network_arrays(models, np.zeros(6), np.ones(6)))
    assert network.members == 3
    expected = np.mean([m.predict_proba(x) for m in models], axis=0)
    assert np.allclose(network.probabilities(x.astype(np.float32)), expected, atol=1e-5)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_file_written_before_averaging_still_reads() -> None:
    # Older files hold one network's layers without the members axis.
    x, _ = _data()
    model = _fitted(1)
    network = _saved(
        {
            "mean": np.zeros(6),
            "scale": np.ones(6),
            "hidden_weights": model.coefs_[0],
            "hidden_bias": model.intercepts_[0],
            "weights": model.coefs_[1],
            "bias": model.intercepts_[1],
        }
    )
    assert network.members == 1
    assert np.allclose(network.probabilities(x.astype(np.float32)), model.predict_proba(x), atol=1e-5)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_networks_with_different_classes_are_not_averaged() -> None:
    x, y = _data()
    other = MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0).fit(
        x, np.where(y == "c", "b", y)
    )
    with pytest.raises(ValueError, match="same classes"):
        network_arrays([_fitted(0), other], np.zeros(6), np.ones(6))
