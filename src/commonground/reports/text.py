"""Terminal renderer: a readable report laid out with rich, with or without ANSI colours."""

from __future__ import annotations

import re
from io import StringIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from commonground.core.results import AssessmentResult, Evidence, GoalMatrix, PairResult

from .about import About
from .blocks import FactList, QuestionList, ScoreTable
from .blocks import Table as TableBlock
from .charts import verdict_heading
from .coalition import is_compact, shown_partners, shown_reasons, shown_title
from .labels import (
    COMPONENTS,
    CONFLICT_KINDS,
    QUADRANTS,
    SEVERITIES,
    SYNERGY_KINDS,
    evidence_short,
    truncate,
    word,
)
from .numbers import decimal_text, percent_text, score_text
from .sections import Section, assessment_report
from .summary import board_summary

WIDTH = 100
SEVERITY_STYLES = {"blocker": "bold white on red", "high": "bold red", "medium": "yellow", "low": "dim"}
VERDICT_STYLES = {
    "aligned": "bold green",
    "workable": "bold cyan",
    "at_risk": "bold yellow",
    "blocked": "bold red",
}
# Rich strips only a few control codes; an ESC in a profile would otherwise reach the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _t(value: object, style: str = "") -> Text:
    """User text as a rich Text: never parsed as markup, control characters removed."""
    return Text(_CONTROL.sub("", str(value)), style=style)


def _signed(score: int) -> str:
    return f"+{score}" if score > 0 else str(score)


