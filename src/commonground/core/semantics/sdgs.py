"""Map free texts to the 17 UN Sustainable Development Goals, with a calibrated confidence.

How it works: every goal has a description and a handful of "facets" (short sentences in our own
words, ``data/sdgs.yaml``). A text is split into sentence chunks, the chunks are embedded once, and
the text vector is their normalised mean; a text of more than one chunk is also embedded whole. For
every (text, goal) pair we compute a few similarity features — to the description, to the goal's
best facets, per sentence, of the whole text, and relative to the other goals — and a small logistic
model shared by all goals (plus a strongly regularised per-goal bias) turns them into the
probability that the goal is present. The model is fitted by ``bench/sdg_benchmark.py --fit`` on the
even-id rows of the SDG Classification Benchmark and stored in ``data/sdg_calibration.json``; the
odd-id rows are kept for evaluation by ``bench/sdg_benchmark.py``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from commonground.core.profiles import Profile
from commonground.core.results import SdgScore
from commonground.core.semantics.data_files import parse_yaml
from commonground.core.semantics.engines import MULTILINGUAL_ENGINE, EmbeddingEngine, get_engine
from commonground.core.semantics.languages import reads_through_reader

FloatArray = npt.NDArray[np.float64]

SDG_NUMBERS = tuple(range(1, 18))
# Softmax sharpness for the "share of the goal among all 17" features: cosines of one text to the
# goals differ by a few hundredths, so a large factor is needed for the share to mean anything.
_SHARE_TEMPERATURE = 30.0
# Sentences shorter than this are merged into the next one: fragments such as "(see Table 2)."
# carry no topic of their own and would only add noise to the per-sentence features.
_MIN_CHUNK_CHARS = 40
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'“‘(\[])")
# Activities say what an organisation does, not what it is for, so they count for less.
_ACTIVITY_WEIGHT = 0.6


class SdgPrediction(BaseModel):
    """The goals judged present in one text, most confident first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    primary: int | None
    sdgs: list[SdgScore]


@dataclass(frozen=True)
class SdgGoal:
    """One goal as described in ``data/sdgs.yaml``."""

    number: int
    title: str
    description: str
    facets: tuple[str, ...]


@dataclass(frozen=True)
class SdgCalibration:
    """The fitted logistic model that turns similarity features into a probability."""

    features: tuple[str, ...]
    mean: FloatArray
    scale: FloatArray
    weights: FloatArray
    intercept: float
    goal_bias: FloatArray  # one per goal, index 0 is goal 1
    threshold: float
    data_sha256: str
    version: str | None = None  # set on the reader's calibration, recorded in a result's engine info


def _read_data(name: str) -> bytes:
    return resources.files("commonground.data").joinpath(name).read_bytes()


def sdg_data_sha256() -> str:
    """Hash of ``sdgs.yaml``, so a calibration can tell whether it was fitted on these facets."""
    return hashlib.sha256(_read_data("sdgs.yaml")).hexdigest()


@lru_cache(maxsize=1)
def sdg_goals() -> tuple[SdgGoal, ...]:
    """The 17 goals with their descriptions and facets, in goal order."""
    raw: dict[str, Any] = parse_yaml(_read_data("sdgs.yaml"))
    goals = tuple(
        SdgGoal(
            number=int(item["number"]),
            title=str(item["title"]),
            description=str(item["description"]).strip(),
            facets=tuple(str(f).strip() for f in item["facets"]),
        )
        for item in raw["goals"]
    )
    if tuple(g.number for g in goals) != SDG_NUMBERS:
        raise ValueError("sdgs.yaml must list goals 1 to 17 in order")
    return goals


def sdg_title(number: int) -> str:
    """The short title of goal ``number`` (1–17)."""
    if number not in SDG_NUMBERS:
        raise ValueError(f"there is no Sustainable Development Goal {number}; goals run from 1 to 17")
    return sdg_goals()[number - 1].title


def calibration_file(engine_name: str | None = None) -> str:
    """The data file holding the calibration fitted on ``engine_name``'s features."""
    # The multilingual reader has its own fit; every other engine uses the English MiniLM's, as before.
    return "sdg_calibration_reader.json" if engine_name == MULTILINGUAL_ENGINE else "sdg_calibration.json"


