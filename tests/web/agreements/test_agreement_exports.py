"""Downloads of the agreement (document, tables, calendar) and table imports: preview, confirm, refuse."""

from __future__ import annotations

import datetime
import io
import time
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.spreadsheets import read_xlsx
from commonground.core.agreement.tables import COLUMNS, table_rows
from commonground.web.agreements.export_forms import IMPORT_MAX_BYTES, Upload, upload_token
from commonground.web.agreements.models import Agreement, AgreementRevision, Measurement, Signature
from commonground.web.agreements.selectors import agreement_in_force
from commonground.web.partnerships.models import Partnership

MEASUREMENTS = "kpi,date,value,note\nmeals,2026-03-31,1500,first quarter\nmeals,2026-06-30,2100,\n"


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"pk": partnership.pk, **kwargs})


@pytest.fixture
def agreement(member_client: Client, partnership: Partnership) -> Agreement:
    """The partnership's agreement with a commitment, a KPI with one reading and a review date."""
    assert member_client.post(_url("start", partnership)).status_code == 302
    row = Agreement.objects.get(partnership=partnership)
    harbor, meadow = (p["id"] for p in row.document["who"]["partners"])
    what = {
        "status": "partially",
        "commitments": [
            {
                "id": "vans",
                "by": meadow,
                "kind": "in_kind",
                "description": "Two delivery vans",
                "value": 30000,
                "due": "2026-09-30",
            },
        ],
        "kpis": [
            {
                "id": "meals",
                "name": "Meals served",
                "category": "social",
                "unit": "meals",
                "owner": harbor,
                "baseline": {"value": 1000, "date": "2026-01-01"},
                "targets": [{"value": 5000, "date": "2026-12-31"}],
            },
        ],
    }
    how = {**row.document.get("how", {}), "review": {"status": "fully", "date": "2027-01-31"}}
    document = AgreementDocument.model_validate({**row.document, "what": what, "how": how})
    Agreement.objects.filter(pk=row.pk).update(document=document.model_dump(mode="json"))
    row.refresh_from_db()
    Measurement.objects.create(
        agreement=row, kpi_id="meals", date=datetime.date(2026, 3, 31), value=1200, entered_by_name="mia"
    )
    return row


def _document(partnership: Partnership) -> AgreementDocument:
    """The agreement in force: terms and records."""
    return agreement_in_force(Agreement.objects.get(partnership=partnership))


def _snapshot(partnership: Partnership) -> tuple[int, Any, int]:
    row = Agreement.objects.get(partnership=partnership)
    return row.version, row.document, AgreementRevision.objects.filter(agreement=row).count()


def _upload(client: Client, partnership: Partnership, table: str, name: str, data: bytes) -> Any:
    return client.post(
        _url("table_import", partnership, table=table), {"file": SimpleUploadedFile(name, data)}
    )


# --- downloads -----------------------------------------------------------------------------------


