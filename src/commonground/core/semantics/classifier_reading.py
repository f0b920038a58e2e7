"""The trained stance classifiers' reading: the text they read, their inputs and their probabilities."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from commonground.core.semantics.engines import EmbeddingEngine, Matrix, get_engine
from commonground.core.semantics.polarity import Polarity
from commonground.core.semantics.prototypes import best_per_group, prototype_index
from commonground.core.semantics.sector_map import Group
from commonground.core.semantics.stance_model import NONE, StanceModel, cue_features
from commonground.core.semantics.voice import third_person

# What closes a sentence (Latin, CJK, Arabic and Urdu marks), and the quotes and brackets that may
# close around it: stripped before the classifiers read a text (see classifier_text).
_SENTENCE_MARKS = ".!?;:,…。！？；：、؟۔"
_CLOSERS = {
    ")": "(",
    "]": "[",
    "}": "{",
    '"': '"',
    "'": "'",
    "”": "“",
    "’": "‘",
    "»": "«",
    "」": "「",
    "）": "（",
}
# The version of the text the classifiers read: recorded in each model file as "features", so a
# change here asks for the classifiers to be retrained (tests/core/semantics/test_stance_model.py).
CLASSIFIER_TEXT_VERSION = "closing-punctuation-2"


def classifier_text(text: str) -> str:
    """A text as the stance classifiers read it: without the punctuation that closes it.

    Most of the training sentences end without a full stop, and those that end with one were almost
    all texts about no screen: the screens' classifier of 2026.4 learned "a full stop means none" and
    read "We run an airline with 40 planes." as no airline at all (0.99 without the stop). Profiles
    end their sentences with one, so the classifiers never see it, nor a closing quote or bracket
    around it ('(… mines.)', '"… jets."'), whose opening partner goes too.
    """
    bare = text.strip()
    while bare:
        before = bare
        bare = bare.rstrip(_SENTENCE_MARKS).rstrip()
        if bare and bare[-1] in _CLOSERS:
            closer, opener = bare[-1], _CLOSERS[bare[-1]]
            inner = bare[:-1]
            if inner.startswith(opener):  # the whole text wrapped: '(… mines.)'
                bare = inner[len(opener) :].strip()
            elif closer not in "'’" and (
                # Single quotes double as apostrophes ("children's"), so they are only unwrapped.
                inner.count(opener) % 2 == 0 if opener == closer else opener not in inner
            ):
                bare = inner.rstrip()  # a closer left without its opener: '… jets.)'
            # else it closes an aside inside the text ("runs (two) mines (UK)"): kept
        if bare == before:
            break
    return bare or text


def classifier_inputs(
    texts: Sequence[str], vectors: Matrix, *, engine: EmbeddingEngine
) -> tuple[list[str], Matrix]:
    """The texts as the trained models read them (:func:`classifier_text`) and their embeddings.

    Only the texts that changed are embedded again, into a copy: the caller's matrix stays as it was.
    """
    bare = [classifier_text(t) for t in texts]
    changed = [i for i, (t, b) in enumerate(zip(texts, bare, strict=True)) if t != b]
    if changed:
        vectors = vectors.copy()
        vectors[changed] = engine.embed([bare[i] for i in changed])
    return bare, vectors


def sector_features(
    texts: Sequence[str],
    vectors: Matrix,
    stances: Sequence[Polarity],
    *,
    engine: EmbeddingEngine,
    reader: str,
    group: Group = "sectors",
) -> Matrix:
    """The stance classifier's inputs: embedding, similarity per sector, word-rule cues, reader embedding.

    Each text is read without its closing punctuation (:func:`classifier_text`), re-embedded where
    that changed it, so that a full stop cannot decide what the classifier says.
    """
    bare, vectors = classifier_inputs(texts, vectors, engine=engine)
    index = prototype_index(engine, group)
    s_best, _ = best_per_group(vectors @ index.sector_vectors.T, index.sector_slices)
    # How close the text is to each sector's ways of working FOR it and AGAINST it (data/sectors.yaml).
    for_best, _ = best_per_group(vectors @ index.for_vectors.T, index.for_slices)
    against_best, _ = best_per_group(vectors @ index.against_vectors.T, index.against_slices)
    cues = np.array([cue_features(p) for p in stances], dtype=np.float32).reshape(len(stances), -1)
    read = get_engine(reader).embed(bare)
    return np.hstack([vectors.astype(np.float32), s_best, for_best, against_best, cues, read])


def classifier_reading(
    texts: Sequence[str],
    vectors: Matrix,
    stances: Sequence[Polarity],
    *,
    engine: EmbeddingEngine,
    model: StanceModel,
    group: Group = "sectors",
) -> tuple[Matrix, Matrix]:
    """The classifier's features and class probabilities for each text.

    A first-person self-description is read twice, as written and told in the third person as
    most training texts are (:func:`voice.third_person`), and the reading surer of an industry is
    kept: the classifiers learnt "Makes and sells cigarettes" (0.97) and read "We make and sell
    cigarettes." as no industry (0.64).
    """
    features = sector_features(texts, vectors, stances, engine=engine, reader=model.reader, group=group)
    probs = model.probabilities(features)
    bare = [classifier_text(t) for t in texts]
    voiced = [third_person(b) for b in bare]
    # An ended tie is read as written: a second reading can only add an industry.
    changed = [i for i in range(len(texts)) if voiced[i] != bare[i] and not stances[i].past]
    if changed:
        told = [voiced[i] for i in changed]
        told_stances = [stances[i] for i in changed]
        told_features = sector_features(
            told, engine.embed(told), told_stances, engine=engine, reader=model.reader, group=group
        )
        told_probs = model.probabilities(told_features)
        industries = [c != NONE for c in model.classes]
        for k, i in enumerate(changed):
            if float(told_probs[k, industries].max()) > float(probs[i, industries].max()):
                probs[i] = told_probs[k]
    # The features stay those of the text as written: whether it works against what it names
    # (StanceModel.working_against) is read from its own words, negations included.
    return features, probs
