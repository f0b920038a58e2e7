"""Exact search: the int8 scan plus float re-rank gives the brute-force answer, filters included."""

from __future__ import annotations

import numkong
import numpy as np
import pytest
import simsimd

from commonground.core.directory.scan_kernels import (
    KERNEL_SETTING,
    KERNELS,
    THREADED_FROM,
    THREADS_SETTING,
    scan_kernel,
    scan_threads,
)
from commonground.core.directory.search import (
    brute_force_top_k,
    exact_top_k,
    integer_dots,
    quantise,
    quantise_query,
)


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


def _simd_levels(module=simsimd) -> list[list[str]]:
    """The capabilities to switch off in turn so every SIMD path of this CPU runs, down to plain C."""
    order = [
        *("sapphire", "turin", "genoa", "ice", "icelake", "diamond", "skylake", "haswell", "sierra"),
        *("alder", "neon_i8", "sve_i8", "neonsdot", "svesdot", "neon", "sve"),
    ]
    present = [name for name in order if module.get_capabilities().get(name)]
    return [present[:i] for i in range(len(present) + 1)]


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("dim", [1, 7, 63, 64, 65, 383, 384, 1024, 1500])
def test_the_int8_kernel_gives_numpys_exact_integers(dim: int, kernel: str, monkeypatch) -> None:
    """Every SIMD path sums in integers: equal to numpy's int64 sums, extremes -128 and 127 included."""
    rng = np.random.default_rng(dim)
    codes = rng.integers(-128, 128, (300, dim), dtype=np.int8)
    codes[0], codes[1], codes[2] = -128, 127, np.where(np.arange(dim) % 2, 127, -128)
    queries = rng.integers(-128, 128, (4, dim), dtype=np.int8)
    queries[0], queries[1] = -128, 127
    want = codes.astype(np.int64) @ queries.astype(np.int64).T
    monkeypatch.setenv(KERNEL_SETTING, kernel)
    module = numkong if kernel == "numkong" else simsimd
    for off in _simd_levels(module):
        for name in off:
            module.disable_capability(name)
        try:
            for i, query in enumerate(queries):
                got = integer_dots(codes, query)
                assert np.array_equal(got.astype(np.int64), want[:, i]), (off, i)
            assert np.array_equal(integer_dots(codes, queries).astype(np.int64), want.T), off
        finally:
            for name in off:
                module.enable_capability(name)
    # -128 · -128 over every dimension: the largest sum, still exact in the returned float type.
    assert integer_dots(codes[:1], queries[0])[0] == dim * 128 * 128


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_int8_kernel_reads_memory_mapped_codes(tmp_path, kernel: str, monkeypatch) -> None:
    monkeypatch.setenv(KERNEL_SETTING, kernel)
    codes = np.random.default_rng(9).integers(-127, 128, (2_000, 384), dtype=np.int8)
    np.save(tmp_path / "codes.npy", codes)
    mapped = np.load(tmp_path / "codes.npy", mmap_mode="r")
    query = codes[5]
    assert np.array_equal(integer_dots(mapped, query), codes.astype(np.int64) @ query.astype(np.int64))
    assert integer_dots(mapped[:0], query).shape == (0,)


def test_query_rounding_is_measured_not_guessed() -> None:
    query = np.random.default_rng(10).standard_normal(384).astype(np.float32)
    q = quantise_query(query)
    rebuilt = q.codes.astype(np.float64) * q.scale
    assert np.abs(q.codes).max() == 127
    assert np.linalg.norm(query - rebuilt) <= q.residual
    assert np.linalg.norm(rebuilt) <= q.norm
    assert quantise_query(np.zeros(8, np.float32)).residual == 0.0


@pytest.mark.parametrize("seed", [11, 12])
def test_exact_whatever_the_rows_lengths_and_magnitudes(seed: int) -> None:
    """Rows of very different lengths, one huge dimension, queries not of unit length: still exact."""
    rng = np.random.default_rng(seed)
    vectors = (rng.standard_normal((20_000, 96)) * rng.lognormal(0, 2, (20_000, 1))).astype(np.float32)
    vectors[::97, 3] *= 50  # one spike per row makes that row's int8 codes coarse everywhere else
    for query in (rng.standard_normal((8, 96)) * 30).astype(np.float32):
        got = _search(vectors, query, 20)
        want = brute_force_top_k(vectors, query, 20)
        assert got.rows.tolist() == want.rows.tolist()


def test_thousands_of_equal_rows_give_twenty_of_them() -> None:
    """Duplicates tie on every score (the scan's leaders are cut to size): the answer is 20 of them."""
    rng = np.random.default_rng(13)
    vectors = np.repeat(_unit(rng.standard_normal((3, 32)).astype(np.float32)), 4_000, axis=0)
    got = _search(vectors, vectors[4_000], 20)
    assert len(set(got.rows.tolist())) == 20
    assert all(4_000 <= row < 8_000 for row in got.rows)
    np.testing.assert_allclose(got.scores, brute_force_top_k(vectors, vectors[4_000], 20).scores, rtol=1e-6)


