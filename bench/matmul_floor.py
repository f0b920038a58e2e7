"""The floor of all-pairs here: its matrix products alone, float32 (numpy) against int8 (onnxruntime).

``discover --all-pairs`` spends most of its time in one matrix product per block (512 queries ×
8,192 directory rows × 384 dimensions). This times those products alone, for every block of an
``--count`` × ``--count`` run, on ``--jobs`` threads:

- float32: numpy's BLAS (what ``core/directory/all_pairs.py`` ran before it went int8, and its
  fallback where the int8 kernel is not exact);
- int8: onnxruntime's ``MatMulInteger`` (uint8 × int8 → int32, MLAS's VNNI/AVX2 kernels), the
  product ``all_pairs.py`` now runs (``int8_products.py``); onnxruntime is already a dependency
  (the embedding model). Its answer is checked exact against int64 numpy on the first block; on a CPU without
  VNNI, MLAS's uint8 × int8 kernel can saturate, which this check would show.

The model is one ``MatMulInteger`` node, written as ONNX protobuf bytes by
``core/directory/int8_products.py`` (the ``onnx`` package is not a dependency); ``--all-pairs`` now
runs that kernel itself. Times extrapolated to 1,000,000 rows (× (1M / count)²), not measured.

Run: .venv/bin/python bench/matmul_floor.py [--count 100000] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import onnxruntime as ort

from commonground.core.directory.int8_products import matmul_integer_model

QUERIES, ROWS, DIM = 512, 8192, 384


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
    session = ort.InferenceSession(matmul_integer_model(DIM), options, providers=["CPUExecutionProvider"])
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
