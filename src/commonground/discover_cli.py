"""``commonground discover``: partners for a profile in a directory (exits as in directory_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from commonground.cli_options import output_option

if TYPE_CHECKING:
    from commonground.core.directory.approximate import ApproximateIndex
    from commonground.core.directory.discovery import Discovery, Filters

from commonground.core.wording import counted, visible_controls
from commonground.directory_cli import KINDS, _directory_errors, _input_error
from commonground.index_cli import directory_option

DISCOVER_FORMATS = ("text", "json", "html")


def _filters(countries: tuple[str, ...], kinds: tuple[str, ...], sdgs: tuple[int, ...]) -> Filters:
    from commonground.core.countries import country_code, not_a_code
    from commonground.core.directory.discovery import Filters

    codes = {c: country_code(c) for c in countries}
    if bad := [c for c, code in codes.items() if code is None]:
        # The directory stores two-letter codes only (as the web page's filter takes them), so any
        # other value would silently find nobody.
        raise _input_error(f"--country: {'; '.join(not_a_code(c) for c in bad)}")
    return Filters(
        countries=frozenset(code for code in codes.values() if code is not None),
        kinds=frozenset(kinds),
        sdgs=frozenset(sdgs),
    )


def _as_json(found: Discovery) -> str:
    from commonground.reports.summary import score_note

    payload = {
        "considered": found.considered,
        "search_mode": found.search_mode,
        "search_reason": found.search_reason or None,
        "results": [
            {
                "rank": rank,
                "name": m.candidate.record.name,
                "key": m.candidate.record.key,
                "score": m.assessment.score,
                "verdict": m.assessment.verdict.value,
                # Why a workable score under 40 is that low, as the text and HTML say it (else null).
                "score_note": score_note(m.assessment) or None,
                "similarity": round(m.candidate.similarity, 4),
                "shared_sdgs": list(m.candidate.shared_sdgs),
                "marked": m.candidate.mark,
                "country": m.candidate.record.country,
                "kind": m.candidate.record.kind,
                "reasons": m.reasons(),
            }
            for rank, m in enumerate(found.results, start=1)
        ],
        "excluded": [
            {"name": e.name, "action": e.action, "why": e.why, "sectors": list(e.sectors)}
            for e in found.excluded
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _as_text(found: Discovery, *, approximate: bool) -> str:
    from commonground.reports.charts import verdict_heading
    from commonground.reports.numbers import score_text
    from commonground.reports.summary import score_note

    lines = [f"{len(found.results)} of {counted(found.considered, 'organisation')}, best first"]
    if approximate:
        from commonground.index_cli import mode_line

        lines.append(mode_line(found))
    for rank, m in enumerate(found.results, start=1):
        record = m.candidate.record
        where = ", ".join(x for x in (record.country, record.region) if x)
        lines.append(
            # The score as every assessment shows it ("Aligned (69/100)", as --explain leads with), and
            # "Workable, weak fit (0/100)" under 40, never a bare "Workable" beside a zero.
            f"\n{rank:>2}. {record.name}  {verdict_heading(m.assessment.verdict, m.assessment.score)} "
            f"({score_text(m.assessment.score)}/100)" + (f"  ({where})" if where else "")
        )
        if note := score_note(m.assessment):
            lines.append(f"    {note}")
        if m.candidate.mark is not None:
            lines.append(f"    ! marked: {m.candidate.mark}")
        if m.candidate.shared_sdgs:
            lines.append(f"    shared SDGs: {', '.join(str(s) for s in m.candidate.shared_sdgs)}")
        for reason in m.reasons()[:4]:
            lines.append(f"    - {reason['summary']}")
            lines.extend(f"        “{e}”" for e in reason["evidence"][:2])
    if found.excluded:
        lines.append("\nLeft out or marked:")
        lines.extend(f"  {e.name}: {e.action}: {e.why}" for e in found.excluded)
    # Names and evidence come from public registers: a bidirectional control in one would reverse
    # the rest of its line on a terminal, so each is shown as [U+202E] instead.
    return visible_controls("\n".join(lines) + "\n")


@click.command()
@click.argument("profile", required=False, type=click.Path(dir_okay=False, path_type=Path))
@directory_option("Directory built with `commonground directory build`.")
@click.option(
    "--top",
    type=click.IntRange(1, 200),
    default=20,
    show_default=True,
    help="How many organisations to list.",
)
@click.option(
    "--shortlist",
    type=click.IntRange(1, 500),
    help="How many the full assessment re-ranks, at least --top (default: --top).",
)
@click.option(
    "--country", multiple=True, metavar="CODE", help="Only organisations in this country (repeatable)."
)
@click.option(
    "--kind", multiple=True, type=click.Choice(KINDS), help="Only organisations of this kind (repeatable)."
)
@click.option(
    "--sdg",
    multiple=True,
    type=click.IntRange(1, 17),
    help="Only organisations working on this SDG (repeatable).",
)
@click.option(
    "--explain", metavar="NAME", help="Run the full assessment with this one organisation and print it."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DISCOVER_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@click.option(
    "--approximate",
    is_flag=True,
    help="First stage from the approximate index (`directory index`); strict filters stay exact.",
)
@click.option(
    "--expansion",
    type=click.IntRange(1, 100_000),
    metavar="N",
    help=(
        "--approximate: the graph search's breadth (default 64 per 250,000 organisations, at most 512; "
        "higher: better recall, slower)."
    ),
)
@click.option(
    "--all-pairs",
    is_flag=True,
    help="Instead of PROFILE: every organisation's best --top matches (fast stage only), "
    "as JSON Lines into --output.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 1024),
    metavar="N",
    help="--all-pairs: processes to rank on (default: every core).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="--all-pairs: run on the Dask cluster at ADDRESS (optional extra: commonground[dask]).",
)
def discover(
    profile: Path,
    target: Path,
    top: int,
    shortlist: int | None,
    country: tuple[str, ...],
    kind: tuple[str, ...],
    sdg: tuple[int, ...],
    explain: str | None,
    fmt: str,
    output: Path | None,
    approximate: bool,
    expansion: int | None,
    all_pairs: bool,
    jobs: int | None,
    scheduler: str | None,
) -> None:
    """Find partners for PROFILE in a directory: fast ranking, red lines, then the full assessment.

    With --all-pairs, no PROFILE: every organisation's best matches in the directory (by the fast
    stage: similarity and shared SDGs, exact), one JSON line each, on every core or a Dask cluster.
    """
    if all_pairs or jobs is not None or scheduler is not None:
        from commonground.all_pairs_cli import check_all_pairs, write_all_pairs

        check_all_pairs(profile, all_pairs, output, shortlist, explain, fmt)
        if approximate or expansion is not None:
            # All pairs is its own exact scan (int8 blocks): the graph would only make it slower.
            raise _input_error("--all-pairs is always exact: it does not take --approximate or --expansion")
        if jobs is not None and scheduler is not None:
            raise _input_error("--jobs sets this machine's processes; with --scheduler the cluster runs")

        assert output is not None
        write_all_pairs(
            target, output, top=top, jobs=jobs, scheduler=scheduler, filters=_filters(country, kind, sdg)
        )
        return
    if profile is None:
        raise _input_error("give a PROFILE to find partners for, or --all-pairs for every organisation")
    if shortlist is not None and shortlist < top and explain is None:
        raise _input_error(
            f"--shortlist {shortlist} is fewer than --top {top}: the full assessment re-ranks the "
            "shortlist and lists the best --top of it; give a --shortlist of at least --top, or none"
        )
    filters = _filters(country, kind, sdg)
    from commonground.cli import write_output
    from commonground.core.loading import load_profile

    seeker = load_profile(profile)
    from commonground.core.directory import discovery
    from commonground.core.directory.storage import open_directory
    from commonground.core.semantics.engines import get_engine

    if expansion is not None and not approximate:
        raise _input_error("--expansion goes with --approximate")
    index: ApproximateIndex | None = None
    with _directory_errors():
        current = open_directory(target)
        if approximate:
            from commonground.index_cli import open_for_discover

            index = open_for_discover(current, expansion)
    engine = get_engine(current.engine)
    if explain is not None:
        record = discovery.find_record(current, explain)
        if record is None:
            raise _input_error(f"{explain!r} is not in the directory (give its name or key)")
        from commonground.reports import render

        try:
            result = discovery.explain(seeker, record, engine=engine)
        except discovery.SeekerItself as exc:
            raise _input_error(str(exc)) from exc
        report = render(result, fmt)
        write_output(
            visible_controls(report) if isinstance(report, str) and fmt == "text" else report, output
        )
        return
    found = discovery.discover(
        seeker,
        current,
        engine=engine,
        top=top,
        shortlist=shortlist,
        filters=filters,
        index=index,
    )
    if fmt == "html":
        from commonground.reports.discovery import render_discovery_html

        write_output(render_discovery_html(found, seeker=seeker.name), output)
        return
    write_output(_as_json(found) if fmt == "json" else _as_text(found, approximate=approximate), output)
