"""Writes of an agreement's day-to-day records: KPI readings and deliveries against commitments.

A record is a row beside the signed terms (``in_force.py``): writing one never changes the agreement's
version or reopens its sign-off. Each write is one atomic transaction, checks the terms as they are in
the database at that moment (the KPI or commitment must still be in the agreement), and is recorded in
the partnership's history as a revision of its own.

Who may write:
- a KPI reading: the members of the partner that reports the KPI (its ``partner``, else its
  ``owner``), since the reporting sheet names them as the data source; for a joint KPI that names
  nobody, any partner's members;
- a delivery: the members of the partner that owes it or the one that receives it (every partner
  receives what is owed to the partnership as a whole).
Facilitators and viewers read them.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any, Literal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.spreadsheets import Sheet
from commonground.core.agreement.tables import RowProblem, TableError, table_import
from commonground.core.agreement.what import Commitment, Kpi
from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.agreements.in_force import Records
from commonground.web.agreements.models import Agreement, Decision, Delivery, Measurement, Vote
from commonground.web.agreements.selectors import agreement_in_force
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.partnerships.services import partnership_touch, shared_material_record

MAX_READINGS_PER_KPI = 10_000  # the agreement format's limit on a KPI's measurements
MAX_DELIVERIES_PER_COMMITMENT = 1_000  # and on a commitment's fulfilment


class RecordError(Exception):
    """A record the rules do not allow; ``field`` names the form field it is about (None: the form)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def terms_locked(agreement: Agreement) -> AgreementDocument:
    """The agreement's terms as stored now, under its row lock (inside a transaction: writes queue)."""
    document = (
        Agreement.objects.select_for_update()
        .filter(pk=agreement.pk)
        .values_list("document", flat=True)
        .first()
    )
    if document is None:
        raise RecordError("This agreement no longer exists.")
    return AgreementDocument.model_validate(document)


def may_act_for(access: PartnershipAccess, agreement: Agreement, partner_ids: Collection[str]) -> bool:
    """Whether the user is a member (EDIT) of one of these partners' organisations."""
    return any(
        access.can_in(int(organisation_id), Action.EDIT)
        for partner_id, organisation_id in agreement.partner_organisations.items()
        if partner_id in partner_ids
    )


def acts_for(access: PartnershipAccess, agreement: Agreement, partner_ids: Collection[str]) -> bool:
    """Whether the user writes records for one of these partners: a member, never a facilitator."""
    return not access.facilitator and may_act_for(access, agreement, partner_ids)


def kpi_reporters(document: AgreementDocument, kpi: Kpi) -> list[str]:
    """The partner ids whose members enter this KPI's readings."""
    reporter = kpi.partner or kpi.owner
    return [reporter] if reporter else document.partner_ids()


def commitment_parties(document: AgreementDocument, commitment: Commitment) -> list[str]:
    """The partner ids whose members record deliveries on this commitment: who owes and who receives."""
    if commitment.to == "partnership":
        return document.partner_ids()
    return [commitment.by, commitment.to]


# Why a record may not be written: (the form field it is about, or None for the record as a whole;
# a sentence). Shared by the forms, one record at a time, and by table imports, row by row.
Refusal = tuple[str | None, str]


def reading_refusals(
    access: PartnershipAccess, agreement: Agreement, terms: AgreementDocument, kpi: Kpi, date: datetime.date
) -> list[Refusal]:
    """Why this user may not enter a reading of ``kpi`` on ``date``; empty when they may."""
    refusals: list[Refusal] = []
    reporters = kpi_reporters(terms, kpi)
    if not acts_for(access, agreement, reporters):
        names = " or ".join(terms.partner_name(p) for p in reporters)
        refusals.append((None, f"Only the members of {names} enter readings of “{kpi.name}”."))
    if date > timezone.localdate():
        refusals.append(("date", "A reading cannot be dated in the future."))
    if date < kpi.baseline.date:
        baseline = kpi.baseline.date.isoformat()
        refusals.append(("date", f"This is before the KPI's baseline ({baseline}); it would not count."))
    return refusals


def delivery_refusals(
    access: PartnershipAccess, agreement: Agreement, terms: AgreementDocument, commitment: Commitment,
    date: datetime.date,
) -> list[Refusal]:  # fmt: skip
    """Why this user may not record a delivery on ``commitment`` dated ``date``; empty when they may."""
    refusals: list[Refusal] = []
    parties = commitment_parties(terms, commitment)
    if not acts_for(access, agreement, parties):
        names = " or ".join(terms.partner_name(p) for p in parties)
        refusals.append((None, f"Only the members of {names} record deliveries on this commitment."))
    if date > timezone.localdate():
        refusals.append(("date", "A delivery cannot be dated in the future."))
    return refusals


