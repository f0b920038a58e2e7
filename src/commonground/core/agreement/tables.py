"""The agreement's lists as tables: commitments, fulfilment, KPIs and measurements, row by row.

Partnership managers keep these in spreadsheets, so they leave and come back as rows with one
header line. :func:`table_rows` turns an agreement's list into rows of text; :func:`table_import`
applies rows to an agreement and returns the new agreement, or raises :class:`TableError` naming
every problem by row and column. Nothing is applied unless every row is right.

Rows are matched by id (commitments, KPIs: a known id replaces that item's fields and keeps its
fulfilment or measurements; a new id is added) or by date (fulfilment of a commitment, measurements
of a KPI: a row for a date already recorded replaces it).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from pydantic import ValidationError

from commonground.core.agreement.models import Agreement
from commonground.core.agreement.references import reference_problems
from commonground.core.agreement.what import Commitment, Fulfilment, Kpi, Measurement, Point
from commonground.core.loading.problems import format_path

TableName = Literal["commitments", "fulfilment", "kpis", "measurements"]
TABLES: tuple[TableName, ...] = ("commitments", "fulfilment", "kpis", "measurements")
MAX_ROWS = 10_000

COLUMNS: dict[TableName, tuple[str, ...]] = {
    "commitments": ("id", "by", "to", "kind", "description", "value", "due", "met"),
    "fulfilment": ("commitment", "date", "value", "note"),
    "kpis": (
        "id",
        "name",
        "category",
        "unit",
        "direction",
        "frequency",
        "owner",
        "partner",
        "linked_to",
        "baseline_value",
        "baseline_date",
        "targets",
        "on_track_at",
        "at_risk_at",
        "definition",
        "calculation",
        "disaggregation",
        "data_source",
    ),
    "measurements": ("kpi", "date", "value", "note", "evidence"),
}
# Columns a row may leave empty; every other column needs a value.
OPTIONAL: dict[TableName, frozenset[str]] = {
    "commitments": frozenset({"to", "value", "met"}),
    "fulfilment": frozenset({"value", "note"}),
    "kpis": frozenset(
        {
            "direction",
            "frequency",
            "owner",
            "partner",
            "linked_to",
            "on_track_at",
            "at_risk_at",
            "definition",
            "calculation",
            "disaggregation",
            "data_source",
        }
    ),
    "measurements": frozenset({"note", "evidence"}),
}


@dataclasses.dataclass(frozen=True)
class RowProblem:
    """One thing wrong with an imported table: row 1 is the header, data starts at row 2, and row 0 is
    the table (or the agreement it would make) as a whole."""

    row: int
    column: str  # "" for the row (or the table) as a whole
    message: str

    def __str__(self) -> str:
        where = (f"row {self.row}" if self.row else "the table") + (
            f", column {self.column}" if self.column else ""
        )
        return f"{where}: {self.message}"


class TableError(Exception):
    """An imported table with problems; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[RowProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- export ------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _targets_text(kpi: Kpi) -> str:
    return "; ".join(f"{_cell(t.value)} by {t.date.isoformat()}" for t in kpi.targets)


def table_rows(agreement: Agreement, table: TableName) -> list[dict[str, str]]:
    """The rows of one table of ``agreement``, every cell as text, in the table's column order."""
    what = agreement.what
    rows: list[dict[str, Any]]
    if table == "commitments":
        rows = [c.model_dump(include=set(COLUMNS[table])) for c in what.commitments]
    elif table == "fulfilment":
        rows = [{"commitment": c.id, **f.model_dump()} for c in what.commitments for f in c.fulfilment]
    elif table == "kpis":
        rows = [
            {
                **k.model_dump(include=set(COLUMNS[table])),
                "baseline_value": k.baseline.value,
                "baseline_date": k.baseline.date,
                "targets": _targets_text(k),
            }
            for k in what.kpis
        ]
    else:
        rows = [{"kpi": k.id, **m.model_dump()} for k in what.kpis for m in k.measurements]
    return [{column: _cell(row.get(column)) for column in COLUMNS[table]} for row in rows]


# --- import ------------------------------------------------------------------------------------


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2027-03-31") from None


def _number(text: str) -> float:
    # No thousands separators: "1,500" would be 1.5 in half of Europe and 1500 in the other half.
    if "," in text:
        raise ValueError(f"{text!r}: write numbers without commas, with a point for decimals (1500.5)")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a number")
    return value


def _yes_no(text: str) -> bool:
    lowered = text.lower()
    if lowered in {"yes", "y", "true", "1"}:
        return True
    if lowered in {"no", "n", "false", "0"}:
        return False
    raise ValueError(f"{text!r} is not yes or no")


def _targets(text: str) -> list[Point]:
    points = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        value, sep, date = part.partition(" by ")
        if not sep:
            raise ValueError(f"write each target as 'VALUE by YYYY-MM-DD' (got {part!r})")
        points.append(Point(value=_number(value.strip()), date=_date(date.strip())))
    if not points:
        raise ValueError("at least one target is needed, as 'VALUE by YYYY-MM-DD'")
    return points


# How each non-text column is read; anything else is kept as text.
_READERS: dict[str, Callable[[str], Any]] = {
    "value": _number,
    "due": _date,
    "date": _date,
    "met": _yes_no,
    "baseline_value": _number,
    "baseline_date": _date,
    "targets": _targets,
    "on_track_at": _number,
    "at_risk_at": _number,
}


def _parse_row(
    table: TableName, row_number: int, row: Mapping[str, str], problems: list[RowProblem]
) -> dict[str, Any] | None:
    fields: dict[str, Any] = {}
    ok = True
    for column in COLUMNS[table]:
        text = (row.get(column) or "").strip()
        if not text:
            if column not in OPTIONAL[table]:
                problems.append(RowProblem(row_number, column, "a value is needed here"))
                ok = False
            continue
        try:
            fields[column] = _READERS.get(column, str)(text)
        except ValueError as exc:
            problems.append(RowProblem(row_number, column, str(exc)))
            ok = False
    return fields if ok else None


def _header_problems(table: TableName, header: Sequence[str]) -> list[RowProblem]:
    known = set(COLUMNS[table])
    problems = [
        RowProblem(1, column, f"unknown column; the {table} table has: {', '.join(COLUMNS[table])}")
        for column in header
        if column not in known
    ]
    missing = [c for c in COLUMNS[table] if c not in header and c not in OPTIONAL[table]]
    if missing:
        problems.append(RowProblem(1, "", f"missing column(s): {', '.join(missing)}"))
    return problems


def _validation_problems(row_number: int, exc: ValidationError) -> list[RowProblem]:
    problems = []
    for error in exc.errors():
        column = str(error["loc"][0]) if error["loc"] else ""
        message = error["msg"].removeprefix("Value error, ")
        problems.append(RowProblem(row_number, column, message))
    return problems


@dataclasses.dataclass
class _Lists:
    """The agreement's commitments and KPIs by id, as rows are applied to them."""

    commitments: dict[str, Commitment]
    kpis: dict[str, Kpi]


def _apply_commitment(lists: _Lists, fields: dict[str, Any]) -> tuple[str, str] | None:
    old = lists.commitments.get(fields["id"])
    lists.commitments[fields["id"]] = Commitment(**fields, fulfilment=old.fulfilment if old else [])
    return None


def _apply_fulfilment(lists: _Lists, fields: dict[str, Any]) -> tuple[str, str] | None:
    parent = lists.commitments.get(fields.pop("commitment"))
    if parent is None:
        return "commitment", "no commitment has this id"
    entry = Fulfilment(**fields)
    kept = [f for f in parent.fulfilment if f.date != entry.date]
    lists.commitments[parent.id] = parent.model_copy(update={"fulfilment": [*kept, entry]})
    return None


def _apply_kpi(lists: _Lists, fields: dict[str, Any]) -> tuple[str, str] | None:
    old = lists.kpis.get(fields["id"])
    baseline = Point(value=fields.pop("baseline_value"), date=fields.pop("baseline_date"))
    lists.kpis[fields["id"]] = Kpi(**fields, baseline=baseline, measurements=old.measurements if old else [])
    return None


def _apply_measurement(lists: _Lists, fields: dict[str, Any]) -> tuple[str, str] | None:
    owner = lists.kpis.get(fields.pop("kpi"))
    if owner is None:
        return "kpi", "no KPI has this id"
    reading = Measurement(**fields)
    kept = [m for m in owner.measurements if m.date != reading.date]
    readings = sorted([*kept, reading], key=lambda m: m.date)
    lists.kpis[owner.id] = owner.model_copy(update={"measurements": readings})
    return None


_APPLY: dict[TableName, Callable[[_Lists, dict[str, Any]], tuple[str, str] | None]] = {
    "commitments": _apply_commitment,
    "fulfilment": _apply_fulfilment,
    "kpis": _apply_kpi,
    "measurements": _apply_measurement,
}


def _partner_problems(number: int, fields: Mapping[str, Any], partners: set[str]) -> list[RowProblem]:
    problems = []
    for column in ("by", "to", "owner", "partner"):
        value = fields.get(column)
        if value is None or value in partners or (column == "to" and value == "partnership"):
            continue
        known = ", ".join(sorted(partners))
        problems.append(RowProblem(number, column, f"{value!r} is not a partner id (partners: {known})"))
    return problems


def table_import(
    agreement: Agreement, table: TableName, header: Sequence[str], rows: Sequence[Mapping[str, str]]
) -> Agreement:
    """``agreement`` with the rows applied; raises :class:`TableError` naming every problem."""
    problems = _header_problems(table, header)
    if len(rows) > MAX_ROWS:
        problems.append(RowProblem(0, "", f"{len(rows)} rows; at most {MAX_ROWS} can be imported at once"))
    if problems:
        raise TableError(problems)
    partners = set(agreement.partner_ids())
    lists = _Lists({c.id: c for c in agreement.what.commitments}, {k.id: k for k in agreement.what.kpis})
    for number, row in enumerate(rows, start=2):
        fields = _parse_row(table, number, row, problems)
        if fields is None:
            continue
        problems.extend(_partner_problems(number, fields, partners))
        try:
            refused = _APPLY[table](lists, fields)
        except ValidationError as exc:
            problems.extend(_validation_problems(number, exc))
            continue
        if refused:
            problems.append(RowProblem(number, *refused))
    if problems:
        raise TableError(problems)
    what = agreement.what.model_copy(
        update={"commitments": list(lists.commitments.values()), "kpis": list(lists.kpis.values())}
    )
    try:
        # Validated as a whole again: a list may have grown past its limit.
        updated = Agreement.model_validate(agreement.model_copy(update={"what": what}).model_dump())
    except ValidationError as exc:
        raise TableError([RowProblem(0, "", error["msg"]) for error in exc.errors()]) from exc
    # And its cross-references, as loading a file checks them: a KPI linked to one that does not exist.
    references = reference_problems(updated)
    if references:
        raise TableError([RowProblem(0, "", f"{format_path(loc)}: {message}") for loc, message in references])
    return updated
