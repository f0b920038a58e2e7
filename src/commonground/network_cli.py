"""``commonground network``: a coalition's network survey analysed, drawn and exported.

Reads a survey file (``core/network/``; YAML or JSON), analyses one round (the latest unless
``--round`` names one), compares it with ``--compare`` and writes text, JSON, an HTML page, the SVG
picture, or the ties as CSV/XLSX. Exit 0 when the file could be analysed, 2 on bad input (each
problem as ``file:line: field: message``, an unknown round with the rounds there are). Only click
is imported at module level, so ``commonground --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from commonground.cli_options import output_option

if TYPE_CHECKING:
    from commonground.reports.charts.network import Colouring

# The formats of commonground.reports.network.NETWORK_FORMATS plus the PDF and the two tables, listed
# here so --help stays fast (tests/cli/test_network_cli.py checks the two agree).
NETWORK_FORMATS = ("text", "json", "html", "pdf", "svg", "csv", "xlsx")
FOR_A_FILE = {"html": "network.html", "pdf": "network.pdf", "svg": "network.svg", "xlsx": "ties.xlsx"}


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--round", "label", metavar="LABEL", help="The round to analyse (default: the latest by date).")
@click.option("--compare", metavar="LABEL", help="Also show what changed since this earlier round.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(NETWORK_FORMATS),
    default="text",
    show_default=True,
    help="Output: a report (text, json, html, pdf), the picture (svg) or the ties (csv, xlsx).",
)
@click.option(
    "--colour",
    type=click.Choice(("trust", "value")),
    default="trust",
    show_default=True,
    help="What colours the organisations in the picture.",
)
@click.option(
    "--gap",
    "gap_threshold",
    type=click.IntRange(1, 3),
    default=2,
    show_default=True,
    help="Points apart (1–4 scale) at which two organisations' ratings of each other are a perception gap.",
)
@output_option
def network(
    file: Path,
    label: str | None,
    compare: str | None,
    fmt: str,
    colour: str,
    gap_threshold: int,
    output: Path | None,
) -> None:
    """Analyse a coalition's network survey: density, centralization, each organisation's
    centrality, trust and value, single points of failure, perception gaps and change.

    FILE holds the coalition's organisations and one or more survey rounds (see
    examples/network-riverside.yaml and docs/methods.md).
    """
    from commonground.cli import InputError, write_output
    from commonground.core.network import (
        UnknownRound,
        analyse_round,
        compare_rounds,
        edges_csv,
        edges_xlsx,
        load_survey,
    )
    from commonground.reports.board import PdfUnavailable
    from commonground.reports.network import render_network, render_network_pdf

    if fmt in FOR_A_FILE and output is None and sys.stdout.isatty():
        raise click.UsageError(
            f"{fmt.upper()} is meant for a file: add --output {FOR_A_FILE[fmt]} (or redirect stdout)."
        )
    survey = load_survey(file)
    try:
        analysis = analyse_round(survey, label, gap_threshold=gap_threshold)
        change = None
        if compare is not None:
            change = compare_rounds(survey, compare, analysis.label, gap_threshold=gap_threshold)
    except UnknownRound as exc:
        raise InputError(f"{file}: {exc}") from exc
    if change is not None and change.before.date > analysis.date:
        raise InputError(
            f"{file}: --compare {compare} ran on {change.before.date.isoformat()}, after round "
            f"{analysis.label} ({analysis.date.isoformat()}); compare with an earlier round"
        )
    if fmt == "csv":
        write_output(edges_csv(analysis), output)
    elif fmt == "xlsx":
        write_output(edges_xlsx(analysis), output)
    else:
        shade: Colouring = "value" if colour == "value" else "trust"
        if fmt == "pdf":
            try:
                write_output(render_network_pdf(analysis, change, shade), output)
            except PdfUnavailable as exc:
                raise InputError(str(exc)) from exc
            return
        write_output(render_network(analysis, fmt, change=change, colour=shade), output)