@pytest.mark.parametrize("dim", [32, 384])
def test_the_bound_misses_no_row_whose_true_score_is_higher(dim: int) -> None:
    """Near-duplicates, the scan keeping only k leaders: nothing left out beats the answer in float64.

    (Equal rankings against float32 brute force can differ by float32 rounding alone here, about
    1e-7 on unit scores; a bound missing the query's or the rows' rounding misses by 1e-5 or more.)
    """
    rng = np.random.default_rng(14)
    centres = rng.standard_normal((5, dim))
    vectors = _unit(
        (centres[rng.integers(0, 5, 20_000)] + 0.01 * rng.standard_normal((20_000, dim))).astype(np.float32)
    )
    q = quantise(vectors)
    for i in range(10):
        query = _unit((centres[i % 5] + 0.01 * rng.standard_normal(dim))[None].astype(np.float32))[0]
        true = vectors.astype(np.float64) @ query.astype(np.float64)
        for k in (20, 50):
            got = exact_top_k(q.codes, q.scales, q.errors, vectors, query, k, oversample=1)
            left_out = np.delete(true, got.rows)
            assert left_out.max() <= true[got.rows].min() + 1e-6


def test_the_bound_covers_the_querys_own_rounding() -> None:
    """Rows int8 holds exactly (no row error at all): what is left is the query's rounding, covered."""
    rng = np.random.default_rng(15)
    centre = rng.integers(-127, 128, 64)
    codes = np.clip(centre + rng.integers(-2, 3, (20_000, 64)), -127, 127).astype(np.int8)
    codes[:, 0] = 127  # every row's peak is 127, so quantising gives back exactly these codes
    vectors = (codes.astype(np.float32) * np.float32(0.01)).astype(np.float32)
    q = quantise(vectors)
    assert np.array_equal(q.codes, codes)
    for _ in range(10):
        query = (centre + rng.standard_normal(64)).astype(np.float32)
        true = vectors.astype(np.float64) @ query.astype(np.float64)
        got = exact_top_k(q.codes, q.scales, q.errors, vectors, query, 20, oversample=1)
        assert np.delete(true, got.rows).max() <= true[got.rows].min() * (1 + 1e-6)


@pytest.mark.parametrize("kernel", KERNELS)
def test_a_scan_split_between_threads_gives_the_same_exact_answer(kernel: str, monkeypatch) -> None:
    """Two threads share a scan large enough to be split; rows, scores and filters are unchanged."""
    monkeypatch.setenv(KERNEL_SETTING, kernel)
    vectors = _random(THREADED_FROM + 5_000, 48, seed=21)
    q = quantise(vectors)
    query_codes = quantise_query(vectors[3]).codes
    assert np.array_equal(
        integer_dots(q.codes, query_codes, threads=2).astype(np.int64),
        q.codes.astype(np.int64) @ query_codes.astype(np.int64),
    )
    mask = np.random.default_rng(22).random(len(vectors)) < 0.5
    for i, query in enumerate(_random(6, 48, seed=23)):
        m = mask if i % 2 else None
        one = exact_top_k(q.codes, q.scales, q.errors, vectors, query, 20, mask=m, threads=1)
        two = exact_top_k(q.codes, q.scales, q.errors, vectors, query, 20, mask=m, threads=2)
        want = brute_force_top_k(vectors, query, 20, mask=m)
        assert two.rows.tolist() == one.rows.tolist() == want.rows.tolist()
        assert np.array_equal(two.scores, one.scores)


def test_the_thread_setting_is_read_and_a_bad_value_is_refused(monkeypatch) -> None:
    monkeypatch.delenv(THREADS_SETTING, raising=False)
    assert scan_threads() == 1
    monkeypatch.setenv(THREADS_SETTING, "2")
    assert scan_threads() == 2
    monkeypatch.setenv(THREADS_SETTING, "auto")
    assert scan_threads() >= 1
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(THREADS_SETTING, bad)
        with pytest.raises(ValueError, match=THREADS_SETTING):
            scan_threads()


def test_the_kernel_setting_is_read_and_a_bad_value_is_refused(monkeypatch) -> None:
    monkeypatch.delenv(KERNEL_SETTING, raising=False)
    assert scan_kernel() in KERNELS
    monkeypatch.setenv(KERNEL_SETTING, "NumKong")
    assert scan_kernel() == "numkong"
    monkeypatch.setenv(KERNEL_SETTING, "faiss")
    with pytest.raises(ValueError, match=KERNEL_SETTING):
        scan_kernel()


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_chosen_kernel_is_the_one_that_scans(kernel: str, monkeypatch) -> None:
    calls = {"simsimd": 0, "numkong": 0}
    for name, module in (("simsimd", simsimd), ("numkong", numkong)):

        def counted(*args, _name=name, _real=module.cdist, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, "cdist", counted)
    monkeypatch.setenv(KERNEL_SETTING, kernel)
    vectors = _random(2_000, 32, seed=24)
    q = quantise(vectors)
    got = exact_top_k(q.codes, q.scales, q.errors, vectors, vectors[0], 5)
    assert got.rows.tolist() == brute_force_top_k(vectors, vectors[0], 5).rows.tolist()
    assert calls[kernel] >= 1
    assert sum(calls.values()) == calls[kernel]
