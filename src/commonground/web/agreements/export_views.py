"""Downloads of the agreement (a readable document, its tables, its calendar) and table imports.

Thin views: authorise (the access layer), bind a form, call a selector or the one import service,
render. Everyone who may see the agreement may download it; only the partners' members who may edit
it may import (viewers and facilitators get 403). An import is previewed first (every row and every
problem by row and column) and saves nothing until it is confirmed without a single problem.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.agreement.calendar import agreement_calendar
from commonground.core.agreement.spreadsheets import FORMATS, Sheet, SheetError, sheet_format
from commonground.core.agreement.tables import COLUMNS, TABLES, TableError, TableName, table_rows
from commonground.reports.agreement_document import (
    DOCUMENT_FORMATS,
    render_agreement_document,
    render_agreement_document_pdf,
)
from commonground.reports.board import PdfUnavailable
from commonground.web.access import Action, partnership_scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.agreements import selectors
from commonground.web.agreements.export_forms import ConfirmForm, TableUploadForm, Upload, upload_token
from commonground.web.agreements.export_selectors import (
    RECORD_TABLES,
    agreement_for_export,
    agreement_signoffs,
    import_base,
    table_import_preview,
)
from commonground.web.agreements.export_services import TABLE_WORDS, agreement_table_import
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.record_services import record_row_problems
from commonground.web.agreements.services import AgreementError
from commonground.web.downloads import attachment_header
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError

DOCUMENT_MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def _table(table: str) -> TableName:
    for name in TABLES:
        if name == table:
            return name
    raise Http404


def _attachment(content: str | bytes, media_type: str, access: PartnershipAccess, agreement: Agreement,
                what: str) -> HttpResponse:  # fmt: skip
    response = HttpResponse(content, content_type=media_type)
    name = slugify(access.partnership.name) or "partnership"
    response["Content-Disposition"] = attachment_header(f"agreement-{name}-v{agreement.version}-{what}")
    return response


@partnership_scoped(Action.VIEW)
@require_GET
def exports(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Every download of the agreement, and the table imports for those who may edit it."""
    agreement = selectors.agreement_get(access=access)
    return render(request, "agreements/exports/index.html", _index_context(access, agreement))


@partnership_scoped(Action.VIEW)
@require_GET
def document(request: AuthenticatedHttpRequest, access: PartnershipAccess, fmt: str) -> HttpResponse:
    """The agreement as a readable document, HTML or A4 PDF, with who signed which version."""
    if fmt not in DOCUMENT_FORMATS:
        raise Http404
    agreement = selectors.agreement_get(access=access)
    options: dict[str, Any] = {
        "as_of": timezone.localdate(),
        "version": agreement.version,
        "signatures": agreement_signoffs(agreement=agreement),
    }
    core = agreement_for_export(agreement)
    if fmt == "html":
        return _attachment(render_agreement_document(core, **options), DOCUMENT_MEDIA[fmt], access, agreement,
                           "document.html")  # fmt: skip
    try:
        pdf = render_agreement_document_pdf(core, **options)
    except PdfUnavailable:
        messages.error(
            request, "PDFs cannot be made on this server right now; the HTML document has the same."
        )
        return render(request, "agreements/exports/index.html", _index_context(access, agreement), status=503)
    return _attachment(pdf, DOCUMENT_MEDIA[fmt], access, agreement, "document.pdf")


def _index_context(access: PartnershipAccess, agreement: Agreement) -> dict[str, Any]:
    tables = [(table, TABLE_WORDS[table], COLUMNS[table]) for table in TABLES]
    return {"access": access, "partnership": access.partnership, "agreement": agreement, "tables": tables,
            "sheet_formats": list(FORMATS)}  # fmt: skip


@partnership_scoped(Action.VIEW)
@require_GET
def table_download(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, table: str, fmt: str
) -> HttpResponse:
    """One table of the agreement (commitments, fulfilment, KPIs, measurements) as CSV or XLSX."""
    name = _table(table)
    if fmt not in FORMATS:
        raise Http404
    agreement = selectors.agreement_get(access=access)
    rows = table_rows(agreement_for_export(agreement), name)
    kind = FORMATS[fmt]
    return _attachment(kind.write(COLUMNS[name], rows), kind.media_type, access, agreement, f"{name}.{fmt}")


