"""The write behind a table import: apply an uploaded table to the agreement, all of it or nothing.

One function, :func:`agreement_table_import`, so that the views keep working when commitments'
fulfilment and KPI measurements move from the terms document to records of their own: only this
function changes then.
"""

from __future__ import annotations

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.spreadsheets import Sheet
from commonground.core.agreement.tables import TableName, table_import
from commonground.web.accounts.typing import User
from commonground.web.agreements import services
from commonground.web.agreements.models import Agreement
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError

TABLE_WORDS: dict[TableName, str] = {
    "commitments": "commitments",
    "fulfilment": "deliveries of commitments",
    "kpis": "KPIs",
    "measurements": "KPI measurements",
}


def agreement_table_import(
    *, access: PartnershipAccess, agreement: Agreement, table: TableName, sheet: Sheet, expected_version: int,
    user: User, source: str,
) -> Agreement:  # fmt: skip
    """Apply every row of ``sheet`` to the agreement at ``expected_version`` and save it as a new version.

    ``core.agreement.tables.TableError`` naming every problem by row and column, or
    ``records.StaleEditError`` when the agreement changed since the preview: either way nothing is saved.
    """
    current = Agreement.objects.filter(pk=agreement.pk, partnership=access.partnership).first()
    if current is None or current.version != expected_version:
        raise StaleEditError.about(current)
    document = table_import(
        AgreementDocument.model_validate(current.document), table, sheet.header, sheet.rows
    )
    return services.agreement_document_replace(
        access=access, agreement=current, document=document, expected_version=expected_version, user=user,
        comment=f"Imported {TABLE_WORDS[table]} from {source[:100]} ({len(sheet.rows)} rows)",
    )  # fmt: skip
