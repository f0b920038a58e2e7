"""The floor of all-pairs here: its matrix products alone, float32 (numpy) against int8 (onnxruntime).

``discover --all-pairs`` spends most of its time in one matrix product per block (512 queries ×
8,192 directory rows × 384 dimensions). This times those products alone, for every block of an
``--count`` × ``--count`` run, on ``--jobs`` threads:

- float32: numpy's BLAS on the codes as floats (what ``core/directory/all_pairs.py`` ran before it
  went int8, and its fallback where the int8 kernel is not exact);
- int8: onnxruntime's ``MatMulInteger`` (uint8 × int8 → int32, MLAS's VNNI/AVX2 kernels), with the
  directory rows as its second input, and in the form ``all_pairs.py`` now runs
  (``int8_products.QueryBlock``: the query codes as constant weights, the rows shifted to uint8,
  the shift taken off, as float32); onnxruntime is already a dependency (the embedding model);
- int8: simsimd's ``cdist`` (the single-query search's kernel), on ``--jobs`` threads;
- int32: numpy's integer matmul (no BLAS), the reference.

Every answer is checked against int64 numpy on codes that include -128 and 127 (the worst cases
for MLAS's saturating uint8 × int8 kernel on CPUs without VNNI).

The model is one ``MatMulInteger`` node, written as ONNX protobuf bytes by
``core/directory/int8_products.py`` (the ``onnx`` package is not a dependency); ``--all-pairs`` now
runs that kernel itself. Times extrapolated to 1,000,000 rows (× (1M / count)²), not measured.

Run: .venv/bin/python bench/matmul_floor.py [--count 100000] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np
import onnxruntime as ort
import simsimd

from commonground.core.directory.int8_products import QueryBlock, matmul_integer_model

QUERIES, ROWS, DIM = 512, 8192, 384


Kernel = tuple[str, Callable[[], object], Callable[[], np.ndarray]]


def _kernels(jobs: int) -> tuple[list[Kernel], np.ndarray, np.ndarray]:
    """(label, run, its answer as c·d) of every kernel; the rows (-128, 127 among them), the query codes."""
    rng = np.random.default_rng(5)
    rows = rng.integers(-128, 128, (ROWS, DIM)).astype(np.int8)
    rows[0], rows[1] = 127, -128  # the worst cases for a saturating kernel
    floats = rng.standard_normal((QUERIES, DIM)).astype(np.float32)
    floats[0], floats[1] = 1.0, -1.0  # query codes all 127, all -127
    block = QueryBlock(floats, kernel=True)  # what --all-pairs runs: query codes as constant weights
    codes = block.codes
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = jobs, 1
    session = ort.InferenceSession(matmul_integer_model(DIM), options, providers=["CPUExecutionProvider"])
    shifted = np.ascontiguousarray(codes.view(np.uint8) ^ np.uint8(0x80))  # d + 128
    rows_t = np.ascontiguousarray(rows.T)
    correction = 128 * rows.astype(np.int64).sum(axis=1)
    rows_f, codes_f = rows.astype(np.float32), codes.astype(np.float32)
    rows_i, codes_i = rows.astype(np.int32), codes.astype(np.int32)
    return (
        [
            ("float32, numpy BLAS", lambda: rows_f @ codes_f.T, lambda: rows_f @ codes_f.T),
            (
                "int8, onnxruntime, rows as input",
                lambda: session.run(None, {"A": shifted, "B": rows_t}),
                lambda: session.run(None, {"A": shifted, "B": rows_t})[0].T - correction[:, None],
            ),
            ("int8, onnxruntime, --all-pairs' form", lambda: block.dots(rows), lambda: block.dots(rows)),
            (
                "int8, simsimd.cdist (float32 out)",
                lambda: simsimd.cdist(rows, codes, metric="dot", out_dtype="float32", threads=jobs),
                lambda: np.asarray(
                    simsimd.cdist(rows, codes, metric="dot", out_dtype="float32", threads=jobs)
                ),
            ),
            ("int32, numpy matmul (no BLAS)", lambda: rows_i @ codes_i.T, lambda: rows_i @ codes_i.T),
        ],
        rows,
        codes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    products = -(-args.count // QUERIES) * -(-args.count // ROWS)
    kernels, rows, codes = _kernels(args.jobs)
    reference = rows.astype(np.int64) @ codes.astype(np.int64).T
    print(f"{args.count:,} x {args.count:,}: {products:,} products of {ROWS} x {DIM} by {DIM} x {QUERIES}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for label, run, answer in kernels:
        exact = bool((np.asarray(answer()) == reference).all())
        started = time.perf_counter()
        run()
        # Up to 200 products, or about 10 s of them for the slow kernels (at least 3).
        sample = max(3, min(products, 200, int(10 / max(time.perf_counter() - started, 1e-3))))
        started = time.perf_counter()
        for _ in range(sample):
            run()
        each = (time.perf_counter() - started) / sample
        total = each * products
        rate = 2 * QUERIES * ROWS * DIM / each / 1e9
        projected = total * (1_000_000 / args.count) ** 2
        print(
            f"  {label:<38} {each * 1000:7.1f} ms a product, {rate:5.0f} G ops/s; all: {total:7.1f} s; "
            f"1M x 1M {projected / 60:6.0f} min; exact: {exact}"
        )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
