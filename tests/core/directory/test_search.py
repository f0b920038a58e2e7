"""Exact search: the int8 scan plus float re-rank gives the brute-force answer, filters included."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.core.directory.search import brute_force_top_k, exact_top_k, quantise


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _random(n: int, dim: int, seed: int) -> np.ndarray:
    return _unit(np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32))


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Tight clusters of near-duplicates: the case where int8 rounding reorders neighbours."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((20, dim)).astype(np.float32)
    rows = centres[rng.integers(0, 20, n)] + 0.01 * rng.standard_normal((n, dim)).astype(np.float32)
    return _unit(rows)


def _search(vectors: np.ndarray, query: np.ndarray, k: int, mask: np.ndarray | None = None):
    q = quantise(vectors)
    return exact_top_k(q.codes, q.scales, q.errors, vectors, query, k, mask=mask)


@pytest.mark.parametrize("make", [_random, _clustered])
def test_recall_is_one_against_brute_force(make) -> None:
    vectors = make(20_000, 64, seed=1)
    queries = make(25, 64, seed=2)
    for query in queries:
        got = _search(vectors, query, 20)
        want = brute_force_top_k(vectors, query, 20)
        assert got.rows.tolist() == want.rows.tolist()
        np.testing.assert_allclose(got.scores, want.scores, rtol=1e-5, atol=1e-6)


def test_a_small_oversample_still_gives_the_exact_answer() -> None:
    """The error bound pulls in every row that might belong, however few candidates the scan keeps."""
    vectors = _clustered(5_000, 32, seed=3)
    query = vectors[17] + 0.001
    q = quantise(vectors)
    got = exact_top_k(q.codes, q.scales, q.errors, vectors, query, 50, oversample=1)
    assert got.rows.tolist() == brute_force_top_k(vectors, query, 50).rows.tolist()


@pytest.mark.parametrize("share", [0.01, 0.5])
def test_filters_lose_no_recall(share: float) -> None:
    """A filter keeping 1% (gathered) or half (masked scan) of rows returns exactly the best allowed rows."""
    vectors = _random(30_000, 48, seed=4)
    mask = np.random.default_rng(5).random(len(vectors)) < share
    for query in _random(10, 48, seed=6):
        got = _search(vectors, query, 20, mask=mask)
        want = brute_force_top_k(vectors, query, 20, mask=mask)
        assert got.rows.tolist() == want.rows.tolist()
        assert mask[got.rows].all()


def test_fewer_allowed_rows_than_asked_for() -> None:
    vectors = _random(1_000, 16, seed=7)
    mask = np.zeros(len(vectors), dtype=bool)
    mask[[3, 500, 999]] = True
    got = _search(vectors, vectors[0], 20, mask=mask)
    assert sorted(got.rows.tolist()) == [3, 500, 999]
    assert _search(vectors, vectors[0], 5, mask=np.zeros(len(vectors), dtype=bool)).rows.tolist() == []


def test_quantisation_keeps_rows_close() -> None:
    vectors = _random(500, 384, seed=8)
    q = quantise(vectors)
    rebuilt = q.codes.astype(np.float32) * q.scales[:, None]
    assert np.all(np.linalg.norm(vectors - rebuilt, axis=1) <= q.errors)
    assert q.codes.dtype == np.int8
