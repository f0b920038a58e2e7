"""Output files: written whole or not at all, keeping the file's mode, its links, and devices as they are."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from commonground.output_files import batched, replacing_file


def test_a_failed_write_leaves_the_earlier_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("earlier\n", encoding="utf-8")

    def fail_halfway() -> None:
        with replacing_file(out) as handle:
            handle.write("half a rep")
            raise RuntimeError("the serialiser failed")

    with pytest.raises(RuntimeError, match="serialiser"):
        fail_halfway()
    assert out.read_text(encoding="utf-8") == "earlier\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_the_new_file_keeps_the_old_mode_and_the_link_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("earlier\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with replacing_file(link) as handle:
        handle.write("{}\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "{}\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_mode_and_a_device_is_written_not_replaced(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pdf"
    with replacing_file(fresh, binary=True) as handle:
        handle.write(b"%PDF")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.read_bytes() == b"%PDF"
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    with replacing_file(Path(os.devnull)) as handle:
        handle.write("gone")
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_batches_join_small_pieces_and_keep_every_character() -> None:
    pieces = [str(k) for k in range(1000)]
    batches = list(batched(pieces, size=100))
    assert "".join(batches) == "".join(pieces)
    assert all(len(b) < 110 for b in batches)
    assert len(batches) < 40
