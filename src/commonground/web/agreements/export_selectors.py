"""Reads behind the agreement's downloads and table imports: the agreement to export, its signatures,
and the preview of an uploaded table (what each row would do, and every problem by row and column).

Every export reads the agreement through :func:`agreement_for_export` only, so where the terms and
their records come from can change in that one function.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.spreadsheets import Sheet
from commonground.core.agreement.tables import COLUMNS, RowProblem, TableError, TableName, table_import
from commonground.reports.agreement_document import SignOff
from commonground.web.agreements.models import Agreement, Signature
from commonground.web.agreements.selectors import agreement_in_force

# At most this many rows are shown in a preview; the rest are counted (every row is still checked).
PREVIEW_ROWS = 200


# Tables of records kept beside the signed terms (readings, deliveries); the others are terms.
RECORD_TABLES: frozenset[TableName] = frozenset({"fulfilment", "measurements"})


def agreement_for_export(agreement: Agreement) -> AgreementDocument:
    """The agreement as the downloads show it: the terms with every record in force."""
    return agreement_in_force(agreement)


def import_base(agreement: Agreement, table: TableName) -> AgreementDocument:
    """What an import of ``table`` applies to, as ``export_services.agreement_table_import`` reads it:
    the agreement in force for records, the stored terms for commitments and KPIs."""
    if table in RECORD_TABLES:
        return agreement_in_force(agreement)
    return AgreementDocument.model_validate(agreement.document)


def agreement_signoffs(*, agreement: Agreement) -> list[SignOff]:
    """Each partner organisation's latest signature, newest version first (one query)."""
    latest: dict[object, Signature] = {}
    for signature in Signature.objects.filter(agreement=agreement).order_by("-version", "-signed_at", "-pk"):
        latest.setdefault(signature.organisation_id or signature.organisation_name, signature)
    return [
        SignOff(s.organisation_name, s.signer_name, s.version, s.signed_at)
        for s in sorted(latest.values(), key=lambda s: (-s.version, s.organisation_name))
    ]


@dataclasses.dataclass(frozen=True)
class PreviewCell:
    """One cell of an uploaded row and what is wrong with it ("" when nothing)."""

    value: str
    problem: str


@dataclasses.dataclass(frozen=True)
class PreviewRow:
    """One uploaded row: its number in the file, what applying it does, its cells and row problems."""

    number: int
    action: str  # "adds" or "replaces"
    cells: tuple[PreviewCell, ...]
    problems: tuple[str, ...]  # problems of the row as a whole


@dataclasses.dataclass(frozen=True)
class ImportPreview:
    """What importing a table would do; ``ok`` only when there is no problem at all."""

    table: TableName
    columns: tuple[str, ...]
    rows: tuple[PreviewRow, ...]  # the first PREVIEW_ROWS
    row_count: int
    problems: tuple[RowProblem, ...]  # every problem, in file order
    adds: int
    replaces: int

    @property
    def ok(self) -> bool:
        """Whether applying the table would save (no problem anywhere)."""
        return not self.problems

    @property
    def table_problems(self) -> list[str]:
        """Problems of the header or the table as a whole (row 0 and 1), as sentences."""
        return [str(p) for p in self.problems if p.row <= 1]

    @property
    def hidden_rows(self) -> int:
        """How many rows the preview leaves out."""
        return self.row_count - len(self.rows)


def _existing_keys(document: AgreementDocument, table: TableName) -> set[tuple[str, ...]]:
    what = document.what
    if table == "commitments":
        return {(c.id,) for c in what.commitments}
    if table == "kpis":
        return {(k.id,) for k in what.kpis}
    if table == "fulfilment":
        return {(c.id, f.date.isoformat()) for c in what.commitments for f in c.fulfilment}
    return {(k.id, m.date.isoformat()) for k in what.kpis for m in k.measurements}


def _key(table: TableName, row: dict[str, str]) -> tuple[str, ...]:
    if table in ("commitments", "kpis"):
        return (row.get("id", "").strip(),)
    parent = "commitment" if table == "fulfilment" else "kpi"
    return (row.get(parent, "").strip(), row.get("date", "").strip())


def table_import_preview(
    *, document: AgreementDocument, table: TableName, sheet: Sheet
) -> tuple[ImportPreview, AgreementDocument | None]:
    """What importing ``sheet`` into ``table`` would do, and the agreement it would make (None when
    any row has a problem). Pure: nothing is saved."""
    try:
        updated: AgreementDocument | None = table_import(document, table, sheet.header, sheet.rows)
        problems: Sequence[RowProblem] = ()
    except TableError as exc:
        updated, problems = None, exc.problems
    known = _existing_keys(document, table)
    columns = tuple(c for c in sheet.header if c) or COLUMNS[table]
    rows = []
    for number, row in enumerate(sheet.rows[:PREVIEW_ROWS], start=2):
        own = [p for p in problems if p.row == number]
        cells = tuple(
            PreviewCell(row.get(column, ""), "; ".join(p.message for p in own if p.column == column))
            for column in columns
        )
        whole = tuple(p.message if not p.column or p.column not in columns else "" for p in own)
        rows.append(
            PreviewRow(
                number,
                "replaces" if _key(table, row) in known else "adds",
                cells,
                tuple(w for w in whole if w),
            )
        )
    replaces = sum(1 for row in sheet.rows if _key(table, row) in known)
    preview = ImportPreview(
        table, columns, tuple(rows), len(sheet.rows), tuple(problems), len(sheet.rows) - replaces, replaces
    )
    return preview, updated
