"""Permission-scoped reads of a partnership's agreement: always inside a ``PartnershipAccess``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from reversion.models import Version

from commonground.core.agreement.document import dump_agreement
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.access import Action, first_or_404
from commonground.web.agreements.diff import DiffRow, diff_rows
from commonground.web.agreements.in_force import Records, merged_document
from commonground.web.agreements.models import (
    Agreement,
    AgreementRevision,
    Comment,
    Decision,
    Delivery,
    Measurement,
    Signature,
    Vote,
)
from commonground.web.agreements.sections import PARTS, STATUS_BADGES, STATUS_WORDS, Part
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations


def agreement_find(*, access: PartnershipAccess) -> Agreement | None:
    """The partnership's agreement with who changed it last, if it was started (one query)."""
    return Agreement.objects.select_related("updated_by").filter(partnership=access.partnership).first()


def agreement_get(*, access: PartnershipAccess) -> Agreement:
    """The partnership's agreement; 404 when it was not started (one query)."""
    agreement = agreement_find(access=access)
    if agreement is None:
        raise Http404
    return agreement


# --- the agreement in force: the terms with the records ---------------------------------------------


def decision_json(decision: Decision) -> dict[str, Any]:
    """A decision row and its votes (prefetched, in the order cast) as the agreement format's Decision."""
    return {
        "id": decision.slug,
        "title": decision.title,
        "proposal": decision.proposal or None,
        "proposed_by": decision.proposed_by,
        "opened": decision.opened.isoformat(),
        "closes": decision.closes.isoformat() if decision.closes else None,
        "rule": decision.rule,
        "votes": [
            {
                "partner": v.partner_id,
                "position": v.position,
                "by": v.voter_name,
                "reason": v.reason or None,
                "resolved": v.resolved,
            }
            for v in decision.votes.all()
        ],
        "outcome": decision.outcome or None,
        "review_date": decision.review_date.isoformat() if decision.review_date else None,
    }


def decisions_with_votes(agreement: Agreement) -> QuerySet[Decision]:
    """The agreement's decisions in log order, their votes prefetched (two queries when listed)."""
    return Decision.objects.filter(agreement=agreement).prefetch_related(
        Prefetch("votes", queryset=Vote.objects.order_by("cast_at", "pk"))
    )


@dataclass(frozen=True)
class RecordRows:
    """An agreement's record rows, fetched once for a page that shows them and the agreement in force."""

    measurements: list[Measurement]
    deliveries: list[Delivery]
    decisions: list[Decision]  # their votes prefetched, in the order cast

    def records(self) -> Records:
        """The rows as plain records (``in_force.Records``)."""
        return Records(
            measurements=[
                (
                    m.kpi_id,
                    {
                        "date": m.date.isoformat(),
                        "value": m.value,
                        "note": m.note or None,
                        "evidence": m.evidence or None,
                    },
                )
                for m in self.measurements
            ],
            deliveries=[
                (
                    d.commitment_id,
                    {
                        "date": d.date.isoformat(),
                        "value": d.value,
                        "note": d.note or None,
                        "met_in_full": d.met_in_full,
                    },
                )
                for d in self.deliveries
            ],
            decisions=[decision_json(decision) for decision in self.decisions],
        )


def record_rows(agreement: Agreement) -> RecordRows:
    """The agreement's records, each kind in date order (four queries: readings, deliveries,
    decisions, votes)."""
    return RecordRows(
        measurements=list(Measurement.objects.filter(agreement=agreement).order_by("kpi_id", "date", "pk")),
        deliveries=list(Delivery.objects.filter(agreement=agreement).order_by("commitment_id", "date", "pk")),
        decisions=list(decisions_with_votes(agreement)),
    )


def agreement_in_force(agreement: Agreement, *, rows: RecordRows | None = None) -> AgreementDocument:
    """The agreement as it stands: the signed terms (``agreement.document``) with every record merged
    in, readings into ``what.kpis``, deliveries into ``what.commitments`` (``met`` included) and decisions
    with their votes into ``how.decisions.log``. Four queries, none when the page passes the ``rows``
    it fetched with :func:`record_rows`. Everything that reads an agreement reads it through this."""
    found = rows if rows is not None else record_rows(agreement)
    return AgreementDocument.model_validate(merged_document(agreement.document, found.records()))


@dataclass(frozen=True)
class PartnerSigning:
    """Where one active partner organisation stands on the version in force."""

    organisation: Organisation
    signature: Signature | None  # of the version in force
    earlier: Signature | None  # its latest signature of an earlier version, when it has not signed this one
    can_sign: bool  # the signed-in user may sign for it now


@dataclass(frozen=True)
class PartView:
    """One part of the agreement as the page shows it."""

    part: Part
    status: str | None
    status_words: str
    badge: str
    comments: list[Comment]


@dataclass(frozen=True)
class AgreementPage:
    """What the agreement page shows around its read-only sections (``cached_sections``): each part's
    status and comments, where each partner stands on signing, and whose contribution the user states."""

    agreement: Agreement
    parts: list[PartView]
    signing: list[PartnerSigning]
    speaks_for: frozenset[str]  # the partner ids whose contribution the user may state

    @property
    def signed(self) -> bool:
        """Every active partner has signed the version in force."""
        return bool(self.signing) and all(row.signature is not None for row in self.signing)

    @property
    def changed_since(self) -> list[Signature]:
        """Signatures of an earlier version by partners that have not signed the version in force."""
        return [row.earlier for row in self.signing if row.signature is None and row.earlier is not None]


