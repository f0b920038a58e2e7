"""``commonground pulse analyse``: anonymity-safe results from a CSV export of check-in answers.

Same methods and the same suppression as the workspace (``core/alignment``). Exit 0 when the file
could be analysed, 2 on bad input with each problem as ``file:line: column NAME: message``. Only
click is imported at module level, so ``commonground --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from commonground.cli_options import output_option

# The formats of commonground.reports.pulse.PULSE_FORMATS, listed here so --help stays fast
# (tests/cli/test_pulse_cli.py checks the two agree).
PULSE_FORMATS = ("text", "json", "html")


@click.group()
def pulse() -> None:
    """Check-in results: anonymity-safe figures, drift alerts and perception gaps."""


@pulse.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PULSE_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@click.option(
    "--pool",
    type=click.IntRange(0, 24),
    default=0,
    show_default=True,
    help="Also pool the last N check-ins, counting each person once (for small partnerships).",
)
def analyse(file: Path, fmt: str, output: Path | None, pool: int) -> None:
    """Analyse a CSV of answers: checkin, respondent, partner, item, score [, about, role, comment].

    No figure is shown for fewer than 5 people, no comment for fewer than 10, and no hidden
    figure can be worked out from the shown ones; the notes say what was hidden and why.
    """
    from commonground.cli import read_input_bytes, write_output
    from commonground.core.alignment.analysis import analyse as run_analysis
    from commonground.core.alignment.responses import MAX_BYTES, read_responses
    from commonground.reports.pulse import render_pulse

    if fmt == "html" and output is None and sys.stdout.isatty():
        raise click.UsageError("HTML is meant for a file: add --output pulse.html (or redirect stdout).")
    source = "standard input" if str(file) == "-" else str(file)
    # Bounded and regular files only: a named pipe would block and /dev/zero never ends.
    data = read_input_bytes(str(file), limit=MAX_BYTES)
    answers = read_responses(data, source)
    write_output(render_pulse(run_analysis(answers, pool=pool), fmt), output)
