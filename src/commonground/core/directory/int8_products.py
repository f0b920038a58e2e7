"""Exact int8 × int8 block products for all-pairs: onnxruntime's ``MatMulInteger``, or float32 BLAS.

A block of queries is quantised exactly as the single-query search quantises one query
(``search.quantise_query``: int8 codes ``d``, scale ``t``, the norm of ``t·d`` and of the rounding),
and each block of directory codes ``c`` is multiplied by it: every ``c·d`` is an integer, computed
exactly. The fast kernel is onnxruntime's ``MatMulInteger`` (MLAS: VNNI on CPUs that have it),
uint8 × int8 → int32: the directory codes go in shifted to uint8 (``c + 128``, one XOR of the sign
bit) and ``128·Σd`` is taken off again, so ``(c + 128)·d − 128·Σd = c·d`` exactly. The query codes
are the model's constant weights, packed once per query block. onnxruntime is already a dependency
(the embedding model); the one-node model is written here as ONNX protobuf bytes (``onnx`` is not).

On CPUs without VNNI, MLAS's uint8 × int8 kernel can saturate 16-bit pair sums, so the kernel is
probed once per process on the worst cases (codes at -128 and 127 against 255 and 0) and random
codes, against numpy's int64 product; where it is not exact (or onnxruntime cannot load), the
products run as float32 BLAS on the same integer codes, which is exact too (integer sums below
2**24) but about 3.5 times slower here. Both give the same integers, so the same answers.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np
import numpy.typing as npt

from commonground.core.directory.search import EXACT_FLOAT32_DIM, FloatArray, quantise_queries

UINT8, INT8, INT32 = 2, 3, 6  # ONNX TensorProto element types
SIGN = np.uint8(0x80)  # XOR with the sign bit: int8 c as uint8 c + 128
MAX_KERNEL_DIM = 65_536  # (c + 128)·d stays within int32 up to here
# Set to "float" to run the products on the float32 fallback (the benchmark's before/after, a
# suspect CPU); pool processes inherit it.
KERNEL_SETTING = "COMMONGROUND_ALL_PAIRS_KERNEL"


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes | int) -> bytes:
    """A protobuf field: a varint (int) or length-delimited bytes."""
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _value(name: str, element: int, dims: tuple[str | int, ...]) -> bytes:
    shape = b"".join(_field(1, _field(2, d.encode()) if isinstance(d, str) else _field(1, d)) for d in dims)
    return _field(1, name.encode()) + _field(2, _field(1, _field(1, element) + _field(2, shape)))


def matmul_integer_model(dim: int, weights: npt.NDArray[np.int8] | None = None) -> bytes:
    """ONNX bytes of Y = MatMulInteger(A uint8 [m, dim], B int8 [dim, n]); B constant if ``weights``."""
    node = _field(1, b"A") + _field(1, b"B") + _field(2, b"Y") + _field(4, b"MatMulInteger")
    graph = _field(1, node) + _field(2, b"g") + _field(11, _value("A", UINT8, ("m", dim)))
    if weights is None:
        graph += _field(11, _value("B", INT8, (dim, "n")))
    else:
        raw = np.ascontiguousarray(weights, dtype=np.int8)
        dims = b"".join(_field(1, int(d)) for d in raw.shape)
        graph += _field(5, dims + _field(2, INT8) + _field(8, b"B") + _field(9, raw.tobytes()))
    graph += _field(12, _value("Y", INT32, ("m", "n")))
    return _field(1, 8) + _field(8, _field(1, b"") + _field(2, 13)) + _field(7, graph)


def _session(model: bytes) -> Any:  # onnxruntime ships no type hints
    import onnxruntime as ort

    options = ort.SessionOptions()
    # In a pool process (one BLAS thread each, all_pairs_jobs) one thread too; else onnxruntime's default.
    single = os.environ.get("OMP_NUM_THREADS") == "1" or os.environ.get("OPENBLAS_NUM_THREADS") == "1"
    options.intra_op_num_threads, options.inter_op_num_threads = (1 if single else 0), 1
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


@functools.cache
def int8_kernel_exact(dim: int = 64) -> bool:
    """Whether onnxruntime's ``MatMulInteger`` gives the exact int64 answer on this CPU, at ``dim``
    dimensions (probed once per process and width, in the same constant-weights form as the runs)."""
    rng = np.random.default_rng(12)
    rows = rng.integers(-128, 128, (64, dim)).astype(np.int8)
    queries = rng.integers(-128, 128, (16, dim)).astype(np.int8)
    # The sums a saturating kernel gets wrong: every pair at the extremes, of both signs.
    rows[0], rows[1], rows[2::7] = 127, -128, np.where(np.arange(dim) % 2, 127, -128)
    queries[0], queries[1], queries[2] = 127, -128, np.where(np.arange(dim) % 2, -128, 127)
    try:
        got = _integer_dots(_session(matmul_integer_model(dim, queries.T)), rows, queries.sum(axis=1))
    except Exception:  # any failure to load or run means: do not use it
        return False
    want = rows.astype(np.int64) @ queries.astype(np.int64).T
    return got.shape == want.shape and bool((got == want).all())


def _integer_dots(
    session: Any, codes: npt.NDArray[np.int8], query_sums: npt.NDArray[np.int64]
) -> npt.NDArray[np.int32]:
    """``c·d`` as int32 through the uint8 × int8 kernel: ``(c + 128)·d − 128·Σd``."""
    shifted = np.bitwise_xor(np.ascontiguousarray(codes).view(np.uint8), SIGN)
    out: npt.NDArray[np.int32] = session.run(None, {"A": shifted})[0]
    out -= (128 * query_sums).astype(np.int32)
    return out


class QueryBlock:
    """A block of float queries as int8 codes, multiplied exactly by blocks of directory codes."""

    def __init__(self, queries: FloatArray, *, kernel: bool | None = None):
        quantised = quantise_queries(queries)
        dim = queries.shape[1]
        self.codes = np.array([q.codes for q in quantised], np.int8).reshape(len(quantised), dim)
        self.scales = np.array([q.scale for q in quantised], np.float64)
        self.norms = np.array([q.norm for q in quantised], np.float64)  # |t·d|, rounded up
        self.residuals = np.array([q.residual for q in quantised], np.float64)  # |q − t·d|, rounded up
        self.dtype = np.float32 if dim <= EXACT_FLOAT32_DIM else np.float64
        self._sums = self.codes.astype(np.int64).sum(axis=1)
        if kernel is None:
            kernel = os.environ.get(KERNEL_SETTING) != "float" and int8_kernel_exact(dim)
        use_kernel = kernel and dim <= MAX_KERNEL_DIM
        self._session = _session(matmul_integer_model(dim, self.codes.T)) if use_kernel else None
        self._floats: npt.NDArray[np.floating] | None = None if use_kernel else self.codes.astype(self.dtype)

    @property
    def integer_kernel(self) -> bool:
        """True when the products run on onnxruntime's int8 kernel (False: float BLAS fallback)."""
        return self._session is not None

    def dots(self, codes: npt.NDArray[np.int8]) -> npt.NDArray[np.floating]:
        """``c·d`` for every directory row (rows) and query (columns), exact integers as floats."""
        out: npt.NDArray[np.floating]
        if len(codes) == 0:
            out = np.zeros((0, len(self.codes)), self.dtype)
        elif self._session is not None:
            out = _integer_dots(self._session, codes, self._sums).astype(self.dtype)
        else:
            assert self._floats is not None
            # Integer-valued floats: every partial sum is an integer below 2**24 (2**53), so exact.
            out = np.matmul(codes.astype(self.dtype), self._floats.T)
        return out
