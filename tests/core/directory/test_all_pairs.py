"""All-pairs in blocks: every row's best matches equal brute force, itself left out, SDGs counted."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from commonground.core.directory import all_pairs
from commonground.core.directory.all_pairs import Piece, Ranking, Rows, partition_matches, sdg_bits
from commonground.core.directory.int8_products import KERNEL_SETTING, QueryBlock, int8_kernel_exact
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


@pytest.fixture(params=["int8", "float"])
def kernel(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of running the block products: onnxruntime's int8 kernel and the float32 fallback."""
    if request.param == "float":
        monkeypatch.setenv(KERNEL_SETTING, "float")
    else:
        monkeypatch.delenv(KERNEL_SETTING, raising=False)
    return str(request.param)


def _extremes(n: int, seed: int) -> np.ndarray:
    """Rows whose codes sit at -127 and 127: spikes, sign patterns, and a few flat rows."""
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((n, DIM)).astype(np.float32) * 0.01
    spikes = rng.integers(0, DIM, n)
    rows[np.arange(n), spikes] = rng.choice([-1.0, 1.0], n)
    rows[::7] += rng.choice([-1.0, 1.0], (len(rows[::7]), DIM))  # (the noise keeps float32 ties out)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _near_ties(n: int, seed: int) -> np.ndarray:
    """One tight cluster: scores a thousandth apart, far inside int8's error, so every row of the
    bound's reach is a candidate and only the float re-score orders them."""
    rng = np.random.default_rng(seed)
    centre = rng.standard_normal(DIM).astype(np.float32)
    rows = centre + 0.03 * rng.standard_normal((n, DIM)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _query_rounding(n: int, seed: int) -> np.ndarray:
    """Half the rows one large coordinate and small ones that round to 0 in their own codes, half
    without the large one: the spiky rows' scores against the flat rows depend only on what their
    codes dropped, which the bound must cover (the query-rounding term ``s·|c|·|ρ|``)."""
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((n, DIM)).astype(np.float32)
    rows[: n // 2] *= 0.003
    rows[: n // 2, 0] = 1.0
    rows[n // 2 :, 0] = 0.0
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _assert_brute_force_up_to_float32_ties(found: np.ndarray, vectors: np.ndarray, top: int) -> None:
    """Each row's matches are brute force's best ``top``, by float64 scores of the float32 rows; only
    rows within float32 rounding (a few units in the last place) of each other may swap."""
    exact = vectors.astype(np.float64) @ vectors.astype(np.float64).T
    np.fill_diagonal(exact, -np.inf)
    best = -np.sort(-exact, axis=1)[:, :top]
    ours = np.take_along_axis(exact, found, axis=1)
    np.testing.assert_allclose(ours, best, rtol=0, atol=3e-7)


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("make", [_extremes, _near_ties, _query_rounding, _clustered])
def test_int8_products_and_their_fallback_give_the_brute_force_answer(kernel: str, make) -> None:
    vectors = make(400, 11)
    ranking = Ranking(top=6, pool=30)
    bits = sdg_bits([[] for _ in vectors])
    assert QueryBlock(vectors[:3]).integer_kernel == (kernel == "int8" and int8_kernel_exact(DIM))
    found = partition_matches(_rows(vectors, (100, 333)), 0, len(vectors), ranking, bits)
    if make is _near_ties:
        # Hundreds of scores within 0.001 of each other: float32 sums in another order may swap two.
        _assert_brute_force_up_to_float32_ties(found.rows, vectors, ranking.top)
    else:
        assert found.rows.tolist() == _reference(vectors, ranking, bits)
    want = np.take_along_axis(vectors @ vectors.T, found.rows, axis=1)
    np.testing.assert_allclose(found.similarity, want, rtol=0, atol=1e-5)
