"""The model cache: unpacked tables kept between runs, never trusted blindly, never required."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from commonground.core.semantics import languages, model_cache

TEXTS = [
    "We make and sell cigarettes.",
    "Nous fabriquons et vendons des cigarettes.",
    "Wir betreiben drei Kohlekraftwerke in Sachsen.",
    "Vendemos bebidas azucaradas en cuarenta países.",
    "我们生产卷烟",
    "لا نقبل أي تمويل من شركات التبغ",
    "",
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty model cache of this test's own."""
    folder = tmp_path / "models"
    monkeypatch.setenv("COMMONGROUND_MODEL_CACHE", str(folder))
    return folder


def _fresh_detections() -> list[tuple[str, float]]:
    languages._identifier.cache_clear()
    languages.detect_language.cache_clear()
    return [languages.detect_language(text) for text in TEXTS]


def test_tables_come_back_as_they_were_stored(cache: Path) -> None:
    tables = {"a": np.arange(5, dtype=np.uint32), "b": np.array(["en", "fr"])}
    model_cache.write_tables("t.npz", tables)
    back = model_cache.read_tables("t.npz")
    assert back is not None
    assert back["a"].tolist() == [0, 1, 2, 3, 4]
    assert back["b"].tolist() == ["en", "fr"]
    assert [p.name for p in cache.iterdir()] == ["t.npz"]  # no temporary file left beside it


def test_a_damaged_file_is_passed_over(cache: Path) -> None:
    model_cache.write_tables("t.npz", {"a": np.arange(1000)})
    path = cache / "t.npz"
    path.write_bytes(path.read_bytes()[:300])  # cut short, as by a full disk
    assert model_cache.read_tables("t.npz") is None
    assert model_cache.read_tables("missing.npz") is None


def test_a_folder_that_cannot_be_written_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("COMMONGROUND_MODEL_CACHE", str(blocker))
    model_cache.write_tables("t.npz", {"a": np.arange(3)})  # no error
    assert model_cache.read_tables("t.npz") is None


def test_off_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMMONGROUND_MODEL_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert model_cache.cache_folder() is None
    model_cache.write_tables("t.npz", {"a": np.arange(3)})
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COMMONGROUND_MODEL_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert model_cache.cache_folder() == tmp_path / "commonground"


@pytest.mark.slow
def test_the_language_identifier_is_read_back_from_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run reads the unpacked tables instead of unpacking, and detects the same."""
    unpacked = _fresh_detections()
    assert [p.name.startswith("language-identifier-") for p in cache.iterdir()] == [True]
    assert unpacked[1][0] == "fr"
    assert unpacked[4][0] == "zh"

    from py3langid.langid import LanguageIdentifier

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the model was unpacked again although the cache holds it")

    with monkeypatch.context() as patch:
        patch.setattr(LanguageIdentifier, "from_model_file", refuse)
        assert _fresh_detections() == unpacked
    languages._identifier.cache_clear()


@pytest.mark.slow
def test_a_damaged_identifier_file_is_unpacked_again(cache: Path) -> None:
    unpacked = _fresh_detections()
    (path,) = cache.iterdir()
    path.write_bytes(b"not a zip file")
    assert _fresh_detections() == unpacked
    assert path.stat().st_size > 1_000_000  # written again, whole
    languages._identifier.cache_clear()


READER_TEXTS = ["Makes and sells cigarettes", "Nous fabriquons des cigarettes."]


def _reader_vectors() -> np.ndarray:
    from commonground.core.semantics.engines import UseMultilingualEngine

    return UseMultilingualEngine().embed(READER_TEXTS)


@pytest.mark.slow
def test_the_reader_reads_its_weights_unpacked_from_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the first run the packed weights are not opened again, and the vectors are the same."""
    first = _reader_vectors()
    assert any(p.name.startswith("use-m3-weights-") for p in cache.iterdir())
    load = np.load

    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        assert not str(file).endswith("weights.npz") or str(cache) in str(file), (
            "unpacked the packed weights again"
        )
        return load(file, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(np, "load", guarded)
        assert np.array_equal(_reader_vectors(), first)
    monkeypatch.setenv("COMMONGROUND_MODEL_CACHE", "off")
    assert np.array_equal(_reader_vectors(), first)  # the same as from the package's own file


@pytest.mark.slow
def test_a_damaged_weights_file_is_not_used(cache: Path) -> None:
    first = _reader_vectors()
    (path,) = (p for p in cache.iterdir() if p.name.startswith("use-m3-weights-"))
    path.write_bytes(path.read_bytes()[:4096])
    assert np.array_equal(_reader_vectors(), first)
    assert not path.exists()  # removed, to be unpacked whole by the next run


def test_no_home_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMONGROUND_MODEL_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert model_cache.cache_folder() is None


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false", "no"])
def test_the_usual_words_for_off_turn_it_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("COMMONGROUND_MODEL_CACHE", value)
    assert model_cache.cache_folder() is None


def test_stored_tables_are_readable_by_the_folders_other_users(cache: Path) -> None:
    assert model_cache.write_tables("t.npz", {"a": np.arange(3)})
    assert (cache / "t.npz").stat().st_mode & 0o777 == 0o644


@pytest.mark.slow
def test_a_cache_folder_that_cannot_be_entered_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the process may not read or write (another user's) is passed over, never an error."""
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setenv("COMMONGROUND_MODEL_CACHE", str(locked / "models"))
    monkeypatch.setattr(model_cache.os, "access", lambda *args, **kwargs: False)
    assert not model_cache.can_write()
    assert model_cache.readable_file("t.npz") is None
    monkeypatch.setenv("COMMONGROUND_MODEL_CACHE", "off")
    expected = _reader_vectors()
    monkeypatch.setenv("COMMONGROUND_MODEL_CACHE", str(locked / "models"))
    assert np.array_equal(_reader_vectors(), expected)
    assert _fresh_detections()[1][0] == "fr"
    languages._identifier.cache_clear()


@pytest.mark.slow
def test_identifier_tables_that_do_not_fit_together_are_not_used(cache: Path) -> None:
    unpacked = _fresh_detections()
    (path,) = cache.iterdir()
    tables = model_cache.read_tables(path.name)
    assert tables is not None
    tables["nextmove"] = tables["nextmove"][:10]  # cut short, as a hand-made or foreign file might be
    assert model_cache.write_tables(path.name, tables)
    assert _fresh_detections() == unpacked
    languages._identifier.cache_clear()