@lru_cache(maxsize=2)
def load_calibration(engine_name: str | None = None) -> SdgCalibration:
    """The calibration shipped for ``engine_name`` (default: ``data/sdg_calibration.json``)."""
    raw: dict[str, Any] = json.loads(_read_data(calibration_file(engine_name)))
    return calibration_from_dict(raw)


def calibration_from_dict(raw: dict[str, Any]) -> SdgCalibration:
    """Build a calibration from its JSON form (see ``bench/sdg_calibrate.py``)."""
    features = tuple(str(name) for name in raw["features"])
    unknown = [name for name in features if name not in FEATURE_NAMES]
    if unknown:
        raise ValueError(f"the SDG calibration uses unknown features: {', '.join(unknown)}")
    return SdgCalibration(
        features=features,
        mean=np.asarray(raw["mean"], dtype=np.float64),
        scale=np.asarray(raw["scale"], dtype=np.float64),
        weights=np.asarray(raw["weights"], dtype=np.float64),
        intercept=float(raw["intercept"]),
        goal_bias=np.asarray(raw["goal_bias"], dtype=np.float64),
        threshold=float(raw["threshold"]),
        data_sha256=str(raw["data_sha256"]),
        version=str(raw["version"]) if "version" in raw else None,
    )


@dataclass(frozen=True)
class _Anchors:
    descriptions: FloatArray  # (17, dim)
    facets: FloatArray  # (n_facets, dim)
    facet_goal: npt.NDArray[np.int64]  # goal index 0–16 of each facet row


# Keyed by engine name: the anchors only depend on the engine and the shipped data.
_ANCHORS: dict[str, _Anchors] = {}
_ANCHORS_LOCK = threading.Lock()


def anchor_texts() -> list[str]:
    """The curated texts every mapping compares against: the 17 goal descriptions, then the facets."""
    goals = sdg_goals()
    return [f"{g.title}: {g.description}" for g in goals] + [facet for g in goals for facet in g.facets]


def _anchors(engine: EmbeddingEngine) -> _Anchors:
    with _ANCHORS_LOCK:
        cached = _ANCHORS.get(engine.name)
        if cached is not None:
            return cached
        goals = sdg_goals()
        vectors = engine.embed(anchor_texts()).astype(np.float64)
        descriptions, facets = vectors[: len(goals)], vectors[len(goals) :]
        facet_goal = np.array([g.number - 1 for g in goals for _ in g.facets], dtype=np.int64)
        anchors = _Anchors(descriptions=descriptions, facets=facets, facet_goal=facet_goal)
        _ANCHORS[engine.name] = anchors
        return anchors


def split_chunks(text: str) -> list[str]:
    """Split a text into sentence-sized chunks; the model only reads 256 word pieces at a time."""
    pieces = [p.strip() for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    chunks: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending} {piece}".strip()
        if len(pending) >= _MIN_CHUNK_CHARS:
            chunks.append(pending)
            pending = ""
    if pending:
        if chunks:
            chunks[-1] = f"{chunks[-1]} {pending}"
        else:
            chunks.append(pending)
    return chunks or [text.strip() or text]


def _per_goal(similarities: FloatArray, facet_goal: npt.NDArray[np.int64], top: int) -> FloatArray:
    """Mean of the ``top`` highest facet similarities of each goal, for every row."""
    out = np.empty((similarities.shape[0], len(SDG_NUMBERS)), dtype=np.float64)
    for goal in range(len(SDG_NUMBERS)):
        columns = np.sort(similarities[:, facet_goal == goal], axis=1)[:, ::-1]
        out[:, goal] = columns[:, :top].mean(axis=1)
    return out


def _share(values: FloatArray) -> FloatArray:
    scaled = (values - values.max(axis=1, keepdims=True)) * _SHARE_TEMPERATURE
    weights = np.exp(scaled)
    result: FloatArray = weights / weights.sum(axis=1, keepdims=True)
    return result


