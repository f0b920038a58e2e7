"""Command-line options that several commands take with the same meaning and wording."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["output_option"]

# ``--output/-o FILE``: where a report goes instead of standard output (written whole by
# ``output_files.replacing_file``, so an interrupted run leaves the earlier file as it was).
output_option = click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout."
)
