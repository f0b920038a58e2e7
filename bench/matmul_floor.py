"""The floor of all-pairs here: its matrix products alone, float32 (numpy) against int8 (onnxruntime).

``discover --all-pairs`` spends most of its time in one matrix product per block (512 queries ×
8,192 directory rows × 384 dimensions). This times those products alone, for every block of an
``--count`` × ``--count`` run, on ``--jobs`` threads:

- float32: numpy's BLAS (what ``core/directory/all_pairs.py`` runs after converting int8 codes);
- int8: onnxruntime's ``MatMulInteger`` (uint8 × int8 → int32, MLAS's VNNI/AVX2 kernels), the
  product an int8 all-pairs kernel would run; onnxruntime is already a dependency (the embedding
  model). Its answer is checked exact against int64 numpy on the first block; on a CPU without
  VNNI, MLAS's uint8 × int8 kernel can saturate, which this check would show.

The model is one ``MatMulInteger`` node, written as ONNX protobuf bytes here (the ``onnx`` package
is not a dependency). Times extrapolated to 1,000,000 rows (× (1M / count)²), not measured.

Run: .venv/bin/python bench/matmul_floor.py [--count 100000] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import onnxruntime as ort

QUERIES, ROWS, DIM = 512, 8192, 384
UINT8, INT8, INT32 = 2, 3, 6  # ONNX TensorProto element types


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


def matmul_integer_model() -> bytes:
    """ONNX bytes of Y = MatMulInteger(A uint8 [m, 384], B int8 [384, n])."""
    node = _field(1, b"A") + _field(1, b"B") + _field(2, b"Y") + _field(4, b"MatMulInteger")
    graph = (
        _field(1, node)
        + _field(2, b"g")
        + _field(11, _value("A", UINT8, ("m", DIM)))
        + _field(11, _value("B", INT8, (DIM, "n")))
        + _field(12, _value("Y", INT32, ("m", "n")))
    )
    return _field(1, 8) + _field(8, _field(1, b"") + _field(2, 13)) + _field(7, graph)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    products = -(-args.count // QUERIES) * -(-args.count // ROWS)
    rng = np.random.default_rng(5)
    a8 = rng.integers(0, 256, (QUERIES, DIM)).astype(np.uint8)
    b8 = rng.integers(-127, 128, (DIM, ROWS)).astype(np.int8)
    a8[0], b8[:, 0] = 255, 127  # the worst case for a saturating kernel
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = args.jobs, 1
    session = ort.InferenceSession(matmul_integer_model(), options, providers=["CPUExecutionProvider"])
    answer = session.run(None, {"A": a8, "B": b8})[0]
    exact = bool((answer == a8.astype(np.int64) @ b8.astype(np.int64)).all())
    af = rng.standard_normal((QUERIES, DIM)).astype(np.float32)
    bf = rng.standard_normal((DIM, ROWS)).astype(np.float32)
    print(f"{args.count:,} x {args.count:,}: {products:,} products of {QUERIES} x {DIM} by {DIM} x {ROWS}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for label, run in (
        ("float32, numpy BLAS", lambda: af @ bf),
        ("int8, onnxruntime MatMulInteger", lambda: session.run(None, {"A": a8, "B": b8})),
    ):
        run()
        sample = min(products, 200)
        started = time.perf_counter()
        for _ in range(sample):
            run()
        each = (time.perf_counter() - started) / sample
        total = each * products
        rate = 2 * QUERIES * ROWS * DIM / each / 1e9
        projected = total * (1_000_000 / args.count) ** 2
        print(
            f"  {label:<34} {each * 1000:6.1f} ms a product, {rate:5.0f} G ops/s; all: {total:6.1f} s; "
            f"1M x 1M extrapolated {projected / 60:5.0f} min"
        )
    print(f"int8 product exact against int64 numpy (worst case included): {exact}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