def may_comment(*, access: PartnershipAccess) -> bool:
    """Partners' members and facilitators comment on the agreement; viewers only read."""
    return access.facilitator or access.can(Action.EDIT)


def may_sign(*, access: PartnershipAccess, organisation_id: int) -> bool:
    """The user may sign for that partner organisation: its admins and owners, never a facilitator."""
    return not access.facilitator and access.can_in(organisation_id, Action.MANAGE)


def speaks_for(*, access: PartnershipAccess, agreement: Agreement) -> frozenset[str]:
    """The partner ids whose contribution (in its own words) the user may state: its members'."""
    return frozenset(
        partner_id
        for partner_id, organisation_id in agreement.partner_organisations.items()
        if access.can_in(int(organisation_id), Action.EDIT)
    )


def agreement_signatures(*, agreement: Agreement) -> QuerySet[Signature]:
    """Every signature of the agreement, of any version, newest version first (one query)."""
    return Signature.objects.filter(agreement=agreement).order_by("-version", "-signed_at", "-pk")


def agreement_comments(*, agreement: Agreement) -> QuerySet[Comment]:
    """Every comment on the agreement's parts, oldest first (one query)."""
    return Comment.objects.filter(agreement=agreement).order_by("created_at", "pk")


def agreement_page(*, access: PartnershipAccess, agreement: Agreement) -> AgreementPage:
    """The agreement page around its read-only sections: the parts' statuses (from the terms), the
    partners' signatures and the comments (three queries: the active partners, the signatures, the
    comments)."""
    organisations = active_organisations(partnership=access.partnership)
    signatures = list(agreement_signatures(agreement=agreement))
    comments = list(agreement_comments(agreement=agreement))
    signing = []
    for organisation in organisations:
        own = [s for s in signatures if s.organisation_id == organisation.pk]
        current = next((s for s in own if s.version == agreement.version), None)
        earlier = next((s for s in own if s.version < agreement.version), None)
        signing.append(
            PartnerSigning(
                organisation=organisation,
                signature=current,
                earlier=None if current is not None else earlier,
                can_sign=current is None and may_sign(access=access, organisation_id=organisation.pk),
            )
        )
    parts = []
    for part in PARTS.values():
        status = part.current(agreement.document).get("status") if part.has_status else None
        parts.append(
            PartView(
                part=part,
                status=status,
                status_words=STATUS_WORDS.get(status or "", ""),
                badge=STATUS_BADGES.get(status or "", "none"),
                comments=[c for c in comments if c.section == part.key],
            )
        )
    return AgreementPage(agreement, parts, signing, speaks_for(access=access, agreement=agreement))


@dataclass(frozen=True)
class AgreementText:
    """The agreement in force as its read-only sections word it: lists paired with partners' names."""

    document: AgreementDocument

    def _named(self, items: list[Any], key: str) -> list[tuple[str, Any]]:
        return [(self.document.partner_name(getattr(item, key)), item) for item in items]

    @property
    def partner_objectives(self) -> list[tuple[str, Any]]:
        """Each partner's own objectives with the partner's name."""
        return self._named(self.document.why.partner_objectives, "partner")

    @property
    def commitments(self) -> list[tuple[str, Any]]:
        """The commitments with the committing partner's name."""
        return self._named(self.document.what.commitments, "by")

    @property
    def open_items(self) -> list[tuple[str, Any]]:
        """The open items still to settle, with the name of the partner each is about ("" for none)."""
        return [
            (self.document.partner_name(item.partner) if item.partner else "", item)
            for item in self.document.open_items
            if not item.resolved
        ]


# --- versions -------------------------------------------------------------------------------------


def agreement_versions(*, agreement: Agreement) -> QuerySet[AgreementRevision]:
    """Every recorded version of the agreement, newest first, with who made it (one query)."""
    return (
        AgreementRevision.objects.filter(agreement=agreement)
        .select_related("revision", "revision__user")
        .order_by("-number", "-revision__date_created", "-pk")
    )


def _document_at(agreement: Agreement, number: int) -> dict[str, Any]:
    """The document as recorded at version ``number`` (its last recording); 404 if never recorded."""
    version: Version = first_or_404(
        Version.objects.get_for_object(agreement)
        .filter(revision__agreement_meta__number=number)
        .order_by("-revision__date_created", "-pk")
    )
    document = version.field_dict["document"]
    return document if isinstance(document, dict) else {}


def document_yaml(document: dict[str, Any], *, comments: bool = False) -> str:
    """The document as an agreement file (``comments``: with the format's guidance, for downloads)."""
    return dump_agreement(AgreementDocument.model_validate(document), comments=comments)


def agreement_diff(*, agreement: Agreement, old: int, new: int) -> list[DiffRow]:
    """The lines that differ between two recorded versions of the agreement (two queries)."""
    return diff_rows(document_yaml(_document_at(agreement, old)), document_yaml(_document_at(agreement, new)))