def test_the_downloads_page_offers_imports_only_to_those_who_may_edit(
    member_client: Client, viewer_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    page = member_client.get(_url("exports", partnership)).content.decode()
    assert "Agreement as PDF (A4)" in page
    assert _url("table_download", partnership, table="kpis", fmt="xlsx") in page
    assert _url("table_import", partnership, table="measurements") in page
    viewer_page = viewer_client.get(_url("exports", partnership)).content.decode()
    assert _url("table_download", partnership, table="kpis", fmt="csv") in viewer_page
    assert "/import/" not in viewer_page
    detail = member_client.get(_url("detail", partnership)).content.decode()
    assert _url("exports", partnership) in detail


def test_the_document_downloads_as_html_and_pdf_with_the_signatures(
    viewer_client: Client, partnership: Partnership, agreement: Agreement, org_admin: Any
) -> None:
    Signature.objects.create(
        agreement=agreement, organisation=None, organisation_name="Harbor <b>Health</b>", user=org_admin,
        signer_name="Olga Admin", version=agreement.version,
    )  # fmt: skip
    response = viewer_client.get(_url("document", partnership, fmt="html"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="agreement-healthy-lunches-v{agreement.version}-document.html"'
    )
    page = response.content.decode()
    assert "Healthy Lunches" in page
    assert "Harbor &lt;b&gt;Health&lt;/b&gt;" in page
    assert "Olga Admin" in page
    pdf = viewer_client.get(_url("document", partnership, fmt="pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert viewer_client.get(_url("document", partnership, fmt="docx")).status_code == 404


@pytest.mark.parametrize("table", ["commitments", "fulfilment", "kpis", "measurements"])
def test_each_table_downloads_as_csv_and_xlsx(
    viewer_client: Client, partnership: Partnership, agreement: Agreement, table: str
) -> None:
    expected = table_rows(_document(partnership), table)  # type: ignore[arg-type]
    csv = viewer_client.get(_url("table_download", partnership, table=table, fmt="csv"))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS[table])  # type: ignore[index]
    xlsx = viewer_client.get(_url("table_download", partnership, table=table, fmt="xlsx"))
    assert list(read_xlsx(xlsx.content).rows) == expected
    assert (
        viewer_client.get(_url("table_download", partnership, table="budgets", fmt="csv")).status_code == 404
    )
    assert viewer_client.get(_url("table_download", partnership, table=table, fmt="ods")).status_code == 404


def test_the_calendar_downloads_as_ics(
    viewer_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    response = viewer_client.get(_url("calendar", partnership))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode().replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20270131" in text
    assert "Review the agreement: Healthy Lunches" in text
    assert "Two delivery vans" in text


# --- imports -------------------------------------------------------------------------------------


def test_readings_are_previewed_then_stored_as_records_leaving_the_version_and_sign_off(
    member_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    before = _snapshot(partnership)
    preview = _upload(member_client, partnership, "measurements", "m.csv", MEASUREMENTS.encode())
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 rows: 1 new, 1 replacing what the agreement holds now" in page
    assert "leaves the agreement's version and its sign-off as they are" in page
    confirm = preview.context["confirm"]
    response = member_client.post(
        _url("table_import_confirm", partnership, table="measurements"),
        {"version": confirm.initial["version"], "upload": confirm.initial["upload"]},
    )
    assert response.status_code == 302
    readings = [
        (m.date.isoformat(), m.value, m.note) for m in _document(partnership).what.kpis[0].measurements
    ]
    assert readings == [("2026-03-31", 1500.0, "first quarter"), ("2026-06-30", 2100.0, None)]
    assert _snapshot(partnership) == before  # the terms, their version and their history untouched
    page = member_client.get(_url("exports", partnership)).content.decode()
    assert "Imported 2 rows of KPI measurements from m.csv. They are records beside the signed terms" in page


def test_commitments_are_terms_so_importing_them_makes_a_new_version(
    member_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    before = agreement.version
    rows = table_rows(_document(partnership), "commitments")
    rows[0]["description"] = "Three delivery vans"
    data = "\n".join([",".join(COLUMNS["commitments"]), *(",".join(r.values()) for r in rows)]) + "\n"
    preview = _upload(member_client, partnership, "commitments", "c.csv", data.encode())
    assert f"Importing makes version {before + 1} of the agreement" in preview.content.decode()
    confirm = preview.context["confirm"]
    member_client.post(
        _url("table_import_confirm", partnership, table="commitments"),
        {"version": confirm.initial["version"], "upload": confirm.initial["upload"]},
    )
    row = Agreement.objects.get(partnership=partnership)
    assert row.version == before + 1
    assert _document(partnership).what.commitments[0].description == "Three delivery vans"
    latest = AgreementRevision.objects.filter(agreement=row).order_by("-number").first()
    assert latest is not None
    assert "Imported commitments from c.csv (1 rows)" in latest.revision.comment


def test_a_partner_that_does_not_report_a_kpi_cannot_import_its_readings(
    client_for: Callable[[Any], Client], partner_admin: Any, partnership: Partnership, agreement: Agreement
) -> None:
    meadow = client_for(partner_admin)  # Meadow's admin; Harbor reports "meals"
    preview = _upload(meadow, partnership, "measurements", "m.csv", MEASUREMENTS.encode())
    assert preview.status_code == 400
    assert "confirm" not in preview.context
    page = preview.content.decode()
    assert "row 2, column kpi: only the members of Harbor Health Alliance enter readings of" in page
    assert [m.value for m in _document(partnership).what.kpis[0].measurements] == [1200.0]


def test_an_import_with_errors_names_each_by_row_and_column_and_saves_nothing(
    member_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    before = _snapshot(partnership)
    bad = b"kpi,date,value\nmeals,2026-04-31,1500\nnope,2026-05-31,2000\nmeals,2026-06-30,<b>lots</b>\n"
    response = _upload(member_client, partnership, "measurements", "bad.csv", bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing can be saved: the file has 3 problems" in page
    assert "row 2, column date: &#x27;2026-04-31&#x27; is not a date" in page
    assert "row 3, column kpi: no KPI has this id" in page
    assert "row 4, column value: &#x27;&lt;b&gt;lots&lt;/b&gt;&#x27; is not a number" in page
    assert "<b>lots" not in page
    assert "confirm" not in response.context
    # Confirming that file anyway (a signed token made for it) still saves nothing.
    token = upload_token(
        Upload("bad.csv", bad), partnership_id=partnership.pk, table="measurements",
        user_id=response.wsgi_request.user.pk,
    )  # fmt: skip
    forced = member_client.post(
        _url("table_import_confirm", partnership, table="measurements"),
        {"version": before[0], "upload": token},
    )
    assert forced.status_code == 400
    assert _snapshot(partnership) == before


def test_a_forged_or_foreign_confirmation_saves_nothing(
    member_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    before = _snapshot(partnership)
    user_id = member_client.get(_url("exports", partnership)).wsgi_request.user.pk
    other_table = upload_token(
        Upload("m.csv", MEASUREMENTS.encode()),
        partnership_id=partnership.pk,
        table="fulfilment",
        user_id=user_id,
    )
    url = _url("table_import_confirm", partnership, table="measurements")
    for token in ("not-a-token", other_table):
        response = member_client.post(url, {"version": before[0], "upload": token}, follow=True)
        assert "The preview could not be read back: upload the file again." in response.content.decode()
    assert _snapshot(partnership) == before


def test_an_import_confirmed_after_someone_else_changed_the_agreement_is_refused(
    member_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    preview = _upload(member_client, partnership, "measurements", "m.csv", MEASUREMENTS.encode())
    confirm = preview.context["confirm"]
    Agreement.objects.filter(pk=agreement.pk).update(version=agreement.version + 1)  # someone saved meanwhile
    before = _snapshot(partnership)
    response = member_client.post(
        _url("table_import_confirm", partnership, table="measurements"),
        {"version": confirm.initial["version"], "upload": confirm.initial["upload"]},
    )
    assert response.status_code == 409
    assert "Your changes were not saved" in response.content.decode()
    assert "confirm" in response.context  # previewed again against the version in force, ready to confirm
    assert _snapshot(partnership) == before


def test_viewers_and_facilitators_cannot_import(
    viewer_client: Client, facilitator_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    before = _snapshot(partnership)
    for client in (viewer_client, facilitator_client):
        response = _upload(client, partnership, "measurements", "m.csv", MEASUREMENTS.encode())
        assert response.status_code == 403
    assert _snapshot(partnership) == before


def _workbook(*rows: list[object]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_formula_cells_of_an_xlsx_come_in_as_text(
    member_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    data = _workbook(
        ["kpi", "date", "value", "note"],
        ["meals", "2026-06-30", 2000, '=HYPERLINK("http://evil.example","click")'],
    )
    preview = _upload(member_client, partnership, "measurements", "m.xlsx", data)
    assert preview.status_code == 200
    confirm = preview.context["confirm"]
    member_client.post(
        _url("table_import_confirm", partnership, table="measurements"),
        {"version": confirm.initial["version"], "upload": confirm.initial["upload"]},
    )
    [_, latest] = _document(partnership).what.kpis[0].measurements  # the fixture's reading, then this
    assert latest.note == '=HYPERLINK("http://evil.example","click")'  # kept as its text, never evaluated
    exported = member_client.get(_url("table_download", partnership, table="measurements", fmt="csv"))
    assert "'=HYPERLINK" in exported.content.decode("utf-8-sig")  # and written out so it stays text
    formula_value = _workbook(["kpi", "date", "value"], ["meals", "2026-09-30", "=1+1"])
    refused = _upload(member_client, partnership, "measurements", "f.xlsx", formula_value)
    assert "row 2, column value: &#x27;=1+1&#x27; is not a number" in refused.content.decode()


def _zip_bomb() -> bytes:
    plain = zipfile.ZipFile(io.BytesIO(_workbook(["kpi", "date", "value"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in plain.namelist():
            data = plain.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (200 * 1024 * 1024))
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_and_a_file_that_is_no_workbook_are_refused_quickly(
    member_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    before = _snapshot(partnership)
    bomb = _zip_bomb()
    assert len(bomb) < IMPORT_MAX_BYTES
    for name, data, reason in (
        ("bomb.xlsx", bomb, "the workbook unpacks to 200 MB; at most 64 MB"),
        ("fake.xlsx", b"PK\x03\x04 not really a workbook", "the file is not an Excel workbook (.xlsx)"),
    ):
        started = time.perf_counter()
        response = _upload(member_client, partnership, "measurements", name, data)
        assert time.perf_counter() - started < 1.0
        assert response.status_code == 400
        assert reason in response.content.decode()
    assert _snapshot(partnership) == before


def test_large_files_other_types_and_other_encodings_are_refused(
    member_client: Client, partnership: Partnership, agreement: Agreement
) -> None:
    before = _snapshot(partnership)
    big = _upload(member_client, partnership, "measurements", "m.csv", b"x" * (IMPORT_MAX_BYTES + 1))
    assert "the limit is 1,048,576 bytes (1 MB)" in big.content.decode()
    ods = _upload(member_client, partnership, "measurements", "m.ods", b"PK")
    assert "Choose a .csv or .xlsx file." in ods.content.decode()
    latin = _upload(
        member_client,
        partnership,
        "measurements",
        "m.csv",
        "kpi,date,value,note\nmeals,2026-06-30,1,Café\n".encode("latin-1"),
    )
    assert "save it as &#x27;CSV UTF-8&#x27;" in latin.content.decode()
    assert member_client.get(_url("table_import", partnership, table="budgets")).status_code == 404
    assert _snapshot(partnership) == before
