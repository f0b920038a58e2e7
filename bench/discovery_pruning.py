"""How much of a directory could an exact search skip? The share of rows each provable bound must read.

Today's exact search (``core/directory/search.exact_top_k``) reads every row's 384 int8 codes once,
then re-scores the few rows its bound cannot rule out. To be faster on one core it must read less,
and stay exact: a row may be skipped only when an upper bound on its score is below the k-th best
exact score. This bench measures, without timing anything, how many rows each candidate bound
leaves in play, on the synthetic rows of ``bench/discovery.py`` (same generator) and on variants
that are more, less or not clustered, with the bench's far queries and with closer ones:

- exact IVF, best case: the generator's own clusters as cells (no k-means could do better), a cell
  skipped when ``q·c + |q|·r_max`` (centre, largest residual) is below the k-th score; and the same
  per row with each row's own residual norm ``q·c + |q|·|x − c|``;
- a low-bit pre-scan: codes of 4, 5 or 6 bits with one scale per row, the row's true score at most
  ``s·(c·q) + |q|·|x − s·c|``; the rows whose bound reaches the k-th score go on to the int8 codes.

The k-th score is the true one (brute-force float32), so the shares are what a perfect threshold
would give: a real search, whose threshold comes from its first candidates, reads at least this.
The baseline in the same run is today's scan: every row's 384 bytes of int8 codes.

Run: .venv/bin/python bench/discovery_pruning.py [--count 1000000] [--queries 20]
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import numpy.typing as npt

DIM = 384
TOP = 20
CENTRES = 2_000
# (label, cluster spread, query noise); spread 0.8 and noise 0.3 are bench/discovery.py's own.
VARIANTS = (
    ("bench's rows and queries", 0.8, 0.3),
    ("bench's rows, closer queries", 0.8, 0.05),
    ("less clustered rows (spread 2.0)", 2.0, 0.3),
    ("tightly clustered rows (spread 0.3), closer queries", 0.3, 0.05),
    ("no clusters (uniform on the sphere)", None, 0.3),
)


def rows_and_queries(
    count: int, queries: int, spread: float | None, noise: float
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Unit rows (clustered as bench/discovery.py, or uniform when ``spread`` is None) and noisy queries."""
    rng = np.random.default_rng(12)
    centres = rng.standard_normal((CENTRES, DIM)).astype(np.float32)
    labels = rng.integers(0, CENTRES, count)
    noise_rows = rng.standard_normal((count, DIM)).astype(np.float32)
    rows = noise_rows if spread is None else centres[labels] + spread * noise_rows
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    picked = rows[rng.choice(count, queries, replace=False)]
    noisy = picked + noise * rng.standard_normal(picked.shape).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    return rows, labels, noisy.astype(np.float32)


def cell_shares(
    rows: npt.NDArray[np.float32],
    labels: npt.NDArray[np.int64],
    queries: npt.NDArray[np.float32],
    kth: npt.NDArray[np.float32],
) -> tuple[float, float]:
    """Shares of rows an exact IVF over the generator's clusters must read: by cell, by row residual."""
    counts = np.bincount(labels, minlength=CENTRES)
    order = np.argsort(labels, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    centres = np.add.reduceat(rows[order], starts, axis=0) / np.maximum(counts, 1)[:, None]
    centres[counts == 0] = 0.0
    residual = np.linalg.norm(rows - centres[labels], axis=1)
    radius = np.zeros(CENTRES, np.float32)
    np.maximum.at(radius, labels, residual)
    near = centres @ queries.T  # q·c per cell; |q| = 1
    by_cell = float(
        np.mean([(counts * (near[:, j] + radius >= kth[j])).sum() / len(rows) for j in range(len(kth))])
    )
    by_row = float(np.mean([(near[labels, j] + residual >= kth[j]).mean() for j in range(len(kth))]))
    return by_cell, by_row


def low_bit_share(
    rows: npt.NDArray[np.float32], queries: npt.NDArray[np.float32], kth: npt.NDArray[np.float32], bits: int
) -> float:
    """Share of rows whose ``bits``-bit bound reaches the k-th score (they need the int8 codes too)."""
    levels = 2 ** (bits - 1) - 1
    scales = np.abs(rows).max(axis=1) / levels
    rebuilt = np.clip(np.rint(rows / scales[:, None]), -levels, levels) * scales[:, None]
    error = np.linalg.norm(rows - rebuilt, axis=1)
    bound = rebuilt @ queries.T + error[:, None]
    return float((bound >= kth).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    print(f"{args.count:,} x {DIM} rows, {args.queries} queries, top {TOP}; load average {os.getloadavg()}")
    print("share of rows each exact bound must read (today's scan: 1.000 of the int8 codes, 384 B a row)")
    for label, spread, noise in VARIANTS:
        rows, labels, queries = rows_and_queries(args.count, args.queries, spread, noise)
        scores = rows @ queries.T
        kth = np.sort(scores, axis=0)[-TOP]
        print(f"{label}: k-th score {kth.mean():.3f}, score sd {scores.std():.3f}")
        if spread is not None:
            by_cell, by_row = cell_shares(rows, labels, queries, kth)
            print(
                f"  exact IVF, generator's clusters as cells: by cell radius {by_cell:.4f}, "
                f"by row residual {by_row:.4f}"
            )
        for bits in (4, 5, 6):
            share = low_bit_share(rows, queries, kth, bits)
            read = bits * DIM / 8 + share * DIM
            print(
                f"  {bits}-bit pre-scan: {share:.4f} of rows go on to int8; "
                f"{read:.0f} B a row read, {read / DIM:.2f} of today's"
            )


if __name__ == "__main__":
    main()
