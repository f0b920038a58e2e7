"""The write behind a table import: apply an uploaded table to the agreement, all of it or nothing.

Commitments and KPIs are terms: importing them makes a new version of the agreement, which every
partner signs again. Deliveries and readings are records kept beside the terms
(``record_services.records_import``): importing them changes neither the version nor the sign-off.
"""

from __future__ import annotations

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.spreadsheets import Sheet
from commonground.core.agreement.tables import TableName, table_import
from commonground.web.accounts.typing import User
from commonground.web.agreements import services
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.record_services import records_import
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
    """Apply every row of ``sheet`` to the agreement at ``expected_version``: terms as a new version,
    records beside them.

    ``core.agreement.tables.TableError`` naming every problem by row and column, or
    ``records.StaleEditError`` when the agreement changed since the preview: either way nothing is saved.
    """
    current = Agreement.objects.filter(pk=agreement.pk, partnership=access.partnership).first()
    if current is None or current.version != expected_version:
        raise StaleEditError.about(current)
    if table == "fulfilment" or table == "measurements":  # records (export_selectors.RECORD_TABLES)
        records_import(access=access, agreement=current, table=table, sheet=sheet, user=user, source=source)
        return current
    document = table_import(
        AgreementDocument.model_validate(current.document), table, sheet.header, sheet.rows
    )
    return services.agreement_document_replace(
        access=access, agreement=current, document=document, expected_version=expected_version, user=user,
        comment=f"Imported {TABLE_WORDS[table]} from {source[:100]} ({len(sheet.rows)} rows)",
    )  # fmt: skip