def _vote(similarities: FloatArray, facet_goal: npt.NDArray[np.int64]) -> FloatArray:
    """Softmax over all facets of all goals, summed per goal: a soft nearest-facet vote."""
    shares = _share(similarities)
    out = np.zeros((similarities.shape[0], len(SDG_NUMBERS)), dtype=np.float64)
    for goal in range(len(SDG_NUMBERS)):
        out[:, goal] = shares[:, facet_goal == goal].sum(axis=1)
    return out


FEATURE_NAMES: tuple[str, ...] = (
    "desc",  # cosine of the text to the goal description
    "facet_top3",  # mean cosine to the goal's three closest facets
    "desc_gap",  # desc minus the best desc over all goals (0 for the best goal)
    "facet_gap",  # facet_top3 minus the best facet_top3 over all goals
    "sent_max",  # best facet cosine of any single sentence
    "sent_gap",  # sent_max minus the best sent_max over all goals
    "sent_mean",  # mean over sentences of their best facet cosine for the goal
    "sent_top_share",  # share of sentences whose closest goal is this one
    "facet_share",  # softmax share of the goal among all 17 on facet_top3
    "desc_share",  # softmax share on desc
    "sent_share",  # softmax share on sent_max
    "facet_vote",  # softmax over every facet of every goal, mass falling on this goal's facets
    "sent_vote",  # the same per sentence, averaged over sentences
    "facet_rank",  # 1 / (1 + rank of the goal by facet_top3), so the best goal gets 1
    "whole_desc",  # desc, from the embedding of the whole text instead of the sentence mean
    "whole_facet_top3",  # facet_top3 from the whole-text embedding
    "whole_facet_vote",  # facet_vote from the whole-text embedding
)


def sdg_features(texts: Sequence[str], engine: EmbeddingEngine) -> FloatArray:
    """Similarity features of every text to every goal: shape ``(len(texts), 17, len(FEATURE_NAMES))``."""
    n_goals = len(SDG_NUMBERS)
    if not texts:
        return np.zeros((0, n_goals, len(FEATURE_NAMES)), dtype=np.float64)
    anchors = _anchors(engine)
    chunk_lists = [split_chunks(t) for t in texts]
    owner = np.array([i for i, chunks in enumerate(chunk_lists) for _ in chunks], dtype=np.int64)
    flat = [c for chunks in chunk_lists for c in chunks]
    # One embedding pass over the sentences; the text vector is their normalised mean, which costs
    # nothing extra and is never truncated.
    sentences = engine.embed(flat).astype(np.float64)
    pooled = np.zeros((len(texts), sentences.shape[1]), dtype=np.float64)
    np.add.at(pooled, owner, sentences)
    pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    # The whole text, embedded in one pass, sees how the sentences bear on each other and adds a
    # view the sentence mean lacks. Only texts of several chunks need a second pass: a one-chunk
    # text is its own whole, so short texts (a goal, a mission) cost nothing extra.
    whole = pooled.copy()
    multi = [i for i, chunks in enumerate(chunk_lists) if len(chunks) > 1]
    if multi:
        whole[multi] = engine.embed([texts[i].strip() for i in multi]).astype(np.float64)

    desc = pooled @ anchors.descriptions.T
    facet_top3 = _per_goal(pooled @ anchors.facets.T, anchors.facet_goal, 3)
    per_sentence = _per_goal(sentences @ anchors.facets.T, anchors.facet_goal, 1)
    counts = np.bincount(owner, minlength=len(texts)).astype(np.float64)[:, None]
    sent_max = np.full((len(texts), n_goals), -1.0)
    np.maximum.at(sent_max, owner, per_sentence)
    sent_mean = np.zeros((len(texts), n_goals))
    np.add.at(sent_mean, owner, per_sentence)
    sent_mean /= counts
    sent_top = np.zeros((len(texts), n_goals))
    np.add.at(sent_top, (owner, per_sentence.argmax(axis=1)), 1.0)
    sent_top /= counts

    facet_vote = _vote(pooled @ anchors.facets.T, anchors.facet_goal)
    sent_vote = np.zeros((len(texts), n_goals))
    np.add.at(sent_vote, owner, _vote(sentences @ anchors.facets.T, anchors.facet_goal))
    sent_vote /= counts
    ranks = np.argsort(np.argsort(-facet_top3, axis=1, kind="stable"), axis=1, kind="stable")
    whole_facets = whole @ anchors.facets.T

    columns = {
        "desc": desc,
        "facet_top3": facet_top3,
        "desc_gap": desc - desc.max(axis=1, keepdims=True),
        "facet_gap": facet_top3 - facet_top3.max(axis=1, keepdims=True),
        "sent_max": sent_max,
        "sent_gap": sent_max - sent_max.max(axis=1, keepdims=True),
        "sent_mean": sent_mean,
        "sent_top_share": sent_top,
        "facet_share": _share(facet_top3),
        "desc_share": _share(desc),
        "sent_share": _share(sent_max),
        "facet_vote": facet_vote,
        "sent_vote": sent_vote,
        "facet_rank": 1.0 / (1.0 + ranks),
        "whole_desc": whole @ anchors.descriptions.T,
        "whole_facet_top3": _per_goal(whole_facets, anchors.facet_goal, 3),
        "whole_facet_vote": _vote(whole_facets, anchors.facet_goal),
    }
    return np.stack([columns[name] for name in FEATURE_NAMES], axis=2)


