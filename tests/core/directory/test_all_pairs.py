"""All-pairs in blocks: every row's best matches equal brute force, itself left out, SDGs counted."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from commonground.core.directory import all_pairs
from commonground.core.directory.all_pairs import Piece, Ranking, Rows, partition_matches, sdg_bits
from commonground.core.directory.search import brute_force_top_k, quantise

DIM = 32


def _random(n: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _clustered(n: int, seed: int) -> np.ndarray:
    """Tight clusters: many near-ties, where a loose bound would show."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((12, DIM)).astype(np.float32)
    rows = centres[rng.integers(0, 12, n)] + 0.05 * rng.standard_normal((n, DIM)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _rows(vectors: np.ndarray, cuts: tuple[int, ...] = ()) -> Rows:
    """The vectors as pieces split at ``cuts`` (like a directory's segments)."""
    q = quantise(vectors)
    edges = [0, *cuts, len(vectors)]
    return Rows(
        [
            Piece(q.codes[a:b], q.scales[a:b], q.errors[a:b], vectors[a:b])
            for a, b in itertools.pairwise(edges)
        ]
    )


def _reference(vectors: np.ndarray, ranking: Ranking, bits: np.ndarray) -> list[list[int]]:
    """Brute force: each row's pool by float similarity (itself masked), then the SDG bonus, top k."""
    out = []
    for i, query in enumerate(vectors):
        mask = np.ones(len(vectors), bool)
        mask[i] = False
        pool = brute_force_top_k(vectors, query, ranking.pool, mask=mask)
        shared = np.array([bin(int(bits[i]) & int(bits[r])).count("1") for r in pool.rows])
        score = pool.scores + np.minimum(ranking.sdg_bonus * shared, ranking.sdg_cap)
        order = np.lexsort((pool.rows, -pool.scores, -score))
        out.append(pool.rows[order][: ranking.top].tolist())
    return out


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks far smaller than the data, so the running bounds are really exercised."""
    monkeypatch.setattr(all_pairs, "BLOCK_ROWS", 97)
    monkeypatch.setattr(all_pairs, "QUERY_ROWS", 40)
    monkeypatch.setattr(all_pairs, "RERANK_ROWS", 500)


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("make", [_random, _clustered])
def test_every_row_gets_the_brute_force_answer(make) -> None:
    vectors = make(600, 3)
    ranking = Ranking(top=7, pool=12)
    bits = sdg_bits([[] for _ in vectors])
    found = partition_matches(_rows(vectors, (150, 151, 400)), 0, len(vectors), ranking, bits)
    assert found.rows.tolist() == _reference(vectors, ranking, bits)
    # Scores are the float dot products of the pair.
    for i in (0, 299, 599):
        want = vectors[found.rows[i]] @ vectors[i]
        np.testing.assert_allclose(found.similarity[i], want, rtol=0, atol=1e-5)


@pytest.mark.usefixtures("small_blocks")
def test_no_row_is_its_own_match_even_among_duplicates() -> None:
    vectors = np.repeat(_random(50, 4), 3, axis=0)  # every row has two exact copies
    found = partition_matches(_rows(vectors), 0, len(vectors), Ranking(top=5, pool=5), sdg_bits([[]] * 150))
    for i, rows in enumerate(found.rows.tolist()):
        assert i not in rows
        copies = {3 * (i // 3) + j for j in range(3)} - {i}
        assert copies <= set(rows[:2]) | set(rows)  # the two copies score 1.0, ahead of the rest
        assert set(rows[:2]) == copies


@pytest.mark.usefixtures("small_blocks")
def test_shared_sdgs_reorder_the_pool_the_way_discovery_does() -> None:
    vectors = _random(300, 5)
    rng = np.random.default_rng(6)
    bits = sdg_bits([sorted(set(rng.integers(1, 18, 3).tolist())) for _ in vectors])
    ranking = Ranking(top=5, pool=20, sdg_bonus=0.05, sdg_cap=0.15)
    found = partition_matches(_rows(vectors, (120,)), 0, len(vectors), ranking, bits)
    assert found.rows.tolist() == _reference(vectors, ranking, bits)
    plain = partition_matches(_rows(vectors), 0, len(vectors), Ranking(top=5, pool=5), sdg_bits([[]] * 300))
    assert found.rows.tolist() != plain.rows.tolist()  # the bonus did change some rankings
    assert (np.diff(found.score, axis=1) <= 1e-7).all()  # best first


def test_fewer_organisations_than_asked_for() -> None:
    vectors = _random(4, 7)
    found = partition_matches(_rows(vectors), 0, 4, Ranking(top=20, pool=80), sdg_bits([[]] * 4))
    assert found.rows.shape == (4, 20)
    assert (found.rows[:, :3] >= 0).all()
    assert (found.rows[:, 3:] == -1).all()
    lonely = partition_matches(_rows(vectors[:1]), 0, 1, Ranking(), sdg_bits([[]]))
    assert (lonely.rows == -1).all()


def test_a_partition_answers_for_its_own_rows_only() -> None:
    vectors = _random(200, 8)
    ranking, bits = Ranking(top=4, pool=4), sdg_bits([[]] * 200)
    whole = partition_matches(_rows(vectors), 0, 200, ranking, bits)
    part = partition_matches(_rows(vectors), 60, 90, ranking, bits)
    assert part.start == 60
    assert part.rows.tolist() == whole.rows[60:90].tolist()
