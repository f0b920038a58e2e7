"""Int8 block products: exact integers on onnxruntime's kernel and on the float fallback, probed."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.core.directory import int8_products
from commonground.core.directory.int8_products import (
    KERNEL_SETTING,
    QueryBlock,
    _integer_dots,
    _session,
    int8_kernel_exact,
    matmul_integer_model,
)
from commonground.core.directory.search import quantise_query


def _codes(n: int, dim: int, seed: int) -> np.ndarray:
    """Random int8 codes with whole rows and alternating pairs at -128 and 127 (saturation's cases)."""
    codes = np.random.default_rng(seed).integers(-128, 128, (n, dim)).astype(np.int8)
    codes[0], codes[1] = 127, -128
    codes[2] = np.where(np.arange(dim) % 2, 127, -128)
    return codes


def _queries(n: int, dim: int, seed: int) -> np.ndarray:
    queries = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    queries[0] = 1.0  # every code 127
    queries[1] = -1.0  # every code -127
    queries[2] = np.where(np.arange(dim) % 2, -1.0, 1.0)
    return queries


@pytest.mark.parametrize("kernel", [True, False])
@pytest.mark.parametrize("dim", [7, 384])
def test_products_are_the_exact_integers(kernel: bool, dim: int) -> None:
    rows, queries = _codes(300, dim, 1), _queries(40, dim, 2)
    block = QueryBlock(queries, kernel=kernel and int8_kernel_exact(dim))
    want = rows.astype(np.int64) @ block.codes.astype(np.int64).T
    got = block.dots(rows)
    assert got.shape == (300, 40)
    assert (got == want).all()
    assert block.dots(rows[:0]).shape == (0, 40)


def test_queries_are_quantised_as_the_single_query_search_does() -> None:
    queries = _queries(5, 16, 3)
    queries[4] = 0.0  # no direction at all: scale 1, codes 0
    block = QueryBlock(queries)
    for i, query in enumerate(queries):
        one = quantise_query(query)
        assert block.codes[i].tolist() == one.codes.tolist()
        assert block.scales[i] == one.scale
        # Norms summed in another order: equal to float64's rounding (both are rounded up by 1e-9).
        assert block.norms[i] == pytest.approx(one.norm, rel=1e-12)
        assert block.residuals[i] == pytest.approx(one.residual, rel=1e-12)


def test_the_probe_agrees_with_a_larger_check_on_codes_at_minus_128_and_127() -> None:
    """The raw uint8 × int8 kernel on far more codes, weights at -128 too (which quantise_query never
    makes): exact exactly when the probe says so, so the probe does not let a wrong kernel through."""
    rows, weights = _codes(500, 384, 4), _codes(64, 384, 5)
    session = _session(matmul_integer_model(384, weights.T))
    got = _integer_dots(session, rows, weights.astype(np.int64).sum(axis=1))
    exact = bool((got == rows.astype(np.int64) @ weights.astype(np.int64).T).all())
    assert exact == int8_kernel_exact(384)


class _Saturating:
    """A kernel like MLAS's AVX2 one without VNNI: pairs of uint8 × int8 summed in int16, saturated."""

    def __init__(self, weights: np.ndarray):
        self.weights = weights.astype(np.int64)

    def run(self, _outputs: None, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        a = feeds["A"].astype(np.int64)
        products = a[:, :, None] * self.weights[None, :, :]
        dim = products.shape[1] - products.shape[1] % 2
        pairs = np.clip(products[:, 0:dim:2] + products[:, 1:dim:2], -32768, 32767)
        return [(pairs.sum(axis=1) + products[:, dim:].sum(axis=1)).astype(np.int32)]


def test_a_saturating_kernel_is_caught_and_the_float_fallback_stays_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    captured: dict[str, np.ndarray] = {}

    def saturating_model(dim: int, weights: np.ndarray | None = None) -> bytes:
        """Keeps the weights for the fake session instead of writing a model."""
        assert weights is not None
        captured["weights"] = np.asarray(weights)
        return b""

    monkeypatch.setattr(int8_products, "matmul_integer_model", saturating_model)
    monkeypatch.setattr(int8_products, "_session", lambda _model: _Saturating(captured["weights"]))
    int8_kernel_exact.cache_clear()
    try:
        assert not int8_kernel_exact()
        rows, queries = _codes(50, 64, 6), _queries(9, 64, 7)
        block = QueryBlock(queries)
        assert not block.integer_kernel
        assert (block.dots(rows) == rows.astype(np.int64) @ block.codes.astype(np.int64).T).all()
    finally:
        int8_kernel_exact.cache_clear()


def test_the_setting_forces_the_float_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    queries = _queries(3, 16, 8)
    assert QueryBlock(queries).integer_kernel == int8_kernel_exact(16)
    monkeypatch.setenv(KERNEL_SETTING, "float")
    assert not QueryBlock(queries).integer_kernel