def sdg_probabilities(features: FloatArray, calibration: SdgCalibration | None = None) -> FloatArray:
    """Calibrated probability that each goal is present, shape ``(n, 17)``, from ``sdg_features``."""
    cal = calibration or load_calibration()
    index = [FEATURE_NAMES.index(name) for name in cal.features]
    x = (features[:, :, index] - cal.mean) / cal.scale
    logits = x @ cal.weights + cal.intercept + cal.goal_bias
    result: FloatArray = 1.0 / (1.0 + np.exp(-logits))
    return result


def _scores(probabilities: FloatArray, threshold: float) -> list[SdgScore]:
    # Rounded so the output is stable across BLAS builds; ties are broken by goal number.
    rounded = [(round(float(p), 4), goal + 1) for goal, p in enumerate(probabilities)]
    present = sorted((item for item in rounded if item[0] >= threshold), key=lambda it: (-it[0], it[1]))
    return [SdgScore(sdg=sdg, confidence=conf) for conf, sdg in present]


def map_sdgs(texts: Sequence[str], *, engine: EmbeddingEngine | None = None) -> list[SdgPrediction]:
    """The SDGs present in each text, one prediction per input in input order."""
    if not texts:
        return []
    engine = engine or get_engine()
    cal = load_calibration(engine.name)
    probabilities = sdg_probabilities(sdg_features(texts, engine), cal)
    predictions = []
    for text, row in zip(texts, probabilities, strict=True):
        scores = _scores(row, cal.threshold)
        predictions.append(SdgPrediction(text=text, primary=scores[0].sdg if scores else None, sdgs=scores))
    return predictions


def profile_sdgs(profile: Profile, *, engine: EmbeddingEngine | None = None) -> list[SdgScore]:
    """The organisation's SDGs from its mission and goals (activities count less), most confident first.

    A profile in a language the engine does not read but the multilingual reader does is mapped with
    the reader's features and its own calibration (``data/sdg_calibration_reader.json``); an English
    one takes the English path exactly as before.
    """
    engine = engine or get_engine()
    if reads_through_reader(profile, engine.name):
        engine = get_engine(MULTILINGUAL_ENGINE)
    cal = load_calibration(engine.name)
    texts = [profile.mission, *(g.text for g in profile.goals)]
    weights = [1.0] * len(texts)
    texts += [a.text for a in profile.activities]
    weights += [_ACTIVITY_WEIGHT] * len(profile.activities)
    probabilities = sdg_probabilities(sdg_features(texts, engine), cal) * np.array(weights)[:, None]
    # One clear statement is enough to hold a goal, so take the best text rather than an average
    # that would punish organisations for writing more.
    best = probabilities.max(axis=0)
    for goal in profile.goals:
        for sdg in goal.sdgs or []:
            best[sdg - 1] = 1.0  # the organisation said so itself
    return _scores(best, cal.threshold)
