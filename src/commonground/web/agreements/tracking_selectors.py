"""Reads of the agreement's tabs: roles, commitments, KPIs and equity, each from the agreement in force.

Each page reads the agreement once through ``selectors.agreement_in_force`` (with the record rows it
shows, fetched once: four queries) and runs the core method of its tab over it, so the pages say what
``commonground agreement check`` says about the same agreement on the same day.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from commonground.core.agreement.commitments import (
    STATUS_WORDS as COMMITMENT_WORDS,
)
from commonground.core.agreement.commitments import (
    CommitmentResult,
    CommitmentStatus,
    PartnerCommitments,
    by_urgency,
    commitment_results,
    partner_totals,
)
from commonground.core.agreement.equity import (
    DIMENSION_WORDS,
    EQUITY_FLAG,
    Shares,
    equity_gaps,
    equity_part,
    equity_shares,
)
from commonground.core.agreement.findings import Finding
from commonground.core.agreement.kpis import STATUS_WORDS as KPI_WORDS
from commonground.core.agreement.kpis import KpiResult, KpiStatus, expected_value, kpi_results, scorecard
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.roles import ROLES, PartnerRoles, partner_roles, roles_part, task_roles
from commonground.core.agreement.what import Kpi
from commonground.core.agreement.who import Partner
from commonground.core.agreement.wording import money_text, share_text
from commonground.reports.charts.equity_bars import equity_chart
from commonground.reports.charts.kpi_trend import kpi_trend_chart
from commonground.web.agreements.models import Agreement, Delivery, Measurement
from commonground.web.agreements.record_services import acts_for, commitment_parties, kpi_reporters
from commonground.web.agreements.selectors import agreement_in_force, record_rows
from commonground.web.partnerships.selectors import PartnershipAccess

COMMITMENT_BADGES = {
    CommitmentStatus.OVERDUE: "blocked",
    CommitmentStatus.DUE_SOON: "at_risk",
    CommitmentStatus.ON_TIME: "workable",
    CommitmentStatus.MET: "aligned",
}
KPI_BADGES = {
    KpiStatus.ON_TRACK: "aligned",
    KpiStatus.AT_RISK: "at_risk",
    KpiStatus.OFF_TRACK: "blocked",
    KpiStatus.NO_DATA: "none",
}


# --- roles ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleRow:
    """One task of the RACI grid: its letters per partner and the findings about it."""

    workstream: str
    task: Any  # core Task
    letters: list[str]  # per partner, in partner order ("" for none)
    findings: list[Finding]


@dataclass(frozen=True)
class PartnerRoleRow:
    """How many tasks a partner holds each role in, and the findings about the partner."""

    partner: Partner
    counts: PartnerRoles
    findings: list[Finding]


@dataclass(frozen=True)
class RolesPage:
    """The RACI grid with each warning beside the task or partner it concerns."""

    document: AgreementDocument
    rows: list[RoleRow]
    partners: list[PartnerRoleRow]
    problems: int
    warnings: int


_PARTNER_PATH = re.compile(r"^who\.partners\[(\d+)\]")


def roles_page(*, agreement: Agreement) -> RolesPage:
    """The roles tab (four queries, for the records of the agreement in force)."""
    document = agreement_in_force(agreement)
    tasks = task_roles(document)
    part = roles_part(document, today=timezone.localdate())
    rows = [
        RoleRow(
            workstream=t.workstream,
            task=t.task,
            letters=[
                "".join(role[0].upper() for role in ROLES if p in t.partners[role])
                for p in document.partner_ids()
            ],
            findings=[f for f in part.findings if f.path == t.path or f.path.startswith(t.path + ".")],
        )
        for t in tasks
    ]
    by_partner: dict[int, list[Finding]] = {}
    for finding in part.findings:
        match = _PARTNER_PATH.match(finding.path)
        if match:
            by_partner.setdefault(int(match.group(1)), []).append(finding)
    partners = [
        PartnerRoleRow(partner, counts, by_partner.get(i, []))
        for i, (partner, counts) in enumerate(
            zip(document.who.partners, partner_roles(document, tasks), strict=True)
        )
    ]
    levels = [f.level.value for f in part.findings]
    return RolesPage(document, rows, partners, levels.count("problem"), levels.count("warning"))


# --- commitments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentRow:
    """One commitment with its status in words and the deliveries recorded on it."""

    result: CommitmentResult
    by_name: str
    to_name: str
    status_words: str
    badge: str
    value_text: str
    delivered_text: str
    deliveries: list[Delivery]
    may_record: bool


@dataclass(frozen=True)
class PartnerCommitmentGroup:
    """One partner's commitments, overdue first, with its totals."""

    partner: Partner
    totals: PartnerCommitments
    committed_text: str
    delivered_text: str
    rows: list[CommitmentRow]