def _item(console: Console, marker: str, text: Text, *, indent: int = 2) -> None:
    """A list item whose wrapped lines hang under its text, not under the marker."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=indent + len(marker), justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(marker, text)
    console.print(grid)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _verdict(pair: PairResult) -> Text:
    # "Workable, weak fit" under 40: the verdict as it stands beside its score (charts.verdict_heading).
    value = pair.verdict.value
    return _t(verdict_heading(value, pair.score), VERDICT_STYLES.get(value, "bold"))


def _header(console: Console, result: AssessmentResult, about: About | None) -> None:
    console.print(_t(shown_title(result), "bold underline"))
    console.print(_t("Partners: " + shown_partners(result.parties)))
    if about is not None:
        console.print(_t(about.line, "dim"))
    summary = board_summary(result)
    console.print()
    console.print(_t(summary.sentence, "bold"))
    if summary.missing:
        console.print(_t("Missing from this assessment:", "yellow"))
        for item in summary.missing:
            _item(console, "•", _t(item, "yellow"))
    console.print()
    line = Text("Compatibility ")
    line.append(_t(f"{score_text(result.score)}/100", "bold"))
    line.append(" — ")
    line.append(_verdict(result))
    console.print(line)
    for reason in shown_reasons(result):
        _item(console, "•", _t(reason))
    console.print()


def _components(console: Console, pair: PairResult) -> None:
    table = _table("Components (0–100)", "Component", "Score")
    for key, label in COMPONENTS.items():
        value = getattr(pair.components, key)
        table.add_row(label, _t(score_text(value), "dim" if value is None else ""))
    console.print(table)


def _finding(summary: str, parties: list[str], evidence: Evidence) -> Text:
    # Summary first at full width; parties and evidence follow dimmed, so the table stays narrow.
    cell = _t(summary)
    cell.append("\n")
    cell.append(_t("Between " + " & ".join(parties), "dim"))
    cell.append("\n")
    cell.append(_t("Evidence: " + evidence_short(evidence, limit=80), "dim"))
    return cell


def _conflicts(console: Console, pair: PairResult) -> None:
    if not pair.conflicts:
        console.print(_t("Conflicts: none found.", "bold"))
        console.print()
        return
    table = _table("Conflicts", "#", "Severity", "Kind", "Finding")
    table.show_lines = True
    ranked = sorted(pair.conflicts, key=lambda c: c.severity.rank)  # stable: engine order kept within a rank
    for i, c in enumerate(ranked, 1):
        table.add_row(
            str(i),
            _t(word(SEVERITIES, c.severity.value), SEVERITY_STYLES.get(c.severity.value, "")),
            _t(word(CONFLICT_KINDS, c.kind.value)),
            _finding(c.summary, c.parties, c.evidence),
        )
    console.print(table)


def _synergies(console: Console, pair: PairResult) -> None:
    if not pair.synergies:
        console.print(_t("Synergies: none found.", "bold"))
        console.print()
        return
    table = _table("Synergies", "#", "Kind", "Finding")
    table.show_lines = True
    for i, s in enumerate(pair.synergies, 1):
        table.add_row(
            str(i),
            _t(word(SYNERGY_KINDS, s.kind.value), "green"),
            _finding(s.summary, s.parties, s.evidence),
        )
    console.print(table)


def _goal_matrix(console: Console, matrix: GoalMatrix) -> None:
    if not matrix.rows or not matrix.columns:
        console.print(_t("Goal interactions: no goals to compare.", "bold"))
        return
    # Full goal texts would not fit as column headers: columns get short keys explained below.
    table = _table("Goal interactions (−3 cancelling … +3 indivisible)", "Goal")
    keys = [f"G{j + 1}" for j in range(len(matrix.columns))]
    for key in keys:
        table.add_column(key, justify="right")
    for ref, row in zip(matrix.rows, matrix.cells, strict=True):
        cells: list[Text] = [_t(f"{ref.party}: {truncate(ref.text, 40)}")]
        for cell in row:
            if cell is None:
                cells.append(_t("·", "dim"))
            else:
                style = "green" if cell.score > 0 else "red" if cell.score < 0 else "dim"
                cells.append(_t(_signed(cell.score), style))
        table.add_row(*cells)
    console.print(table)
    for key, ref in zip(keys, matrix.columns, strict=True):
        console.print(_t(f"  {key} = {ref.party}: {ref.text}", "dim"))
    console.print()


def _sdgs(console: Console, pair: PairResult) -> None:
    console.print(_t("SDGs", "bold"))
    for party, scores in pair.sdgs.partners.items():
        listed = ", ".join(f"{s.sdg} ({percent_text(s.confidence)})" for s in scores) or "none"
        console.print(_t(f"  {party}: {listed}"))
    shared = ", ".join(str(n) for n in pair.sdgs.shared) or "none"
    console.print(_t(f"  Shared: {shared}", "bold"))
    console.print()


def _values(console: Console, pair: PairResult, parties: list[str]) -> None:
    if not pair.values:
        return
    table = _table("Values (weight 0–5)", "Value", *parties)
    for v in pair.values:
        table.add_row(_t(v.value), *(_t(decimal_text(v.weights.get(p, 0.0))) for p in parties))
    console.print(table)


def _culture(console: Console, pair: PairResult) -> None:
    if pair.culture is None:
        return
    parties = list(pair.culture.profiles)
    table = _table("Culture (Competing Values, 100 points)", "Type", *parties, "Gap")
    for kind in ("clan", "adhocracy", "market", "hierarchy"):
        gap = pair.culture.gaps.get(kind)
        table.add_row(
            kind.capitalize(),
            *(_t(score_text(pair.culture.profiles[p].get(kind))) for p in parties),
            _t(score_text(gap), "bold yellow" if gap is not None and gap >= 10 else ""),
        )
    console.print(table)


def _stakeholders(console: Console, pair: PairResult) -> None:
    if not pair.stakeholders:
        return
    table = _table("Stakeholders", "Name", "Named by", "Power", "Interest", "Strategy", "Salience")
    for s in pair.stakeholders:
        table.add_row(
            _t(s.name),
            _t(", ".join(s.parties)),
            _t(decimal_text(s.power)),
            _t(decimal_text(s.interest)),
            _t(word(QUADRANTS, s.quadrant)),
            _t(f"{s.salience_class.replace('_', ' ')} ({s.salience})"),
        )
    console.print(table)


def _initiatives(console: Console, pair: PairResult) -> None:
    if not pair.initiatives:
        return
    table = _table("Joint initiatives", "Initiative", "Social", "Economic", "Placement", "Note")
    for ini in pair.initiatives:
        table.add_row(
            _t(ini.name + (" (one-sided)" if ini.one_sided else "")),
            str(ini.social_value),
            _t(", ".join(f"{p}: {v}" for p, v in ini.economic_value.items())),
            _t(", ".join(f"{p}: {word(QUADRANTS, q)}" for p, q in ini.quadrant.items())),
            _t(ini.note),
        )
    console.print(table)


def _questions(console: Console, pair: PairResult) -> None:
    console.print(_t("Questions to settle first", "bold"))
    if not pair.questions:
        console.print(_t("  None."))
    for i, q in enumerate(sorted(pair.questions, key=lambda q: q.priority), 1):
        _item(console, f"{i}.", _t(q.text))
        _item(console, "", _t(f"Why: {q.reason}", "dim"), indent=2 + len(f"{i}."))
    console.print()


def _body(console: Console, pair: PairResult, parties: list[str]) -> None:
    _questions(console, pair)
    _components(console, pair)
    _conflicts(console, pair)
    _synergies(console, pair)
    _goal_matrix(console, pair.goal_matrix)
    _sdgs(console, pair)
    _values(console, pair, parties)
    _culture(console, pair)
    _stakeholders(console, pair)
    _initiatives(console, pair)


def _full(console: Console, result: AssessmentResult) -> None:
    """Every section of the result and, for a small coalition, of each pair."""
    _body(console, result, result.parties)
    # Two partners: the one pair *is* the result, so it is not printed again.
    if len(result.parties) > 2 and result.pairs:
        # A coalition small enough for this report keeps every pair in full.
        for pair in (p for p in result.pairs if isinstance(p, PairResult)):
            console.rule(_t(f"Pair: {' & '.join(pair.parties)}"), characters="─")
            line = Text("Compatibility ")
            line.append(_t(f"{score_text(pair.score)}/100", "bold"))
            line.append(" — ")
            line.append(_verdict(pair))
            console.print(line)
            console.print()
            _body(console, pair, pair.parties)
        console.rule(_t("Shared by all partners"), characters="─")
        console.print(_t("  SDGs: " + (", ".join(str(n) for n in result.shared.sdgs) or "none")))
        console.print(_t("  Values: " + (", ".join(result.shared.values) or "none")))
        console.print(_t("  Stakeholders: " + (", ".join(result.shared.stakeholders) or "none")))
        console.print()


def _section(console: Console, section: Section) -> None:
    """One report section (tables, facts, questions, scores) as text, for the compact coalition report."""
    console.rule(_t(section.heading), characters="─")
    if section.caption and section.blocks:
        console.print(_t(section.caption, "dim"))
    if not section.blocks:
        console.print(_t(section.empty))
    for block in section.blocks:
        if isinstance(block, TableBlock):
            table = _table("", *block.head)
            for row in block.rows:
                table.add_row(*(_t(c.text + (f" ({c.emphasis})" if c.emphasis else "")) for c in row))
            console.print(table)
        elif isinstance(block, FactList):
            for fact in block.items:
                _item(console, "•", _t(f"{fact.label}: {fact.text}"))
        elif isinstance(block, QuestionList):
            for i, q in enumerate(block.items, 1):
                _item(console, f"{i}.", _t(q.text))
                _item(console, "", _t(f"Why: {q.reason}", "dim"), indent=2 + len(f"{i}."))
        elif isinstance(block, ScoreTable):
            table = _table("", *block.head)
            for score in block.rows:
                table.add_row(_t(score.label), _t(score.text, "dim" if score.value is None else ""))
            console.print(table)
    console.print()


def _profiles_used(console: Console, about: About) -> None:
    """Every profile with its version or hash, when the header gives only their count and one hash."""
    console.rule(_t(f"Profiles used ({len(about.profiles)}; combined content hash {about.combined_hash})"))
    for profile in about.profiles:
        _item(console, "•", _t(profile.label))
    console.print()


def _compact(console: Console, result: AssessmentResult) -> None:
    """A large coalition: the coalition read as a whole and one line per pair, not every finding."""
    for section in assessment_report(result).sections:
        _section(console, section)


def render_text(result: AssessmentResult, *, color: bool = False, about: About | None = None) -> str:
    """A readable report for a terminal; ``color=False`` gives plain text with no escape codes."""
    out = StringIO()
    console = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=WIDTH,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    _header(console, result, about)
    if is_compact(result):
        _compact(console, result)
    else:
        _full(console, result)
    if about is not None and not about.listed_in_full:
        _profiles_used(console, about)
    engine = result.engine
    console.print(
        _t(
            f"Engine {engine.version}; model {engine.embedding_model}; "
            f"sector map {engine.sector_map_version}; stance model {engine.stance_model_version or 'none'}; "
            f"schema {result.schema_version}",
            "dim",
        )
    )
    # Rich pads table cells to their width; trailing blanks only get in the way when copying.
    return "\n".join(line.rstrip() for line in out.getvalue().split("\n"))