@partnership_scoped(Action.VIEW)
@require_GET
def calendar(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The agreement's open deadlines, targets, decisions and review date as an .ics calendar."""
    agreement = selectors.agreement_get(access=access)
    stamp = timezone.now().replace(microsecond=0)
    ics = agreement_calendar(agreement_for_export(agreement), stamp=stamp)
    return _attachment(ics, "text/calendar; charset=utf-8", access, agreement, "deadlines.ics")


# --- imports -------------------------------------------------------------------------------------


def _read(upload: Upload) -> Sheet:
    """The table in an uploaded file; ``SheetError`` saying why in words when it cannot be read."""
    return sheet_format(upload.name).read(upload.data)


def _preview_page(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, agreement: Agreement, table: TableName,
    upload: Upload, *, status: int = 200,
) -> HttpResponse:  # fmt: skip
    """The preview of ``upload`` against the agreement as it is now, with the confirmation if it is clean."""
    context = _import_context(access, agreement, table)
    try:
        sheet = _read(upload)
    except SheetError as exc:
        context["form"] = TableUploadForm()
        context["file_problem"] = f"{upload.name}: {exc}"
        return render(request, "agreements/exports/import.html", context, status=400)
    preview, _ = table_import_preview(document=import_base(agreement, table), table=table, sheet=sheet)
    if preview.ok and (table == "fulfilment" or table == "measurements"):
        # Records carry their own rule of who may write each row: shown before anyone confirms.
        _, refused = record_row_problems(access, agreement, table, sheet)
        if refused:
            preview = dataclasses.replace(preview, problems=tuple(refused))
    context |= {"preview": preview, "file_name": upload.name, "form": TableUploadForm()}
    if preview.ok:
        token = upload_token(
            upload, partnership_id=access.partnership.pk, table=table, user_id=request.user.pk
        )
        context["confirm"] = ConfirmForm(
            initial={"version": agreement.version, "upload": token},
            partnership_id=access.partnership.pk, table=table, user_id=request.user.pk,
        )  # fmt: skip
    return render(request, "agreements/exports/import.html", context, status=status if preview.ok else 400)


def _import_context(access: PartnershipAccess, agreement: Agreement, table: TableName) -> dict[str, Any]:
    return {"access": access, "partnership": access.partnership, "agreement": agreement, "table": table,
            "table_words": TABLE_WORDS[table], "columns": COLUMNS[table],
            "records": table in RECORD_TABLES}  # fmt: skip


@partnership_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def table_import(request: AuthenticatedHttpRequest, access: PartnershipAccess, table: str) -> HttpResponse:
    """Upload a table and see what importing it would do: every row, every problem by row and column."""
    name = _table(table)
    agreement = selectors.agreement_get(access=access)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        return _preview_page(request, access, agreement, name, Upload(upload.name, upload.read()))
    context = _import_context(access, agreement, name) | {"form": form}
    return render(request, "agreements/exports/import.html", context, status=400 if form.errors else 200)


@partnership_scoped(Action.EDIT)
@require_POST
def table_import_confirm(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, table: str
) -> HttpResponseBase:
    """Apply a previewed table: every row or none, as a new version of the agreement."""
    name = _table(table)
    agreement = selectors.agreement_get(access=access)
    form = ConfirmForm(
        request.POST, partnership_id=access.partnership.pk, table=name, user_id=request.user.pk
    )
    if not form.is_valid():
        problem = " ".join(str(error) for error in form.errors.get("upload", [])) or "Upload the file again."
        messages.error(request, f"Nothing was imported. {problem}")
        return redirect("agreements:table_import", pk=access.partnership.pk, table=name)
    upload: Upload = form.cleaned_data["upload"]
    try:
        sheet = _read(upload)
        agreement_table_import(
            access=access, agreement=agreement, table=name, sheet=sheet,
            expected_version=form.cleaned_data["version"], user=request.user, source=upload.name,
        )  # fmt: skip
    except StaleEditError as exc:
        messages.error(
            request, exc.changed_meanwhile("agreement", then="check the preview below and confirm again")
        )
        return _preview_page(
            request, access, selectors.agreement_get(access=access), name, upload, status=409
        )
    except (SheetError, TableError):
        # The file was clean at the preview; show it again against the agreement as it is now.
        return _preview_page(request, access, agreement, name, upload, status=400)
    except AgreementError as exc:
        messages.error(request, f"Nothing was imported: {exc}")
        return redirect("agreements:table_import", pk=access.partnership.pk, table=name)
    messages.success(
        request,
        f"Imported {len(sheet.rows)} row{'s' if len(sheet.rows) != 1 else ''} of {TABLE_WORDS[name]} from "
        f"{upload.name}."
        + (
            " They are records beside the signed terms: the version and its sign-off are unchanged."
            if name in RECORD_TABLES
            else " This is a new version: every partner signs it again."
        ),
    )
    return redirect("agreements:exports", pk=access.partnership.pk)