@dataclass(frozen=True)
class CommitmentsPage:
    """Who owes what to whom by when, per partner, overdue first."""

    document: AgreementDocument
    today: datetime.date
    groups: list[PartnerCommitmentGroup]
    overdue: int


def commitments_page(*, access: PartnershipAccess, agreement: Agreement) -> CommitmentsPage:
    """The commitments tab (four queries: the records of the agreement in force)."""
    rows = record_rows(agreement)
    document = agreement_in_force(agreement, rows=rows)
    today = timezone.localdate()
    results = commitment_results(document, today=today)
    totals = partner_totals(document, results)
    deliveries: dict[str, list[Delivery]] = {}
    for delivery in rows.deliveries:
        deliveries.setdefault(delivery.commitment_id, []).append(delivery)
    cur = document.currency
    groups = []
    for partner, total in zip(document.who.partners, totals, strict=True):
        own = by_urgency(r for r in results if r.commitment.by == partner.id)
        groups.append(
            PartnerCommitmentGroup(
                partner=partner, totals=total, committed_text=money_text(total.committed, cur),
                delivered_text=money_text(total.delivered, cur),
                rows=[
                    CommitmentRow(
                        result=r,
                        by_name=partner.name,
                        to_name="the partnership" if r.commitment.to == "partnership"
                        else document.partner_name(r.commitment.to),
                        status_words=COMMITMENT_WORDS[r.status], badge=COMMITMENT_BADGES[r.status],
                        value_text=money_text(r.commitment.value, cur),
                        delivered_text=money_text(r.delivered, cur),
                        deliveries=deliveries.get(r.commitment.id, []),
                        may_record=acts_for(access, agreement, commitment_parties(document, r.commitment)),
                    )
                    for r in own
                ],
            )
        )  # fmt: skip
    overdue = sum(1 for r in results if r.status is CommitmentStatus.OVERDUE)
    return CommitmentsPage(document, today, groups, overdue)


def commitment_find(page: CommitmentsPage, commitment_id: str) -> CommitmentRow | None:
    """One commitment's row on the page, if the agreement has it."""
    return next(
        (row for group in page.groups for row in group.rows if row.result.commitment.id == commitment_id),
        None,
    )


# --- KPIs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiRow:
    """One KPI on the scorecard."""

    result: KpiResult
    linked: bool  # a partner's own KPI listed under the joint KPI it feeds
    reporter: str  # who reports it, in words
    status_words: str
    badge: str


@dataclass(frozen=True)
class KpiGroup:
    """The KPIs of one category."""

    category: str
    rows: list[KpiRow]


@dataclass(frozen=True)
class KpisPage:
    """The scorecard: the shared vision on top, KPIs grouped by category."""

    document: AgreementDocument
    groups: list[KpiGroup]
    counts: dict[str, int]  # status words -> how many KPIs


def _reporter(document: AgreementDocument, kpi: Kpi) -> str:
    holder = kpi.partner or kpi.owner
    return document.partner_name(holder) if holder else "any partner (joint)"


def _kpi_row(document: AgreementDocument, result: KpiResult, *, linked: bool) -> KpiRow:
    return KpiRow(
        result, linked, _reporter(document, result.kpi), KPI_WORDS[result.status], KPI_BADGES[result.status]
    )


def kpis_page(*, agreement: Agreement) -> KpisPage:
    """The KPI scorecard (four queries: the records of the agreement in force)."""
    document = agreement_in_force(agreement)
    results = kpi_results(document)
    groups = [
        KpiGroup(g.category.value, [_kpi_row(document, r, linked=linked) for r, linked in g.rows])
        for g in scorecard(results)
    ]
    counts = {KPI_WORDS[s]: sum(1 for r in results if r.status is s) for s in KpiStatus}
    return KpisPage(document, groups, counts)