def _refuse_first(refusals: list[Refusal]) -> None:
    if refusals:
        field, message = refusals[0]
        raise RecordError(message, field=field)


def record_write(access: PartnershipAccess, *, user: User, comment: str, row: Model) -> None:
    """Record a written record in the partnership's history, as a revision of its own."""
    partnership_touch(access.partnership, user=user)
    shared_material_record(access.partnership, user=user, comment=comment, extra=(row,))


def measurement_add(
    *, access: PartnershipAccess, agreement: Agreement, kpi_id: str, date: datetime.date, value: float,
    note: str, evidence: str, user: User,
) -> Measurement:  # fmt: skip
    """Enter one reading of a KPI (its reporting partner's members; see the module's docstring)."""
    with transaction.atomic():
        terms = terms_locked(agreement)
        kpi = next((k for k in terms.what.kpis if k.id == kpi_id), None)
        if kpi is None:
            raise RecordError("This KPI is no longer in the agreement.")
        _refuse_first(reading_refusals(access, agreement, terms, kpi, date))
        if Measurement.objects.filter(agreement=agreement, kpi_id=kpi_id).count() >= MAX_READINGS_PER_KPI:
            raise RecordError(f"“{kpi.name}” has {MAX_READINGS_PER_KPI} readings, the most one KPI keeps.")
        row = Measurement.objects.create(
            agreement=agreement, kpi_id=kpi_id, date=date, value=value, note=note.strip(),
            evidence=evidence.strip(), entered_by=user, entered_by_name=user.get_username(),
        )  # fmt: skip
        record_write(
            access, user=user, comment=f"Entered a reading of “{kpi.name}”: {value:g} on {date}", row=row
        )
    return row


def delivery_add(
    *, access: PartnershipAccess, agreement: Agreement, commitment_id: str, date: datetime.date,
    value: float | None, note: str, met_in_full: bool, user: User,
) -> Delivery:  # fmt: skip
    """Record part or all of a commitment delivered (the owing or receiving partner's members)."""
    with transaction.atomic():
        terms = terms_locked(agreement)
        commitment = next((c for c in terms.what.commitments if c.id == commitment_id), None)
        if commitment is None:
            raise RecordError("This commitment is no longer in the agreement.")
        _refuse_first(delivery_refusals(access, agreement, terms, commitment, date))
        if value is None and not met_in_full and not note.strip():
            raise RecordError("Say what was delivered: a value, a note, or that it is delivered in full.",
                              field="value")  # fmt: skip
        count = Delivery.objects.filter(agreement=agreement, commitment_id=commitment_id).count()
        if count >= MAX_DELIVERIES_PER_COMMITMENT:
            raise RecordError(f"This commitment has {count} deliveries, the most one commitment keeps.")
        row = Delivery.objects.create(
            agreement=agreement, commitment_id=commitment_id, date=date, value=value, note=note.strip(),
            met_in_full=met_in_full, entered_by=user, entered_by_name=user.get_username(),
        )  # fmt: skip
        what = "delivered in full" if met_in_full else "a delivery"
        record_write(
            access, user=user, comment=f"Recorded {what} on “{commitment.description[:80]}”", row=row
        )
    return row


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else None


def _day(value: Any) -> datetime.date:
    """A date the agreement format requires (the document was validated before it was split)."""
    return datetime.date.fromisoformat(str(value))


def records_store(*, agreement: Agreement, records: Records, user: User | None) -> None:
    """Store records taken out of a document (``in_force.split_records``) as rows; inside the caller's
    transaction. A partner's latest vote in a decision is the one kept."""
    name = user.get_username() if user is not None else "the agreement file"
    Measurement.objects.bulk_create(
        Measurement(
            agreement=agreement,
            kpi_id=kpi_id,
            date=_day(m["date"]),
            value=m["value"],
            note=m.get("note") or "",
            evidence=m.get("evidence") or "",
            entered_by=user,
            entered_by_name=name,
        )
        for kpi_id, m in records.measurements
    )
    Delivery.objects.bulk_create(
        Delivery(
            agreement=agreement,
            commitment_id=commitment_id,
            date=_day(d["date"]),
            value=d.get("value"),
            note=d.get("note") or "",
            met_in_full=d["met_in_full"],
            entered_by=user,
            entered_by_name=name,
        )
        for commitment_id, d in records.deliveries
    )
    for d in records.decisions:
        decision = Decision.objects.create(
            agreement=agreement, slug=d["id"], title=d["title"], proposal=d.get("proposal") or "",
            proposed_by=d["proposed_by"], proposer=user, proposer_name=name, opened=_day(d["opened"]),
            closes=_date(d.get("closes")), rule=d.get("rule"), outcome=d.get("outcome") or "",
            review_date=_date(d.get("review_date")), decided_at=timezone.now() if d.get("outcome") else None,
        )  # fmt: skip
        latest = {vote["partner"]: vote for vote in d.get("votes", [])}
        Vote.objects.bulk_create(
            Vote(
                decision=decision,
                partner_id=partner_id,
                organisation_id=agreement.partner_organisations.get(partner_id),
                position=vote["position"],
                reason=vote.get("reason") or "",
                resolved=bool(vote.get("resolved")),
                voter_name=vote.get("by") or name,
            )
            for partner_id, vote in latest.items()
        )


