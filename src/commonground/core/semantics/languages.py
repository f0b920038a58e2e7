"""Which language a profile is written in, and what the engine cannot read in it.

An embedding model trained on English places a French "fabriquer des cigarettes" nowhere near
"makes cigarettes", so red lines, sectors, goal tensions and SDGs can go missing without a word.
We detect each profile's language with py3langid (a compact naive-Bayes identifier whose model
ships inside the package, BSD-3-Clause) over all its texts at once, which is far more reliable
than one short sentence, and say in the result which findings could not be made.
"""

from __future__ import annotations

import hashlib
import threading
from array import array
from functools import lru_cache
from typing import Any

import numpy as np

from commonground.core.profiles import Profile
from commonground.core.semantics.model_cache import read_tables, write_tables
from commonground.core.wording import possessive

__all__ = [
    "LANGUAGE_NAMES",
    "detect_language",
    "language_limitations",
    "profile_language",
    "reads_through_reader",
]

# What each embedding engine reads well. The stance classifier and red-line topics also use the
# multilingual reader, whose 16 languages include these and more.
ENGINE_LANGUAGES: dict[str, frozenset[str]] = {"minilm-int8": frozenset({"en"})}
READER_LANGUAGES = frozenset(
    {"ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "ru", "es", "th", "tr"}
)

# The languages the identifier chooses among: the ones partners are most likely to write in.
# Restricting the set makes short texts far more reliable than the identifier's full 97.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "ar": "Arabic",
    "zh": "Chinese",
    "ja": "Japanese",
    "ru": "Russian",
    "tr": "Turkish",
    "hi": "Hindi",
    "sw": "Swahili",
    "id": "Indonesian",
}
_LOCK = threading.Lock()


# What the unpacked tables in the model cache hold; a change here names a new cache file.
_TABLES_LAYOUT = "py3langid-0.4.0-restricted-1"


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Imported lazily. Unpacking the identifier's compressed model costs 0.5-0.7 s, so the tables of
    # the languages we detect are kept unpacked in the model cache for the next run.
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model_file = MODEL_DIR / MODEL_FILE
    languages = sorted(LANGUAGE_NAMES)
    key = hashlib.sha256(f"{_TABLES_LAYOUT} {' '.join(languages)} ".encode())
    key.update(model_file.read_bytes())
    name = f"language-identifier-{key.hexdigest()[:24]}.npz"
    cached = _from_tables(read_tables(name), languages)
    if cached is not None:
        return cached
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(languages)
    write_tables(
        name,
        {
            "ptc": np.ascontiguousarray(identifier.nb_ptc),
            "pc": np.asarray(identifier.nb_pc),
            "classes": np.array(identifier.nb_classes),
            "nextmove": np.frombuffer(identifier.tk_nextmove, dtype=f"u{identifier.tk_nextmove.itemsize}"),
            "row": np.frombuffer(identifier.tk_row, dtype=f"u{identifier.tk_row.itemsize}"),
            "output": np.array(identifier.tk_output, dtype=np.int64),
        },
    )
    return identifier


def _from_tables(tables: dict[str, Any] | None, languages: list[str]) -> Any:
    """The identifier built from cached tables, or None when they are missing or not whole."""
    from py3langid.langid import LanguageIdentifier

    if tables is None or set(tables) != set(_TABLE_NAMES):
        return None
    try:
        classes = [str(c) for c in tables["classes"]]
        ptc, pc = tables["ptc"], tables["pc"]
        if sorted(classes) != languages or ptc.ndim != 2 or not ptc.shape[1] == len(classes) == pc.shape[0]:
            return None
        identifier = LanguageIdentifier(
            ptc,
            pc,
            classes,
            array(_ARRAY_CODES[tables["nextmove"].itemsize], tables["nextmove"].tobytes()),
            tables["output"].tolist(),
            norm_probs=True,
            tk_row=array(_ARRAY_CODES[tables["row"].itemsize], tables["row"].tobytes()),
        )
        identifier.classify("A short probe of the tables, in English.")
    except Exception:  # tables that do not fit together: unpacked again from the package
        return None
    return identifier


_TABLE_NAMES = ("ptc", "pc", "classes", "nextmove", "row", "output")
_ARRAY_CODES = {2: "H", 4: "I", 8: "Q"}  # the identifier walks its tables as the stdlib's arrays


@lru_cache(maxsize=4096)
def detect_language(text: str) -> tuple[str, float]:
    """The ISO 639-1 code of ``text``'s language and the identifier's probability for it."""
    with _LOCK:  # set_languages mutates the identifier; classify is cheap, so one at a time
        code, probability = _identifier().classify(text)
    return str(code), float(probability)


def profile_language(profile: Profile) -> str:
    """The language most of a profile's own words are written in."""
    texts = [profile.mission, *(g.text for g in profile.goals), *(a.text for a in profile.activities)]
    texts += [r.text for r in profile.red_lines]
    code, _ = detect_language(" . ".join(texts))
    return code


def reads_through_reader(profile: Profile, engine: str) -> bool:
    """Whether ``profile`` is in a language ``engine`` reads poorly but the multilingual reader reads well."""
    known = ENGINE_LANGUAGES.get(engine)
    if known is None:
        return False
    code = profile_language(profile)
    return code not in known and code in READER_LANGUAGES


def language_limitations(profiles: list[Profile], engine: str) -> list[str]:
    """One sentence per profile written in a language the engine reads poorly, naming what may be missing."""
    known = ENGINE_LANGUAGES.get(engine)
    if known is None:
        return []
    out: list[str] = []
    for profile in profiles:
        code = profile_language(profile)
        if code in known:
            continue
        name = LANGUAGE_NAMES.get(code, code)
        # SDGs of a reader language are mapped by the reader (sdgs.profile_sdgs), so only what still
        # comes from the English model is named as possibly missing.
        if code in READER_LANGUAGES:
            read = "sensitive sectors, red lines that name a sector and SDGs were read in it"
            missing = "goal tensions, value matches and the mission fit"
        else:
            read = "sensitive sectors and red lines may be missed too"
            missing = "SDGs, goal tensions, value matches and the mission fit"
        out.append(
            f"{possessive(profile.name)} profile reads as {name}: {read}, but {missing} come from an "
            f"English model ({engine}) and may be missing or weak. "
            "An English version of the profile gives the full assessment."
        )
    return out
