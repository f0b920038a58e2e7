"""A command's output: a file written whole or not at all, or standard output in batches.

The text goes to a temporary file beside the target, which replaces it only once every byte is on the
disk: a run that fails, is interrupted or fills the disk leaves the earlier file as it was, never half
a report (half a JSON reads as a broken one, half a text report as a shorter one). Only the standard
library is imported, so ``commonground --help`` stays fast.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def replacing_file(path: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A handle whose writes become ``path`` when the block ends without error (OSError otherwise)."""
    target = Path(os.path.realpath(path))  # a symbolic link stays a link; the file it names is replaced
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        # /dev/null, /dev/stdout, a named pipe: written in place, never replaced by a plain file.
        with open(target, "wb" if binary else "w", encoding=None if binary else "utf-8") as direct:
            yield direct
        return
    if target.exists() and not os.access(target, os.W_OK):
        # Replacing would get round the file's own permission; writing it in place would not.
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below; kept to unlink on failure
        "wb" if binary else "w",
        encoding=None if binary else "utf-8",
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=".part",
        delete=False,
    )
    try:
        yield handle
        handle.flush()  # the last writes: a full disk shows here too
        # On the disk before the rename, so a crash leaves the old file or the whole new one.
        os.fsync(handle.fileno())
        handle.close()
        give_mode(handle.name, target)
        os.replace(handle.name, target)
    finally:
        handle.close()
        Path(handle.name).unlink(missing_ok=True)


def give_mode(temporary: str, path: Path) -> None:
    """Give the new file the mode the old one had, or what a plain new file would get (umask)."""
    if path.exists():
        shutil.copymode(path, temporary)
        return
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)


def batched(chunks: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """The chunks joined into pieces of about ``size`` characters (click.echo flushes on every call)."""
    batch: list[str] = []
    held = 0
    for chunk in chunks:
        batch.append(chunk)
        held += len(chunk)
        if held >= size:
            yield "".join(batch)
            batch, held = [], 0
    if batch:
        yield "".join(batch)