@dataclass(frozen=True)
class ReadingRow:
    """One reading with the line's expected value on its date."""

    measurement: Measurement | None  # None for a reading the agreement's text holds (read only)
    date: datetime.date
    value: float
    expected: float
    note: str
    evidence: str
    evidence_is_link: bool
    entered_by: str


@dataclass(frozen=True)
class KpiPage:
    """One KPI: its reference sheet, its trend chart and readings, and the form to enter one."""

    document: AgreementDocument
    row: KpiRow
    chart: SafeString
    readings: list[ReadingRow]
    reporter_ids: list[str]  # whose members enter readings (``acts_for`` tells whether the user is one)
    reporters: str


def _is_link(evidence: str) -> bool:
    return evidence.startswith(("https://", "http://"))


def kpi_page(*, agreement: Agreement, kpi_id: str) -> KpiPage | None:
    """One KPI's page, the same for every reader; None when the agreement has no such KPI (four
    queries)."""
    rows = record_rows(agreement)
    document = agreement_in_force(agreement, rows=rows)
    result = next((r for r in kpi_results(document) if r.kpi.id == kpi_id), None)
    if result is None:
        return None
    kpi = result.kpi
    stored = [m for m in rows.measurements if m.kpi_id == kpi_id]
    held = len(kpi.measurements) - len(stored)  # readings the agreement's own text holds come first
    readings = [
        ReadingRow(None, m.date, m.value, expected_value(kpi, m.date), m.note or "", m.evidence or "",
                   _is_link(m.evidence or ""), "in the agreement's text")
        for m in kpi.measurements[:held]
    ] + [
        ReadingRow(m, m.date, m.value, expected_value(kpi, m.date), m.note, m.evidence, _is_link(m.evidence),
                   m.entered_by_name)
        for m in stored
    ]  # fmt: skip
    readings.sort(key=lambda r: (r.date, r.measurement.pk if r.measurement else 0))
    reporters = kpi_reporters(document, kpi)
    linked = kpi.linked_to is not None
    return KpiPage(
        document=document,
        row=_kpi_row(document, result, linked=linked),
        chart=mark_safe(kpi_trend_chart(result)),  # noqa: S308 - every text in the chart is escaped there
        readings=readings,
        reporter_ids=reporters,
        reporters=" or ".join(document.partner_name(p) for p in reporters),
    )


# --- equity ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EquityRow:
    """One partner's three shares in words, and its own words on what it brings."""

    partner: Partner
    contribution: str
    power: str
    benefit: str
    equal: str
    proposed: int
    blocked: int


@dataclass(frozen=True)
class EquityPage:
    """The three shares per partner as a picture and a table, the questions, each partner's own words."""

    document: AgreementDocument
    shares: Shares
    chart: SafeString
    rows: list[EquityRow]
    questions: list[Finding]  # distances over the threshold, each a question to discuss
    notes: list[Finding]  # what is not known yet
    distances: list[tuple[str, str, str, bool, str]]  # (between, and, distance, flagged, widest at)
    flag_above: float


def equity_page(*, agreement: Agreement) -> EquityPage:
    """The equity tab (four queries: the records of the agreement in force)."""
    document = agreement_in_force(agreement)
    today = timezone.localdate()
    shares = equity_shares(document, today=today)
    part = equity_part(document, today=today)
    names = {p.id: p.name for p in document.who.partners}

    def cell(values: tuple[float, ...] | None, i: int) -> str:
        return "not known yet" if values is None else share_text(values[i])

    rows = [
        EquityRow(
            partner,
            cell(shares.contribution, i),
            cell(shares.power, i),
            cell(shares.benefit, i),
            share_text(1 / len(shares.partners)),
            shares.proposed[i],
            shares.blocked[i],
        )
        for i, partner in enumerate(document.who.partners)
    ]
    questions = [f for f in part.findings if "_vs_" in f.code]
    notes = [f for f in part.findings if "_vs_" not in f.code]
    return EquityPage(
        document=document,
        shares=shares,
        chart=mark_safe(equity_chart(shares, names)),  # noqa: S308 - every text in the chart is escaped there
        rows=rows,
        questions=questions,
        notes=notes,
        distances=[
            (
                DIMENSION_WORDS[g.first],
                DIMENSION_WORDS[g.second],
                f"{g.distance:.2f}",
                g.distance > EQUITY_FLAG,
                names.get(g.partner, g.partner),
            )
            for g in equity_gaps(shares)
        ],
        flag_above=EQUITY_FLAG,
    )
