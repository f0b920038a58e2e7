"""The shipped vectors of the curated texts: complete, current, and identical to fresh ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from commonground.core.semantics import engines, prototypes, sdgs

REBUILD = "run .venv/bin/python scripts/build-anchor-vectors.py"


@pytest.fixture(scope="module")
def shipped() -> dict[str, np.ndarray]:
    source = engines.anchor_vectors_file(engines.DEFAULT_ENGINE)
    with source.open("rb") as handle, np.load(handle) as data:
        return {"fingerprint": data["fingerprint"], "keys": data["keys"], "vectors": data["vectors"]}


def test_file_was_made_by_the_model_we_run(shipped: dict[str, np.ndarray]) -> None:
    assert str(shipped["fingerprint"]) == engines.MiniLmOnnxEngine.fingerprint, REBUILD


def test_every_anchor_text_is_shipped(shipped: dict[str, np.ndarray]) -> None:
    wanted = {engines.CachedEngine._key(t) for t in sdgs.anchor_texts() + prototypes.anchor_texts()}
    missing = wanted - {str(k) for k in shipped["keys"]}
    assert not missing, f"{len(missing)} anchor texts changed or were added: {REBUILD}"


def test_shipped_vectors_equal_fresh_embeddings() -> None:
    texts = sorted(set(sdgs.anchor_texts() + prototypes.anchor_texts()))[::50]
    preloaded = engines.CachedEngine(engines.MiniLmOnnxEngine())
    assert preloaded.load_vectors(engines.anchor_vectors_file(engines.DEFAULT_ENGINE)) > 0
    fresh = engines.MiniLmOnnxEngine().embed(texts)
    np.testing.assert_allclose(preloaded.embed(texts), fresh, atol=1e-5)


def test_a_file_from_another_model_is_ignored(tmp_path: Path) -> None:
    class Other:
        name = "other"
        dim = 2
        fingerprint = "another-model"

        def embed(self, texts):  # type: ignore[no-untyped-def]
            return np.ones((len(texts), 2), dtype=np.float32) / np.sqrt(2)

    path = tmp_path / "other.npz"
    engines.CachedEngine(Other()).save_vectors(path, ["a", "b"])
    assert engines.CachedEngine(Other()).load_vectors(path) == 2
    Other.fingerprint = "a-newer-model"
    assert engines.CachedEngine(Other()).load_vectors(path) == 0


def test_the_readers_file_holds_the_sdg_texts_it_maps_other_languages_with() -> None:
    source = engines.anchor_vectors_file(engines.MULTILINGUAL_ENGINE)
    with source.open("rb") as handle, np.load(handle) as data:
        keys = {str(k) for k in data["keys"]}
    missing = {engines.CachedEngine._key(t) for t in sdgs.anchor_texts()} - keys
    assert not missing, f"{len(missing)} SDG texts are not shipped for the reader: {REBUILD}"
