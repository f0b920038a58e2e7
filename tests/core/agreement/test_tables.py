"""Agreement tables: exported rows, imported rows, and every problem named by row and column."""

from __future__ import annotations

import pytest

from commonground.core.agreement.models import Agreement
from commonground.core.agreement.tables import (
    COLUMNS,
    TABLES,
    TableError,
    TableName,
    table_import,
    table_rows,
)


@pytest.mark.parametrize("table", TABLES)
def test_every_table_round_trips(agreement: Agreement, table: TableName) -> None:
    rows = table_rows(agreement, table)
    assert rows, "the fixture has a row in every table"
    assert table_import(agreement, table, COLUMNS[table], rows) == agreement


def test_kpi_rows_read_like_a_spreadsheet(agreement: Agreement) -> None:
    [row] = table_rows(agreement, "kpis")
    assert row["targets"] == "5000 by 2027-12-31"
    assert row["baseline_value"] == "1000"
    assert row["baseline_date"] == "2027-01-01"


def test_new_measurements_are_added_and_a_known_date_is_replaced(agreement: Agreement) -> None:
    rows = [
        {"kpi": "meals", "date": "2027-03-31", "value": "1900", "note": "recounted"},
        {"kpi": "meals", "date": "2027-06-30", "value": "2600"},
    ]
    updated = table_import(agreement, "measurements", ["kpi", "date", "value", "note"], rows)
    readings = [(m.date.isoformat(), m.value, m.note) for m in updated.what.kpis[0].measurements]
    assert readings == [("2027-03-31", 1900.0, "recounted"), ("2027-06-30", 2600.0, None)]


def test_an_imported_commitment_keeps_what_was_delivered(agreement: Agreement) -> None:
    row = {
        "id": "c1",
        "by": "meadowgate",
        "kind": "money",
        "description": "Fund three drivers",
        "due": "2027-04-30",
    }
    updated = table_import(agreement, "commitments", list(row), [row])
    [commitment] = updated.what.commitments
    assert commitment.description == "Fund three drivers"
    assert [f.value for f in commitment.fulfilment] == [20000.0]


def test_every_problem_is_named_by_row_and_column_and_nothing_is_applied(agreement: Agreement) -> None:
    rows = [
        {
            "id": "c2",
            "by": "nobody",
            "kind": "money",
            "description": "x",
            "due": "31/03/2027",
            "value": "1,500",
        },
        {"id": "c3", "by": "riverside", "kind": "gift", "description": "", "due": "2027-05-01"},
    ]
    with pytest.raises(TableError) as caught:
        table_import(agreement, "commitments", ["id", "by", "kind", "description", "due", "value"], rows)
    messages = [str(p) for p in caught.value.problems]
    assert (
        "row 2, column due: '31/03/2027' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-31" in messages
    )
    assert any(m.startswith("row 2, column value: '1,500': write numbers without commas") for m in messages)
    assert "row 3, column description: a value is needed here" in messages
    assert len(messages) == 3  # the row with a bad date is not checked further for its partner


def test_a_row_that_parses_is_checked_against_the_partners_and_the_model(agreement: Agreement) -> None:
    rows = [{"id": "c2", "by": "nobody", "kind": "gift", "description": "Vans", "due": "2027-05-01"}]
    with pytest.raises(TableError) as caught:
        table_import(agreement, "commitments", list(rows[0]), rows)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == "row 2, column by: 'nobody' is not a partner id (partners: meadowgate, riverside)"
    assert messages[1].startswith("row 2, column kind: Input should be 'money', 'in_kind'")


def test_unknown_and_missing_columns_are_refused_before_any_row(agreement: Agreement) -> None:
    with pytest.raises(TableError) as caught:
        table_import(agreement, "measurements", ["kpi", "when", "value"], [{"kpi": "meals"}])
    assert [str(p) for p in caught.value.problems] == [
        "row 1, column when: unknown column; the measurements table has: kpi, date, value, note, evidence",
        "row 1: missing column(s): date",
    ]


def test_measurements_of_an_unknown_kpi_are_refused(agreement: Agreement) -> None:
    with pytest.raises(TableError) as caught:
        table_import(
            agreement,
            "measurements",
            ["kpi", "date", "value"],
            [{"kpi": "x", "date": "2027-02-01", "value": "3"}],
        )
    assert [str(p) for p in caught.value.problems] == ["row 2, column kpi: no KPI has this id"]


def test_targets_in_words_are_read_and_bad_ones_named(agreement: Agreement) -> None:
    [row] = table_rows(agreement, "kpis")
    good = {**row, "targets": "3000 by 2027-06-30; 5000 by 2027-12-31"}
    updated = table_import(agreement, "kpis", COLUMNS["kpis"], [good])
    assert [t.value for t in updated.what.kpis[0].targets] == [3000.0, 5000.0]
    with pytest.raises(TableError) as caught:
        table_import(agreement, "kpis", COLUMNS["kpis"], [{**row, "targets": "5000 in December"}])
    assert str(caught.value.problems[0]) == (
        "row 2, column targets: write each target as 'VALUE by YYYY-MM-DD' (got '5000 in December')"
    )


def test_an_import_that_breaks_a_cross_reference_is_refused_like_a_file_would_be(
    agreement: Agreement,
) -> None:
    [row] = table_rows(agreement, "kpis")
    with pytest.raises(TableError) as caught:
        table_import(agreement, "kpis", COLUMNS["kpis"], [{**row, "linked_to": row["id"]}])
    assert "the table: what.kpis[0].linked_to: a KPI cannot be linked to itself" in [
        str(p) for p in caught.value.problems
    ]
