"""The sections of an assessment report, defined once for every renderer.

:func:`assessment_report` turns an :class:`~commonground.core.results.AssessmentResult` into a
:class:`Report`: the verdict sentence (:mod:`commonground.reports.summary`, which the one-page board
summary in HTML and PDF shows too), the lead (score, verdict, reasons) and an ordered tuple of
:class:`Section` objects, the questions to settle first, each with its id, title, caption, the words
shown when it is empty, and typed content blocks. The offline HTML report
(:mod:`commonground.reports.html`) and the web workspace's snapshot page both render this one object,
so they show the same findings in the same order under the same titles, captions and empty states;
only the markup differs (as Datasette drives a page's HTML and its JSON from one context), and the web
page folds everything after the questions (:attr:`Report.details`) under one "Details" heading.

Every string here is plain text, not yet escaped: renderers escape it. The exceptions are
:attr:`~commonground.reports.blocks.Chart.svg` and :attr:`Lead.gauge`, markup drawn by
:mod:`commonground.reports.charts`, which escapes user text itself. The blocks a section holds are in
:mod:`commonground.reports.blocks`.

How to add a section: write a ``_<name>(pair, ...) -> Section`` builder below and call it from
:func:`pair_sections` at the place the section belongs. If it needs a new kind of content, add a
frozen dataclass with a ``kind`` to ``blocks.py`` and to :data:`Block`, then a branch in
``reports/html.py::_block`` and in the web's ``assessments/_section.html``;
``tests/web/assessments/test_one_rendering.py`` then checks that both show it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from commonground.core.culture import CULTURE_TYPES, SIGNIFICANT_GAP
from commonground.core.results import AssessmentResult, PairResult

from .about import About
from .blocks import (
    Cell,
    Chart,
    Fact,
    FactList,
    FindingList,
    QuestionItem,
    QuestionList,
    ScoreRow,
    ScoreTable,
    Table,
    conflict_finding,
    synergy_finding,
)
from .charts import (
    goal_heatmap,
    power_interest_grid,
    score_gauge,
    sdg_name,
    sdg_overlap,
    shared_value_matrix,
    values_chart,
    verdict_heading,
)
from .labels import COMPONENTS, CONFLICT_KINDS, QUADRANTS, word
from .numbers import decimal_text, score_text
from .summary import Summary, board_summary

DISCLAIMER = (
    "Findings are prompts for conversation, not verdicts on either organisation; check the evidence "
    "behind each one."
)


@dataclass(frozen=True)
class Lead:
    """The top of a result or a pair: the score gauge, the verdict and the reasons for the score."""

    score: str
    verdict: str
    gauge: str
    reasons: tuple[str, ...]

    @property
    def headline(self) -> str:
        """The score and verdict in one line."""
        return f"Compatibility {self.score}/100: {self.verdict}"


@dataclass(frozen=True)
class PairReport:
    """One pair of a coalition: its own lead and sections (ids prefixed to stay unique on a page)."""

    id: str
    title: str
    lead: Lead
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class PairList:
    """Each pair of a coalition of three or more partners."""

    kind: ClassVar[str] = "pairs"
    items: tuple[PairReport, ...]


Block = QuestionList | ScoreTable | FindingList | Chart | Table | FactList | PairList


@dataclass(frozen=True)
class Section:
    """One part of a report, in the order every renderer shows it.

    ``caption`` describes the section's chart when it has one, otherwise it introduces the section.
    A section without blocks shows ``empty`` instead (and no caption). ``count``, when set, is shown
    after the title in the heading but not in a table of contents.
    """

    id: str
    title: str
    blocks: tuple[Block, ...]
    caption: str = ""
    empty: str = ""
    count: int | None = None

    @property
    def heading(self) -> str:
        """The title with its count, e.g. "Conflicts (4)"."""
        return self.title if self.count is None else f"{self.title} ({self.count})"

    @property
    def has_chart(self) -> bool:
        """Whether the caption belongs under a chart."""
        return any(isinstance(block, Chart) for block in self.blocks)


@dataclass(frozen=True)
class Report:
    """Everything an assessment report shows, in order."""

    title: str
    parties: tuple[str, ...]
    summary: Summary
    lead: Lead
    sections: tuple[Section, ...]
    engine: str
    about: About | None = None
    disclaimer: str = DISCLAIMER

    @property
    def questions(self) -> Section:
        """The questions to settle: shown right after the lead, before the details."""
        return self.sections[0]

    @property
    def details(self) -> tuple[Section, ...]:
        """Everything after the questions: the web page folds these away under one heading."""
        return self.sections[1:]


def _lead(pair: PairResult) -> Lead:
    return Lead(
        score=score_text(pair.score),
        verdict=verdict_heading(pair.verdict, pair.score),
        gauge=score_gauge(pair.score, pair.verdict),
        reasons=tuple(pair.reasons),
    )


def _questions(pair: PairResult) -> Section:
    items = tuple(
        QuestionItem(text=q.text, reason=q.reason, about=word(CONFLICT_KINDS, str(q.about)))
        for q in sorted(pair.questions, key=lambda q: q.priority)
    )
    return Section(
        "questions",
        "Questions to settle first",
        (QuestionList(items),) if items else (),
        empty="Nothing in particular to settle.",
    )


def _components(pair: PairResult) -> Section:
    rows = tuple(ScoreRow(label, getattr(pair.components, key)) for key, label in COMPONENTS.items())
    return Section("components", "Score components", (ScoreTable(rows),))


def _conflicts(pair: PairResult) -> Section:
    # Worst first; a stable sort keeps the engine's order within a severity.
    ranked = sorted(pair.conflicts, key=lambda c: c.severity.rank)
    items = tuple(conflict_finding(c) for c in ranked)
    return Section(
        "conflicts",
        "Conflicts",
        (FindingList(items),) if items else (),
        caption="Worst first. Open a finding to see the evidence it rests on.",
        empty="No conflicts found.",
        count=len(items),
    )


def _synergies(pair: PairResult) -> Section:
    items = tuple(synergy_finding(s) for s in pair.synergies)
    return Section(
        "synergies",
        "Synergies",
        (FindingList(items),) if items else (),
        empty="No synergies found.",
        count=len(items),
    )


def _goals(pair: PairResult) -> Section:
    matrix = pair.goal_matrix
    return Section(
        "goals",
        "Goal interactions",
        (Chart(goal_heatmap(matrix)),) if matrix.rows and matrix.columns else (),
        caption="Each goal against each other partner's goal on the seven-point scale of Nilsson, "
        "Griggs & Visbeck (2016). Hover a cell for the reason.",
        empty="No goals to compare.",
    )


def _values(pair: PairResult, parties: list[str]) -> Section:
    return Section(
        "values",
        "Values",
        (Chart(values_chart(pair.values, parties)),) if pair.values else (),
        caption="How much weight each partner gives each value, 0 to 5; 0 means it does not list it.",
        empty="No values to compare.",
    )


def _culture(pair: PairResult) -> Section:
    blocks: tuple[Block, ...] = ()
    if pair.culture is not None:
        parties = list(pair.culture.profiles)
        rows = []
        for kind in CULTURE_TYPES:
            gap = pair.culture.gaps.get(kind)
            significant = gap is not None and gap >= SIGNIFICANT_GAP
            rows.append(
                (
                    Cell(kind.capitalize()),
                    *(Cell(score_text(pair.culture.profiles[p].get(kind))) for p in parties),
                    Cell(score_text(gap), "significant" if significant else ""),
                )
            )
        head = ("Type", *parties, "Gap")
        blocks = (Table(head, tuple(rows), numeric=frozenset(range(1, len(parties) + 2))),)
    return Section(
        "culture",
        "Culture",
        blocks,
        caption="Competing Values Framework (Cameron & Quinn), 100 points per partner; a gap of "
        f"{SIGNIFICANT_GAP:g} points or more is commonly treated as significant.",
        empty="No partner has described its culture.",
    )


def _sdgs(pair: PairResult) -> Section:
    shared = ", ".join(sdg_name(n) for n in pair.sdgs.shared) or "none"
    return Section(
        "sdgs",
        "SDG overlap",
        (Chart(sdg_overlap(pair.sdgs)),) if any(pair.sdgs.partners.values()) else (),
        caption=f"Darker tiles: more confidence the partner works towards that goal. Shared: {shared}.",
        empty="No SDGs identified.",
    )


def _stakeholders(pair: PairResult, parties: list[str]) -> Section:
    rows = tuple(
        (
            Cell(s.name),
            Cell(", ".join(s.parties)),
            Cell(decimal_text(s.power)),
            Cell(decimal_text(s.interest)),
            Cell(word(QUADRANTS, s.quadrant)),
            Cell(f"{s.salience_class.replace('_', ' ')} ({s.salience})"),
            Cell("; ".join(f"{p}: {v}" for p, v in s.stances.items())),
        )
        for s in pair.stakeholders
    )
    head = ("Stakeholder", "Named by", "Power", "Interest", "Strategy", "Salience", "Stances")
    blocks: tuple[Block, ...] = (
        (Chart(power_interest_grid(pair.stakeholders, parties)), Table(head, rows, frozenset({2, 3})))
        if rows
        else ()
    )
    return Section(
        "stakeholders",
        "Stakeholders",
        blocks,
        caption="Mendelow's power–interest grid. Salience after Mitchell, Agle & Wood (1997): the "
        "number of attributes among power, legitimacy and urgency.",
        empty="No stakeholders named.",
    )


def _initiatives(pair: PairResult, parties: list[str]) -> Section:
    rows = tuple(
        (
            Cell(ini.name, "one-sided" if ini.one_sided else ""),
            Cell(ini.level.replace("_", " ") if ini.level else "—"),
            Cell(str(ini.social_value)),
            Cell(", ".join(f"{p}: {v}" for p, v in ini.economic_value.items())),
            Cell(", ".join(f"{p}: {word(QUADRANTS, q)}" for p, q in ini.quadrant.items())),
            Cell(ini.note),
        )
        for ini in pair.initiatives
    )
    head = ("Initiative", "Level", "Social", "Economic", "Placement", "Note")
    blocks: tuple[Block, ...] = (
        (Chart(shared_value_matrix(pair.initiatives, parties)), Table(head, rows, frozenset({2})))
        if rows
        else ()
    )
    return Section(
        "initiatives",
        "Joint initiatives",
        blocks,
        caption="Social value against each partner's economic value. The levels follow Porter & Kramer "
        "(2011); the 2×2 placement is our own choice.",
        empty="No joint initiatives proposed.",
    )


def _prefixed(section: Section, prefix: str) -> Section:
    return Section(
        f"{prefix}{section.id}",
        section.title,
        section.blocks,
        caption=section.caption,
        empty=section.empty,
        count=section.count,
    )


def pair_sections(pair: PairResult, parties: list[str], *, prefix: str = "") -> tuple[Section, ...]:
    """The sections every assessment has, for the whole result or one pair, in report order."""
    sections = (
        _questions(pair),
        _components(pair),
        _conflicts(pair),
        _synergies(pair),
        _goals(pair),
        _values(pair, parties),
        _culture(pair),
        _sdgs(pair),
        _stakeholders(pair, parties),
        _initiatives(pair, parties),
    )
    return tuple(_prefixed(s, prefix) for s in sections) if prefix else sections


def _coalition(result: AssessmentResult) -> tuple[Section, ...]:
    """For three or more partners: each pair, then what all of them share."""
    pairs = tuple(
        PairReport(
            id=f"pair-{k}",
            title=" & ".join(pair.parties),
            lead=_lead(pair),
            sections=pair_sections(pair, pair.parties, prefix=f"pair-{k}-"),
        )
        for k, pair in enumerate(result.pairs, 1)
        if isinstance(pair, PairResult)  # always so for a coalition small enough for this report
    )
    shared = result.shared
    facts = (
        Fact("SDGs", ", ".join(sdg_name(n) for n in shared.sdgs) or "none"),
        Fact("Values", ", ".join(shared.values) or "none"),
        Fact("Stakeholders", ", ".join(shared.stakeholders) or "none"),
    )
    return (
        Section("pairs", "Each pair", (PairList(pairs),)),
        Section("shared", "Shared by all", (FactList(facts),)),
    )


def _engine_line(result: AssessmentResult) -> str:
    engine = result.engine
    return (
        f"Common Ground {engine.version} · embedding model {engine.embedding_model} · "
        f"sector map {engine.sector_map_version} · stance model {engine.stance_model_version or 'none'} · "
        f"result schema {result.schema_version}"
    )


def assessment_report(result: AssessmentResult, about: About | None = None) -> Report:
    """Everything a report of ``result`` shows, in order, for any renderer; ``about`` dates it."""
    # Imported here: the coalition report builds on this module's sections.
    from .coalition import coalition_sections, is_compact, shown_reasons, shown_title

    if is_compact(result):
        # A large coalition: the coalition read as a whole and one line per pair, not every finding.
        questions, *rest = coalition_sections(result)
        sections = (questions, _components(result), *rest)
    else:
        sections = pair_sections(result, result.parties)
        # Two partners: the one pair *is* the result, so it is not shown again.
        if len(result.parties) > 2 and result.pairs:
            sections += _coalition(result)
    return Report(
        title=shown_title(result),
        parties=tuple(result.parties),
        summary=board_summary(result),
        lead=replace(_lead(result), reasons=shown_reasons(result)),
        sections=sections,
        engine=_engine_line(result),
        about=about,
    )
