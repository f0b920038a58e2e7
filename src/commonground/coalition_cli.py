"""What ``commonground assess`` adds for a coalition: one pair explained, or every pair written in full.

Above twenty partners the result keeps a short summary of each pair (``core/assessment.py``), so
that 200 partners fit in memory and in a JSON a person can open. The full findings stay one option
away:

- ``--explain A B`` assesses the partners named A and B on their own, with the coalition's proposed
  initiatives, which is the pair's full result in the coalition; it renders in any ``--format``;
- ``--pairs FILE`` writes every pair's full result to FILE as JSON Lines (one PairResult per line,
  in pair order), streamed as the pairs finish, so memory stays that of the summaries.

Only click and the standard library are imported at module level, so ``commonground --help`` stays fast.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from commonground.output_files import give_mode

if TYPE_CHECKING:
    from commonground.core.profiles import Partnership, Profile
    from commonground.core.results import AssessmentResult

# Partner names listed in an "unknown partner" message before "… and N more".
NAMES_SHOWN = 10


class PairOptionError(ValueError):
    """``--explain`` names a partner the input does not have (or one twice), or ``--pairs`` cannot write."""


def explained_partners(partners: Sequence[Profile], names: tuple[str, str]) -> list[Profile]:
    """The two partners ``names`` asks for, in the order given (exact name, else the only casefold match)."""
    chosen = []
    for name in names:
        exact = [p for p in partners if p.name == name]
        folded = [p for p in partners if p.name.casefold() == name.casefold()]
        found = exact or folded
        if len(found) != 1:
            chosen_names = [p.name for p in partners]
            close = difflib.get_close_matches(name, chosen_names, n=3)
            hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else _listed(chosen_names)
            raise PairOptionError(f"--explain: no partner named {name!r}; {hint}")
        chosen.append(found[0])
    if chosen[0].name == chosen[1].name:
        raise PairOptionError(f"--explain needs two different partners; got {chosen[0].name!r} twice")
    return chosen


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:NAMES_SHOWN])
    more = f" … and {len(names) - NAMES_SHOWN:,} more" if len(names) > NAMES_SHOWN else ""
    return f"the partners are {shown}{more}"


@contextmanager
def pair_lines(path: Path | None, *, option: str = "--pairs") -> Iterator[Callable[[str], None] | None]:
    """A writer of one JSON line per pair into ``path`` (None: no writer); errors name ``option``.

    The lines go to a temporary file beside ``path`` that replaces it only when every pair is
    written: a run that fails or is interrupted leaves an earlier file as it was, and never half
    the pairs (they would read as a whole coalition).
    """
    if path is None:
        yield None
        return
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below; kept to unlink on failure
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
        )
    except OSError as exc:
        raise PairOptionError(f"{option}: cannot write {path}: {exc.strerror or exc}") from exc
    try:

        def write(line: str) -> None:
            try:
                handle.write(line)
                handle.write("\n")
            except OSError as exc:  # a full disk, say: the temporary file is removed below
                raise PairOptionError(f"{option}: cannot write {path}: {exc.strerror or exc}") from exc

        yield write
        try:
            handle.flush()  # the last lines: a full disk shows here too
            # On the disk before the rename, so a crash leaves the old file or the whole new one.
            os.fsync(handle.fileno())
            handle.close()
            give_mode(handle.name, path)
            os.replace(handle.name, path)
        except OSError as exc:
            raise PairOptionError(f"{option}: cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        handle.close()
        Path(handle.name).unlink(missing_ok=True)


def assess_coalition(
    partnership: Partnership,
    *,
    engine: str | None,
    workers: int,
    explain: tuple[str, str] | None,
    pairs: Path | None,
) -> tuple[AssessmentResult, list[Profile]]:
    """The assessment ``assess`` prints (the whole partnership, or one pair of it) and the profiles used."""
    profiles = list(partnership.partners)
    title = partnership.name
    if explain is not None:
        profiles = explained_partners(profiles, explain)
        title = None  # the pair's own title, "A × B"
    from commonground.core.assessment import assess_profiles

    with pair_lines(pairs) as write:
        result = assess_profiles(
            profiles,
            initiatives=partnership.initiatives,
            name=title,
            engine=engine,
            workers=workers,
            pair_json=write,
        )
    return result, profiles