RecordTable = Literal["fulfilment", "measurements"]


def record_row_problems(
    access: PartnershipAccess, agreement: Agreement, table: RecordTable, sheet: Sheet,
    *, terms: AgreementDocument | None = None,
) -> tuple[list[tuple[str, datetime.date]], list[RowProblem]]:  # fmt: skip
    """The (item id, date) each row of a table that passed its own checks records, and the rows this
    user may not write (not a member of the reporting, owing or receiving partner) or whose date is
    refused. ``terms``: the agreement's terms as read (default: as stored now)."""
    terms = terms or AgreementDocument.model_validate(agreement.document)
    keys: list[tuple[str, datetime.date]] = []
    problems: list[RowProblem] = []
    parent = "commitment" if table == "fulfilment" else "kpi"
    for number, row in enumerate(sheet.rows, start=2):
        item_id, day = row[parent].strip(), datetime.date.fromisoformat(row["date"].strip())
        keys.append((item_id, day))
        if table == "measurements":
            kpi = next(k for k in terms.what.kpis if k.id == item_id)
            refusals = reading_refusals(access, agreement, terms, kpi, day)
        else:
            commitment = next(c for c in terms.what.commitments if c.id == item_id)
            refusals = delivery_refusals(access, agreement, terms, commitment, day)
        # A row problem reads as a clause after "row N, column C:", like the table's own problems.
        problems.extend(
            RowProblem(number, field or parent, message[0].lower() + message[1:].rstrip("."))
            for field, message in refusals
        )
    return keys, problems


def records_import(
    *, access: PartnershipAccess, agreement: Agreement, table: RecordTable, sheet: Sheet, user: User,
    source: str,
) -> int:  # fmt: skip
    """Store every row of an uploaded table of readings or deliveries as records, or none of them.

    A row for an item and date already recorded replaces that record, as in the file format. The
    terms are untouched: no new version, sign-off stays as it is. Raises ``TableError`` naming every
    problem by row and column (the table's own checks, then who may write each row).
    """
    with transaction.atomic():
        before = agreement_in_force(agreement)
        after = table_import(before, table, sheet.header, sheet.rows)  # every row checked first
        keys, problems = record_row_problems(access, agreement, table, sheet, terms=terms_locked(agreement))
        if problems:
            raise TableError(problems)
        name = user.get_username()
        created: list[Model] = []
        if table == "measurements":
            readings = {(k.id, m.date): m for k in after.what.kpis for m in k.measurements}
            for kpi_id, day in dict.fromkeys(keys):
                Measurement.objects.filter(agreement=agreement, kpi_id=kpi_id, date=day).delete()
                m = readings[(kpi_id, day)]
                created.append(
                    Measurement.objects.create(
                        agreement=agreement,
                        kpi_id=kpi_id,
                        date=day,
                        value=m.value,
                        note=m.note or "",
                        evidence=m.evidence or "",
                        entered_by=user,
                        entered_by_name=name,
                    )
                )
        else:
            deliveries = {(c.id, f.date): f for c in after.what.commitments for f in c.fulfilment}
            for commitment_id, day in dict.fromkeys(keys):
                Delivery.objects.filter(agreement=agreement, commitment_id=commitment_id, date=day).delete()
                f = deliveries[(commitment_id, day)]
                created.append(
                    Delivery.objects.create(
                        agreement=agreement,
                        commitment_id=commitment_id,
                        date=day,
                        value=f.value,
                        note=f.note or "",
                        met_in_full=False,
                        entered_by=user,
                        entered_by_name=name,
                    )
                )
        words = "readings" if table == "measurements" else "deliveries"
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment=f"Imported {len(created)} {words} from {source[:100]}",
            extra=tuple(created),
        )  # fmt: skip
    return len(created)
